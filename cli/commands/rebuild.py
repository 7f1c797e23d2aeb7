"""`ledger rebuild`: replay the whole log into the read models (wage view, clock index, funding view), with
a progress bar (rate and ETA) on stderr. The API keeps serving meanwhile: what it reads from the event store
(contracts, wages, funding) is unaffected; histories fill up again as the rebuild goes, and the contract list
answers 503 (`rebuild-incomplete`) until the wage view is whole. The webhook
outbox is never rebuilt: it holds what was sent. On PostgreSQL the work is shared by one worker process per
core (`--workers`); see `workers/rebuilding.py`."""

from __future__ import annotations

import argparse
import json
import sys
import time

from ledger.errors import ApplicationError
from ledger.settings import Settings
from workers.rebuilding import PROJECTIONS, default_workers, rebuild

BAR = 30


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("rebuild", help="rebuild the read models from the whole event log (progress on stderr)")
    p.add_argument("--batch", type=int, default=2000, help="events per transaction (default 2000)")
    p.add_argument("--workers", type=int, help="worker processes (default: one per core on PostgreSQL, one on SQLite)")
    p.add_argument("--only", action="append", choices=PROJECTIONS, help="rebuild this projection only (repeatable)")
    p.set_defaults(handler=handle)


def progress(done: int, total: int, started: float, unit: str = "events", per: str = "ev") -> str:
    elapsed = max(time.perf_counter() - started, 1e-9)
    rate = done / elapsed
    eta = (total - done) / rate if rate > 0 else 0.0
    filled = int(BAR * done / total) if total else BAR
    return (
        f"\r[{'#' * filled}{'.' * (BAR - filled)}] {100 * done / max(total, 1):5.1f} % "
        f"{done:,}/{total:,} {unit}  {rate:,.0f} {per}/s  ETA {eta:,.0f} s "
    )


def handle(args: argparse.Namespace) -> int:
    settings = Settings()
    started = time.perf_counter()

    def show(done: int, total: int) -> None:
        sys.stderr.write(progress(done, total, started))
        sys.stderr.flush()

    try:
        workers = args.workers if args.workers is not None else default_workers(settings)
        report = rebuild(settings, workers, args.batch, args.only or PROJECTIONS, show)
    except ApplicationError as e:
        sys.stderr.write("\n" + json.dumps({"error": e.as_problem()}) + "\n")
        return 1
    sys.stderr.write("\n")
    rate = report.events_per_second
    sys.stdout.write(
        json.dumps(
            {
                "events": report.events,
                "projections": len(report.projections),
                "workers": report.workers,
                "seconds": round(report.seconds, 2),
                "events_per_second": round(rate) if rate else None,
            }
        )
        + "\n"
    )
    return 0
