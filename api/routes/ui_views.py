"""Two more pages: the CFA's funding forecast (month by month, as a chart and a table, with its exports) and
the employer's apprentices (each one's minimum this month and next, and what last changed it, and why)."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, Response

from api import french
from api.contract_views import timeline_changes
from api.deps import LedgerDep
from api.figures import (
    FORECAST_COLUMNS,
    FUNDING_COLUMNS,
    Scope,
    forecast_months,
    forecast_rows,
    funding_rows,
    histories,
)
from api.french import EVENT_FR
from api.routes.imports import attachment
from api.routes.ui import PagePrincipal, render
from domain.access import ADMIN, CFA, EMPLOYER
from domain.contract_status import LIVE
from domain.dates import add_months, month_key
from ledger.tabular import CSV_MEDIA_TYPE, XLSX_MEDIA_TYPE, write_table
from projections.wage.view import month_amount

router = APIRouter(prefix="/ui", include_in_schema=False)
MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


def _months(first: str, last: str, today: date) -> tuple[str, str]:
    """The range asked for, or this month and the eleven after it; never longer than five years."""
    first = first if MONTH.match(first) else month_key(today)
    last = last if MONTH.match(last) else month_key(add_months(date.fromisoformat(f"{first}-01"), 11))
    if last < first:
        last = first
    cap = month_key(add_months(date.fromisoformat(f"{first}-01"), 59))
    return first, min(last, cap)


def _span(first: str, last: str) -> list[str]:
    """Every month from `first` to `last` (YYYY-MM), both included: a month without payment shows as 0."""
    out, day = [], date.fromisoformat(f"{first}-01")
    while month_key(day) <= last:
        out.append(month_key(day))
        day = add_months(day, 1)
    return out


def month_range(
    request: Request,
    first: Annotated[str, Query(alias="from", max_length=7)] = "",
    last: Annotated[str, Query(alias="to", max_length=7)] = "",
) -> tuple[str, str]:
    return _months(first, last, request.app.state.today())


MonthRange = Annotated[tuple[str, str], Depends(month_range)]


@router.get("/funding", response_class=HTMLResponse)
def funding_page(request: Request, ledger: LedgerDep, principal: PagePrincipal, span: MonthRange) -> HTMLResponse:
    if principal.role not in (CFA, ADMIN):
        return HTMLResponse(render(request, "missing.html", principal).body, status_code=404)
    first, last = span
    found = {m["month"]: m for m in forecast_months(ledger, principal.tenant, first, last)}
    months = [
        found.get(k, {"month": k, "OPCO": "0.00", "employer": "0.00", "contracts": 0}) for k in _span(first, last)
    ]
    rows = forecast_rows(months)
    chart = {
        "labels": [french.month(m["month"]) for m in months],
        "opco": [float(m["OPCO"]) for m in months],
        "employer": [float(m["employer"]) for m in months],
    }
    totals = {
        "opco": sum((r[1] for r in rows), start=0),
        "employer": sum((r[2] for r in rows), start=0),
        "total": sum((r[3] for r in rows), start=0),
    }
    return render(
        request, "funding.html", principal, months=months, rows=rows, chart=chart, first=first, last=last, totals=totals
    )


@router.get("/funding/export", response_model=None)
def funding_export(
    request: Request,
    ledger: LedgerDep,
    principal: PagePrincipal,
    span: MonthRange,
    format: Annotated[str, Query(max_length=4)] = "csv",
    detail: Annotated[str, Query(max_length=8)] = "months",
) -> Response:
    """The forecast as a spreadsheet: its months, or (`detail=payments`) every dated payment behind them."""
    if principal.role not in (CFA, ADMIN):
        return HTMLResponse(render(request, "missing.html", principal).body, status_code=404)
    today = request.app.state.today()
    first, last = span
    fmt = "xlsx" if format == "xlsx" else "csv"
    if detail == "payments":
        scope = principal.scope()
        lines = [] if scope is None else funding_rows(ledger, Scope(*scope), first, last, today)
        body = write_table(fmt, FUNDING_COLUMNS, lines, "Échéancier")
        name = f"financement-echeances-{first}-{last}.{fmt}"
    else:
        body = write_table(fmt, FORECAST_COLUMNS, forecast_rows(forecast_months(ledger, principal.tenant, first, last)))
        name = f"financement-previsions-{first}-{last}.{fmt}"
    return attachment(body, XLSX_MEDIA_TYPE if fmt == "xlsx" else CSV_MEDIA_TYPE, name)


@router.get("/employer", response_class=HTMLResponse)
def employer_page(request: Request, ledger: LedgerDep, principal: PagePrincipal) -> HTMLResponse:
    """An employer's apprentices: the minimum this month and next, and the last change with its cause."""
    if principal.role != EMPLOYER:
        return HTMLResponse(render(request, "missing.html", principal).body, status_code=404)
    today = request.app.state.today()
    ledger.sync()
    this_month, next_month = month_key(today), month_key(add_months(today.replace(day=1), 1))
    _, rows = ledger.wage_view.page(
        employer_siret=principal.tenant, statuses=sorted(LIVE), sort="apprentice", descending=False, limit=10_000
    )
    arrears = histories(ledger, [row.contract_id for row, _ in rows])
    items = []
    for row, _ in rows:
        now, then = month_amount(row.schedule_text, this_month), month_amount(row.schedule_text, next_month)
        changes = [_change(c) for c in timeline_changes(row.schedule or [])[1:]]  # the first minimum is no change
        items.append(
            {
                "id": row.contract_id,
                "apprentice": row.apprentice,
                "training": row.terms["training"]["title"],
                "now": now,
                "next": then,
                "moves": then != now,
                "last": next((c for c in reversed(changes) if c["month"] <= next_month), None),
                "coming": next((c for c in changes if c["month"] > next_month), None),
                "arrears": _arrears_due(arrears.get(row.contract_id, [])),
            }
        )
    return render(
        request, "employer.html", principal, items=items, this_month=this_month, next_month=next_month, today=today
    )


def _change(c: dict[str, str]) -> dict[str, str]:
    return {**c, "label": french.month(c["month"]), "reason": EVENT_FR.get(c["cause"], c["cause"])}


def _arrears_due(entries: list[dict[str, Any]]) -> Decimal:
    """What the recorded changes say the employer owes for months already begun when they were recorded."""
    return sum((Decimal(e.get("arrears") or "0") for e in entries), start=Decimal(0))
