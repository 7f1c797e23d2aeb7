"""`ledger worker`: the background process next to the API: every projection following the log (NOTIFY on
PostgreSQL), the clock (catch-up at start, then daily), and the webhook dispatcher. Each part is also its own
command (`ledger scheduler`, `ledger dispatcher`) for deployments that split them."""

from __future__ import annotations

import argparse
import logging

from apscheduler.schedulers.background import BackgroundScheduler

from ledger.bootstrap import bootstrap
from ledger.settings import Settings
from scheduler.clock_job import clock_job
from scheduler.wakeup import TIMEZONE, schedule_clock
from workers.dispatcher import Dispatcher
from workers.rebuilding import resume_interrupted

log = logging.getLogger("ledger.worker")


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("worker", help="projections + clock + webhook dispatcher in one long-lived process")
    p.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    from api.middleware import configure_logging

    settings = Settings()
    configure_logging(settings.log_level)
    ledger = bootstrap(settings)
    incomplete = ledger.incomplete_rebuilds()
    if incomplete:  # a `ledger rebuild` was killed: start it over before following (PostgreSQL)
        log.warning("incomplete rebuild of %s: rebuilding", ", ".join(incomplete))
        done = resume_interrupted(settings, incomplete)
        log.warning(
            "rebuild %s", "done" if done else "not restarted (running elsewhere, or SQLite: run ledger rebuild)"
        )
    ledger.follow(settings.follow_interval)
    dispatcher = Dispatcher(ledger, settings)
    scheduler = BackgroundScheduler(timezone=TIMEZONE)

    schedule_clock(scheduler, clock_job(ledger, log))
    scheduler.start()
    try:
        dispatcher.run_forever(interval=settings.follow_interval)
    except KeyboardInterrupt:
        pass
    finally:
        scheduler.shutdown(wait=False)
        dispatcher.close()
        ledger.close()
    return 0
