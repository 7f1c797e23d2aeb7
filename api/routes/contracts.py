"""/contracts: draft, record lifecycle events, read state, wages, wage history and the audit history, list.

Endpoints are sync `def`: the event-sourcing library is synchronous, Starlette runs them in its pool.
Commands answer with the contract's new `ETag` (its version) and wake the projections; reads of a
projection first bring it up to date, so a client reads its own writes.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Body, Header, Query, Request, Response

from api.deps import (
    CfaDep,
    ChangeableContract,
    LedgerDep,
    PrincipalDep,
    ReadableContract,
    parse_contract_id,
)
from api.problems import ApiProblem
from api.schemas import (
    EVENT_EXAMPLES,
    TERMS_EXAMPLE,
    ContractOut,
    ContractPage,
    ContractTermsIn,
    DraftOut,
    EventsOut,
    LifecycleEventIn,
    ScheduleOut,
    WageHistoryOut,
    event_payload,
)
from domain.access import CFA, EMPLOYER
from domain.contract import LIVE, Contract
from domain.wage.engine import schedule_json
from ledger.contract_views import contract_data, summary_data
from ledger.errors import ConcurrentChange, VersionConflict
from ledger.system import Ledger

router = APIRouter(prefix="/contracts", tags=["contracts"])
PRINTABLE = r"^[^\x00-\x1f\x7f]*$"  # control characters are never part of a name or an id
Status = Literal["drafted", "signed", "filed", "accepted", "refused", "extended", "terminated", "ended"]
ProblemResponses: dict[int | str, dict[str, Any]] = {
    s: {"description": d, "content": {"application/problem+json": {}}}
    for s, d in (
        (401, "No valid API key"),
        (404, "No such contract (or not yours)"),
        (409, "The contract's state refuses this"),
        (412, "If-Match does not match the contract's version"),
        (422, "The input breaks a rule (the field and the article are named)"),
        (428, "If-Match is required"),
    )
}


def etag(version: int) -> str:
    return f'"{version}"'


def _matches(if_match: str, version: int) -> bool:
    for candidate in if_match.split(","):
        tag = candidate.strip()
        if tag == "*" or tag.removeprefix("W/").strip('"') == str(version):
            return True
    return False


def _contract_body(ledger: Ledger, contract: Contract, request: Request) -> dict[str, Any]:
    months = schedule_json(ledger.contracts.wage_schedule(contract.id))
    return contract_data(contract, months, request.app.state.today())


@router.post(
    "",
    status_code=201,
    response_model=DraftOut,
    responses={200: {"description": "A retry with the same Idempotency-Key: the same contract"}, **ProblemResponses},
    summary="Draft a contract from its terms (interfaces §1)",
)
def draft_contract(
    request: Request,
    response: Response,
    ledger: LedgerDep,
    principal: CfaDep,
    terms: Annotated[
        ContractTermsIn, Body(openapi_examples={"cap": {"summary": "CAP, 2 years", "value": TERMS_EXAMPLE}})
    ],
    idempotency_key: Annotated[str | None, Header(max_length=200)] = None,
) -> dict[str, Any]:
    # Keys are scoped to the CFA: two CFAs using the same key never meet.
    key = f"{principal.tenant}/{idempotency_key}" if idempotency_key else None
    result = ledger.contracts.draft_contract(terms.as_terms(), key, principal.tenant)
    ledger.poke()
    contract = ledger.contracts.get_contract(result.contract_id)
    response.status_code = 201 if result.created else 200
    response.headers["ETag"] = etag(contract.version)
    response.headers["Location"] = f"/contracts/{contract.id}"
    return {**_contract_body(ledger, contract, request), "created": result.created}


@router.get("", response_model=ContractPage, summary="List and filter contracts (live ones by default)")
def list_contracts(
    request: Request,
    ledger: LedgerDep,
    principal: PrincipalDep,
    status: Annotated[
        list[Status] | None, Query(max_length=10, description="one or more; default: the live ones")
    ] = None,
    cfa: Annotated[str | None, Query(max_length=64, pattern=PRINTABLE)] = None,
    employer: Annotated[str | None, Query(max_length=14, pattern=PRINTABLE, description="the employer's SIRET")] = None,
    apprentice: Annotated[
        str | None, Query(max_length=100, pattern=PRINTABLE, description="part of the apprentice's name")
    ] = None,
    due_within_days: Annotated[
        int | None, Query(ge=0, le=366, description="with a time-driven event due within N days")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> dict[str, Any]:
    today = request.app.state.today()
    # A tenant's own scope replaces the filter it asks for; asking for another tenant finds nothing.
    if (principal.role == CFA and cfa not in (None, principal.tenant)) or (
        principal.role == EMPLOYER and employer not in (None, principal.tenant)
    ):
        return {"items": [], "total": 0, "offset": offset, "limit": limit, "next_offset": None}
    if principal.role == CFA:
        cfa = principal.tenant
    elif principal.role == EMPLOYER:
        employer = principal.tenant
    ledger.sync()
    ids = None
    if due_within_days is not None:
        ids = ledger.clock_view.due_by((today + timedelta(days=due_within_days)).isoformat(), cfa)
    total, rows = ledger.wage_view.page(
        cfa_id=cfa,
        employer_siret=employer,
        statuses=status or sorted(LIVE),
        apprentice=apprentice,
        ids=ids,
        limit=limit,
        offset=offset,
    )
    upcoming = ledger.clock_view.next_for([r.contract_id for r in rows])
    return {
        "items": [summary_data(r, upcoming.get(r.contract_id), today) for r in rows],
        "total": total,
        "offset": offset,
        "limit": limit,
        "next_offset": offset + limit if offset + limit < total else None,
    }


@router.get("/{contract_id}", response_model=ContractOut, responses=ProblemResponses, summary="A contract's state")
def read_contract(
    request: Request, response: Response, ledger: LedgerDep, contract: ReadableContract
) -> dict[str, Any]:
    response.headers["ETag"] = etag(contract.version)
    return _contract_body(ledger, contract, request)


@router.post(
    "/{contract_id}/events",
    response_model=ContractOut,
    responses=ProblemResponses,
    summary="Record a lifecycle event (interfaces §3); requires If-Match",
)
def record_event(
    request: Request,
    response: Response,
    ledger: LedgerDep,
    contract: ChangeableContract,
    body: Annotated[LifecycleEventIn, Body(openapi_examples=EVENT_EXAMPLES)],
    if_match: Annotated[str | None, Header(max_length=100)] = None,
) -> dict[str, Any]:
    if if_match is None:
        raise ApiProblem(428, "if-match-required", "If-Match is required", "send the ETag of the contract you read")
    if not _matches(if_match, contract.version):
        raise VersionConflict(
            f"contract {contract.id} is at version {contract.version}, not {if_match}",
            expected=-1,
            actual=contract.version,
        )
    try:
        ledger.contracts.record_event(contract.id, event_payload(body), expected_version=contract.version)
    except ConcurrentChange:  # another request recorded first: the If-Match version is stale now
        current = ledger.contracts.get_contract(contract.id).version
        raise VersionConflict(
            f"contract {contract.id} changed meanwhile (now version {current}); nothing was recorded",
            expected=contract.version,
            actual=current,
        ) from None
    ledger.poke()
    updated = ledger.contracts.get_contract(contract.id)
    response.headers["ETag"] = etag(updated.version)
    return _contract_body(ledger, updated, request)


@router.get(
    "/{contract_id}/wages",
    response_model=ScheduleOut,
    responses=ProblemResponses,
    summary="The month-by-month legal minimum (interfaces §2), as known now or at `as_of`",
)
def wages(
    ledger: LedgerDep,
    contract: ReadableContract,
    as_of: Annotated[
        datetime | None,
        Query(description="a recording time (ISO 8601, UTC when no offset): the schedule as the service knew it"),
    ] = None,
) -> dict[str, Any]:
    if as_of is not None and as_of.tzinfo is None:
        as_of = as_of.replace(tzinfo=UTC)
    schedule = ledger.contracts.wage_schedule(contract.id, as_of)
    return {"id": str(contract.id), "as_of": as_of.isoformat() if as_of else None, "months": schedule_json(schedule)}


@router.get(
    "/{contract_id}/wage-history",
    response_model=WageHistoryOut,
    responses=ProblemResponses,
    summary="Every change of the minimum: effective date, old, new, cause, article, recorded at, arrears",
)
def wage_history(ledger: LedgerDep, contract: ReadableContract) -> dict[str, Any]:
    ledger.wage_runner.catch_up()
    return {"id": str(contract.id), "entries": ledger.wage_view.history(str(contract.id))}


@router.get(
    "/{contract_id}/events",
    response_model=EventsOut,
    responses=ProblemResponses,
    summary="The contract's event history (audit): every event, its version and when it was recorded",
)
def contract_events(ledger: LedgerDep, contract: ReadableContract, contract_id: str) -> dict[str, Any]:
    return {"id": str(contract.id), "events": ledger.contracts.contract_events(parse_contract_id(contract_id))}
