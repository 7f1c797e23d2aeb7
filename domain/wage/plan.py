"""A contract's rate plan: the pieces of its schedule with everything but the reference values (SMIC, Luxembourg
cote) in place, so that a reference change is re-evaluated over many contracts at once with array arithmetic.

The plan is derived from the engine's own schedule: each piece runs from one of its change dates to the next
and keeps the kind of base it multiplies, its coefficient, the SMC floor and the rules that set it. Evaluating
plans against a reference cuts the pieces at every month and every date of the series, and rounds each month
half-up once, as the engine does: the amounts are the engine's to the cent (property-tested in
tests/domain/wage/test_rate_plan.py), whether the change falls on the 1st or in mid-month.

A contract whose rate may stop being a whole multiple of one base (the D6222-30 majoration capped at a
percentage of the SMIC while an SMC is recorded) has no plan: its months are recomputed by the engine.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np
import numpy.typing as npt

from domain import law
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

    def months(self) -> MonthGrid:
        """The plans' months: for each plan every month from its first day's to its last day's."""
        return MonthGrid.of(self)


@dataclass(frozen=True)
class MonthGrid:
    """A batch's months, plan after plan (`owner`, `month`: months since 1970), and how to value them.

    The amounts are computed by runs, not day by day: each piece is cut at the dates of its base's series into
    runs of one rate; a month a run covers whole is that rate's full month, rounded half-up; the months where
    the rate changes (or the contract starts or ends) sum each run's rate × days and are rounded once, as the
    engine rounds a month."""

    batch: PlanBatch
    owner: Ints
    month: Ints
    start: Ints  # index of each plan's first month, and one past the last
    first_month: Ints  # each plan's first month number

    @classmethod
    def of(cls, batch: PlanBatch) -> MonthGrid:
        count = batch.count
        m0 = np.zeros(count, dtype=np.int64)
        m1 = np.full(count, -1, dtype=np.int64)
        if len(batch.first):
            # pieces come plan by plan in date order: a plan's first piece starts it, its last piece ends it
            heads = np.flatnonzero(np.diff(batch.owner, prepend=-1))
            tails = np.flatnonzero(np.diff(batch.owner, append=-1))
            m0[batch.owner[heads]] = month_number(batch.first[heads])
            m1[batch.owner[tails]] = month_number(batch.last[tails])
        n = m1 - m0 + 1
        start = np.zeros(count + 1, dtype=np.int64)
        np.cumsum(n, out=start[1:])
        owner = np.repeat(np.arange(count, dtype=np.int64), n)
        month = m0[owner] + (np.arange(int(start[-1]), dtype=np.int64) - start[:-1][owner])
        return cls(batch, owner, month, start, m0)

    def offsets(self) -> Ints:
        """`offsets[i]:offsets[i+1]` are plan i's months."""
        return self.start

    def amounts(self, ref: WageReference) -> Ints:
        """Every month's amount in cents, plans one after another."""
        out = np.zeros(len(self.month), dtype=np.int64)
        if len(self.batch.first) == 0:
            return out
        owner, first, last, rate = _runs(self.batch, reference_series(ref))
        lo_day = int(first.min())
        month_of = month_number(np.arange(lo_day, int(last.max()) + 1, dtype=np.int64))
        base = int(month_of[0])
        firsts = month_first(np.arange(base, int(month_of[-1]) + 2, dtype=np.int64))
        m0, m1 = month_of[first - lo_day], month_of[last - lo_day]
        month_start0, month_end0 = firsts[m0 - base], firsts[m0 - base + 1] - 1
        month_start1, month_end1 = firsts[m1 - base], firsts[m1 - base + 1] - 1
        at0 = self.start[:-1][owner] + (m0 - self.first_month[owner])  # where the run's first month is
        single = m0 == m1
        head_whole = (first == month_start0) & (last >= month_end0)
        tail_whole = (last == month_end1) & (first <= month_start1)
        # Months a run covers whole: its full month (the engine's `_round_month(rate, 1)`).
        lead = np.where(head_whole, 0, 1)
        count = np.maximum((m1 - np.where(tail_whole, 0, 1)) - (m0 + lead) + 1, 0)
        run = np.repeat(np.arange(len(rate), dtype=np.int64), count)
        within = np.arange(int(count.sum()), dtype=np.int64) - (np.cumsum(count) - count)[run]
        out[(at0 + lead)[run] + within] = round_months(rate, np.ones(len(rate), dtype=np.int64))[run]
        # Months a run covers in part: Σ rate × days over the month's runs, rounded once.
        head = ~head_whole
        tail = ~tail_whole & ~single
        where = np.concatenate([at0[head], (at0 + (m1 - m0))[tail]])
        numerators = np.concatenate(
            [
                rate[head] * (np.minimum(last, month_end0) - first + 1)[head],
                rate[tail] * (last - month_start1 + 1)[tail],
            ]
        )
        if len(where):
            order = np.argsort(where, kind="stable")
            where, numerators = where[order], numerators[order]
            starts = np.flatnonzero(np.diff(where, prepend=-1))
            months = where[starts]
            dim = firsts[self.month[months] - base + 1] - firsts[self.month[months] - base]
            out[months] = round_months(np.add.reduceat(numerators, starts), dim)
        return out


