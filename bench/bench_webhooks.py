"""Webhooks under load: deliveries/s to a local receiver, and the lag from a recorded event to its delivery.

What it measures, per backend (a fresh SQLite file, a fresh PostgreSQL schema dropped afterwards), with a
receiver on 127.0.0.1 (http.server, threaded) and one employer subscription to every type:
  backlog  N contracts signed in bulk (N `contract.signed` events), then the dispatcher (default settings:
           8 workers) started: time until the receiver has all N, deliveries/s (outbox build included).
  lag      with the projections and the dispatcher running as in production (following the log every
           LEDGER_FOLLOW_INTERVAL), contracts signed one by one through the application at --rate/s for
           --seconds: lag = arrival at the receiver − the event's recorded time; p50/p95/p99.
           Requirement (issue 7): p95 < 2 s when the receiver is up.

  slow     (--slow-receiver S) two dispatchers, each on its own ledger (as two worker processes would be),
           against a receiver answering every request in S seconds: deliveries/s against the ideal
           (2 × LEDGER_DISPATCHER_CONCURRENCY in flight / S), and the duplicates (webhook-ids received more
           than once). Requirement (issue 32): 0 duplicates with 150 events and S = 4.

    .venv/bin/python -m bench.bench_webhooks [--events 10000] [--rate 20] [--seconds 30] [--backends sqlite,postgres]
    .venv/bin/python -m bench.bench_webhooks --slow-receiver 4 --events 150 --backends postgres
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import threading
import time
from datetime import date, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from bench.bench_clock import DEFAULT_POSTGRES_URL, backend, random_birth, save_events, terms_for
from domain.contract import Contract
from domain.terms import parse_terms
from domain.webhooks import Owner
from ledger.bootstrap import bootstrap
from ledger.settings import Settings
from workers.dispatcher import Dispatcher

SIRET_OF = "12345678900000"  # terms_for gives employer i the SIRET 12345678900000 + i; all subscribe as one


class Arrivals:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.times: dict[str, tuple[float, str]] = {}  # webhook-id → (arrival, recorded timestamp)
        self.sends: list[str] = []  # every webhook-id received, duplicates included

    def count(self) -> int:
        with self.lock:
            return len(self.times)


def receiver(delay: float = 0.0) -> tuple[ThreadingHTTPServer, str, Arrivals]:
    arrivals = Arrivals()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("content-length", 0)))
            now = time.time()
            time.sleep(delay)
            with arrivals.lock:
                arrivals.times.setdefault(self.headers["webhook-id"], (now, json.loads(body)["timestamp"]))
                arrivals.sends.append(self.headers["webhook-id"])
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/hook", arrivals


def signed(i: int, rng: random.Random) -> Contract:
    start = date(2025, 9, 1) + timedelta(days=rng.randrange(0, 60))
    t = terms_for(i, random_birth(rng, start, 16, 24), start, 24)
    t["employer"]["siret"] = SIRET_OF
    c = Contract.draft(parse_terms(t), f"hook-{i}", "CFA-BENCH")
    c.sign(start - timedelta(days=5))
    return c


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def run(name: str, settings: Settings, args: argparse.Namespace) -> None:
    settings = settings.model_copy(update={"webhooks_allow_private_targets": True})
    server, url, arrivals = receiver()
    ledger = bootstrap(settings)
    ledger.contracts.webhooks.subscribe(Owner("employer", SIRET_OF), url, ["*"], "bench")
    rng = random.Random(4)
    events: list[Any] = []
    for i in range(args.events):
        events += signed(i, rng).collect_events()
    save_events(ledger, events)
    dispatcher = Dispatcher(ledger, settings)
    t0 = time.perf_counter()
    while arrivals.count() < args.events:
        if not dispatcher.run_once(limit=1000) and time.perf_counter() - t0 > 600:
            break
    elapsed = time.perf_counter() - t0
    print(
        f"{name}: backlog of {args.events} events delivered in {elapsed:.1f} s "
        f"({arrivals.count() / elapsed:,.0f} deliveries/s)"
    )

    ledger.follow(settings.follow_interval)
    worker = threading.Thread(target=dispatcher.run_forever, args=(settings.follow_interval,), daemon=True)
    worker.start()
    before = set(arrivals.times)
    n = int(args.rate * args.seconds)
    start = time.perf_counter()
    for i in range(n):
        time.sleep(max(0.0, start + i / args.rate - time.perf_counter()))
        t = terms_for(10**6 + i, date(2007, 5, 5), date(2025, 9, 1), 24)
        t["employer"]["siret"] = SIRET_OF
        cid = ledger.contracts.draft_contract(t, f"live-{i}", "CFA-BENCH").contract_id
        ledger.contracts.sign(cid, date(2025, 8, 25))
    deadline = time.perf_counter() + 30
    while arrivals.count() < len(before) + n and time.perf_counter() < deadline:
        time.sleep(0.05)
    lags = [
        (arrived - datetime.fromisoformat(recorded).timestamp()) * 1000
        for key, (arrived, recorded) in arrivals.times.items()
        if key not in before
    ]
    print(
        f"  lag over {len(lags)}/{n} live events at {args.rate:g}/s: p50 {statistics.median(lags):.0f} ms, "
        f"p95 {pct(lags, 0.95):.0f} ms, p99 {pct(lags, 0.99):.0f} ms, max {max(lags):.0f} ms "
        f"(follow interval {settings.follow_interval} s)"
    )
    dispatcher.close()
    ledger.close()
    server.shutdown()


def run_slow(name: str, settings: Settings, args: argparse.Namespace) -> None:
    settings = settings.model_copy(update={"webhooks_allow_private_targets": True})
    server, url, arrivals = receiver(args.slow_receiver)
    ledgers = [bootstrap(settings), bootstrap(settings)]
    ledgers[0].contracts.webhooks.subscribe(Owner("employer", SIRET_OF), url, ["*"], "bench")
    rng = random.Random(4)
    events: list[Any] = []
    for i in range(args.events):
        events += signed(i, rng).collect_events()
    save_events(ledgers[0], events)
    ledgers[0].outbox_sync()
    dispatchers = [Dispatcher(ledger, settings) for ledger in ledgers]
    t0 = time.perf_counter()
    workers = [threading.Thread(target=d.run_forever, args=(0.1,), daemon=True) for d in dispatchers]
    for w in workers:
        w.start()
    while arrivals.count() < args.events and time.perf_counter() - t0 < 600:
        time.sleep(0.05)
    elapsed = time.perf_counter() - t0
    time.sleep(dispatchers[0].claim_seconds + 1)  # a claim expiring late would re-send now
    for d in dispatchers:
        d.close()
    with arrivals.lock:
        duplicates = len(arrivals.sends) - len(set(arrivals.sends))
    ideal = 2 * settings.dispatcher_concurrency / args.slow_receiver
    rate = arrivals.count() / elapsed
    print(
        f"{name}: {arrivals.count()}/{args.events} delivered by 2 dispatchers (concurrency "
        f"{settings.dispatcher_concurrency} each, claim {dispatchers[0].claim_seconds:g} s) to a receiver answering in "
        f"{args.slow_receiver:g} s: {elapsed:.1f} s, {rate:.2f} deliveries/s = {rate / ideal:.2f} of the ideal "
        f"{ideal:.2f}/s; duplicates: {duplicates}"
    )
    for ledger in ledgers:
        ledger.close()
    server.shutdown()


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--events", type=int, default=10_000)
    p.add_argument("--rate", type=float, default=20)
    p.add_argument("--seconds", type=float, default=30)
    p.add_argument("--backends", default="sqlite,postgres")
    p.add_argument("--postgres-url", default=DEFAULT_POSTGRES_URL)
    p.add_argument("--slow-receiver", type=float, default=0.0, help="seconds: run the two-dispatcher case only")
    args = p.parse_args()
    for name in args.backends.split(","):
        with backend(name, args.postgres_url, "bench_hooks") as settings:
            if settings is not None:
                (run_slow if args.slow_receiver else run)(name, settings, args)


if __name__ == "__main__":
    main()
