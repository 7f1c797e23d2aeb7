"""Crypto-shredding of an apprentice's personal data, on every store, through the application and the API."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from base64 import b64encode
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
from eventsourcing.cipher import AESCipher
from eventsourcing.persistence import MapperDeserialisationError
from eventsourcing.utils import Environment

from domain.drafting import contract_id_for
from domain.funding.report import funding_json
from domain.personal_data import ERASED_NAME
from ledger.application import Contracts
from ledger.bootstrap import bootstrap
from ledger.personal_data import seal, unseal
from ledger.settings import Settings
from ledger.system import Ledger
from store.persistence import eventsourcing_env
from tests.conftest import shares_store
from tests.contract_builders import terms
from tests.system.helpers import running

LEDGER = str(Path(sys.executable).parent / "ledger")
BIRTH = "2008-03-15"


def apprentice_terms() -> dict[str, Any]:
    return terms(birth=BIRTH, apprentice__first_name="Ysolde", apprentice__last_name="Zerbinati")


def stored_states(ledger: Ledger, cid: UUID) -> list[bytes]:
    recorder: Any = ledger.contracts.recorder
    return [bytes(e.state) for e in recorder.select_events(cid)]


def test_the_store_holds_the_name_and_birth_date_only_sealed(make_ledger: Callable[[], Ledger]) -> None:
    ledger = make_ledger()
    cid = running(ledger, "k", apprentice_terms())
    ledger.contracts.correct_terms(cid, {**apprentice_terms(), "end_date": "2027-08-30"}, "end date")
    raw = b"".join(stored_states(ledger, cid))
    assert b"Zerbinati" not in raw and b"Ysolde" not in raw and BIRTH.encode() not in raw
    assert b"sealed" in raw
    apprentice = ledger.contracts.read_contract(cid).terms_data["apprentice"]
    assert (apprentice["first_name"], apprentice["last_name"], apprentice["birth_date"]) == (
        "Ysolde",
        "Zerbinati",
        BIRTH,
    )
    drafted = ledger.contracts.contract_events(cid)[0]["payload"]["terms"]["apprentice"]
    assert drafted["last_name"] == "Zerbinati" and "sealed" not in drafted


def test_erasure_forgets_the_apprentice_and_keeps_every_wage(
    backend: dict[str, str], make_ledger: Callable[[], Ledger]
) -> None:
    ledger = make_ledger()
    cid = running(ledger, "k", apprentice_terms())
    ledger.contracts.change_smc(cid, date(2026, 1, 1), Decimal("2000.00"))
    ledger.sync()
    months_before = ledger.contracts.current_months(ledger.contracts.read_contract(cid))
    view_before = ledger.wage_view.contract(str(cid))
    assert view_before is not None and view_before.apprentice == "Ysolde Zerbinati"

    version = ledger.contracts.erase_personal_data(cid)
    assert ledger.contracts.erase_personal_data(cid) == version  # asked again: the same answer
    ledger.sync()

    readers = [ledger] + ([make_ledger()] if shares_store(backend) else [])  # another process replays the log
    for reader in readers:
        contract = reader.contracts.read_contract(cid)
        a = contract.terms_data["apprentice"]
        assert (a["first_name"], a["last_name"], a["birth_date"]) == (ERASED_NAME, ERASED_NAME, "2008-03-01")
        assert reader.contracts.current_months(contract) == months_before
        history = json.dumps(reader.contracts.contract_events(cid), ensure_ascii=False)
        assert "Zerbinati" not in history and BIRTH not in history
        assert reader.contracts.data_keys.get(cid) is None
    view = ledger.wage_view.contract(str(cid))
    assert view is not None and view.apprentice == f"{ERASED_NAME} {ERASED_NAME}"
    assert view.schedule == view_before.schedule
    assert "Zerbinati" not in json.dumps([view.terms, view.events], ensure_ascii=False)
    funding = json.dumps(ledger.funding_view.state(str(cid)), ensure_ascii=False)
    assert "Zerbinati" not in funding


def test_the_funding_view_never_holds_the_apprentice_and_funds_as_the_real_terms_do(
    make_ledger: Callable[[], Ledger],
) -> None:
    ledger = make_ledger()
    cid = running(ledger, "k", apprentice_terms())
    ledger.contracts.correct_terms(cid, {**apprentice_terms(), "end_date": "2027-08-30"}, "end date")
    ledger.contracts.recognise_disability(cid, date(2026, 4, 2))
    ledger.sync()
    rows = ledger.funding_view.query("SELECT terms, events, state FROM {schema}funding_contracts")
    stored = json.dumps(rows, ensure_ascii=False)
    assert "Zerbinati" not in stored and "Ysolde" not in stored and BIRTH not in stored
    assert ERASED_NAME in stored
    assert ledger.funding_view.state(str(cid)) == funding_json(ledger.contracts.funding.of_contract(cid))


def test_a_rebuild_after_erasure_gives_the_erased_views_with_the_same_wages(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'ledger.sqlite3'}"
    ledger = bootstrap(Settings(database_url=url))
    try:
        cid = running(ledger, "k", apprentice_terms())
        ledger.contracts.erase_personal_data(cid)
        ledger.sync()
        before = ledger.wage_view.contract(str(cid))
        ledger.rebuild()
        ledger.sync()
        assert ledger.wage_view.contract(str(cid)) == before
    finally:
        ledger.close()


def test_with_a_cipher_key_every_event_and_data_key_is_encrypted_at_rest(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'ledger.sqlite3'}"
    key = AESCipher.create_key(32)
    ledger = bootstrap(Settings(database_url=url, cipher_key=key))
    try:
        cid = running(ledger, "k", apprentice_terms())
        raw = b"".join(stored_states(ledger, cid))
        assert b"Drafted" not in raw and b"terms" not in raw and b"sealed" not in raw  # not even the shape
        assert ledger.contracts.read_contract(cid).terms_data["apprentice"]["last_name"] == "Zerbinati"
    finally:
        ledger.close()
    with sqlite3.connect(tmp_path / "ledger.sqlite3") as db:
        (wrapped,) = db.execute("SELECT data_key FROM personal_data_keys").fetchone()
    assert len(wrapped) == 12 + 16 + 32  # nonce, tag and the 32-byte key encrypted under the master key
    other = Contracts(env=eventsourcing_env(Settings(database_url=url, cipher_key=AESCipher.create_key(32))))
    try:
        with pytest.raises(MapperDeserialisationError):
            other.read_contract(cid)
    finally:
        other.close()


def test_a_malformed_cipher_key_is_refused_at_start() -> None:
    with pytest.raises(ValueError, match="LEDGER_CIPHER_KEY"):
        Settings(database_url="memory:", cipher_key="not base64!")
    with pytest.raises(ValueError, match="16, 24 or 32 bytes"):
        Settings(database_url="memory:", cipher_key="c2hvcnQ=")


def test_ledger_erase_answers_in_json_lines(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'ledger.sqlite3'}"
    ledger = bootstrap(Settings(database_url=url))
    cid = running(ledger, "k", apprentice_terms())
    ledger.close()
    env = {**os.environ, "LEDGER_DATABASE_URL": url}
    unconfirmed = subprocess.run([LEDGER, "erase", str(cid)], capture_output=True, text=True, env=env, timeout=60)
    assert unconfirmed.returncode == 1 and json.loads(unconfirmed.stderr)["error"]["field"] == "yes"
    done = subprocess.run([LEDGER, "erase", str(cid), "--yes"], capture_output=True, text=True, env=env, timeout=60)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == {"id": str(cid), "version": 5, "erased": True}
    bad = subprocess.run([LEDGER, "erase", "nope", "--yes"], capture_output=True, text=True, env=env, timeout=60)
    assert bad.returncode == 1 and json.loads(bad.stderr)["error"]["field"] == "contract_id"


def test_keys_primed_for_a_bulk_load_seal_and_unseal_like_any_other(make_ledger: Callable[[], Ledger]) -> None:
    ledger = make_ledger()
    cid = contract_id_for("cfa-1/bulk")
    ledger.contracts.data_keys.prime([cid])
    primed = ledger.contracts.data_keys.get(cid)
    assert primed is not None
    assert ledger.contracts.draft_contract(apprentice_terms(), "bulk", "cfa-1").contract_id == cid
    assert ledger.contracts.data_keys.get(cid) == primed  # the primed key sealed it
    assert ledger.contracts.data_keys.get_or_create(cid) == primed  # a key is never replaced
    assert ledger.contracts.read_contract(cid).terms_data["apprentice"]["last_name"] == "Zerbinati"


def test_a_new_contract_key_is_written_in_its_first_events_transaction(make_ledger: Callable[[], Ledger]) -> None:
    ledger = make_ledger()
    keys: Any = ledger.contracts.data_keys
    if not shares_store(ledger.contracts.env):
        pytest.skip("the in-memory store keeps keys in a dict: there is no transaction to share")
    assert keys.deferred, "the recorder writes the keys of new contracts"
    cid = ledger.contracts.draft_contract(apprentice_terms(), "k1", "cfa-1").contract_id
    first = keys.get(cid)
    assert first is not None and not keys._pending_keys(), "the key was written with the Drafted event"
    # Another process replays the draft: nothing is recorded and the first key stays, since the new one was
    # written in the transaction that failed on the existing Drafted event.
    other = make_ledger()
    assert other.contracts.draft_contract(apprentice_terms(), "k1", "cfa-1").created is False
    assert keys.get(cid) == first and not other.contracts.data_keys._pending_keys()  # type: ignore[attr-defined]
    assert other.contracts.read_contract(cid).terms_data["apprentice"]["last_name"] == "Zerbinati"


def test_a_key_left_without_events_is_replaced_by_the_drafts_own(make_ledger: Callable[[], Ledger]) -> None:
    ledger = make_ledger()
    if not shares_store(ledger.contracts.env):
        pytest.skip("the in-memory store keeps keys in a dict")
    cid = contract_id_for("cfa-1/orphan")
    orphan = ledger.contracts.data_keys.get_or_create(cid)  # as if a crash came between key and events
    ledger.contracts.draft_contract(apprentice_terms(), "orphan", "cfa-1")
    assert ledger.contracts.data_keys.get(cid) != orphan
    assert make_ledger().contracts.read_contract(cid).terms_data["apprentice"]["first_name"] == "Ysolde"


def test_a_seal_is_in_the_library_ciphers_format_both_ways() -> None:
    """Seals written before `seal` existed (by the library's AESCipher) still open, and the reverse."""
    key = AESCipher.random_bytes(32)
    library = AESCipher(Environment(env={AESCipher.CIPHER_KEY: b64encode(key).decode()}))
    assert unseal(key, library.encrypt(b'{"last_name": "Martin"}')) == b'{"last_name": "Martin"}'
    assert library.decrypt(seal(key, b"Durand")) == b"Durand"
    tampered = bytearray(seal(key, b"Durand"))
    tampered[-1] ^= 1
    with pytest.raises(ValueError, match="damaged"):
        unseal(key, bytes(tampered))
    with pytest.raises(ValueError, match="damaged"):
        unseal(AESCipher.random_bytes(32), seal(key, b"Durand"))
