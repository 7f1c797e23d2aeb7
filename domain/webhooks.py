"""Webhooks to employers and CFAs: subscriptions, the event types they can receive, the retry schedule.

A subscription belongs to one tenant (a CFA's contracts, or an employer's by SIRET), sends to one URL the
event types it asked for, signs with its own secret (Standard Webhooks `whsec_…`), and can be paused,
resumed, have its secret rotated, and be disabled (410 from the receiver, or every retry failed).
"""

from __future__ import annotations

import base64
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

from domain.contract_events import CONTRACT_EVENTS
from domain.errors import DomainError
from domain.terms import has_control_characters

# Public webhook types, and the domain events each is made from.
WEBHOOK_TYPES: dict[str, frozenset[str]] = {
    **{
        name: frozenset(k.name for k in CONTRACT_EVENTS if k.webhook == name)
        for name in dict.fromkeys(k.webhook for k in CONTRACT_EVENTS if k.webhook)
    },
    "wage.changed": frozenset(),  # from the wage projection's history: a new minimum from a given month
}
ALL_TYPES = "*"
TYPE_OF_EVENT = {kind: name for name, kinds in WEBHOOK_TYPES.items() for kind in kinds}

# Standard Webhooks / Svix schedule (delays after each failed attempt), about 3 days in total; each delay
# is drawn with jitter in [delay/2, delay] so that many failing deliveries do not retry in lockstep.
RETRY_DELAYS = tuple(
    timedelta(seconds=s) for s in (5, 5 * 60, 30 * 60, 2 * 3600, 5 * 3600, 10 * 3600, 14 * 3600, 20 * 3600, 24 * 3600)
)
ROTATION_OVERLAP = timedelta(hours=24)  # the previous secret still signs for a day after a rotation
MAX_URL_LENGTH = 2000
LOCAL_HOSTS = frozenset({"localhost", "127.0.0.1", "::1"})


class InvalidSubscription(DomainError):
    type = "invalid-subscription"
    title = "The webhook subscription is refused"


def next_attempt_delay(failed_attempts: int, jitter: float) -> timedelta | None:
    """The wait before the next attempt after `failed_attempts` failures (jitter in [0, 1]); None: give up."""
    if failed_attempts < 1 or failed_attempts > len(RETRY_DELAYS):
        return None
    delay = RETRY_DELAYS[failed_attempts - 1]
    return delay / 2 + delay / 2 * jitter


def check_url(url: Any) -> str:
    """https, or http to localhost only; no credentials in the URL. (Where it resolves is checked when sending.)"""
    if not isinstance(url, str) or not url or len(url) > MAX_URL_LENGTH or has_control_characters(url):
        raise InvalidSubscription(f"url must be a URL of at most {MAX_URL_LENGTH} characters", field="url")
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - parsing the port raises on one out of 0-65535 or not a number
    except ValueError:
        raise InvalidSubscription(
            "url must be an http(s) URL with a valid host and port (0-65535)", field="url"
        ) from None
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise InvalidSubscription("url must be an http(s) URL with a host", field="url")
    if parts.scheme == "http" and parts.hostname not in LOCAL_HOSTS:
        raise InvalidSubscription("url must use https (plain http only to localhost)", field="url")
    if parts.username or parts.password:
        raise InvalidSubscription("url must not carry credentials", field="url")
    return url


def check_types(types: Any) -> tuple[str, ...]:
    if not isinstance(types, (list, tuple)) or not types or len(types) > len(WEBHOOK_TYPES) + 1:
        raise InvalidSubscription("event_types must be a non-empty list", field="event_types")
    for t in types:
        if t != ALL_TYPES and t not in WEBHOOK_TYPES:
            raise InvalidSubscription(
                f"event_types: '{t}' is not one of {', '.join(sorted(WEBHOOK_TYPES))} (or '*')", field="event_types"
            )
    return tuple(sorted(set(types)))


def new_secret() -> str:
    return "whsec_" + base64.b64encode(secrets.token_bytes(24)).decode()


