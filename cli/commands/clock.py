"""`ledger clock tick [--today YYYY-MM-DD]`: one tick of the clock, for operators and tests.

A fake `--today` only chooses which events are due; every event keeps its own effective date and the
time it is recorded is the real one.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date

from ledger.bootstrap import bootstrap
from ledger.clock import tick
from ledger.errors import RebuildIncomplete
from ledger.time import paris_today


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("clock", help="the clock of time-driven events (birthdays, anniversaries, deadlines)")
    clock_sub = p.add_subparsers(dest="clock_command", metavar="ACTION", required=True)
    t = clock_sub.add_parser(
        "tick",
        help="record every time-driven event due by today, exactly once",
        description="Records every time-driven event due by today (Europe/Paris) and not yet recorded; "
        "prints one JSON line with what it recorded.",
    )
    t.add_argument("--today", type=_iso_date, default=None, help="the day to tick for (YYYY-MM-DD)")
    t.set_defaults(handler=handle_tick)


def _iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date in the form YYYY-MM-DD") from None


def handle_tick(args: argparse.Namespace) -> int:
    ledger = bootstrap()
    try:
        report = tick(ledger, args.today or paris_today())
        ledger.sync()
    except RebuildIncomplete as e:
        sys.stderr.write(json.dumps({"error": e.as_problem()}) + "\n")
        return 1
    finally:
        ledger.close()
    out = report.as_dict()
    sys.stdout.write(json.dumps(out) + "\n")
    return 1 if report.failed else 0
