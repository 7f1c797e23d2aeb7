"""Rate limiting per API key and per client IP: 429 with Retry-After once a bucket is empty; another key
or a made-up token does not spend a key's allowance; the health checks are never limited."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi.testclient import TestClient

from api.main import create_app
from api.rate_limit import TokenBuckets
from ledger.settings import Settings
from ledger.system import Ledger
from tests.api.conftest import TODAY, issue_keys


def client_with(make_ledger: Callable[[], Ledger], **limits: int) -> tuple[TestClient, dict[str, str]]:
    ledger = make_ledger()
    values: dict[str, Any] = {"database_url": "memory:", **limits}
    settings = Settings(**values)
    return TestClient(create_app(ledger, settings=settings, today=lambda: TODAY)), issue_keys(ledger)


def test_a_key_over_its_rate_gets_429_with_retry_after_and_another_key_does_not(
    make_ledger: Callable[[], Ledger],
) -> None:
    client, keys = client_with(make_ledger, api_rate_limit_per_key=60, api_rate_limit_per_ip=0)  # a burst of 6
    mine = {"Authorization": f"Bearer {keys['cfa_a']}"}
    answers = [client.get("/contracts", headers=mine) for _ in range(7)]
    assert [r.status_code for r in answers[:6]] == [200] * 6
    limited = answers[6]
    assert limited.status_code == 429 and limited.headers["content-type"] == "application/problem+json"
    assert int(limited.headers["retry-after"]) >= 1 and limited.json()["type"] == "/problems/rate-limited"
    assert client.get("/contracts", headers={"Authorization": f"Bearer {keys['cfa_b']}"}).status_code == 200
    assert client.get("/contracts", headers={"Authorization": "Bearer al_forged.x"}).status_code == 401
    assert client.get("/healthz").status_code == 200


def test_an_address_over_its_rate_gets_429_whatever_key_it_uses(make_ledger: Callable[[], Ledger]) -> None:
    client, keys = client_with(make_ledger, api_rate_limit_per_key=0, api_rate_limit_per_ip=30)  # a burst of 3
    codes = [
        client.get("/contracts", headers={"Authorization": f"Bearer {keys[k]}"}).status_code
        for k in ("cfa_a", "cfa_b", "employer", "admin")
    ]
    assert codes == [200, 200, 200, 429]
    assert client.get("/readyz").status_code == 200


def test_a_bucket_refills_at_its_rate() -> None:
    now = [0.0]
    buckets = TokenBuckets(60, clock=lambda: now[0])  # one a second, a burst of 6
    assert [buckets.take("k") for _ in range(6)] == [0.0] * 6
    assert buckets.take("k") == 1.0
    now[0] += 2.0
    assert buckets.take("k") == 0.0
