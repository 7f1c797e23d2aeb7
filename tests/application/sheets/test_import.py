"""The spreadsheet import on each store: idempotent on the CFA's reference, row by row, nothing half-recorded."""

from __future__ import annotations

import io
from typing import Any

import pytest
from openpyxl import load_workbook

from domain.drafting import contract_id_for
from ledger.import_columns import COLUMNS, template
from ledger.importing import import_table, report_file
from ledger.system import Ledger
from ledger.tabular import read_table
from tests.application.sheets.sheet_builders import csv_bytes, row, sheet_bytes
from tests.contract_builders import terms

CFA = "CFA-PARIS-01"
COLUMN = {c.header: i for i, c in enumerate(COLUMNS)}


def good_rows() -> list[list[Any]]:
    return [
        row("R-001", terms()),
        row("R-002", terms(birth="2006-01-31", apprentice__first_name="Hugo")),
        row("R-003", terms(sector="public", employer__public_majoration_points=10, master="M-7")),
    ]


def bad_rows() -> list[list[Any]]:
    too_young = row("R-004", terms(birth="2012-05-01"))  # 13 at the start: L6222-1
    bad_date = row("R-005", terms())
    bad_date[COLUMN["Date de début du contrat"]] = "31/02/2025"
    no_reference = row(None, terms())
    return [too_young, bad_date, no_reference]


def mixed_file(fmt: str) -> bytes:
    good, bad = good_rows(), bad_rows()
    return sheet_bytes(fmt, [good[0], bad[0], good[1], bad[1], good[2], bad[2]])


def run(ledger: Ledger, data: bytes, fmt: str, dry_run: bool = False) -> Any:
    return import_table(ledger.contracts, read_table(data, f"contrats.{fmt}"), CFA, dry_run)


def events_recorded(ledger: Ledger) -> int:
    return ledger.contracts.recorder.max_notification_id() or 0


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_mixed_file_creates_the_good_rows_reports_the_bad_ones_and_a_second_run_records_nothing(
    ledger: Ledger, fmt: str
) -> None:
    data = mixed_file(fmt)
    report = run(ledger, data, fmt)
    assert report.counts() == {"created": 3, "corrected": 0, "unchanged": 0, "error": 3}
    outcomes = {r.line: (r.reference, r.outcome) for r in report.rows}
    assert outcomes == {
        2: ("R-001", "created"),
        3: ("R-004", "error"),
        4: ("R-002", "created"),
        5: ("R-005", "error"),
        6: ("R-003", "created"),
        7: (None, "error"),
    }
    errors = {r.reference: r.problems[0] for r in report.rows if r.outcome == "error"}
    assert (errors["R-004"].field, errors["R-004"].rule) == ("apprentice.birth_date", "L6222-1")
    assert errors["R-004"].column == "Date de naissance" and "ans au début du contrat" in errors["R-004"].message
    assert (errors["R-005"].column, errors["R-005"].field) == ("Date de début du contrat", "start_date")
    assert "n'est pas une date du calendrier" in errors["R-005"].message
    assert errors[None].column == "Référence CFA"
    # The good rows are the contracts `POST /contracts` would draft with Idempotency-Key ref:<reference>.
    for r in report.rows:
        if r.outcome == "created":
            contract = ledger.contracts.read_contract(contract_id_for(f"{CFA}/ref:{r.reference}"))
            assert str(contract.id) == r.contract_id and contract.cfa_id == CFA
    first_run = events_recorded(ledger)
    again = run(ledger, data, fmt)
    assert again.counts() == {"created": 0, "corrected": 0, "unchanged": 3, "error": 3}
    assert events_recorded(ledger) == first_run


def test_csv_and_xlsx_of_the_same_rows_are_the_same_contracts(ledger: Ledger) -> None:
    run(ledger, mixed_file("csv"), "csv")
    before = events_recorded(ledger)
    report = run(ledger, mixed_file("xlsx"), "xlsx")  # typed dates, numbers: the same terms
    assert report.counts()["unchanged"] == 3 and events_recorded(ledger) == before


def test_a_changed_row_records_terms_corrected_with_reason_import_and_only_for_that_row(ledger: Ledger) -> None:
    run(ledger, sheet_bytes("csv", good_rows()), "csv")
    before = events_recorded(ledger)
    changed = good_rows()
    changed[1][COLUMN["Date de fin du contrat"]] = "30/06/2027"
    report = run(ledger, sheet_bytes("csv", changed), "csv")
    assert [r.outcome for r in report.rows] == ["unchanged", "corrected", "unchanged"]
    assert events_recorded(ledger) == before + 1
    events = ledger.contracts.contract_events(contract_id_for(f"{CFA}/ref:R-002"))
    last = events[-1]
    assert last["type"] == "TermsCorrected" and last["payload"]["reason"] == "import"
    assert last["payload"]["changed"] == ["end_date"]
    assert run(ledger, sheet_bytes("csv", changed), "csv").counts()["unchanged"] == 3


