"""Funding at scale: the engine over N contracts, and the CFA-level forecast over the funding view.

What it measures, per backend (a fresh SQLite file, a fresh PostgreSQL schema dropped afterwards):
  engine    N realistic contracts (levels 3-7, 1-3 years, one in ten broken, one in twenty cross-border in
            Germany, a third without an NPEC so on the forfait) through `compute_funding` + `funding_json`,
            in one process: contracts/s.
  load      the states written into the real funding view (`FundingViewQueries.save`, 1,000 per transaction).
  forecast  `funding_view.forecast` over 24 months: for every CFA together (N contracts) and for one CFA
            (N / 100 contracts), repeated; median and worst, ms. Requirement (issue 6): < 5 s at 100,000.

    .venv/bin/python -m bench.bench_funding [--contracts 100000] [--backends sqlite,postgres] [--postgres-url URL]
"""

from __future__ import annotations

import argparse
import random
import resource
import statistics
import time
from datetime import date, timedelta
from decimal import Decimal
from typing import Any, cast

from bench.bench_clock import DEFAULT_POSTGRES_URL, backend, random_birth, terms_for
from domain.dates import add_months
from domain.funding.engine import compute_funding, funding_facts
from domain.funding.reference import FundingTables, Npec
from domain.funding.report import funding_json
from domain.terms import parse_terms
from ledger.settings import Settings
from projections.funding.view import FundingRow, FundingViewQueries, PostgresFundingView, SQLiteFundingView
from projections.views import build_view, view_env
from store.persistence import eventsourcing_env

CFAS = 100
CERTIFICATIONS = [f"{30000000 + i}" for i in range(300)]


def tables() -> FundingTables:
    rng = random.Random(3)
    npecs = [
        Npec(c, "0843", Decimal(rng.randrange(5000, 12000)), date(2024, 1, 1), "bench", None)
        for c in CERTIFICATIONS[:200]  # a third of the certifications have no NPEC: the forfait applies
    ]
    return FundingTables.seed().with_npecs(*npecs)


def case(i: int, rng: random.Random) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    start = date(2025, 7, 1) + timedelta(days=rng.randrange(0, 365))
    months = rng.choice((12, 24, 24, 36))
    t = terms_for(i, random_birth(rng, start, 16, 24), start, months, level=rng.choice((3, 4, 5, 6, 7)))
    t["training"]["diploma_code"] = rng.choice(CERTIFICATIONS)
    if i % 20 == 0:
        t["cross_border"] = {"country": "DE", "practical_part_abroad": True, "formation": "BTS"}
        t["employer"].update(siret=None, idcc=None, country="DE")
    events: list[dict[str, Any]] = [{"type": "Signed", "on": (start - timedelta(days=10)).isoformat()}]
    if i % 10 == 0:
        on = add_months(start, rng.randrange(1, months - 1))
        events.append({"type": "Terminated", "on": on.isoformat(), "reason": "rupture"})
    return t, events


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--contracts", type=int, default=100_000)
    p.add_argument("--backends", default="sqlite,postgres")
    p.add_argument("--postgres-url", default=DEFAULT_POSTGRES_URL)
    p.add_argument("--repeat", type=int, default=10)
    args = p.parse_args()
    rng = random.Random(17)
    cases = [case(i, rng) for i in range(args.contracts)]
    ref = tables()
    t0 = time.perf_counter()
    rows = []
    for i, (t, events) in enumerate(cases):
        state = funding_json(compute_funding(funding_facts(parse_terms(t), events), ref))
        rows.append(
            FundingRow(f"c{i:07d}", f"CFA-{i % CFAS:03d}", t["training"]["diploma_code"], "accepted", t, events, state)
        )
    engine_s = time.perf_counter() - t0
    lines = sum(len(r.lines()) for r in rows)
    print(
        f"engine: {args.contracts} contracts in {engine_s:.2f} s ({args.contracts / engine_s:,.0f} contracts/s), "
        f"{lines:,} payment lines; peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB"
    )
    for name in args.backends.split(","):
        with backend(name, args.postgres_url, "bench_funding") as settings:
            if settings is None:
                continue
            view = cast(
                FundingViewQueries,
                build_view(
                    view_env(eventsourcing_env(cast(Settings, settings))), SQLiteFundingView, PostgresFundingView
                ),
            )
            t0 = time.perf_counter()
            for i in range(0, len(rows), 1000):
                with view.write(None) as cursor:
                    view.save(cursor, rows[i : i + 1000], [], "bench")
            load_s = time.perf_counter() - t0
            print(f"{name}: loaded in {load_s:.1f} s ({args.contracts / load_s:,.0f} contracts/s)")
            for label, cfa in (("all CFAs", None), ("one CFA", "CFA-007")):
                samples = []
                for _ in range(args.repeat):
                    t0 = time.perf_counter()
                    result = view.forecast(cfa, "2025-07", "2027-06")
                    samples.append((time.perf_counter() - t0) * 1000)
                total = sum(cents for _, _, cents, _ in result) / 100
                print(
                    f"  forecast {label:<9} 24 months: median {statistics.median(samples):8.1f} ms, "
                    f"worst {max(samples):8.1f} ms ({len(result)} rows, {total:,.2f} EUR)"
                )
            view.datastore.close()


if __name__ == "__main__":
    main()
