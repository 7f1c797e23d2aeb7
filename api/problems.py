"""RFC 9457 problem details: every error the API answers, in one place.

Domain errors carry their type slug, field and article; application errors carry their HTTP status too.
The `type` is a stable URI reference `/problems/<slug>`. An unexpected exception never reaches the client:
`api.middleware.RequestContext` logs it with the request id and answers a bare 500 problem.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from domain.errors import DomainError, IllegalTransition, MasterLimitReached
from ledger.errors import ApplicationError, VersionConflict

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


def problem_body(status: int, fields: dict[str, Any], instance: str | None, request_id: str | None) -> dict[str, Any]:
    body = dict(fields)
    slug = str(body.get("type", "about:blank"))
    absolute = slug.startswith(("/", "about:", "urn:", "http://", "https://"))
    body["type"] = slug if absolute else TYPE_BASE + slug
    body["status"] = status
    if instance is not None:
        body["instance"] = instance
    if request_id:
        body["request_id"] = request_id
    return body


def problem_response(
    request: Request | None, status: int, fields: dict[str, Any], headers: dict[str, str] | None = None
) -> JSONResponse:
    instance = request.url.path if request is not None else None
    request_id = getattr(request.state, "request_id", None) if request is not None else None
    body = problem_body(status, fields, instance, request_id)
    return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON, headers=headers)


STATUS_DESCRIPTIONS = {
    400: "The body is not JSON, or the path or query string holds a NUL byte",
    401: "No valid API key",
    403: "The key's role does not allow this",
    404: "No such contract (or not yours)",
    409: "The contract's state refuses this, or it changed meanwhile",
    412: "If-Match does not match the contract's version",
    413: "The body is too large",
    422: "The input breaks a rule (the field and the article are named)",
    428: "If-Match is required",
    503: "The store does not answer",
}


def problem_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """The OpenAPI `responses` of a route that can answer these problems."""
    return {s: {"description": STATUS_DESCRIPTIONS[s], "content": {PROBLEM_JSON: {}}} for s in statuses}


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
        slug = {400: "invalid-json", 404: "not-found", 405: "method-not-allowed", 413: "body-too-large"}.get(
            e.status_code, "http-error"
        )
        fields = {"type": slug, "title": str(e.detail), "detail": str(e.detail)}
        return problem_response(request, e.status_code, fields, dict(e.headers or {}) or None)
