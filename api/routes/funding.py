"""/funding: the CFA-level forecast of what the OPCO (and employers) will pay, month by month."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request

from api.deps import LedgerDep, PrincipalDep
from api.figures import forecast_months
from api.problems import ApiProblem, problem_responses
from api.schemas import ForecastOut
from domain.access import ADMIN, CFA
from domain.dates import add_months, month_key

router = APIRouter(prefix="/funding", tags=["funding"])
MONTH = r"^\d{4}-(0[1-9]|1[0-2])$"


@router.get(
    "/forecast",
    response_model=ForecastOut,
    responses=problem_responses(401, 403, 422),
    summary="Expected payments per month over every live contract of a CFA (admin: of all CFAs, or one)",
)
def forecast(
    request: Request,
    ledger: LedgerDep,
    principal: PrincipalDep,
    first: Annotated[str | None, Query(alias="from", pattern=MONTH, description="YYYY-MM; default: this month")] = None,
    last: Annotated[str | None, Query(alias="to", pattern=MONTH, description="YYYY-MM; default: 12 months on")] = None,
    cfa: Annotated[str | None, Query(max_length=64, pattern=r"^[^\x00-\x1f\x7f]*$")] = None,
) -> dict[str, Any]:
    if principal.role not in (CFA, ADMIN):
        raise ApiProblem(403, "forbidden", "Not allowed", "the forecast is for CFAs and admins")
    scope = principal.scope(cfa)
    if scope is None:
        return {"cfa": cfa, "months": []}
    cfa = scope[0]
    today = request.app.state.today()
    first = first or month_key(today)
    last = last or month_key(add_months(today, 11))
    return {"cfa": cfa, "months": forecast_months(ledger, cfa, first, last)}
