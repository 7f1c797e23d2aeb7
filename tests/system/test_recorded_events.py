"""The mapper's plain-data read of a stored event (`to_record`, what projections replay) says exactly what the
domain event says: same kind, same payload, same time, for every kind of event the ledger records, sealed
personal data and encryption at rest included."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from eventsourcing.cipher import AESCipher
from eventsourcing.persistence import MapperDeserialisationError

from domain.events import event_payload, event_type
from domain.personal_data import ERASED_NAME, erased_terms
from domain.webhooks import Owner
from ledger.bootstrap import bootstrap
from ledger.clock import tick
from ledger.settings import Settings
from ledger.system import Ledger
from tests.conftest import POSTGRES_URL
from tests.contract_builders import terms
from tests.system.helpers import running


@pytest.fixture(params=["sqlite", "postgres", "postgres+cipher"])
def ledger_on(request: pytest.FixtureRequest, tmp_path: Path) -> Any:
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'ledger.sqlite3'}"
    else:
        url = f"{POSTGRES_URL}?schema={request.getfixturevalue('postgres_schema')}"
    cipher_key = AESCipher.create_key(32) if request.param.endswith("cipher") else ""
    ledger = bootstrap(Settings(database_url=url, cipher_key=cipher_key))
    yield ledger
    ledger.close()


def every_kind(ledger: Ledger) -> None:
    """A log with every kind of event: the lifecycle, the clock's, corrections, erasure, reference data,
    the funding reference and a webhook subscription."""
    c = ledger.contracts
    a = running(ledger, "a", terms(birth="2008-03-15"))
    b = running(ledger, "b", terms(birth="2004-05-10"))
    d = running(ledger, "d", terms(birth="2006-02-02"))
    c.end_probation(a, date(2025, 10, 15))
    c.change_smc(a, date(2026, 3, 1), Decimal("2100.00"))
    c.recognise_disability(a, date(2026, 4, 2))
    c.correct_terms(b, terms(birth="2004-05-11"), "birth date mistyped")
    c.extend_for_exam_failure(b, date(2027, 7, 1), date(2028, 6, 30))
    c.terminate(d, date(2026, 1, 15), "resignation")
    c.erase_personal_data(d)
    tick(ledger, date(2027, 3, 1))  # age brackets and contract years
    c.reference.record_smic_revaluation(date(2026, 9, 1), Decimal("12.50"), Decimal("1895.83"), "hypothetical")
    c.reference.record_lu_cote(date(2026, 10, 1), Decimal("1000.00"), "STATEC")
    c.funding.record_npec("RNCP12345", None, Decimal("8000"), date(2025, 1, 1), "France compétences")
    c.webhooks.subscribe(Owner("employer", "12345678900011"), "http://127.0.0.1:9/hook", ["*"], "payroll")


def test_a_record_says_what_the_domain_event_says_for_every_kind(ledger_on: Ledger) -> None:
    every_kind(ledger_on)
    app = ledger_on.contracts
    notes = app.recorder.select_notifications(start=None, limit=10_000)
    kinds = set()
    for note in notes:
        event: Any = app.mapper.to_domain_event(note)
        record = app.mapper.to_record(note)  # type: ignore[attr-defined]
        assert record.kind == event_type(event)
        assert record.payload == event_payload(event), record.kind
        assert record.timestamp == event.timestamp
        assert (record.originator_id, record.originator_version) == (str(event.originator_id), note.originator_version)
        assert type(record.domain_event()) is type(event)
        kinds.add(record.kind)
    assert {
        "Drafted",
        "Signed",
        "Filed",
        "FilingDecided",
        "ProbationEnded",
        "SmcChanged",
        "DisabilityRecognised",
        "TermsCorrected",
        "ExamFailedExtended",
        "Terminated",
        "PersonalDataErased",
        "AgeBracketReached",
        "ContractYearStarted",
        "SmicRevalued",
        "LuxembourgCoteRecorded",
        "NpecRecorded",
    } <= kinds


def test_a_record_unseals_the_apprentices_name_until_it_is_erased(ledger_on: Ledger) -> None:
    c = ledger_on.contracts
    kept = running(ledger_on, "kept", terms(apprentice__last_name="Martin"))
    erased = running(ledger_on, "erased", terms(apprentice__last_name="Durand"))
    c.erase_personal_data(erased)
    drafts = {
        r.originator_id: r
        for r in map(c.mapper.to_record, c.recorder.select_notifications(start=None, limit=100))  # type: ignore[attr-defined]
        if r.kind == "Drafted"
    }
    assert drafts[str(kept)].payload["terms"]["apprentice"]["last_name"] == "Martin"
    assert drafts[str(erased)].payload["terms"]["apprentice"]["last_name"] != "Durand"
    assert "sealed" not in drafts[str(kept)].payload["terms"]["apprentice"]


def test_a_record_read_with_its_batchs_keys_prefetched_is_the_same(ledger_on: Ledger) -> None:
    """The runner's path: one query for a batch's data keys, then each record unsealed with its own."""
    every_kind(ledger_on)
    app: Any = ledger_on.contracts
    notes = app.recorder.select_notifications(start=None, limit=10_000)
    app.mapper.prefetch_keys(notes)
    prefetched = [app.mapper.to_record(n) for n in notes]
    assert [r.payload for r in prefetched] == [event_payload(app.mapper.to_domain_event(n)) for n in notes]


def test_an_event_of_an_older_class_version_is_read_through_the_librarys_upcasting(tmp_path: Path) -> None:
    ledger = bootstrap(Settings(database_url=f"sqlite:///{tmp_path / 'ledger.sqlite3'}"))
    try:
        running(ledger, "a", terms())
        app: Any = ledger.contracts
        signed = next(n for n in app.recorder.select_notifications(None, 100) if n.topic.endswith(".Signed"))
        state = json.loads(signed.state)
        stored = replace(signed, state=json.dumps({**state, "class_version": 1}).encode())
        record = app.mapper.to_record(stored)
        assert "class_version" not in record.payload
        assert record.payload == event_payload(app.mapper.to_domain_event(signed))
        with pytest.raises(MapperDeserialisationError, match="Signed"):
            app.mapper.to_record(replace(signed, state=b"{not json"))
    finally:
        ledger.close()


def test_a_record_read_sealed_is_the_erased_form_of_every_event_and_reads_no_key(ledger_on: Ledger) -> None:
    """`record_sealed` (the funding projection's read): the terms as an erasure leaves them, nothing else
    changed, and not one data key looked up."""
    every_kind(ledger_on)
    app: Any = ledger_on.contracts
    notes = app.recorder.select_notifications(start=None, limit=10_000)
    unsealed = [app.mapper.to_record(n).payload for n in notes]
    looked_up = _spy_on_keys(app)
    sealed = [app.mapper.to_record(n, unseal=False).payload for n in notes]
    assert looked_up == []
    with_terms = []
    for note, plain, shown in zip(notes, unsealed, sealed, strict=True):
        if isinstance(plain.get("terms"), dict):
            with_terms.append(note.topic.rpartition(".")[2])
            assert shown == {**plain, "terms": erased_terms(plain["terms"])}
            assert shown["terms"]["apprentice"]["last_name"] == ERASED_NAME
        else:
            assert shown == plain
    assert sorted(with_terms) == ["Drafted", "Drafted", "Drafted", "PersonalDataErased", "TermsCorrected"]


def _spy_on_keys(app: Any) -> list[Any]:
    looked_up: list[Any] = []
    keys_get, keys_many = app.mapper.keys.get, app.mapper.keys.get_many

    def get(contract_id: Any) -> Any:
        looked_up.append(contract_id)
        return keys_get(contract_id)

    def get_many(contract_ids: list[Any]) -> Any:
        looked_up.extend(contract_ids)
        return keys_many(contract_ids)

    app.mapper.keys.get, app.mapper.keys.get_many = get, get_many
    return looked_up


@pytest.fixture
def one_draft(tmp_path: Path) -> Any:
    """A ledger on SQLite with one running contract: (its application, its stored Drafted, that event's payload)."""
    ledger = bootstrap(Settings(database_url=f"sqlite:///{tmp_path / 'ledger.sqlite3'}"))
    running(ledger, "a", terms())
    app: Any = ledger.contracts
    drafted = next(n for n in app.recorder.select_notifications(None, 100) if n.topic.endswith(".Drafted"))
    yield app, drafted, app.mapper.to_record(drafted).payload
    ledger.close()


def test_a_sealed_read_of_an_older_class_version_opens_no_seal(one_draft: Any) -> None:
    app, drafted, plain = one_draft
    old = replace(drafted, state=json.dumps({**json.loads(drafted.state), "class_version": 1}).encode())
    looked_up = _spy_on_keys(app)
    record = app.mapper.to_record(old, unseal=False)
    assert looked_up == []
    assert record.payload == {**plain, "terms": erased_terms(plain["terms"])}
    assert record.domain_event().terms["apprentice"]["last_name"] == ERASED_NAME


def test_terms_stored_in_the_clear_are_erased_by_a_sealed_read(one_draft: Any) -> None:
    """Events stored before sealing held the apprentice's name in the clear: the funding view must not copy it."""
    app, drafted, plain = one_draft
    state = json.loads(drafted.state)
    state["terms"]["apprentice"] = plain["terms"]["apprentice"]  # the real values, no seal
    legacy = replace(drafted, state=json.dumps(state).encode())
    assert app.mapper.to_record(legacy).payload["terms"] == plain["terms"]
    shown = app.mapper.to_record(legacy, unseal=False).payload
    assert plain["terms"]["apprentice"]["last_name"] != ERASED_NAME
    assert shown == {**plain, "terms": erased_terms(plain["terms"])}