def test_a_dry_run_reports_what_would_happen_and_records_nothing(ledger: Ledger) -> None:
    run(ledger, sheet_bytes("csv", good_rows()), "csv")
    before = events_recorded(ledger)
    rows = good_rows()
    rows[0][COLUMN["Date de fin du contrat"]] = "30/06/2027"  # a correction
    rows.append(row("R-NEW", terms(apprentice__first_name="Inès")))  # a draft
    rows.append(bad_rows()[0])
    report = run(ledger, sheet_bytes("csv", rows), "csv", dry_run=True)
    assert [r.outcome for r in report.rows] == ["corrected", "unchanged", "unchanged", "created", "error"]
    assert report.summary()["dry_run"] is True
    assert events_recorded(ledger) == before
    assert run(ledger, sheet_bytes("csv", rows), "csv").counts() == {
        "created": 1,
        "corrected": 1,
        "unchanged": 2,
        "error": 1,
    }


def test_a_dry_run_applies_the_masters_limit_as_recorded(ledger: Ledger) -> None:
    full = [row(f"M-{i}", terms(master="M-1", apprentice__first_name=f"A{i}")) for i in range(2)]
    run(ledger, sheet_bytes("csv", full), "csv")
    third = [row("M-3", terms(master="M-1", apprentice__first_name="C"))]
    dry = run(ledger, sheet_bytes("csv", third), "csv", dry_run=True)
    real = run(ledger, sheet_bytes("csv", third), "csv")
    assert dry.rows[0].outcome == real.rows[0].outcome == "error"
    assert dry.rows[0].problems[0].rule == real.rows[0].problems[0].rule == "R6223-6"
    assert real.rows[0].problems[0].column == "Maître d'apprentissage (identifiant)"
    assert "aurait 3 apprentis le 01/09/2025" in real.rows[0].problems[0].message


def test_a_closed_contract_is_reported_and_its_row_not_applied(ledger: Ledger) -> None:
    run(ledger, sheet_bytes("csv", good_rows()[:1]), "csv")
    cid = contract_id_for(f"{CFA}/ref:R-001")
    for event in (
        {"type": "Signed", "on": "2025-08-25"},
        {"type": "Filed", "on": "2025-09-01", "authority": "OPCO"},
        {"type": "FilingDecided", "on": "2025-09-05", "accepted": True},
        {"type": "Terminated", "on": "2025-10-10", "reason": "mutual_agreement"},
    ):
        ledger.contracts.record_event(cid, event)
    before = events_recorded(ledger)
    changed = good_rows()[:1]
    changed[0][COLUMN["Employeur"]] = "Boulangerie Martin & fils"
    report = run(ledger, sheet_bytes("csv", changed), "csv")
    problem = report.rows[0].problems[0]
    assert report.rows[0].outcome == "error" and "le contrat est clos (rompu)" in problem.message
    assert events_recorded(ledger) == before


def test_an_extended_contracts_end_is_not_moved_by_an_import_but_its_other_terms_are(ledger: Ledger) -> None:
    run(ledger, sheet_bytes("csv", good_rows()[:1]), "csv")
    cid = contract_id_for(f"{CFA}/ref:R-001")
    for event in (
        {"type": "Signed", "on": "2025-08-25"},
        {"type": "Filed", "on": "2025-09-01", "authority": "OPCO"},
        {"type": "FilingDecided", "on": "2025-09-05", "accepted": True},
        {"type": "ExamFailedExtended", "on": "2027-07-10", "new_end_date": "2028-06-30"},
    ):
        ledger.contracts.record_event(cid, event)
    moved = good_rows()[:1]
    moved[0][COLUMN["Date de fin du contrat"]] = "31/07/2027"
    problem = run(ledger, sheet_bytes("csv", moved), "csv").rows[0].problems[0]
    assert (problem.column, problem.rule) == ("Date de fin du contrat", "L6222-11")
    assert "prolongé" in problem.message
    renamed = good_rows()[:1]
    renamed[0][COLUMN["Employeur"]] = "Boulangerie Martin SARL"
    assert run(ledger, sheet_bytes("csv", renamed), "csv").rows[0].outcome == "corrected"


