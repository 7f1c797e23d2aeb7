"""`ledger schedule`: JSON lines of cases on stdin, one JSON line of months (or an error) per case on stdout."""

from __future__ import annotations

import argparse
import sys

from cli.commands.jsonlines import add_reference_option, load_reference, serve_cases
from domain.wage.cases import run_case
from domain.wage.reference import WageReference


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser(
        "schedule",
        help="month-by-month legal minimum wage for JSON-lines cases on stdin (nothing stored)",
        description='Reads one case per line: {"id", "terms", "events"}; writes one line per case: '
        '{"id", "months"} or {"id", "error"}. Exits 1 if any line failed.',
    )
    add_reference_option(p, "SMIC history and Luxembourg index")
    p.set_defaults(handler=handle)


def load_wage_reference(choice: str) -> WageReference:
    from cli.stored_reference import reference_from_store

    return load_reference(choice, WageReference.seed, lambda create: reference_from_store(create=create))


def handle(args: argparse.Namespace) -> int:
    return serve_cases(
        sys.stdin, sys.stdout, lambda: load_wage_reference(args.reference), lambda ref: lambda case: run_case(case, ref)
    )
