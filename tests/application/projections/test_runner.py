"""The log reader: what a projection does not read is passed over undecoded, and its position still moves."""

from __future__ import annotations

from typing import Any

from domain.events import RecordedEvent
from ledger.system import Ledger
from projections.runner import log_reader
from tests.contract_builders import terms
from tests.system.helpers import D


def test_events_of_kinds_the_projection_does_not_read_are_not_decoded_but_are_read_past(ledger: Ledger) -> None:
    c = ledger.contracts
    cid = c.draft_contract(terms(birth="2005-01-10", start="2025-09-01", end="2027-08-31"), "k", "cfa-1").contract_id
    c.sign(cid, D("2025-08-20"))
    c.keys.issue("cfa", "cfa-1", "last in the log: an event no projection reads")
    last = c.recorder.max_notification_id()
    translated: list[str] = []

    def translate(record: RecordedEvent) -> Any:
        translated.append(record.kind)
        return record.kind

    read = log_reader(c, translate, "record", kinds=frozenset({"Signed"}))
    items = read(None, 1_000)
    assert translated == ["Signed"]  # nothing else decoded or translated
    assert [item for _, item in items if item is not None] == ["Signed"]
    assert items[-1][0] == last  # every position is returned, so tracking reaches the end of the log


def test_the_wage_and_funding_views_follow_to_the_end_of_the_log_past_events_they_do_not_read(ledger: Ledger) -> None:
    c = ledger.contracts
    cid = c.draft_contract(terms(birth="2005-01-10", start="2025-09-01", end="2027-08-31"), "k", "cfa-1").contract_id
    c.keys.issue("cfa", "cfa-1", "not read by the views")
    ledger.sync()
    last = c.recorder.max_notification_id()
    assert ledger.wage_runner.projection.position() == last
    assert ledger.funding_runner.projection.position() == last
    assert ledger.funding_view.state(str(cid)) is not None
