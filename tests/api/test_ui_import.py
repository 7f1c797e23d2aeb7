"""The CFA page's imports (a CERFA, a spreadsheet) and the form's conformity on the contract page, through the
real app with the page's session cookie."""

from __future__ import annotations

from domain.cerfa import fields as F
from domain.cerfa.filling import form_values
from domain.terms import parse_terms
from ledger.cerfa.pdf import fill_pdf
from tests.api.conftest import Api
from tests.api.test_ui_sessions import signed_in
from tests.application.sheets.sheet_builders import csv_bytes, row
from tests.contract_builders import terms
from tests.domain.cerfa.forms import SIGNED, filled, schedule_of


def session(api: Api, who: str = "cfa_a") -> None:
    token = signed_in(api, who)
    api.client.cookies.clear()
    api.client.cookies.set("ledger_session", token)


def test_a_cfa_imports_a_cerfa_from_the_page_and_sees_its_pay_table_checked(api: Api) -> None:
    session(api)
    assert "Importer des contrats" in api.client.get("/ui/import").text
    t = terms()
    values = form_values(parse_terms(t), schedule_of(t), SIGNED)
    values[F.pay_fields(1, 2)[2]] = "40"
    r = api.client.post(
        "/ui/import/cerfa", files={"file": ("c.pdf", fill_pdf(values), "application/pdf")}, follow_redirects=False
    )
    assert r.status_code == 303
    page = api.client.get(r.headers["location"]).text
    assert "Rémunération prévue au CERFA" in page
    assert "sous le minimum légal" in page and "40 % écrits, 43 % au minimum légal" in page
    pdf = api.client.get(r.headers["location"] + "/cerfa.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    # A conforming form says so.
    ok = api.client.post("/ui/import/cerfa", files={"file": ("d.pdf", filled(terms(birth="2007-05-02")))})
    assert "respecte le minimum légal" in ok.text


def test_an_incomplete_cerfa_lists_its_problems_on_the_page_and_records_nothing(api: Api) -> None:
    session(api)
    values = form_values(parse_terms(terms()), schedule_of(terms()), SIGNED)
    values[F.EMPLOYER_NAME] = ""
    before = api.ledger.contracts.recorder.max_notification_id()
    r = api.client.post("/ui/import/cerfa", files={"file": ("c.pdf", fill_pdf(values), "application/pdf")})
    assert r.status_code == 422
    assert "rien n'a été enregistré" in r.text and F.EMPLOYER_NAME in r.text
    assert api.ledger.contracts.recorder.max_notification_id() == before


def test_a_spreadsheet_from_the_page_shows_the_row_by_row_report_and_a_dry_run_records_nothing(api: Api) -> None:
    session(api)
    data = csv_bytes([row("P-1", terms()), row("P-2", terms(birth="2013-01-01"))])
    before = api.ledger.contracts.recorder.max_notification_id()
    dry = api.client.post("/ui/import/spreadsheet", files={"file": ("c.csv", data)}, data={"dry_run": "true"})
    assert dry.status_code == 200 and "essai : rien n'a été enregistré" in dry.text
    assert api.ledger.contracts.recorder.max_notification_id() == before
    done = api.client.post("/ui/import/spreadsheet", files={"file": ("c.csv", data)})
    assert "1 créée" in done.text and "1 refusée" in done.text and "L6222-1" in done.text
    template = api.client.get("/ui/import/template.xlsx")
    assert template.status_code == 200 and template.content[:2] == b"PK"


def test_an_employer_cannot_import_from_the_page(api: Api) -> None:
    session(api, "employer")
    assert api.client.get("/ui/import").status_code == 403
    r = api.client.post("/ui/import/cerfa", files={"file": ("c.pdf", filled(terms()), "application/pdf")})
    assert r.status_code == 403
