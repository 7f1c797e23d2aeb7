"""/webhooks: subscriptions (by a CFA for its contracts, by an employer for its SIRET), deliveries, attempts,
redelivery and replay. A subscription is only ever seen by the tenant that made it (404 otherwise)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Header, Query, Request, Response

from api.deps import LedgerDep, PrincipalDep
from api.problems import ApiProblem, problem_responses
from api.schemas import (
    DeliveryOut,
    DeliveryPage,
    ReplayIn,
    SubscriptionChangeIn,
    SubscriptionIn,
    SubscriptionOut,
    SubscriptionPage,
)
from domain.access import CFA, EMPLOYER, Principal
from domain.webhooks import Owner, Subscription, check_types, check_url
from ledger.webhook_targets import check_target

router = APIRouter(prefix="/webhooks", tags=["webhooks"])
OWNED = problem_responses(401, 403, 404, 422)


def _owner(principal: Principal) -> Owner:
    if principal.role not in (CFA, EMPLOYER) or principal.tenant is None:
        raise ApiProblem(403, "forbidden", "Not allowed", "webhooks are subscribed by CFA and employer keys")
    return Owner(principal.role, principal.tenant)


def _mine(ledger: LedgerDep, principal: Principal, subscription_id: str) -> Subscription:
    owner = _owner(principal)
    try:
        s = ledger.contracts.webhooks.find(UUID(subscription_id))
    except ValueError:
        s = None
    if s is None or s.owner != owner:
        raise ApiProblem(404, "subscription-not-found", "No such subscription", "no such subscription")
    return s


def _utc(when: datetime) -> str:
    """Times are compared as UTC ISO strings in the outbox."""
    return (when if when.tzinfo else when.replace(tzinfo=UTC)).astimezone(UTC).isoformat()


def _out(s: Subscription, secret: str | None = None) -> dict[str, Any]:
    return {**s.describe(), **({"secret": secret} if secret else {})}


@router.post(
    "/subscriptions",
    status_code=201,
    response_model=SubscriptionOut,
    responses={200: {"description": "a retry with the same Idempotency-Key"}, **problem_responses(401, 403, 413, 422)},
    summary="Subscribe a URL to event types; the signing secret is in this answer only",
)
def subscribe(
    request: Request,
    response: Response,
    ledger: LedgerDep,
    principal: PrincipalDep,
    body: SubscriptionIn,
    idempotency_key: Annotated[str | None, Header(max_length=200)] = None,
) -> dict[str, Any]:
    owner = _owner(principal)
    check_types(body.event_types)  # the rules first, then where the URL resolves
    check_target(check_url(body.url), request.app.state.settings.webhooks_allow_private_targets)
    s, created = ledger.contracts.webhooks.subscribe(
        owner, body.url, body.event_types, body.description, idempotency_key
    )
    response.status_code = 201 if created else 200
    return _out(s, s.secret if created else None)


@router.get("/subscriptions", response_model=SubscriptionPage, responses=problem_responses(401, 403))
def subscriptions(ledger: LedgerDep, principal: PrincipalDep) -> dict[str, Any]:
    owner = _owner(principal)
    ledger.outbox_sync()
    rows = ledger.outbox_view.subscriptions_of(owner.role, owner.tenant)
    found = (ledger.contracts.webhooks.find(UUID(r.id)) for r in rows)
    return {"items": [_out(s) for s in found if s is not None]}


@router.get("/subscriptions/{subscription_id}", response_model=SubscriptionOut, responses=OWNED)
def subscription(ledger: LedgerDep, principal: PrincipalDep, subscription_id: str) -> dict[str, Any]:
    return _out(_mine(ledger, principal, subscription_id))


@router.patch("/subscriptions/{subscription_id}", response_model=SubscriptionOut, responses=OWNED)
def change(
    request: Request, ledger: LedgerDep, principal: PrincipalDep, subscription_id: str, body: SubscriptionChangeIn
) -> dict[str, Any]:
    s = _mine(ledger, principal, subscription_id)
    if body.event_types is not None:
        check_types(body.event_types)
    if body.url is not None:
        check_target(check_url(body.url), request.app.state.settings.webhooks_allow_private_targets)
    return _out(ledger.contracts.webhooks.change(s.id, body.url, body.event_types))


@router.post(
    "/subscriptions/{subscription_id}/rotate-secret",
    response_model=SubscriptionOut,
    responses=OWNED,
    summary="A new secret (in this answer only); the previous one still signs for 24 hours",
)
def rotate(ledger: LedgerDep, principal: PrincipalDep, subscription_id: str) -> dict[str, Any]:
    s = _mine(ledger, principal, subscription_id)
    secret = ledger.contracts.webhooks.rotate_secret(s.id)
    return _out(ledger.contracts.webhooks.get(s.id), secret)


@router.post("/subscriptions/{subscription_id}/pause", response_model=SubscriptionOut, responses=OWNED)
def pause(ledger: LedgerDep, principal: PrincipalDep, subscription_id: str) -> dict[str, Any]:
    s = _mine(ledger, principal, subscription_id)
    return _out(ledger.contracts.webhooks.pause(s.id))


@router.post(
    "/subscriptions/{subscription_id}/resume",
    response_model=SubscriptionOut,
    responses=OWNED,
    summary="Resume a paused or disabled subscription; queued deliveries go out",
)
def resume(ledger: LedgerDep, principal: PrincipalDep, subscription_id: str) -> dict[str, Any]:
    s = _mine(ledger, principal, subscription_id)
    resumed = ledger.contracts.webhooks.resume(s.id)
    return _out(resumed)


@router.post(
    "/subscriptions/{subscription_id}/replay",
    responses=OWNED,
    summary="Send again every delivery created in a time range (same webhook-id: receivers de-duplicate)",
)
def replay(ledger: LedgerDep, principal: PrincipalDep, subscription_id: str, body: ReplayIn) -> dict[str, int]:
    s = _mine(ledger, principal, subscription_id)
    ledger.outbox_sync()
    ids: list[str] = []
    offset = 0
    while page := ledger.outbox_view.deliveries(
        [str(s.id)], None, _utc(body.from_), _utc(body.to), limit=1000, offset=offset
    ):
        ids += [d["id"] for d in page]
        offset += len(page)
    return {"requeued": ledger.outbox_view.requeue(ids, datetime.now(UTC).isoformat())}


@router.get("/deliveries", response_model=DeliveryPage, responses=problem_responses(401, 403, 422))
def deliveries(
    ledger: LedgerDep,
    principal: PrincipalDep,
    subscription_id: Annotated[str | None, Query(max_length=40)] = None,
    status: Annotated[str | None, Query(pattern="^(pending|delivered|failed|gone)$")] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> dict[str, Any]:
    owner = _owner(principal)
    ledger.outbox_sync()
    mine = [r.id for r in ledger.outbox_view.subscriptions_of(owner.role, owner.tenant)]
    ids = [i for i in mine if subscription_id in (None, i)]
    return {"items": ledger.outbox_view.deliveries(ids, status, limit=limit, offset=offset)}


def _my_delivery(ledger: LedgerDep, principal: Principal, delivery_id: str) -> dict[str, Any]:
    owner = _owner(principal)
    d = ledger.outbox_view.delivery(delivery_id)
    mine = {r.id for r in ledger.outbox_view.subscriptions_of(owner.role, owner.tenant)}
    if d is None or d["subscription_id"] not in mine:
        raise ApiProblem(404, "delivery-not-found", "No such delivery", "no such delivery")
    return d


@router.get("/deliveries/{delivery_id}", response_model=DeliveryOut, responses=OWNED)
def delivery(ledger: LedgerDep, principal: PrincipalDep, delivery_id: str) -> dict[str, Any]:
    d = _my_delivery(ledger, principal, delivery_id)
    return {**d, "attempt_log": ledger.outbox_view.attempts(delivery_id)}


@router.post("/deliveries/{delivery_id}/redeliver", response_model=DeliveryOut, responses=OWNED)
def redeliver(ledger: LedgerDep, principal: PrincipalDep, delivery_id: str) -> dict[str, Any]:
    _my_delivery(ledger, principal, delivery_id)
    ledger.outbox_view.requeue([delivery_id], datetime.now(UTC).isoformat())
    d = _my_delivery(ledger, principal, delivery_id)
    return {**d, "attempt_log": ledger.outbox_view.attempts(delivery_id)}
