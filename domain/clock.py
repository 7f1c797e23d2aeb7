"""The deterministic clock: which time-driven events a contract is due on a given day.

A pure function of the contract's recorded state and a date. Each due event has a natural key; a key the
contract has already recorded is never due again, so ticking twice, late, or from two processes records
each event once (the aggregate refuses a duplicate key, optimistic concurrency settles races). After
downtime the first tick returns every missed event with its own effective date, oldest first.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from domain import law
from domain.contract_status import RUNNING
from domain.terms import ContractTerms
from domain.wage.milestones import bracket_switches, credited_months, year_starts

# Product setting, not law: how long before the planned end the employer is told it approaches.
END_NOTICE_DAYS = 30


@dataclass(frozen=True)
class ClockState:
    """What the clock needs to know about a contract (read off the Contract aggregate)."""

    terms: ContractTerms
    status: str
    planned_end: date  # after any extension
    terminated_on: date | None
    recorded_keys: frozenset[str]
    filing_due: date
    decision_due: date | None
    authority: str | None


@dataclass(frozen=True, order=True)
class DueEvent:
    effective_date: date
    key: str
    kind: str = field(compare=False)
    payload: dict[str, Any] = field(compare=False, default_factory=dict)


# A missed deadline is recorded the day after its last day: a late filing, the administration's silence, the
# contract's end. `deadline_of` gives that last day back from the event's date.
AFTER_DEADLINE = timedelta(days=1)
DEADLINE_EVENTS = frozenset({"FilingOverdue", "FilingDecided", "Ended"})


def deadline_of(kind: str, due: date) -> date | None:
    """The last day to act for a time-driven event of that kind due on `due` (None: not a deadline)."""
    return due - AFTER_DEADLINE if kind in DEADLINE_EVENTS else None


def candidate_events(state: ClockState) -> list[DueEvent]:
    """Every time-driven event the contract will have, recorded or not, whatever today is."""
    if state.status not in RUNNING or state.terminated_on is not None:
        return []
    t = state.terms
    end = state.planned_end
    out: list[DueEvent] = []
    for s in bracket_switches(t.apprentice.birth_date, t.start_date):
        if s.on <= end:
            out.append(
                DueEvent(
                    s.on,
                    f"age:{s.age}",
                    "AgeBracketReached",
                    {"effective_date": s.on, "bracket": law.BRACKET_LABELS[s.bracket], "age": s.age},
                )
            )
    for y in year_starts(t.start_date, credited_months(t)):
        if y.on <= end:
            out.append(
                DueEvent(y.on, f"year:{y.year}", "ContractYearStarted", {"effective_date": y.on, "year": y.year})
            )
    notice = end - timedelta(days=END_NOTICE_DAYS)
    if notice > t.start_date:
        out.append(
            DueEvent(
                notice,
                f"end-approaching:{end.isoformat()}",
                "EndApproaching",
                {"effective_date": notice, "end_date": end},
            )
        )
    out.append(DueEvent(end + AFTER_DEADLINE, "end", "Ended", {"on": end}))
    if state.status == "signed":
        overdue = state.filing_due + AFTER_DEADLINE
        out.append(
            DueEvent(
                overdue, "filing-overdue", "FilingOverdue", {"effective_date": overdue, "filing_due": state.filing_due}
            )
        )
    if state.status == "filed" and state.decision_due is not None and state.authority is not None:
        implicit = law.SILENCE_MEANS_ACCEPTANCE[state.authority]
        out.append(
            DueEvent(
                state.decision_due + AFTER_DEADLINE,
                "decision",
                "FilingDecided",
                {
                    "on": state.decision_due,
                    "accepted": implicit,
                    "implicit": True,
                    "reason": f"no decision within {law.DECISION_DAYS.value} days "
                    f"({law.DECISION_DAYS.article}): implicit "
                    f"{'acceptance' if implicit else 'refusal'}",
                },
            )
        )
    return sorted(out)


def due_events(state: ClockState, today: date) -> list[DueEvent]:
    """The events due by `today` and not yet recorded, oldest first."""
    return [e for e in candidate_events(state) if e.effective_date <= today and e.key not in state.recorded_keys]


def next_due(state: ClockState) -> DueEvent | None:
    """The contract's next time-driven event not yet recorded: what the clock index keeps."""
    return next((e for e in candidate_events(state) if e.key not in state.recorded_keys), None)


def next_due_date(state: ClockState) -> date | None:
    """When this contract next needs the clock: the index a tick queries."""
    due = next_due(state)
    return due.effective_date if due is not None else None
