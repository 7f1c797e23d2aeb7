"""A contract's rate plan: its months' segments with everything but the reference values (SMIC, Luxembourg
cote) in place, so that a reference change is re-evaluated over many contracts at once with array arithmetic.

The plan is derived from the engine's own schedule: each segment keeps its days, the days of its month and
a coefficient of a named base series. Evaluating a plan against a reference gives, to the cent, what the
engine gives (property-tested in tests/wage/test_rate_plan.py). Segments are cut at every date of the
series, so a change on any day of a month (the 1st or mid-month) is prorated like the engine does.

A contract whose rate may stop being a whole multiple of one base (the D6222-30 majoration capped at a
percentage of the SMIC while an SMC is recorded) has no plan: its months are recomputed by the engine.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from domain import legal_parameters as law
from domain.dates import days_in_month
from domain.terms import luxembourg_family
from domain.wage.engine import FULL, Schedule
from domain.wage.facts import WageFacts
from domain.wage.reference import DatedSeries, WageReference, to_cents

# What a segment's rate multiplies: a series named here, or nothing (a fixed amount).
KIND_FIXED, KIND_SMIC, KIND_COTE, KIND_SMIC_MAYOTTE = 0, 1, 2, 3
SERIES_OF_KIND = {KIND_SMIC: "smic", KIND_COTE: "lu_cote", KIND_SMIC_MAYOTTE: "smic_mayotte"}
SMIC_KINDS = (KIND_SMIC, KIND_SMIC_MAYOTTE)  # bases the SMC floor applies to (D6222-26)

Ints = npt.NDArray[np.int64]


def reference_series(ref: WageReference) -> dict[str, DatedSeries]:
    """The reference's series by the name a plan refers to them by."""
    return {"smic": ref.smic, "lu_cote": ref.lu_cotes, "smic_mayotte": ref.smic_mayotte}


@dataclass(frozen=True)
class RatePlan:
    """One contract's segments as parallel columns; `month` indexes `keys`."""

    keys: tuple[str, ...]
    month: Ints
    first: Ints  # ordinals
    last: Ints
    dim: Ints  # days in the segment's month
    kind: Ints
    coef: Ints  # hundredths of a point of the base (SMIC), cents of the allowance at 100 (cote), rate (fixed)
    floor: Ints  # the SMC in cents the SMIC base cannot fall below (0: none)


def plan_for(facts: WageFacts, schedule: Schedule) -> RatePlan | None:
    """The plan of a computed schedule, None when one of its rates is not linear in its base."""
    if facts.terms.previous_contract is not None and facts.smc:
        return None  # the capped D6222-30 majoration may switch between the SMC and the SMIC
    smc = DatedSeries.build((e.from_date, to_cents(e.monthly), "SMC") for e in facts.smc)
    smic_kind = KIND_SMIC_MAYOTTE if facts.terms.employer.territory == law.MAYOTTE else KIND_SMIC
    cols: list[list[int]] = [[] for _ in range(7)]
    keys: list[str] = []
    for i, mw in enumerate(schedule.months):
        keys.append(mw.key)
        y, m = mw.year, mw.month
        dim = days_in_month(y, m)
        for s in mw.segments:
            r = s.rate
            if r.base_kind == "DE_MINIMUM":
                kind, coef, floor = KIND_FIXED, r.rate, 0
            elif r.base_kind == "LU_ALLOWANCE":
                kind, coef, floor = KIND_COTE, to_cents(law.LU_BASES_AT_100[(_lu_family(facts), r.year)]), 0
            else:
                if r.rate != r.pct * r.base:
                    return None
                floor = smc.value_at(s.first) if r.bracket >= law.SMC_FROM_BRACKET else 0
                kind, coef = smic_kind, r.pct
            for col, v in zip(cols, (i, s.first, s.last, dim, kind, coef, floor), strict=True):
                col.append(v)
    arrays = [np.asarray(c, dtype=np.int64) for c in cols]
    return RatePlan(tuple(keys), *arrays)


def _lu_family(facts: WageFacts) -> str:
    cb = facts.terms.cross_border
    return (luxembourg_family(cb.formation) if cb is not None else None) or ""


def segment_rates_numerators(
    first: Ints, last: Ints, kind: Ints, coef: Ints, floor: Ints, series: Mapping[str, DatedSeries]
) -> Ints:
    """Σ rate × days of each segment (cents × 10 000 × days), every segment cut at the series' dates."""
    num = np.where(kind == KIND_FIXED, coef * (last - first + 1), 0).astype(np.int64)
    if len(first) == 0:
        return num
    lo, hi = int(first.min()), int(last.max())
    for k, name in SERIES_OF_KIND.items():
        mask = kind == k
        if not mask.any():
            continue
        s = series[name]
        starts = list(s.starts)
        i0 = max(s.index_at(lo), 0)
        i1 = s.index_at(hi)
        for j in range(i0, i1 + 1):
            a = starts[j]
            b = starts[j + 1] - 1 if j + 1 < len(starts) else hi
            days = np.minimum(last, b) - np.maximum(first, a) + 1
            days = np.where(mask & (days > 0), days, 0)
            value = s.values[j]
            base = np.maximum(floor, value) if k in SMIC_KINDS else np.int64(value)
            num += coef * base * days
    return num


def round_months(numerators: Ints, dim: Ints) -> Ints:
    """Half-up to the cent, as the engine rounds a month."""
    den = FULL * dim
    out: Ints = (2 * numerators + den) // (2 * den)
    return out


def evaluate(plan: RatePlan, ref: WageReference) -> dict[str, int]:
    """The plan's monthly amounts in cents under a reference."""
    return dict(zip(plan.keys, evaluate_many([plan], ref)[0], strict=True))


@dataclass(frozen=True)
class PlanBatch:
    """Many plans' segments as one set of columns: `months[i]:months[i+1]` are plan i's month amounts."""

    months: Ints  # offsets into the month amounts, one per plan and one past the end
    month_starts: Ints  # index of each month's first segment
    dim: Ints  # days in each month
    first: Ints
    last: Ints
    kind: Ints
    coef: Ints
    floor: Ints

    @classmethod
    def of(cls, plans: Sequence[RatePlan]) -> PlanBatch:
        months = np.zeros(len(plans) + 1, dtype=np.int64)
        np.cumsum([len(p.keys) for p in plans], out=months[1:])
        month = np.concatenate([p.month + o for p, o in zip(plans, months[:-1], strict=True)])
        seg_dim = np.concatenate([p.dim for p in plans])
        month_starts = np.flatnonzero(np.diff(month, prepend=-1))
        cols = {f: np.concatenate([getattr(p, f) for p in plans]) for f in ("first", "last", "kind", "coef", "floor")}
        return cls(months, month_starts, seg_dim[month_starts], **cols)

    def amounts(self, ref: WageReference) -> Ints:
        """Every month's amount in cents, plans one after another."""
        num = segment_rates_numerators(self.first, self.last, self.kind, self.coef, self.floor, reference_series(ref))
        return round_months(np.add.reduceat(num, self.month_starts), self.dim)


def evaluate_many(plans: Sequence[RatePlan], ref: WageReference) -> list[list[int]]:
    """Every plan's monthly amounts, in one array computation over all their segments."""
    if not plans:
        return []
    batch = PlanBatch.of(plans)
    flat = batch.amounts(ref).tolist()
    bounds = batch.months.tolist()
    return [flat[a:b] for a, b in zip(bounds, bounds[1:], strict=False)]
