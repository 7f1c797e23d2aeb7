"""/reference: the dated reference series (SMIC, Luxembourg cote); admin keys record new values."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date
from typing import Any

from fastapi import APIRouter, Response

from api.deps import AdminDep, LedgerDep, PrincipalDep
from api.problems import problem_responses
from api.schemas import (
    ForfaitsIn,
    FundingParameterIn,
    LuxembourgCoteIn,
    NpecFixedIn,
    NpecIn,
    RecordedOut,
    ReferenceOut,
    SmicRevaluationIn,
)
from domain import law
from domain.errors import ReferenceDataError
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
    data = ledger.contracts.reference.data()
    funding = ledger.contracts.funding.reference()
    return {
        "smic": [jsonable(asdict(s)) for s in data.smic_history()],
        "smic_mayotte": [jsonable(asdict(s)) for s in data.smic_history(law.MAYOTTE)],
        "luxembourg_cotes": [jsonable(asdict(c)) for c in data.lu_cotes()],
        "funding": jsonable(
            {
                "npec": funding.npecs,
                "amorcage_forfaits": funding.forfaits,
                "payment_schedules": funding.schedules,
                "parameters": funding.parameters,
            }
        ),
    }


def _answer(response: Response, recorded: bool) -> dict[str, bool]:
    response.status_code = 201 if recorded else 200
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
    return _answer(
        response,
        ledger.contracts.reference.record_smic_revaluation(effective, hourly, monthly, body.act, body.territory),
    )


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
    return _answer(response, ledger.contracts.reference.record_lu_cote(effective, cote, body.source))


@router.post(
    "/npec",
    status_code=201,
    response_model=RecordedOut,
    responses=AdminResponses,
    summary="Record an NPEC version for a certification in a branch (or fixed by decree: branch null)",
)
def record_npec(response: Response, ledger: LedgerDep, _: AdminDep, body: NpecIn) -> dict[str, bool]:
    amount = parse_money(body.amount, "amount")
    applies_from = parse_date(body.applies_from, "applies_from")
    return _answer(
        response,
        ledger.contracts.funding.record_npec(body.certification, body.branch, amount, applies_from, body.source),
    )


@router.post(
    "/npec-fixed",
    status_code=201,
    response_model=RecordedOut,
    responses=AdminResponses,
    summary="An NPEC fixed for a certification that had none: the forfait contracts are regularised",
)
def fix_npec(response: Response, ledger: LedgerDep, _: AdminDep, body: NpecFixedIn) -> dict[str, bool]:
    recorded = ledger.contracts.funding.fix_npec(
        body.certification,
        parse_money(body.amount, "amount"),
        parse_date(body.applies_from, "applies_from"),
        parse_date(body.decided_on, "decided_on"),
        body.source,
    )
    return _answer(response, recorded)


@router.post(
    "/amorcage-forfaits",
    status_code=201,
    response_model=RecordedOut,
    responses=AdminResponses,
    summary="Record new amorçage forfaits by RNCP level (D6332-80)",
)
def record_forfaits(response: Response, ledger: LedgerDep, _: AdminDep, body: ForfaitsIn) -> dict[str, bool]:
    by_level = {}
    for level, value in body.by_level.items():
        if not level.isascii() or not level.isdigit() or len(level) > 1:
            raise ReferenceDataError("by_level keys are RNCP levels 3..8", field=f"by_level.{level[:8]}")
        by_level[int(level)] = parse_money(value, f"by_level.{level}")
    recorded = ledger.contracts.funding.record_amorcage_forfaits(
        parse_date(body.applies_from, "applies_from"), by_level, body.source
    )
    return _answer(response, recorded)


@router.post(
    "/funding-parameters",
    status_code=201,
    response_model=RecordedOut,
    responses=AdminResponses,
    summary="Record a new value of a funding parameter (cap, minoration, employer participation…)",
)
def record_parameter(response: Response, ledger: LedgerDep, _: AdminDep, body: FundingParameterIn) -> dict[str, bool]:
    recorded = ledger.contracts.funding.record_parameter(
        body.name, parse_money(body.value, "value"), parse_date(body.applies_from, "applies_from"), body.article
    )
    return _answer(response, recorded)
