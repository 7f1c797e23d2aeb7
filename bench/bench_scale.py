"""National scale on PostgreSQL (issue 8): one command, every figure, each phase in its own process.

    .venv/bin/python -m bench.bench_scale [--contracts 1000000] [--ingest 100000] [--postgres-url URL]

Phases (each a child process, so each reports its own peak memory, ru_maxrss):
  load     N running contracts (drafted, signed, filed, accepted, and the clock's events due so far), 1 %
           of them due on the tick day, saved through the application (its mapper seals personal data),
           500 contracts per transaction. The tick phase's first sync then builds the projections.
  rebuild  `ledger rebuild` (its workers, one per core) for each projection in turn, from zero: events/s.
  tick     the clock over N contracts: nothing due (median of 10), then 1 % due (N/100 contracts).
  revalue  a SMIC revaluation recorded: time until every contract's wage projection is updated.
  api      `ledger serve --workers W` (--api-workers, default 1) with N contracts stored: GET wages and POST
           an event at 200 req/s, p50/p95/p99, and the closed-loop maximum; the server's peak memory
           (VmHWM, summed over its processes, and the largest).
  ingest   on a fresh schema, K contracts through the application (draft, sign, file, decide: 4 commands,
           4 events) against the raw eventsourcing library saving the same 4 events per contract in
           4 transactions (get, command, save): contracts/s and the ratio.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import resource
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

import psycopg
from eventsourcing.domain import Aggregate, event
from psycopg import sql

from bench import load as http
from bench.bench_api import UNLIMITED, VENV_BIN, free_port, start_server
from bench.bench_clock import CFA, DEFAULT_POSTGRES_URL, TODAY, TODAY2, backend, generate, save_events, terms_for
from domain.reference_data import monthly_smic
from ledger.bootstrap import bootstrap
from ledger.clock import tick
from ledger.settings import PostgresStore, Settings, parse_database_url
from store.persistence import BaseApplication, eventsourcing_env
from workers.rebuilding import PROJECTIONS, rebuild

REBUILD_BATCH = 2_000  # `ledger rebuild`'s default
CHUNK = 10_000  # contracts generated and saved per round (the events of a round are kept in memory)


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def seeded() -> dict[str, Any]:
    """The sample of contract ids and the CFA key the load phase wrote down for the later phases."""
    with open(os.environ["BENCH_SCALE_IDS"]) as f:
        data: dict[str, Any] = json.load(f)
    return data


def emit(**figures: Any) -> None:
    print(json.dumps({**figures, "peak_mb": round(peak_mb())}), flush=True)


# -- phases (child processes) ------------------------------------------------------------------------------
def phase_load(settings: Settings, n: int) -> None:
    ledger = bootstrap(settings)
    try:
        t0, events, ids = time.perf_counter(), 0, []
        for k in range(0, n, CHUNK):
            batch, chunk_ids, _ = generate(min(CHUNK, n - k), seed=1000 + k)
            ledger.contracts.data_keys.prime([UUID(i) for i in chunk_ids])
            save_events(ledger, batch)
            events += len(batch)
            ids += chunk_ids[: 50 if k else 10_000]  # a sample for the API phase
        saved = time.perf_counter() - t0
        # What an operator does after a bulk import (README, Operations): this server runs without autovacuum.
        datastore: Any = getattr(ledger.contracts.recorder, "datastore")  # noqa: B009 (PostgreSQL's recorder)
        with datastore.transaction(commit=True) as cursor:
            schema = datastore.schema
            for table in ("contracts_events", "personal_data_keys"):
                cursor.execute(f'ANALYZE "{schema}".{table}')
        with open(os.environ["BENCH_SCALE_IDS"], "w") as f:
            json.dump({"ids": ids, "token": ledger.contracts.keys.issue("cfa", CFA, "bench").token}, f)
        emit(phase="load", contracts=n, events=events, seconds=round(saved, 1), events_s=round(events / saved))
    finally:
        ledger.close()


def phase_rebuild(settings: Settings, workers: int) -> None:
    """`ledger rebuild`'s own code, one projection at a time, so each has its own rate."""
    out: dict[str, Any] = {}
    for name in PROJECTIONS:
        report = rebuild(settings, workers, REBUILD_BATCH, only=[name])
        out[name] = {
            "events": report.events,
            "seconds": round(report.seconds, 1),
            "events_s": round(report.events / report.seconds),
        }
    emit(phase="rebuild", workers=workers, batch=REBUILD_BATCH, **out)


