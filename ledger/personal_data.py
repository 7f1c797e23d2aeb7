"""Crypto-shredding: each contract's personal data sealed under its own key, erased by deleting the key.

`PersonalDataMapper` seals the apprentice's name and birth date of every event carrying terms (Drafted,
TermsCorrected) before the library stores it: the stored terms hold the erased form (domain/personal_data:
placeholder names, a surrogate birth date that keeps every wage) plus `sealed`, the real values encrypted
with AES-256-GCM under a key of that contract alone (the library's `AESCipher` format, opened with
`cryptography`'s AESGCM: `seal`/`unseal`). Reading unseals them while the key exists.
`Contracts.erase_personal_data` records `PersonalDataErased` (no personal data in it), then deletes the key:
from then on no copy of the log, backup or replica can reveal those values, and replaying the log gives
exactly the erased state, with the same wages.

The keys live in `personal_data_keys`, beside the events, wrapped by the store's master cipher when
`LEDGER_CIPHER_KEY` is set (then the events themselves are encrypted at rest too).
"""

from __future__ import annotations

import json
import threading
from base64 import b64decode, b64encode
from collections.abc import Iterable
from datetime import datetime
from functools import partial
from typing import Any
from uuid import UUID

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from eventsourcing.cipher import AESCipher
from eventsourcing.persistence import Cipher, Mapper, MapperDeserialisationError, StoredEvent, Transcoder

from domain.events import RecordedEvent, event_payload, event_type, jsonable, public_payload, topic_kind
from domain.personal_data import PERSONAL_FIELDS, erased_terms

SEALED = "sealed"
SEALED_EVENTS = frozenset({"Contract.Drafted", "Contract.TermsCorrected"})
DATA_KEY_BYTES = 32
# Transcodings whose stored text already is the JSON form of the value they decode (isoformat and str, read back
# by fromisoformat and Decimal): a plain read keeps it as it is. A test compares every kind of event with the
# full decode.
AS_STORED = frozenset({"date_iso", "datetime_iso", "decimal_str"})


class DataKeys:
    """Per-contract data keys, in memory (the in-memory store)."""

    def __init__(self, wrap: Cipher | None = None) -> None:
        self.wrap = wrap
        self._keys: dict[str, bytes] = {}
        self._lock = threading.Lock()

    def get_or_create(self, contract_id: UUID) -> bytes:
        with self._lock:
            return self._keys.setdefault(str(contract_id), AESCipher.random_bytes(DATA_KEY_BYTES))

    def for_new_contract(self, contract_id: UUID) -> bytes:
        """The key to seal a contract's first event with."""
        return self.get_or_create(contract_id)

    def prime(self, contract_ids: list[UUID]) -> None:
        """Create the keys of many new contracts at once (a bulk load); each seals its contract's next event."""
        for contract_id in contract_ids:
            self.get_or_create(contract_id)

    def get(self, contract_id: UUID) -> bytes | None:
        return self._keys.get(str(contract_id))

    def delete(self, contract_id: UUID) -> None:
        with self._lock:
            self._keys.pop(str(contract_id), None)

    def get_many(self, contract_ids: list[UUID]) -> dict[str, bytes]:
        return {str(c): k for c in contract_ids if (k := self.get(c)) is not None}

    def _wrapped(self, key: bytes) -> bytes:
        return self.wrap.encrypt(key) if self.wrap is not None else key

    def _unwrapped(self, stored: bytes) -> bytes:
        return self.wrap.decrypt(stored) if self.wrap is not None else stored


