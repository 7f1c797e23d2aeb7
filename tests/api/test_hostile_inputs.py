"""Inputs that once gave a 500, or an error after a write: each is a 4xx problem now, and records nothing."""

from __future__ import annotations

from typing import Any

import pytest

from tests.api.conftest import Api
from tests.contract_builders import terms

PROBLEM = "application/problem+json"


def event_count(api: Api) -> int:
    return int(api.ledger.contracts.recorder.max_notification_id() or 0)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"smc": [{"from": "2026-01-01", "monthly": 1e308}]}, "smc[0].monthly"),
        ({"end_date": "9999-12-31"}, "end_date"),
        ({"start_date": "0001-01-01"}, "start_date"),
        (
            {"cross_border": {"country": "LU", "practical_part_abroad": True, "formation": "BAC professionnel"}},
            "end_date",  # the LU table has no BAC year 2: refused before anything is recorded
        ),
    ],
)
def test_a_draft_the_engine_could_not_handle_is_refused_before_it_is_recorded(
    api: Api, change: dict[str, Any], field: str
) -> None:
    before = event_count(api)
    r = api.draft({**terms(), **change, "working_time_ratio": 1})
    assert r.status_code == 422 and r.headers["content-type"] == PROBLEM, r.json()
    assert r.json()["field"] == field
    assert event_count(api) == before


def test_events_the_engine_could_not_handle_are_refused_and_record_nothing(api: Api) -> None:
    cid, etag = api.running(terms())
    before = event_count(api)
    for event in (
        {"type": "SmcChanged", "from": "2026-06-01", "monthly": "1e308"},
        {"type": "TermsCorrected", "reason": "x", "changes": {"end_date": "9999-12-31"}},
        {"type": "TermsCorrected", "reason": "typo", "changes": {"apprentice": {"birth_dat": "2001-01-01"}}},
        {"type": "TermsCorrected", "reason": "x", "changes": _nested(400)},
    ):
        r = api.record(cid, event, etag)
        assert r.status_code == 422 and r.headers["content-type"] == PROBLEM, (event["type"], r.json())
    assert event_count(api) == before


def _nested(depth: int) -> dict[str, Any]:
    inner: dict[str, Any] = {}
    for _ in range(depth):
        inner = {"a": inner}
    return {"x": inner}


def test_a_misspelt_correction_names_the_field(api: Api) -> None:
    cid, etag = api.running(terms())
    r = api.record(
        cid, {"type": "TermsCorrected", "reason": "typo", "changes": {"apprentice": {"birth_dat": "x"}}}, etag
    )
    assert r.json()["field"] == "changes.apprentice.birth_dat"


def test_a_simulation_with_a_malformed_event_type_is_a_422(api: Api) -> None:
    malformed: tuple[Any, ...] = ([], {}, 3)
    for event_type in malformed:
        r = api.client.post(
            "/simulations/schedule",
            json={"terms": terms(), "events": [{"type": event_type}]},
            headers=api.auth("cfa_a"),
        )
        assert r.status_code == 422 and r.json()["field"] == "events[0].type"


@pytest.mark.parametrize("if_match", ["*", 'W/"1"', "1", '"1", "2"', '""'])
def test_if_match_must_be_one_strong_etag(api: Api, if_match: str) -> None:
    r = api.draft(terms())
    assert r.headers["ETag"] == '"1"'
    answer = api.record(r.json()["id"], {"type": "Signed", "on": "2025-08-25"}, if_match)
    assert answer.status_code == 428 and answer.json()["type"] == "/problems/if-match-required"


def test_an_idempotency_key_is_checked_once_with_one_answer(api: Api) -> None:
    assert api.draft(terms(), key="k" * 200).status_code == 201
    too_long = api.draft(terms(), key="k" * 201)
    assert too_long.status_code == 422 and too_long.json()["field"] == "idempotency_key"


def test_an_unexpected_error_is_a_bare_500_problem_with_the_request_id(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    cid, _ = api.running(terms())

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("secret internals")

    monkeypatch.setattr(api.ledger.contracts, "current_months_json", broken)
    r = api.client.get(f"/contracts/{cid}/wages", headers=api.auth("cfa_a") | {"X-Request-ID": "trace-me"})
    assert r.status_code == 500 and r.headers["content-type"] == PROBLEM
    assert r.headers["X-Request-ID"] == "trace-me" and r.json()["request_id"] == "trace-me"
    assert "secret" not in r.text and r.json()["type"] == "/problems/internal-error"


def test_malformed_json_and_headers_are_problems(api: Api) -> None:
    r = api.client.post(
        "/contracts", content=b"[" * 2000, headers=api.auth("cfa_a") | {"content-type": "application/json"}
    )
    assert 400 <= r.status_code < 500 and r.json()["type"].startswith("/problems/")
    assert api.get("/contracts/not-a-uuid").json()["detail"] == "no such contract"
    bad_as_of = api.get(f"/contracts/{api.running(terms())[0]}/wages", as_of="99999999999")
    assert bad_as_of.status_code == 422 and bad_as_of.json()["field"] == "as_of"


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/webhooks/deliveries/%00"),
        ("POST", "/webhooks/deliveries/%00/redeliver"),
        ("GET", "/webhooks/subscriptions/%00"),
        ("GET", "/contracts?q=%00"),
        ("GET", "/webhooks/deliveries?subscription_id=%00"),
    ],
)
def test_a_nul_byte_in_the_request_target_is_a_400_problem(api: Api, method: str, path: str) -> None:
    r = api.client.request(method, path, headers=api.auth("cfa_a"))
    assert r.status_code == 400 and r.headers["content-type"] == PROBLEM, r.text
    assert "NUL" in r.json()["detail"]


def test_a_nul_byte_in_the_ui_search_is_a_400_problem(api: Api) -> None:
    r = api.client.get("/ui/contracts?q=a%00b")
    assert r.status_code == 400 and r.headers["content-type"] == PROBLEM, r.text


@pytest.mark.parametrize("url", ["https://localhost:99999/", "https://localhost:abc/", "https://[::1/"])
def test_a_webhook_url_with_a_bad_port_is_a_422_naming_the_url(api: Api, url: str) -> None:
    before = event_count(api)
    r = api.client.post("/webhooks/subscriptions", json={"url": url, "event_types": ["*"]}, headers=api.auth("cfa_a"))
    assert r.status_code == 422 and r.headers["content-type"] == PROBLEM, r.text
    assert r.json()["field"] == "url"
    assert event_count(api) == before


@pytest.mark.parametrize(
    ("event", "field"),
    [
        ({"type": "SmcChanged", "from": "2026-06-01", "monthly": "1900.00", "bogus": 1}, "events[0].bogus"),
        ({"type": "Terminated", "on": "2026-06-01", "reason": "x", "when": "now"}, "events[0].when"),
    ],
)
def test_a_simulation_refuses_unknown_fields_in_its_events(api: Api, event: dict[str, Any], field: str) -> None:
    r = api.client.post(
        "/simulations/schedule", json={"terms": terms(), "events": [event]}, headers=api.auth("employer")
    )
    assert r.status_code == 422 and r.headers["content-type"] == PROBLEM, r.text
    assert r.json()["field"] == field


def test_a_simulation_still_takes_known_events(api: Api) -> None:
    event = {"type": "SmcChanged", "from": "2026-06-01", "monthly": "1900.00"}
    r = api.client.post(
        "/simulations/schedule", json={"terms": terms(), "events": [event]}, headers=api.auth("employer")
    )
    assert r.status_code == 200, r.text
