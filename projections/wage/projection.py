"""The wage projection: per contract the month-by-month minimum and the history of every change.

It follows the Contracts application's notification log (contract events and reference-data events live
in the same log) and writes its view and its tracking position in one transaction per batch, so each event
is applied exactly once, and the view can be rebuilt from zero.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any, NamedTuple

from domain import law
from domain.contract_events import STATUS_AFTER, TIMELINE_EVENTS
from domain.contract_status import ACCEPTED, DRAFTED, REFUSED
from domain.events import RecordedEvent
from domain.personal_data import erased_events, erased_terms
from domain.wage.engine import Schedule
from domain.wage.facts import WAGE_FACT_EVENTS, deep_merge
from domain.wage.reference import WageReference
from projections.batches import BatchProjection
from projections.wage.history import ReferenceChange, history_entry
from projections.wage.plans import revalued_entries
from projections.wage.revaluation import Recomputed, recomputation, recompute
from projections.wage.rows import ContractRow, compute_row
from projections.wage.view import LU_COTE, SMIC, SMIC_MAYOTTE, WageViewQueries, reference_item

STATUS_BY_EVENT = STATUS_AFTER
SMIC_SERIES = {law.METROPOLE: SMIC, law.MAYOTTE: SMIC_MAYOTTE}  # territory -> the view's series name
REVALUATION_CHUNK = 2_000  # contracts without a plan recomputed and written at a time by the engine
PLAN_CHUNK = 100_000  # plans evaluated at a time when the reference changes
REFERENCE_EVENTS = frozenset({"ReferenceDataSeeded", "SmicRevalued", "LuxembourgCoteRecorded"})
# Every event kind the projection reads; the others (master rosters, notices) never reach it.
WAGE_INPUT_KINDS = frozenset(
    REFERENCE_EVENTS
    | TIMELINE_EVENTS
    | WAGE_FACT_EVENTS
    | STATUS_BY_EVENT.keys()
    | {"FilingDecided", "PersonalDataErased"}
)


class WageInput(NamedTuple):
    """A recorded event as the wage projection reads it (interfaces §3 payload)."""

    kind: str  # event type name, e.g. "Signed", "SmicRevalued"
    aggregate_id: str
    payload: dict[str, Any]
    recorded_at: datetime
    event_id: str


def wage_input(record: RecordedEvent) -> WageInput | None:
    """What the projection reads of a recorded event (the translate step of its runner)."""
    if record.kind not in WAGE_INPUT_KINDS:
        return None
    return WageInput(
        kind=record.kind,
        aggregate_id=record.originator_id,
        payload=record.payload,
        recorded_at=record.timestamp,
        event_id=f"{record.originator_id}:{record.originator_version}",
    )


@dataclass
class _Batch:
    rows: dict[str, ContractRow] = field(default_factory=dict)
    history: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    reference: list[tuple[str, str, str, str]] = field(default_factory=list)
    drafted: set[str] = field(default_factory=set)  # contracts new in this batch: not in the view yet


class WageProjection(BatchProjection[WageInput, _Batch]):
    def __init__(self, view: WageViewQueries, upstream_name: str, processes: int = 1) -> None:
        self.view = view
        self.processes = processes  # at most, for recomputing every running contract after a reference change
        self.tracking_name = f"{upstream_name}->wages"
        self._load_reference()

    def _load_reference(self) -> None:
        self._memo: dict[str, tuple[tuple[int, int], Schedule]] = {}  # contract -> (its inputs, their schedule)
        self._applied = self.position()
        self.smic: dict[date, law.SmicRevaluation] = {}
        self.smic_mayotte: dict[date, law.SmicRevaluation] = {}
        self.cotes: dict[date, law.LuxembourgCote] = {}
        # Nothing applied, nothing known. A rebuild worker must not see the rows another worker wrote ahead of it.
        for series, day, value, label in self.view.reference_rows() if self._applied is not None else ():
            self._remember(series, date.fromisoformat(day), value, label)
        self.ref = self._build_ref()

    def _remember(self, series: str, day: date, value: str, label: str) -> None:
        item = reference_item(series, day, value, label)
        if isinstance(item, law.LuxembourgCote):
            self.cotes[day] = item
        elif item is not None:
            (self.smic if series == SMIC else self.smic_mayotte)[day] = item

    def _build_ref(self) -> WageReference:
        return WageReference.from_series(self.smic.values(), self.cotes.values(), self.smic_mayotte.values())

    def _new_batch(self) -> _Batch:
        self._memo.clear()
        return _Batch()

    def _save(self, cursor: Any, batch: _Batch) -> None:
        self._memo.clear()
        now = datetime.now(UTC).isoformat()
        self.view.save(cursor, batch.rows.values(), batch.history, batch.reference, now, batch.drafted)

    def _apply(self, cursor: Any, item: WageInput, batch: _Batch) -> None:
        if item.kind in REFERENCE_EVENTS:
            self._apply_reference(cursor, item, batch)
            return
        if item.kind == "Drafted":
            p = item.payload
            terms = p["terms"]
            row = ContractRow(item.aggregate_id, p.get("cfa_id"), None, "", DRAFTED, terms, [])
            _name_parties(row, terms)
            batch.rows[item.aggregate_id] = row
            batch.drafted.add(item.aggregate_id)
            after = self._compute(row)
            self._note(batch, row, "Drafted", date.fromisoformat(terms["start_date"]), None, after, item)
            return
        existing = self._row(cursor, item.aggregate_id, batch.rows)
        if existing is None:
            return
        row = existing
        if item.kind == "PersonalDataErased":  # the same wages; no name, no exact birth date left in the view
            row.terms, row.events = erased_terms(row.terms), erased_events(row.events)
            _name_parties(row, _latest_terms(row))
            return
        status = STATUS_BY_EVENT.get(item.kind)
        if item.kind == "FilingDecided":
            status = ACCEPTED if item.payload.get("accepted") else REFUSED
        if status:
            row.status = status
        if item.kind in TIMELINE_EVENTS:
            after = self._compute(row)
            self._note(batch, row, item.kind, date.fromisoformat(item.payload["effective_date"]), after, after, item)
        elif item.kind in WAGE_FACT_EVENTS:
            before = self._compute(row)
            row.events.append({"type": item.kind, **item.payload})
            if item.kind == "TermsCorrected":
                _name_parties(row, _latest_terms(row))
            after = self._compute(row)
            self._note(batch, row, item.kind, self._effective(item, before, after), before, after, item)

    def _apply_reference(self, cursor: Any, item: WageInput, batch: _Batch) -> None:
        self._memo.clear()  # every schedule depends on the reference
        p = item.payload
        if item.kind == "ReferenceDataSeeded":
            smic_entries, cote_entries = p.get("smic", []), p.get("lu_cotes", [])
        elif item.kind == "SmicRevalued":
            smic_entries, cote_entries = [p], []
        else:
            smic_entries, cote_entries = [], [p]
        days: list[date] = []
        for e in smic_entries:
            day, value = date.fromisoformat(e["effective_date"]), f"{e['hourly']}/{e['monthly']}"
            series = SMIC_SERIES[e.get("territory", law.METROPOLE)]
            self._remember(series, day, value, e.get("act", ""))
            batch.reference.append((series, day.isoformat(), value, e.get("act", "")))
            days.append(day)
        for e in cote_entries:
            day, value = date.fromisoformat(e["effective_date"]), str(e["cote"])
            self._remember(LU_COTE, day, value, e.get("source", ""))
            batch.reference.append((LU_COTE, day.isoformat(), value, e.get("source", "")))
            days.append(day)
        old_ref, self.ref = self.ref, self._build_ref()
        if item.kind == "ReferenceDataSeeded" or not days:
            return
        # A territory's own SMIC (Mayotte) moves only the contracts of employers there.
        in_mayotte = item.kind == "SmicRevalued" and p.get("territory") == law.MAYOTTE
        change = ReferenceChange(item.kind, min(days), item.recorded_at, item.event_id, old_ref, self.ref)
        series = LU_COTE if item.kind == "LuxembourgCoteRecorded" else SMIC_MAYOTTE if in_mayotte else SMIC
        self._revalue_plans(cursor, change, series, batch)
        self._revalue_by_engine(cursor, change, law.MAYOTTE_POSTCODE_PREFIX if in_mayotte else None, batch)

    def _revalue_plans(self, cursor: Any, change: ReferenceChange, series: str, batch: _Batch) -> None:
        """The contracts with a plan in the view: one array computation a chunk, and only the history entries
        of those whose months moved are written (their months' text is recomputed when read)."""
        day = change.effective.isoformat()
        rules = self.view.rules_texts(cursor)
        after = ""
        while chunk := self.view.running_plans(cursor, day, series, after, PLAN_CHUNK):
            after = chunk[-1][0]
            mine = [(cid, plan) for cid, plan in chunk if cid not in batch.rows and self.owns(cid)]
            entries = revalued_entries([c for c, _ in mine], [b for _, b in mine], change, rules)
            self.view.add_history_texts(cursor, entries, day, change.cause, change.recorded_at.isoformat())

    def _revalue_by_engine(
        self, cursor: Any, change: ReferenceChange, postcode_prefix: str | None, batch: _Batch
    ) -> None:
        """The contracts without a plan, and those of this batch (not in the view yet, or changed in it):
        their schedules recomputed by the engine, before and after."""
        earliest = change.effective.isoformat()
        ids = set(self.view.running_on_or_after(cursor, earliest, postcode_prefix))
        ids.update(cid for cid, row in batch.rows.items() if row.effective_end >= earliest)
        pending = sorted(self.owned(ids))
        now = datetime.now(UTC).isoformat()

        def written(rows: Sequence[ContractRow], results: Sequence[Recomputed]) -> None:
            history = [(row.contract_id, r.entry) for row, r in zip(rows, results, strict=True) if r.entry]
            # Only the schedule moved: its columns are rewritten, not the terms and events kept beside it.
            self.view.save_schedules(cursor, rows, history, now)

        # Read, recomputed and written chunk by chunk inside the batch's transaction, so memory holds a few
        # chunks (the whole set took 10 GB at 220,000 contracts).
        with recomputation(change, len(pending), self.processes, written) as work:
            for k in range(0, len(pending), REVALUATION_CHUNK):
                chunk = pending[k : k + REVALUATION_CHUNK]
                loaded = self.view.load(cursor, [c for c in chunk if c not in batch.rows])
                for contract_id in chunk:  # rows already in the batch stay with it, and are written with it
                    if contract_id in batch.rows:
                        entry = recompute(batch.rows[contract_id], change).entry
                        if entry is not None:
                            batch.history.append((contract_id, entry))
                work.add([loaded[c] for c in chunk if c in loaded])

    @staticmethod
    def _effective(item: WageInput, before: Schedule | None, after: Schedule | None) -> date:
        p = item.payload
        if item.kind == "ExamFailedExtended" and before is not None:
            return before.end + timedelta(days=1)
        if item.kind == "Terminated":
            return date.fromisoformat(p["on"]) + timedelta(days=1)
        if item.kind == "SmcChanged":
            return date.fromisoformat(p["from"])
        if item.kind == "DisabilityRecognised":
            return date.fromisoformat(p["on"])
        # a correction: the first month it changed, else the start
        if before is not None and after is not None:
            old, new = before.amounts(), after.amounts()
            changed = sorted(k for k in old.keys() | new.keys() if old.get(k) != new.get(k))
            if changed:
                return max(date.fromisoformat(changed[0] + "-01"), min(before.start, after.start))
        known = after or before
        return known.start if known is not None else date.today()

    def _compute(self, row: ContractRow) -> Schedule | None:
        """Recompute the schedule from the row's inputs; keep it (or the refusal) on the row.

        Within a batch, a row whose inputs did not change since its last computation (a clock event after the
        draft, a status change) reuses that schedule: a rebuild computes each contract's schedule about once.
        """
        inputs = (id(row.terms), len(row.events))
        memo = self._memo.get(row.contract_id)
        if memo is not None and memo[0] == inputs and row.error is None:
            return memo[1]
        schedule = compute_row(row, self.ref, None, keep=True)
        if schedule is not None:
            self._memo[row.contract_id] = (inputs, schedule)
        return schedule

    def _note(
        self,
        batch: _Batch,
        row: ContractRow,
        cause: str,
        effective: date,
        before: Schedule | None,
        after: Schedule | None,
        item: WageInput,
    ) -> None:
        entry = history_entry(
            cause=cause,
            effective=effective,
            before=before,
            after=after,
            recorded_at=item.recorded_at,
            event_id=item.event_id,
        )
        if entry is not None:
            batch.history.append((row.contract_id, entry))


def _name_parties(row: ContractRow, terms: dict[str, Any]) -> None:
    """The columns lists and tenant filters read: the apprentice's name and the employer's SIRET."""
    a = terms["apprentice"]
    row.apprentice = f"{a['first_name']} {a['last_name']}"
    row.employer_siret = terms["employer"].get("siret")


def _latest_terms(row: ContractRow) -> dict[str, Any]:
    """The drafted terms with every correction applied, whole (`terms`) or partial (`changes`)."""
    terms = row.terms
    for e in row.events:
        if e["type"] == "TermsCorrected":
            terms = e["terms"] if isinstance(e.get("terms"), dict) else deep_merge(terms, e.get("changes") or {})
    return terms
