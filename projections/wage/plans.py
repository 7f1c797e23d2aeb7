"""The rate plans the wage view keeps, and a reference change evaluated over them in one array computation.

A plan is stored as fixed-width records (one per piece, then one closing record holding the last day), so
that the plans of a million contracts are read back as one array without a Python loop. The rules of a piece
are stored as the id of their text in the view's `wage_rules` table.

A reference change (SMIC, Mayotte SMIC, Luxembourg cote) moves no fact of a contract: its months are the plan
under the new reference. The view keeps the months' text as a cache marked with the reference it was computed
with; what the change writes is each changed contract's history entry, its months kept as two lists of cents
(`packed`), which `history.stored_entry` expands into the interface's month list when it is read.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import NamedTuple

import numpy as np

from domain.dates import days_in_month
from domain.wage.engine import FULL, money, pct_number
from domain.wage.plan import SMIC_KINDS, PlanBatch, RatePlan, month_key, month_number, rates_on, round_months
from domain.wage.reference import WageReference
from projections.wage.history import CAUSE_ARTICLES, ReferenceChange

RECORD = np.dtype([("first", "<i4"), ("kind", "i1"), ("coef", "<i8"), ("floor", "<i4"), ("rules", "<u4")])
CLOSING = -1  # the kind of a plan's closing record, whose `first` is the day after the plan's last


class PlanRow(NamedTuple):
    """What the view keeps of a computed schedule: its plan (None: none), the series it reads, the reference
    it was computed with, and the texts of the rules it names."""

    blob: bytes | None
    series: str
    tag: str
    rules: tuple[tuple[int, str], ...]

    @classmethod
    def of(cls, plan: RatePlan | None, tag: str) -> PlanRow:
        if plan is None:
            return cls(None, series_text(None), tag, ())
        return cls(encode(plan), series_text(plan), tag, tuple(rules_entry(r) for r in plan.rules))


@lru_cache(maxsize=4096)  # a few hundred distinct rule lists over every contract
def rules_entry(rules: tuple[str, ...]) -> tuple[int, str]:
    """The id a plan stores for a piece's rules, and their text in `wage_rules`."""
    text = json.dumps(list(rules))
    return zlib.crc32(text.encode()), text


def rules_id(rules: tuple[str, ...]) -> int:
    return rules_entry(rules)[0]


def encode(plan: RatePlan) -> bytes:
    records = np.zeros(len(plan.first) + 1, dtype=RECORD)
    records["first"][:-1] = plan.first
    records["kind"][:-1] = plan.kind
    records["coef"][:-1] = plan.coef
    records["floor"][:-1] = plan.floor
    records["rules"][:-1] = [rules_id(r) for r in plan.rules]
    records["first"][-1] = plan.end + 1
    records["kind"][-1] = CLOSING
    return records.tobytes()


def series_text(plan: RatePlan | None) -> str:
    """The series a plan reads, as the view stores them for its lookups (`,smic,lu_cote,`)."""
    return "," + "".join(f"{s}," for s in sorted(plan.series)) if plan is not None else ","


@dataclass(frozen=True)
class StoredPlans:
    """Plans read back from the view: one batch of pieces, and each piece's rules id."""

    batch: PlanBatch
    rules: np.ndarray

    @classmethod
    def decode(cls, blobs: Sequence[bytes]) -> StoredPlans:
        records = np.frombuffer(b"".join(blobs), dtype=RECORD)
        closing = records["kind"] == CLOSING
        owner = np.cumsum(closing) - closing  # each record's plan: the closings seen before it
        pieces = records[~closing]
        batch = PlanBatch.from_columns(
            len(blobs),
            owner[~closing].astype(np.int64),
            pieces["first"].astype(np.int64),
            records["first"][closing].astype(np.int64) - 1,
            pieces["kind"].astype(np.int64),
            pieces["coef"].astype(np.int64),
            pieces["floor"].astype(np.int64),
        )
        return cls(batch, pieces["rules"])