def test_an_erased_apprentice_is_not_imported_again(ledger: Ledger) -> None:
    rows = good_rows()[:1]
    run(ledger, sheet_bytes("csv", rows), "csv")
    ledger.contracts.erase_personal_data(contract_id_for(f"{CFA}/ref:R-001"))
    before = events_recorded(ledger)
    report = run(ledger, sheet_bytes("csv", rows), "csv")
    problem = report.rows[0].problems[0]
    assert report.rows[0].outcome == "error" and problem.rule == "RGPD art. 17" and "effacées" in problem.message
    assert events_recorded(ledger) == before


def test_a_duplicated_reference_and_unreadable_cells_are_each_named(ledger: Ledger) -> None:
    first = row("R-1", terms())
    twice = row("R-1", terms(apprentice__first_name="Autre"))
    cells = row("R-2", terms())
    cells[COLUMN["RQTH"]] = "peut-être"
    cells[COLUMN["Niveau"]] = "3,5"
    report = run(ledger, sheet_bytes("csv", [first, twice, cells]), "csv")
    assert [r.outcome for r in report.rows] == ["created", "error", "error"]
    assert "déjà présente ligne 2" in report.rows[1].problems[0].message
    assert [p.column for p in report.rows[2].problems] == ["RQTH", "Niveau"]


def test_french_csv_variants_are_read_alike(ledger: Ledger) -> None:
    """`;` or `,`, UTF-8 with BOM or Windows-1252, a SIRET typed as a number, amounts with a decimal comma."""
    t = terms(smc=[{"from": "2025-09-01", "monthly": "1900.50"}])
    t["employer"]["siret"] = "01234567800011"
    base = row("R-FR", t)
    run(ledger, csv_bytes([base]), "csv")
    before = events_recorded(ledger)
    contract = ledger.contracts.read_contract(contract_id_for(f"{CFA}/ref:R-FR"))
    assert contract.terms_data["smc"] == [{"from": "2025-09-01", "monthly": "1900.50"}]
    for data in (csv_bytes([base], delimiter=","), csv_bytes([base], encoding="cp1252")):
        assert run(ledger, data, "csv").counts()["unchanged"] == 1
    numeric = list(base)
    numeric[COLUMN["SIRET employeur"]] = 1234567800011  # a spreadsheet drops the leading zero of a number
    numeric[COLUMN["Salaire minimum conventionnel (€/mois)"]] = "1 900,50 €"
    from tests.application.sheets.sheet_builders import xlsx_bytes

    assert run(ledger, xlsx_bytes([numeric]), "xlsx").counts()["unchanged"] == 1
    assert events_recorded(ledger) == before


def test_the_report_is_the_file_written_back_with_outcome_and_error_columns(ledger: Ledger) -> None:
    report = run(ledger, mixed_file("xlsx"), "xlsx")
    book = load_workbook(io.BytesIO(report_file(report, "xlsx")), read_only=True)
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    header = list(rows[0])
    assert header[: len(COLUMNS)] == [c.header for c in COLUMNS]
    assert header[len(COLUMNS) :] == ["Résultat", "Identifiant du contrat", "Colonne en erreur", "Règle", "Erreur"]
    by_reference = {r[0]: r for r in rows[1:]}
    assert by_reference["R-001"][len(COLUMNS)] == "créé"
    assert by_reference["R-004"][len(COLUMNS) : len(COLUMNS) + 5][2:4] == ("Date de naissance", "L6222-1")
    assert "ans au début du contrat" in by_reference["R-004"][-1]


def test_the_template_imports_as_one_contract(ledger: Ledger) -> None:
    for fmt in ("xlsx", "csv"):
        report = import_table(ledger.contracts, read_table(template(fmt), f"modele.{fmt}"), CFA)
        assert [r.outcome for r in report.rows] == ["created" if fmt == "xlsx" else "unchanged"]


def test_the_employer_postcode_column_fills_employer_postcode(ledger: Ledger) -> None:
    mayotte = row("R-976", terms())
    mayotte[COLUMN["Code postal employeur"]] = 97600  # typed as a number
    report = run(ledger, sheet_bytes("xlsx", [mayotte]), "xlsx")
    assert report.rows[0].outcome == "created", report.rows[0].problems
    contract = ledger.contracts.read_contract(contract_id_for(f"{CFA}/ref:R-976"))
    assert contract.terms_data["employer"]["postcode"] == "97600"


def test_a_workbook_that_would_unpack_too_far_is_refused_before_it_is_parsed(monkeypatch: pytest.MonkeyPatch) -> None:
    from ledger import tabular
    from ledger.errors import ApplicationError

    data = sheet_bytes("xlsx", good_rows())
    monkeypatch.setattr(tabular, "MAX_XLSX_UNPACKED_BYTES", 1024)
    with pytest.raises(ApplicationError) as refused:
        read_table(data, "contrats.xlsx")
    assert refused.value.field == "file" and "unpacks to more than" in refused.value.detail
