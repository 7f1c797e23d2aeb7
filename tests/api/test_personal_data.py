"""DELETE /contracts/{id}/personal-data: erasure on the CFA's request (RGPD art. 17), wages unchanged."""

from __future__ import annotations

from domain.personal_data import ERASED_NAME
from tests.api.conftest import Api
from tests.application.test_erasure import apprentice_terms


def test_the_api_erases_on_the_cfas_request_only(api: Api) -> None:
    cid, etag = api.running(apprentice_terms())
    wages = api.get(f"/contracts/{cid}/wages").json()
    path = f"/contracts/{cid}/personal-data"
    assert api.client.delete(path, headers=api.auth("cfa_a")).status_code == 428
    assert api.client.delete(path, headers=api.auth("cfa_b") | {"If-Match": etag}).status_code == 404
    assert api.client.delete(path, headers=api.auth("employer") | {"If-Match": etag}).status_code == 403
    assert api.client.delete(path, headers=api.auth("cfa_a") | {"If-Match": '"1"'}).status_code == 412
    r = api.client.delete(path, headers=api.auth("cfa_a") | {"If-Match": etag})
    assert r.status_code == 200, r.json()
    assert r.json()["terms"]["apprentice"]["last_name"] == ERASED_NAME
    assert r.headers["ETag"] == f'"{int(etag.strip(chr(34))) + 1}"'
    assert api.get(f"/contracts/{cid}/wages").json()["months"] == wages["months"]
    assert "Zerbinati" not in api.get(f"/contracts/{cid}/events").text
