"""`ledger rebuild`: replay the whole log into the read models (wage view, clock index, funding view), with
a progress bar (rate and ETA) on stderr. The API keeps serving meanwhile: what it reads from the event store
(contracts, wages, funding) is unaffected; lists and histories fill up again as the rebuild goes. The webhook
outbox is never rebuilt: it holds what was sent."""

from __future__ import annotations

import argparse
import json
import sys
import time

from ledger.settings import Settings
from ledger.system import bootstrap_ledger

BAR = 30


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("rebuild", help="rebuild the read models from the whole event log (progress on stderr)")
    p.add_argument("--batch", type=int, default=2000, help="events per transaction (default 2000)")
    p.set_defaults(handler=handle)


def progress(done: int, total: int, started: float) -> str:
    elapsed = max(time.perf_counter() - started, 1e-9)
    rate = done / elapsed
    eta = (total - done) / rate if rate > 0 else 0.0
    filled = int(BAR * done / total) if total else BAR
    return (
        f"\r[{'#' * filled}{'.' * (BAR - filled)}] {100 * done / max(total, 1):5.1f} % "
        f"{done:,}/{total:,} events  {rate:,.0f} ev/s  ETA {eta:,.0f} s "
    )


def handle(args: argparse.Namespace) -> int:
    ledger = bootstrap_ledger(Settings())
    try:
        total_events = ledger.contracts.recorder.max_notification_id() or 0
        ledger.rebuild()
        started = time.perf_counter()
        total = total_events * len(ledger.runners)

        def done() -> int:  # every projection's own position: the bar is right whatever order they run in
            return sum(min(r.projection.position() or 0, total_events) for r in ledger.runners)

        for runner in ledger.runners:
            runner.batch_size = args.batch
            while runner.catch_up(limit=args.batch * 5):
                sys.stderr.write(progress(done(), total, started))
                sys.stderr.flush()
        sys.stderr.write(progress(total, total, started) + "\n")
        elapsed = time.perf_counter() - started
        sys.stdout.write(
            json.dumps(
                {
                    "events": total_events,
                    "projections": len(ledger.runners),
                    "seconds": round(elapsed, 2),
                    "events_per_second": round(total / elapsed) if elapsed else None,
                }
            )
            + "\n"
        )
    finally:
        ledger.close()
    return 0
