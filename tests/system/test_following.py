"""Long-lived processes follow the log: by LISTEN/NOTIFY on PostgreSQL (no busy polling), by polling on SQLite."""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest

from ledger.system import Ledger
from store import listener
from tests.contract_builders import terms


def wait_for(condition: Callable[[], bool], seconds: float) -> float:
    started = time.monotonic()
    while not condition():
        assert time.monotonic() - started < seconds, "not followed in time"
        time.sleep(0.02)
    return time.monotonic() - started


def test_a_postgres_follower_is_woken_by_notify_not_by_its_poll(
    backend: dict[str, str], make_ledger: Callable[[], Ledger], monkeypatch: pytest.MonkeyPatch
) -> None:
    if backend["PERSISTENCE_MODULE"] != "eventsourcing.postgres":
        pytest.skip("LISTEN/NOTIFY is PostgreSQL's")
    monkeypatch.setattr("ledger.system.SAFETY_POLL_SECONDS", 60.0)  # only a notification can be this quick
    follower, writer = make_ledger(), make_ledger()  # two processes on one store
    follower.follow()
    assert follower.listener is not None and isinstance(follower.listener, listener.NotifyListener)
    cid = writer.contracts.draft_contract(terms(), "k", "cfa-1").contract_id
    took = wait_for(lambda: follower.wage_view.contract(str(cid)) is not None, 5)
    assert took < 2 and follower.listener.notified >= 1


def test_a_sqlite_follower_polls(backend: dict[str, str], make_ledger: Callable[[], Ledger]) -> None:
    if "SQLITE_DBNAME" not in backend:
        pytest.skip("polling is the SQLite way")
    follower, writer = make_ledger(), make_ledger()
    follower.follow(interval=0.1)
    assert follower.listener is None
    cid = writer.contracts.draft_contract(terms(), "k", "cfa-1").contract_id
    assert wait_for(lambda: follower.wage_view.contract(str(cid)) is not None, 5) < 2
