"""/reference: the dated reference series (SMIC, Luxembourg cote); admin keys record new values."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date
from typing import Any

from fastapi import APIRouter, Response

from api.deps import AdminDep, LedgerDep, PrincipalDep
from api.problems import problem_responses
from api.schemas import LuxembourgCoteIn, RecordedOut, ReferenceOut, SmicRevaluationIn
from domain.events import jsonable
from domain.reference_data import monthly_smic
from domain.terms import parse_date, parse_money

router = APIRouter(prefix="/reference", tags=["reference data"])
AdminResponses = problem_responses(401, 403, 413, 422)


@router.get(
    "",
    response_model=ReferenceOut,
    responses=problem_responses(401),
    summary="Every SMIC value and Luxembourg cote recorded, oldest first",
)
def reference(ledger: LedgerDep, _: PrincipalDep) -> dict[str, Any]:
    data = ledger.contracts.reference_data()
    return {
        "smic": [jsonable(asdict(s)) for s in data.smic_history()],
        "luxembourg_cotes": [jsonable(asdict(c)) for c in data.lu_cotes()],
    }


def _answer(response: Response, ledger: LedgerDep, recorded: bool) -> dict[str, bool]:
    response.status_code = 201 if recorded else 200
    if recorded:
        ledger.poke()
    return {"recorded": recorded}


@router.post(
    "/smic",
    status_code=201,
    response_model=RecordedOut,
    responses=AdminResponses,
    summary="Record a SMIC revaluation: every running contract's minimum follows from its effective date",
)
def revalue_smic(response: Response, ledger: LedgerDep, _: AdminDep, body: SmicRevaluationIn) -> dict[str, bool]:
    effective: date = parse_date(body.effective_date, "effective_date")
    hourly = parse_money(body.hourly, "hourly")
    monthly = parse_money(body.monthly, "monthly") if body.monthly is not None else monthly_smic(hourly)
    return _answer(response, ledger, ledger.contracts.record_smic_revaluation(effective, hourly, monthly, body.act))


@router.post(
    "/luxembourg-cotes",
    status_code=201,
    response_model=RecordedOut,
    responses=AdminResponses,
    summary="Record a new Luxembourg cote d'application (index) for cross-border allowances",
)
def record_cote(response: Response, ledger: LedgerDep, _: AdminDep, body: LuxembourgCoteIn) -> dict[str, bool]:
    effective = parse_date(body.effective_date, "effective_date")
    cote = parse_money(body.cote, "cote")
    return _answer(response, ledger, ledger.contracts.record_lu_cote(effective, cote, body.source))
