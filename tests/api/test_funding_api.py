"""Funding over HTTP: the contract's funding state and history, the CFA forecast, the admin reference routes."""

from __future__ import annotations

from tests.api.conftest import Api
from tests.domain.funding.test_worked_examples import BTS, bts

NPEC = {"certification": BTS, "branch": "0843", "amount": "7000.00", "applies_from": "2024-01-01", "source": "x"}


def test_an_admin_records_an_npec_and_the_contracts_funding_follows(api: Api) -> None:
    assert api.client.post("/reference/npec", json=NPEC, headers=api.auth("cfa_a")).status_code == 403
    r = api.client.post("/reference/npec", json=NPEC, headers=api.auth("admin"))
    assert r.status_code == 201 and r.json() == {"recorded": True}
    cid, _ = api.running(bts())
    funding = api.get(f"/contracts/{cid}/funding").json()
    assert (funding["mode"], funding["level"]["annual"], funding["level"]["source"]) == (
        "domestic",
        "7000.00",
        "branch_npec",
    )
    statuses = {p["due_on"]: p["status"] for p in funding["payments"]}
    assert statuses["2025-10-01"] == "due" and statuses["2026-03-01"] == "upcoming"  # today is 2026-01-15
    assert funding["totals"]["fallen_due"] == "2800.00"
    assert api.get(f"/contracts/{cid}/funding", who="employer").status_code == 200
    assert api.get(f"/contracts/{cid}/funding", who="cfa_b").status_code == 404
    reference = api.get("/reference").json()["funding"]
    assert reference["npec"][0]["certification"] == BTS and reference["payment_schedules"]


def test_a_rupture_shows_in_the_funding_history_with_the_recovery(api: Api) -> None:
    api.client.post("/reference/npec", json=NPEC, headers=api.auth("admin"))
    cid, etag = api.running(bts())
    api.record(cid, {"type": "Terminated", "on": "2026-01-15", "reason": "resignation"}, etag)
    history = api.get(f"/contracts/{cid}/funding-history").json()["entries"]
    assert history[-1]["cause"] == "Terminated" and history[-1]["new_total"] == "2627.40"
    assert any(line["after"] == "-172.60" for line in history[-1]["lines"])


def test_the_forecast_is_the_cfas_own_and_closed_to_employers(api: Api) -> None:
    api.client.post("/reference/npec", json=NPEC, headers=api.auth("admin"))
    api.running(bts(), who="cfa_a")
    api.running(bts(), who="cfa_b")
    mine = api.get("/funding/forecast", who="cfa_a", **{"from": "2025-09", "to": "2026-12"}).json()
    months = {m["month"]: m for m in mine["months"]}
    assert mine["cfa"] == "cfa-a" and months["2025-10"]["OPCO"] == "2800.00" and months["2025-10"]["contracts"] == 1
    everyone = api.get("/funding/forecast", who="admin", **{"from": "2025-10", "to": "2025-10"}).json()
    assert everyone["months"] == [{"month": "2025-10", "OPCO": "5600.00", "employer": "0.00", "contracts": 2}]
    assert api.get("/funding/forecast", who="cfa_a", cfa="cfa-b").json()["months"] == []
    assert api.get("/funding/forecast", who="employer").status_code == 403


def test_the_hiring_aid_view_for_the_employer(api: Api) -> None:
    cid, _ = api.running(bts(employer__headcount=4))
    aid = api.get(f"/contracts/{cid}/hiring-aid", who="employer").json()
    assert aid["eligible"] and aid["annual"] == "5000.00" and aid["rule"].startswith("décret 2025-174")
    assert len(aid["months"]) == 12 and aid["months"][0] == {"month": "2025-09", "amount": "416.67"}
