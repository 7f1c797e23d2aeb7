"""Who may see and change what: CFA and employer tenants, admin, and keys that are missing or revoked."""

from __future__ import annotations

from tests.api.conftest import OTHER_SIRET, Api
from tests.contract_builders import terms


def test_a_cfa_cannot_read_list_or_change_another_cfas_contract(api: Api) -> None:
    cid, etag = api.running(terms(), who="cfa_a")
    for path in (
        f"/contracts/{cid}",
        f"/contracts/{cid}/wages",
        f"/contracts/{cid}/wage-history",
        f"/contracts/{cid}/events",
    ):
        r = api.get(path, who="cfa_b")
        assert r.status_code == 404, path  # the same answer as for a contract that does not exist
    assert api.get("/contracts", who="cfa_b").json()["total"] == 0
    assert api.get("/contracts", who="cfa_b", cfa="cfa-a").json()["total"] == 0
    change = api.record(cid, {"type": "Terminated", "on": "2026-01-15", "reason": "x"}, etag, who="cfa_b")
    assert change.status_code == 404
    assert api.get(f"/contracts/{cid}").json()["status"] == "accepted"


def test_an_employer_reads_only_its_own_contracts_and_changes_nothing(api: Api) -> None:
    mine, etag = api.running(terms())
    theirs, _ = api.running(terms(employer__siret=OTHER_SIRET))
    assert api.get(f"/contracts/{mine}", who="employer").status_code == 200
    assert api.get(f"/contracts/{theirs}", who="employer").status_code == 404
    assert [c["id"] for c in api.get("/contracts", who="employer").json()["items"]] == [mine]
    assert api.get("/contracts", who="employer", employer=OTHER_SIRET).json()["total"] == 0
    write = api.record(mine, {"type": "Terminated", "on": "2026-01-15", "reason": "x"}, etag, who="employer")
    assert write.status_code == 403 and write.headers["content-type"] == "application/problem+json"
    assert api.draft(terms(), who="employer").status_code == 403
    assert api.get(f"/contracts/{mine}").json()["status"] == "accepted"


def test_an_admin_reads_every_contract_but_drafts_nothing(api: Api) -> None:
    a, _ = api.running(terms(), who="cfa_a")
    b, _ = api.running(terms(), who="cfa_b")
    assert {c["id"] for c in api.get("/contracts", who="admin").json()["items"]} == {a, b}
    assert api.get("/contracts", who="admin", cfa="cfa-b").json()["items"][0]["id"] == b
    assert api.draft(terms(), who="admin").status_code == 403


def test_no_key_a_wrong_key_and_a_revoked_key_are_401(api: Api) -> None:
    assert api.client.get("/contracts").status_code == 401
    forged = api.keys["cfa_a"][:-4] + "AAAA"
    r = api.client.get("/contracts", headers={"Authorization": f"Bearer {forged}"})
    assert r.status_code == 401 and r.headers["WWW-Authenticate"] == "Bearer"
    key_id = api.keys["cfa_b"].split("_", 1)[1].split(".")[0]
    assert api.get("/contracts", who="cfa_b").status_code == 200
    api.ledger.contracts.keys.revoke(key_id)
    assert api.get("/contracts", who="cfa_b").status_code == 401


def test_keys_are_stored_as_hashes_and_listed_without_secrets(api: Api) -> None:
    listed = api.ledger.contracts.keys.all()
    assert {k["role"] for k in listed} == {"cfa", "employer", "admin"} and len(listed) == 5
    stored = b"".join(n.state for n in api.ledger.contracts.recorder.select_notifications(start=1, limit=1000))
    for token in api.keys.values():
        assert token.split(".", 1)[1].encode() not in stored
