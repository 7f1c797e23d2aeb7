"""A contract's rate plan: the pieces of its schedule with everything but the reference values (SMIC, Luxembourg
cote) in place, so that a reference change is re-evaluated over many contracts at once with array arithmetic.

The plan is derived from the engine's own schedule: each piece runs from one of its change dates to the next
and keeps the kind of base it multiplies, its coefficient, the SMC floor and the rules that set it. Evaluating
plans against a reference cuts the pieces at every month and every date of the series, and rounds each month
half-up once, as the engine does: the amounts are the engine's to the cent (property-tested in
tests/wage/test_rate_plan.py), whether the change falls on the 1st or in mid-month.

A contract whose rate may stop being a whole multiple of one base (the D6222-30 majoration capped at a
percentage of the SMIC while an SMC is recorded) has no plan: its months are recomputed by the engine.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np
import numpy.typing as npt

from domain import legal_parameters as law
from domain.terms import luxembourg_family
from domain.wage.engine import FULL, Schedule
from domain.wage.facts import WageFacts
from domain.wage.reference import DatedSeries, WageReference, to_cents

# What a piece's rate multiplies: a series named here, or nothing (a fixed amount).
KIND_FIXED, KIND_SMIC, KIND_COTE, KIND_SMIC_MAYOTTE = 0, 1, 2, 3
SERIES_OF_KIND = {KIND_SMIC: "smic", KIND_COTE: "lu_cote", KIND_SMIC_MAYOTTE: "smic_mayotte"}
SMIC_KINDS = (KIND_SMIC, KIND_SMIC_MAYOTTE)  # bases the SMC floor applies to (D6222-26)

Ints = npt.NDArray[np.int64]
EPOCH = date(1970, 1, 1).toordinal()  # numpy's day 0


def reference_series(ref: WageReference) -> dict[str, DatedSeries]:
    """The reference's series by the name a plan refers to them by."""
    return {"smic": ref.smic, "lu_cote": ref.lu_cotes, "smic_mayotte": ref.smic_mayotte}


@dataclass(frozen=True)
class RatePlan:
    """One contract's pieces as parallel columns: piece i runs from `first[i]` to the day before `first[i+1]`,
    the last one to `end` (ordinals)."""

    end: int
    first: Ints
    kind: Ints
    coef: Ints  # hundredths of a point of the base (SMIC), cents of the allowance at 100 (cote), rate (fixed)
    floor: Ints  # the SMC in cents the SMIC base cannot fall below (0: none)
    rules: tuple[tuple[str, ...], ...]  # the articles that set each piece's rate

    @property
    def series(self) -> frozenset[str]:
        """The reference series a change of which moves this plan's amounts."""
        return frozenset(SERIES_OF_KIND[int(k)] for k in self.kind if int(k) in SERIES_OF_KIND)


def plan_for(facts: WageFacts, schedule: Schedule) -> RatePlan | None:
    """The plan of a computed schedule, None when one of its rates is not linear in its base."""
    if facts.terms.previous_contract is not None and facts.smc:
        return None  # the capped D6222-30 majoration may switch between the SMC and the SMIC
    smc = DatedSeries.build((e.from_date, to_cents(e.monthly), "SMC") for e in facts.smc)
    smic_kind = KIND_SMIC_MAYOTTE if facts.terms.employer.territory == law.MAYOTTE else KIND_SMIC
    pieces: list[tuple[int, int, int, int, tuple[str, ...]]] = []
    for bound, r in zip(schedule.bounds, schedule.rates, strict=True):
        if r.base_kind == "DE_MINIMUM":
            kind, coef, floor = KIND_FIXED, r.rate, 0
        elif r.base_kind == "LU_ALLOWANCE":
            kind, coef, floor = KIND_COTE, to_cents(law.LU_BASES_AT_100[(_lu_family(facts), r.year)]), 0
        else:
            if r.rate != r.pct * r.base:
                return None
            kind, coef = smic_kind, r.pct
            floor = smc.value_at(bound) if r.bracket >= law.SMC_FROM_BRACKET else 0
        if pieces and pieces[-1][1:] == (kind, coef, floor, r.rules):
            continue  # a new SMIC, nothing else: the same piece
        pieces.append((bound, kind, coef, floor, r.rules))
    c = [np.asarray([p[i] for p in pieces], dtype=np.int64) for i in range(4)]
    return RatePlan(schedule.end.toordinal(), c[0], c[1], c[2], c[3], tuple(p[4] for p in pieces))


