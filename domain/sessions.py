"""A signed-in browser's session on the CFA's page: opened with an API key, closed at logout or when it
expires. The browser holds a random session token; only its SHA-256 is stored (it names the aggregate), so
the store never holds anything that opens a session, and any API process finds the session in the store."""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

SESSION_LIFETIME = timedelta(hours=8)


def session_token_hash(token: str) -> str:
    """Session tokens are 256-bit random: a plain SHA-256 cannot be brute-forced and keeps lookups cheap."""
    return hashlib.sha256(token.encode()).hexdigest()


def session_aggregate_id(token_sha256: str) -> UUID:
    return uuid5(NAMESPACE_URL, f"apprenticeship-ledger/ui-sessions/{token_sha256}")


class UiSession(Aggregate):
    @staticmethod
    def create_id(token_sha256: str, **_: Any) -> UUID:
        return session_aggregate_id(token_sha256)

    @classmethod
    def open(cls, token_sha256: str, key_id: str, now: datetime) -> UiSession:
        return cls(token_sha256=token_sha256, key_id=key_id, expires_at=now + SESSION_LIFETIME)

    @event("Opened")
    def __init__(self, token_sha256: str, key_id: str, expires_at: datetime) -> None:
        self.token_sha256 = token_sha256
        self.key_id = key_id
        self.expires_at = expires_at
        self.closed = False

    def active(self, now: datetime) -> bool:
        return not self.closed and now < self.expires_at

    def close(self) -> None:
        if not self.closed:
            self._closed()

    @event("Closed")
    def _closed(self) -> None:
        self.closed = True
