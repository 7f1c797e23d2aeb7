"""`ledger cerfa read FILE.pdf…` and `ledger cerfa fill ID`: the official contract form in and out.

`read` prints one JSON line per file — `{"id", "file", "terms", "events", "pay_table", "salary_at_hiring",
"problems", "findings"}` — which `ledger schedule` reads as it is (`id`, `terms`, `events`); a file that is not
the form gives `{"id", "file", "error"}`. Exit 1 if any file could not be read or has a blocking problem.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import IO
from uuid import UUID

from cli.commands.jsonlines import add_reference_option
from cli.commands.schedule import load_wage_reference
from domain.errors import DomainError
from ledger.errors import ApplicationError


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("cerfa", help="the CERFA 10103*12 contract form: read filled forms, fill a contract's")
    kinds = p.add_subparsers(dest="cerfa_action", metavar="ACTION", required=True)
    r = kinds.add_parser("read", help="one JSON line per form: terms, events, pay table, problems, findings")
    r.add_argument("files", nargs="+", metavar="FILE.pdf")
    add_reference_option(r, "the SMIC history the pay table is checked against")
    r.set_defaults(handler=handle_read)
    f = kinds.add_parser("fill", help="the form filled from a contract of the store, its pay table from the ledger")
    f.add_argument("contract_id")
    f.add_argument("-o", "--output", help="FILE.pdf (default: cerfa-<id>.pdf)")
    f.set_defaults(handler=handle_fill)


def _line(data: dict[str, object], out: IO[str] = sys.stdout) -> None:
    out.write(json.dumps(data, ensure_ascii=False, default=str) + "\n")


def handle_read(args: argparse.Namespace) -> int:
    from ledger.cerfa.forms import read_case

    ref = load_wage_reference(args.reference)
    failed = False
    for name in args.files:
        try:
            case = read_case(Path(name).read_bytes(), ref)
        except OSError as e:
            failed = True
            _line({"id": name, "file": name, "error": {"type": "unreadable-file", "field": "file", "detail": str(e)}})
            continue
        except DomainError as e:
            failed = True
            _line({"id": name, "file": name, "error": e.as_problem()})
            continue
        failed = failed or bool(case.reading.blocking) or case.error is not None
        _line(case.as_dict(name))
    return 1 if failed else 0


def handle_fill(args: argparse.Namespace) -> int:
    from ledger.bootstrap import bootstrap
    from ledger.cerfa.forms import filled_form

    try:
        contract_id = UUID(args.contract_id)
    except ValueError:
        _line(
            {"error": {"type": "invalid-request", "field": "contract_id", "detail": "must be a contract id"}},
            sys.stderr,
        )
        return 1
    ledger = bootstrap()
    try:
        body = filled_form(ledger.contracts, contract_id)
    except (DomainError, ApplicationError) as e:
        _line({"error": e.as_problem()}, sys.stderr)
        return 1
    finally:
        ledger.close()
    target = Path(args.output or f"cerfa-{contract_id}.pdf")
    target.write_bytes(body)
    _line({"file": str(target), "contract_id": str(contract_id)})
    return 0
