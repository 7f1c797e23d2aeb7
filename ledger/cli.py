"""The `ledger` console command: thin entrypoints over the application and the engine."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence

Handler = Callable[[argparse.Namespace], int]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
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
