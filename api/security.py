"""Browser-facing protections, as one ASGI middleware:

- every answer: `X-Content-Type-Options: nosniff`, `X-Frame-Options: DENY`, `Referrer-Policy: no-referrer`,
  and `Cache-Control: no-store` unless the route set its own (contracts, wages and pages hold personal data:
  no shared or browser cache keeps them);
- the pages (`/ui`): a Content-Security-Policy allowing only the service's own scripts and styles, and no
  framing (`frame-ancestors 'none'`);
- a POST, PUT, PATCH or DELETE to `/ui` that a browser marks as cross-site (`Sec-Fetch-Site`), or whose
  `Origin` is not the service's own, is refused with 403 before the route runs (login CSRF; the session
  cookie is SameSite=Strict besides). A client that sends neither header (not a browser) is not concerned.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.problems import PROBLEM_JSON, problem_body

PAGE_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
ALWAYS = [
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
]
UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})
SAME_SITE = frozenset({"same-origin", "none"})  # `none`: typed in the address bar or a bookmark


def _is_page(path: str) -> bool:
    return path == "/ui" or path.startswith(("/ui/", "/static/"))


def cross_origin(scope: Scope) -> bool:
    """A browser's request to a page from another site (Sec-Fetch-Site, else Origin against Host)."""
    headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
    fetch_site = headers.get("sec-fetch-site")
    if fetch_site is not None:
        return fetch_site not in SAME_SITE
    origin = headers.get("origin")
    if origin is None:
        return False
    return origin == "null" or urlsplit(origin).netloc.lower() != headers.get("host", "").lower()


class SecurityHeaders:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        page = _is_page(scope["path"])

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                names = {k.lower() for k, _ in headers}
                headers += [h for h in ALWAYS if h[0] not in names]
                if b"cache-control" not in names and not scope["path"].startswith("/static/"):
                    headers.append((b"cache-control", b"no-store"))
                if page:
                    headers.append((b"content-security-policy", PAGE_CSP.encode()))
                message["headers"] = headers
            await send(message)

        if page and scope["method"] in UNSAFE and cross_origin(scope):
            body = problem_body(
                403,
                {
                    "type": "cross-origin-refused",
                    "title": "Cross-origin request refused",
                    "detail": "a page's form may only be sent from the service's own pages",
                },
                scope["path"],
                scope.get("state", {}).get("request_id"),
            )
            await JSONResponse(body, status_code=403, media_type=PROBLEM_JSON)(scope, receive, with_headers)
            return
        await self.app(scope, receive, with_headers)
