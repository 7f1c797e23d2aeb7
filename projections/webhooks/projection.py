"""The outbox: the event log (and the wage history) turned into one delivery per matching subscription.

Two sources, each with its own tracking position in the outbox's database, so each delivery is created
exactly once whatever crashes or restarts:
- the event log: subscriptions as they are created and changed, the contracts' parties (their CFA and
  employer SIRET), and a delivery for every lifecycle event a subscription asked for;
- the wage projection's history: a `wage.changed` delivery for every change of a contract's minimum (with
  the amount, the month it applies from, the cause and the article), to the subscriptions that existed
  when the change was recorded.
No I/O here: the dispatcher sends.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import NAMESPACE_URL, uuid5

from eventsourcing.persistence import Tracking

from domain.events import RecordedEvent, topic_prefix
from domain.webhooks import TYPE_OF_EVENT, Subscription
from projections.shards import CONTRACT_EVENT_TOPICS
from projections.wage.history import expanded
from projections.webhooks.view import SubscriptionRow, WebhookOutboxQueries

SUBSCRIPTION_TOPICS = topic_prefix(Subscription)
PARTY_EVENTS = frozenset({"Drafted", "TermsCorrected"})
WAGE_CHANGED = "wage.changed"


def delivery_id(subscription_id: str, source_event: str) -> str:
    """Stable for (subscription, event): the `webhook-id` receivers de-duplicate on, the same on every retry."""
    return uuid5(NAMESPACE_URL, f"apprenticeship-ledger/webhooks/{subscription_id}/{source_event}").hex


@dataclass(frozen=True)
class OutboxInput:
    kind: str
    aggregate_id: str
    version: int
    payload: dict[str, Any]
    recorded_at: datetime
    subscription: bool  # a Subscription event (else a contract's)


def outbox_input(record: RecordedEvent) -> OutboxInput | None:
    kind = record.kind
    is_subscription = record.topic.startswith(SUBSCRIPTION_TOPICS)
    if not is_subscription and not (
        record.topic.startswith(CONTRACT_EVENT_TOPICS) and (kind in PARTY_EVENTS or kind in TYPE_OF_EVENT)
    ):
        return None
    return OutboxInput(
        kind,
        record.originator_id,
        record.originator_version,
        record.payload,
        record.timestamp,
        is_subscription,
    )


def _wants(s: SubscriptionRow, webhook_type: str, recorded_at: str) -> bool:
    return ("*" in s.event_types or webhook_type in s.event_types) and s.created_at <= recorded_at


class WebhookOutboxProjection:
    """Follows the event log."""

    def __init__(self, view: WebhookOutboxQueries, upstream_name: str) -> None:
        self.view = view
        self.tracking_name = f"{upstream_name}->webhooks"

    def position(self) -> int | None:
        return self.view.max_tracking_id(self.tracking_name)  # type: ignore[attr-defined]

    def process(self, items: Sequence[tuple[int, OutboxInput | None]]) -> None:
        if not items:
            return
        with self.view.write(Tracking(self.tracking_name, items[-1][0])) as cursor:
            contracts = [i.aggregate_id for _, i in items if i is not None and not i.subscription]
            batch = _Lookups(self.view, cursor, self.view.parties_of(cursor, contracts))
            for _, item in items:
                if item is None:
                    continue
                if item.subscription:
                    self._subscription(cursor, item)
                    batch.subscribers.clear()
                elif item.kind in PARTY_EVENTS:
                    terms = item.payload["terms"]
                    cfa = item.payload.get("cfa_id") if item.kind == "Drafted" else None
                    known = batch.parties.get(item.aggregate_id)
                    if item.kind != "Drafted" and known is not None:
                        cfa = known[0]
                    siret = terms["employer"].get("siret")
                    self.view.set_parties(cursor, item.aggregate_id, cfa, siret)
                    batch.parties[item.aggregate_id] = (cfa, siret)
                if item.kind in TYPE_OF_EVENT and not item.subscription:
                    self._deliveries(cursor, item, batch)

    def _subscription(self, cursor: Any, item: OutboxInput) -> None:
        p = item.payload
        if item.kind == "Subscribed":
            row = SubscriptionRow(
                item.aggregate_id,
                p["owner_role"],
                p["tenant"],
                p["url"],
                tuple(p["event_types"]),
                "active",
                item.recorded_at.isoformat(),
            )
            self.view.upsert_subscription(cursor, row)
            return
        known = self.view.subscription_in(cursor, item.aggregate_id)
        if known is None:
            return
        status = {"Paused": "paused", "Resumed": "active", "Disabled": "disabled"}.get(item.kind, known.status)
        url, types = (p["url"], tuple(p["event_types"])) if item.kind == "Changed" else (known.url, known.event_types)
        self.view.upsert_subscription(
            cursor, SubscriptionRow(known.id, known.role, known.tenant, url, types, status, known.created_at)
        )

    def _deliveries(self, cursor: Any, item: OutboxInput, batch: _Lookups) -> None:
        parties = batch.parties.get(item.aggregate_id)
        if parties is None:
            return
        webhook_type = TYPE_OF_EVENT[item.kind]
        recorded = item.recorded_at.isoformat()
        source = f"{item.aggregate_id}:{item.version}"
        p = item.payload
        body = {
            "type": webhook_type,
            "timestamp": recorded,
            "data": {
                "contract_id": item.aggregate_id,
                "contract_version": item.version,
                "effective_date": p.get("effective_date") or p.get("on") or p.get("from"),
                "event": {"type": item.kind, **p},
            },
        }
        rows = [
            (delivery_id(s.id, source), s.id, webhook_type, item.aggregate_id, json.dumps(body), recorded)
            for s in batch.subscribers_of(*parties)
            if _wants(s, webhook_type, recorded)
        ]
        self.view.queue(cursor, rows)


class _Lookups:
    """What a batch reads again and again, read once: contracts' parties, and each party's subscriptions (until
    a subscription event of the batch changes them)."""

    def __init__(self, view: WebhookOutboxQueries, cursor: Any, parties: dict[str, tuple[str | None, str | None]]):
        self.view, self.cursor, self.parties = view, cursor, parties
        self.subscribers: dict[tuple[str | None, str | None], list[SubscriptionRow]] = {}

    def subscribers_of(self, cfa_id: str | None, siret: str | None) -> list[SubscriptionRow]:
        key = (cfa_id, siret)
        if key not in self.subscribers:
            self.subscribers[key] = self.view.subscribers(self.cursor, cfa_id, siret)
        return self.subscribers[key]


class WageChangeFeed:
    """Follows the wage projection's history table (same database): `wage.changed` deliveries."""

    def __init__(self, view: WebhookOutboxQueries) -> None:
        self.view = view
        self.tracking_name = "wage_history->webhooks"

    def position(self) -> int | None:
        return self.view.max_tracking_id(self.tracking_name)  # type: ignore[attr-defined]

    def read(self, start: int | None, limit: int) -> list[tuple[int, dict[str, Any] | None]]:
        rows = self.view.query(
            "SELECT h.seq, h.contract_id, h.entry, w.cfa_id, w.employer_siret FROM {schema}wage_history h"
            " JOIN {schema}wage_contracts w ON w.contract_id = h.contract_id WHERE h.seq > ? ORDER BY h.seq LIMIT ?",
            (start or 0, limit),
        )
        return [
            (int(seq), {"contract_id": cid, "entry": expanded(json.loads(entry)), "cfa_id": cfa, "siret": siret})
            for seq, cid, entry, cfa, siret in rows
        ]

    def process(self, items: Sequence[tuple[int, dict[str, Any] | None]]) -> None:
        if not items:
            return
        with self.view.write(Tracking(self.tracking_name, items[-1][0])) as cursor:
            queued = []
            batch = _Lookups(self.view, cursor, {})
            for _, item in items:
                if item is None or item["entry"]["cause"] == "Drafted":  # the first minimum is not a change
                    continue
                e = item["entry"]
                body = {
                    "type": WAGE_CHANGED,
                    "timestamp": e["recorded_at"],
                    "data": {"contract_id": item["contract_id"], **{k: e[k] for k in WAGE_FIELDS if k in e}},
                }
                source = f"wage:{e['event_id']}:{e['effective_date']}"
                for s in batch.subscribers_of(item["cfa_id"], item["siret"]):
                    if _wants(s, WAGE_CHANGED, e["recorded_at"]):
                        queued.append(
                            (
                                delivery_id(s.id, source),
                                s.id,
                                WAGE_CHANGED,
                                item["contract_id"],
                                json.dumps(body),
                                e["recorded_at"],
                            )
                        )
            self.view.queue(cursor, queued)


WAGE_FIELDS = (
    "effective_date",
    "cause",
    "article",
    "old_amount",
    "new_amount",
    "old_pct",
    "new_pct",
    "rules",
    "months",
    "arrears",
    "recorded_at",
)
