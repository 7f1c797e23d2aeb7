"""The Contracts application on the three stores (memory, SQLite file, PostgreSQL): what is saved comes
back the same, retries and races lose nothing, reference data is seeded once, contracts are never snapshotted."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest

from domain.contract import Contract
from domain.errors import IllegalTransition, MasterLimitReached, ReferenceDataError
from domain.reference_data import monthly_smic
from domain.terms import parse_terms
from ledger.application import Contracts
from ledger.errors import ConcurrentChange, ContractNotFound, IdempotencyKeyReused, VersionConflict
from tests.conftest import shares_store
from tests.contract_builders import terms

D = date.fromisoformat


def accepted_contract(app: Contracts, key: str = "k1", **kw: Any) -> Any:
    cid = app.draft_contract(terms(**kw), key, "CFA-1").contract_id
    app.sign(cid, D("2025-08-25"))
    app.file(cid, D("2025-09-03"), "OPCO")
    app.decide_filing(cid, D("2025-09-10"), True)
    return cid


def test_a_contract_comes_back_from_the_store_with_its_dates_and_decimals(
    make_app: Callable[[], Contracts], backend: dict[str, str]
) -> None:
    app = make_app()
    cid = accepted_contract(app)
    app.change_smc(cid, D("2026-01-01"), Decimal("1901.50"))
    reader = make_app() if shares_store(backend) else app  # a second "process" on the same store
    c = reader.get_contract(cid)
    assert (c.status, c.version, c.filing_due, c.decision_due) == ("accepted", 5, D("2025-09-06"), D("2025-09-23"))
    assert c.signed_on == D("2025-08-25") and type(c.signed_on) is date
    assert c.smc_changes == [{"from": D("2026-01-01"), "monthly": Decimal("1901.50")}]
    assert type(c.smc_changes[0]["monthly"]) is Decimal
    assert c.terms == parse_terms(terms())
    history = reader.contract_events(cid)
    assert [(e["type"], e["version"]) for e in history] == [
        ("Drafted", 1),
        ("Signed", 2),
        ("Filed", 3),
        ("FilingDecided", 4),
        ("SmcChanged", 5),
    ]
    assert history[1]["payload"] == {"on": "2025-08-25"}
    assert history[-1]["payload"] == {"from": "2026-01-01", "monthly": "1901.50"}
    assert all(e["recorded_at"].endswith("+00:00") for e in history)


def test_the_event_history_is_in_the_interfaces_json_form(app: Contracts) -> None:
    cid = accepted_contract(app)
    app.terminate(cid, D("2026-01-15"), "mutual_agreement")
    history = app.contract_events(cid)
    assert [e["type"] for e in history] == ["Drafted", "Signed", "Filed", "FilingDecided", "Terminated"]
    assert [e["version"] for e in history] == [1, 2, 3, 4, 5]
    assert {"type": history[-1]["type"], **history[-1]["payload"]} == {
        "type": "Terminated",
        "on": "2026-01-15",
        "reason": "mutual_agreement",
    }
    assert history[0]["payload"]["terms"] == parse_terms(terms()).to_json()
    assert history[0]["payload"]["deadlines"]["filing_due"] == "2025-09-06"


def test_drafting_again_with_the_same_key_records_nothing(app: Contracts) -> None:
    first = app.draft_contract(terms(), "same-key", "CFA-1")
    position = app.recorder.max_notification_id()
    again = app.draft_contract(terms(), "same-key", "CFA-1")
    assert (again.contract_id, again.created, again.version) == (first.contract_id, False, 1)
    assert first.created
    assert app.recorder.max_notification_id() == position
    with pytest.raises(IdempotencyKeyReused):
        app.draft_contract(terms(birth="2008-03-16"), "same-key", "CFA-1")


def test_a_refused_command_records_nothing(app: Contracts) -> None:
    cid = app.draft_contract(terms(), "k", None).contract_id
    position = app.recorder.max_notification_id()
    with pytest.raises(IllegalTransition, match="filing"):
        app.file(cid, D("2025-09-03"), "OPCO")
    assert app.recorder.max_notification_id() == position


def test_an_unknown_contract_is_not_found(app: Contracts) -> None:
    unknown = Contract.create_id("never-drafted")
    with pytest.raises(ContractNotFound):
        app.get_contract(unknown)
    with pytest.raises(ContractNotFound):
        app.contract_events(unknown)
    with pytest.raises(ContractNotFound):
        app.sign(unknown, D("2025-08-25"))


def test_a_stale_expected_version_is_a_version_conflict(app: Contracts) -> None:
    cid = app.draft_contract(terms(), "k", None).contract_id
    assert app.record_event(cid, {"type": "Signed", "on": "2025-08-25"}, expected_version=1) == 2
    with pytest.raises(VersionConflict) as info:
        app.record_event(cid, {"type": "Filed", "on": "2025-09-03", "authority": "OPCO"}, expected_version=1)
    assert (info.value.expected, info.value.actual) == (1, 2)


def test_two_writers_on_one_contract_one_wins_the_other_gets_concurrent_change_and_nothing_is_lost(
    app: Contracts, monkeypatch: pytest.MonkeyPatch
) -> None:
    cid = accepted_contract(app)
    both_loaded = threading.Barrier(2, timeout=10)
    record = Contract.record

    def record_after_both_loaded(self: Contract, payload: Any, **kw: Any) -> None:
        both_loaded.wait()  # both writers hold version 4 before either saves
        record(self, payload, **kw)

    monkeypatch.setattr(Contract, "record", record_after_both_loaded)
    outcomes: dict[str, str] = {}

    def writer(day: str) -> None:
        try:
            app.record_event(cid, {"type": "SmcChanged", "from": day, "monthly": "1900.00"})
            outcomes[day] = "saved"
        except ConcurrentChange:
            outcomes[day] = "conflict"

    threads = [threading.Thread(target=writer, args=(day,)) for day in ("2026-01-01", "2026-02-01")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes.values()) == ["conflict", "saved"]
    monkeypatch.setattr(Contract, "record", record)
    loser = next(day for day, outcome in outcomes.items() if outcome == "conflict")
    app.record_event(cid, {"type": "SmcChanged", "from": loser, "monthly": "1900.00"})  # the retry
    c = app.get_contract(cid)
    assert c.version == 6
    assert sorted(s["from"] for s in c.smc_changes) == [D("2026-01-01"), D("2026-02-01")]


def test_the_master_limit_holds_across_drafts_and_frees_on_termination(app: Contracts) -> None:
    a = accepted_contract(app, "a", master="MA-1")
    b = accepted_contract(app, "b", master="MA-1")
    position = app.recorder.max_notification_id()
    with pytest.raises(MasterLimitReached) as info:
        app.draft_contract(terms(master="MA-1"), "c", None)
    assert (info.value.field, info.value.rule) == ("master.id", "R6223-6")
    assert app.recorder.max_notification_id() == position
    with pytest.raises(ContractNotFound):
        app.get_contract(Contract.create_id("c"))
    app.terminate(a, D("2026-01-15"), "mutual_agreement")
    c = app.draft_contract(terms(master="MA-1", start="2026-01-16", end="2028-01-15"), "c", None)
    assert c.created
    assert set(app.master_roster("MA-1").entries) == {str(a), str(b), str(c.contract_id)}


def test_an_exam_failure_extension_uses_the_masters_extra_place(app: Contracts) -> None:
    a = accepted_contract(
        app, "a", master="MA-1", start="2024-09-01", end="2025-08-31", training__exam_end_date="2025-06-30"
    )
    app.extend_for_exam_failure(a, D("2025-07-10"), D("2026-08-31"))
    accepted_contract(app, "b", master="MA-1")
    accepted_contract(app, "c", master="MA-1")  # third apprentice: allowed because a is in extension
    with pytest.raises(MasterLimitReached):
        app.draft_contract(terms(master="MA-1"), "d", None)


def test_reference_data_is_seeded_once_and_a_revaluation_is_a_command(
    make_app: Callable[[], Contracts], backend: dict[str, str]
) -> None:
    app = make_app()
    assert app.reference.seed() is False  # bootstrap already did
    other = make_app() if shares_store(backend) else app  # a second start on the same store
    seeded = [
        n
        for n in other.recorder.select_notifications(start=1, limit=1000)
        if n.topic.endswith("ReferenceData.ReferenceDataSeeded")
    ]
    assert len(seeded) == 1
    hourly = Decimal("12.50")
    assert other.reference.record_smic_revaluation(D("2027-01-01"), hourly, monthly_smic(hourly), "Décret test") is True
    assert (
        other.reference.record_smic_revaluation(D("2027-01-01"), hourly, monthly_smic(hourly), "Décret test") is False
    )
    with pytest.raises(ReferenceDataError) as info:
        other.reference.record_smic_revaluation(D("2027-01-01"), Decimal("12.60"), monthly_smic(Decimal("12.60")), "x")
    assert info.value.field == "effective_date"
    with pytest.raises(ReferenceDataError) as info:
        other.reference.record_smic_revaluation(D("2027-06-01"), hourly, Decimal("1895.84"), "x")
    assert (info.value.field, info.value.rule) == ("monthly", "L3242-1")
    restarted = make_app() if shares_store(backend) else other
    last = restarted.reference.data().smic_history()[-1]
    assert (last.effective_date, last.hourly, last.monthly) == (D("2027-01-01"), hourly, Decimal("1895.83"))


def test_every_seeded_smic_matches_the_monthly_formula() -> None:
    from domain import law

    assert [monthly_smic(s.hourly) for s in law.SMIC_SEED] == [s.monthly for s in law.SMIC_SEED]


def test_a_contract_is_never_snapshotted_so_erasure_reaches_every_copy_of_its_terms(
    make_app: Callable[[], Contracts], backend: dict[str, str]
) -> None:
    app = make_app()
    cid = accepted_contract(app)
    for n in range(56):  # versions 5..60
        app.change_smc(cid, date(2025, 10, 1) + timedelta(days=n), Decimal("1900.00") + n)
    assert app.snapshots is None or list(app.snapshots.get(cid)) == []
    reader = make_app() if shares_store(backend) else app
    c = reader.get_contract(cid)
    assert (c.version, len(c.smc_changes), c.status) == (60, 56, "accepted")
    assert c.smc_changes[-1] == {"from": D("2025-11-25"), "monthly": Decimal("1955.00")}


def test_a_revaluation_recorded_by_another_process_reaches_the_cached_reference(
    backend: dict[str, str], make_app: Callable[[], Contracts]
) -> None:
    if not shares_store(backend):
        pytest.skip("an in-memory store is private to its process")
    reader, admin = make_app(), make_app()
    cid = reader.draft_contract(terms(), "k").contract_id
    before = {m.key: m.amount for m in reader.wage_schedule(cid).months}  # fills the reader's cache
    hourly = Decimal("12.50")
    assert admin.reference.record_smic_revaluation(date(2026, 9, 1), hourly, monthly_smic(hourly), "hypothetical")
    after = {m.key: m.amount for m in reader.wage_schedule(cid).months}
    assert before["2026-08"] == after["2026-08"] and after["2026-09"] > before["2026-09"]


def test_the_cached_months_follow_a_new_event_and_a_revaluation_from_another_process(
    backend: dict[str, str], make_app: Callable[[], Contracts]
) -> None:
    if not shares_store(backend):
        pytest.skip("an in-memory store is private to its process")
    reader, writer = make_app(), make_app()
    cid = reader.draft_contract(terms(birth="2000-11-20"), "k").contract_id  # 25 at the start: SMC counts

    def september_2026() -> str:
        months = reader.current_months(reader.get_contract(cid))
        return next(str(m["amount"]) for m in months if m["month"] == "2026-09")

    assert september_2026() == "1138.88"  # 61 % × 1 867.02
    writer.change_smc(cid, date(2026, 9, 1), Decimal("2000.00"))
    assert september_2026() == "1220.00"  # 61 % × 2 000.00: the new version is not served from the cache
    hourly = Decimal("14.00")
    writer.reference.record_smic_revaluation(date(2026, 9, 1), hourly, monthly_smic(hourly), "hypothetical")
    assert september_2026() == "1295.23"  # 61 % × 2 123.33 (14.00 × 35 × 52 / 12): the new reference too
