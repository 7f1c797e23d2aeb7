"""Cross-cutting HTTP concerns: a request id on every request and response, one JSON log line per request,
and a cap on the body size (checked on the declared length and on the bytes actually received).

Plain ASGI middleware, so a refused body never reaches the route and nothing is recorded.
"""

from __future__ import annotations

import json
import logging
import re
import time
import uuid
from typing import Any
from urllib.parse import unquote_to_bytes

from starlette.exceptions import HTTPException
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.problems import PROBLEM_JSON, problem_body
from ledger.current_reads import fresh_since

access_log = logging.getLogger("api.access")
log = logging.getLogger("api")
REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
UPLOAD_PATHS = ("/contracts/import/", "/ui/import/")


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message and any `extra` fields given."""

    STANDARD = frozenset(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime"}

    def format(self, record: logging.LogRecord) -> str:
        out: dict[str, Any] = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        out.update({k: v for k, v in vars(record).items() if k not in self.STANDARD})
        if record.exc_info:
            out["exception"] = self.formatException(record.exc_info)
        return json.dumps(out, default=str, ensure_ascii=False)


def configure_logging(level: str) -> None:
    handler = logging.StreamHandler()
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())


class RequestContext:
    """Request id (the caller's X-Request-ID if sane, else a new one), access log, body size limit."""

    def __init__(self, app: ASGIApp, max_body_bytes: int, max_upload_bytes: int | None = None) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes
        self.max_upload_bytes = max_upload_bytes if max_upload_bytes is not None else max_body_bytes

    def limit_for(self, path: str) -> int:
        """The body cap of a path: file uploads (a spreadsheet, a CERFA PDF) have their own."""
        return self.max_upload_bytes if path.startswith(UPLOAD_PATHS) else self.max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        given = headers.get("x-request-id", "")
        request_id = given if REQUEST_ID.match(given) else uuid.uuid4().hex
        scope.setdefault("state", {})["request_id"] = request_id
        began = time.perf_counter()
        fresh_since.set(time.monotonic())  # reads in this request may share a store position taken from now on
        status = 500

        started = False

        async def send_with_id(message: Message) -> None:
            nonlocal status, started
            if message["type"] == "http.response.start":
                status, started = message["status"], True
                message.setdefault("headers", [])
                message["headers"] = [*message["headers"], (b"x-request-id", request_id.encode())]
            await send(message)

        limit = self.limit_for(scope["path"])
        try:
            if _has_nul(scope):
                await self._problem(
                    send_with_id, scope, request_id, 400, "invalid-request", "A NUL byte in the request target"
                )
                return
            declared = headers.get("content-length")
            if declared is not None and not (declared.isascii() and declared.isdigit()):
                await self._problem(send_with_id, scope, request_id, 400, "invalid-request", "Invalid Content-Length")
                return
            if declared is not None and int(declared) > limit:
                await self._problem(send_with_id, scope, request_id, 413, "body-too-large", "The body is too large")
                return
            received = 0

            async def counted_receive() -> Message:
                nonlocal received
                message = await receive()
                if message["type"] == "http.request":
                    received += len(message.get("body", b""))
                    if received > limit:  # a body sent without its length, read by the route
                        raise HTTPException(413, f"the request body is larger than {limit} bytes")
                return message

            try:
                await self.app(scope, counted_receive, send_with_id)
            except Exception:  # anything unexpected: logged with the request id, a bare 500, no trace leaks
                status = 500
                log.exception("unhandled error", extra={"request_id": request_id, "path": scope["path"]})
                if not started:
                    await self._problem(send_with_id, scope, request_id, 500, "internal-error", "Internal error")
        finally:
            route = scope.get("route")
            metrics = getattr(scope.get("app"), "state", None)
            if metrics is not None and getattr(metrics, "metrics", None) is not None:
                template = getattr(route, "path", "unmatched")
                metrics.metrics.observe(scope["method"], template, status, time.perf_counter() - began)
            principal = scope["state"].get("key_id")
            access_log.info(
                "request",
                extra={
                    "request_id": request_id,
                    "method": scope["method"],
                    "path": scope["path"],
                    "status": status,
                    "duration_ms": round((time.perf_counter() - began) * 1000, 2),
                    "key_id": principal,
                },
            )

    async def _problem(self, send: Send, scope: Scope, request_id: str, status: int, slug: str, title: str) -> None:
        detail = f"at most {self.limit_for(scope['path'])} bytes" if status == 413 else title
        if "NUL" in title:
            detail = "the path or the query string holds a NUL byte (%00), which no identifier or search may hold"
        body = problem_body(status, {"type": slug, "title": title, "detail": detail}, scope["path"], request_id)
        response = JSONResponse(body, status_code=status, media_type=PROBLEM_JSON)
        await response({"type": "http"}, _no_body, send)


def _has_nul(scope: Scope) -> bool:
    """No text column of either store can hold U+0000 (PostgreSQL refuses it outright), and no identifier,
    search or filter of the API contains one: refused here once, before any route reads it."""
    raw = scope.get("query_string", b"")
    return "\x00" in scope["path"] or b"\x00" in unquote_to_bytes(raw) or b"\x00" in scope.get("raw_path", b"")


async def _no_body() -> Message:
    return {"type": "http.request", "body": b"", "more_body": False}
