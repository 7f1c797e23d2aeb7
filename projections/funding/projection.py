"""The funding projection: per contract its funding state and dated payment lines, and a history entry for
every change (exactly-once with tracking, rebuildable, like the wage projection).

Contract events change one contract; funding reference events (an NPEC recorded or fixed, new forfaits,
a new cap) change every contract they concern, each getting its own history entry. The reference itself is
the `FundingReference` aggregate replayed from its own events up to the projection's position, so a
rebuild sees the reference as it was at each point of the log.

Funding never depends on who the apprentice is: the projection reads the terms as an erasure leaves them
(`record_sealed`: placeholder names, a surrogate birth date with the same ages), so its view holds no
personal data and a rebuild decrypts nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any, NamedTuple

from domain import law
from domain.contract_events import FUNDING_ARTICLES
from domain.errors import DomainError, InvalidTerms
from domain.events import RecordedEvent, topic_prefix
from domain.funding.engine import (
    DEFAULT_READINGS,
    FUNDING_FACT_EVENTS,
    NOT_FUNDED,
    FundingReadings,
    compute_funding,
    funding_facts,
)
from domain.funding.reference import FundingReference, FundingTables
from domain.funding.report import funding_json
from domain.personal_data import erased_events, erased_terms
from domain.terms import ContractTerms, parse_date, parse_terms
from projections.batches import BatchProjection
from projections.funding.view import FundingRow, FundingViewQueries

REFERENCE_KINDS = frozenset(
    {"FundingReferenceSeeded", "NpecRecorded", "NpecFixed", "AmorcageForfaitsRecorded", "FundingParameterRecorded"}
)
STATUS_BY_EVENT = {"Signed": "signed", "Filed": "filed", "Terminated": "terminated", "Ended": "ended"}
FUNDING_REFERENCE_TOPICS = topic_prefix(FundingReference)
CONTRACT_KINDS = FUNDING_FACT_EVENTS | {"Drafted", "Filed", "FilingDecided", "Ended", "PersonalDataErased"}
FUNDING_INPUT_KINDS = frozenset(CONTRACT_KINDS | REFERENCE_KINDS)  # every kind `funding_input` may keep
CAUSE_ARTICLES = {
    **FUNDING_ARTICLES,
    "NpecRecorded": law.NPEC_RECORDED_ARTICLE,
    "NpecFixed": law.NPEC_FIXED_ARTICLE,
    "AmorcageForfaitsRecorded": law.AMORCAGE_ARTICLE,
    "FundingParameterRecorded": "funding parameter",
}


class FundingInput(NamedTuple):
    kind: str
    aggregate_id: str
    payload: dict[str, Any]
    recorded_at: datetime
    event_id: str
    event: Any = None  # the domain event itself, for the reference (replayed on the projection's replica)


def funding_input(record: RecordedEvent) -> FundingInput | None:
    kind = record.kind
    if kind not in FUNDING_INPUT_KINDS:
        return None
    if kind in REFERENCE_KINDS and not record.topic.startswith(FUNDING_REFERENCE_TOPICS):
        return None
    return FundingInput(
        kind,
        record.originator_id,
        record.payload,
        record.timestamp,
        f"{record.originator_id}:{record.originator_version}",
        record.domain_event() if kind in REFERENCE_KINDS else None,
    )


@dataclass
class _Batch:
    rows: dict[str, FundingRow] = field(default_factory=dict)
    history: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    drafted: set[str] = field(default_factory=set)  # contracts new in this batch: no lines to replace yet


class FundingProjection(BatchProjection[FundingInput, _Batch]):
    def __init__(
        self,
        view: FundingViewQueries,
        upstream_name: str,
        reference_events: Callable[[int | None], list[Any]],
        readings: FundingReadings = DEFAULT_READINGS,
    ) -> None:
        self.view = view
        self.tracking_name = f"{upstream_name}->funding"
        self.reference_events = reference_events  # the funding reference's events up to a position
        self.readings = readings
        self._load_reference()

    def _load_reference(self) -> None:
        self._memo: dict[str, tuple[Any, int, FundingTables, dict[str, Any]]] = {}
        self._parsed: dict[str, tuple[dict[str, Any], ContractTerms]] = {}  # contract -> (its terms, parsed), per batch
        self._applied = self.position()
        self.reference: FundingReference | None = None
        if self._applied is not None:
            for e in self.reference_events(self._applied):
                self._replay(e)
        self.tables = self.reference.tables() if self.reference is not None else FundingTables.seed()

    def _replay(self, event: Any) -> bool:
        """Apply a reference event to the replica unless it already holds it (a batch that another process
        applied first is replayed over a reloaded replica; its tracking insert then fails as it should)."""
        if self.reference is not None and event.originator_version <= self.reference.version:
            return False
        self.reference = event.mutate(self.reference)
        return True

    def _new_batch(self) -> _Batch:
        self._memo.clear()
        self._parsed.clear()
        return _Batch()

    def _save(self, cursor: Any, batch: _Batch) -> None:
        self._memo.clear()
        self._parsed.clear()
        self.view.save(cursor, batch.rows.values(), batch.history, datetime.now(UTC).isoformat(), batch.drafted)

    def _apply(self, cursor: Any, item: FundingInput, batch: _Batch) -> None:
        if item.kind in REFERENCE_KINDS:
            before_tables = self.tables
            if not self._replay(item.event):
                return
            assert self.reference is not None
            self.tables = self.reference.tables()
            if item.kind == "FundingReferenceSeeded":
                return
            certification = item.payload.get("certification") if item.kind in ("NpecRecorded", "NpecFixed") else None
            ids = set(self.view.ids_for(cursor, certification))
            ids |= {cid for cid, r in batch.rows.items() if certification in (None, r.certification)}
            for contract_id in sorted(self.owned(ids)):
                row = self._row(cursor, contract_id, batch.rows)
                if row is not None:
                    before = self._compute(row, before_tables)
                    self._note(batch, row, item, before, self._compute(row))
            return
        if item.kind == "Drafted":
            terms = item.payload["terms"]
            row = FundingRow(
                item.aggregate_id,
                item.payload.get("cfa_id"),
                terms["training"].get("diploma_code"),
                "drafted",
                terms,
                [],
            )
            batch.rows[row.contract_id] = row
            batch.drafted.add(row.contract_id)
            self._note(batch, row, item, None, self._compute(row))
            return
        existing = self._row(cursor, item.aggregate_id, batch.rows)
        if existing is None:
            return
        row = existing
        if item.kind == "PersonalDataErased":  # rows written before the view read sealed terms held the names
            row.terms, row.events = erased_terms(row.terms), erased_events(row.events)
            return
        if item.kind == "FilingDecided":
            row.status = "accepted" if item.payload.get("accepted") else "refused"
        elif item.kind in STATUS_BY_EVENT:
            row.status = STATUS_BY_EVENT[item.kind]
        if item.kind in FUNDING_FACT_EVENTS:
            before = self._compute(row)
            row.events.append({"type": item.kind, **item.payload})
            if item.kind == "TermsCorrected":
                row.certification = self._terms(row).get("training", {}).get("diploma_code")
            if item.kind == "Signed" and self._signed(row, before, item.payload) is not None:
                return  # the same lines at the same level: nothing for the history (funding_history_entry)
            self._note(batch, row, item, before, self._compute(row))
        elif item.kind == "FilingDecided" and row.status == "refused":
            self._note(batch, row, item, row.state, None)

    @staticmethod
    def _terms(row: FundingRow) -> dict[str, Any]:
        corrections = [e for e in row.events if e["type"] == "TermsCorrected" and isinstance(e.get("terms"), dict)]
        return corrections[-1]["terms"] if corrections else row.terms

    def _compute(self, row: FundingRow, tables: FundingTables | None = None) -> dict[str, Any] | None:
        """The row's funding state under `tables` (the current ones if None; then it is also kept on the row).

        Within a batch, the state before a fact is the one computed after the previous fact: it is reused."""
        used = tables or self.tables
        memo = self._memo.get(row.contract_id)
        if memo is not None and memo[0] is row.terms and memo[1] == len(row.events) and memo[2] is used:
            state = memo[3]
        else:
            try:
                facts = funding_facts(self._parse(row), row.events)
                state = funding_json(compute_funding(facts, used, self.readings))
            except DomainError as e:
                state = {"error": e.as_problem()}
            self._memo[row.contract_id] = (row.terms, len(row.events), used, state)
        if tables is None:
            row.state = state
        return state

    def _signed(self, row: FundingRow, before: dict[str, Any] | None, payload: dict[str, Any]) -> dict[str, Any] | None:
        """The state after a first signature, without recomputing it when that is safe (None: compute it).

        A signature only fixes the conclusion date, and the engine reads that date through the tables' lookups
        (and prints it): when no table entry starts between the provisional date and the signature, the funding
        is the draft's with the new date. That halves the engine's work in a rebuild. A not-funded state may
        cite the date in its reasons, so it is recomputed."""
        if before is None or "error" in before or before["mode"] == NOT_FUNDED or not before["conclusion_provisional"]:
            return None
        try:
            signed_on = parse_date(payload.get("on"), "on")
        except InvalidTerms:
            return None  # the full computation reports it
        if not self.tables.same_lookups(date.fromisoformat(before["concluded_on"]), signed_on):
            return None
        state = {**before, "concluded_on": signed_on.isoformat(), "conclusion_provisional": False}
        self._memo[row.contract_id] = (row.terms, len(row.events), self.tables, state)
        row.state = state
        return state

    def _parse(self, row: FundingRow) -> ContractTerms:
        """The row's drafted terms, parsed once per batch (a draft and its signature are computed in turn)."""
        parsed = self._parsed.get(row.contract_id)
        if parsed is None or parsed[0] is not row.terms:
            parsed = self._parsed[row.contract_id] = (row.terms, parse_terms(row.terms))
        return parsed[1]

    def _note(
        self,
        batch: _Batch,
        row: FundingRow,
        item: FundingInput,
        before: dict[str, Any] | None,
        after: dict[str, Any] | None,
    ) -> None:
        entry = funding_history_entry(item.kind, before, after, item.recorded_at, item.event_id)
        if entry is not None:
            batch.history.append((row.contract_id, entry))


