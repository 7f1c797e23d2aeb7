"""A bad setting or a store that does not answer: every command prints one JSON error line naming the
setting (credentials masked), exits 1, and shows no traceback."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

LEDGER = str(Path(sys.executable).parent / "ledger")


@pytest.mark.parametrize(
    ("url", "kind"),
    [("postgresql://nobody:s3cret@127.0.0.1:1/x", "store-unavailable"), ("bogus://u:s3cret@x", "invalid-setting")],
)
@pytest.mark.parametrize("command", [["clock", "tick"], ["serve", "--port", "1"]])
def test_a_bad_database_url_is_one_json_line_without_traceback(url: str, kind: str, command: list[str]) -> None:
    env = {**os.environ, "LEDGER_DATABASE_URL": url}
    done = subprocess.run([LEDGER, *command], capture_output=True, text=True, env=env, timeout=60)
    assert done.returncode == 1
    assert "Traceback" not in done.stderr and "s3cret" not in done.stderr
    problem = json.loads(done.stderr.strip().splitlines()[-1])["error"]
    assert problem["type"] == kind and problem["field"] == "database_url"
