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
the percentiles instead of hiding (no coordinated omission). The load generator (`bench/load.py`, raw
asyncio streams: a tenth of a client library's CPU) runs on the same 2 cores. Before measuring, every
contract is read once (steady state: the server's caches are warm, as they are after minutes of traffic).

    .venv/bin/python -m bench.bench_api [--contracts 10000] [--rate 200] [--seconds 20]
                                        [--backends sqlite,postgres] [--postgres-url URL]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import socket
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

import httpx

from bench.bench_clock import CFA, DEFAULT_POSTGRES_URL, backend, random_birth, running_contract, save_events, terms_for
from bench.load import MakeRequest, OnResponse, Request, Response, Result, closed_loop, open_loop
from ledger.bootstrap import bootstrap
from ledger.settings import Settings

# The load comes from one key and one address: the server's rate limits would answer 429 to most of it.
UNLIMITED = {"LEDGER_API_RATE_LIMIT_PER_KEY": "0", "LEDGER_API_RATE_LIMIT_PER_IP": "0"}

VENV_BIN = Path(sys.executable).parent


def seed(settings: Settings, n: int) -> tuple[list[str], str]:
    """N running contracts of one CFA, and that CFA's API key."""
    ledger = bootstrap(settings)
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
        token = ledger.contracts.keys.issue("cfa", CFA, "bench").token
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


def show(name: str, result: Result) -> dict[str, float]:
    out = result.summary()
    print(
        f"  {name:<24} {out['req_s']:7.1f} req/s  p50 {out['p50']:6.2f} ms  p95 {out['p95']:6.2f} ms  "
        f"p99 {out['p99']:6.2f} ms  errors {out['errors']:.0f}"
    )
    return out


def measure(port: int, label: str, make: MakeRequest, args: argparse.Namespace, on: OnResponse | None = None) -> None:
    """Open loop at --rate, then closed loop with --concurrency clients (the highest req/s)."""
    show(f"{label} @{args.rate:g}/s", asyncio.run(open_loop(HOST, port, make, args.rate, args.seconds, on)))
    show(f"{label} max ({args.concurrency} cl.)", asyncio.run(closed_loop(HOST, port, make, args.concurrency, 10, on)))


HOST = "127.0.0.1"


def run_backend(name: str, settings: Settings, args: argparse.Namespace) -> None:
    t = time.perf_counter()
    ids, token = seed(settings, args.contracts)
    print(f"{name}: {args.contracts} contracts seeded in {time.perf_counter() - t:.1f} s")
    port = free_port()
    env = {**os.environ, "LEDGER_DATABASE_URL": settings.database_url, "LEDGER_LOG_LEVEL": "INFO", **UNLIMITED}
    server = start_server([str(VENV_BIN / "ledger"), "serve", "--port", str(port)], env, port)
    auth = {"Authorization": f"Bearer {token}"}
    rng = random.Random(9)
    versions = dict.fromkeys(ids, 4)  # drafted, signed, filed, accepted

    def get_wages(i: int) -> Request:
        return Request("GET", f"/contracts/{rng.choice(ids)}/wages", auth)

    def warm(i: int) -> Request:
        return Request("GET", f"/contracts/{ids[i % len(ids)]}/wages", auth)

    def post_event(i: int) -> Request:  # the POSTs go round the contracts, each with its current version
        cid = ids[i % len(ids)]
        body = {"type": "SmcChanged", "from": "2026-06-01", "monthly": f"{1900 + i % 500}.00"}
        return Request("POST", f"/contracts/{cid}/events", auth | {"If-Match": f'"{versions[cid]}"'}, body)

    def posted(i: int, response: Response) -> None:
        if response.status == 200:
            versions[ids[i % len(ids)]] = int(response.headers["etag"].strip('"'))

    try:
        t = time.perf_counter()
        asyncio.run(closed_loop(HOST, port, warm, 8, args.contracts / 500))  # steady state: caches warm
        print(f"  (warm-up: every contract read once, {time.perf_counter() - t:.0f} s)")
        measure(port, "GET wages", get_wages, args)
        measure(port, "POST event", post_event, args, posted)
    finally:
        server.terminate()
        server.wait(10)


def run_baseline(args: argparse.Namespace) -> None:
    port = free_port()
    command = [sys.executable, "-m", "uvicorn", "bench.bare_app:app", "--port", str(port), "--no-access-log"]
    server = start_server(command, dict(os.environ), port)
    try:
        asyncio.run(open_loop(HOST, port, lambda i: Request("GET", "/healthz", {}), 50, 2))
        print("baseline: bare FastAPI endpoint")
        measure(port, "GET /healthz", lambda i: Request("GET", "/healthz", {}), args)
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
