"""A CFA's commands from its page, through the real app with the page's session cookie: drafting with the
domain's messages, every lifecycle action, a correction, an erasure confirmed, and a page left open while the
contract moved (nothing recorded, the conflict explained)."""

from __future__ import annotations

import html
import re
from uuid import UUID

import httpx

from tests.api.conftest import Api
from tests.api.test_ui_import import session
from tests.contract_builders import terms

DRAFT = {
    "first_name": "Zoé",
    "last_name": "Durand",
    "birth_date": "2007-05-02",
    "employer_name": "Garage Durand",
    "siret": "12345678900011",
    "postcode": "75011",
    "idcc": "1090",
    "training_title": "CAP Maintenance des véhicules",
    "level": "3",
    "cycle_months": "24",
    "start_date": "2025-09-01",
    "end_date": "2027-08-31",
    "sector": "private",
}


def version_on(page: str) -> str:
    found = re.search(r'name="version" value="(\d+)"', page)
    assert found, "the page's forms carry the contract's version"
    return found.group(1)


def act(api: Api, cid: str, version: str, **fields: str) -> httpx.Response:
    return api.client.post(f"/ui/contracts/{cid}/actions", data={"version": version, **fields}, follow_redirects=False)


def test_a_cfa_drafts_a_contract_from_the_page_and_sees_its_wages(api: Api) -> None:
    session(api)
    form = api.client.get("/ui/contracts/new")
    assert form.status_code == 200 and "Nouveau contrat" in form.text
    token = re.search(r'name="token" value="([0-9a-f]+)"', form.text)
    assert token
    r = api.client.post("/ui/contracts/new", data={**DRAFT, "token": token.group(1)}, follow_redirects=False)
    assert r.status_code == 303
    page = api.client.get(r.headers["location"]).text
    assert "Enregistré : Contrat rédigé" in page and "Zoé Durand" in page and "brouillon" in page
    assert "Salaire minimum, mois par mois" in page and "€" in page
    # The same form sent twice drafts once.
    again = api.client.post("/ui/contracts/new", data={**DRAFT, "token": token.group(1)}, follow_redirects=False)
    assert again.headers["location"] == r.headers["location"]


def test_a_draft_the_law_refuses_is_shown_again_with_the_rule_and_records_nothing(api: Api) -> None:
    session(api)
    before = api.ledger.contracts.recorder.max_notification_id()
    r = api.client.post("/ui/contracts/new", data={**DRAFT, "birth_date": "2012-01-01", "token": "t1"})
    assert r.status_code == 422
    assert "Refusé « Date de naissance » (règle L6222-1)" in r.text and "Rien n’a été enregistré" in r.text
    assert "l'apprenti a 13 ans au début du contrat : 16 ans au moins" in html.unescape(r.text)  # in French
    assert 'value="Garage Durand"' in r.text  # what was typed stays
    missing = api.client.post("/ui/contracts/new", data={**DRAFT, "employer_name": "", "token": "t2"})
    assert missing.status_code == 422 and "« Employeur » est à remplir" in missing.text
    assert api.ledger.contracts.recorder.max_notification_id() == before


def test_every_lifecycle_action_is_recorded_from_the_page(api: Api) -> None:
    session(api)
    cid = api.draft(terms()).json()["id"]
    steps = [
        ("Signed", {"on": "2025-08-25"}, "signé"),
        ("Filed", {"on": "2025-09-01", "authority": "OPCO"}, "transmis"),
        ("FilingDecided", {"on": "2025-09-03", "accepted": "true"}, "accepté"),
        ("ProbationEnded", {"on": "2025-10-16"}, "Fin de la période d'essai"),
        ("SmcChanged", {"from": "2026-01-01", "monthly": "1 950,00"}, "Nouveau salaire minimum conventionnel"),
        ("DisabilityRecognised", {"on": "2026-02-01"}, "Handicap reconnu"),
        ("ExamFailedExtended", {"on": "2027-06-30", "new_end_date": "2028-08-31"}, "prolongé"),
        ("Terminated", {"on": "2027-12-31", "reason": "démission"}, "rompu"),
    ]
    for event, fields, seen in steps:
        page = api.client.get(f"/ui/contracts/{cid}").text
        assert f'data-action="{event}"' in page, event  # offered in this status
        r = act(api, cid, version_on(page), type=event, **fields)
        assert r.status_code == 303, (event, r.text)
        shown = html.unescape(api.client.get(r.headers["location"]).text)
        assert "Enregistré" in shown and seen in shown, event
    kinds = [e["type"] for e in api.ledger.contracts.contract_events(UUID(cid))]
    assert [k for k in kinds if k in {e for e, _, _ in steps}] == [e for e, _, _ in steps]


