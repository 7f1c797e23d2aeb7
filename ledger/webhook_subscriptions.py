"""Use cases of webhook subscriptions; the subscriptions are aggregates of the ledger's store."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any
from uuid import UUID

from eventsourcing.persistence import IntegrityError

from domain.webhooks import InvalidSubscription, Owner, Subscription, check_types, subscription_id_for
from ledger.errors import IdempotencyKeyReused
from store.persistence import find_aggregate

if TYPE_CHECKING:
    from ledger.application import Contracts


class WebhookSubscriptions:
    def __init__(self, app: Contracts) -> None:
        self.app = app

    def subscribe(
        self, owner: Owner, url: str, event_types: Any, description: str = "", key: str | None = None
    ) -> tuple[Subscription, bool]:
        """A new subscription (or, for a retried key, the one it made: created False). Its secret is on it."""
        key = key or uuid.uuid4().hex
        existing = self.find(subscription_id_for(owner.role, owner.tenant, key))
        if existing is not None:
            return self._retried(existing, key, url, event_types, description), False
        subscription = Subscription.subscribe(owner, url, event_types, description, key)
        try:
            self.app.save(subscription)
        except IntegrityError:  # the same key at the same moment: that one
            found = self.find(subscription.id)
            assert found is not None
            return found, False
        return subscription, True

    @staticmethod
    def _retried(existing: Subscription, key: str, url: str, event_types: Any, description: str) -> Subscription:
        """A retry answers the subscription its key made; the same key with another request is refused."""
        first = getattr(existing, "subscribed_with", None)
        asked = (url, sorted(check_types(event_types)), description)
        if first is not None and (first[0], sorted(check_types(first[1])), first[2]) != asked:
            raise IdempotencyKeyReused(
                f"idempotency key '{key[:100]}' already made subscription {existing.id} with another request",
                field="idempotency_key",
            )
        return existing

    def find(self, subscription_id: UUID) -> Subscription | None:
        return find_aggregate(self.app, subscription_id, Subscription)

    def get(self, subscription_id: UUID) -> Subscription:
        s = self.find(subscription_id)
        if s is None:
            raise InvalidSubscription(f"no subscription {subscription_id}", field="subscription_id")
        return s

    def rotate_secret(self, subscription_id: UUID) -> str:
        s = self.get(subscription_id)
        secret = s.rotate_secret(datetime.now(UTC))
        self.app.save(s)
        return secret

    def pause(self, subscription_id: UUID) -> Subscription:
        return self._change(subscription_id, lambda s: s.pause())

    def resume(self, subscription_id: UUID) -> Subscription:
        return self._change(subscription_id, lambda s: s.resume())

    def disable(self, subscription_id: UUID, reason: str) -> Subscription:
        return self._change(subscription_id, lambda s: s.disable(reason))

    def change(self, subscription_id: UUID, url: str | None, event_types: Any | None) -> Subscription:
        return self._change(subscription_id, lambda s: s.change(url, event_types))

    def _change(self, subscription_id: UUID, command: Callable[[Subscription], None]) -> Subscription:
        s = self.get(subscription_id)
        command(s)
        if s.pending_events:
            self.app.save(s)
        return s
