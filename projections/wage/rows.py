"""A contract's row in the wage view: its inputs, its months as text, and the computation that fills them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from domain.errors import DomainError
from domain.terms import parse_terms
from domain.wage.engine import Schedule, compute_schedule, schedule_json_text
from domain.wage.facts import WageFacts, wage_facts
from domain.wage.plan import plan_for
from domain.wage.reference import WageReference
from projections import json_text
from projections.wage.plans import PlanRow


@dataclass
class ContractRow:
    """One contract as the wage view keeps it: enough to recompute its schedule without the event store."""

    contract_id: str
    cfa_id: str | None
    employer_siret: str | None
    apprentice: str
    status: str
    terms: dict[str, Any]
    events: list[dict[str, Any]]
    start_date: str = ""
    effective_end: str = ""
    # The months as the JSON text the view stores (`schedule_json_text`): written and read as they are, and
    # decoded only for a reader that looks inside (`schedule`).
    schedule_text: str | None = None
    error: dict[str, Any] | None = None
    # Set when the schedule was computed here: the plan to keep with it.
    plan: PlanRow | None = field(default=None, compare=False, repr=False)

    @property
    def schedule(self) -> list[dict[str, Any]] | None:
        """The `months` array of interfaces §2, or None if the schedule could not be computed."""
        return None if self.schedule_text is None else json_text.loads(self.schedule_text)  # type: ignore[no-any-return]

    def to_params(self, updated_at: str) -> tuple[Any, ...]:
        return (
            self.contract_id,
            self.cfa_id,
            self.employer_siret,
            self.apprentice,
            self.status,
            self.start_date,
            self.effective_end,
            json_text.dumps(self.terms),
            json_text.dumps(self.events),
            self.schedule_text,
            self.error_text,
            updated_at,
        )

    @property
    def error_text(self) -> str | None:
        """The refusal as the view stores it (JSON), or None when the schedule computed."""
        return None if self.error is None else json_text.dumps(self.error)

    @classmethod
    def from_db(cls, row: Sequence[Any]) -> ContractRow:
        (cid, cfa, siret, apprentice, status, start, end, terms, events, schedule, error, _) = row
        return cls(
            cid,
            cfa,
            siret,
            apprentice,
            status,
            json_text.loads(terms),
            json_text.loads(events),
            start,
            end,
            schedule,
            None if error is None else json_text.loads(error),
        )


def row_facts(row: ContractRow) -> WageFacts | None:
    """The row's wage facts, or None if its terms do not parse (`compute_row` then records the error)."""
    try:
        return wage_facts(parse_terms(row.terms), row.events)
    except DomainError:
        return None


def compute_row(row: ContractRow, ref: WageReference, facts: WageFacts | None, keep: bool) -> Schedule | None:
    """The row's schedule with this reference; `keep`: it (or the refusal) becomes the row's own, with its
    rate plan."""
    try:
        if facts is None:
            facts = wage_facts(parse_terms(row.terms), row.events)
        schedule = compute_schedule(facts, ref)
    except DomainError as e:
        row.error, row.schedule_text = e.as_problem(), None
        row.plan = PlanRow.of(None, ref.fingerprint)
        return None
    if keep:
        row.error = None
        row.schedule_text = schedule_json_text(schedule)
        row.start_date = schedule.start.isoformat()
        row.effective_end = schedule.end.isoformat()
        row.plan = PlanRow.of(plan_for(facts, schedule), ref.fingerprint)
    return schedule
