"""Webhook subscriptions and deliveries over HTTP, with a real receiver on 127.0.0.1."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from ledger.system import Ledger
from tests.api.conftest import TODAY, Api, issue_keys
from tests.contract_builders import terms
from tests.webhook_receiver import WEBHOOK_SETTINGS, Receiver
from workers.dispatcher import Dispatcher


@pytest.fixture
def hooks_api(make_ledger: Callable[[], Ledger]) -> Iterator[Api]:
    ledger = make_ledger()
    with TestClient(create_app(ledger, settings=WEBHOOK_SETTINGS, today=lambda: TODAY)) as client:
        yield Api(client, ledger, issue_keys(ledger))


def subscribe(api: Api, url: str, who: str = "employer", key: str | None = None) -> dict[str, object]:
    headers = api.auth(who) | ({"Idempotency-Key": key} if key else {})
    body = {"url": url, "event_types": ["contract.signed", "wage.changed"], "description": "payroll"}
    r = api.client.post("/webhooks/subscriptions", json=body, headers=headers)
    assert r.status_code in (200, 201), r.json()
    return dict(r.json())


def test_the_secret_is_shown_once_and_a_retry_makes_no_second_subscription(hooks_api: Api) -> None:
    first = subscribe(hooks_api, "http://127.0.0.1:9/hook", key="k")
    assert str(first["secret"]).startswith("whsec_")
    again = subscribe(hooks_api, "http://127.0.0.1:9/hook", key="k")
    assert again["id"] == first["id"] and again["secret"] is None
    listed = hooks_api.get("/webhooks/subscriptions", who="employer").json()["items"]
    assert [s["id"] for s in listed] == [first["id"]] and all(s["secret"] is None for s in listed)
    rotated = hooks_api.client.post(
        f"/webhooks/subscriptions/{first['id']}/rotate-secret", headers=hooks_api.auth("employer")
    )
    assert rotated.json()["secret"] not in (None, first["secret"])


def test_a_subscription_is_only_the_tenants_and_admins_have_none(hooks_api: Api) -> None:
    mine = subscribe(hooks_api, "http://127.0.0.1:9/hook", who="employer")
    assert hooks_api.get(f"/webhooks/subscriptions/{mine['id']}", who="other_employer").status_code == 404
    assert hooks_api.get(f"/webhooks/subscriptions/{mine['id']}", who="cfa_a").status_code == 404
    assert hooks_api.get("/webhooks/subscriptions", who="other_employer").json()["items"] == []
    assert hooks_api.get("/webhooks/subscriptions", who="admin").status_code == 403
    paused = hooks_api.client.post(f"/webhooks/subscriptions/{mine['id']}/pause", headers=hooks_api.auth("employer"))
    assert paused.json()["status"] == "paused"
    assert (
        hooks_api.client.post(
            f"/webhooks/subscriptions/{mine['id']}/pause", headers=hooks_api.auth("employer")
        ).status_code
        == 422
    )


def test_refused_targets_and_types_are_problems(hooks_api: Api) -> None:
    with TestClient(create_app(hooks_api.ledger, today=lambda: TODAY)) as default:  # no private target allowed
        auth = hooks_api.auth("employer")
        r = default.post(
            "/webhooks/subscriptions", json={"url": "http://127.0.0.1:9/h", "event_types": ["*"]}, headers=auth
        )
        assert r.status_code == 422 and "refused" in r.json()["detail"]
        body = {"url": "https://example.org/h", "event_types": ["contract.paid"]}
        r = default.post("/webhooks/subscriptions", json=body, headers=auth)
        assert r.status_code == 422 and r.json()["field"] == "event_types"


def test_deliveries_attempts_redelivery_and_replay(
    hooks_api: Api, receivers: Callable[[], Receiver], make_dispatcher: Callable[[Ledger], Dispatcher]
) -> None:
    receiver = receivers()
    subscription = subscribe(hooks_api, receiver.url)
    cid = hooks_api.draft(terms()).json()["id"]
    hooks_api.record(cid, {"type": "Signed", "on": "2025-08-25"}, '"1"')
    dispatcher = make_dispatcher(hooks_api.ledger)
    dispatcher.run_once()
    (delivery,) = hooks_api.get("/webhooks/deliveries", who="employer").json()["items"]
    assert (delivery["type"], delivery["status"], delivery["attempts"]) == ("contract.signed", "delivered", 1)
    detail = hooks_api.get(f"/webhooks/deliveries/{delivery['id']}", who="employer").json()
    assert detail["attempt_log"][0]["status_code"] == 200
    assert hooks_api.get(f"/webhooks/deliveries/{delivery['id']}", who="other_employer").status_code == 404
    again = hooks_api.client.post(
        f"/webhooks/deliveries/{delivery['id']}/redeliver", headers=hooks_api.auth("employer")
    )
    assert again.json()["status"] == "pending"
    dispatcher.run_once()
    replay = hooks_api.client.post(
        f"/webhooks/subscriptions/{subscription['id']}/replay",
        json={"from": "2000-01-01T00:00:00Z", "to": "2100-01-01T00:00:00Z"},
        headers=hooks_api.auth("employer"),
    )
    assert replay.json() == {"requeued": 1}
    dispatcher.run_once()
    assert len(receiver.received) == 3 and len(set(receiver.ids())) == 1  # same webhook-id every time


def test_an_idempotency_key_reused_with_another_request_is_a_422_and_changes_nothing(hooks_api: Api) -> None:
    first = subscribe(hooks_api, "http://127.0.0.1:9/hook", key="same")
    other = {"url": "http://127.0.0.1:9/other", "event_types": ["*"], "description": "payroll"}
    r = hooks_api.client.post(
        "/webhooks/subscriptions", json=other, headers=hooks_api.auth("employer") | {"Idempotency-Key": "same"}
    )
    assert r.status_code == 422 and r.json()["type"] == "/problems/idempotency-key-reused", r.text
    assert r.json()["field"] == "idempotency_key"
    kept = hooks_api.get(f"/webhooks/subscriptions/{first['id']}", who="employer").json()
    assert kept["url"] == "http://127.0.0.1:9/hook"
