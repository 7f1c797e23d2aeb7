"""Materialised views kept by tracking recorders, one SQL text for SQLite and PostgreSQL.

A view's rows and its tracking position are written in one transaction (exactly-once). The SQL is written
once with `?` placeholders and `{schema}` before table names; the PostgreSQL flavour rewrites both.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from eventsourcing.persistence import OperationalError, Tracking
from eventsourcing.postgres import PostgresTrackingRecorder
from eventsourcing.sqlite import SQLiteTrackingRecorder
from psycopg.sql import SQL

HELD = 2**62  # a tracking position beyond any notification id: the projection's followers wait
# A tracking row under `<name>#rebuilding` while `ledger rebuild` has emptied the view and not finished it:
# written with the emptying, removed once the view is whole, so a killed rebuild stays visible.
REBUILDING = "#rebuilding"
CLEAR_LOCK_TIMEOUT, CLEAR_ATTEMPTS = "2s", 15  # emptying a view on PostgreSQL (`emptying`)


class _Dialect:
    """What differs between the two databases, for the statements of a view."""

    postgres = False
    schema_prefix = ""

    def sql(self, statement: str) -> str:
        text = statement.replace("{schema}", self.schema_prefix)
        return text.replace("?", "%s") if self.postgres else text

    def emptying(self, tables: Sequence[str]) -> list[str]:
        return [f"DELETE FROM {self.schema_prefix}{t}" for t in tables]  # SQLite truncates when there is no WHERE

    @staticmethod
    def tuples(rows: Sequence[Any]) -> list[tuple[Any, ...]]:
        return [tuple(r.values()) if isinstance(r, dict) else tuple(r) for r in rows]

    def folded(self, expression: str) -> str:
        """SQL folding an expression's case and accents as `folded` does: SQLite calls that very function
        (registered on each connection, `store/sqlite.py`), PostgreSQL translates."""
        if self.postgres:
            return f"lower(translate({expression}, '{_ACCENTED}', '{_PLAIN}'))"
        return f"fold({expression})"

    def json_text(self, column: str, *keys: str) -> str:
        """A text inside a JSON column, as SQL."""
        if self.postgres:
            return f"({column}::json #>> '{{{','.join(keys)}}}')"
        return f"json_extract({column}, '$.{'.'.join(keys)}')"


# Accented letters folded for searching, the same in Python and in both databases (`_Dialect.folded`).
_ACCENTED = "àâäáãåÀÂÄÁÃÅçÇéèêëÉÈÊËîïíìÎÏÍÌñÑôöóòõÔÖÓÒÕùûüúÙÛÜÚÿŸ"
_PLAIN = "aaaaaaaaaaaacceeeeeeeeiiiiiiiinnoooooooooouuuuuuuuyy"
_FOLD = str.maketrans(_ACCENTED, _PLAIN)


def folded(text: str) -> str:
    """Case and accents folded (« Léa » → « lea »), for searches that ignore both."""
    return text.translate(_FOLD).lower()


class ViewRecorder:
    """The part of a view common to both databases: DDL, transactions with tracking, and queries."""

    create_statements: tuple[str, ...] = ()
    tables: tuple[str, ...] = ()  # the view's own tables
    # Indexes of `create_statements` that only readers use: a rebuild drops them with the rows and builds them
    # again at the end, since one sort of the finished table costs the server less than millions of inserts at
    # random places of a B-tree (the rebuild's own lookups, by primary key and contract, keep theirs).
    deferred_indexes: tuple[str, ...] = ()
    dialect: _Dialect
    datastore: Any  # given by the library's tracking recorder the view is mixed with

    @contextmanager
    def write(self, tracking: Tracking | None) -> Iterator[Any]:
        with self.datastore.transaction(commit=True) as cursor:
            yield cursor
            if tracking is not None:
                self._insert_tracking(cursor, tracking)  # type: ignore[attr-defined]

    def run(self, cursor: Any, statement: str, params: Sequence[Any] = ()) -> None:
        cursor.execute(self.dialect.sql(statement), tuple(params))

    def run_many(self, cursor: Any, statement: str, rows: Sequence[Sequence[Any]]) -> None:
        if rows:
            cursor.executemany(self.dialect.sql(statement), [tuple(r) for r in rows])

    def insert_many(self, cursor: Any, table: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
        """Add rows that cannot be there yet (a duplicate fails the batch as any IntegrityError does)."""
        marks = ",".join("?" * len(columns))
        self.run_many(cursor, f"INSERT INTO {{schema}}{table} ({', '.join(columns)}) VALUES ({marks})", rows)

    @staticmethod
    def changed_rows(cursor: Any) -> int:
        """Rows the last statement changed (the library's SQLite cursor wraps the sqlite3 one)."""
        return int(getattr(cursor, "sqlite_cursor", cursor).rowcount)

    def fetch(self, cursor: Any, statement: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        cursor.execute(self.dialect.sql(statement), tuple(params))
        return self.dialect.tuples(cursor.fetchall())

    def clear(self, tracking_name: str, hold: bool = False, mark: bool = False) -> None:
        """Forget everything, tracking included, so the view rebuilds from the first event; `hold`: park the
        followers in the same transaction, so that none replays the log into the emptied view before the
        rebuild workers fill it; `mark`: the view is incomplete until `finish_rebuild`. The deferred indexes
        go too, until `build_deferred_indexes`."""
        self.clear_tables(tracking_name, *self.tables, hold=hold, drop_indexes=self.deferred_indexes, mark=mark)

    def clear_tables(
        self,
        tracking_name: str,
        *tables: str,
        hold: bool = False,
        drop_indexes: Sequence[str] = (),
        mark: bool = False,
    ) -> None:
        """Empty the tables and forget the tracking position, in one transaction (a rebuild from zero)."""
        for attempt in range(1, CLEAR_ATTEMPTS + 1):
            try:
                with self.datastore.transaction(commit=True) as cursor:
                    for statement in self.dialect.emptying(tables):
                        cursor.execute(statement)
                    for index in drop_indexes:
                        cursor.execute(f"DROP INDEX IF EXISTS {self.dialect.schema_prefix}{index}")
                    self._forget_tracking(cursor, tracking_name)
                    if hold:
                        self._insert_tracking(cursor, Tracking(tracking_name, HELD))  # type: ignore[attr-defined]
                    if mark:
                        marker = Tracking(tracking_name + REBUILDING, 1)
                        self._insert_tracking(cursor, marker)  # type: ignore[attr-defined]
                return
            except OperationalError:  # the tables' locks not had in time (PostgreSQL's lock timeout, SQLite's)
                if attempt == CLEAR_ATTEMPTS:
                    raise

    def build_deferred_indexes(self) -> None:
        """The indexes `clear` dropped, built on the filled tables (any start of the ledger builds them as well)."""
        statements = [
            s
            for s in self.create_statements
            if s.startswith("CREATE INDEX") and _index_name(s) in self.deferred_indexes
        ]
        with self.datastore.transaction(commit=True) as cursor:
            for statement in statements:
                self.run(cursor, statement)

    def analyze(self) -> None:
        """Fresh planner statistics for the view's tables after a bulk write (a rebuild). PostgreSQL gathers
        them itself only when autovacuum is on; without them, lookups by id in a table of millions of rows
        were planned as scans (tens of milliseconds each). SQLite plans these queries well without."""
        if self.dialect.postgres:
            with self.datastore.transaction(commit=True) as cursor:
                for table in self.tables:
                    self.run(cursor, f"ANALYZE {{schema}}{table}")

    def rebuilding(self, tracking_name: str) -> bool:
        """True while a rebuild has emptied the view and not finished it (running, or killed)."""
        table = getattr(self, "tracking_table_name", "tracking")
        rows = self.query(f"SELECT 1 FROM {{schema}}{table} WHERE application_name = ?", (tracking_name + REBUILDING,))
        return bool(rows)

    def finish_rebuild(self, tracking_name: str) -> None:
        table = getattr(self, "tracking_table_name", "tracking")
        with self.write(None) as cursor:
            self.run(cursor, f"DELETE FROM {{schema}}{table} WHERE application_name = ?", (tracking_name + REBUILDING,))

    def release(self, tracking_name: str, position: int | None) -> None:
        """The rebuild workers are done up to `position`: it becomes the projection's one position."""
        with self.write(None if position is None else Tracking(tracking_name, position)) as cursor:
            self._forget_tracking(cursor, tracking_name)

    def _forget_tracking(self, cursor: Any, tracking_name: str) -> None:
        """The projection's positions, and its rebuild workers' (`name#k/n`)."""
        table = getattr(self, "tracking_table_name", "tracking")
        self.run(
            cursor,
            f"DELETE FROM {{schema}}{table} WHERE application_name = ? OR application_name LIKE ?",
            (tracking_name, f"{tracking_name}#%"),
        )

    def query(self, statement: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        with self.datastore.transaction(commit=False) as cursor:
            return self.fetch(cursor, statement, params)


def _index_name(create_index: str) -> str:
    return create_index.split(" ON ")[0].split()[-1]  # CREATE INDEX [IF NOT EXISTS] name ON …


class SQLiteView(ViewRecorder, SQLiteTrackingRecorder):
    dialect = _Dialect()

    @contextmanager
    def write(self, tracking: Tracking | None) -> Iterator[Any]:
        with super().write(tracking) as cursor:
            # The library opens a deferred transaction; a batch reads then writes, and a read snapshot cannot
            # be upgraded once another process has written ("database is locked" without waiting). Taking the
            # write lock first makes a concurrent follower wait for its turn instead (BEGIN IMMEDIATE).
            cursor.execute("UPDATE tracking SET notification_id = notification_id WHERE 0")
            yield cursor

    def construct_create_table_statements(self) -> list[str]:
        return [*super().construct_create_table_statements(), *(self.dialect.sql(s) for s in self.create_statements)]

    def fetch(self, cursor: Any, statement: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        if "fold(" in statement:  # the searches ignore case and accents with the very function Python uses
            raw = getattr(cursor, "sqlite_cursor", cursor)  # the library wraps the sqlite3 cursor, or not
            raw.connection.create_function("fold", 1, _sqlite_fold, deterministic=True)
        return super().fetch(cursor, statement, params)


def _sqlite_fold(text: str | None) -> str | None:
    return folded(text) if isinstance(text, str) else text


class _PostgresDialect(_Dialect):
    postgres = True

    def __init__(self, schema: str) -> None:
        self.schema_prefix = f'"{schema}".'

    def sql(self, statement: str) -> str:
        text = super().sql(statement)
        return text.replace("INTEGER PRIMARY KEY AUTOINCREMENT", "BIGSERIAL PRIMARY KEY").replace(" BLOB", " BYTEA")

    def lz4(self, tables: Sequence[str]) -> str:
        """Compress the tables' long texts with lz4 (a contract's schedule is 7 KB of JSON): PostgreSQL's own
        pglz took about 110 µs a row, lz4 about 16 µs (measured on 20,000 schedules), for 934 bytes a row instead of
        699. Done once, on the columns not set yet; a server built without lz4 keeps pglz."""
        names = ", ".join(f"'{self.schema_prefix}{t}'::regclass" for t in tables)
        return (
            "DO $$ DECLARE c record; BEGIN"
            " FOR c IN SELECT attrelid::regclass AS t, attname FROM pg_attribute"
            f" WHERE attrelid IN ({names}) AND atttypid = 'text'::regtype AND attnum > 0 AND NOT attisdropped"
            " AND attcompression IS DISTINCT FROM 'l' LOOP"
            " EXECUTE format('ALTER TABLE %s ALTER COLUMN %I SET COMPRESSION lz4', c.t, c.attname);"
            " END LOOP;"
            " EXCEPTION WHEN feature_not_supported THEN NULL;"
            " END $$"
        )

    def emptying(self, tables: Sequence[str]) -> list[str]:
        # A DELETE leaves every row dead until a vacuum: rebuild after rebuild, the wage view grew to 1.8 GB for
        # 21,000 live rows, and each rebuild wrote slower. TRUNCATE is transactional here, and leaves nothing.
        # It needs each table alone: while it waits for a long reader, every other reader waits behind it, so
        # it waits a short while only (then `clear_tables` tries again), for all the tables in one statement.
        return [
            f"SET LOCAL lock_timeout = '{CLEAR_LOCK_TIMEOUT}'",
            f"TRUNCATE {', '.join(self.schema_prefix + t for t in tables)}",
        ]


class PostgresView(ViewRecorder, PostgresTrackingRecorder):
    def __init__(self, datastore: Any, **kwargs: Any) -> None:
        super().__init__(datastore, **kwargs)
        self.dialect = _PostgresDialect(datastore.schema)
        self.sql_create_statements.extend(SQL(self.dialect.sql(s)) for s in self.create_statements)  # type: ignore[arg-type, misc]
        if self.tables:
            self.sql_create_statements.append(SQL(self.dialect.lz4(self.tables)))  # type: ignore[arg-type]

    def insert_many(self, cursor: Any, table: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
        """COPY: a rebuild adds millions of rows, and row-by-row INSERTs cost their Python side 5–10 × more."""
        if rows:
            statement = f"COPY {self.dialect.schema_prefix}{table} ({', '.join(columns)}) FROM STDIN"
            with cursor.copy(statement) as copy:
                for row in rows:
                    copy.write_row(row)
