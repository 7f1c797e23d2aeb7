"""`ledger funding`: JSON lines of cases on stdin (terms, events, optional NPECs), one line of funding per case."""

from __future__ import annotations

import argparse
import sys
from datetime import date

from cli.commands.jsonlines import add_reference_option, load_reference, serve_cases
from domain.funding.cases import run_funding_case
from domain.funding.engine import FundingReadings
from domain.funding.reference import FundingTables
from ledger.time import paris_today


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser(
        "funding",
        help="what the OPCO pays the CFA for JSON-lines cases on stdin: level, dated payments (nothing stored)",
        description='Reads one case per line: {"id", "terms", "events", "npec"}; writes one line per case: '
        '{"id", "mode", "level", "payments", "totals", "hiring_aid", ...} or {"id", "error"}. Exits 1 if any '
        "line failed.",
    )
    add_reference_option(p, "funding reference (NPECs, forfaits, schedules, caps)")
    p.add_argument("--today", type=date.fromisoformat, default=None, help="what has fallen due (YYYY-MM-DD)")
    p.set_defaults(handler=handle)


def load_tables(choice: str) -> FundingTables:
    from cli.stored_reference import funding_tables_from_store

    return load_reference(choice, FundingTables.seed, lambda create: funding_tables_from_store(create=create))


def handle(args: argparse.Namespace) -> int:
    today, readings = args.today or paris_today(), FundingReadings()
    return serve_cases(
        sys.stdin,
        sys.stdout,
        lambda: load_tables(args.reference),
        lambda tables: lambda case: run_funding_case(case, tables, readings, today),
    )
