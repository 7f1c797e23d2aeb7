"""Domain exceptions. Each names the field it is about and the rule (article) it enforces."""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """A command or an input the rules refuse. Nothing is recorded when one is raised."""

    type = "domain-error"
    title = "The rules refuse this"

    def __init__(self, detail: str, *, field: str | None = None, rule: str | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        self.field = field
        self.rule = rule

    def as_problem(self) -> dict[str, str]:
        """RFC 9457 problem-details fields (the HTTP layer adds status and instance)."""
        problem = {"type": self.type, "title": self.title, "detail": self.detail}
        if self.field:
            problem["field"] = self.field
        if self.rule:
            problem["rule"] = self.rule
        return problem


class InvalidTerms(DomainError):
    type = "invalid-terms"
    title = "The contract terms break a rule"


class FormIncomplete(InvalidTerms):
    """A CERFA form that misses or garbles what the contract needs; every problem is listed."""

    type = "form-incomplete"
    title = "The CERFA form misses or garbles required fields"

    def __init__(self, problems: list[dict[str, Any]]) -> None:
        first = problems[0]
        super().__init__(
            f"{len(problems)} problem(s) in the form; first: « {first['field']} »: {first['message']}",
            field=first["field"],
            rule=first.get("article"),
        )
        self.problems = problems

    def as_problem(self) -> dict[str, Any]:
        return {**super().as_problem(), "problems": self.problems}


class InvalidEvent(DomainError):
    type = "invalid-event"
    title = "The event is malformed"


class IllegalTransition(DomainError):
    type = "illegal-transition"
    title = "The contract's state does not allow this"


class MasterLimitReached(DomainError):
    type = "master-limit-reached"
    title = "The maître d'apprentissage already has the maximum number of apprentices"


class ReferenceDataError(DomainError):
    type = "invalid-reference-data"
    title = "The reference data is refused"


class NotComputable(DomainError):
    type = "not-computable"
    title = "The schedule cannot be computed"
