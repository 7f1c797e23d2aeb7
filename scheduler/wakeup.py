"""APScheduler 3.11 only wakes the clock: once at start (catch-up) and daily just after midnight, Paris time.

The clock's truth is the pure `domain.clock` function over recorded state, so what APScheduler does with
missed runs (it drops or merges them by default) cannot lose an event: any tick catches up everything due.
The memory job store is deliberate: a shared persistent store duplicates jobs across processes.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from apscheduler.schedulers.base import BaseScheduler
from apscheduler.schedulers.blocking import BlockingScheduler

TIMEZONE = "Europe/Paris"
DAILY_AT = {"hour": 0, "minute": 5}
JOB_OPTIONS: dict[str, Any] = {
    "coalesce": True,  # many missed daily runs → one tick, which catches up all of them anyway
    "max_instances": 1,  # never two ticks at once in this process
    "misfire_grace_time": None,  # a late wake-up still runs
    "replace_existing": True,
}


def schedule_clock(scheduler: BaseScheduler, tick: Callable[[], object]) -> None:
    scheduler.add_job(tick, "date", id="clock-catch-up", **JOB_OPTIONS)
    scheduler.add_job(tick, "cron", id="clock-daily", timezone=TIMEZONE, **DAILY_AT, **JOB_OPTIONS)


def run_forever(tick: Callable[[], object]) -> None:
    scheduler = BlockingScheduler(timezone=TIMEZONE)
    schedule_clock(scheduler, tick)
    scheduler.start()
