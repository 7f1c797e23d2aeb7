"""`ledger import` and `ledger export …` on a SQLite store: JSON lines out, a progress bar on stderr, files
written that read back."""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from cli.main import main
from tests.application.sheets.sheet_builders import csv_bytes, row
from tests.contract_builders import terms


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("LEDGER_DATABASE_URL", f"sqlite:///{tmp_path / 'ledger.sqlite3'}")
    return tmp_path


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, list[dict[str, Any]], str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, [json.loads(line) for line in out.splitlines() if line.strip()], err


def test_import_reports_each_row_shows_progress_and_writes_the_report(
    store: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = store / "contrats.csv"
    source.write_bytes(csv_bytes([row("C-1", terms()), row("C-2", terms(birth="2014-01-01"))]))
    code, lines, err = run(capsys, "import", str(source), "--cfa", "CFA-1", "--report", str(store / "rapport.xlsx"))
    assert code == 1  # a row was refused
    assert [line["outcome"] for line in lines[:-1]] == ["created", "error"]
    assert lines[-1]["summary"]["created"] == 1 and lines[-1]["summary"]["error"] == 1
    assert "100.0 %" in err and "2/2 rows" in err
    report = load_workbook(store / "rapport.xlsx", read_only=True).worksheets[0]
    values = list(report.iter_rows(values_only=True))
    assert values[0][-1] == "Erreur" and values[2][-2] == "L6222-1"
    code, lines, _ = run(capsys, "import", str(source), "--cfa", "CFA-1", "--dry-run")
    assert [line["outcome"] for line in lines[:-1]] == ["unchanged", "error"]


def test_import_without_a_cfa_or_with_a_missing_file_is_one_json_error_line(
    store: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, "import", str(store / "absent.csv"), "--cfa", "CFA-1")
    assert code == 1 and json.loads(err)["error"]["field"] == "file"
    code, _, err = run(capsys, "import", str(store / "absent.csv"))
    assert code == 1 and json.loads(err)["error"]["field"] == "cfa"


def test_the_template_is_written_in_the_form_its_name_asks(store: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for name in ("modele.xlsx", "modele.csv"):
        code, lines, _ = run(capsys, "import", "--template", str(store / name))
        assert code == 0 and lines == [{"template": str(store / name)}]
    header = next(csv.reader(io.StringIO((store / "modele.csv").read_text("utf-8-sig")), delimiter=";"))
    assert header[0] == "Référence CFA" and "Code postal employeur" in header
    assert load_workbook(store / "modele.xlsx").worksheets[0]["A1"].value == "Référence CFA"


def test_exports_write_payroll_funding_and_the_notice(store: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = store / "contrats.csv"
    source.write_bytes(csv_bytes([row("C-1", terms())]))
    _, lines, _ = run(capsys, "import", str(source), "--cfa", "CFA-1")
    cid = lines[0]["contract_id"]
    code, lines, _ = run(
        capsys,
        "export",
        "payroll",
        "--from",
        "2025-09",
        "--to",
        "2025-12",
        "--cfa",
        "CFA-1",
        "-o",
        str(store / "p.csv"),
    )
    assert code == 0 and lines == [{"file": str(store / "p.csv"), "lines": 4}]
    payroll = list(csv.DictReader(io.StringIO((store / "p.csv").read_text("utf-8-sig")), delimiter=";"))
    assert [p["Mois"] for p in payroll] == ["09/2025", "10/2025", "11/2025", "12/2025"]
    _, lines, _ = run(
        capsys, "export", "payroll", "--from", "2025-09", "--employer", "00000000000000", "-o", str(store / "x.csv")
    )
    assert lines[0]["lines"] == 0
    code, lines, _ = run(capsys, "export", "funding", "-o", str(store / "f.xlsx"))
    assert code == 0 and lines[0]["lines"] > 0
    funding = list(load_workbook(store / "f.xlsx", read_only=True).worksheets[0].iter_rows(values_only=True))
    assert funding[0][0] == "Échéance" and len(funding) == lines[0]["lines"] + 1
    code, lines, _ = run(capsys, "export", "notice", cid, "-o", str(store / "avis.pdf"))
    assert code == 0 and (store / "avis.pdf").read_bytes().startswith(b"%PDF")
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", str(store / "avis.pdf"), "-"], capture_output=True, check=True).stdout
        assert "Avis de salaire minimum" in text.decode()
    code, _, err = run(capsys, "export", "notice", "00000000-0000-0000-0000-000000000000", "-o", str(store / "n.pdf"))
    assert code == 1 and json.loads(err)["error"]["type"] == "contract-not-found"
