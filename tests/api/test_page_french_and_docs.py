"""What a user sees first: /ui leads to the page, the docs work offline, the contract page speaks French."""

from __future__ import annotations

import re

from tests.api.conftest import Api
from tests.api.test_ui_import import session
from tests.contract_builders import terms


def test_ui_redirects_to_the_contracts(api: Api) -> None:
    r = api.client.get("/ui", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/ui/contracts"


def test_swagger_ui_and_redoc_are_served_from_the_installed_package_not_a_cdn(api: Api) -> None:
    for page in ("/docs", "/redoc"):
        html = api.client.get(page).text
        assert "cdn" not in html.lower() and "unpkg" not in html.lower()
        scripts = re.findall(r'src="([^"]+\.js)"', html)
        assert scripts, page
        for src in scripts:
            assert src.startswith("/"), src
            assert api.client.get(src).status_code == 200, src


def test_the_contract_page_says_payments_and_decisions_in_french(api: Api) -> None:
    cid, _ = api.running(terms())
    session(api)
    page = api.client.get(f"/ui/contracts/{cid}").text
    assert "avance" in page and "advance" not in page
    assert "accepté : oui" in page and "accepted :" not in page and ": True" not in page
