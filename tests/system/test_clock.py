"""The clock through the application and its index, on memory, SQLite and PostgreSQL.

`today` is a parameter: nothing sleeps. Recorded times stay real whatever `today` is.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from uuid import UUID

import pytest
from apscheduler.schedulers.background import BackgroundScheduler

from ledger.bootstrap import bootstrap
from ledger.clock import tick
from ledger.settings import Settings
from ledger.system import Ledger
from scheduler.wakeup import JOB_OPTIONS, TIMEZONE, schedule_clock
from tests.conftest import shares_store
from tests.contract_builders import terms
from tests.system.helpers import D, running

CLOCK_EVENTS = {"AgeBracketReached", "ContractYearStarted", "EndApproaching", "Ended", "FilingOverdue"}


def clock_events(ledger: Ledger, cid: UUID) -> list[tuple[str, str]]:
    """(type, effective date) of the clock's events in the contract's history, in recording order."""
    out = []
    for e in ledger.contracts.contract_events(cid):
        if e["type"] in CLOCK_EVENTS or (e["type"] == "FilingDecided" and e["payload"].get("implicit")):
            p = e["payload"]
            out.append((e["type"], p.get("effective_date") or p.get("on")))
    return out


def test_a_birthday_on_the_1st_on_a_months_last_day_and_on_29_february(ledger: Ledger) -> None:
    on_1st = running(ledger, "1st", terms(birth="2007-10-01"))
    last_day = running(ledger, "31st", terms(birth="2007-10-31"))
    leap = running(ledger, "leap", terms(birth="2008-02-29"))
    tick(ledger, D("2026-03-31"))
    # 18 on 1 Oct 2025: the bracket moves on the 1st of the *next* month, 1 Nov (not on the birthday).
    assert clock_events(ledger, on_1st) == [("AgeBracketReached", "2025-11-01")]
    assert clock_events(ledger, last_day) == [("AgeBracketReached", "2025-11-01")]
    # Born 29 Feb: 18 on 28 Feb 2026 (no 29th), so the bracket moves on 1 March.
    assert clock_events(ledger, leap) == [("AgeBracketReached", "2026-03-01")]


def test_a_mid_month_anniversary_is_recorded_on_the_day_not_before(ledger: Ledger) -> None:
    # Born 2006-02-01: 19 at the start, 21 only in 2027, so the anniversary is the only event of the year.
    cid = running(ledger, "a", terms(birth="2006-02-01", start="2025-09-15", end="2027-09-14"), signed="2025-09-10")
    assert tick(ledger, D("2026-09-14")).recorded == []
    report = tick(ledger, D("2026-09-15"))
    assert [(k, d) for _, k, d in report.recorded] == [("ContractYearStarted", D("2026-09-15"))]
    ledger.sync()
    row = ledger.wage_view.contract(str(cid))
    assert row is not None and row.schedule is not None
    (september,) = [m for m in row.schedule if m["month"] == "2026-09"]
    assert [(s["from"], s["year"]) for s in september["segments"]] == [("2026-09-01", 1), ("2026-09-15", 2)]


def test_after_a_90_day_outage_the_first_tick_records_every_missed_event_with_its_own_date(ledger: Ledger) -> None:
    always_on = bootstrap(Settings(database_url="memory:"))
    try:
        t = terms(birth="2007-11-20", start="2025-09-01", end="2026-11-30")
        down, reference = running(ledger, "a", t), running(always_on, "a", t)
        first, last = D("2026-08-20"), D("2026-08-20") + timedelta(days=90)
        day = first
        while day <= last:  # the reference ticks every day
            tick(always_on, day)
            day += timedelta(days=1)
        tick(ledger, first)
        report = tick(ledger, last)  # down 90 days, then one tick
        assert [k for _, k, _ in report.recorded] == ["ContractYearStarted", "EndApproaching"]
        assert clock_events(ledger, down) == clock_events(always_on, reference)
        assert clock_events(ledger, down)[-2:] == [
            ("ContractYearStarted", "2026-09-01"),
            ("EndApproaching", "2026-10-31"),
        ]
        ledger.sync()
        always_on.sync()
        assert ledger.wage_view.contract(str(down)).schedule == always_on.wage_view.contract(str(reference)).schedule  # type: ignore[union-attr]
    finally:
        always_on.close()


def test_two_ticks_at_once_record_each_event_once(backend: dict[str, str], make_ledger: Callable[[], Ledger]) -> None:
    if not shares_store(backend):
        pytest.skip("an in-memory store is private to its process")
    first, second = make_ledger(), make_ledger()
    ids = [running(first, f"k{i}", terms(birth=f"2007-0{1 + i}-15")) for i in range(6)]
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def run(ledger: Ledger) -> None:
        try:
            barrier.wait()
            tick(ledger, D("2027-12-31"))
        except BaseException as e:  # pragma: no cover - reported below
            errors.append(e)

    threads = [threading.Thread(target=run, args=(x,)) for x in (first, second)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    for cid in ids:
        counts = Counter(clock_events(first, cid))
        assert counts and max(counts.values()) == 1, counts
        assert ("Ended", "2027-08-31") in counts


class Crash(BaseException):
    """The process dying in the middle of a tick (not an error the tick could catch)."""


def test_a_tick_killed_halfway_loses_nothing_and_the_next_tick_finishes(
    backend: dict[str, str], make_ledger: Callable[[], Ledger]
) -> None:
    ledger = make_ledger()
    ids = [running(ledger, f"k{i}", terms(birth=f"2007-0{1 + i}-15")) for i in range(5)]
    real = ledger.contracts.advance_clock
    calls = 0

    def dying(contract_id: UUID, today: date, attempts: int = 5) -> list:  # type: ignore[type-arg]
        nonlocal calls
        calls += 1
        if calls == 3:
            raise Crash
        return real(contract_id, today, attempts)

    ledger.contracts.advance_clock = dying  # type: ignore[method-assign]
    with pytest.raises(Crash):
        tick(ledger, D("2026-12-31"))
    done = [cid for cid in ids if clock_events(ledger, cid)]
    assert len(done) == 2  # whole contracts done, the others untouched
    restarted = make_ledger() if shares_store(backend) else ledger
    if restarted is ledger:
        ledger.contracts.advance_clock = real  # type: ignore[method-assign]
    tick(restarted, D("2026-12-31"))
    for cid in ids:
        events = clock_events(restarted, cid)
        assert len(events) == len(set(events)) and ("ContractYearStarted", "2026-09-01") in events


def test_nothing_is_recorded_after_a_termination(ledger: Ledger) -> None:
    # 18 on 2025-10-15: bracket B from 2025-11-01, before the termination; year 2 would start 2026-09-01.
    cid = running(ledger, "a", terms(birth="2007-10-15"))
    assert [k for _, k, _ in tick(ledger, D("2026-01-31")).recorded] == ["AgeBracketReached"]
    ledger.contracts.terminate(cid, D("2026-02-10"), "mutual agreement")
    assert tick(ledger, D("2028-01-01")).recorded == []
    assert clock_events(ledger, cid) == [("AgeBracketReached", "2025-11-01")]
    ledger.sync()
    assert ledger.clock_view.entry(str(cid))["next_due"] is None  # type: ignore[index]


def test_an_extension_moves_the_end_the_clock_records(ledger: Ledger) -> None:
    cid = running(ledger, "a", terms(birth="2005-03-15"))
    ledger.contracts.extend_for_exam_failure(cid, D("2027-07-10"), D("2028-08-31"))
    tick(ledger, D("2027-09-30"))
    assert ("Ended", "2027-08-31") not in clock_events(ledger, cid)
    tick(ledger, D("2028-09-01"))
    assert ("Ended", "2028-08-31") in clock_events(ledger, cid)
    assert ledger.contracts.get_contract(cid).status == "ended"


def test_a_bracket_change_on_the_1st_is_a_wage_history_entry(ledger: Ledger) -> None:
    cid = running(ledger, "a", terms(birth="2008-03-15"))
    tick(ledger, D("2026-04-01"))
    ledger.sync()
    entry = ledger.wage_view.history(str(cid))[-1]
    assert (entry["cause"], entry["effective_date"]) == ("AgeBracketReached", "2026-04-01")
    assert (entry["old_pct"], entry["new_pct"]) == (27, 43)
    assert entry["article"] == "D6222-31" or entry["article"].startswith("D6222")


def test_a_fake_today_never_changes_the_recorded_time(ledger: Ledger) -> None:
    cid = running(ledger, "a", terms(birth="2008-03-15"))
    before = datetime.now(UTC)
    tick(ledger, D("2030-01-01"))
    after = datetime.now(UTC)
    recorded = [e for e in ledger.contracts.contract_events(cid) if e["type"] in CLOCK_EVENTS]
    assert recorded and all(before <= datetime.fromisoformat(e["recorded_at"]) <= after for e in recorded)


def test_a_tick_with_nothing_due_loads_no_contract(ledger: Ledger) -> None:
    for i in range(5):
        running(ledger, f"k{i}", terms(birth="2008-03-15"))
    report = tick(ledger, D("2025-09-02"))
    assert (report.contracts, report.recorded) == (0, [])
    cid = running(ledger, "x", terms(birth="2008-03-15"))
    ledger.sync()
    entry = ledger.clock_view.entry(str(cid))
    assert entry is not None and (entry["next_due"], entry["next_kind"]) == ("2026-04-01", "AgeBracketReached")


def test_filing_overdue_and_implicit_refusal_are_recorded_by_the_clock(ledger: Ledger) -> None:
    c = ledger.contracts
    cid = c.draft_contract(terms(), "late", "cfa-1").contract_id
    c.sign(cid, D("2025-08-25"))
    tick(ledger, D("2025-09-08"))
    c.file(cid, D("2025-09-10"), "OPCO")
    tick(ledger, D("2025-10-15"))
    assert clock_events(ledger, cid) == [("FilingOverdue", "2025-09-07"), ("FilingDecided", "2025-09-30")]
    assert c.get_contract(cid).status == "refused"


def test_apscheduler_wakes_the_clock_at_start_and_two_schedulers_record_each_event_once(
    backend: dict[str, str], make_ledger: Callable[[], Ledger]
) -> None:
    if not shares_store(backend):
        pytest.skip("an in-memory store is private to its process")
    first, second = make_ledger(), make_ledger()
    cid = running(first, "a", terms(birth="2008-03-15"))
    done = [threading.Event(), threading.Event()]
    schedulers = []
    for ledger, finished in zip((first, second), done, strict=True):
        scheduler = BackgroundScheduler(timezone=TIMEZONE)

        def wake(ledger: Ledger = ledger, finished: threading.Event = finished) -> None:
            try:
                tick(ledger, D("2026-12-31"))
            finally:
                finished.set()

        schedule_clock(scheduler, wake)
        schedulers.append(scheduler)
    for scheduler in schedulers:
        scheduler.start()
    try:
        assert all(d.wait(30) for d in done)
        daily = schedulers[0].get_job("clock-daily")
        assert daily is not None and str(daily.trigger.timezone) == TIMEZONE
        assert (daily.misfire_grace_time, daily.coalesce, daily.max_instances) == (None, True, 1)
        assert {f.name: str(f) for f in daily.trigger.fields}["hour"] == "0"
        assert JOB_OPTIONS["misfire_grace_time"] is None
    finally:
        for scheduler in schedulers:
            scheduler.shutdown(wait=True)
    counts = Counter(clock_events(first, cid))
    assert counts[("ContractYearStarted", "2026-09-01")] == 1 and max(counts.values()) == 1
