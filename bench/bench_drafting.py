"""Drafting throughput through the Contracts application (parse + rules + idempotency lookup + save).

One client thread, one contract per call, as the HTTP API would do it; on a fresh SQLite file and on a
fresh PostgreSQL schema (dropped afterwards).
    .venv/bin/python -m bench.bench_drafting [N] [--backends sqlite,postgres] [--postgres-url URL]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
import uuid
from pathlib import Path

import psycopg
from psycopg import sql

from domain.examples import example_terms
from ledger.bootstrap import bootstrap
from ledger.settings import PostgresStore, Settings, parse_database_url

DEFAULT_POSTGRES_URL = "postgresql://root@127.0.0.1:5432/test"


def sample_terms(i: int) -> dict[str, object]:
    return example_terms(
        apprentice={"last_name": f"Martin-{i}"},
        employer={"name": f"Boulangerie {i}", "siret": f"{12345678900000 + i:014d}"},
    )


def run(label: str, settings: Settings, n: int) -> None:
    ledger = bootstrap(settings)
    app = ledger.contracts
    try:
        run_id = uuid.uuid4().hex[:8]
        latencies = []
        t0 = time.perf_counter()
        for i in range(n):
            t = time.perf_counter()
            app.draft_contract(sample_terms(i), f"bench-{run_id}-{i}", "CFA-BENCH")
            latencies.append(time.perf_counter() - t)
        elapsed = time.perf_counter() - t0
        t = time.perf_counter()
        app.draft_contract(sample_terms(0), f"bench-{run_id}-0", "CFA-BENCH")  # an idempotent retry
        retry_ms = (time.perf_counter() - t) * 1000
    finally:
        ledger.close()
    q = statistics.quantiles(latencies, n=100)
    print(
        f"{label:<10} {n} contracts in {elapsed:.2f} s: {n / elapsed:,.0f} contracts/s; "
        f"p50 {q[49] * 1000:.2f} ms, p95 {q[94] * 1000:.2f} ms, p99 {q[98] * 1000:.2f} ms; "
        f"idempotent retry {retry_ms:.2f} ms"
    )


def bench_sqlite(n: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        run("sqlite", Settings(database_url=f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"), n)


def bench_postgres(n: int, url: str) -> None:
    store = parse_database_url(url)
    assert isinstance(store, PostgresStore)
    schema = f"bench_{uuid.uuid4().hex[:12]}"
    connect = dict(
        **store.connection_args(),
        autocommit=True,
    )
    try:
        with psycopg.connect(**connect) as conn:  # type: ignore[arg-type]
            conn.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(schema)))
    except psycopg.Error as e:
        print(f"postgres   skipped: {str(e).strip().splitlines()[0]}")
        return
    try:
        run("postgres", Settings(database_url=f"{url}?schema={schema}"), n)
    finally:
        with psycopg.connect(**connect) as conn:  # type: ignore[arg-type]
            conn.execute(sql.SQL("DROP SCHEMA {} CASCADE").format(sql.Identifier(schema)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("n", type=int, nargs="?", default=2000)
    parser.add_argument("--backends", default="sqlite,postgres")
    parser.add_argument("--postgres-url", default=DEFAULT_POSTGRES_URL)
    args = parser.parse_args()
    backends = args.backends.split(",")
    if "sqlite" in backends:
        bench_sqlite(args.n)
    if "postgres" in backends:
        bench_postgres(args.n, args.postgres_url)


if __name__ == "__main__":
    main()
