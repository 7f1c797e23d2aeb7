"""`ledger demo` (the Quickstart's first command): contracts dated from today, running, with their wages."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date
from pathlib import Path

from cli.commands.demo import demo_start


def demo(store: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "LEDGER_DATABASE_URL": f"sqlite:///{store}"}
    return subprocess.run(
        [sys.executable, "-m", "cli.main", "demo"], capture_output=True, text=True, env=env, timeout=300
    )


def test_the_demo_prints_running_contracts_with_their_wages_and_a_second_run_records_nothing(tmp_path: Path) -> None:
    store = tmp_path / "ledger.sqlite3"
    first = demo(store)
    assert first.returncode == 0, first.stderr
    assert first.stdout.count("Status     : accepted") == 3  # decided: no implicit refusal at the next tick
    assert first.stdout.count("Legal minimum wage, month by month") == 3
    assert first.stdout.count("<- this month") == 3  # every contract is running today
    assert "27 % of SMIC" in first.stdout and "D6222-31" in first.stdout
    second = demo(store)
    assert second.returncode == 0 and second.stdout.count("version 4") == 3  # nothing new recorded


def test_the_demo_contracts_start_three_months_back_on_the_first() -> None:
    assert demo_start(date(2026, 12, 5)) == date(2026, 9, 1)
    assert demo_start(date(2027, 2, 28)) == date(2026, 11, 1)
