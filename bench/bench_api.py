"""The HTTP API under load: `ledger serve` (one worker) with N contracts stored, on SQLite and PostgreSQL.

What it measures, per backend (a fresh SQLite file, a fresh PostgreSQL schema dropped afterwards):
  setup    N running contracts (drafted, signed, filed, accepted) saved in bulk, a CFA key, the projections
           built; then `ledger serve` is started as its own process on 127.0.0.1 (JSON access log on).
  wages    GET /contracts/{id}/wages for random contracts, open loop at --rate req/s for --seconds;
  event    POST /contracts/{id}/events (an SmcChanged, with If-Match) at --rate req/s, each on a different
           contract (every command is a real write: load, rules, save, projections woken);
  max      the same two closed loop with --concurrency clients, for the highest req/s.
  baseline a bare FastAPI endpoint (`bench/bare_app.py`, uvicorn, one worker) under the same open and
           closed loops: the ratio says what the service itself costs.
Latency is measured from each request's *scheduled* send time (open loop), so a stalled server shows in
the percentiles instead of hiding (no coordinated omission). The load generator runs on the same 2 cores.

    .venv/bin/python -m bench.bench_api [--contracts 10000] [--rate 200] [--seconds 20]
                                        [--backends sqlite,postgres] [--postgres-url URL]
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable, Sequence
from datetime import date, timedelta
from pathlib import Path

import httpx

from bench.bench_clock import CFA, DEFAULT_POSTGRES_URL, backend, random_birth, running_contract, save_events, terms_for
from ledger.settings import Settings
from ledger.system import bootstrap_ledger

VENV_BIN = Path(sys.executable).parent


def seed(settings: Settings, n: int) -> tuple[list[str], str]:
    """N running contracts of one CFA, and that CFA's API key."""
    ledger = bootstrap_ledger(settings)
    try:
        rng = random.Random(5)
        ids: list[str] = []
        events: list[object] = []
        for i in range(n):
            start = date(2025, 9, 1) + timedelta(days=rng.randrange(0, 90))
            contract = running_contract(f"api-{i}", terms_for(i, random_birth(rng, start, 16, 25), start, 24))
            ids.append(str(contract.id))
            events += contract.collect_events()
        save_events(ledger, events)
        token = ledger.contracts.issue_api_key("cfa", CFA, "bench").token
        ledger.sync()
    finally:
        ledger.close()
    return ids, token


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


SERVER_LOG = Path(tempfile.gettempdir()) / "bench_api_server.log"


def start_server(command: list[str], env: dict[str, str], port: int) -> subprocess.Popen[bytes]:
    """The server's own output goes to SERVER_LOG (read it if a run fails)."""
    log = SERVER_LOG.open("ab")
    proc = subprocess.Popen(command, env=env, stdout=log, stderr=log)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                return proc
        except httpx.HTTPError:
            time.sleep(0.1)
    proc.kill()
    raise RuntimeError(f"server did not start: {command}")


Request = Callable[[httpx.AsyncClient, int], Awaitable[int]]


async def open_loop(base: str, request: Request, rate: float, seconds: float) -> tuple[list[float], int, float]:
    """Send request i at t0 + i/rate; latency from its scheduled time. (latencies ms, errors, achieved req/s)"""
    n = int(rate * seconds)
    latencies: list[float] = []
    errors = 0
    limits = httpx.Limits(max_connections=200, max_keepalive_connections=200)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=30) as client:
        t0 = time.perf_counter() + 0.2

        async def one(i: int) -> None:
            nonlocal errors
            scheduled = t0 + i / rate
            await asyncio.sleep(max(0.0, scheduled - time.perf_counter()))
            try:
                status = await request(client, i)
            except httpx.HTTPError:  # a connection dropped or timed out: counted, not fatal
                status = 599
            latencies.append((time.perf_counter() - scheduled) * 1000)
            if status >= 400:
                errors += 1

        await asyncio.gather(*(one(i) for i in range(n)))
        elapsed = time.perf_counter() - t0
    return latencies, errors, n / elapsed


async def closed_loop(base: str, request: Request, concurrency: int, seconds: float) -> tuple[float, int]:
    """`concurrency` clients back to back for `seconds`: (req/s, errors)."""
    done = errors = 0
    counter = iter(range(10**9))
    async with httpx.AsyncClient(base_url=base, timeout=30) as client:
        stop = time.perf_counter() + seconds

        async def worker() -> None:
            nonlocal done, errors
            while time.perf_counter() < stop:
                try:
                    failed = await request(client, next(counter)) >= 400
                except httpx.HTTPError:
                    failed = True
                if failed:
                    errors += 1
                done += 1

        t0 = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
    return done / (time.perf_counter() - t0), errors


