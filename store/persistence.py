"""How the applications reach their store: one code path for memory, SQLite and PostgreSQL.

eventsourcing 9.5.6 picks its persistence module from environment variables only; `eventsourcing_env`
turns the one `Settings` object into those variables. One library gap is filled here:
- `datetime.date` has no default transcoding: `DateAsISO`, registered by `BaseApplication`, which every
  application of the system derives from (a follower without it cannot read the leader's events).
Both stores' application recorders write new contracts' data keys in their events' transaction
(`KeyWritingRecorder`). The projections follow the log by reading it (`projections.runner.LogFollower`), so
the library's `subscribe()` (which SQLite lacks in 9.5.6) is not needed.
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import suppress
from datetime import date
from typing import Any, TypeVar
from uuid import UUID

import psycopg
from eventsourcing.application import AggregateNotFoundError, Application
from eventsourcing.cipher import AESCipher
from eventsourcing.persistence import (
    InterfaceError,
    JSONTranscoder,
    Notification,
    OperationalError,
    StoredEvent,
    Transcoding,
)
from eventsourcing.postgres import PostgresAggregateRecorder, PostgresApplicationRecorder
from eventsourcing.sqlite import SQLiteApplicationRecorder
from eventsourcing.utils import get_topic, retry
from psycopg.pq import TransactionStatus
from psycopg.rows import tuple_row
from psycopg.sql import SQL, Composable, Identifier

from ledger.personal_data import KeyWritingRecorder
from ledger.settings import MemoryStore, PostgresStore, Settings, SQLiteStore, ensure_sqlite_parent
from projections.shards import CONTRACT_EVENT_TOPICS, Shard
from store.sqlite import CheckpointingSQLiteFactory

SQLITE_LOCK_TIMEOUT_SECONDS = 10
AGGREGATE_CACHE_SIZE = 10_000  # several writers on one file wait for each other instead of failing

BEGIN, COMMIT, ROLLBACK = SQL("BEGIN"), SQL("COMMIT"), SQL("ROLLBACK")


class DateAsISO(Transcoding):
    """`datetime.date` as "YYYY-MM-DD" (datetime keeps the library's own DatetimeAsISO)."""

    type = date
    name = "date_iso"

    def encode(self, obj: date) -> str:
        return obj.isoformat()

    def decode(self, data: str) -> date:
        assert isinstance(data, str)
        return date.fromisoformat(data)


class KeyWritingSQLiteApplicationRecorder(KeyWritingRecorder, SQLiteApplicationRecorder):
    """The SQLite recorder writing data keys, plugged in through APPLICATION_RECORDER_TOPIC."""

    def _insert_events(self, c: Any, stored_events: Sequence[StoredEvent], **kwargs: Any) -> Sequence[int] | None:
        self.write_data_keys(c, stored_events)
        return super()._insert_events(c, stored_events, **kwargs)


# The planner cannot know that a shard keeps 1 event in `count`: it guessed 1 in 200, and planned each read as a
# parallel scan of the whole table and a sort (90 ms a read at 20,000 contracts, seconds at 1,000,000) until
# its generic plan took over. The log's index, in its order, is always the plan: a range read with a limit.
IN_LOG_ORDER = (
    "SET LOCAL enable_seqscan = off; SET LOCAL enable_bitmapscan = off; SET LOCAL max_parallel_workers_per_gather = 0"
)


class KeyWritingPostgresApplicationRecorder(KeyWritingRecorder, PostgresApplicationRecorder):
    """The library's PostgreSQL recorder, plugged in through APPLICATION_RECORDER_TOPIC."""

    def _insert_events(self, curs: Any, stored_events: Sequence[StoredEvent], **kwargs: Any) -> None:
        self.write_data_keys(curs, stored_events)  # pipelined with the events, in their transaction
        super()._insert_events(curs, stored_events, **kwargs)

    @retry((InterfaceError, OperationalError), max_attempts=10, wait=0.2)  # as the library's insert
    def insert_events(self, stored_events: Sequence[StoredEvent], **kwargs: Any) -> Sequence[int] | None:
        """The library's transaction (data keys, table lock, NOTIFY, insert, commit) sent in one round trip.

        The library's own insert syncs five times (a libpq trace shows it), holding the events table's lock from
        the LOCK to the COMMIT while its client comes back in between. Here the lock is held only while the
        server runs the statements; a conflict (the same aggregate version twice) still raises IntegrityError,
        at the sync, and rolls everything back."""
        # BEGIN and COMMIT as plain statements: psycopg's transaction block syncs the pipeline on entry and exit.
        # The library's pool keeps its connections in autocommit mode.
        with self.datastore.get_connection() as conn, conn.cursor() as curs, conn.cursor() as inserting:
            try:
                with conn.pipeline():
                    curs.execute(BEGIN)
                    self._insert_events(curs, stored_events, **kwargs)
                    if stored_events:
                        self._lock_table(curs)
                        self._notify_channel(curs)
                        PostgresAggregateRecorder._insert_stored_events(self, inserting, stored_events, **kwargs)
                    curs.execute(COMMIT)
            except BaseException:
                # A failed statement leaves the transaction aborted and COMMIT skipped: end it before the
                # connection goes back to the pool.
                if conn.info.transaction_status != TransactionStatus.IDLE:
                    with suppress(psycopg.Error):  # a broken connection: the pool discards it
                        conn.execute(ROLLBACK)
                raise
            return self._fetch_ids_after_insert_events(inserting, stored_events, **kwargs) if stored_events else None

    @retry((InterfaceError, OperationalError), max_attempts=10, wait=0.2)  # as the library's select
    def select_shard_notifications(
        self,
        start: int | None,
        limit: int,
        stop: int | None = None,
        *,
        inclusive_of_start: bool = True,
        shard: Shard,
    ) -> list[Notification]:
        """`select_notifications` for a rebuild worker: only its shard's contract events, and every other
        aggregate's (`Shard.keeps`), chosen by the server. Each worker read the whole log before, the other
        workers' events too: 10 µs a notification, an eighth of a rebuild."""
        # `Shard.owns`: the id's last 32 bits (its last 8 hex digits) modulo the count. The id's 128 bits, byte by
        # byte (16 get_byte of uuid_send per row), cost the server more than the rest of the read.
        owned = SQL("mod(('x' || right(originator_id::text, 8))::bit(32)::bigint, {}) = {}").format(
            shard.count, shard.index
        )
        conditions: list[Composable] = [SQL("(NOT starts_with(topic, %s) OR {})").format(owned)]
        params: list[Any] = [CONTRACT_EVENT_TOPICS]
        if start is not None:
            conditions.append(SQL("notification_id >= %s" if inclusive_of_start else "notification_id > %s"))
            params.append(start)
        if stop is not None:
            conditions.append(SQL("notification_id <= %s"))
            params.append(stop)
        statement = SQL(
            "SELECT notification_id, originator_id, originator_version, topic, state FROM {}.{} WHERE {}"
            " ORDER BY notification_id LIMIT %s"
        ).format(Identifier(self.datastore.schema), Identifier(self.events_table_name), SQL(" AND ").join(conditions))
        # Tuples, not the datastore's dict rows: a rebuild reads millions.
        with (
            self.datastore.get_connection() as conn,
            conn.transaction(),
            conn.cursor(row_factory=tuple_row) as curs,
        ):
            curs.execute(IN_LOG_ORDER)
            curs.execute(statement, [*params, limit], prepare=True)
            return [
                Notification(id=nid, originator_id=oid, originator_version=version, topic=topic, state=bytes(state))
                for nid, oid, version, topic, state in curs.fetchall()
            ]


def eventsourcing_env(settings: Settings) -> dict[str, str]:
    """The eventsourcing environment variables for the configured store.

    Every variable of the chosen module is given explicitly, so stray POSTGRES_* or SQLITE_* variables of
    the process cannot silently redirect the store.
    """
    store = settings.store
    # Aggregates read often (contracts, API keys, reference data) stay in memory; each read still asks the
    # store for events recorded since (fast-forward), so another process's writes are seen at once.
    cache = {
        "AGGREGATE_CACHE_MAXSIZE": str(AGGREGATE_CACHE_SIZE),
        "AGGREGATE_CACHE_FASTFORWARD": "y",
        # Given even when empty, so a stray CIPHER_KEY in the process environment cannot switch it on or off.
        "CIPHER_TOPIC": get_topic(AESCipher) if settings.cipher_key else "",
        "CIPHER_KEY": settings.cipher_key,
    }
    if isinstance(store, MemoryStore):
        return {"PERSISTENCE_MODULE": "eventsourcing.popo", **cache}
    if isinstance(store, SQLiteStore):
        ensure_sqlite_parent(store)
        return {
            "PERSISTENCE_MODULE": get_topic(CheckpointingSQLiteFactory),
            "SQLITE_DBNAME": store.path,
            "SQLITE_LOCK_TIMEOUT": str(SQLITE_LOCK_TIMEOUT_SECONDS),
            "APPLICATION_RECORDER_TOPIC": get_topic(KeyWritingSQLiteApplicationRecorder),
            **cache,
        }
    assert isinstance(store, PostgresStore)
    return {
        "PERSISTENCE_MODULE": "eventsourcing.postgres",
        "POSTGRES_DBNAME": store.dbname,
        "POSTGRES_HOST": store.host,
        "POSTGRES_PORT": str(store.port),
        "POSTGRES_USER": store.user,
        "POSTGRES_PASSWORD": store.password,
        "POSTGRES_SCHEMA": store.schema,
        "APPLICATION_RECORDER_TOPIC": get_topic(KeyWritingPostgresApplicationRecorder),
        **cache,
    }


A = TypeVar("A")


def find_aggregate(app: Application[UUID], aggregate_id: UUID, kind: type[A]) -> A | None:
    """The aggregate as the application's repository has it (a copy to change), or None if there is none of
    that kind."""
    try:
        aggregate: Any = app.repository.get(aggregate_id)
    except AggregateNotFoundError:
        return None
    return aggregate if isinstance(aggregate, kind) else None


class BaseApplication(Application[UUID]):
    """Base of every application in the system: the transcodings all of them must share."""

    def register_transcodings(self, transcoder: JSONTranscoder) -> None:
        super().register_transcodings(transcoder)
        transcoder.register(DateAsISO())
