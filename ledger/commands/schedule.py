"""`ledger schedule`: JSON lines of cases on stdin, one JSON line of months (or an error) per case on stdout."""

from __future__ import annotations

import argparse
import json
import sys
from typing import IO

from domain.wage.cases import run_case
from domain.wage.reference import WageReference
from ledger.commands.jsonlines import run_lines


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser(
        "schedule",
        help="month-by-month legal minimum wage for JSON-lines cases on stdin (nothing stored)",
        description='Reads one case per line: {"id", "terms", "events"}; writes one line per case: '
        '{"id", "months"} or {"id", "error"}. Exits 1 if any line failed.',
    )
    p.add_argument(
        "--reference",
        choices=("auto", "builtin", "store"),
        default="auto",
        help="SMIC history: 'store' reads the recorded reference data (revaluations recorded as "
        "events), 'builtin' the seed table; 'auto' uses the store if its database exists",
    )
    p.set_defaults(handler=handle)


def load_reference(choice: str) -> WageReference:
    if choice == "builtin":
        return WageReference.seed()
    from ledger.reference import reference_from_store

    ref = reference_from_store(create=choice == "store")
    if ref is None:
        return WageReference.seed()
    return ref


def run(lines: IO[str], out: IO[str], ref: WageReference) -> int:
    return run_lines(lines, out, lambda case: run_case(case, ref))


def handle(args: argparse.Namespace) -> int:
    try:
        ref = load_reference(args.reference)
    except Exception as e:  # the store is optional here: say why and stop, nothing was read yet
        print(
            json.dumps(
                {"error": {"type": "reference-data-unavailable", "title": "Cannot read the store", "detail": str(e)}}
            ),
            file=sys.stderr,
        )
        return 2
    return run(sys.stdin, sys.stdout, ref)
