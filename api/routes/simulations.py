"""/simulations: the `ledger schedule` computation for one case over HTTP; nothing is stored."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from pydantic import TypeAdapter, ValidationError

from api.deps import LedgerDep, PrincipalDep
from api.problems import problem_responses
from api.schemas import LifecycleEventIn, ScheduleOut, SimulationIn
from domain.wage.cases import schedule_for
from domain.wage.engine import schedule_json
from ledger.errors import InvalidRequest

router = APIRouter(prefix="/simulations", tags=["simulations"])
EVENT: TypeAdapter[Any] = TypeAdapter(LifecycleEventIn)


@router.post(
    "/schedule",
    response_model=ScheduleOut,
    responses=problem_responses(401, 413, 422),
    summary="The month-by-month minimum for terms and events (interfaces §2), without recording anything",
)
def simulate_schedule(ledger: LedgerDep, _: PrincipalDep, case: SimulationIn) -> dict[str, Any]:
    for i, event in enumerate(case.events):  # the events' rules of POST /contracts/{id}/events: no unknown field
        try:
            EVENT.validate_python(event)
        except ValidationError as e:
            first = e.errors()[0]
            if first["type"].startswith("union_tag"):
                continue  # an unknown or missing type: the domain names it (`events[i].type`)
            path = ".".join(str(p) for p in first.get("loc", ())[1:])  # after the event's type
            raise InvalidRequest(f"events[{i}].{path}: {first['msg']}", field=f"events[{i}].{path}") from None
    schedule, warnings = schedule_for(case.terms.as_terms(), case.events, ledger.contracts.reference.current())
    return {"id": "simulation", "months": schedule_json(schedule), "warnings": warnings}
