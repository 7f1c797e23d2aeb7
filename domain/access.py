"""Who may see and change what: API keys, their roles and their tenant.

A key belongs to one role:
- `cfa`: a training centre; it drafts contracts (they carry its id) and reads and changes only those;
- `employer`: reads the contracts whose employer has its SIRET, changes nothing;
- `admin`: records reference data (SMIC, Luxembourg index, NPEC) and reads every contract (auditors).

A key is an aggregate of its own (looked up by the id its token carries, on every request, so a revocation
takes effect at once); only the SHA-256 of its secret is stored. The `KeyRing` lists the keys issued, so an
operator can see and revoke them without scanning the store.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

from domain.errors import DomainError
from domain.terms import has_control_characters

CFA, EMPLOYER, ADMIN = "cfa", "employer", "admin"
ROLES = (CFA, EMPLOYER, ADMIN)
TOKEN_PREFIX = "al_"
SIRET = re.compile(r"^\d{14}$")
TENANT_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$")
KEYRING_ID = uuid5(NAMESPACE_URL, "apprenticeship-ledger/api-keyring")
MAX_LABEL_LENGTH = 200


class InvalidKey(DomainError):
    type = "invalid-api-key"
    title = "The API key request is refused"


def key_aggregate_id(key_id: str) -> UUID:
    return uuid5(NAMESPACE_URL, f"apprenticeship-ledger/api-keys/{key_id}")


def secret_hash(secret: str) -> str:
    """Keys are 256-bit random secrets: a plain SHA-256 cannot be brute-forced and keeps lookups cheap."""
    return hashlib.sha256(secret.encode()).hexdigest()


def split_token(token: str) -> tuple[str, str] | None:
    """`al_<key id>.<secret>` → (key id, secret); None when the token has another shape."""
    if not token.startswith(TOKEN_PREFIX) or "." not in token or len(token) > 200:
        return None
    key_id, _, secret = token[len(TOKEN_PREFIX) :].partition(".")
    if not key_id.isalnum() or not secret:
        return None
    return key_id, secret


@dataclass(frozen=True)
class Principal:
    """The caller an API key stands for."""

    key_id: str
    role: str
    tenant: str | None  # the CFA id, or the employer's SIRET; None for admin

    def may_read(self, cfa_id: str | None, employer_siret: str | None) -> bool:
        if self.role == ADMIN:
            return True
        if self.role == CFA:
            return cfa_id is not None and cfa_id == self.tenant
        return employer_siret is not None and employer_siret == self.tenant

    def scope(
        self, cfa_id: str | None = None, employer_siret: str | None = None
    ) -> tuple[str | None, str | None] | None:
        """The (CFA, SIRET) filters a listing by this key uses: its own tenant in place of what it asked for;
        None when it asked for another tenant's (it sees nothing there)."""
        if self.role == CFA:
            return (self.tenant, employer_siret) if cfa_id in (None, self.tenant) else None
        if self.role == EMPLOYER:
            return (cfa_id, self.tenant) if employer_siret in (None, self.tenant) else None
        return cfa_id, employer_siret

    def may_change(self, cfa_id: str | None) -> bool:
        return self.role == CFA and cfa_id is not None and cfa_id == self.tenant


def check_scope(role: str, tenant: str | None) -> None:
    if role not in ROLES:
        raise InvalidKey(f"role must be one of {', '.join(ROLES)}", field="role")
    if role == ADMIN and tenant is not None:
        raise InvalidKey("an admin key has no tenant", field="tenant")
    if role == CFA and (tenant is None or not TENANT_ID.match(tenant)):
        raise InvalidKey("a CFA key needs the CFA's id (letters, digits, _.:-, at most 64)", field="tenant")
    if role == EMPLOYER and (tenant is None or not SIRET.match(tenant)):
        raise InvalidKey("an employer key needs the employer's SIRET (14 digits)", field="tenant")


class ApiKey(Aggregate):
    @staticmethod
    def create_id(key_id: str, **_: Any) -> UUID:
        return key_aggregate_id(key_id)

    @classmethod
    def issue(cls, key_id: str, secret: str, role: str, tenant: str | None, label: str) -> ApiKey:
        check_scope(role, tenant)
        if not isinstance(label, str) or len(label) > MAX_LABEL_LENGTH or has_control_characters(label):
            raise InvalidKey(f"label is a text of at most {MAX_LABEL_LENGTH} characters", field="label")
        return cls(key_id=key_id, secret_sha256=secret_hash(secret), role=role, tenant=tenant, label=label)

    @event("Issued")
    def __init__(self, key_id: str, secret_sha256: str, role: str, tenant: str | None, label: str) -> None:
        self.key_id = key_id
        self.secret_sha256 = secret_sha256
        self.role = role
        self.tenant = tenant
        self.label = label
        self.revoked_at: datetime | None = None

    def matches(self, secret: str) -> bool:
        return self.revoked_at is None and hmac.compare_digest(self.secret_sha256, secret_hash(secret))

    @property
    def principal(self) -> Principal:
        return Principal(self.key_id, self.role, self.tenant)

    def revoke(self) -> None:
        if self.revoked_at is not None:
            raise InvalidKey(f"key {self.key_id} is already revoked", field="key_id")
        self._revoked(at=datetime.now(UTC))

    @event("Revoked")
    def _revoked(self, at: datetime | None = None) -> None:
        # The time is in the event: `modified_on` still holds the previous event's time while this body runs
        # (a key revoked before the time was recorded shows that time, its creation).
        self.revoked_at = at or self.modified_on

    def describe(self) -> dict[str, Any]:
        return {
            "key_id": self.key_id,
            "role": self.role,
            "tenant": self.tenant,
            "label": self.label,
            "created_at": self.created_on.isoformat(),
            "revoked_at": self.revoked_at.isoformat() if self.revoked_at else None,
        }


class KeyRing(Aggregate):
    """The ids of every key issued, in order (revocations live on the keys themselves)."""

    @staticmethod
    def create_id(**_: Any) -> UUID:
        return KEYRING_ID

    @event("Created")
    def __init__(self) -> None:
        self.key_ids: list[str] = []

    def add(self, key_id: str) -> None:
        self._added(key_id=key_id)

    @event("KeyAdded")
    def _added(self, key_id: str) -> None:
        self.key_ids = [*self.key_ids, key_id]
