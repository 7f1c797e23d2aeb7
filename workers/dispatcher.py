"""The webhook dispatcher: sends due deliveries, signs them (Standard Webhooks), retries, records each attempt.

At least once: a delivery is claimed for one attempt just before it is sent (two dispatchers never send it
at the same time), sent, and its outcome recorded; a dispatcher that dies between the send and the record
leaves the claim to expire (`Dispatcher.claim_seconds`, seconds) and the delivery is sent again, with the same
`webhook-id` so the receiver can de-duplicate.
- 2xx: delivered. 410: gone, and the subscription is disabled. Anything else (3xx included: redirects are
  never followed), a timeout or a refused address: retried on the schedule of `domain.webhooks` with
  jitter; after the last attempt the delivery fails and the subscription is disabled.
- Each send has short timeouts; a slow receiver holds one of the dispatcher's workers, not the others.
"""

from __future__ import annotations

import json
import logging
import random
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

import httpx
from standardwebhooks import Webhook

from domain.errors import DomainError
from domain.webhooks import Subscription, next_attempt_delay
from ledger.settings import Settings
from ledger.system import Ledger
from ledger.webhook_targets import Resolver, check_target, resolve
from projections.webhooks.view import DELIVERED, FAILED, GONE, PENDING

log = logging.getLogger("ledger.dispatcher")
CLAIM_MARGIN_SECONDS = 3.0  # beyond an attempt's own timeouts: recording the outcome
EXCERPT_CHARS = 500
USER_AGENT = "apprenticeship-ledger-webhooks/1"


@dataclass(frozen=True)
class Outcome:
    status_code: int | None
    latency_ms: float
    excerpt: str
    error: str | None


def utcnow() -> datetime:
    return datetime.now(UTC)