class SQLDataKeys(DataKeys):
    """The keys in a table of the store's own database (SQLite or PostgreSQL, through the library's datastore)."""

    def __init__(self, datastore: Any, postgres: bool, wrap: Cipher | None = None) -> None:
        super().__init__(wrap)
        self.datastore = datastore
        p = "%s" if postgres else "?"
        table = f"{datastore.schema}.personal_data_keys" if postgres and datastore.schema else "personal_data_keys"
        blob = "BYTEA" if postgres else "BLOB"
        self._create = f"CREATE TABLE IF NOT EXISTS {table} (contract_id TEXT PRIMARY KEY, data_key {blob} NOT NULL)"
        self._insert = f"INSERT INTO {table} (contract_id, data_key) VALUES ({p}, {p}) ON CONFLICT DO NOTHING"
        self._select = f"SELECT data_key FROM {table} WHERE contract_id = {p}"
        self._delete = f"DELETE FROM {table} WHERE contract_id = {p}"
        self._select_many = (
            f"SELECT contract_id, data_key FROM {table} WHERE contract_id = ANY(%s)"
            if postgres
            else f"SELECT contract_id, data_key FROM {table} WHERE contract_id IN ({{}})"
        )
        self._postgres = postgres
        # PostgreSQL: the key's commit need not wait for its WAL flush, since the event's commit that follows
        # flushes the WAL up to itself, the key included (and a key without its event is harmless).
        self._no_flush_wait = "SET LOCAL synchronous_commit = off" if postgres else None
        self._upsert = (
            f"INSERT INTO {table} (contract_id, data_key) VALUES ({p}, {p})"
            " ON CONFLICT (contract_id) DO UPDATE SET data_key = excluded.data_key"
        )
        self._primed: dict[str, bytes] = {}
        # Keys of new contracts waiting for their first event's transaction, per thread: the recorder writes
        # them with the events (`write_pending`), so a draft costs no transaction of its own.
        self._pending = threading.local()
        self.deferred = False  # True once the application's recorder writes pending keys
        with self.datastore.transaction(commit=True) as cursor:
            cursor.execute(self._create)

    def for_new_contract(self, contract_id: UUID) -> bytes:
        if not self.deferred or str(contract_id) in self._primed:
            return self.get_or_create(contract_id)
        key = AESCipher.random_bytes(DATA_KEY_BYTES)
        self._pending_keys()[str(contract_id)] = key
        return key

    def write_pending(self, cursor: Any, contract_ids: Iterable[UUID | str]) -> None:
        """Inside the transaction that records the events: the keys of the new contracts among them.

        The upsert replaces a key left without events (harmless until now). If the contract already had events,
        inserting its first event again fails, and this transaction, the replaced key with it, rolls back.
        """
        pending = self._pending_keys()
        rows = [(c, self._wrapped(k)) for c in {str(i) for i in contract_ids} if (k := pending.pop(c, None))]
        if rows:
            cursor.executemany(self._upsert, rows)

    def _pending_keys(self) -> dict[str, bytes]:
        keys: dict[str, bytes] | None = getattr(self._pending, "keys", None)
        if keys is None:
            keys = self._pending.keys = {}
        return keys

    def get_or_create(self, contract_id: UUID) -> bytes:
        primed = self._primed.pop(str(contract_id), None) or self._pending_keys().get(str(contract_id))
        if primed is not None:
            return primed
        # Committed before the event that needs it: a key without events is harmless, the reverse is not.
        with self.datastore.transaction(commit=True) as cursor:
            if self._no_flush_wait:
                cursor.execute(self._no_flush_wait)
            new = AESCipher.random_bytes(DATA_KEY_BYTES)
            cursor.execute(self._insert + " RETURNING data_key", (str(contract_id), self._wrapped(new)))
            row = cursor.fetchone()
            if row is None:  # the contract had a key already: that one
                cursor.execute(self._select, (str(contract_id),))
                row = cursor.fetchone()
            return self._unwrapped(bytes(_first(row)))

    def prime(self, contract_ids: list[UUID]) -> None:
        keys = {str(c): AESCipher.random_bytes(DATA_KEY_BYTES) for c in contract_ids}
        with self.datastore.transaction(commit=True) as cursor:
            cursor.executemany(self._insert, [(c, self._wrapped(k)) for c, k in keys.items()])
        self._primed.update(keys)  # new contracts only: an existing key would be kept by ON CONFLICT

    def get(self, contract_id: UUID) -> bytes | None:
        with self.datastore.transaction(commit=False) as cursor:
            cursor.execute(self._select, (str(contract_id),))
            row = cursor.fetchone()
        return None if row is None else self._unwrapped(bytes(_first(row)))

    def delete(self, contract_id: UUID) -> None:
        with self.datastore.transaction(commit=True) as cursor:
            cursor.execute(self._delete, (str(contract_id),))

    def get_many(self, contract_ids: list[UUID]) -> dict[str, bytes]:
        ids = [str(c) for c in contract_ids]
        if not ids:
            return {}
        with self.datastore.transaction(commit=False) as cursor:
            if self._postgres:
                cursor.execute(self._select_many, (ids,))
            else:
                cursor.execute(self._select_many.format(",".join("?" * len(ids))), ids)
            rows = cursor.fetchall()
        return {str(_cell(r, "contract_id", 0)): self._unwrapped(bytes(_cell(r, "data_key", 1))) for r in rows}