def phase_tick(settings: Settings) -> None:
    ledger = bootstrap(settings)
    try:
        t0 = time.perf_counter()
        built = ledger.sync()  # the projections' first build, if the rebuild phase did not run
        build_s = time.perf_counter() - t0
        tick(ledger, TODAY)  # warm-up
        samples = []
        for _ in range(10):
            t0 = time.perf_counter()
            report = tick(ledger, TODAY)
            samples.append(time.perf_counter() - t0)
            assert not report.recorded, "something was due on TODAY"
        t0 = time.perf_counter()
        due = tick(ledger, TODAY2)
        due_s = time.perf_counter() - t0
        samples.sort()
        emit(
            phase="tick",
            sync_before={"notifications": built, "seconds": round(build_s, 1)},
            nothing_due_median_ms=round(samples[len(samples) // 2] * 1000, 2),
            nothing_due_max_ms=round(samples[-1] * 1000, 2),
            due_contracts=due.contracts,
            due_events=len(due.recorded),
            due_seconds=round(due_s, 1),
        )
    finally:
        ledger.close()


def phase_revalue(settings: Settings) -> None:
    ledger = bootstrap(settings)
    try:
        ledger.sync()
        # The first month from November 2026 with no revaluation yet, so that the phase can be run again on
        # the same data (each run records one more revaluation, a cent higher).
        taken = {e["effective_date"] for e in ledger.contracts.reference.data().smic_entries}
        day = date(2026, 11, 1)
        while day in taken:
            day = date(day.year + day.month // 12, day.month % 12 + 1, 1)
        hourly = Decimal("12.40") + Decimal(sum(d >= date(2026, 11, 1) for d in taken)) / 100
        t0 = time.perf_counter()
        assert ledger.contracts.reference.record_smic_revaluation(day, hourly, monthly_smic(hourly), "bench")
        notes = ledger.wage_runner.catch_up()
        elapsed = time.perf_counter() - t0
        sample = ledger.wage_view.contract(seeded()["ids"][0])
        assert any(r[:2] == ("smic", day.isoformat()) for r in ledger.wage_view.reference_rows())
        assert sample is not None and sample.schedule is not None
        assert sample.effective_end < day.isoformat() or day.isoformat()[:7] in {m["month"] for m in sample.schedule}
        emit(phase="revalue", effective_date=day.isoformat(), seconds=round(elapsed, 1), notifications=notes)
    finally:
        ledger.close()


def server_peak_mb(pid: int) -> tuple[int, int]:
    """VmHWM of a server and of its worker processes: (the sum, the largest), in MB."""
    children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    peaks = []
    for p in [pid, *map(int, children)]:
        with open(f"/proc/{p}/status") as status:
            peaks.append(next(int(line.split()[1]) for line in status if line.startswith("VmHWM")))
    return round(sum(peaks) / 1024), round(max(peaks) / 1024)


def phase_api(settings: Settings, rate: float, seconds: float, workers: int) -> None:
    ids, auth = seeded()["ids"], {"Authorization": f"Bearer {seeded()['token']}"}
    port = free_port()
    env = {**os.environ, "LEDGER_DATABASE_URL": settings.database_url, "LEDGER_LOG_LEVEL": "WARNING", **UNLIMITED}
    command = [str(VENV_BIN / "ledger"), "serve", "--port", str(port), "--workers", str(workers)]
    server = start_server(command, env, port)
    rng = random.Random(3)
    versions: dict[str, int] = {}
    known: list[str] = []

    def get(i: int) -> http.Request:
        return http.Request("GET", f"/contracts/{rng.choice(ids)}/wages", auth)

    def warm(i: int) -> http.Request:
        return http.Request("GET", f"/contracts/{ids[i % len(ids)]}", auth)

    def post(i: int) -> http.Request:
        cid = known[i % len(known)]
        body = {"type": "SmcChanged", "from": "2026-06-01", "monthly": f"{1900 + i % 500}.00"}
        return http.Request("POST", f"/contracts/{cid}/events", auth | {"If-Match": f'"{versions[cid]}"'}, body)

    def seen_first(i: int, r: http.Response) -> None:
        if "etag" in r.headers:
            versions[ids[i % len(ids)]] = int(r.headers["etag"].strip('"'))

    def seen(i: int, r: http.Response) -> None:
        if "etag" in r.headers:
            versions[known[i % len(known)]] = int(r.headers["etag"].strip('"'))

    try:
        asyncio.run(http.closed_loop("127.0.0.1", port, warm, 8, len(ids) / 300, seen_first))
        known = list(versions)  # the contracts read during the warm-up, with their current version
        out = {}
        for label, make, on in (("get_wages", get, None), ("post_event", post, seen)):
            opened = asyncio.run(http.open_loop("127.0.0.1", port, make, rate, seconds, on)).summary()
            closed = asyncio.run(http.closed_loop("127.0.0.1", port, make, 16, 10, on)).summary()
            out[label] = {k: round(v, 2) for k, v in opened.items()} | {"max_req_s": round(closed["req_s"])}
        total, largest = server_peak_mb(server.pid)
        n = int(os.environ["BENCH_SCALE_N"])
        emit(phase="api", stored_contracts=n, api_workers=workers, server_peak_mb=total, largest_mb=largest, **out)
    finally:
        server.terminate()
        server.wait(10)


class RawContract(Aggregate):
    """The raw library's baseline: the same four events, no rules, no checks."""

    @event("Drafted")
    def __init__(self, terms: dict[str, Any]) -> None:
        self.terms = terms

    @event("Signed")
    def sign(self, on: date) -> None:
        self.signed = on

    @event("Filed")
    def file(self, on: date, authority: str) -> None:
        self.filed = on

    @event("FilingDecided")
    def decide(self, on: date, accepted: bool) -> None:
        self.accepted = accepted


def phase_ingest(settings: Settings, k: int) -> None:
    rng = random.Random(7)
    starts = [date(2026, 9, 1) + timedelta(days=rng.randrange(60)) for _ in range(k)]
    births = [date(2003, 1, 1) + timedelta(days=rng.randrange(2500)) for _ in range(k)]  # 16 to 23 at the start
    all_terms = [terms_for(i, births[i], s, 24) for i, s in enumerate(starts)]
    ledger = bootstrap(settings)
    app = ledger.contracts
    t0 = time.perf_counter()
    for i, t in enumerate(all_terms):
        cid = app.draft_contract(t, f"ingest-{i}", CFA).contract_id
        s = starts[i]
        app.sign(cid, s - timedelta(days=7))
        app.file(cid, s + timedelta(days=1), "OPCO")
        app.decide_filing(cid, s + timedelta(days=8), True)
    ours = k / (time.perf_counter() - t0)
    ledger.close()
    env = {k_: v for k_, v in eventsourcing_env(settings).items() if not k_.startswith("AGGREGATE_CACHE")}
    raw = BaseApplication(env={**env, "APPLICATION_RECORDER_TOPIC": ""})  # the library + date transcoding
    t0 = time.perf_counter()
    for i, t in enumerate(all_terms):
        c = RawContract(t)
        raw.save(c)
        s = starts[i]
        got: Any = raw.repository.get(c.id)
        got.sign(s - timedelta(days=7))
        raw.save(got)
        got = raw.repository.get(c.id)
        got.file(s + timedelta(days=1), "OPCO")
        raw.save(got)
        got = raw.repository.get(c.id)
        got.decide(s + timedelta(days=8), True)
        raw.save(got)
    theirs = k / (time.perf_counter() - t0)
    raw.close()
    emit(
        phase="ingest",
        contracts=k,
        ours_contracts_s=round(ours, 1),
        raw_contracts_s=round(theirs, 1),
        ratio=round(ours / theirs, 2),
    )


@contextmanager
def kept_schema(postgres_url: str, schema: str) -> Iterator[Settings]:
    store = parse_database_url(postgres_url)
    assert isinstance(store, PostgresStore)
    with psycopg.connect(
        **store.connection_args(),
    ) as conn:
        conn.execute(sql.SQL("CREATE SCHEMA IF NOT EXISTS {}").format(sql.Identifier(schema)))
    yield Settings(database_url=f"{postgres_url}?schema={schema}")


# -- driver --------------------------------------------------------------------------------------------------
def child(phase: str, settings: Settings, *args: str) -> dict[str, Any]:
    command = [sys.executable, "-m", "bench.bench_scale", "--phase", phase, "--url", settings.database_url, *args]
    done = subprocess.run(command, capture_output=True, text=True, env=os.environ.copy())
    if done.returncode != 0:
        raise RuntimeError(f"phase {phase} failed:\n{done.stderr[-3000:]}")
    figures: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    print(json.dumps(figures), flush=True)
    return figures


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--contracts", type=int, default=1_000_000)
    p.add_argument("--ingest", type=int, default=100_000)
    p.add_argument("--rate", type=float, default=200)
    p.add_argument("--seconds", type=float, default=20)
    p.add_argument("--workers", type=int, default=os.cpu_count() or 1, help="rebuild workers (default: one per core)")
    p.add_argument("--api-workers", type=int, default=1, help="`ledger serve --workers` in the api phase")
    p.add_argument("--postgres-url", default=DEFAULT_POSTGRES_URL)
    p.add_argument("--phases", default="load,rebuild,tick,revalue,api,ingest")
    p.add_argument(
        "--schema", help="keep the data in this PostgreSQL schema (created if absent, kept afterwards) to rerun phases"
    )
    p.add_argument("--phase", help=argparse.SUPPRESS)
    p.add_argument("--url", help=argparse.SUPPRESS)
    args = p.parse_args()
    if args.phase:  # a child process
        settings = Settings(database_url=args.url)
        {
            "load": lambda: phase_load(settings, args.contracts),
            "rebuild": lambda: phase_rebuild(settings, args.workers),
            "tick": lambda: phase_tick(settings),
            "revalue": lambda: phase_revalue(settings),
            "api": lambda: phase_api(settings, args.rate, args.seconds, args.api_workers),
            "ingest": lambda: phase_ingest(settings, args.ingest),
        }[args.phase]()
        return
    phases = args.phases.split(",")
    os.environ["BENCH_SCALE_IDS"] = f"/tmp/bench_scale_{args.schema or uuid4().hex[:8]}.json"
    os.environ["BENCH_SCALE_N"] = str(args.contracts)
    sizes = [
        "--contracts",
        str(args.contracts),
        "--ingest",
        str(args.ingest),
        "--rate",
        str(args.rate),
        "--seconds",
        str(args.seconds),
        "--workers",
        str(args.workers),
        "--api-workers",
        str(args.api_workers),
    ]
    with (
        kept_schema(args.postgres_url, args.schema)
        if args.schema
        else backend("postgres", args.postgres_url, "bench_scale") as store
    ):
        assert store is not None, "PostgreSQL is required"
        for phase in [ph for ph in phases if ph != "ingest"]:
            child(phase, store, *sizes)
    if "ingest" in phases:
        with backend("postgres", args.postgres_url, "bench_ingest") as fresh:
            assert fresh is not None
            child("ingest", fresh, *sizes)


if __name__ == "__main__":
    main()
