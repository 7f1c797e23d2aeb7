"""The CFA page's sessions: the cookie holds a server-side session token (never the API key), HttpOnly and
SameSite; the session lives in the ledger's store (another API process on the same store honours it), is
closed by logout and ended by revoking its key."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from domain.sessions import UiSession, session_aggregate_id, session_token_hash
from ledger.system import Ledger
from tests.api.conftest import TODAY, Api
from tests.conftest import shares_store


def signed_in(api: Api, who: str = "cfa_a") -> str:
    r = api.client.post("/ui/login", data={"key": api.keys[who]}, follow_redirects=False)
    assert r.status_code == 303, r.text
    cookie = r.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie.replace("Strict", "strict")
    token = r.cookies["ledger_session"]
    assert api.keys[who] not in cookie and api.keys[who].split(".")[-1] not in cookie
    return token


def page(client: TestClient, token: str) -> Any:
    client.cookies.clear()
    client.cookies.set("ledger_session", token)
    return client.get("/ui/contracts", follow_redirects=False)


def test_the_cookie_holds_a_session_token_stored_only_as_its_hash(api: Api) -> None:
    token = signed_in(api)
    session: UiSession = api.ledger.contracts.repository.get(session_aggregate_id(session_token_hash(token)))
    assert session.token_sha256 == session_token_hash(token) and not hasattr(session, "token")
    assert page(api.client, token).status_code == 200


def test_an_api_key_in_the_cookie_opens_nothing(api: Api) -> None:
    r = page(api.client, api.keys["cfa_a"])
    assert r.status_code == 303 and r.headers["location"] == "/ui/login"


def test_logout_closes_the_session_on_the_server(api: Api) -> None:
    token = signed_in(api)
    api.client.cookies.clear()
    api.client.cookies.set("ledger_session", token)
    api.client.post("/ui/logout", follow_redirects=False)
    r = page(api.client, token)
    assert r.status_code == 303  # the old cookie, replayed, is dead


def test_revoking_the_key_ends_its_sessions(api: Api) -> None:
    token = signed_in(api)
    key_id = api.ledger.contracts.keys.authenticate(api.keys["cfa_a"]).key_id  # type: ignore[union-attr]
    api.ledger.contracts.keys.revoke(key_id)
    r = page(api.client, token)
    assert r.status_code == 303


def test_another_api_process_on_the_same_store_honours_the_session(
    api: Api, backend: dict[str, str], make_ledger: Callable[[], Ledger]
) -> None:
    if not shares_store(backend):
        pytest.skip("an in-memory store is private to its process")
    token = signed_in(api)
    other = TestClient(create_app(ledger=make_ledger(), today=lambda: TODAY))
    r = page(other, token)
    assert r.status_code == 200