def subscription_id_for(tenant_role: str, tenant: str, key: str) -> UUID:
    return uuid5(NAMESPACE_URL, f"apprenticeship-ledger/webhooks/{tenant_role}/{tenant}/{key}")


@dataclass(frozen=True)
class Owner:
    role: str  # "cfa" or "employer"
    tenant: str  # the CFA id, or the SIRET


class Subscription(Aggregate):
    @staticmethod
    def create_id(owner_role: str, tenant: str, key: str, **_: Any) -> UUID:
        return subscription_id_for(owner_role, tenant, key)

    @classmethod
    def subscribe(cls, owner: Owner, url: str, event_types: Any, description: str, key: str) -> Subscription:
        if owner.role not in ("cfa", "employer"):
            raise InvalidSubscription("only CFA and employer keys subscribe to webhooks", field="role")
        if not isinstance(description, str) or len(description) > 200 or has_control_characters(description):
            raise InvalidSubscription("description is a text of at most 200 characters", field="description")
        return cls(
            owner_role=owner.role,
            tenant=owner.tenant,
            key=key,
            url=check_url(url),
            event_types=list(check_types(event_types)),
            description=description,
            secret=new_secret(),
        )

    @event("Subscribed")
    def __init__(
        self, owner_role: str, tenant: str, key: str, url: str, event_types: list[str], description: str, secret: str
    ) -> None:
        self.owner = Owner(owner_role, tenant)
        self.url = url
        self.event_types = list(event_types)
        self.description = description
        self.subscribed_with = (url, sorted(event_types), description)  # what a retry with its key must repeat
        self.secret = secret
        self.previous_secret: str | None = None
        self.previous_until: datetime | None = None
        self.status = "active"  # active, paused, disabled
        self.disabled_reason: str | None = None

    def wants(self, webhook_type: str) -> bool:
        return ALL_TYPES in self.event_types or webhook_type in self.event_types

    def signing_secrets(self, now: datetime) -> list[str]:
        keep_previous = (
            self.previous_secret is not None and self.previous_until is not None and now < self.previous_until
        )
        return [self.secret, *([self.previous_secret] if keep_previous and self.previous_secret else [])]

    def rotate_secret(self, now: datetime) -> str:
        secret = new_secret()
        self._secret_rotated(secret=secret, previous_until=now + ROTATION_OVERLAP)
        return secret

    @event("SecretRotated")
    def _secret_rotated(self, secret: str, previous_until: datetime) -> None:
        self.previous_secret, self.secret = self.secret, secret
        self.previous_until = previous_until

    def pause(self) -> None:
        if self.status != "active":
            raise InvalidSubscription(f"the subscription is {self.status}", field="status")
        self._paused()

    @event("Paused")
    def _paused(self) -> None:
        self.status = "paused"

    def resume(self) -> None:
        if self.status == "active":
            raise InvalidSubscription("the subscription is already active", field="status")
        self._resumed()

    @event("Resumed")
    def _resumed(self) -> None:
        self.status = "active"
        self.disabled_reason = None

    def disable(self, reason: str) -> None:
        if self.status != "disabled":
            self._disabled(reason=reason[:200])

    @event("Disabled")
    def _disabled(self, reason: str) -> None:
        self.status = "disabled"
        self.disabled_reason = reason

    def change(self, url: str | None, event_types: Any | None) -> None:
        self._changed(
            url=check_url(url) if url is not None else self.url,
            event_types=list(check_types(event_types)) if event_types is not None else self.event_types,
        )

    @event("Changed")
    def _changed(self, url: str, event_types: list[str]) -> None:
        self.url = url
        self.event_types = list(event_types)

    def describe(self) -> dict[str, Any]:
        return {
            "id": str(self.id),
            "owner": {"role": self.owner.role, "tenant": self.owner.tenant},
            "url": self.url,
            "event_types": self.event_types,
            "description": self.description,
            "status": self.status,
            "disabled_reason": self.disabled_reason,
            "created_at": self.created_on.isoformat(),
        }