class Dispatcher:
    def __init__(
        self,
        ledger: Ledger,
        settings: Settings | None = None,
        now: Callable[[], datetime] = utcnow,
        jitter: Callable[[], float] = random.random,
        resolver: Resolver = resolve,
    ) -> None:
        self.resolver = resolver
        self.ledger = ledger
        self.settings = settings or Settings()
        self.now = now
        self.jitter = jitter
        self.client = httpx.Client(
            timeout=httpx.Timeout(
                self.settings.webhook_timeout_seconds, connect=min(2.0, self.settings.webhook_timeout_seconds)
            ),
            follow_redirects=False,
            headers={"user-agent": USER_AGENT},
        )
        self.pool = ThreadPoolExecutor(max_workers=self.settings.dispatcher_concurrency, thread_name_prefix="webhook")
        self._stop = threading.Event()

    def close(self) -> None:
        self._stop.set()
        self.pool.shutdown(wait=True)
        self.client.close()

    # -- one pass ------------------------------------------------------------------------------------------------
    @property
    def claim_seconds(self) -> float:
        """How long one attempt may hold its delivery: the connect, write and read timeouts plus a margin.
        A dispatcher killed mid-send holds its deliveries no longer than this (15 s with the defaults)."""
        timeout = self.settings.webhook_timeout_seconds
        return min(2.0, timeout) + 2 * timeout + CLAIM_MARGIN_SECONDS

    def run_once(self, limit: int = 200) -> int:
        """Bring the outbox up to date, then attempt every due delivery (at most `limit`); how many attempted.

        Each delivery is claimed by the worker about to send it, just before the send, for one attempt's
        duration: a claim never covers a delivery still waiting behind others in this process, so another
        dispatcher can never find it expired while it is in flight or about to be sent (no duplicate)."""
        self.ledger.outbox_sync()
        due = self.ledger.outbox_view.due(self.now().isoformat(), limit)
        subscriptions: dict[str, Subscription | None] = {}
        for d in due:
            if d["subscription_id"] not in subscriptions:
                subscriptions[d["subscription_id"]] = self.ledger.contracts.webhooks.find(UUID(d["subscription_id"]))
        return sum(self.pool.map(lambda d: self._claim_and_attempt(d, subscriptions[d["subscription_id"]]), due))

    def _claim_and_attempt(self, delivery: dict[str, Any], subscription: Subscription | None) -> bool:
        if self._stop.is_set():
            return False
        now = self.now()
        until = now + timedelta(seconds=self.claim_seconds)
        if not self.ledger.outbox_view.claim(delivery["id"], now.isoformat(), until.isoformat()):
            return False  # another dispatcher has it, or sent it meanwhile
        self._attempt(delivery, subscription)
        return True

    def run_forever(self, interval: float = 0.5) -> None:
        while not self._stop.is_set():
            try:
                busy = self.run_once()
            except Exception:  # keep dispatching; each delivery's own errors are recorded as attempts
                log.exception("dispatcher pass failed")
                busy = 0
            if not busy:
                self._stop.wait(interval)

    # -- one delivery --------------------------------------------------------------------------------------------
    def _attempt(self, delivery: dict[str, Any], subscription: Subscription | None) -> None:
        attempt = delivery["attempts"] + 1
        if subscription is None:
            outcome = Outcome(None, 0.0, "", "the subscription no longer exists")
        else:
            outcome = self._send(delivery, subscription)
        at = self.now()
        code = outcome.status_code
        next_at: str | None = None
        if code is not None and 200 <= code < 300:
            state = DELIVERED
        elif code == 410:
            state = GONE
        else:
            delay = next_attempt_delay(attempt, self.jitter())
            state = PENDING if delay is not None else FAILED
            next_at = (at + delay).isoformat() if delay is not None else None
        self.ledger.outbox_view.record_attempt(
            delivery["id"],
            attempt,
            at.isoformat(),
            code,
            outcome.latency_ms,
            outcome.excerpt,
            outcome.error,
            state,
            next_at,
        )
        if subscription is not None and state in (GONE, FAILED):
            why = "the receiver answered 410 Gone" if state == GONE else f"all {attempt} attempts failed"
            self.ledger.contracts.webhooks.disable(subscription.id, why)
            log.warning("webhook subscription disabled", extra={"subscription_id": str(subscription.id), "why": why})

    def _send(self, delivery: dict[str, Any], subscription: Subscription) -> Outcome:
        started = time.perf_counter()
        try:  # resolved once: the request goes to the address checked here (no DNS rebinding in between)
            target = check_target(subscription.url, self.settings.webhooks_allow_private_targets, self.resolver)
        except DomainError as e:
            return Outcome(None, 0.0, "", e.detail)
        body = json.dumps(delivery["body"], ensure_ascii=False, separators=(",", ":"))  # signed as sent
        msg_id = f"msg_{delivery['id']}"
        now = self.now()
        signature = " ".join(Webhook(s).sign(msg_id, now, body) for s in subscription.signing_secrets(now))
        headers = {
            "content-type": "application/json",
            "webhook-id": msg_id,
            "webhook-timestamp": str(int(now.timestamp())),
            "webhook-signature": signature,
            "host": target.host_header(),
        }
        response: httpx.Response | None = None
        error: httpx.HTTPError | None = None
        # Every address was checked (no new resolution); a second one only if the first refuses the connection,
        # and no more, so that an attempt stays within its claim (`claim_seconds`).
        for address in (target.address, *target.others[:1]):
            try:
                response = self.client.post(
                    target.pinned_url(address),
                    content=body.encode(),
                    headers=headers,
                    extensions=target.request_extensions(),
                )
                break
            except httpx.ConnectError as e:
                error = e
            except httpx.HTTPError as e:
                error = e
                break
        if response is None:
            took = (time.perf_counter() - started) * 1000
            return Outcome(None, took, "", f"{type(error).__name__}: {error}"[:EXCERPT_CHARS])
        return Outcome(
            response.status_code, (time.perf_counter() - started) * 1000, response.text[:EXCERPT_CHARS], None
        )