def pct(samples: Sequence[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def report(name: str, latencies: list[float], errors: int, achieved: float) -> dict[str, float]:
    out = {
        "req_s": achieved,
        "p50": statistics.median(latencies),
        "p95": pct(latencies, 0.95),
        "p99": pct(latencies, 0.99),
        "errors": errors,
    }
    print(
        f"  {name:<22} {achieved:7.1f} req/s  p50 {out['p50']:6.2f} ms  p95 {out['p95']:6.2f} ms  "
        f"p99 {out['p99']:6.2f} ms  errors {errors}"
    )
    return out


def run_backend(name: str, settings: Settings, args: argparse.Namespace) -> None:
    t = time.perf_counter()
    ids, token = seed(settings, args.contracts)
    print(f"{name}: {args.contracts} contracts seeded in {time.perf_counter() - t:.1f} s")
    port = free_port()
    env = {**os.environ, "LEDGER_DATABASE_URL": settings.database_url, "LEDGER_LOG_LEVEL": "INFO"}
    server = start_server([str(VENV_BIN / "ledger"), "serve", "--port", str(port)], env, port)
    auth = {"Authorization": f"Bearer {token}"}
    rng = random.Random(9)
    writable = itertools.cycle(ids)  # the POSTs go round the contracts, each with its current version
    versions = dict.fromkeys(ids, 4)  # drafted, signed, filed, accepted

    async def get_wages(client: httpx.AsyncClient, i: int) -> int:
        r = await client.get(f"/contracts/{rng.choice(ids)}/wages", headers=auth)
        return r.status_code

    async def post_event(client: httpx.AsyncClient, i: int) -> int:
        cid = next(writable)
        body = {"type": "SmcChanged", "from": "2026-06-01", "monthly": f"{1900 + i % 500}.00"}
        r = await client.post(f"/contracts/{cid}/events", json=body, headers=auth | {"If-Match": f'"{versions[cid]}"'})
        if r.status_code == 200:
            versions[cid] = int(r.headers["ETag"].strip('"'))
        return r.status_code

    base = f"http://127.0.0.1:{port}"
    try:
        asyncio.run(open_loop(base, get_wages, 50, 2))  # warm up
        report(f"GET wages @{args.rate:g}/s", *asyncio.run(open_loop(base, get_wages, args.rate, args.seconds)))
        report(f"POST event @{args.rate:g}/s", *asyncio.run(open_loop(base, post_event, args.rate, args.seconds)))
        for label, request in (("GET wages", get_wages), ("POST event", post_event)):
            rate, errors = asyncio.run(closed_loop(base, request, args.concurrency, 10))
            print(f"  {label + ' max':<22} {rate:7.1f} req/s  ({args.concurrency} clients, errors {errors})")
    finally:
        server.terminate()
        server.wait(10)


def run_baseline(args: argparse.Namespace) -> None:
    port = free_port()
    command = [sys.executable, "-m", "uvicorn", "bench.bare_app:app", "--port", str(port), "--no-access-log"]
    server = start_server(command, dict(os.environ), port)

    async def ping(client: httpx.AsyncClient, i: int) -> int:
        return (await client.get("/healthz")).status_code

    base = f"http://127.0.0.1:{port}"
    try:
        asyncio.run(open_loop(base, ping, 50, 2))
        print("baseline: bare FastAPI endpoint")
        report(f"GET /healthz @{args.rate:g}/s", *asyncio.run(open_loop(base, ping, args.rate, args.seconds)))
        rate, _ = asyncio.run(closed_loop(base, ping, args.concurrency, 10))
        print(f"  {'GET /healthz max':<22} {rate:7.1f} req/s  ({args.concurrency} clients)")
    finally:
        server.terminate()
        server.wait(10)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--contracts", type=int, default=10_000)
    p.add_argument("--rate", type=float, default=200)
    p.add_argument("--seconds", type=float, default=20)
    p.add_argument("--concurrency", type=int, default=16)
    p.add_argument("--backends", default="sqlite,postgres")
    p.add_argument("--postgres-url", default=DEFAULT_POSTGRES_URL)
    args = p.parse_args()
    run_baseline(args)
    for name in args.backends.split(","):
        with backend(name, args.postgres_url, "bench_api") as settings:
            if settings is not None:
                run_backend(name, settings, args)


if __name__ == "__main__":
    main()
