"""/exports: the payroll export (one line per contract and month) and the funding schedule (one line per dated
payment), as CSV (French Excel: `;`, UTF-8 with BOM) or XLSX. Each key sees what it reads elsewhere: a CFA
its contracts, an employer its SIRET's, an admin every contract (or one CFA's or SIRET's)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Header, Query, Request
from fastapi.responses import Response

from api.deps import LedgerDep, PrincipalDep
from api.figures import FUNDING_COLUMNS, PAYROLL_COLUMNS, Scope, funding_rows, payroll_rows
from api.problems import ApiProblem, problem_responses
from api.routes.imports import SPREADSHEET_RESPONSE, attachment
from ledger.tabular import CSV_MEDIA_TYPE, XLSX_MEDIA_TYPE, Column, write_table

router = APIRouter(prefix="/exports", tags=["exports"])
MONTH = r"^\d{4}-(0[1-9]|1[0-2])$"
PRINTABLE = r"^[^\x00-\x1f\x7f]*$"
MAX_MONTHS = 120
Format = Literal["csv", "xlsx"]


def _scope(principal: PrincipalDep, cfa: str | None, employer: str | None) -> Scope | None:
    scope = principal.scope(cfa, employer)
    return None if scope is None else Scope(*scope)


def _form(format: Format | None, accept: str | None) -> Format:
    return format or ("xlsx" if accept and XLSX_MEDIA_TYPE in accept else "csv")


def _checked_range(first: str | None, last: str | None) -> None:
    if first and last and first > last:
        raise ApiProblem(422, "invalid-request", "The range is empty", "from is after to", field="from")
    if first and last:
        span = (int(last[:4]) - int(first[:4])) * 12 + int(last[5:]) - int(first[5:]) + 1
        if span > MAX_MONTHS:
            raise ApiProblem(
                422, "invalid-request", "The range is too long", f"at most {MAX_MONTHS} months", field="to"
            )


def _file(rows: list[list[Any]], columns: tuple[Column, ...], fmt: Format, name: str, title: str) -> Response:
    body = write_table(fmt, columns, rows, title)
    return attachment(body, XLSX_MEDIA_TYPE if fmt == "xlsx" else CSV_MEDIA_TYPE, f"{name}.{fmt}")


@router.get(
    "/payroll",
    response_class=Response,
    responses={**SPREADSHEET_RESPONSE, **problem_responses(401, 422)},
    summary="Payroll: one line per contract and month (minimum, change and its cause and article, arrears)",
)
def payroll(
    ledger: LedgerDep,
    principal: PrincipalDep,
    first: Annotated[str, Query(alias="from", pattern=MONTH, description="first month, YYYY-MM")],
    last: Annotated[str | None, Query(alias="to", pattern=MONTH, description="last month (default: from)")] = None,
    format: Annotated[Format | None, Query(description="csv (default) or xlsx")] = None,
    cfa: Annotated[str | None, Query(max_length=64, pattern=PRINTABLE)] = None,
    employer: Annotated[str | None, Query(max_length=14, pattern=PRINTABLE, description="a SIRET")] = None,
    accept: Annotated[str | None, Header()] = None,
) -> Response:
    last = last or first
    _checked_range(first, last)
    fmt = _form(format, accept)
    scope = _scope(principal, cfa, employer)
    rows = [] if scope is None else payroll_rows(ledger, scope, first, last)
    return _file(rows, PAYROLL_COLUMNS, fmt, f"paie-{first}-{last}", "Paie")


@router.get(
    "/funding",
    response_class=Response,
    responses={**SPREADSHEET_RESPONSE, **problem_responses(401, 422)},
    summary="The funding schedule: every dated payment of each contract (OPCO and employer), due or upcoming",
)
def funding(
    request: Request,
    ledger: LedgerDep,
    principal: PrincipalDep,
    first: Annotated[str | None, Query(alias="from", pattern=MONTH, description="first month due, YYYY-MM")] = None,
    last: Annotated[str | None, Query(alias="to", pattern=MONTH, description="last month due, YYYY-MM")] = None,
    format: Annotated[Format | None, Query(description="csv (default) or xlsx")] = None,
    cfa: Annotated[str | None, Query(max_length=64, pattern=PRINTABLE)] = None,
    employer: Annotated[str | None, Query(max_length=14, pattern=PRINTABLE, description="a SIRET")] = None,
    accept: Annotated[str | None, Header()] = None,
) -> Response:
    _checked_range(first, last)
    fmt = _form(format, accept)
    scope = _scope(principal, cfa, employer)
    today = request.app.state.today()
    rows = [] if scope is None else funding_rows(ledger, scope, first, last, today)
    return _file(rows, FUNDING_COLUMNS, fmt, f"financement-{first or 'debut'}-{last or 'fin'}", "Financement")
