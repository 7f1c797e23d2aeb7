"""The clock's scheduled job: one tick for the day, its report one JSON log line; while a rebuild is
incomplete, a warning and nothing recorded (the next tick catches up)."""

from __future__ import annotations

import json
import logging
from datetime import date

import pytest

from ledger.system import Ledger
from scheduler.clock_job import clock_job
from tests.contract_builders import terms
from tests.system.helpers import running


def test_the_job_ticks_and_logs_its_report(ledger: Ledger, caplog: pytest.LogCaptureFixture) -> None:
    cid = running(ledger, "k", terms(birth="2008-03-15"))
    log = logging.getLogger("test.clock")
    with caplog.at_level(logging.INFO, logger="test.clock"):
        clock_job(ledger, log, lambda: date(2026, 4, 2))()
    report = json.loads(caplog.records[-1].getMessage())
    assert report["event"] == "clock.tick" and report["contracts"] >= 1
    kinds = [e["type"] for e in ledger.contracts.contract_events(cid)]
    assert "AgeBracketReached" in kinds  # 18 on 2026-03-15: recorded for April


def test_the_job_waits_for_an_incomplete_rebuild(ledger: Ledger, caplog: pytest.LogCaptureFixture) -> None:
    cid = running(ledger, "k", terms(birth="2008-03-15"))
    ledger.sync()
    ledger.wages.view.clear(ledger.wages.tracking_name, mark=True)  # a rebuild emptied the view, then died
    log = logging.getLogger("test.clock")
    with caplog.at_level(logging.INFO, logger="test.clock"):
        clock_job(ledger, log, lambda: date(2026, 4, 2))()
    warning = json.loads(caplog.records[-1].getMessage())
    assert caplog.records[-1].levelno == logging.WARNING and warning["error"]["type"] == "rebuild-incomplete"
    assert "AgeBracketReached" not in [e["type"] for e in ledger.contracts.contract_events(cid)]
