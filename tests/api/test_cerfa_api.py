"""POST /contracts/import/cerfa, GET /contracts/{id}/cerfa.pdf and …/conformity through the real app."""

from __future__ import annotations

from typing import Any

from domain.cerfa import fields as F
from domain.cerfa.filling import form_values
from domain.terms import parse_terms
from ledger.cerfa.forms import read_case
from ledger.cerfa.pdf import fill_pdf
from tests.api.conftest import Api
from tests.contract_builders import terms
from tests.domain.cerfa.forms import REF, SIGNED, filled, schedule_of

ROUTE = "/contracts/import/cerfa"


def upload(api: Api, data: bytes, who: str = "cfa_a") -> Any:
    return api.client.post(ROUTE, files={"file": ("contrat.pdf", data, "application/pdf")}, headers=api.auth(who))


def test_an_uploaded_form_drafts_and_signs_once_and_its_filled_form_reads_back(api: Api) -> None:
    t = terms(employer__postcode="97600")
    r = upload(api, filled(t))
    assert r.status_code == 201, r.json()
    body = r.json()
    assert body["created"] is True and body["status"] == "signed" and body["cfa_id"] == "cfa-a"
    assert body["problems"] == [] and body["findings"] == []
    cid = body["id"]
    events = [e["type"] for e in api.get(f"/contracts/{cid}/events").json()["events"]]
    assert events == ["Drafted", "FormAttached", "Signed"]
    before = api.ledger.contracts.recorder.max_notification_id()
    again = upload(api, filled(t))
    assert again.status_code == 200 and again.json()["id"] == cid and again.json()["created"] is False
    assert api.ledger.contracts.recorder.max_notification_id() == before  # the same form drafts nothing new
    pdf = api.client.get(f"/contracts/{cid}/cerfa.pdf", headers=api.auth("cfa_a"))
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    case = read_case(pdf.content, REF)
    assert parse_terms(case.reading.terms).to_json() == parse_terms(t).to_json()
    assert case.reading.events == [{"type": "Signed", "on": "2025-08-25"}]
    conformity = api.get(f"/contracts/{cid}/conformity").json()
    assert conformity["form"] is True and conformity["conforming"] is True
    assert api.client.get(f"/contracts/{cid}/cerfa.pdf", headers=api.auth("cfa_b")).status_code == 404


def test_a_non_conforming_pay_table_is_drafted_with_its_findings_kept_for_the_contract(api: Api) -> None:
    t = terms()
    values = form_values(parse_terms(t), schedule_of(t), SIGNED)
    values[F.pay_fields(1, 2)[2]] = "40"  # 40 % from 01/04/2026 where the law says 43 % (18–20)
    r = upload(api, fill_pdf(values, parse_terms(t).to_json()))
    assert r.status_code == 201
    (finding,) = r.json()["findings"]
    assert (finding["kind"], finding["legal"], finding["written"]) == ("pct_below_legal", "43 %", "40 %")
    conformity = api.get(f"/contracts/{r.json()['id']}/conformity").json()
    assert conformity["conforming"] is False and conformity["findings"] == r.json()["findings"]


def test_a_form_missing_what_the_wage_needs_is_a_422_listing_every_field_and_records_nothing(api: Api) -> None:
    values = form_values(parse_terms(terms()), schedule_of(terms()), SIGNED)
    values[F.APPRENTICE_BIRTH] = ""
    values[F.EMPLOYER_SIRET] = "1234"
    before = api.ledger.contracts.recorder.max_notification_id()
    r = upload(api, fill_pdf(values))
    assert r.status_code == 422
    problem = r.json()
    assert r.headers["content-type"].startswith("application/problem+json")
    assert {p["field"] for p in problem["problems"]} == {F.APPRENTICE_BIRTH, F.EMPLOYER_SIRET}
    assert api.ledger.contracts.recorder.max_notification_id() == before


def test_a_file_that_is_not_the_form_is_a_422_and_an_employer_cannot_import(api: Api) -> None:
    r = upload(api, b"%PDF-1.4 nothing")
    assert r.status_code == 422 and r.json()["field"] == "file"
    assert upload(api, filled(terms()), who="employer").status_code == 403


def test_a_contract_drafted_from_terms_has_no_form_to_check(api: Api) -> None:
    cid = api.draft(terms()).json()["id"]
    assert api.get(f"/contracts/{cid}/conformity").json() == {
        "contract_id": cid,
        "form": False,
        "pay_table": [],
        "salary_at_hiring": None,
        "findings": [],
        "conforming": None,
    }
