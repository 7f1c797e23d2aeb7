"""Use cases of webhook subscriptions, mixed into the Contracts application (the aggregates share its store)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from eventsourcing.application import Application
from eventsourcing.persistence import IntegrityError

from domain.webhooks import InvalidSubscription, Owner, Subscription, check_types, subscription_id_for
from ledger.errors import IdempotencyKeyReused
from store.persistence import find_aggregate


class WebhookUseCases(Application[UUID]):
    def subscribe(
        self, owner: Owner, url: str, event_types: Any, description: str = "", key: str | None = None
    ) -> tuple[Subscription, bool]:
        """A new subscription (or, for a retried key, the one it made: created False). Its secret is on it."""
        key = key or uuid.uuid4().hex
        existing = self.find_subscription(subscription_id_for(owner.role, owner.tenant, key))
        if existing is not None:
            return self._retried(existing, key, url, event_types, description), False
        subscription = Subscription.subscribe(owner, url, event_types, description, key)
        try:
            self.save(subscription)
        except IntegrityError:  # the same key at the same moment: that one
            found = self.find_subscription(subscription.id)
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

    def find_subscription(self, subscription_id: UUID) -> Subscription | None:
        return find_aggregate(self, subscription_id, Subscription)

    def subscription(self, subscription_id: UUID) -> Subscription:
        s = self.find_subscription(subscription_id)
        if s is None:
            raise InvalidSubscription(f"no subscription {subscription_id}", field="subscription_id")
        return s

    def rotate_webhook_secret(self, subscription_id: UUID) -> str:
        s = self.subscription(subscription_id)
        secret = s.rotate_secret(datetime.now(UTC))
        self.save(s)
        return secret

    def pause_subscription(self, subscription_id: UUID) -> Subscription:
        return self._change_subscription(subscription_id, lambda s: s.pause())

    def resume_subscription(self, subscription_id: UUID) -> Subscription:
        return self._change_subscription(subscription_id, lambda s: s.resume())

    def disable_subscription(self, subscription_id: UUID, reason: str) -> Subscription:
        return self._change_subscription(subscription_id, lambda s: s.disable(reason))

    def change_subscription(self, subscription_id: UUID, url: str | None, event_types: Any | None) -> Subscription:
        return self._change_subscription(subscription_id, lambda s: s.change(url, event_types))

    def _change_subscription(self, subscription_id: UUID, command: Any) -> Subscription:
        s = self.subscription(subscription_id)
        command(s)
        if s.pending_events:
            self.save(s)
        return s
