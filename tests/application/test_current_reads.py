"""Reads of current aggregates: no fetch while the store has not moved, and never a stale answer."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any
from uuid import uuid4

import pytest

from domain.wage.engine import schedule_json
from ledger.application import Contracts
from ledger.current_reads import fresh_since
from tests.conftest import shares_store
from tests.contract_builders import terms


class CountingReads:
    """Counts the event queries an application makes (the recorder keeps working as before)."""

    def __init__(self, app: Contracts) -> None:
        self.count = 0
        recorder: Any = app.recorder
        original = recorder.select_events

        def counted(*args: Any, **kwargs: Any) -> Any:
            self.count += 1
            return original(*args, **kwargs)

        recorder.select_events = counted


@pytest.fixture
def counting() -> Iterator[Callable[[Contracts], CountingReads]]:
    yield CountingReads


@pytest.fixture
def reader_and_writer(backend: dict[str, str], make_app: Callable[[], Contracts]) -> tuple[Contracts, Contracts]:
    """Two processes' applications on one store: one reads, the other writes behind its back."""
    if not shares_store(backend):
        pytest.skip("an in-memory store is private to its process")
    return make_app(), make_app()


def test_reading_a_contract_again_fetches_nothing_when_nothing_was_recorded(
    make_app: Callable[[], Contracts], counting: Callable[[Contracts], CountingReads]
) -> None:
    app = make_app()
    cid = app.draft_contract(terms(), "k").contract_id
    app.sign(cid, date(2026, 8, 20))
    first = app.read_contract(cid)
    app.current_months(first)  # the reference data are brought up to date once after the store moved
    reads = counting(app)
    again = app.read_contract(cid)
    app.current_months(again)
    assert again.version == first.version == 2
    assert reads.count == 0


def test_a_contract_just_changed_is_read_back_without_a_fetch(
    make_app: Callable[[], Contracts], counting: Callable[[Contracts], CountingReads]
) -> None:
    app = make_app()
    cid = app.draft_contract(terms(), "k").contract_id
    app.read_contract(cid)
    version = app.change_smc(cid, date(2026, 9, 1), Decimal("2000.00"))
    reads = counting(app)
    assert app.read_contract(cid).version == version == 2
    assert reads.count == 0


def test_the_first_wage_read_of_a_contract_read_from_the_store_fetches_nothing_more(
    reader_and_writer: tuple[Contracts, Contracts], counting: Callable[[Contracts], CountingReads]
) -> None:
    reader, writer = reader_and_writer
    cid = writer.draft_contract(terms(birth="2000-11-20"), "k").contract_id
    writer.sign(cid, date(2026, 8, 20))
    writer.change_smc(cid, date(2026, 9, 1), Decimal("2000.00"))
    other = writer.draft_contract(terms(), "other").contract_id
    reader.current_months(reader.read_contract(other))  # brings the reader's reference data up to date
    contract = reader.read_contract(cid)  # its history is fetched once, wage facts included
    reads = counting(reader)
    months = reader.current_months(contract)
    assert reads.count == 0
    assert months == writer.current_months(writer.read_contract(cid))
    assert next(str(m["amount"]) for m in months if m["month"] == "2026-09") == "1220.00"


def test_a_change_recorded_by_another_process_is_seen_by_the_next_read(
    reader_and_writer: tuple[Contracts, Contracts],
) -> None:
    reader, writer = reader_and_writer
    cid = reader.draft_contract(terms(), "k").contract_id
    assert reader.read_contract(cid).version == 1
    writer.sign(cid, date(2026, 8, 20))
    assert reader.read_contract(cid).version == 2
    assert reader.read_contract(cid).status == writer.read_contract(cid).status


def test_a_write_to_another_aggregate_leaves_the_copy_in_hand_valid(
    make_app: Callable[[], Contracts], counting: Callable[[Contracts], CountingReads]
) -> None:
    app = make_app()
    cid = app.draft_contract(terms(), "a").contract_id
    other = app.draft_contract(terms(), "b").contract_id
    app.read_contract(cid)
    app.sign(other, date(2026, 8, 20))
    reads = counting(app)
    assert app.read_contract(cid).version == 1
    assert reads.count == 0  # the notifications since name only the other contract


