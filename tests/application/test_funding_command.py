"""`ledger funding` end to end: the installed command, JSON lines in and out, like `ledger schedule`."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from ledger.bootstrap import bootstrap
from ledger.settings import Settings
from tests.domain.funding.test_worked_examples import BTS, bts

LEDGER = str(Path(sys.executable).parent / "ledger")
NPEC = {"certification": BTS, "branch": "0843", "amount": "7000", "applies_from": "2024-01-01"}
SIGNED = {"type": "Signed", "on": "2025-08-20"}


def run(lines: list[str], *args: str, env: dict[str, str] | None = None) -> tuple[int, list[dict[str, Any]]]:
    proc = subprocess.run(
        [LEDGER, "funding", *args], input="\n".join(lines) + "\n", capture_output=True, text=True, timeout=60, env=env
    )
    return proc.returncode, [json.loads(line) for line in proc.stdout.splitlines()]


def test_one_line_per_case_with_dated_payments_and_what_has_fallen_due() -> None:
    case = {"id": "e1", "terms": bts(), "events": [SIGNED], "npec": [NPEC]}
    code, (out,) = run([json.dumps(case)], "--reference", "builtin", "--today", "2026-03-01")
    assert code == 0 and out["id"] == "e1" and out["mode"] == "domestic"
    assert [(p["due_on"], p["amount"], p["status"]) for p in out["payments"][:3]] == [
        ("2025-10-01", "2800.00", "due"),
        ("2026-03-01", "2100.00", "due"),
        ("2026-06-01", "1400.00", "upcoming"),
    ]
    assert out["totals"]["fallen_due"] == "4900.00"
    assert out["level"]["steps"][0]["rule"].startswith("L6332-14") and out["hiring_aid"]["annual"] == "5000.00"


def test_a_bad_line_gives_an_error_line_the_run_goes_on_and_the_exit_code_says_so() -> None:
    good = {"id": "ok", "terms": bts(), "events": [SIGNED], "npec": [NPEC]}
    bad_terms = {"id": "young", "terms": bts(birth="2015-01-01")}
    bad_npec = {"id": "npec", "terms": bts(), "npec": [{**NPEC, "amount": "1e308"}]}
    code, out = run([json.dumps(good), "{oops", json.dumps(bad_terms), json.dumps(bad_npec), json.dumps(good)])
    assert code == 1
    assert [o.get("id") for o in out] == ["ok", None, "young", "npec", "ok"]
    assert out[1]["error"]["type"] == "invalid-json"
    assert out[2]["error"]["field"] == "apprentice.birth_date" and out[3]["error"]["field"] == "npec[0].amount"


def test_the_store_reference_holds_the_npecs_recorded_as_events(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'ledger.sqlite3'}"
    ledger = bootstrap(Settings(database_url=url))
    app = ledger.contracts
    app.funding.record_npec(BTS, "0843", Decimal(7000), date(2024, 1, 1), "recorded")
    ledger.close()
    case = {"id": "e1", "terms": bts(), "events": [SIGNED]}
    env = {**os.environ, "LEDGER_DATABASE_URL": url}
    _, (from_store,) = run([json.dumps(case)], "--reference", "store", env=env)
    _, (builtin,) = run([json.dumps(case)], "--reference", "builtin", env=env)
    assert from_store["level"]["source"] == "branch_npec" and from_store["level"]["annual"] == "7000.00"
    assert builtin["level"]["source"] == "forfait" and builtin["level"]["annual"] == "6000.00"
