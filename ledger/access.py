"""Use cases of API keys (issue, list, revoke, authenticate), mixed into the Contracts application.

Keys live in the same store as the contracts, so every store (memory, SQLite, PostgreSQL) works the same
and a key issued by `ledger keys create` is seen at once by a running `ledger serve`.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any

from eventsourcing.persistence import IntegrityError

from domain.access import TOKEN_PREFIX, ApiKey, InvalidKey, KeyRing, Principal, key_aggregate_id, split_token
from ledger.current_reads import CurrentReads
from store.persistence import find_aggregate

KEY_ID_BYTES = 8
SECRET_BYTES = 32


@dataclass(frozen=True)
class IssuedKey:
    token: str  # shown once: only its hash is stored
    key: dict[str, Any]


class KeyManagement(CurrentReads):
    def issue_api_key(self, role: str, tenant: str | None, label: str = "") -> IssuedKey:
        key_id = secrets.token_hex(KEY_ID_BYTES)
        secret = secrets.token_urlsafe(SECRET_BYTES)
        key = ApiKey.issue(key_id, secret, role, tenant, label)
        ring = self._keyring()
        ring.add(key_id)
        try:
            self.save(ring, key)
        except IntegrityError:  # another key was issued at the same moment: take the ring again
            ring = self._keyring()
            ring.add(key_id)
            self.save(ring, key)
        return IssuedKey(f"{TOKEN_PREFIX}{key_id}.{secret}", key.describe())

    def revoke_api_key(self, key_id: str) -> dict[str, Any]:
        key = self._key(key_id)
        if key is None:
            raise InvalidKey(f"no API key {key_id}", field="key_id")
        key.revoke()
        self.save(key)
        return key.describe()

    def api_keys(self) -> list[dict[str, Any]]:
        keys = (self._key(k) for k in self._keyring().key_ids)
        return [k.describe() for k in keys if k is not None]

    def authenticate(self, token: str) -> Principal | None:
        """The principal of a valid, unrevoked key; None for anything else (unknown, revoked, malformed)."""
        parts = split_token(token)
        if parts is None:
            return None
        key = self.find_current(key_aggregate_id(parts[0]))
        if not isinstance(key, ApiKey) or not key.matches(parts[1]):
            return None
        return key.principal

    def _key(self, key_id: str) -> ApiKey | None:
        return find_aggregate(self, key_aggregate_id(key_id), ApiKey)

    def _keyring(self) -> KeyRing:
        return find_aggregate(self, KeyRing.create_id(), KeyRing) or KeyRing()