def _first(row: Any) -> Any:
    return _cell(row, "data_key", 0)


def _cell(row: Any, name: str, index: int) -> Any:
    return row[name] if isinstance(row, dict) else row[index]


def seal(key: bytes, plaintext: bytes) -> bytes:
    """AES-256-GCM under a contract's data key, in the library's `AESCipher` format (nonce, tag, ciphertext).

    `cryptography`'s AESGCM rather than the library's cipher object: a rebuild opens one seal per contract,
    a million of them, and building a pycryptodome GCM cipher took 39 µs of the 40 µs each open cost."""
    nonce = AESCipher.random_bytes(12)
    encrypted = AESGCM(key).encrypt(nonce, plaintext, None)  # the ciphertext, then the 16-byte tag
    return nonce + encrypted[-16:] + encrypted[:-16]


def unseal(key: bytes, sealed: bytes) -> bytes:
    if len(sealed) < 28:
        raise ValueError("Damaged cipher text: shorter than its nonce and tag")
    try:
        return AESGCM(key).decrypt(sealed[:12], sealed[28:] + sealed[12:28], None)
    except InvalidTag:
        raise ValueError("Cipher text is damaged: the tag does not verify") from None


class PersonalDataMapper(Mapper[UUID]):
    """The library's mapper, sealing the personal fields of contract terms with the contract's own key."""

    def __init__(
        self,
        transcoder: Transcoder,
        keys: DataKeys,
        compressor: Any = None,
        cipher: Cipher | None = None,
    ) -> None:
        super().__init__(transcoder=transcoder, compressor=compressor, cipher=cipher)
        self.keys = keys
        self._prefetched: dict[str, bytes] = {}  # keys read ahead for a batch of notifications, used once
        names: dict[str, Any] = getattr(transcoder, "names", {})  # the JSONTranscoder's transcodings, by name

        def plain(d: dict[str, Any]) -> Any:
            if len(d) == 2 and "_type_" in d and "_data_" in d:
                name = d["_type_"]
                return d["_data_"] if name in AS_STORED else jsonable(names[name].decode(d["_data_"]))
            return d

        self._plain = json.JSONDecoder(object_hook=plain)  # stored JSON → the JSON data of the decoded values

    def prefetch_keys(self, stored_events: list[Any]) -> None:
        """One query for the keys of a whole batch of notifications (a projection's read), not one per event."""
        ids = [e.originator_id for e in stored_events if e.topic.rpartition(":")[2] in SEALED_EVENTS]
        self._prefetched.update(self.keys.get_many(ids))

    def to_stored_event(self, domain_event: Any) -> StoredEvent:
        if _event_name(type(domain_event)) not in SEALED_EVENTS:
            return super().to_stored_event(domain_event)
        state = dict(vars(domain_event))
        terms = state["terms"]
        personal = {f: terms["apprentice"][f] for f in PERSONAL_FIELDS}
        new = domain_event.originator_version == 1
        key = (self.keys.for_new_contract if new else self.keys.get_or_create)(domain_event.originator_id)
        sealed = seal(key, json.dumps(personal).encode())
        shown = erased_terms(terms)
        state["terms"] = {**shown, "apprentice": {**shown["apprentice"], SEALED: b64encode(sealed).decode()}}
        copy = object.__new__(type(domain_event))
        object.__setattr__(copy, "__dict__", state)
        return super().to_stored_event(copy)

    def to_domain_event(self, stored_event: StoredEvent) -> Any:
        domain_event = super().to_domain_event(stored_event)
        terms = getattr(domain_event, "terms", None)
        if isinstance(terms, dict) and SEALED in terms.get("apprentice", {}):
            domain_event.__dict__["terms"] = self._unsealed(domain_event.originator_id, terms)
        return domain_event

    def to_record(self, stored_event: StoredEvent, unseal: bool = True) -> RecordedEvent:
        """What `event_type` and `event_payload` give of `to_domain_event(stored_event)`, read straight from the
        stored JSON: a rebuild reads millions of events, and building each domain event only to turn it back
        into JSON data took a third of its time. Each transcoded value gets the JSON form of what its
        transcoding decodes (or, for `AS_STORED`, already is); a test compares the two on every event kind.
        Not `unseal`: the terms as an erasure leaves them (the surrogate birth date gives the same ages), with no
        key read and nothing decrypted, for an event of an older class version too; terms stored in the clear
        (before sealing) are erased on the way."""
        try:
            state = stored_event.state
            if self.cipher:
                state = self.cipher.decrypt(state)
            if self.compressor:
                state = self.compressor.decompress(state)
            data = self._plain.decode(state.decode("utf8"))
        except Exception as e:  # as the library's mapper says it
            raise MapperDeserialisationError(
                f"Failed to deserialise state of stored event with topic '{stored_event.topic}', originator_id "
                f"'{stored_event.originator_id}' and originator_version {stored_event.originator_version}: {e!r}"
            ) from e
        if "class_version" in data:  # an event of an older class version: the library upcasts it
            # Sealed: the library's own decoding, which neither looks up a key nor opens the seal.
            event: Any = self.to_domain_event(stored_event) if unseal else super().to_domain_event(stored_event)
            if not unseal and isinstance(getattr(event, "terms", None), dict):
                event.__dict__["terms"] = _erased_view(event.terms)
            return RecordedEvent(
                stored_event.topic,
                event_type(event),
                str(event.originator_id),
                stored_event.originator_version,
                event.timestamp,
                event_payload(event),
                lambda: event,
            )
        oid = stored_event.originator_id
        originator_id = str(oid if isinstance(oid, UUID) else UUID(str(oid)))
        terms = data.get("terms")
        if isinstance(terms, dict):
            if unseal:
                if SEALED in terms.get("apprentice", {}):
                    data["terms"] = self._unsealed(originator_id, terms)
            else:
                data["terms"] = _erased_view(terms)
        return RecordedEvent(
            topic=stored_event.topic,
            kind=topic_kind(stored_event.topic),
            originator_id=originator_id,
            originator_version=stored_event.originator_version,
            timestamp=datetime.fromisoformat(data["timestamp"]),
            payload=public_payload(data),
            domain_event=partial(self.to_domain_event, stored_event),
        )

    def _unsealed(self, contract_id: UUID | str, terms: dict[str, Any]) -> dict[str, Any]:
        """The terms with the apprentice's real name and birth date, unless they were erased (no key left)."""
        shown = _sealed_away(terms)
        key = self._prefetched.pop(str(contract_id), None) or self.keys.get(UUID(str(contract_id)))
        if key is not None:  # not erased: the real values
            shown["apprentice"].update(json.loads(unseal(key, b64decode(terms["apprentice"][SEALED]))))
        return shown


def _erased_view(terms: dict[str, Any]) -> dict[str, Any]:
    """The terms as an erasure leaves them, read without a key: sealed terms hold that form in the clear; terms
    stored before sealing existed hold the real values, erased here."""
    apprentice = terms.get("apprentice")
    if not isinstance(apprentice, dict):
        return terms
    if SEALED in apprentice:
        return _sealed_away(terms)
    return erased_terms(terms) if "birth_date" in apprentice and "start_date" in terms else terms


def _sealed_away(terms: dict[str, Any]) -> dict[str, Any]:
    """Sealed terms without their sealed part: what is stored in the clear is the erased terms."""
    apprentice = {k: v for k, v in terms["apprentice"].items() if k != SEALED}
    return {**terms, "apprentice": apprentice}


def _event_name(cls: type) -> str:
    return cls.__qualname__


class KeyWritingRecorder:
    """Mixed into the application's recorder: new contracts' data keys written in their events' transaction."""

    data_keys: SQLDataKeys | None = None

    def write_data_keys(self, cursor: Any, stored_events: Iterable[StoredEvent]) -> None:
        if self.data_keys is not None:
            self.data_keys.write_pending(cursor, (s.originator_id for s in stored_events))
