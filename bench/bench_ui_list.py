"""The CFA's list page with 1,000 contracts: every sort, the filters and the pages, timed per page, side by side
with the same query asked of the JSON API (`GET /contracts`, its peer) in the same run.

    .venv/bin/python -m bench.bench_ui_list [--contracts 1000] [--repeat 15] [--backends sqlite,postgres]

Setup: N running contracts of one CFA saved in bulk (`bench_api.seed`), `ledger serve` on 127.0.0.1, a page
session opened with the CFA's key. The last cases follow a SMIC revaluation (their rows are recomputed when
read). Each case is requested `--repeat` times after one warm-up request; the
figure is the median and the slowest of the page, the median of the JSON, and their ratio. Requirement:
under 200 ms per page.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from typing import Any

import httpx

from bench.bench_api import UNLIMITED, VENV_BIN, free_port, seed, start_server
from bench.bench_clock import DEFAULT_POSTGRES_URL, backend

REQUIREMENT_MS = 200.0
# (name, page's query, API's query): the same contracts in the same order, 50 a page.
CASES: list[tuple[str, dict[str, Any], dict[str, Any]]] = [
    ("first page", {}, {}),
    ("page 10", {"page": 10}, {"offset": 450}),
    ("last page", {"page": 20}, {"offset": 950}),
    ("search « n00 »", {"q": "n00"}, {"apprentice": "n00"}),
    ("status accepted", {"status": "accepted"}, {"status": "accepted"}),
    ("due within 30 days", {"due_within_days": 30}, {"due_within_days": 30}),
    ("employer by name", {"employer": "employeur"}, {}),
]
for key in ("apprentice", "employer", "training", "status", "start_date", "end_date", "next_due", "current_wage"):
    CASES.append((f"sort {key}", {"sort": key, "order": "asc"}, {"sort": key, "order": "asc"}))


# A SMIC revaluation leaves each running contract's months text marked with the older reference: the list
# recomputes what it shows (its 50 rows; every row for the sort by this month's minimum).
AFTER_REVALUATION: list[tuple[str, dict[str, Any], dict[str, Any]]] = [
    ("revalued: first page", {}, {}),
    ("revalued: sort current_wage", {"sort": "current_wage", "order": "asc"}, {"sort": "current_wage", "order": "asc"}),
]


def revalue(url: str) -> None:
    from datetime import date
    from decimal import Decimal

    from domain.reference_data import monthly_smic
    from ledger.bootstrap import bootstrap
    from ledger.settings import Settings

    ledger = bootstrap(Settings(database_url=url))
    try:
        hourly = Decimal("12.40")
        assert ledger.contracts.reference.record_smic_revaluation(
            date(2026, 11, 1), hourly, monthly_smic(hourly), "bench"
        )
        ledger.sync()
    finally:
        ledger.close()


def timed(client: httpx.Client, path: str, params: dict[str, Any], repeat: int, **kw: Any) -> list[float]:
    r = client.get(path, params=params, **kw)
    assert r.status_code == 200, (path, params, r.status_code, r.text[:200])
    samples = []
    for _ in range(repeat):
        t = time.perf_counter()
        r = client.get(path, params=params, **kw)
        samples.append((time.perf_counter() - t) * 1000)
        assert r.status_code == 200
    return samples


def run(name: str, url: str, n: int, repeat: int) -> list[dict[str, Any]]:
    _, token = seed_settings(url, n)
    port = free_port()
    env = {**os.environ, **UNLIMITED, "LEDGER_DATABASE_URL": url, "LEDGER_LOG_LEVEL": "WARNING"}
    server = start_server([str(VENV_BIN / "ledger"), "serve", "--port", str(port)], env, port)
    out = []
    try:
        base = f"http://127.0.0.1:{port}"
        with httpx.Client(base_url=base, timeout=30) as page, httpx.Client(base_url=base, timeout=30) as api:
            login = page.post("/ui/login", data={"key": token}, follow_redirects=False)
            assert login.status_code == 303, login.text
            for case, page_query, api_query in [*CASES, *AFTER_REVALUATION]:
                if case == AFTER_REVALUATION[0][0]:
                    revalue(url)
                html = timed(page, "/ui/contracts", page_query, repeat)
                json = timed(
                    api, "/contracts", {"limit": 50, **api_query}, repeat, headers={"Authorization": f"Bearer {token}"}
                )
                page_ms, json_ms = statistics.median(html), statistics.median(json)
                row: dict[str, Any] = {
                    "backend": name,
                    "case": case,
                    "page_ms": page_ms,
                    "page_max_ms": max(html),
                    "json_ms": json_ms,
                    "ratio": page_ms / json_ms,
                }
                out.append(row)
                print(
                    f"{name:<8} {case:<22} page {row['page_ms']:6.1f} ms (max {row['page_max_ms']:6.1f})"
                    f"  json {row['json_ms']:6.1f} ms  ratio {row['ratio']:4.2f}"
                    f"  {'PASS' if row['page_max_ms'] < REQUIREMENT_MS else 'MISS'}"
                )
    finally:
        server.terminate()
        server.wait(10)
    return out


def seed_settings(url: str, n: int) -> tuple[list[str], str]:
    from ledger.settings import Settings

    return seed(Settings(database_url=url), n)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--contracts", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--backends", default="sqlite,postgres")
    parser.add_argument("--postgres-url", default=DEFAULT_POSTGRES_URL)
    args = parser.parse_args()
    rows: list[dict[str, Any]] = []
    for name in args.backends.split(","):
        with backend(name, args.postgres_url, "bench_ui") as settings:
            if settings is not None:
                rows += run(name, settings.database_url, args.contracts, args.repeat)
    worst = max(rows, key=lambda r: r["page_max_ms"])
    print(
        f"slowest page: {worst['backend']} {worst['case']} {worst['page_max_ms']:.1f} ms; "
        f"median ratio page/json {statistics.median(r['ratio'] for r in rows):.2f}: "
        f"{'PASS' if worst['page_max_ms'] < REQUIREMENT_MS else 'MISS'} (< {REQUIREMENT_MS:.0f} ms)"
    )


if __name__ == "__main__":
    main()
