"""The `ledger` console command: thin entrypoints over the application and the engine."""

from __future__ import annotations

import argparse
import json
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
    from ledger import commands

    commands.register_all(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    handler: Handler | None = getattr(args, "handler", None)
    if handler is None:
        parser.print_help()
        return 2
    return handler(args)


if __name__ == "__main__":
    sys.exit(main())
