"""The `ledger` console command: thin entrypoints over the application and the engine."""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Callable, Sequence
from typing import NoReturn

Handler = Callable[[argparse.Namespace], int]


class JsonErrorParser(argparse.ArgumentParser):
    """Bad arguments give one JSON problem line on stderr (the CLI's error form), exit code 2."""

    def error(self, message: str) -> NoReturn:
        problem = {
            "type": "urn:apprenticeship-ledger:problem:invalid-arguments",
            "title": "Invalid command-line arguments",
            "status": 2,
            "detail": message,
            "command": self.prog,
        }
        sys.stderr.write(json.dumps(problem, ensure_ascii=False) + "\n")
        sys.exit(2)


def build_parser() -> argparse.ArgumentParser:
    parser = JsonErrorParser(
        prog="ledger",
        description="apprenticeship-ledger: French apprenticeship contracts, their legal minimum wage, "
        "month by month, with an audit trail.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    from cli import commands

    commands.register_all(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    handler: Handler | None = getattr(args, "handler", None)
    if handler is None:
        parser.print_help()
        return 2
    try:
        return handler(args)
    except Exception as e:  # a bad setting or an unreachable store: one JSON line, no traceback
        problem = startup_problem(e)
        if problem is None:
            raise
        sys.stderr.write(json.dumps({"error": problem}, ensure_ascii=False) + "\n")
        return 1


CREDENTIALS = re.compile(r"(://)[^/@\s]*@")


def startup_problem(error: Exception) -> dict[str, str] | None:
    """The problem of an error every command can meet before it does anything (None for any other)."""
    import sqlite3

    import psycopg
    from eventsourcing.persistence import OperationalError
    from pydantic import ValidationError

    if isinstance(error, ValidationError):
        first = error.errors()[0]
        msg = str(first.get("msg", ""))
        field = ".".join(str(p) for p in first.get("loc", ())) or (
            "database_url" if "database URL" in msg else "settings"
        )
        detail = CREDENTIALS.sub(r"\1***@", str(first.get("msg", "invalid setting")))
        return {"type": "invalid-setting", "field": field, "detail": f"LEDGER_{field.upper()}: {detail}"}
    if isinstance(error, (psycopg.OperationalError, OperationalError, sqlite3.OperationalError)):
        first_line = CREDENTIALS.sub(r"\1***@", (str(error).strip().splitlines() or ["no answer"])[0])
        return {
            "type": "store-unavailable",
            "field": "database_url",
            "detail": f"the store at LEDGER_DATABASE_URL does not answer: {first_line}",
        }
    return None


if __name__ == "__main__":
    sys.exit(main())