def _lu_family(facts: WageFacts) -> str:
    cb = facts.terms.cross_border
    return (luxembourg_family(cb.formation) if cb is not None else None) or ""


def month_number(ordinals: Ints) -> Ints:
    """Months since January 1970 of each day."""
    days = (ordinals - EPOCH).astype("datetime64[D]")
    return days.astype("datetime64[M]").astype(np.int64)


def month_first(months: Ints) -> Ints:
    """The ordinal of the first day of each month number."""
    return months.astype("datetime64[M]").astype("datetime64[D]").astype(np.int64) + EPOCH


def month_key(month: int) -> str:
    year, m0 = divmod(month, 12)
    return f"{1970 + year:04d}-{m0 + 1:02d}"


def segment_rates_numerators(
    first: Ints, last: Ints, kind: Ints, coef: Ints, floor: Ints, series: Mapping[str, DatedSeries]
) -> Ints:
    """Σ rate × days of each segment (cents × 10 000 × days), every segment cut at the series' dates."""
    days = last - first + 1
    num: Ints = np.where(kind == KIND_FIXED, coef * days, 0).astype(np.int64)
    for k, name in SERIES_OF_KIND.items():
        at = np.flatnonzero(kind == k)
        if len(at) == 0:
            continue
        s = series[name]
        starts, values = np.asarray(s.starts, dtype=np.int64), np.asarray((0, *s.values), dtype=np.int64)
        # the value in force on the first and on the last day (index 0: none known yet)
        i0 = np.searchsorted(starts, first[at], side="right")
        i1 = np.searchsorted(starts, last[at], side="right")
        whole = i0 == i1  # most segments: one value all along
        one = at[whole]
        num[one] = coef[one] * _base(k, floor[one], values[i0[whole]]) * days[one]
        # the few that a change of the series cuts: each piece of them between two of its dates
        cut, lo, hi = at[~whole], i0[~whole], i1[~whole]
        for j in range(int(lo.min()) if len(lo) else 0, int(hi.max()) + 1 if len(hi) else 0):
            inside = (lo <= j) & (hi >= j)
            a = np.maximum(first[cut], starts[j - 1] if j > 0 else first[cut])
            b = np.minimum(last[cut], starts[j] - 1 if j < len(starts) else last[cut])
            n = np.where(inside, b - a + 1, 0)
            num[cut] += coef[cut] * _base(k, floor[cut], np.full(len(cut), values[j])) * n
    return num


def _base(kind: int, floor: Ints, value: Ints) -> Ints:
    """The base a rate multiplies: the series' value, not below the SMC for a SMIC base (D6222-26)."""
    out: Ints = np.maximum(floor, value) if kind in SMIC_KINDS else value
    return out


def round_months(numerators: Ints, dim: Ints) -> Ints:
    """Half-up to the cent, as the engine rounds a month."""
    den = FULL * dim
    out: Ints = (2 * numerators + den) // (2 * den)
    return out


