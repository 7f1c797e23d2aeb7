"""Use cases of the CFA page's sessions (open with an API key, find the principal, close), mixed into the
Contracts application. Sessions live in the ledger's store, so every API process sees them; the key behind
a session is checked again on every page (a revoked key ends its sessions at once)."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime

from domain.access import Principal
from domain.sessions import UiSession, session_aggregate_id, session_token_hash
from ledger.access import KeyManagement
from store.persistence import find_aggregate

SESSION_TOKEN_BYTES = 32


class UiSessions(KeyManagement):
    def open_session(self, api_token: str) -> str | None:
        """A new session token for a valid key (None otherwise): the cookie holds it, never the key."""
        principal = self.authenticate(api_token)
        if principal is None:
            return None
        token = secrets.token_urlsafe(SESSION_TOKEN_BYTES)
        self.save(UiSession.open(session_token_hash(token), principal.key_id, datetime.now(UTC)))
        return token

    def session_principal(self, token: str) -> Principal | None:
        """The principal of an open, unexpired session whose key is still valid; None for anything else."""
        if not token or len(token) > 200:
            return None
        session = find_aggregate(self, session_aggregate_id(session_token_hash(token)), UiSession)
        if session is None or not session.active(datetime.now(UTC)):
            return None
        key = self._key(session.key_id)
        if key is None or key.revoked_at is not None:
            return None
        return key.principal

    def close_session(self, token: str) -> None:
        session = find_aggregate(self, session_aggregate_id(session_token_hash(token)), UiSession) if token else None
        if session is not None and not session.closed:
            session.close()
            self.save(session)
