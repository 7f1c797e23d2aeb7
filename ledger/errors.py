"""Application-level errors: about the request or the store, not about the law (those are domain errors).

Each carries the RFC 9457 fields like `DomainError.as_problem()`, plus the HTTP status the API maps it to.
"""

from __future__ import annotations


class ApplicationError(Exception):
    type = "application-error"
    title = "The request cannot be carried out"
    status = 400

    def __init__(self, detail: str, *, field: str | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        self.field = field

    def as_problem(self) -> dict[str, str]:
        problem = {"type": self.type, "title": self.title, "detail": self.detail}
        if self.field:
            problem["field"] = self.field
        return problem


class ContractNotFound(ApplicationError):
    type = "contract-not-found"
    title = "No such contract"
    status = 404


class ConcurrentChange(ApplicationError):
    """Another writer saved the same aggregate first (optimistic concurrency); nothing was recorded."""

    type = "concurrent-change"
    title = "The contract was changed by someone else meanwhile; reload and retry"
    status = 409


class VersionConflict(ApplicationError):
    """The caller's expected version (If-Match) is not the current one; nothing was recorded."""

    type = "version-conflict"
    title = "The contract is not at the expected version"
    status = 412

    def __init__(self, detail: str, *, expected: int, actual: int) -> None:
        super().__init__(detail, field="version")
        self.expected = expected
        self.actual = actual


class IdempotencyKeyReused(ApplicationError):
    """The idempotency key already drafted a contract from other terms."""

    type = "idempotency-key-reused"
    title = "This idempotency key was already used for a different contract"
    status = 422


class InvalidRequest(ApplicationError):
    type = "invalid-request"
    title = "The request is malformed"
    status = 422


class RebuildIncomplete(ApplicationError):
    """A read model `ledger rebuild` emptied is not whole yet: the rebuild is running, or it was killed."""

    type = "rebuild-incomplete"
    title = "The read models are being rebuilt"
    status = 503

    def __init__(self, projections: list[str]) -> None:
        super().__init__(
            f"the {', '.join(projections)} read model(s) are incomplete: a `ledger rebuild` is running or was "
            "interrupted; if none is running, run `ledger rebuild` again",
            field="rebuild",
        )
        self.projections = projections


def refuse_if_rebuilding(incomplete: list[str], needed: tuple[str, ...]) -> None:
    """Raise `RebuildIncomplete` if any of the `needed` projections is among the `incomplete` ones."""
    missing = [p for p in incomplete if p in needed]
    if missing:
        raise RebuildIncomplete(missing)