def test_a_page_left_open_while_the_contract_moved_records_nothing_and_explains(api: Api) -> None:
    session(api)
    cid = api.draft(terms()).json()["id"]
    stale = version_on(api.client.get(f"/ui/contracts/{cid}").text)
    assert act(api, cid, stale, type="Signed", on="2025-08-25").status_code == 303
    r = act(api, cid, stale, type="Signed", on="2025-08-26")
    assert r.status_code == 409
    text = html.unescape(r.text)
    assert "a changé depuis l'ouverture de cette page" in text and "rien n’a été enregistré" in text
    assert version_on(text) != stale  # the page shown again is the current one
    signed = [e for e in api.ledger.contracts.contract_events(UUID(cid)) if e["type"] == "Signed"]
    assert len(signed) == 1 and signed[0]["payload"]["on"] == "2025-08-25"


def test_a_refused_action_names_the_rule_and_a_correction_and_an_erasure_are_recorded(api: Api) -> None:
    session(api)
    cid, _ = api.running(terms())
    page = api.client.get(f"/ui/contracts/{cid}").text
    refused = act(api, cid, version_on(page), type="ExamFailedExtended", on="2027-06-30", new_end_date="2031-08-31")
    assert refused.status_code == 422 and "Refusé" in refused.text
    # The rule's own message, in French, with French dates.
    assert "le contrat serait prolongé de plus de 12 mois" in html.unescape(refused.text)
    assert 'data-action="ExamFailedExtended"' in refused.text and " open" in refused.text

    r = api.client.post(
        f"/ui/contracts/{cid}/correct",
        data={"version": version_on(page), "employer_name": "Boulangerie Martin & Fils", "reason": "raison sociale"},
        follow_redirects=False,
    )
    assert r.status_code == 303
    page = api.client.get(r.headers["location"]).text
    assert "Correction des termes" in page and "Boulangerie Martin &amp; Fils" in page

    unconfirmed = api.client.post(f"/ui/contracts/{cid}/erase", data={"version": version_on(page)})
    assert unconfirmed.status_code == 422 and "Cochez la case" in unconfirmed.text
    r = api.client.post(
        f"/ui/contracts/{cid}/erase", data={"version": version_on(page), "confirm": "yes"}, follow_redirects=False
    )
    assert r.status_code == 303
    assert "Données personnelles effacées" in api.client.get(r.headers["location"]).text


def test_an_employer_sees_no_action_and_cannot_post_one(api: Api) -> None:
    cid, _ = api.running(terms())
    session(api, "employer")
    page = api.client.get(f"/ui/contracts/{cid}").text
    assert "data-action=" not in page
    r = act(api, cid, "4", type="Terminated", on="2026-01-31", reason="x")
    assert r.status_code == 404
    assert api.client.get("/ui/contracts/new").status_code == 404


def test_the_list_and_the_todo_page_give_the_same_deadline_for_a_filing(api: Api) -> None:
    session(api)
    cid = api.draft(terms()).json()["id"]
    page = api.client.get(f"/ui/contracts/{cid}").text
    assert act(api, cid, version_on(page), type="Signed", on="2025-08-25").status_code == 303
    listed = html.unescape(api.client.get("/ui/contracts").text)
    row = re.search(rf'<tr data-contract="{cid}">(.*?)</tr>', listed, re.S)
    assert row is not None
    found = re.search(r"Transmettre le contrat pour dépôt — au plus tard le (\d\d/\d\d/\d{4})", row.group(1))
    assert found, row.group(1)
    todo = html.unescape(api.client.get("/ui/todo").text)
    assert f"{found.group(1)}" in todo and "Transmettre le contrat pour dépôt" in todo
    assert "(en retard)" in row.group(1)  # the app's today is past the deadline, as "À faire" says
