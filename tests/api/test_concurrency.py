"""Two real HTTP requests at once against uvicorn on 127.0.0.1: If-Match and Idempotency-Key hold."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any
from uuid import UUID

import httpx
import pytest

from ledger.system import Ledger
from tests.contract_builders import terms


def at_once(*calls: Callable[[], httpx.Response]) -> list[httpx.Response]:
    barrier = threading.Barrier(len(calls))
    out: list[Any] = [None] * len(calls)

    def run(i: int) -> None:
        barrier.wait()
        out[i] = calls[i]()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    return out


@pytest.mark.parametrize("attempt", range(3))
def test_two_commands_with_the_same_if_match_record_exactly_one(
    live_server: tuple[str, Ledger, dict[str, str]], attempt: int
) -> None:
    url, ledger, keys = live_server
    auth = {"Authorization": f"Bearer {keys['cfa_a']}"}
    with httpx.Client(base_url=url, headers=auth, timeout=30) as client:
        r = client.post("/contracts", json=terms())
        cid, etag = r.json()["id"], r.headers["ETag"]
        sign = {"type": "Signed", "on": "2025-08-25"}
        correct = {"type": "TermsCorrected", "reason": "typo", "changes": {"apprentice": {"first_name": "Lea"}}}

        def post(event: dict[str, Any]) -> Callable[[], httpx.Response]:
            return lambda: httpx.post(f"{url}/contracts/{cid}/events", json=event, headers=auth | {"If-Match": etag})

        responses = at_once(post(sign), post(correct))
        assert sorted(r.status_code for r in responses) == [200, 412], [r.json() for r in responses]
        events = client.get(f"/contracts/{cid}/events").json()["events"]
        assert len(events) == 2 and client.get(f"/contracts/{cid}").headers["ETag"] == '"2"'


def test_two_drafts_with_the_same_idempotency_key_make_one_contract(
    live_server: tuple[str, Ledger, dict[str, str]],
) -> None:
    url, ledger, keys = live_server
    headers = {"Authorization": f"Bearer {keys['cfa_a']}", "Idempotency-Key": "retry-me"}
    responses = at_once(*(lambda: httpx.post(f"{url}/contracts", json=terms(), headers=headers, timeout=30),) * 2)
    assert sorted(r.status_code for r in responses) == [200, 201]
    assert len({r.json()["id"] for r in responses}) == 1
    history = ledger.contracts.contract_events(UUID(responses[0].json()["id"]))
    assert [e["type"] for e in history] == ["Drafted"]
