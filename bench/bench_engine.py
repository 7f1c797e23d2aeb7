"""Full schedules of N realistic contracts through the pure engine in one process (issue 3: ≤ 10 s for 100k).

Parsing/validation of the terms is timed apart from the schedule computation itself.
    .venv/bin/python -m bench.bench_engine [N]
"""

from __future__ import annotations

import gc
import resource
import sys
import time

from bench.cases import cases
from domain.terms import check_terms, parse_terms
from domain.wage.engine import compute_schedule
from domain.wage.facts import wage_facts
from domain.wage.reference import WageReference


def main(n: int = 100_000) -> None:
    data = cases(n)
    ref = WageReference.seed()
    gc.freeze()  # batch tuning, as `ledger schedule` does: long-lived inputs are not rescanned
    gc.set_threshold(50_000, 20, 100)
    t0 = time.perf_counter()
    facts = []
    for c in data:
        terms = parse_terms(c["terms"])
        check_terms(terms)
        facts.append(wage_facts(terms, c["events"]))
    t1 = time.perf_counter()
    months = 0
    for f in facts:
        months += len(compute_schedule(f, ref).months)
    t2 = time.perf_counter()
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"contracts={n} months={months}")
    print(
        f"parse+validate: {t1 - t0:.2f} s; schedules: {t2 - t1:.2f} s; total: {t2 - t0:.2f} s "
        f"({n / (t2 - t0):,.0f} contracts/s, {months / (t2 - t1):,.0f} months/s)"
    )
    print(
        f"engine only: {(t2 - t1) / n * 1e6:.1f} µs per contract; process peak RSS {peak_mb:.0f} MB (inputs included)"
    )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000)