def test_a_write_by_another_process_drops_exactly_that_copy(
    reader_and_writer: tuple[Contracts, Contracts], counting: Callable[[Contracts], CountingReads]
) -> None:
    reader, writer = reader_and_writer
    changed = reader.draft_contract(terms(), "a").contract_id
    untouched = reader.draft_contract(terms(), "b").contract_id
    reader.read_contract(changed), reader.read_contract(untouched)
    writer.sign(changed, date(2026, 8, 20))
    reads = counting(reader)
    assert reader.read_contract(untouched).version == 1
    assert reads.count == 0
    assert reader.read_contract(changed).version == 2
    assert reads.count == 1


def test_wage_facts_carry_over_a_change_that_is_not_a_wage_fact(
    make_app: Callable[[], Contracts],
) -> None:
    app = make_app()
    cid = app.draft_contract(terms(birth="2000-11-20"), "k").contract_id  # 25 at the start: SMC counts
    app.sign(cid, date(2026, 8, 20))
    app.change_smc(cid, date(2026, 9, 1), Decimal("2000.00"))
    cached = app.current_months(app.read_contract(cid))
    from_events = schedule_json(app.wage_schedule(cid, as_of=datetime.now(UTC)))  # reads every event
    assert cached == from_events
    assert next(str(m["amount"]) for m in cached if m["month"] == "2026-09") == "1220.00"


def test_reads_in_one_request_share_one_catch_up_and_a_later_request_catches_up_again(
    make_app: Callable[[], Contracts],
) -> None:
    app = make_app()
    cid = app.draft_contract(terms(), "k").contract_id
    asked = 0
    recorder: Any = app.recorder
    original = recorder.select_notifications

    def counted(*args: Any, **kwargs: Any) -> Any:
        nonlocal asked
        asked += 1
        return original(*args, **kwargs)

    recorder.select_notifications = counted
    token = fresh_since.set(time.monotonic())
    try:
        app.current_months(app.read_contract(cid))
        app.read_contract(cid)
        assert asked == 1
        fresh_since.set(time.monotonic() + 1)  # a request that began after that query: it asks the store
        app.read_contract(cid)
        assert asked == 2
    finally:
        fresh_since.reset(token)
    app.read_contract(cid)  # outside a request: always asks
    assert asked == 3


def test_a_bulk_load_since_the_last_read_starts_the_copies_afresh(
    reader_and_writer: tuple[Contracts, Contracts], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("ledger.current_reads.CATCH_UP_LIMIT", 3)  # read at each catch-up, not at start
    reader, writer = reader_and_writer
    cid = reader.draft_contract(terms(), "a").contract_id
    reader.read_contract(cid)
    for k in range(4):
        writer.draft_contract(terms(), f"bulk-{k}")
    writer.sign(cid, date(2026, 8, 20))
    assert reader.read_contract(cid).version == 2


def test_every_read_is_a_copy_its_caller_may_change(make_app: Callable[[], Contracts]) -> None:
    app = make_app()
    cid = app.draft_contract(terms(), "k").contract_id
    first = app.read_contract(cid)
    first.sign(date(2026, 8, 20))  # a command on the copy, never saved
    again = app.read_contract(cid)
    assert again is not first and again.version == 1 and again.status == "drafted"


def test_many_contracts_read_at_once_are_the_contracts_read_one_by_one(make_app: Callable[[], Contracts]) -> None:
    app = make_app()
    ids = [app.draft_contract(terms(), f"k{k}").contract_id for k in range(3)]
    app.sign(ids[1], date(2026, 8, 20))
    many = app.read_many([*ids, uuid4()])  # an unknown id is left out
    assert set(many) == set(ids)
    assert [many[i].as_dict() for i in ids] == [app.read_contract(i).as_dict() for i in ids]
    assert many[ids[1]].terms_data["apprentice"]["first_name"] == "Léa"  # unsealed like any read
