"""Subcommands of `ledger`. Each module exposes `register(subparsers)`."""

from __future__ import annotations

import argparse
import importlib

# Module names under cli.commands, in the order `ledger --help` lists them.
COMMAND_MODULES = (
    "demo",
    "schedule",
    "funding",
    "serve",
    "keys",
    "clock",
    "scheduler",
    "dispatcher",
    "worker",
    "rebuild",
    "personal_data",
    "import_sheet",
    "export",
    "cerfa",
)


def register_all(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    for name in COMMAND_MODULES:
        module = importlib.import_module(f"cli.commands.{name}")
        module.register(sub)
