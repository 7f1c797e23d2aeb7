"""The real FastAPI app over a real ledger on each store, with one API key per role.

`Api` is the test's view of the service: a TestClient through the whole ASGI stack (middleware, handlers,
routes) and the keys. `live_server` runs the same app in uvicorn on 127.0.0.1 for tests that need real
concurrent HTTP requests.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
import uvicorn
from fastapi import FastAPI
from fastapi.testclient import TestClient

from api.main import create_app
from ledger.system import Ledger

TODAY = date(2026, 1, 15)
EMPLOYER_SIRET = "12345678900011"  # the employer of tests.contract_builders.BASE
OTHER_SIRET = "98765432100019"


@dataclass
class Api:
    client: TestClient
    ledger: Ledger
    keys: dict[str, str]  # cfa_a, cfa_b, employer, other_employer, admin

    def auth(self, who: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.keys[who]}"}

    def draft(self, terms: dict[str, Any], who: str = "cfa_a", key: str | None = None) -> Any:
        headers = self.auth(who) | ({"Idempotency-Key": key} if key else {})
        return self.client.post("/contracts", json=terms, headers=headers)

    def record(self, cid: str, event: dict[str, Any], etag: str | None, who: str = "cfa_a") -> Any:
        headers = self.auth(who) | ({"If-Match": etag} if etag is not None else {})
        return self.client.post(f"/contracts/{cid}/events", json=event, headers=headers)

    def get(self, path: str, who: str = "cfa_a", **params: Any) -> Any:
        return self.client.get(path, headers=self.auth(who), params=params)

    def running(self, terms: dict[str, Any], who: str = "cfa_a") -> tuple[str, str]:
        """Draft, sign, file and accept; returns (id, ETag)."""
        r = self.draft(terms, who)
        assert r.status_code == 201, r.json()
        cid, etag = r.json()["id"], r.headers["ETag"]
        for event in (
            {"type": "Signed", "on": "2025-08-25"},
            {"type": "Filed", "on": terms["start_date"], "authority": "OPCO"},
            {"type": "FilingDecided", "on": terms["start_date"], "accepted": True},
        ):
            r = self.record(cid, event, etag, who)
            assert r.status_code == 200, r.json()
            etag = r.headers["ETag"]
        return cid, etag


def issue_keys(ledger: Ledger) -> dict[str, str]:
    issue = ledger.contracts.keys.issue
    return {
        "cfa_a": issue("cfa", "cfa-a", "CFA A").token,
        "cfa_b": issue("cfa", "cfa-b", "CFA B").token,
        "employer": issue("employer", EMPLOYER_SIRET, "Boulangerie Martin").token,
        "other_employer": issue("employer", OTHER_SIRET, "another employer").token,
        "admin": issue("admin", None, "auditor").token,
    }


@pytest.fixture
def api(make_ledger: Callable[[], Ledger]) -> Iterator[Api]:
    ledger = make_ledger()
    with TestClient(create_app(ledger, today=lambda: TODAY)) as client:
        yield Api(client, ledger, issue_keys(ledger))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def live_server(make_ledger: Callable[[], Ledger]) -> Iterator[tuple[str, Ledger, dict[str, str]]]:
    """(base URL, ledger, keys) of the app served by uvicorn on 127.0.0.1 in a thread."""
    ledger = make_ledger()
    keys = issue_keys(ledger)
    app: FastAPI = create_app(ledger, today=lambda: TODAY)
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=_free_port(), log_config=None))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{server.config.port}", ledger, keys
    finally:
        server.should_exit = True
        thread.join(timeout=10)
