"""The JSON-lines loop of `ledger schedule` and `ledger funding`: one case per line in, one line out per case,
in order; a bad line gives an `error` line and the run goes on; exit code 1 at the end if any line failed."""

from __future__ import annotations

import argparse
import gc
import json
import sys
from collections.abc import Callable
from typing import IO, Any, TypeVar

T = TypeVar("T")


def run_lines(lines: IO[str], out: IO[str], handle: Callable[[Any], dict[str, Any]]) -> int:
    # A batch of thousands of short-lived cases: fewer generation-0 collections is measurably faster.
    gc.freeze()
    gc.set_threshold(50_000, 20, 100)
    failed = 0
    write = out.write
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            case = json.loads(line)
        except json.JSONDecodeError as e:
            result: dict[str, Any] = {
                "id": None,
                "error": {
                    "type": "invalid-json",
                    "title": "The line is not JSON",
                    "detail": f"line {number}: {e.msg} at column {e.colno}",
                },
            }
        else:
            result = handle(case)
        if "error" in result:
            failed += 1
        write(json.dumps(result, ensure_ascii=False, separators=(",", ":")))
        write("\n")
    return 1 if failed else 0


def add_reference_option(parser: argparse.ArgumentParser, what: str) -> None:
    parser.add_argument(
        "--reference",
        choices=("auto", "builtin", "store"),
        default="auto",
        help=f"{what}: 'store' reads what was recorded as events, 'builtin' the seeds; 'auto' uses the store "
        "if its database exists",
    )


def load_reference(choice: str, seed: Callable[[], T], from_store: Callable[[bool], T | None]) -> T:
    """The reference data a run uses: the seeds, or the store's (created first with 'store')."""
    if choice == "builtin":
        return seed()
    return from_store(choice == "store") or seed()


def serve_cases(
    lines: IO[str], out: IO[str], load: Callable[[], T], handler: Callable[[T], Callable[[Any], dict[str, Any]]]
) -> int:
    """Load the reference (a store that cannot be read: one JSON error line, exit 2), then run the lines."""
    try:
        reference = load()
    except Exception as e:  # the store is optional here: say why and stop, nothing was read yet
        problem = {"type": "reference-data-unavailable", "title": "Cannot read the store", "detail": str(e)}
        sys.stderr.write(json.dumps({"error": problem}) + "\n")
        return 2
    return run_lines(lines, out, handler(reference))
