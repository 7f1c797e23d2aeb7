"""/simulations: the `ledger schedule` computation for one case over HTTP; nothing is stored."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from api.deps import LedgerDep, PrincipalDep
from api.problems import problem_responses
from api.schemas import ScheduleOut, SimulationIn
from domain.wage.cases import schedule_for
from domain.wage.engine import schedule_json

router = APIRouter(prefix="/simulations", tags=["simulations"])


@router.post(
    "/schedule",
    response_model=ScheduleOut,
    responses=problem_responses(401, 413, 422),
    summary="The month-by-month minimum for terms and events (interfaces §2), without recording anything",
)
def simulate_schedule(ledger: LedgerDep, _: PrincipalDep, case: SimulationIn) -> dict[str, Any]:
    schedule, warnings = schedule_for(case.terms.as_terms(), case.events, ledger.contracts.current_wage_reference())
    return {"id": "simulation", "months": schedule_json(schedule), "warnings": warnings}
