"""`ledger funding`: JSON lines of cases on stdin (terms, events, optional NPECs), one line of funding per case."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date

from domain.funding.cases import run_funding_case
from domain.funding.engine import FundingReadings
from domain.funding.reference import FundingTables
from ledger.commands.jsonlines import run_lines
from ledger.time import paris_today


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser(
        "funding",
        help="what the OPCO pays the CFA for JSON-lines cases on stdin: level, dated payments (nothing stored)",
        description='Reads one case per line: {"id", "terms", "events", "npec"}; writes one line per case: '
        '{"id", "mode", "level", "payments", "totals", "hiring_aid", ...} or {"id", "error"}. Exits 1 if any '
        "line failed.",
    )
    p.add_argument(
        "--reference",
        choices=("auto", "builtin", "store"),
        default="auto",
        help="funding reference: 'store' reads the recorded NPECs and tables, 'builtin' the seeds; 'auto' the "
        "store if its database exists",
    )
    p.add_argument("--today", type=date.fromisoformat, default=None, help="what has fallen due (YYYY-MM-DD)")
    p.set_defaults(handler=handle)


def load_tables(choice: str) -> FundingTables:
    if choice == "builtin":
        return FundingTables.seed()
    from ledger.reference import funding_tables_from_store

    return funding_tables_from_store(create=choice == "store") or FundingTables.seed()


def handle(args: argparse.Namespace) -> int:
    try:
        tables = load_tables(args.reference)
    except Exception as e:  # the store is optional here: say why and stop, nothing was read yet
        problem = {"type": "reference-data-unavailable", "title": "Cannot read the store", "detail": str(e)}
        print(json.dumps({"error": problem}), file=sys.stderr)
        return 2
    today, readings = args.today or paris_today(), FundingReadings()
    return run_lines(sys.stdin, sys.stdout, lambda case: run_funding_case(case, tables, readings, today))