@dataclass(frozen=True)
class PlanBatch:
    """Many plans' pieces as one set of columns (`owner`: the plan each piece belongs to), cut into months
    from `since` (a month number) on."""

    count: int  # plans
    owner: Ints
    first: Ints
    last: Ints
    kind: Ints
    coef: Ints
    floor: Ints

    @classmethod
    def of(cls, plans: Sequence[RatePlan]) -> PlanBatch:
        sizes = np.asarray([len(p.first) for p in plans], dtype=np.int64)
        owner = np.repeat(np.arange(len(plans), dtype=np.int64), sizes)
        first = np.concatenate([p.first for p in plans]) if plans else np.zeros(0, dtype=np.int64)
        ends = np.asarray([p.end for p in plans], dtype=np.int64)
        return cls.from_columns(
            len(plans),
            owner,
            first,
            ends,
            *(np.concatenate([getattr(p, f) for p in plans]) if plans else first for f in ("kind", "coef", "floor")),
        )

    @classmethod
    def from_columns(
        cls, count: int, owner: Ints, first: Ints, ends: Ints, kind: Ints, coef: Ints, floor: Ints
    ) -> PlanBatch:
        """From pieces in order (by plan, then by date) and each plan's last day."""
        following = np.empty_like(first)
        following[:-1] = first[1:] - 1
        last_of_plan = np.ones(len(owner), dtype=bool)
        last_of_plan[:-1] = owner[1:] != owner[:-1]
        last = np.where(last_of_plan, ends[owner] if len(owner) else following, following)
        return cls(count, owner, first, last, kind, coef, floor)

    def since(self, day: int) -> PlanBatch:
        """Only the pieces' days from the 1st of the month of `day` on: a change from that day moves nothing
        earlier."""
        lo = int(month_first(month_number(np.asarray([day], dtype=np.int64)))[0])
        keep = self.last >= lo
        return PlanBatch(
            self.count,
            self.owner[keep],
            np.maximum(self.first[keep], lo),
            self.last[keep],
            self.kind[keep],
            self.coef[keep],
            self.floor[keep],
        )

    def months(self) -> MonthCells:
        """The pieces cut at every month: one cell per piece and month it covers."""
        if len(self.first) == 0:
            none = np.zeros(0, dtype=np.int64)
            return MonthCells(self.count, none, none, none, none, none, none, none, none, none)
        # Day → month and month → first day by table lookups over the batch's span (a few thousand days).
        lo = int(self.first.min())
        month_of = month_number(np.arange(lo, int(self.last.max()) + 1, dtype=np.int64))
        m0, m1 = month_of[self.first - lo], month_of[self.last - lo]
        firsts = month_first(np.arange(int(month_of[0]), int(month_of[-1]) + 2, dtype=np.int64))
        base = int(month_of[0])
        n = m1 - m0 + 1
        offsets = np.cumsum(n) - n  # each piece's first cell
        ends = offsets + n - 1  # and its last
        # Month after month within a piece; from one piece to the next, back to the new piece's first month.
        step = np.ones(int(n.sum()), dtype=np.int64)
        step[offsets] = m0 - np.concatenate(([base], m1[:-1]))
        month = np.cumsum(step) + base  # the month number of each cell
        month_start, next_start = firsts[month - base], firsts[month - base + 1]
        cell_first, cell_last = month_start.copy(), next_start - 1
        cell_first[offsets] = self.first
        cell_last[ends] = self.last
        # A piece beginning in the month its predecessor of the same plan ends in shares that month.
        new_month = np.ones(len(month), dtype=bool)
        joins = (self.owner[1:] == self.owner[:-1]) & (m0[1:] == m1[:-1])
        new_month[offsets[1:][joins]] = False
        starts = np.flatnonzero(new_month)
        return MonthCells(
            self.count,
            np.repeat(self.owner, n)[starts],
            month[starts],
            (next_start - month_start)[starts],
            starts,
            cell_first,
            cell_last,
            np.repeat(self.kind, n),
            np.repeat(self.coef, n),
            np.repeat(self.floor, n),
        )


@dataclass(frozen=True)
class MonthCells:
    """A batch's months (`owner`, `month`, `dim`, each starting at `starts` in the cells) and their cells."""

    count: int
    owner: Ints
    month: Ints
    dim: Ints
    starts: Ints
    first: Ints
    last: Ints
    kind: Ints
    coef: Ints
    floor: Ints

    def amounts(self, ref: WageReference) -> Ints:
        """Every month's amount in cents, plans one after another."""
        if len(self.starts) == 0:
            return np.zeros(0, dtype=np.int64)
        num = segment_rates_numerators(self.first, self.last, self.kind, self.coef, self.floor, reference_series(ref))
        return round_months(np.add.reduceat(num, self.starts), self.dim)

    def offsets(self) -> Ints:
        """`offsets[i]:offsets[i+1]` are plan i's months."""
        out = np.zeros(self.count + 1, dtype=np.int64)
        np.cumsum(np.bincount(self.owner, minlength=self.count), out=out[1:])
        return out


def evaluate(plan: RatePlan, ref: WageReference) -> dict[str, int]:
    """The plan's monthly amounts in cents under a reference."""
    cells = PlanBatch.of([plan]).months()
    return dict(zip((month_key(m) for m in cells.month.tolist()), cells.amounts(ref).tolist(), strict=True))


def evaluate_many(plans: Sequence[RatePlan], ref: WageReference) -> list[list[int]]:
    """Every plan's monthly amounts, in one array computation over all their pieces."""
    if not plans:
        return []
    cells = PlanBatch.of(plans).months()
    flat = cells.amounts(ref).tolist()
    bounds = cells.offsets().tolist()
    return [flat[a:b] for a, b in zip(bounds, bounds[1:], strict=False)]
