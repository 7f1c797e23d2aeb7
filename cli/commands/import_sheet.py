"""`ledger import FILE.csv|FILE.xlsx --cfa ID [--dry-run] [--report OUT.xlsx|OUT.csv]` and `ledger import --template`.

One contract per row, keyed by its « Référence CFA » (see `ledger/importing.py`): a new reference drafts
the contract, changed terms record `TermsCorrected` (reason "import"), the same terms record nothing. A
progress bar goes to stderr, one JSON line per row to stdout and a last line with the counts; `--report`
writes the file back with the outcome and the error of each row. Exit code 1 when any row was refused.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from cli.commands.rebuild import progress
from domain.errors import DomainError
from ledger.bootstrap import bootstrap
from ledger.errors import ApplicationError
from ledger.import_columns import template
from ledger.importing import MAX_IMPORT_ROWS, import_table, report_file
from ledger.tabular import format_of, read_table

TEMPLATE_NAME = "modele-import-contrats.xlsx"


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser(
        "import",
        help="import contracts from a spreadsheet (CSV or XLSX, French headers, one row per contract)",
        description="Drafts, corrects (TermsCorrected, reason 'import') or leaves unchanged the contract of each "
        "row's « Référence CFA ». A refused row records nothing and the others go on.",
    )
    p.add_argument("file", nargs="?", help="the spreadsheet (.csv with ; or , separators, or .xlsx)")
    p.add_argument("--cfa", help="the CFA the contracts belong to (its id, as in its API keys)")
    p.add_argument("--dry-run", action="store_true", help="check every row and report; record nothing")
    p.add_argument("--report", metavar="OUT", help="write the row-by-row report as a spreadsheet (.xlsx or .csv)")
    p.add_argument(
        "--template",
        nargs="?",
        const=TEMPLATE_NAME,
        metavar="FILE",
        help=f"write the empty template with one example row (default {TEMPLATE_NAME}; .csv for CSV) and stop",
    )
    p.set_defaults(handler=handle)


def _fail(problem: dict[str, str]) -> int:
    sys.stderr.write(json.dumps({"error": problem}, ensure_ascii=False) + "\n")
    return 1


def handle(args: argparse.Namespace) -> int:
    if args.template is not None:
        target = Path(args.template)
        target.write_bytes(template(format_of(target.name)))
        sys.stdout.write(json.dumps({"template": str(target)}, ensure_ascii=False) + "\n")
        return 0
    if not args.file or not args.cfa:
        missing = "file" if not args.file else "cfa"
        return _fail({"type": "invalid-arguments", "field": missing, "detail": "FILE and --cfa are required"})
    try:
        table = read_table(Path(args.file).read_bytes(), args.file, MAX_IMPORT_ROWS)
    except OSError as e:
        return _fail({"type": "unreadable-file", "field": "file", "detail": f"{args.file}: {e.strerror}"})
    except ApplicationError as e:
        return _fail(e.as_problem())
    started = time.perf_counter()

    def show(done: int, total: int) -> None:
        sys.stderr.write(progress(done, total, started, "rows", "rows"))
        sys.stderr.flush()

    ledger = bootstrap()
    try:
        report = import_table(ledger.contracts, table, args.cfa, args.dry_run, show)
    except (DomainError, ApplicationError) as e:
        return _fail(e.as_problem())
    finally:
        ledger.close()
    sys.stderr.write("\n")
    for row in report.rows:
        sys.stdout.write(json.dumps(row.as_dict(), ensure_ascii=False) + "\n")
    if args.report:
        Path(args.report).write_bytes(report_file(report, format_of(args.report)))
    sys.stdout.write(json.dumps({"summary": report.summary()}, ensure_ascii=False) + "\n")
    return 1 if report.counts()["error"] else 0
