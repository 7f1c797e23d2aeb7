"""POST /contracts/import/spreadsheet and GET /contracts/import/template.xlsx through the real app."""

from __future__ import annotations

import csv
import io
from typing import Any

from openpyxl import load_workbook

from ledger.import_columns import COLUMNS
from ledger.tabular import XLSX_MEDIA_TYPE
from tests.api.conftest import Api
from tests.application.sheets.sheet_builders import csv_bytes, row, xlsx_bytes
from tests.contract_builders import terms

ROUTE = "/contracts/import/spreadsheet"
COLUMN = {c.header: i for i, c in enumerate(COLUMNS)}


def upload(api: Api, data: bytes, name: str, who: str = "cfa_a", **params: Any) -> Any:
    return api.client.post(ROUTE, files={"file": (name, data)}, headers=api.auth(who), params=params)


def rows() -> list[list[Any]]:
    bad = row("B-1", terms(birth="2013-01-01"))
    return [row("A-1", terms()), bad, row("A-2", terms(apprentice__first_name="Hugo"))]


def test_an_upload_drafts_the_good_rows_for_the_keys_cfa_and_a_second_upload_changes_nothing(api: Api) -> None:
    r = upload(api, csv_bytes(rows()), "contrats.csv")
    assert r.status_code == 200, r.json()
    body = r.json()
    assert (body["created"], body["error"], body["unchanged"]) == (2, 1, 0)
    bad = next(line for line in body["lines"] if line["outcome"] == "error")
    assert bad["line"] == 3 and bad["errors"][0]["field"] == "apprentice.birth_date"
    assert bad["errors"][0]["rule"] == "L6222-1"
    created = next(line for line in body["lines"] if line["reference"] == "A-1")
    contract = api.get(f"/contracts/{created['contract_id']}").json()
    assert contract["cfa_id"] == "cfa-a"
    # The same contract as POST /contracts with Idempotency-Key ref:<reference>, under the same CFA.
    assert api.draft(terms(), key="ref:A-1").json()["id"] == created["contract_id"]
    before = api.ledger.contracts.recorder.max_notification_id()
    again = upload(api, xlsx_bytes(rows()), "contrats.xlsx").json()
    assert (again["created"], again["unchanged"], again["error"]) == (0, 2, 1)
    assert api.ledger.contracts.recorder.max_notification_id() == before
    # Another CFA's references are its own: the same file drafts its own contracts.
    other = upload(api, csv_bytes(rows()), "contrats.csv", who="cfa_b").json()
    assert other["created"] == 2


def test_a_changed_row_is_a_correction_with_reason_import(api: Api) -> None:
    upload(api, csv_bytes(rows()), "contrats.csv")
    changed = rows()
    changed[0][COLUMN["Date de fin du contrat"]] = "30/06/2027"
    dry = upload(api, csv_bytes(changed), "contrats.csv", dry_run="true").json()
    assert dry["corrected"] == 1 and dry["dry_run"] is True
    cid = dry["lines"][0]["contract_id"]
    assert api.get(f"/contracts/{cid}/events").json()["events"][-1]["type"] == "Drafted"
    body = upload(api, csv_bytes(changed), "contrats.csv").json()
    assert body["corrected"] == 1
    last = api.get(f"/contracts/{cid}/events").json()["events"][-1]
    assert last["type"] == "TermsCorrected" and last["payload"]["reason"] == "import"


def test_the_report_comes_back_as_a_spreadsheet_with_its_error_column(api: Api) -> None:
    r = api.client.post(
        ROUTE,
        files={"file": ("contrats.xlsx", xlsx_bytes(rows()))},
        headers=api.auth("cfa_a") | {"Accept": XLSX_MEDIA_TYPE},
    )
    assert r.status_code == 200 and r.headers["content-type"] == XLSX_MEDIA_TYPE
    sheet = load_workbook(io.BytesIO(r.content), read_only=True).worksheets[0]
    values = list(sheet.iter_rows(values_only=True))
    assert values[0][-5:] == ("Résultat", "Identifiant du contrat", "Colonne en erreur", "Règle", "Erreur")
    assert [v[len(COLUMNS)] for v in values[1:]] == ["créé", "erreur", "créé"]
    assert values[2][-3:-1] == ("Date de naissance", "L6222-1")
    as_csv = upload(api, csv_bytes(rows()), "contrats.csv", format="csv")
    lines = list(csv.reader(io.StringIO(as_csv.content.decode("utf-8-sig")), delimiter=";"))
    assert lines[0][-1] == "Erreur" and lines[2][len(COLUMNS)] == "erreur"


def test_only_a_cfa_key_imports_and_an_unreadable_file_is_a_problem_naming_the_file(api: Api) -> None:
    before = api.ledger.contracts.recorder.max_notification_id()
    assert upload(api, csv_bytes(rows()), "contrats.csv", who="employer").status_code == 403
    assert upload(api, csv_bytes(rows()), "contrats.csv", who="admin").status_code == 403
    broken = upload(api, b"PK\x03\x04 not really a zip", "contrats.xlsx")
    assert broken.status_code == 422 and broken.json()["field"] == "file"
    no_key = upload(api, "Nom;Prénom\r\nMartin;Léa\r\n".encode(), "contrats.csv")
    assert no_key.status_code == 422 and "Référence CFA" in no_key.json()["detail"]
    assert api.ledger.contracts.recorder.max_notification_id() == before


def test_an_upload_larger_than_a_json_body_is_accepted(api: Api) -> None:
    many = [row(f"N-{i:04d}", terms(apprentice__first_name=f"Prénom{i}")) for i in range(400)]
    data = csv_bytes(many)
    assert len(data) > api.client.app.state.settings.api_max_body_bytes  # type: ignore[attr-defined]
    body = upload(api, data, "contrats.csv", dry_run="true").json()
    assert body["rows"] == 400 and body["created"] == 400


def test_the_template_downloads_and_imports_as_its_example_contract(api: Api) -> None:
    r = api.get("/contracts/import/template.xlsx", who="employer")
    assert r.status_code == 200 and r.headers["content-type"] == XLSX_MEDIA_TYPE
    sheet = load_workbook(io.BytesIO(r.content)).worksheets[0]
    assert [c.value for c in sheet[1]] == [c.header for c in COLUMNS]
    assert "Code postal employeur" in [c.value for c in sheet[1]]
    assert sheet["A1"].comment is not None
    assert upload(api, r.content, "modele.xlsx").json()["created"] == 1
    assert api.client.get("/contracts/import/template.xlsx").status_code == 401


def test_an_upload_beyond_its_own_cap_is_refused_before_the_route(api: Api) -> None:
    from fastapi.testclient import TestClient

    from api.main import create_app
    from ledger.settings import Settings

    capped = create_app(api.ledger, settings=Settings(database_url="memory:", api_max_upload_bytes=4096))
    before = api.ledger.contracts.recorder.max_notification_id()
    with TestClient(capped) as client:
        data = csv_bytes([row(f"C-{i}", terms()) for i in range(40)])
        r = client.post(ROUTE, files={"file": ("contrats.csv", data)}, headers=api.auth("cfa_a"))
        assert r.status_code == 413 and r.json()["detail"] == "at most 4096 bytes"
        small = client.post(
            ROUTE, files={"file": ("c.csv", csv_bytes([row("C-1", terms())]))}, headers=api.auth("cfa_a")
        )
        assert small.status_code == 200
    assert api.ledger.contracts.recorder.max_notification_id() == (before or 0) + 1