def rates_on(b: PlanBatch, day: int, ref: WageReference) -> tuple[Ints, Ints]:
    """The pieces in force on `day` (at most one a plan) and each one's rate that day (cents × 10 000 for a
    whole month): `round_months(rate, 1)` is the month's amount at it, as the engine's `full_month`."""
    at = np.flatnonzero((b.first <= day) & (b.last >= day))
    one_day = np.full(len(at), day, dtype=np.int64)
    single = PlanBatch(b.count, b.owner[at], one_day, one_day, b.kind[at], b.coef[at], b.floor[at])
    _, _, _, rate = _runs(single, reference_series(ref))  # one run each: a day falls between two dates
    return at, rate


def _runs(b: PlanBatch, series: Mapping[str, DatedSeries]) -> tuple[Ints, Ints, Ints, Ints]:
    """The pieces cut at the dates of their base's series: (plan, first day, last day, rate) of each run, a
    rate being cents × 10 000 for a whole month."""
    n = np.ones(len(b.first), dtype=np.int64)
    j0 = np.zeros(len(b.first), dtype=np.int64)
    tables: dict[int, tuple[Ints, Ints]] = {}
    for k, name in SERIES_OF_KIND.items():
        at = np.flatnonzero(b.kind == k)
        if len(at) == 0:
            continue
        s = series[name]
        starts, values = np.asarray(s.starts, dtype=np.int64), np.asarray((0, *s.values), dtype=np.int64)
        # values[i] is in force on the days whose `searchsorted(starts, day, "right")` is i (0: none known yet)
        i0 = np.searchsorted(starts, b.first[at], side="right")
        j0[at], n[at] = i0, np.searchsorted(starts, b.last[at], side="right") - i0 + 1
        tables[k] = (starts, values)
    piece = np.repeat(np.arange(len(n), dtype=np.int64), n)
    j = j0[piece] + (np.arange(int(n.sum()), dtype=np.int64) - (np.cumsum(n) - n)[piece])
    first, last, kind, coef = b.first[piece], b.last[piece], b.kind[piece], b.coef[piece]
    rate = np.where(kind == KIND_FIXED, coef, 0)
    for k, (starts, values) in tables.items():
        at = np.flatnonzero(kind == k)
        jk = j[at]
        opened = starts[np.maximum(jk - 1, 0)]
        closed = starts[np.minimum(jk, len(starts) - 1)] - 1
        first[at] = np.where(jk > 0, np.maximum(first[at], opened), first[at])
        last[at] = np.where(jk < len(starts), np.minimum(last[at], closed), last[at])
        rate[at] = coef[at] * _base(k, b.floor[piece[at]], values[jk])
    kept = last >= first  # two values on one date (a correction): the earlier one is in force for no day
    return b.owner[piece][kept], first[kept], last[kept], rate[kept]


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
