"""Rate limiting, per API key and per client IP: a token bucket for each, in this process's memory.

Each bucket holds up to a tenth of a minute's allowance (a burst) and refills at the per-minute rate; a
request finding its bucket empty gets 429 with `Retry-After` (seconds) before the route runs. The limits are
per process: with `ledger serve --workers N` a client may get up to N times the figure (documented in the
README). The key's bucket is named by a hash of the whole Authorization header, so a made-up token never
spends a real key's allowance. The health checks and /metrics are never limited (probes, scrapers).
"""

from __future__ import annotations

import hashlib
import math
import time
from collections import OrderedDict
from collections.abc import Callable

from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from api.problems import PROBLEM_JSON, problem_body

UNLIMITED_PATHS = frozenset({"/healthz", "/readyz", "/metrics"})
MAX_BUCKETS = 100_000  # the least recently used are forgotten (a full bucket again)
BURST_FRACTION = 0.1


class TokenBuckets:
    def __init__(self, per_minute: int, clock: Callable[[], float] = time.monotonic) -> None:
        self.rate = per_minute / 60.0
        self.capacity = max(1.0, per_minute * BURST_FRACTION)
        self.clock = clock
        self.buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()  # name → (tokens, at)

    def take(self, name: str) -> float:
        """0 if a request may go now; otherwise the seconds until it may."""
        now = self.clock()
        tokens, at = self.buckets.pop(name, (self.capacity, now))
        tokens = min(self.capacity, tokens + (now - at) * self.rate)
        wait = 0.0
        if tokens >= 1:
            tokens -= 1
        else:
            wait = (1 - tokens) / self.rate
        self.buckets[name] = (tokens, now)
        if len(self.buckets) > MAX_BUCKETS:
            self.buckets.popitem(last=False)
        return wait


class RateLimit:
    def __init__(self, app: ASGIApp, per_key_per_minute: int, per_ip_per_minute: int) -> None:
        self.app = app
        self.keys = TokenBuckets(per_key_per_minute) if per_key_per_minute > 0 else None
        self.ips = TokenBuckets(per_ip_per_minute) if per_ip_per_minute > 0 else None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] in UNLIMITED_PATHS:
            await self.app(scope, receive, send)
            return
        wait = 0.0
        if self.ips is not None:
            client = scope.get("client")
            wait = self.ips.take(client[0] if client else "?")
        authorization = next((v for k, v in scope["headers"] if k.lower() == b"authorization"), None)
        if self.keys is not None and authorization is not None and not wait:
            wait = self.keys.take(hashlib.sha256(authorization).hexdigest())
        if wait:
            seconds = max(1, math.ceil(wait))
            body = problem_body(
                429,
                {
                    "type": "rate-limited",
                    "title": "Too many requests",
                    "detail": f"too many requests from this key or address: retry in {seconds} s",
                },
                scope["path"],
                scope.get("state", {}).get("request_id"),
            )
            response = JSONResponse(
                body, status_code=429, media_type=PROBLEM_JSON, headers={"Retry-After": str(seconds)}
            )
            await response(scope, receive, send)
            return
        await self.app(scope, receive, send)
