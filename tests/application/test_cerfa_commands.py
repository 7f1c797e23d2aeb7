"""`ledger cerfa read` (piped into `ledger schedule`) and `ledger cerfa fill`, as a user runs them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from ledger.cerfa.pdf import read_pdf
from tests.contract_builders import terms
from tests.domain.cerfa.forms import filled

LEDGER = [sys.executable, "-m", "cli.main"]


def ledger(*argv: str, stdin: str | None = None, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*LEDGER, *argv], input=stdin, capture_output=True, text=True, env={**os.environ, **(env or {})}, timeout=120
    )


def lines(text: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def test_cerfa_read_pipes_into_ledger_schedule_and_a_bad_file_is_one_error_line(tmp_path: Path) -> None:
    good, mayotte, bad = tmp_path / "lea.pdf", tmp_path / "mayotte.pdf", tmp_path / "notes.pdf"
    good.write_bytes(filled(terms()))
    mayotte.write_bytes(filled(terms(employer__postcode="97600")))
    bad.write_bytes(b"%PDF-1.4 not really a form")
    read = ledger("cerfa", "read", str(good), str(bad), str(mayotte), "--reference", "builtin")
    assert read.returncode == 1  # one file could not be read
    out = lines(read.stdout)
    assert [o["file"] for o in out] == [str(good), str(bad), str(mayotte)]
    assert out[1]["error"]["field"] == "file" and "terms" not in out[1]
    assert out[0]["problems"] == [] and out[0]["findings"] == []
    assert out[0]["pay_table"][0] == {
        "year": 1,
        "period": 1,
        "from": "2025-09-01",
        "to": "2026-03-31",
        "pct": 27,
        "base": "SMIC",
    }
    cases = "\n".join(json.dumps(o) for o in (out[0], out[2])) + "\n"
    schedule = ledger("schedule", "--reference", "builtin", stdin=cases)
    assert schedule.returncode == 0, schedule.stdout
    lea, may = lines(schedule.stdout)
    assert lea["months"][0] == {**lea["months"][0], "month": "2025-09", "amount": "486.49"}
    assert may["months"][0]["amount"] == "367.73"  # 27 % of Mayotte's 1 361,97 €


def test_cerfa_fill_writes_the_form_of_a_stored_contract(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    env = {"LEDGER_DATABASE_URL": f"sqlite:///{tmp_path / 'ledger.sqlite3'}"}
    monkeypatch.setenv("LEDGER_DATABASE_URL", env["LEDGER_DATABASE_URL"])
    from ledger.bootstrap import bootstrap

    system = bootstrap()
    cid = system.contracts.draft_contract(terms(), "lea", "CFA-1").contract_id
    system.close()
    target = tmp_path / "lea.pdf"
    done = ledger("cerfa", "fill", str(cid), "-o", str(target), env=env)
    assert done.returncode == 0, done.stderr
    values, carried = read_pdf(target.read_bytes())
    assert values["Nom de naissance de l’apprenti(e) :"] == "Martin"
    assert carried is not None and carried["start_date"] == "2025-09-01"
    unknown = ledger("cerfa", "fill", "00000000-0000-0000-0000-000000000000", env=env)
    assert unknown.returncode == 1 and lines(unknown.stderr)[0]["error"]["field"] == "contract_id"


@pytest.mark.parametrize("argv", [["cerfa"], ["cerfa", "read"]])
def test_cerfa_without_its_arguments_is_refused(argv: list[str]) -> None:
    assert ledger(*argv).returncode != 0
