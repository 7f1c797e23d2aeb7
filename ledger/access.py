"""Use cases of API keys (issue, list, revoke, authenticate) and of the CFA page's sessions, on the ledger's store.

Keys and sessions live in the same store as the contracts, so every store (memory, SQLite, PostgreSQL) works the
same, a key issued by `ledger keys create` is seen at once by a running `ledger serve`, and every API process
sees every session. The key behind a session is checked again on every page: a revoked key ends its sessions.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from eventsourcing.persistence import IntegrityError

from domain.access import TOKEN_PREFIX, ApiKey, InvalidKey, KeyRing, Principal, key_aggregate_id, split_token
from domain.sessions import UiSession, session_aggregate_id, session_token_hash
from store.persistence import find_aggregate

if TYPE_CHECKING:
    from ledger.application import Contracts

KEY_ID_BYTES = 8
SECRET_BYTES = 32
SESSION_TOKEN_BYTES = 32
MAX_SESSION_TOKEN_LENGTH = 200


@dataclass(frozen=True)
class IssuedKey:
    token: str  # shown once: only its hash is stored
    key: dict[str, Any]


class ApiKeys:
    def __init__(self, app: Contracts) -> None:
        self.app = app

    def issue(self, role: str, tenant: str | None, label: str = "") -> IssuedKey:
        key_id = secrets.token_hex(KEY_ID_BYTES)
        secret = secrets.token_urlsafe(SECRET_BYTES)
        key = ApiKey.issue(key_id, secret, role, tenant, label)
        ring = self._keyring()
        ring.add(key_id)
        try:
            self.app.save(ring, key)
        except IntegrityError:  # another key was issued at the same moment: take the ring again
            ring = self._keyring()
            ring.add(key_id)
            self.app.save(ring, key)
        return IssuedKey(f"{TOKEN_PREFIX}{key_id}.{secret}", key.describe())

    def revoke(self, key_id: str) -> dict[str, Any]:
        key = self.find(key_id)
        if key is None:
            raise InvalidKey(f"no API key {key_id}", field="key_id")
        key.revoke()
        self.app.save(key)
        return key.describe()

    def all(self) -> list[dict[str, Any]]:
        keys = (self.find(k) for k in self._keyring().key_ids)
        return [k.describe() for k in keys if k is not None]

    def authenticate(self, token: str) -> Principal | None:
        """The principal of a valid, unrevoked key; None for anything else (unknown, revoked, malformed)."""
        parts = split_token(token)
        if parts is None:
            return None
        key = self.app.find_current(key_aggregate_id(parts[0]))
        if not isinstance(key, ApiKey) or not key.matches(parts[1]):
            return None
        return key.principal

    def find(self, key_id: str) -> ApiKey | None:
        return find_aggregate(self.app, key_aggregate_id(key_id), ApiKey)

    def _keyring(self) -> KeyRing:
        return find_aggregate(self.app, KeyRing.create_id(), KeyRing) or KeyRing()


class UiSessions:
    def __init__(self, app: Contracts, keys: ApiKeys) -> None:
        self.app = app
        self.keys = keys

    def open(self, api_token: str) -> str | None:
        """A new session token for a valid key (None otherwise): the cookie holds it, never the key."""
        principal = self.keys.authenticate(api_token)
        if principal is None:
            return None
        token = secrets.token_urlsafe(SESSION_TOKEN_BYTES)
        self.app.save(UiSession.open(session_token_hash(token), principal.key_id, datetime.now(UTC)))
        return token

    def principal(self, token: str) -> Principal | None:
        """The principal of an open, unexpired session whose key is still valid; None for anything else."""
        if not token or len(token) > MAX_SESSION_TOKEN_LENGTH:
            return None
        session = self._find(token)
        if session is None or not session.active(datetime.now(UTC)):
            return None
        key = self.keys.find(session.key_id)
        if key is None or key.revoked_at is not None:
            return None
        return key.principal

    def close(self, token: str) -> None:
        session = self._find(token) if token else None
        if session is not None and not session.closed:
            session.close()
            self.app.save(session)

    def _find(self, token: str) -> UiSession | None:
        return find_aggregate(self.app, session_aggregate_id(session_token_hash(token)), UiSession)
