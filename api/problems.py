"""RFC 9457 problem details: every error the API answers, in one place.

Domain errors carry their type slug, field and article; application errors carry their HTTP status too.
The `type` is a stable URI reference `/problems/<slug>`. Nothing else reaches the client: an unexpected
exception is logged with the request id and answered with a bare 500 problem, no stack trace.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from domain.errors import DomainError, IllegalTransition, MasterLimitReached
from ledger.errors import ApplicationError, VersionConflict

log = logging.getLogger("api")
PROBLEM_JSON = "application/problem+json"
TYPE_BASE = "/problems/"
# State conflicts: the request is well-formed but the contract's state refuses it.
CONFLICTS = (IllegalTransition, MasterLimitReached)


class ApiProblem(Exception):
    """An HTTP-level refusal (authentication, preconditions, limits) with its problem fields."""

    def __init__(self, status: int, slug: str, title: str, detail: str, **extra: Any) -> None:
        super().__init__(detail)
        self.status = status
        self.slug = slug
        self.title = title
        self.detail = detail
        self.extra = extra


def problem_response(
    request: Request | None, status: int, fields: dict[str, Any], headers: dict[str, str] | None = None
) -> JSONResponse:
    body = dict(fields)
    slug = str(body.get("type", "about:blank"))
    body["type"] = slug if slug.startswith(("/", "about:", "urn:", "http")) else TYPE_BASE + slug
    body["status"] = status
    if request is not None:
        body["instance"] = request.url.path
        request_id = getattr(request.state, "request_id", None)
        if request_id:
            body["request_id"] = request_id
    return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON, headers=headers)


def status_of(error: DomainError) -> int:
    return 409 if isinstance(error, CONFLICTS) else 422


def _validation_field(loc: tuple[Any, ...]) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "header")]
    return ".".join(parts) or "body"


def install(app: FastAPI) -> None:
    @app.exception_handler(DomainError)
    async def domain_error(request: Request, e: DomainError) -> JSONResponse:
        return problem_response(request, status_of(e), e.as_problem())

    @app.exception_handler(ApplicationError)
    async def application_error(request: Request, e: ApplicationError) -> JSONResponse:
        fields: dict[str, Any] = e.as_problem()
        if isinstance(e, VersionConflict):
            fields["current_version"] = e.actual
        return problem_response(request, e.status, fields)

    @app.exception_handler(ApiProblem)
    async def api_problem(request: Request, e: ApiProblem) -> JSONResponse:
        headers = {"WWW-Authenticate": "Bearer"} if e.status == 401 else None
        fields = {"type": e.slug, "title": e.title, "detail": e.detail, **e.extra}
        return problem_response(request, e.status, fields, headers)

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, e: RequestValidationError) -> JSONResponse:
        errors = [
            {
                # An unknown or missing `type` of an event fails the discriminated union at the body itself.
                "field": _validation_field((*err.get("loc", ()), *(("type",) if "union_tag" in err["type"] else ()))),
                "detail": str(err.get("msg", "")),
            }
            for err in e.errors()
        ]
        first = errors[0] if errors else {"field": "body", "detail": "invalid request"}
        fields = {
            "type": "invalid-request",
            "title": "The request is malformed",
            "detail": f"{first['field']}: {first['detail']}",
            "field": first["field"],
            "errors": errors[:20],
        }
        return problem_response(request, 422, fields)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, e: StarletteHTTPException) -> JSONResponse:
        slug = {404: "not-found", 405: "method-not-allowed", 413: "body-too-large"}.get(e.status_code, "http-error")
        fields = {"type": slug, "title": str(e.detail), "detail": str(e.detail)}
        return problem_response(request, e.status_code, fields, dict(e.headers or {}) or None)

    @app.exception_handler(Exception)
    async def unexpected(request: Request, e: Exception) -> JSONResponse:
        log.exception("unhandled error", extra={"request_id": getattr(request.state, "request_id", None)})
        fields = {"type": "internal-error", "title": "Internal error", "detail": "the error was logged"}
        return problem_response(request, 500, fields)
