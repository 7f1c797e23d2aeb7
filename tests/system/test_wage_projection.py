"""The wage projection fed by the real application log, on memory, SQLite and PostgreSQL."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal

import pytest

from domain.wage.engine import schedule_json
from ledger.system import Ledger
from tests.conftest import shares_store
from tests.contract_builders import terms
from tests.system.helpers import D, causes, months, running

SMIC_2027 = (D("2027-01-01"), Decimal("12.50"), Decimal("1895.83"), "décret test 2027")


def test_the_view_holds_the_schedule_the_engine_computes_from_the_events(ledger: Ledger) -> None:
    cid = running(ledger, "a", terms())
    ledger.sync()
    row = ledger.wage_view.contract(str(cid))
    assert row is not None and row.status == "accepted" and row.cfa_id == "cfa-1"
    assert row.schedule == schedule_json(ledger.contracts.wage_schedule(cid))
    assert months(ledger, cid)["2025-09"] == "486.49"  # 27 % of 1 801,80 € (under 18, year 1)
    assert causes(ledger, cid) == ["Drafted"]


@pytest.mark.parametrize("chunk", [1, 2_000])  # written one contract at a time, or all at once
def test_a_smic_revaluation_recorded_once_moves_every_running_contract_from_its_date(
    ledger: Ledger, chunk: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("projections.wage.projection.REVALUATION_CHUNK", chunk)
    a = running(ledger, "a", terms())
    b = running(ledger, "b", terms(birth="2004-05-10", start="2025-10-01", end="2027-09-30"))
    over = running(ledger, "c", terms(start="2025-09-01", end="2026-08-31"))  # ends before the revaluation
    ledger.sync()
    assert ledger.contracts.reference.record_smic_revaluation(*SMIC_2027)
    assert not ledger.contracts.reference.record_smic_revaluation(*SMIC_2027)  # a retry records nothing
    ledger.sync()
    for cid in (a, b):
        entries = [h for h in ledger.wage_view.history(str(cid)) if h["cause"] == "SmicRevalued"]
        assert len(entries) == 1
        (entry,) = entries
        assert entry["effective_date"] == "2027-01-01" and entry["article"].startswith("L3231")
        assert min(m["month"] for m in entry["months"]) == "2027-01"
        assert all(m["status"] == "upcoming" for m in entry["months"])  # known ahead of time: no arrears
        assert entry["arrears"] == "0.00"
    assert causes(ledger, over) == ["Drafted"]
    for cid in (a, b):  # only the schedule columns were rewritten: the rest of the row is as it was
        row = ledger.wage_view.contract(str(cid))
        assert row is not None and row.status == "accepted" and row.apprentice and row.events == []
        assert row.schedule == schedule_json(ledger.contracts.wage_schedule(cid))
    assert months(ledger, a)["2027-01"] == "966.87"  # 51 % of 1 895,83 € (18–20, year 2)
    assert months(ledger, a)["2026-12"] == "952.18"  # 51 % of 1 867,02 €: unchanged before the effective date


def test_a_revaluation_recorded_after_its_date_shows_the_arrears_month_by_month(ledger: Ledger) -> None:
    cid = running(ledger, "a", terms(start="2025-09-01", end="2027-08-31"))
    ledger.sync()
    # Effective 2025-11-01, recorded now (2026): every month from November 2025 to now is owed back pay.
    ledger.contracts.reference.record_smic_revaluation(
        D("2025-11-01"), Decimal("11.95"), Decimal("1812.42"), "décret rétro"
    )
    ledger.sync()
    (entry,) = [h for h in ledger.wage_view.history(str(cid)) if h["cause"] == "SmicRevalued"]
    past = [m for m in entry["months"] if m["status"] == "arrears"]
    assert past[0] == {
        "month": "2025-11",
        "before": "486.49",
        "after": "489.35",
        "difference": "2.86",
        "status": "arrears",
    }
    assert Decimal(entry["arrears"]) == sum(Decimal(m["difference"]) for m in past)
    assert months(ledger, cid)["2025-11"] == "489.35"


def test_an_smc_change_recorded_late_gives_arrears_from_its_date(ledger: Ledger) -> None:
    t = terms(birth="2003-02-10", start="2025-09-01", end="2027-08-31")  # 22: the SMC applies (21+)
    cid = running(ledger, "a", t)
    ledger.contracts.change_smc(cid, D("2025-10-01"), Decimal("2100.00"))
    ledger.sync()
    entry = ledger.wage_view.history(str(cid))[-1]
    assert entry["cause"] == "SmcChanged" and entry["effective_date"] == "2025-10-01"
    assert entry["months"][0]["month"] == "2025-10" and entry["months"][0]["status"] == "arrears"
    assert months(ledger, cid)["2025-10"] == "1113.00"  # 53 % of the 2 100 € SMC
    assert months(ledger, cid)["2025-09"] == "954.95"  # 53 % of the SMIC, before the SMC


def test_an_exam_failure_extension_adds_months_at_the_last_years_rate(ledger: Ledger) -> None:
    cid = running(ledger, "a", terms())
    ledger.contracts.extend_for_exam_failure(cid, D("2027-07-10"), D("2028-08-31"))
    ledger.sync()
    entry = ledger.wage_view.history(str(cid))[-1]
    assert entry["cause"] == "ExamFailedExtended" and entry["effective_date"] == "2027-09-01"
    assert [m["month"] for m in entry["months"]][:2] == ["2027-09", "2027-10"]
    assert all(m["before"] == "0.00" for m in entry["months"])
    assert ledger.wage_view.contract(str(cid)).status == "extended"  # type: ignore[union-attr]
    assert "2028-08" in months(ledger, cid)


def test_a_corrected_birth_date_recomputes_the_months_and_owes_the_difference(ledger: Ledger) -> None:
    cid = running(ledger, "a", terms(birth="2008-03-15"))
    ledger.sync()
    before = months(ledger, cid)
    corrected = terms(birth="2007-03-15")  # 18 at the start, not 17
    ledger.contracts.correct_terms(cid, corrected, "birth date mistyped")
    ledger.sync()
    entry = ledger.wage_view.history(str(cid))[-1]
    assert entry["cause"] == "TermsCorrected" and entry["effective_date"] == "2025-09-01"
    assert months(ledger, cid)["2025-09"] == "774.77"  # 43 % (18–20, year 1) instead of 27 %
    first = entry["months"][0]
    assert first["before"] == before["2025-09"] and first["status"] == "arrears"


def test_the_schedule_as_the_service_knew_it_before_a_revaluation(ledger: Ledger) -> None:
    cid = running(ledger, "a", terms())
    known_before = datetime.now(UTC)
    ledger.contracts.reference.record_smic_revaluation(*SMIC_2027)
    ledger.contracts.change_smc(cid, D("2027-02-01"), Decimal("1900.00"))
    then = {m.key: m.amount for m in ledger.contracts.wage_schedule(cid, as_of=known_before).months}
    now = {m.key: m.amount for m in ledger.contracts.wage_schedule(cid).months}
    assert then["2027-01"] == 95218 and now["2027-01"] == 96687
    with pytest.raises(Exception, match="no contract"):
        ledger.contracts.wage_schedule(cid, as_of=datetime(2020, 1, 1, tzinfo=UTC))


def test_terms_the_rules_reject_never_get_a_schedule(ledger: Ledger) -> None:
    from domain.errors import DomainError

    with pytest.raises(DomainError) as refused:
        ledger.contracts.draft_contract(terms(birth="2012-01-01"), "young", "cfa-1")
    assert refused.value.field == "apprentice.birth_date"
    ledger.sync()
    assert ledger.wage_view.count_history() == 0


def test_rebuilding_from_zero_gives_the_same_view(ledger: Ledger) -> None:
    a = running(ledger, "a", terms())
    b = running(ledger, "b", terms(birth="2003-02-10"))
    ledger.contracts.change_smc(b, D("2025-10-01"), Decimal("2100.00"))
    ledger.contracts.reference.record_smic_revaluation(*SMIC_2027)
    ledger.sync()
    snapshot = {cid: (ledger.wage_view.contract(str(cid)), ledger.wage_view.history(str(cid))) for cid in (a, b)}
    ledger.rebuild()
    assert ledger.wage_view.contract(str(a)) is None
    ledger.sync()
    assert {cid: (ledger.wage_view.contract(str(cid)), ledger.wage_view.history(str(cid))) for cid in (a, b)} == (
        snapshot
    )


def test_two_processes_following_one_store_apply_each_event_once(
    backend: dict[str, str], make_ledger: Callable[[], Ledger]
) -> None:
    if not shares_store(backend):
        pytest.skip("an in-memory store is private to its process")
    first, second = make_ledger(), make_ledger()
    ids = [running(first, f"k{i}", terms()) for i in range(6)]
    first.contracts.reference.record_smic_revaluation(*SMIC_2027)
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def follow(ledger: Ledger) -> None:
        try:
            barrier.wait()
            for runner in ledger.runners:
                runner.batch_size = 3
            ledger.sync()
        except BaseException as e:  # pragma: no cover - reported below
            errors.append(e)

    threads = [threading.Thread(target=follow, args=(x,)) for x in (first, second)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    for cid in ids:
        assert causes(first, cid) == ["Drafted", "SmicRevalued"]
