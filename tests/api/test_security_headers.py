"""Browser protections: security headers on every answer, a CSP and no framing on the pages, no caching of
personal data, and a cross-site form post to a page refused (login CSRF)."""

from __future__ import annotations

import pytest

from tests.api.conftest import Api
from tests.contract_builders import terms


def test_api_answers_with_personal_data_are_not_cached_nor_sniffed_nor_framed(api: Api) -> None:
    cid, _ = api.running(terms())
    for r in (api.get(f"/contracts/{cid}"), api.get(f"/contracts/{cid}/wages"), api.get("/contracts")):
        assert r.status_code == 200
        assert r.headers["cache-control"] == "no-store"
        assert r.headers["x-content-type-options"] == "nosniff"
        assert r.headers["x-frame-options"] == "DENY"


def test_pages_carry_a_content_security_policy_that_forbids_framing(api: Api) -> None:
    r = api.client.get("/ui/login")
    assert r.status_code == 200
    csp = r.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in csp and "script-src 'self'" in csp and "object-src 'none'" in csp
    assert r.headers["cache-control"] == "no-store" and r.headers["x-frame-options"] == "DENY"


@pytest.mark.parametrize(
    "headers",
    [
        {"Sec-Fetch-Site": "cross-site"},
        {"Sec-Fetch-Site": "same-site"},
        {"Origin": "https://evil.example"},
        {"Origin": "null"},
    ],
)
def test_a_cross_site_login_post_is_refused_and_sets_no_cookie(api: Api, headers: dict[str, str]) -> None:
    r = api.client.post("/ui/login", data={"key": api.keys["cfa_a"]}, headers=headers, follow_redirects=False)
    assert r.status_code == 403 and r.json()["type"] == "/problems/cross-origin-refused"
    assert "set-cookie" not in r.headers


def test_a_same_origin_login_post_is_accepted(api: Api) -> None:
    r = api.client.post(
        "/ui/login",
        data={"key": api.keys["cfa_a"]},
        headers={"Sec-Fetch-Site": "same-origin", "Origin": "http://testserver"},
        follow_redirects=False,
    )
    assert r.status_code == 303 and "set-cookie" in r.headers
