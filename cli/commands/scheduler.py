"""`ledger scheduler`: the long-lived clock process (catch-up at start, then daily after midnight, Paris).

Run one next to the API (`ledger serve`); running two is harmless (each event is recorded once) but
wasteful. Projections are followed in the background so the clock index stays current between ticks.
"""

from __future__ import annotations

import argparse
import logging

from ledger.bootstrap import bootstrap
from scheduler.clock_job import clock_job
from scheduler.wakeup import run_forever

log = logging.getLogger("ledger.scheduler")


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("scheduler", help="run the clock process: a catch-up tick now, then one daily at 00:05 Paris")
    p.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    ledger = bootstrap()
    ledger.follow()

    try:
        run_forever(clock_job(ledger, log))
    except (KeyboardInterrupt, SystemExit):
        pass
    finally:
        ledger.close()
    return 0
