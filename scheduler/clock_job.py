"""The clock's job, as the scheduler runs it (in `ledger scheduler` and in `ledger worker`): one tick for
today in Paris, its report logged as one JSON line. While a rebuild is incomplete the tick is skipped with a
warning: the next one catches up everything due."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from datetime import date

from ledger.clock import tick
from ledger.errors import RebuildIncomplete
from ledger.system import Ledger
from ledger.time import paris_today


def clock_job(ledger: Ledger, log: logging.Logger, today: Callable[[], date] = paris_today) -> Callable[[], None]:
    def run_tick() -> None:
        try:
            report = tick(ledger, today())
        except RebuildIncomplete as e:
            log.warning(json.dumps({"event": "clock.tick", "error": e.as_problem()}))
            return
        log.info(json.dumps({"event": "clock.tick", **report.as_dict(), "events": None}))

    return run_tick
