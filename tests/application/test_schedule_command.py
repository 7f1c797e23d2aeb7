"""`ledger schedule` end to end: the installed command, JSON lines in and out (interfaces §2)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from tests.domain.wage.builders import terms

LEDGER = str(Path(sys.executable).parent / "ledger")


def run(lines: list[str], *args: str, env: dict[str, str] | None = None) -> tuple[int, list[dict[str, Any]]]:
    proc = subprocess.run(
        [LEDGER, "schedule", *args], input="\n".join(lines) + "\n", capture_output=True, text=True, timeout=60, env=env
    )
    return proc.returncode, [json.loads(line) for line in proc.stdout.splitlines()]


def test_one_output_line_per_case_in_order_with_months_and_segments() -> None:
    good = {"id": "lea", "terms": terms(birth="2008-03-15", start="2025-09-01", end="2027-08-31")}
    other = {"id": "tom", "terms": terms(birth="2006-02-01", start="2025-09-15", end="2027-09-14"), "events": []}
    code, out = run([json.dumps(good), json.dumps(other)], "--reference", "builtin")
    assert code == 0
    assert [o["id"] for o in out] == ["lea", "tom"]
    first = out[0]["months"][0]
    assert first["month"] == "2025-09" and first["amount"] == "486.49"
    assert first["segments"][0]["pct"] == 27 and first["segments"][0]["base"] == "1801.80"
    assert out[1]["months"][0]["amount"] == "413.21"


def test_a_bad_line_gives_an_error_line_the_run_continues_and_exits_non_zero() -> None:
    too_young = {"id": "young", "terms": terms(birth="2012-01-01", start="2025-09-01", end="2027-08-31")}
    good = {"id": "ok", "terms": terms(birth="2008-03-15", start="2025-09-01", end="2027-08-31")}
    code, out = run([json.dumps(too_young), "{not json", json.dumps(good)], "--reference", "builtin")
    assert code == 1
    assert len(out) == 3
    assert out[0]["id"] == "young" and out[0]["error"]["rule"] == "L6222-1"
    assert set(out[0]["error"]) >= {"type", "title", "detail"}
    assert out[1]["error"]["type"] == "invalid-json"
    assert out[2]["months"][0]["amount"] == "486.49"


def test_without_a_store_the_command_uses_the_builtin_smic_and_creates_no_database(tmp_path: Path) -> None:
    import os

    db = tmp_path / "absent.sqlite3"
    env = {**os.environ, "LEDGER_DATABASE_URL": f"sqlite:///{db}"}
    good = {"id": "ok", "terms": terms(birth="2008-03-15", start="2025-09-01", end="2027-08-31")}
    code, out = run([json.dumps(good)], env=env)
    assert code == 0 and out[0]["months"][-1]["amount"] == "952.18"
    assert not db.exists()


def test_help_lists_the_commands() -> None:
    proc = subprocess.run([LEDGER, "--help"], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0
    assert "schedule" in proc.stdout and "demo" in proc.stdout
