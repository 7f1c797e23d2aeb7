"""`ledger export payroll|funding|notice`: the payroll and funding spreadsheets (CSV or XLSX, by the output's
extension) and one contract's PDF notice, from the same views and with the same French wording as the API
(`api/figures.py`, `api/notice.py`, imported when used, as `ledger serve` imports the app)."""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path
from uuid import UUID

from domain.errors import DomainError
from ledger.bootstrap import bootstrap
from ledger.errors import ApplicationError
from ledger.tabular import format_of, write_table
from ledger.time import paris_today

MONTH = re.compile(r"\d{4}-(0[1-9]|1[0-2])")


def _month(text: str) -> str:
    if not MONTH.fullmatch(text):
        raise argparse.ArgumentTypeError(f"'{text}' is not a month in the form YYYY-MM")
    return text


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("export", help="payroll and funding spreadsheets (CSV/XLSX), a contract's PDF notice")
    kinds = p.add_subparsers(dest="export_kind", metavar="WHAT", required=True)
    for name, help_text in (
        ("payroll", "one line per contract and month: minimum, change with cause and article, arrears"),
        ("funding", "one line per dated payment of each contract (OPCO, employer), due or upcoming"),
    ):
        k = kinds.add_parser(name, help=help_text)
        k.add_argument("--from", dest="first", type=_month, required=name == "payroll", help="first month YYYY-MM")
        k.add_argument("--to", dest="last", type=_month, help="last month YYYY-MM (payroll default: --from)")
        who = k.add_mutually_exclusive_group()
        who.add_argument("--cfa", help="one CFA's contracts")
        who.add_argument("--employer", help="one employer's contracts (SIRET)")
        k.add_argument("-o", "--output", required=True, help="FILE.csv or FILE.xlsx")
        k.set_defaults(handler=handle_table)
    n = kinds.add_parser("notice", help="one contract's PDF notice for the employer")
    n.add_argument("contract_id")
    n.add_argument("-o", "--output", required=True, help="FILE.pdf")
    n.set_defaults(handler=handle_notice)


def _fail(problem: dict[str, str]) -> int:
    sys.stderr.write(json.dumps({"error": problem}, ensure_ascii=False) + "\n")
    return 1


def handle_table(args: argparse.Namespace) -> int:
    from api.figures import FUNDING_COLUMNS, PAYROLL_COLUMNS, Scope, funding_rows, payroll_rows

    if args.first and args.last and args.first > args.last:
        return _fail({"type": "invalid-arguments", "field": "to", "detail": "--to is before --from"})
    scope = Scope(args.cfa, args.employer)
    ledger = bootstrap()
    try:
        if args.export_kind == "payroll":
            last = args.last or args.first
            rows = payroll_rows(ledger, scope, args.first, last)
            columns, title = PAYROLL_COLUMNS, "Paie"
        else:
            rows = funding_rows(ledger, scope, args.first, args.last, paris_today())
            columns, title = FUNDING_COLUMNS, "Financement"
    finally:
        ledger.close()
    target = Path(args.output)
    target.write_bytes(write_table(format_of(target.name), columns, rows, title))
    sys.stdout.write(json.dumps({"file": str(target), "lines": len(rows)}, ensure_ascii=False) + "\n")
    return 0


def handle_notice(args: argparse.Namespace) -> int:
    from api.notice import notice_pdf

    try:
        contract_id = UUID(args.contract_id)
    except ValueError:
        return _fail({"type": "invalid-request", "field": "contract_id", "detail": "must be a contract id (UUID)"})
    ledger = bootstrap()
    try:
        contract = ledger.contracts.read_contract(contract_id)
        months = ledger.contracts.current_months(contract)
        ledger.wage_runner.catch_up()
        history = ledger.wage_view.history(str(contract_id))
        body = notice_pdf(contract, months, history, paris_today())
    except (DomainError, ApplicationError) as e:
        return _fail(e.as_problem())
    finally:
        ledger.close()
    Path(args.output).write_bytes(body)
    sys.stdout.write(json.dumps({"file": args.output, "contract_id": str(contract_id)}) + "\n")
    return 0