def full_month_at(stored: StoredPlans, day: int, ref: WageReference) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For each plan: whether it runs on `day`, the whole month's amount in cents at its rate that day, and
    the index of its piece that day (as the engine's `full_month(rate_on(day))`)."""
    b = stored.batch
    at, rate = rates_on(b, day, ref)
    full = np.zeros(b.count, dtype=np.int64)
    runs = np.zeros(b.count, dtype=bool)
    piece = np.full(b.count, -1, dtype=np.int64)
    owners = b.owner[at]
    full[owners] = round_months(rate, np.ones(len(rate), dtype=np.int64))
    runs[owners] = True
    piece[owners] = at
    return runs, full, piece


def _per_plan(values: np.ndarray, offsets: np.ndarray) -> np.ndarray:
    """Each plan's sum of its months' values (exact integers)."""
    running = np.zeros(len(values) + 1, dtype=np.int64)
    np.cumsum(values, out=running[1:])
    out: np.ndarray = running[offsets[1:]] - running[offsets[:-1]]
    return out


def revalued_entries(
    contract_ids: Sequence[str], blobs: Sequence[bytes], change: ReferenceChange, rules_text: dict[int, str]
) -> list[tuple[str, str]]:
    """The history entries (contract, stored text) of the plans whose amounts or rate the change moves."""
    stored = StoredPlans.decode(blobs)
    day = change.effective.toordinal()
    cells = stored.batch.since(day).months()
    before, after = cells.amounts(change.before), cells.amounts(change.after)
    offsets = cells.offsets()
    difference = after - before
    recorded_at = change.recorded_at.isoformat()
    recorded_month = month_number(np.asarray([change.recorded_at.date().toordinal()]))[0]
    changed = _per_plan(difference != 0, offsets) > 0
    arrears = _per_plan(np.where(cells.month <= recorded_month, difference, 0), offsets)
    runs, old_full, _ = full_month_at(stored, day, change.before)
    _, new_full, piece = full_month_at(stored, day, change.after)
    entries = np.flatnonzero(changed | (old_full != new_full))
    if len(entries) == 0:
        return []
    kinds = stored.batch.kind
    head = (
        f'{{"effective_date": "{change.effective.isoformat()}", "cause": "{change.cause}", '
        f'"article": {json.dumps(CAUSE_ARTICLES.get(change.cause, ""))}, '
    )
    tail = f'"recorded_at": "{recorded_at}", "event_id": {json.dumps(change.event_id)}, "months": null, '
    months, before_list, after_list = cells.month.tolist(), before.tolist(), after.tolist()
    bounds, arrears_list = offsets.tolist(), arrears.tolist()
    out: list[tuple[str, str]] = []
    for i in entries.tolist():
        a, z = bounds[i], bounds[i + 1]
        if runs[i]:
            p = int(piece[i])
            pct = pct_number(int(stored.batch.coef[p])) if int(kinds[p]) in SMIC_KINDS else pct_number(FULL)
            rate = (
                f'"old_amount": "{money(int(old_full[i]))}", "new_amount": "{money(int(new_full[i]))}", '
                f'"old_pct": {pct}, "new_pct": {pct}, "rules": {rules_text[int(stored.rules[p])]}, '
            )
        else:
            rate = '"old_amount": null, "new_amount": null, "old_pct": null, "new_pct": null, "rules": [], '
        packed = (
            f'"arrears": "{money(arrears_list[i])}", "packed": {{"from": "{month_key(months[a]) if z > a else ""}", '
            f'"before": [{",".join(map(str, before_list[a:z]))}], "after": [{",".join(map(str, after_list[a:z]))}]}}}}'
        )
        out.append((contract_ids[i], head + rate + tail + packed))
    return out


def amounts_in_month(blobs: Sequence[bytes], year: int, month: int, ref: WageReference) -> list[int]:
    """Each stored plan's minimum of one month in cents (0: the contract does not run that month)."""
    if not blobs:
        return []
    b = StoredPlans.decode(blobs).batch.since(date(year, month, 1).toordinal())
    last = date(year, month, 1).toordinal() + days_in_month(year, month) - 1
    keep = b.first <= last
    cut = PlanBatch(
        b.count, b.owner[keep], b.first[keep], np.minimum(b.last[keep], last), b.kind[keep], b.coef[keep], b.floor[keep]
    )
    cells = cut.months()
    out = np.zeros(b.count, dtype=np.int64)
    out[cells.owner] = cells.amounts(ref)
    result: list[int] = out.tolist()
    return result
