"""A SMIC revaluation's amounts over N running contracts: the engine recomputing every schedule, against the
rate plans evaluated in one numpy computation, side by side in one process, both checked equal to the cent.

    .venv/bin/python -m bench.bench_plan [N]

Compute only (no database): the plans are derived beforehand, as the wage view would keep them.
"""

from __future__ import annotations

import gc
import sys
import time
from datetime import date
from decimal import Decimal

from bench.cases import cases
from domain import law
from domain.errors import DomainError
from domain.terms import parse_terms
from domain.wage.engine import compute_schedule
from domain.wage.facts import WageFacts, wage_facts
from domain.wage.plan import PlanBatch, RatePlan, plan_for
from domain.wage.reference import WageReference


def main(n: int = 100_000) -> None:
    before = WageReference.seed()
    monthly = Decimal(before.smic.values[-1] + 3000) / 100
    on = date.fromordinal(before.smic.starts[-1]).replace(year=date.fromordinal(before.smic.starts[-1]).year + 1)
    after = WageReference.from_series(
        [*law.SMIC_SEED, law.SmicRevaluation(on, monthly / Decimal("151.67"), monthly, "bench")], law.LU_COTE_SEED
    )
    facts: list[WageFacts] = []
    for c in cases(n):
        try:
            f = wage_facts(parse_terms(c["terms"]), c.get("events") or [])
            compute_schedule(f, before)
        except DomainError:
            continue
        facts.append(f)
    planned: list[RatePlan] = []
    planned_facts: list[WageFacts] = []
    for f in facts:
        p = plan_for(f, compute_schedule(f, before))
        if p is not None:
            planned.append(p)
            planned_facts.append(f)
    batch = PlanBatch.of(planned)  # the plans as the view holds them: pieces, one set of columns
    gc.freeze()
    t0 = time.perf_counter()
    by_engine = [a for f in planned_facts for a in compute_schedule(f, after).amounts().values()]
    t1 = time.perf_counter()
    cells = batch.months()  # cut at every month, then at every date of the series
    by_plan = cells.amounts(after)
    t2 = time.perf_counter()
    assert by_plan.tolist() == by_engine, "the plans differ from the engine"
    months = len(cells.month)
    print(
        f"{len(planned)} contracts with a plan of {len(facts)} ({months} months), SMIC change on {on}: "
        f"engine {t1 - t0:.2f} s, plans {t2 - t1:.2f} s, ratio {(t1 - t0) / (t2 - t1):.1f}x"
    )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000)
