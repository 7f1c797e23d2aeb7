"""Claims: two dispatchers against a slow receiver send each delivery once; a killed dispatcher's claim is
short (an attempt's timeouts plus a margin), not a minute."""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Callable
from datetime import timedelta

import pytest

from ledger.settings import Settings
from ledger.system import Ledger
from tests.conftest import shares_store
from tests.webhook_receiver import WEBHOOK_SETTINGS, Clock, Receiver, signed_contract, subscribe
from workers.dispatcher import Dispatcher

EVENTS = 40
SLOW = WEBHOOK_SETTINGS.model_copy(update={"webhook_timeout_seconds": 0.5, "dispatcher_concurrency": 2})


def test_two_dispatchers_and_a_slow_receiver_send_every_delivery_exactly_once(
    backend: dict[str, str], make_ledger: Callable[[], Ledger], receivers: Callable[[], Receiver]
) -> None:
    if not shares_store(backend):
        pytest.skip("an in-memory store is private to its process")
    receiver = receivers()
    receiver.delay = 0.3  # within the timeout, but the backlog takes longer than one claim
    first, second = make_ledger(), make_ledger()
    subscribe(first, receiver.url)
    for i in range(EVENTS):
        signed_contract(first, f"k{i}")
    dispatchers = [Dispatcher(first, SLOW), Dispatcher(second, SLOW)]
    backlog_alone = EVENTS * receiver.delay / SLOW.dispatcher_concurrency
    assert backlog_alone > dispatchers[0].claim_seconds  # so a claim over the whole batch would expire mid-batch
    threads = [threading.Thread(target=d.run_forever, args=(0.05,), daemon=True) for d in dispatchers]
    for t in threads:
        t.start()
    deadline = time.monotonic() + 30
    while len(set(receiver.ids())) < EVENTS and time.monotonic() < deadline:
        time.sleep(0.1)
    time.sleep(dispatchers[0].claim_seconds)  # any claim expiring late would re-send now
    for d in dispatchers:
        d.close()
    for t in threads:
        t.join(5)
    sends = Counter(receiver.ids())
    assert len(sends) == EVENTS
    assert [i for i, n in sends.items() if n > 1] == []


def test_a_killed_dispatchers_claim_expires_within_an_attempts_timeouts(
    ledger: Ledger, receivers: Callable[[], Receiver], make_dispatcher: Callable[[Ledger], Dispatcher], clock: Clock
) -> None:
    receiver = receivers()
    subscribe(ledger, receiver.url)
    signed_contract(ledger)
    dispatcher = make_dispatcher(ledger)
    ledger.outbox_sync()
    (due,) = ledger.outbox_view.due(clock().isoformat(), 10)
    now = clock()
    until = now + timedelta(seconds=dispatcher.claim_seconds)
    assert ledger.outbox_view.claim(due["id"], now.isoformat(), until.isoformat())  # then the process is killed
    assert dispatcher.run_once() == 0
    clock.advance(timedelta(seconds=dispatcher.claim_seconds + 0.1))
    assert dispatcher.run_once() == 1 and len(receiver.received) == 1
    assert Dispatcher(ledger, Settings(database_url="memory:")).claim_seconds <= 15  # the defaults: 15 s