def _lines(state: dict[str, Any] | None) -> dict[tuple[str, str, str], str]:
    if not state or "payments" not in state:
        return {}
    return {(p["due_on"], p["kind"], p["payer"]): p["amount"] for p in state["payments"]}


def funding_history_entry(
    cause: str, before: dict[str, Any] | None, after: dict[str, Any] | None, recorded_at: datetime, event_id: str
) -> dict[str, Any] | None:
    """What a fact changed in a contract's funding: level, total and each changed line; None if nothing."""
    old, new = _lines(before), _lines(after)
    changed = [
        {"due_on": k[0], "kind": k[1], "payer": k[2], "before": old.get(k), "after": new.get(k)}
        for k in sorted(old.keys() | new.keys())
        if old.get(k) != new.get(k)
    ]

    def level(state: dict[str, Any] | None) -> str | None:
        return state["level"]["annual"] if state and "level" in state else None

    def total(state: dict[str, Any] | None) -> str | None:
        return state["totals"]["contract"] if state and "totals" in state else None

    if not changed and level(before) == level(after) and cause != "Drafted":
        return None
    return {
        "cause": cause,
        "article": CAUSE_ARTICLES.get(cause, ""),
        "old_annual": level(before),
        "new_annual": level(after),
        "old_total": total(before),
        "new_total": total(after),
        "lines": changed,
        "recorded_at": recorded_at.isoformat(),
        "effective_date": min((str(c["due_on"]) for c in changed), default=None),  # the first payment it changes
        "event_id": event_id,
    }
