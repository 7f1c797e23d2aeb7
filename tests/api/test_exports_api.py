"""GET /exports/payroll, /exports/funding and /contracts/{id}/notice.pdf through the real app, each file read back
(csv, openpyxl, poppler's pdftoppm and pdftotext; LibreOffice when the machine has it)."""

from __future__ import annotations

import csv
import io
import os
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from ledger.tabular import XLSX_MEDIA_TYPE
from tests.api.conftest import EMPLOYER_SIRET, OTHER_SIRET, Api
from tests.contract_builders import terms

NBSP = "\u00a0"


def read_csv(content: bytes) -> list[dict[str, str]]:
    assert content.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM: French Excel reads the accents
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))


def read_xlsx(content: bytes) -> list[dict[str, Any]]:
    sheet = load_workbook(io.BytesIO(content), read_only=True).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    return [dict(zip(rows[0], r, strict=True)) for r in rows[1:]]


def two_contracts(api: Api) -> tuple[str, str]:
    lea, _ = api.running(terms(end="2028-08-31"))
    other = terms(apprentice__first_name="Hugo")
    other["employer"] = {**other["employer"], "siret": OTHER_SIRET, "name": "Garage Durand"}
    hugo, _ = api.running(other)
    return lea, hugo


def test_payroll_has_one_line_per_contract_and_month_with_the_change_its_cause_and_article(api: Api) -> None:
    lea, hugo = two_contracts(api)
    r = api.get("/exports/payroll", **{"from": "2025-09", "to": "2026-09"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    lines = read_csv(r.content)
    assert len(lines) == 26 and {line["Identifiant du contrat"] for line in lines} == {lea, hugo}
    by_month = {line["Mois"]: line for line in lines if line["Identifiant du contrat"] == lea}
    assert by_month["09/2025"]["Minimum légal"] == "486,49" and by_month["09/2025"]["Cause de la variation"] == (
        "Début du contrat"
    )
    # Léa turns 18 on 2026-03-15: 43 % from April (D6222-31), whether or not the clock has recorded it yet.
    april = by_month["04/2026"]
    assert (april["Minimum légal"], april["Taux (%)"], april["Variation sur le mois précédent"]) == (
        "783,90",
        "43",
        "291,68",
    )
    assert (april["Cause de la variation"], april["Article"]) == ("Nouvelle tranche d'âge", "D6222-31")
    assert by_month["09/2026"]["Cause de la variation"] == "Nouvelle année de contrat"
    assert by_month["05/2026"]["Variation sur le mois précédent"] == "0,00"
    assert by_month["05/2026"]["Apprenti"] == "Léa Martin" and by_month["05/2026"]["SIRET"] == EMPLOYER_SIRET


def test_payroll_follows_the_keys_tenant(api: Api) -> None:
    lea, hugo = two_contracts(api)
    months = {"from": "2026-01", "to": "2026-02"}
    ids = lambda who, **kw: {  # noqa: E731
        line["Identifiant du contrat"]
        for line in read_csv(api.get("/exports/payroll", who=who, **months, **kw).content)
    }
    assert ids("employer") == {lea}
    assert ids("cfa_b") == set()
    assert ids("admin") == {lea, hugo} and ids("admin", employer=OTHER_SIRET) == {hugo}
    assert ids("cfa_a", cfa="cfa-b") == set()
    assert ids("employer", employer=OTHER_SIRET) == set()


def test_payroll_as_xlsx_has_typed_months_and_amounts(api: Api) -> None:
    lea, _ = two_contracts(api)
    r = api.client.get(
        "/exports/payroll",
        params={"from": "2026-04", "employer": EMPLOYER_SIRET},
        headers=api.auth("cfa_a") | {"Accept": XLSX_MEDIA_TYPE},
    )
    assert r.headers["content-type"] == XLSX_MEDIA_TYPE
    (line,) = read_xlsx(r.content)
    assert line["Mois"].date().isoformat() == "2026-04-01" and line["Minimum légal"] == pytest.approx(783.90)
    assert line["Identifiant du contrat"] == lea
    assert read_xlsx(api.get("/exports/payroll", **{"from": "2026-04", "format": "xlsx"}).content)


def test_a_late_smic_revaluation_shows_as_arrears_in_the_month_it_was_recorded(api: Api) -> None:
    lea, _ = two_contracts(api)
    body = {"effective_date": "2026-09-01", "hourly": "12.50", "act": "hypothetical décret"}
    assert api.client.post("/reference/smic", json=body, headers=api.auth("admin")).status_code == 201
    entry = api.get(f"/contracts/{lea}/wage-history").json()["entries"][-1]
    assert entry["cause"] == "SmicRevalued"
    recorded = entry["recorded_at"][:7]
    owed = [m for m in entry["months"] if m["status"] == "arrears"]
    lines = read_csv(
        api.get("/exports/payroll", employer=EMPLOYER_SIRET, **{"from": "2026-09", "to": recorded}).content
    )
    by_month = {line["Mois"]: line for line in lines}
    september = by_month["09/2026"]
    assert september["Cause de la variation"] == "Nouvelle année de contrat ; Revalorisation du SMIC"
    assert "L3231-5" in september["Article"]
    assert september["Minimum légal"] == "966,87"
    month = by_month[f"{recorded[5:7]}/{recorded[:4]}"]
    assert Decimal(entry["arrears"]) > 0 and owed  # recorded after September 2026: those months are owed
    assert Decimal(month["Rappel à verser"].replace(",", ".")) == Decimal(entry["arrears"])
    assert all(f"{m['month'][5:7]}/{m['month'][:4]}" in month["Détail du rappel"] for m in owed)
    other_months = [line for key, line in by_month.items() if key != month["Mois"]]
    assert all(line["Rappel à verser"] == "" for line in other_months)
    # Every month read as the contract's wages give it now, the revaluation's included.
    wages = {m["month"]: m["amount"] for m in api.get(f"/contracts/{lea}/wages").json()["months"]}
    for key, line in by_month.items():
        assert line["Minimum légal"] == wages[f"{key[3:]}-{key[:2]}"].replace(".", ","), key


def test_the_funding_export_lists_every_dated_payment_of_the_funding_view(api: Api) -> None:
    lea, hugo = two_contracts(api)
    expected = {cid: [p for p in api.get(f"/contracts/{cid}/funding").json()["payments"]] for cid in (lea, hugo)}
    lines = read_csv(api.get("/exports/funding").content)
    assert len(lines) == sum(len(v) for v in expected.values())
    mine = [line for line in lines if line["Identifiant du contrat"] == lea]
    assert sorted(Decimal(line["Montant"].replace(",", ".")) for line in mine) == sorted(
        Decimal(p["amount"]) for p in expected[lea]
    )
    assert {line["Payeur"] for line in mine} <= {"OPCO", "employeur"}
    first = mine[0]
    assert first["Échéance"].count("/") == 2 and first["État"] in ("échue", "à venir")
    employer_lines = read_xlsx(api.get("/exports/funding", who="employer", format="xlsx").content)
    assert {line["Identifiant du contrat"] for line in employer_lines} == {lea}
    ranged = read_csv(api.get("/exports/funding", **{"from": "2025-10", "to": "2025-10"}).content)
    assert ranged and all(line["Échéance"].endswith("/10/2025") for line in ranged)


def test_a_range_backwards_is_refused_with_the_field(api: Api) -> None:
    r = api.get("/exports/payroll", **{"from": "2026-05", "to": "2026-01"})
    assert r.status_code == 422 and r.json()["field"] == "from"
    assert api.get("/exports/payroll", **{"from": "2026-13"}).status_code == 422
    assert api.client.get("/exports/payroll", params={"from": "2026-01"}).status_code == 401


def require_tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        reason = f"{name} is not installed (bin/setup-tools installs poppler-utils)"
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    return path


def test_the_notice_renders_and_reads_back_with_its_table_history_and_articles(api: Api, tmp_path: Path) -> None:
    require_tool("pdftoppm")
    lea, hugo = two_contracts(api)
    body = {"effective_date": "2026-09-01", "hourly": "12.50", "act": "hypothetical décret"}
    api.client.post("/reference/smic", json=body, headers=api.auth("admin"))
    r = api.get(f"/contracts/{lea}/notice.pdf", who="employer")
    assert r.status_code == 200 and r.headers["content-type"] == "application/pdf"
    pdf = tmp_path / "avis.pdf"
    pdf.write_bytes(r.content)
    subprocess.run(["pdftoppm", "-r", "50", "-png", str(pdf), str(tmp_path / "page")], check=True)
    pages = sorted(tmp_path.glob("page*.png"))
    assert pages and all(p.stat().st_size > 5_000 for p in pages)
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True).stdout.decode()
    text = text.replace(NBSP, " ")
    for expected in (
        "Avis de salaire minimum de l'apprenti",
        "Boulangerie Martin",
        "SIRET 12345678900011",
        "Léa Martin",
        "du 01/09/2025 au 31/08/2028",
        "Minimum légal mensuel",  # the chart's title
        "Minimum légal par mois",
        "486,49 €",
        "966,87 €",
        "Historique des changements",
        "Revalorisation du SMIC",
        "L3231-5",
        "D6222-26",
    ):
        assert expected in text, expected
    assert "04/2026" in text and "783,90 €" in text
    assert api.get(f"/contracts/{hugo}/notice.pdf", who="employer").status_code == 404


def test_the_exports_open_in_libreoffice(api: Api, tmp_path: Path) -> None:
    office = shutil.which("soffice") or shutil.which("libreoffice")
    if office is None:
        pytest.skip("LibreOffice is not installed on this machine: the files are read back with openpyxl and csv")
    two_contracts(api)

    def convert(source: Path, target: str, outdir: str, *infilter: str) -> None:
        subprocess.run(
            [office, "--headless", *infilter, "--convert-to", target, "--outdir", str(tmp_path / outdir), source],
            check=True,
            capture_output=True,
            timeout=180,
            env={**os.environ, "HOME": str(tmp_path)},  # a profile of its own
        )

    # Our XLSX, opened by LibreOffice and saved as CSV (UTF-8: filter token 76).
    xlsx = tmp_path / "paie.xlsx"
    xlsx.write_bytes(api.get("/exports/payroll", **{"from": "2026-01", "format": "xlsx"}).content)
    convert(xlsx, "csv:Text - txt - csv (StarCalc):44,34,76", "from-xlsx")
    lines = list(csv.reader((tmp_path / "from-xlsx" / "paie.csv").read_text(encoding="utf-8").splitlines()))
    assert lines[0][:8] == [
        "Mois",
        "Identifiant du contrat",
        "CFA",
        "Apprenti",
        "Employeur",
        "SIRET",
        "Statut",
        "Minimum légal",
    ]
    assert len(lines) == 3 and "Léa Martin" in {line[3] for line in lines[1:]}
    # Our CSV (;, UTF-8 with BOM), opened by LibreOffice and saved as XLSX.
    source = tmp_path / "financement.csv"
    source.write_bytes(api.get("/exports/funding").content)
    convert(source, "xlsx", "from-csv", "--infilter=CSV:59,34,76")
    rows = read_xlsx((tmp_path / "from-csv" / "financement.xlsx").read_bytes())
    assert len(rows) == len(read_csv(source.read_bytes())) and rows[0]["Payeur"] in ("OPCO", "employeur")
