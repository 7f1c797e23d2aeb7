"""Recording events on PostgreSQL: one round trip, in notification order, all or nothing.

The recorder sends the data keys, the table lock, the NOTIFY, the insert and the COMMIT together; these tests
use a recorder of their own with a pool of one connection, so the libpq trace of that connection is the
whole conversation.
"""

from __future__ import annotations

import tempfile
import threading
import uuid
from collections.abc import Iterator

import psycopg
import pytest
from eventsourcing.persistence import IntegrityError, StoredEvent
from eventsourcing.postgres import PostgresDatastore

from ledger.personal_data import SQLDataKeys
from ledger.settings import PostgresStore, parse_database_url
from store.persistence import KeyWritingPostgresApplicationRecorder
from tests.conftest import POSTGRES_URL

TOPIC = "tests:Recorded.Event"


def events_recorder(schema: str, connections: int) -> KeyWritingPostgresApplicationRecorder:
    """The ledger's PostgreSQL recorder on a pool of exactly `connections`, its table created."""
    store = parse_database_url(POSTGRES_URL)
    assert isinstance(store, PostgresStore)
    datastore = PostgresDatastore(
        dbname=store.dbname,
        host=store.host,
        port=str(store.port),
        user=store.user,
        password=store.password or "",
        schema=schema,
        pool_size=connections,
        max_overflow=0,
    )
    recorder = KeyWritingPostgresApplicationRecorder(datastore, events_table_name="events")
    recorder.create_table()
    return recorder


@pytest.fixture
def recorder(postgres_schema: str) -> Iterator[KeyWritingPostgresApplicationRecorder]:
    recorder = events_recorder(postgres_schema, connections=1)
    datastore = recorder.datastore
    keys = SQLDataKeys(datastore, postgres=True)
    keys.deferred = True
    recorder.data_keys = keys
    try:
        yield recorder
    finally:
        datastore.close()


def events(originator: uuid.UUID, *versions: int) -> list[StoredEvent]:
    return [StoredEvent(originator, v, TOPIC, b'{"n": %d}' % v) for v in versions]


def traced(recorder: KeyWritingPostgresApplicationRecorder, stored: list[StoredEvent]) -> list[str]:
    """What the client sent while recording `stored`: one line per protocol message."""
    with tempfile.TemporaryFile("w+") as trace:
        with recorder.datastore.get_connection() as conn:
            conn.pgconn.trace(trace.fileno())
            conn.pgconn.set_trace_flags(psycopg.pq.Trace.SUPPRESS_TIMESTAMPS)
        try:
            recorder.insert_events(stored)
        finally:
            with recorder.datastore.get_connection() as conn:
                conn.pgconn.untrace()
        trace.seek(0)
        return [line for line in trace.read().splitlines() if line.startswith("F\t")]


def test_a_new_contracts_key_and_events_reach_the_server_in_one_round_trip(
    recorder: KeyWritingPostgresApplicationRecorder,
) -> None:
    contract = uuid.uuid4()
    recorder.data_keys._pending_keys()[str(contract)] = b"k" * 32  # type: ignore[union-attr]
    sent = traced(recorder, events(contract, 1, 2))
    statements = [line for line in sent if "\tParse\t" in line]
    syncs = [i for i, line in enumerate(sent) if line.endswith("\tSync")]
    assert len(syncs) == 1, sent  # the library's own insert syncs five times
    assert syncs[0] > max(i for i, line in enumerate(sent) if '"COMMIT"' in line)
    markers = ("BEGIN", "personal_data_keys", "LOCK TABLE", "NOTIFY", '"events" AS t', "COMMIT")
    first_seen = [next(i for i, line in enumerate(statements) if m in line) for m in markers]
    assert first_seen == sorted(first_seen), statements
    assert [e.originator_version for e in recorder.select_events(contract)] == [1, 2]
    assert recorder.data_keys is not None and recorder.data_keys.get(contract) == b"k" * 32


def test_the_notification_ids_come_back_in_the_order_of_the_events(
    recorder: KeyWritingPostgresApplicationRecorder,
) -> None:
    first, second = uuid.uuid4(), uuid.uuid4()
    ids = recorder.insert_events([*events(first, 1, 2), *events(second, 1)])
    assert ids is not None and len(ids) == 3 and list(ids) == sorted(ids)
    notes = recorder.select_notifications(start=ids[0], limit=10)
    assert [(n.id, n.originator_id, n.originator_version) for n in notes] == [
        (ids[0], first, 1),
        (ids[1], first, 2),
        (ids[2], second, 1),
    ]
    assert recorder.insert_events([]) is None  # as the library answers it


def test_a_conflicting_insert_records_nothing_and_the_connection_serves_the_next_one(
    recorder: KeyWritingPostgresApplicationRecorder,
) -> None:
    contract, other = uuid.uuid4(), uuid.uuid4()
    recorder.insert_events(events(contract, 1, 2))
    recorder.data_keys._pending_keys()[str(other)] = b"o" * 32  # type: ignore[union-attr]
    with pytest.raises(IntegrityError, match="duplicate key"):
        recorder.insert_events([*events(other, 1), *events(contract, 2)])
    assert recorder.select_events(other) == []  # the other contract's event and key rolled back with it
    assert recorder.data_keys is not None and recorder.data_keys.get(other) is None
    with recorder.datastore.get_connection() as conn:  # the pool's only connection, back in autocommit
        assert conn.info.transaction_status == psycopg.pq.TransactionStatus.IDLE
    ids = recorder.insert_events(events(contract, 3))
    assert ids is not None and len(ids) == 1
    assert [e.originator_version for e in recorder.select_events(contract)] == [1, 2, 3]


def test_concurrent_writers_commit_in_notification_order_so_a_tailing_reader_misses_none(postgres_schema: str) -> None:
    """The table lock still serialises the inserts: a reader that follows the log as it grows sees every
    notification, in order, never passing over one that commits later with a smaller id."""
    recorder = events_recorder(postgres_schema, connections=9)
    datastore = recorder.datastore
    writers, each = 8, 40
    done = threading.Event()
    seen: list[int] = []
    errors: list[BaseException] = []

    def write() -> None:
        try:
            for _ in range(each):
                recorder.insert_events(events(uuid.uuid4(), 1, 2))
        except BaseException as e:  # pragma: no cover - reported below
            errors.append(e)

    def tail() -> None:
        while True:
            finished = done.is_set()
            notes = recorder.select_notifications(start=seen[-1] + 1 if seen else None, limit=1000)
            seen.extend(n.id for n in notes)
            if finished and not notes:
                return

    try:
        reader = threading.Thread(target=tail)
        reader.start()
        threads = [threading.Thread(target=write) for _ in range(writers)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        done.set()
        reader.join()
        assert not errors
        everything = [n.id for n in recorder.select_notifications(start=None, limit=10_000)]
        assert len(everything) == writers * each * 2
        assert seen == everything
    finally:
        datastore.close()
