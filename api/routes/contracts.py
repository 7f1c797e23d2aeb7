"""/contracts: draft, record lifecycle events, read state, wages, wage history, funding and the audit history.

Endpoints are sync `def`: the event-sourcing library is synchronous, Starlette runs them in its pool.
Commands answer with the contract's new `ETag` (its version). They do not wake the projections: the
followers batch on their own interval (or on NOTIFY), and every read of a projection first brings it up to
date, so a client still reads its own writes.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Body, Header, Query, Request, Response
from fastapi.exceptions import RequestValidationError
from pydantic import ValidationError

from api.contract_views import contract_data, summary_data
from api.deps import CfaDep, ChangeableContract, LedgerDep, PrincipalDep, ReadableContract
from api.problems import ApiProblem, problem_responses
from api.schemas import (
    EVENT_EXAMPLES,
    TERMS_EXAMPLE,
    ContractOut,
    ContractPage,
    ContractTermsIn,
    DraftOut,
    EventsOut,
    FundingOut,
    HiringAidOut,
    LifecycleEventIn,
    ScheduleOut,
    TermsCorrectedIn,
    WageHistoryOut,
    event_payload,
)
from domain.contract import Contract
from domain.contract_status import LIVE
from domain.errors import DomainError
from domain.funding.report import funding_json, hiring_aid_json
from domain.wage.engine import schedule_json
from domain.wage.facts import deep_merge
from ledger.errors import ConcurrentChange, VersionConflict, refuse_if_rebuilding
from ledger.system import Ledger

# projections.wage.view.SORTS; current_wage: the minimum of the current month
Sort = Literal["apprentice", "employer", "training", "status", "start_date", "end_date", "next_due", "current_wage"]
router = APIRouter(prefix="/contracts", tags=["contracts"])
PRINTABLE = r"^[^\x00-\x1f\x7f]*$"  # control characters are never part of a name or an id
Status = Literal["drafted", "signed", "filed", "accepted", "refused", "extended", "terminated", "ended"]
READ = problem_responses(401, 404, 422)


def etag(version: int) -> str:
    return f'"{version}"'


def expected_version(if_match: str | None) -> int:
    """The version an If-Match names: one strong ETag (RFC 9110: If-Match compares strongly; `*` is refused
    because it would switch the lost-update protection off)."""
    if if_match is None:
        raise ApiProblem(428, "if-match-required", "If-Match is required", "send the ETag of the contract you read")
    tag = if_match.strip()
    if not (len(tag) >= 3 and tag[0] == tag[-1] == '"' and tag[1:-1].isascii() and tag[1:-1].isdigit()):
        raise ApiProblem(
            428, "if-match-required", "If-Match must be the contract's ETag", 'one strong ETag such as "3"'
        )
    return int(tag[1:-1])


def _contract_body(ledger: Ledger, contract: Contract, request: Request) -> dict[str, Any]:
    try:
        months: list[dict[str, Any]] | None = ledger.contracts.current_months(contract)
    except DomainError:  # the facts no longer yield a schedule (a rule changed since): show the rest
        months = None
    return contract_data(contract, months, request.app.state.today())


@router.post(
    "",
    status_code=201,
    response_model=DraftOut,
    responses={
        200: {"description": "A retry with the same Idempotency-Key: the same contract"},
        **problem_responses(401, 403, 409, 413, 422),
    },
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
    idempotency_key: Annotated[str | None, Header(description="a retry with the same key drafts nothing new")] = None,
) -> dict[str, Any]:
    result = ledger.contracts.draft_contract(terms.as_terms(), idempotency_key, principal.tenant)
    contract = ledger.contracts.read_contract(result.contract_id)
    response.status_code = 201 if result.created else 200
    response.headers["ETag"] = etag(contract.version)
    response.headers["Location"] = f"/contracts/{contract.id}"
    return {**_contract_body(ledger, contract, request), "created": result.created}


@router.get(
    "",
    response_model=ContractPage,
    responses=problem_responses(401, 422, 503),
    summary="List and filter contracts (live ones by default)",
)
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
        str | None,
        Query(max_length=100, pattern=PRINTABLE, description="part of the name; case, accents ignored"),
    ] = None,
    due_within_days: Annotated[
        int | None, Query(ge=0, le=366, description="with a time-driven event due within N days")
    ] = None,
    sort: Annotated[
        Sort,
        Query(description="the order: by apprentice, employer name, training, status, dates, this month's minimum"),
    ] = "start_date",
    order: Annotated[Literal["asc", "desc"], Query()] = "desc",
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> dict[str, Any]:
    today = request.app.state.today()
    scope = principal.scope(cfa, employer)
    if scope is None:  # another tenant's contracts: nothing, as if there were none
        return {"items": [], "total": 0, "offset": offset, "limit": limit, "next_offset": None}
    cfa, employer = scope
    refuse_if_rebuilding(ledger.incomplete_rebuilds(("wages",)), ("wages",))  # not a short list that looks whole
    ledger.sync()
    total, rows = ledger.wage_view.page(
        cfa_id=cfa,
        employer_siret=employer,
        statuses=status or sorted(LIVE),
        apprentice=apprentice,
        due_until=(today + timedelta(days=due_within_days)).isoformat() if due_within_days is not None else None,
        sort=sort,
        descending=order == "desc",
        limit=limit,
        offset=offset,
        month=today.isoformat()[:7],
    )
    return {
        "items": [summary_data(row, upcoming, today) for row, upcoming in rows],
        "total": total,
        "offset": offset,
        "limit": limit,
        "next_offset": offset + limit if offset + limit < total else None,
    }


@router.get("/{contract_id}", response_model=ContractOut, responses=READ, summary="A contract's state")
def read_contract(
    request: Request, response: Response, ledger: LedgerDep, contract: ReadableContract
) -> dict[str, Any]:
    response.headers["ETag"] = etag(contract.version)
    return _contract_body(ledger, contract, request)


def _whole_terms(contract: Contract, body: TermsCorrectedIn) -> dict[str, Any]:
    """A correction given as `changes` is merged into the current terms and checked as whole terms, so a
    misspelt or unknown field is refused as it would be in a draft."""
    if body.changes is None:
        return event_payload(body)
    try:
        merged = ContractTermsIn.model_validate(deep_merge(contract.terms_data, body.changes))
    except ValidationError as e:
        raise RequestValidationError(
            [{**err, "loc": ("body", "changes", *err["loc"])} for err in e.errors(include_url=False)]
        ) from None
    return {"type": "TermsCorrected", "reason": body.reason, "terms": merged.as_terms()}


@router.post(
    "/{contract_id}/events",
    response_model=ContractOut,
    responses=problem_responses(401, 403, 404, 409, 412, 413, 422, 428),
    summary="Record a lifecycle event (interfaces §3); requires If-Match",
)
def record_event(
    request: Request,
    response: Response,
    ledger: LedgerDep,
    contract: ChangeableContract,
    body: Annotated[LifecycleEventIn, Body(openapi_examples=EVENT_EXAMPLES)],
    if_match: Annotated[str | None, Header()] = None,
) -> dict[str, Any]:
    version = expected_version(if_match)
    payload = _whole_terms(contract, body) if isinstance(body, TermsCorrectedIn) else event_payload(body)
    run_command(ledger, contract, version, lambda: ledger.contracts.record_event(contract.id, payload, version))
    return _current_body(request, response, ledger, contract)


def run_command(ledger: Ledger, contract: Contract, version: int, command: Callable[[], object]) -> None:
    """A command under If-Match: lost to a concurrent change, it is a 412 unless only a roster moved (409)."""
    try:
        command()
    except ConcurrentChange:
        current = ledger.contracts.get_contract(contract.id).version  # from the store, not this request's view
        if current == version:
            raise  # the contract did not move (a master's roster did): 409, retry as is
        raise VersionConflict(
            f"contract {contract.id} changed meanwhile (now version {current}); nothing was recorded",
            expected=version,
            actual=current,
        ) from None


def _current_body(request: Request, response: Response, ledger: Ledger, contract: Contract) -> dict[str, Any]:
    updated = ledger.contracts.read_contract(contract.id)
    response.headers["ETag"] = etag(updated.version)
    return _contract_body(ledger, updated, request)


@router.delete(
    "/{contract_id}/personal-data",
    response_model=ContractOut,
    responses=problem_responses(401, 403, 404, 409, 412, 428),
    summary="Erase the apprentice's name and exact birth date (RGPD art. 17); wages stay the same",
    description="Records `PersonalDataErased` and deletes the contract's data key (crypto-shredding): the names"
    " become « (effacé) », the birth date keeps its year and month and a day that gives the same age at the"
    " start. Every wage, deadline and funding figure is unchanged. Asked again, it answers the same. Requires"
    " If-Match.",
)
def erase_personal_data(
    request: Request,
    response: Response,
    ledger: LedgerDep,
    contract: ChangeableContract,
    if_match: Annotated[str | None, Header()] = None,
) -> dict[str, Any]:
    version = expected_version(if_match)
    run_command(ledger, contract, version, lambda: ledger.contracts.erase_personal_data(contract.id, version))
    return _current_body(request, response, ledger, contract)


@router.get(
    "/{contract_id}/wages",
    response_model=ScheduleOut,
    responses=READ,
    summary="The month-by-month legal minimum (interfaces §2), as known now or at `as_of`",
)
def wages(
    ledger: LedgerDep,
    contract: ReadableContract,
    as_of: Annotated[
        str | None,
        Query(
            max_length=40,
            description="an ISO 8601 recording time (UTC when no offset): the schedule as the service knew it",
            examples=["2026-01-01T00:00:00Z"],
        ),
    ] = None,
) -> dict[str, Any] | Response:
    if as_of is None:  # the hot path: the months as known now, cached per version, sent as they are
        months = ledger.contracts.current_months_json(contract)
        return Response(
            b'{"id":"%s","as_of":null,"months":%s}' % (str(contract.id).encode(), months), media_type="application/json"
        )
    when = _recording_time(as_of)
    schedule = ledger.contracts.wage_schedule(contract.id, when)
    return {"id": str(contract.id), "as_of": when.isoformat(), "months": schedule_json(schedule)}


def _recording_time(text: str) -> datetime:
    try:
        when = datetime.fromisoformat(text)
    except ValueError:
        raise RequestValidationError(
            [{"loc": ("query", "as_of"), "msg": "must be an ISO 8601 date or time", "type": "value_error"}]
        ) from None
    return when if when.tzinfo is not None else when.replace(tzinfo=UTC)


@router.get(
    "/{contract_id}/wage-history",
    response_model=WageHistoryOut,
    responses=READ,
    summary="Every change of the minimum: effective date, old, new, cause, article, recorded at, arrears",
)
def wage_history(ledger: LedgerDep, contract: ReadableContract) -> dict[str, Any]:
    ledger.wage_runner.catch_up()
    return {"id": str(contract.id), "entries": ledger.wage_view.history(str(contract.id))}


@router.get(
    "/{contract_id}/funding",
    response_model=FundingOut,
    responses=READ,
    summary="What the OPCO pays the CFA: annual level (with each step's rule), dated payments, adjustments",
)
def funding(request: Request, ledger: LedgerDep, contract: ReadableContract) -> dict[str, Any]:
    state = funding_json(ledger.contracts.funding.of_contract(contract.id), request.app.state.today())
    return {"id": str(contract.id), **state}


@router.get(
    "/{contract_id}/funding-history",
    response_model=WageHistoryOut,
    responses=READ,
    summary="Every change of the funding: cause, article, old and new annual level and total, changed lines",
)
def funding_history(ledger: LedgerDep, contract: ReadableContract) -> dict[str, Any]:
    ledger.funding_runner.catch_up()
    return {"id": str(contract.id), "entries": ledger.funding_view.history(str(contract.id))}


@router.get(
    "/{contract_id}/hiring-aid",
    response_model=HiringAidOut,
    responses=READ,
    summary="The French hiring aid the employer may receive (first contract year, monthly)",
)
def hiring_aid(ledger: LedgerDep, contract: ReadableContract) -> dict[str, Any]:
    return {"id": str(contract.id), **hiring_aid_json(ledger.contracts.funding.hiring_aid(contract.id))}


@router.get(
    "/{contract_id}/events",
    response_model=EventsOut,
    responses=READ,
    summary="The contract's event history (audit): every event, its version and when it was recorded",
)
def contract_events(ledger: LedgerDep, contract: ReadableContract) -> dict[str, Any]:
    return {"id": str(contract.id), "events": ledger.contracts.contract_events(contract.id)}
