"""The webhook outbox: subscriptions (as the projection knows them), the contracts' parties, one delivery per
(subscription, event), and every attempt to send it.

Unlike the other views this one is not rebuilt from zero (`ledger rebuild` leaves it alone): its deliveries
carry what was sent. Its rows are created exactly once, with the tracking position, by the projection; the
dispatcher only updates their delivery state and appends attempts.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from projections.tables import PostgresView, SQLiteView, ViewRecorder

CREATE = (
    "CREATE TABLE IF NOT EXISTS {schema}webhook_subscriptions ("
    " id TEXT PRIMARY KEY, role TEXT NOT NULL, tenant TEXT NOT NULL, url TEXT NOT NULL, event_types TEXT NOT NULL,"
    " status TEXT NOT NULL, created_at TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS {schema}webhook_parties ( contract_id TEXT PRIMARY KEY, cfa_id TEXT, siret TEXT)",
    "CREATE TABLE IF NOT EXISTS {schema}webhook_deliveries ("
    " id TEXT PRIMARY KEY, subscription_id TEXT NOT NULL, type TEXT NOT NULL, contract_id TEXT,"
    " body TEXT NOT NULL, created_at TEXT NOT NULL, status TEXT NOT NULL, attempts INTEGER NOT NULL,"
    " next_attempt_at TEXT, claimed_until TEXT, last_status INTEGER, delivered_at TEXT)",
    "CREATE INDEX IF NOT EXISTS webhook_deliveries_due ON {schema}webhook_deliveries (status, next_attempt_at)",
    "CREATE INDEX IF NOT EXISTS webhook_deliveries_subscription"
    " ON {schema}webhook_deliveries (subscription_id, created_at)",
    "CREATE TABLE IF NOT EXISTS {schema}webhook_attempts ("
    " seq INTEGER PRIMARY KEY AUTOINCREMENT, delivery_id TEXT NOT NULL, attempt INTEGER NOT NULL, at TEXT NOT NULL,"
    " status_code INTEGER, latency_ms DOUBLE PRECISION, response_excerpt TEXT, error TEXT)",
    "CREATE INDEX IF NOT EXISTS webhook_attempts_delivery ON {schema}webhook_attempts (delivery_id, seq)",
)
PENDING, DELIVERED, FAILED, GONE = "pending", "delivered", "failed", "gone"
DELIVERY_COLUMNS = (
    "id, subscription_id, type, contract_id, body, created_at, status, attempts, next_attempt_at, last_status,"
    " delivered_at"
)


@dataclass(frozen=True)
class SubscriptionRow:
    id: str
    role: str
    tenant: str
    url: str
    event_types: tuple[str, ...]
    status: str
    created_at: str


def _subscription(r: Sequence[Any]) -> SubscriptionRow:
    return SubscriptionRow(r[0], r[1], r[2], r[3], tuple(json.loads(r[4])), r[5], r[6])


def _delivery(r: Sequence[Any]) -> dict[str, Any]:
    keys = [k.strip() for k in DELIVERY_COLUMNS.split(",")]
    d = dict(zip(keys, r, strict=True))
    d["body"] = json.loads(d["body"])
    return d


class WebhookOutboxQueries(ViewRecorder):
    create_statements = CREATE

    # -- written by the projection, with its tracking ------------------------------------------------------
    def upsert_subscription(self, cursor: Any, s: SubscriptionRow) -> None:
        self.run(
            cursor,
            "INSERT INTO {schema}webhook_subscriptions (id, role, tenant, url, event_types, status, created_at)"
            " VALUES (?,?,?,?,?,?,?) ON CONFLICT (id) DO UPDATE SET url=excluded.url,"
            " event_types=excluded.event_types, status=excluded.status",
            (s.id, s.role, s.tenant, s.url, json.dumps(list(s.event_types)), s.status, s.created_at),
        )

    def set_parties(self, cursor: Any, contract_id: str, cfa_id: str | None, siret: str | None) -> None:
        self.run(
            cursor,
            "INSERT INTO {schema}webhook_parties (contract_id, cfa_id, siret) VALUES (?,?,?)"
            " ON CONFLICT (contract_id) DO UPDATE SET cfa_id=excluded.cfa_id, siret=excluded.siret",
            (contract_id, cfa_id, siret),
        )

    def subscription_in(self, cursor: Any, subscription_id: str) -> SubscriptionRow | None:
        rows = self.fetch(
            cursor,
            "SELECT id, role, tenant, url, event_types, status, created_at FROM {schema}webhook_subscriptions"
            " WHERE id = ?",
            (subscription_id,),
        )
        return _subscription(rows[0]) if rows else None

    def parties_of(self, cursor: Any, contract_ids: Sequence[str]) -> dict[str, tuple[str | None, str | None]]:
        """`parties` of many contracts, in a query per 500 (the contracts of a batch)."""
        out: dict[str, tuple[str | None, str | None]] = {}
        unique = sorted(set(contract_ids))
        for i in range(0, len(unique), 500):
            chunk = unique[i : i + 500]
            marks = ",".join("?" * len(chunk))
            for cid, cfa, siret in self.fetch(
                cursor,
                f"SELECT contract_id, cfa_id, siret FROM {{schema}}webhook_parties WHERE contract_id IN ({marks})",
                chunk,
            ):
                out[cid] = (cfa, siret)
        return out

    def subscribers(self, cursor: Any, cfa_id: str | None, siret: str | None) -> list[SubscriptionRow]:
        """Every subscription (active or not: paused ones queue) of the contract's CFA or employer."""
        rows = self.fetch(
            cursor,
            "SELECT id, role, tenant, url, event_types, status, created_at FROM {schema}webhook_subscriptions"
            " WHERE (role = 'cfa' AND tenant = ?) OR (role = 'employer' AND tenant = ?)",
            (cfa_id or "", siret or ""),
        )
        return [_subscription(r) for r in rows]

    def queue(self, cursor: Any, rows: Sequence[tuple[str, str, str, str | None, str, str]]) -> None:
        """(id, subscription, type, contract, body, created_at) → pending deliveries, due now."""
        self.run_many(
            cursor,
            "INSERT INTO {schema}webhook_deliveries (id, subscription_id, type, contract_id, body, created_at, status,"
            " attempts, next_attempt_at) VALUES (?,?,?,?,?,?,'pending',0,?) ON CONFLICT (id) DO NOTHING",
            [(*r, r[5]) for r in rows],
        )

    # -- the dispatcher ----------------------------------------------------------------------------------------
    def due(self, now: str, limit: int) -> list[dict[str, Any]]:
        rows = self.query(
            f"SELECT {', '.join('d.' + c.strip() for c in DELIVERY_COLUMNS.split(','))}"
            " FROM {schema}webhook_deliveries d JOIN {schema}webhook_subscriptions s ON s.id = d.subscription_id"
            " WHERE d.status = 'pending' AND d.next_attempt_at <= ? AND s.status = 'active'"
            " AND (d.claimed_until IS NULL OR d.claimed_until < ?) ORDER BY d.next_attempt_at LIMIT ?",
            (now, now, limit),
        )
        return [_delivery(r) for r in rows]

    def claim(self, delivery_id: str, now: str, until: str) -> bool:
        """Take a delivery for one attempt; False if another dispatcher holds it, or attempted it since it was
        listed as due (its next attempt is then later)."""
        with self.datastore.transaction(commit=True) as cursor:
            self.run(
                cursor,
                "UPDATE {schema}webhook_deliveries SET claimed_until = ? WHERE id = ? AND status = 'pending'"
                " AND next_attempt_at <= ? AND (claimed_until IS NULL OR claimed_until < ?)",
                (until, delivery_id, now, now),
            )
            return self.changed_rows(cursor) == 1

    def record_attempt(
        self,
        delivery_id: str,
        attempt: int,
        at: str,
        status_code: int | None,
        latency_ms: float,
        excerpt: str,
        error: str | None,
        outcome: str,
        next_attempt_at: str | None,
    ) -> None:
        with self.datastore.transaction(commit=True) as cursor:
            self.run(
                cursor,
                "INSERT INTO {schema}webhook_attempts (delivery_id, attempt, at, status_code, latency_ms,"
                " response_excerpt, error) VALUES (?,?,?,?,?,?,?)",
                (delivery_id, attempt, at, status_code, latency_ms, excerpt, error),
            )
            self.run(
                cursor,
                "UPDATE {schema}webhook_deliveries SET status = ?, attempts = ?, next_attempt_at = ?,"
                " last_status = ?, claimed_until = NULL, delivered_at = ? WHERE id = ?",
                (outcome, attempt, next_attempt_at, status_code, at if outcome == DELIVERED else None, delivery_id),
            )

    def requeue(self, delivery_ids: Sequence[str], now: str) -> int:
        """Send again (redeliver, replay): pending, due now; the webhook-id stays the same."""
        done = 0
        with self.datastore.transaction(commit=True) as cursor:
            for i in range(0, len(delivery_ids), 500):
                chunk = list(delivery_ids[i : i + 500])
                self.run(
                    cursor,
                    "UPDATE {schema}webhook_deliveries SET status = 'pending', next_attempt_at = ?,"
                    f" claimed_until = NULL WHERE id IN ({','.join('?' * len(chunk))})",
                    [now, *chunk],
                )
                done += self.changed_rows(cursor)
        return done

    # -- reads ---------------------------------------------------------------------------------------------------
    def subscription(self, subscription_id: str) -> SubscriptionRow | None:
        rows = self.query(
            "SELECT id, role, tenant, url, event_types, status, created_at FROM {schema}webhook_subscriptions"
            " WHERE id = ?",
            (subscription_id,),
        )
        return _subscription(rows[0]) if rows else None

    def subscriptions_of(self, role: str, tenant: str) -> list[SubscriptionRow]:
        rows = self.query(
            "SELECT id, role, tenant, url, event_types, status, created_at FROM {schema}webhook_subscriptions"
            " WHERE role = ? AND tenant = ? ORDER BY created_at",
            (role, tenant),
        )
        return [_subscription(r) for r in rows]

    def deliveries(
        self,
        subscription_ids: Sequence[str],
        status: str | None = None,
        created_from: str | None = None,
        created_to: str | None = None,
        limit: int = 50,
        offset: int = 0,
    ) -> list[dict[str, Any]]:
        if not subscription_ids:
            return []
        where = [f"subscription_id IN ({','.join('?' * len(subscription_ids))})"]
        params: list[Any] = list(subscription_ids)
        for clause, value in (
            ("status = ?", status),
            ("created_at >= ?", created_from),
            ("created_at <= ?", created_to),
        ):
            if value is not None:
                where.append(clause)
                params.append(value)
        rows = self.query(
            f"SELECT {DELIVERY_COLUMNS} FROM {{schema}}webhook_deliveries WHERE {' AND '.join(where)}"
            " ORDER BY created_at, id LIMIT ? OFFSET ?",
            [*params, limit, offset],
        )
        return [_delivery(r) for r in rows]

    def delivery(self, delivery_id: str) -> dict[str, Any] | None:
        rows = self.query(f"SELECT {DELIVERY_COLUMNS} FROM {{schema}}webhook_deliveries WHERE id = ?", (delivery_id,))
        return _delivery(rows[0]) if rows else None

    def attempts(self, delivery_id: str) -> list[dict[str, Any]]:
        rows = self.query(
            "SELECT attempt, at, status_code, latency_ms, response_excerpt, error FROM {schema}webhook_attempts"
            " WHERE delivery_id = ? ORDER BY seq",
            (delivery_id,),
        )
        keys = ("attempt", "at", "status_code", "latency_ms", "response_excerpt", "error")
        return [dict(zip(keys, r, strict=True)) for r in rows]

    def queue_depth(self) -> dict[str, int]:
        rows = self.query("SELECT status, COUNT(*) FROM {schema}webhook_deliveries GROUP BY status")
        return {r[0]: int(r[1]) for r in rows}


class SQLiteWebhookOutbox(WebhookOutboxQueries, SQLiteView):
    pass


class PostgresWebhookOutbox(WebhookOutboxQueries, PostgresView):
    pass
