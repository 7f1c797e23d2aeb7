"""The operator's commands and endpoints: `ledger rebuild`, `ledger worker`, `/metrics`."""

from __future__ import annotations

import io
import json
import logging
import os
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

from fastapi.testclient import TestClient

from api.main import create_app
from api.middleware import JsonFormatter, configure_logging
from ledger.bootstrap import bootstrap
from ledger.settings import Settings
from tests.contract_builders import terms
from tests.system.helpers import running

LEDGER = str(Path(sys.executable).parent / "ledger")


def test_ledger_rebuild_replays_the_log_with_a_progress_bar_and_gives_the_same_views(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'ledger.sqlite3'}"
    ledger = bootstrap(Settings(database_url=url))
    ids = [running(ledger, k, terms(birth="2008-03-15")) for k in ("a", "b", "c")]
    ledger.contracts.terminate(ids[0], date(2026, 1, 15), "resignation")
    ledger.sync()
    before = [(ledger.wage_view.contract(str(c)), ledger.wage_view.history(str(c))) for c in ids]
    funding_before = [ledger.funding_view.state(str(c)) for c in ids]
    ledger.close()
    proc = subprocess.run(
        [LEDGER, "rebuild", "--batch", "5"],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "LEDGER_DATABASE_URL": url},
    )
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout)
    assert report["events"] > 12 and report["projections"] == 3
    assert "100.0 %" in proc.stderr and "ev/s" in proc.stderr and "ETA" in proc.stderr
    after = bootstrap(Settings(database_url=url))
    try:
        assert [(after.wage_view.contract(str(c)), after.wage_view.history(str(c))) for c in ids] == before
        assert [after.funding_view.state(str(c)) for c in ids] == funding_before
    finally:
        after.close()


def test_metrics_count_requests_by_route_and_expose_the_ledgers_gauges() -> None:
    ledger = bootstrap(Settings(database_url="memory:"))
    try:
        client = TestClient(create_app(ledger))
        for _ in range(3):
            client.get("/healthz")
        client.get("/contracts/123")
        text = client.get("/metrics").text
        assert 'http_requests_total{method="GET",route="/healthz",status="200"} 3.0' in text
        assert 'http_requests_total{method="GET",route="/contracts/{contract_id}",status="401"} 1.0' in text
        assert "http_request_duration_seconds_bucket" in text
        for gauge in (
            "ledger_events_recorded",
            "ledger_projection_lag_events",
            "ledger_clock_due_contracts",
            "ledger_webhook_deliveries",
            "ledger_webhook_failed_attempts",
        ):
            assert gauge in text
    finally:
        ledger.close()


def test_each_request_is_logged_as_one_json_line_with_its_id_route_status_and_duration() -> None:
    ledger = bootstrap(Settings(database_url="memory:"))
    lines = io.StringIO()
    handler = logging.StreamHandler(lines)
    handler.setFormatter(JsonFormatter())
    access = logging.getLogger("api.access")
    access.addHandler(handler)
    level = access.level
    access.setLevel(logging.INFO)  # setLevel, not the attribute: it clears the loggers' cached levels
    try:
        TestClient(create_app(ledger)).get("/healthz", headers={"X-Request-ID": "op-42"})
    finally:
        access.removeHandler(handler)
        access.setLevel(level)
        ledger.close()
    (line,) = lines.getvalue().splitlines()
    entry = json.loads(line)
    assert entry["logger"] == "api.access" and entry["level"] == "INFO" and entry["request_id"] == "op-42"
    assert (entry["method"], entry["path"], entry["status"]) == ("GET", "/healthz", 200)
    assert entry["duration_ms"] >= 0 and entry["time"]


def test_the_services_log_through_the_json_formatter_alone() -> None:
    root = logging.getLogger()
    saved, level = root.handlers[:], root.level
    try:
        configure_logging("warning")
        assert [type(h.formatter) for h in root.handlers] == [JsonFormatter] and root.level == logging.WARNING
    finally:
        root.handlers[:], root.level = saved, level


def test_the_worker_follows_the_log_and_catches_the_clock_up_at_start(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'ledger.sqlite3'}"
    ledger = bootstrap(Settings(database_url=url))
    cid = running(ledger, "a", terms(birth="2008-03-15"))  # its 18th-birthday bracket (2026-04-01) is past due
    ledger.close()
    worker = subprocess.Popen(
        [LEDGER, "worker"],
        env={**os.environ, "LEDGER_DATABASE_URL": url, "LEDGER_FOLLOW_INTERVAL": "0.1"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    reader = bootstrap(Settings(database_url=url))
    try:
        deadline = time.monotonic() + 30
        while "AgeBracketReached" not in [e["type"] for e in reader.contracts.contract_events(cid)]:
            assert time.monotonic() < deadline, "the worker did not tick"
            time.sleep(0.2)
        while not reader.wage_view.history(str(cid)) or reader.wage_view.history(str(cid))[-1]["cause"] == "Drafted":
            assert time.monotonic() < deadline, "the worker's projections did not follow"
            time.sleep(0.2)
    finally:
        worker.terminate()
        worker.wait(10)
        reader.close()


def test_the_documentation_says_which_routes_take_no_key_and_metrics_is_one_of_them() -> None:
    from pathlib import Path

    from api.main import DESCRIPTION

    ledger = bootstrap(Settings(database_url="memory:"))
    try:
        client = TestClient(create_app(ledger))
        assert client.get("/metrics").status_code == 200  # no key: a scraper holds no secret
        assert client.get("/contracts").status_code == 401
    finally:
        ledger.close()
    assert "every route but the health checks and `/metrics` takes an API key" in DESCRIPTION
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    assert "`GET /metrics` (Prometheus; like `/healthz` and `/readyz` it takes no key" in readme
