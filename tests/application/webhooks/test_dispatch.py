"""Webhooks end to end: the event log as the outbox, a real receiver on 127.0.0.1, on memory/SQLite/PostgreSQL."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal

import pytest
from standardwebhooks import Webhook
from standardwebhooks.webhooks import WebhookVerificationError

from domain.webhooks import RETRY_DELAYS, InvalidSubscription
from ledger.system import Ledger
from ledger.webhook_targets import check_target
from tests.conftest import shares_store
from tests.webhook_receiver import Clock, Receiver, signed_contract, subscribe
from workers.dispatcher import Dispatcher


def test_a_signed_contract_is_delivered_signed_and_verifies_with_the_package(
    ledger: Ledger, receivers: Callable[[], Receiver], make_dispatcher: Callable[[Ledger], Dispatcher]
) -> None:
    receiver = receivers()
    subscription = subscribe(ledger, receiver.url, ["contract.signed"])
    cid = signed_contract(ledger)
    assert make_dispatcher(ledger).run_once() == 1
    (request,) = receiver.received
    payload = Webhook(subscription.secret).verify(request["body"], request["headers"])
    assert payload["type"] == "contract.signed"
    assert payload["data"]["contract_id"] == str(cid) and payload["data"]["effective_date"] == "2025-08-25"
    assert request["headers"]["webhook-id"].startswith("msg_")
    tampered = request["body"].replace(b"2025-08-25", b"2025-08-26")
    with pytest.raises(WebhookVerificationError):
        Webhook(subscription.secret).verify(tampered, request["headers"])


def test_each_event_becomes_one_delivery_per_matching_subscription_exactly_once(
    ledger: Ledger, receivers: Callable[[], Receiver]
) -> None:
    receiver = receivers()
    signed_only = subscribe(ledger, receiver.url, ["contract.signed"])
    everything = subscribe(ledger, receiver.url, ["*"])
    other_employer = subscribe(ledger, receiver.url, ["*"], siret="98765432100019")
    signed_contract(ledger)
    ledger.sync()
    ledger.sync()  # again: nothing new
    by_subscription = {
        s.id: [d["type"] for d in ledger.outbox_view.deliveries([str(s.id)])]
        for s in (signed_only, everything, other_employer)
    }
    assert by_subscription[signed_only.id] == ["contract.signed"]
    assert by_subscription[everything.id] == ["contract.signed"]
    assert by_subscription[other_employer.id] == []


def test_a_receiver_down_for_a_while_gets_every_delivery_once_it_is_back(
    ledger: Ledger, receivers: Callable[[], Receiver], make_dispatcher: Callable[[Ledger], Dispatcher], clock: Clock
) -> None:
    receiver = receivers()
    receiver.status = 503
    subscription = subscribe(ledger, receiver.url)
    for key in ("a", "b", "c"):
        signed_contract(ledger, key)
    dispatcher = make_dispatcher(ledger)
    assert dispatcher.run_once() == 3
    for delay in RETRY_DELAYS[:3]:  # down for three more attempts (about 35 minutes)
        clock.advance(delay)
        assert dispatcher.run_once() == 3
    receiver.status = 200
    assert dispatcher.run_once() == 0  # not due yet: the next retry waits its turn
    clock.advance(RETRY_DELAYS[3])
    assert dispatcher.run_once() == 3
    deliveries = ledger.outbox_view.deliveries([str(subscription.id)])
    assert [d["status"] for d in deliveries] == ["delivered"] * 3 and ledger.outbox_view.due("9999-12-31", 10) == []
    ok = [r for r in receiver.received if r["status"] == 200]
    assert len(ok) == 3 and len({r["headers"]["webhook-id"] for r in ok}) == 3
    assert len(receiver.received) == 15  # 4 failed attempts each, then success
    attempts = ledger.outbox_view.attempts(deliveries[0]["id"])
    assert [a["status_code"] for a in attempts] == [503, 503, 503, 503, 200]
    assert all(a["latency_ms"] >= 0 for a in attempts) and attempts[0]["response_excerpt"] == "ok"


def test_a_dispatcher_restarted_mid_retry_loses_nothing_and_sends_no_duplicate(
    backend: dict[str, str],
    make_ledger: Callable[[], Ledger],
    receivers: Callable[[], Receiver],
    make_dispatcher: Callable[[Ledger], Dispatcher],
    clock: Clock,
) -> None:
    if not shares_store(backend):
        pytest.skip("an in-memory store is private to its process")
    first = make_ledger()
    receiver = receivers()
    receiver.status = 500
    subscribe(first, receiver.url)
    signed_contract(first)
    make_dispatcher(first).run_once()
    first.close()  # the dispatcher process dies mid-retry
    receiver.status = 200
    restarted = make_ledger()
    dispatcher = make_dispatcher(restarted)
    assert dispatcher.run_once() == 0  # the retry is not due before its time
    clock.advance(RETRY_DELAYS[0])
    assert dispatcher.run_once() == 1
    assert dispatcher.run_once() == 0
    assert [r["status"] for r in receiver.received] == [500, 200]
    assert len(set(receiver.ids())) == 1


def test_a_slow_receiver_does_not_block_the_others(
    ledger: Ledger, receivers: Callable[[], Receiver], make_dispatcher: Callable[[Ledger], Dispatcher]
) -> None:
    slow, fast = receivers(), receivers()
    slow.delay = 3.0  # longer than the 1 s timeout
    subscribe(ledger, slow.url)
    subscribe(ledger, fast.url)
    signed_contract(ledger)
    started = time.perf_counter()
    make_dispatcher(ledger).run_once()
    assert time.perf_counter() - started < 2.5  # the slow one timed out at 1 s; the fast one did not wait for it
    assert len(fast.received) == 1
    timed_out = [d for d in ledger.outbox_view.deliveries(_subscription_ids(ledger)) if d["status"] == "pending"]
    assert len(timed_out) == 1 and "Timeout" in (ledger.outbox_view.attempts(timed_out[0]["id"])[0]["error"] or "")


def _subscription_ids(ledger: Ledger) -> list[str]:
    ledger.outbox_sync()
    return [r.id for r in ledger.outbox_view.subscriptions_of("employer", "12345678900011")]


def test_a_410_disables_the_subscription_and_a_redirect_is_not_followed(
    ledger: Ledger, receivers: Callable[[], Receiver], make_dispatcher: Callable[[Ledger], Dispatcher]
) -> None:
    gone, moved, elsewhere = receivers(), receivers(), receivers()
    gone.status = 410
    moved.status, moved.location = 302, elsewhere.url
    gone_subscription = subscribe(ledger, gone.url)
    subscribe(ledger, moved.url)
    signed_contract(ledger)
    make_dispatcher(ledger).run_once()
    assert ledger.contracts.webhooks.get(gone_subscription.id).status == "disabled"
    assert elsewhere.received == [] and len(moved.received) == 1
    ledger.sync()
    assert ledger.outbox_view.subscription(str(gone_subscription.id)).status == "disabled"  # type: ignore[union-attr]


def test_after_the_last_attempt_the_delivery_fails_and_the_endpoint_is_disabled(
    ledger: Ledger, receivers: Callable[[], Receiver], make_dispatcher: Callable[[Ledger], Dispatcher], clock: Clock
) -> None:
    receiver = receivers()
    receiver.status = 500
    subscription = subscribe(ledger, receiver.url)
    signed_contract(ledger)
    dispatcher = make_dispatcher(ledger)
    dispatcher.run_once()
    for delay in RETRY_DELAYS:
        clock.advance(delay)
        dispatcher.run_once()
    assert len(receiver.received) == len(RETRY_DELAYS) + 1
    assert sum(RETRY_DELAYS, timedelta()) > timedelta(days=3)  # several days in total
    (delivery,) = ledger.outbox_view.deliveries([str(subscription.id)])
    assert delivery["status"] == "failed"
    assert ledger.contracts.webhooks.get(subscription.id).status == "disabled"


def test_a_new_minimum_wage_is_sent_with_its_amount_month_and_reason(
    ledger: Ledger, receivers: Callable[[], Receiver], make_dispatcher: Callable[[Ledger], Dispatcher]
) -> None:
    receiver = receivers()
    subscription = subscribe(ledger, receiver.url, ["wage.changed"])
    cid = signed_contract(ledger)
    hourly = Decimal("12.50")
    ledger.contracts.reference.record_smic_revaluation(date(2026, 9, 1), hourly, Decimal("1895.83"), "hypothetical")
    ledger.sync()  # the projections' followers: the wage view records the change the feed turns into a webhook
    make_dispatcher(ledger).run_once()
    (request,) = receiver.received
    payload = Webhook(subscription.secret).verify(request["body"], request["headers"])
    assert payload["type"] == "wage.changed" and payload["data"]["contract_id"] == str(cid)
    data = payload["data"]
    assert (data["cause"], data["effective_date"], data["new_amount"]) == ("SmicRevalued", "2026-09-01", "966.87")
    assert data["article"].startswith("L3231") and data["old_amount"] == "952.18"


def test_a_rotated_secret_signs_alongside_the_old_one_for_a_day(
    ledger: Ledger, receivers: Callable[[], Receiver], make_dispatcher: Callable[[Ledger], Dispatcher]
) -> None:
    receiver = receivers()
    subscription = subscribe(ledger, receiver.url)
    old = subscription.secret
    new = ledger.contracts.webhooks.rotate_secret(subscription.id)
    signed_contract(ledger)
    make_dispatcher(ledger).run_once()
    (request,) = receiver.received
    assert len(request["headers"]["webhook-signature"].split(" ")) == 2
    for secret in (old, new):
        assert (
            json.loads(request["body"])["type"] == Webhook(secret).verify(request["body"], request["headers"])["type"]
        )


def test_ssrf_targets_are_refused_when_subscribing_and_when_sending(
    ledger: Ledger, receivers: Callable[[], Receiver], make_dispatcher: Callable[[Ledger], Dispatcher]
) -> None:
    for url in ("http://127.0.0.1:9/x", "https://10.0.0.1/x", "https://169.254.169.254/latest", "https://[::1]/x"):
        with pytest.raises(InvalidSubscription):
            check_target(url, allow_private=False)
    with pytest.raises(InvalidSubscription):
        subscribe(ledger, "http://internal.example/x")  # plain http only to localhost
    receiver = receivers()
    subscribe(ledger, receiver.url)
    signed_contract(ledger)
    dispatcher = make_dispatcher(ledger)
    dispatcher.settings = dispatcher.settings.model_copy(update={"webhooks_allow_private_targets": False})
    dispatcher.run_once()
    assert receiver.received == []
    (delivery,) = ledger.outbox_view.deliveries(_subscription_ids(ledger))
    assert "refused" in (ledger.outbox_view.attempts(delivery["id"])[0]["error"] or "")
