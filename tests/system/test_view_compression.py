"""On PostgreSQL the views' long texts (schedules, funding states, terms, history entries) are stored lz4-compressed."""

from __future__ import annotations

import psycopg
from psycopg import sql

from ledger.bootstrap import bootstrap
from ledger.settings import Settings
from tests.conftest import POSTGRES_URL, _connect
from tests.contract_builders import terms
from tests.system.helpers import running

VIEW_TABLES = ("wage_contracts", "wage_history", "funding_contracts", "funding_history", "clock_index")


def text_columns(conn: psycopg.Connection, schema: str) -> dict[tuple[str, str], str]:
    """(table, column) -> its compression method ("" for the server's default, pglz)."""
    rows = conn.execute(
        "SELECT c.relname, a.attname, a.attcompression FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid"
        " JOIN pg_namespace n ON n.oid = c.relnamespace"
        " WHERE n.nspname = %s AND c.relname = ANY(%s) AND a.atttypid = 'text'::regtype AND a.attnum > 0",
        (schema, list(VIEW_TABLES)),
    ).fetchall()
    return {(t, c): m.strip("\x00") for t, c, m in rows}


def test_the_views_long_texts_are_lz4_compressed_from_the_first_start(postgres_schema: str) -> None:
    ledger = bootstrap(Settings(database_url=f"{POSTGRES_URL}?schema={postgres_schema}"))
    try:
        cid = running(ledger, "a", terms(start="2025-09-01", end="2028-08-31"))  # 36 months: a 7 KB schedule
        ledger.sync()
    finally:
        ledger.close()
    with _connect() as conn:
        columns = text_columns(conn, postgres_schema)
        assert {t for t, _ in columns} == set(VIEW_TABLES)
        assert set(columns.values()) == {"l"}, columns
        stored = conn.execute(
            sql.SQL(
                "SELECT length(schedule), pg_column_compression(schedule) FROM {}.wage_contracts WHERE contract_id = %s"
            ).format(sql.Identifier(postgres_schema)),
            (str(cid),),
        ).fetchone()
    assert stored is not None and stored[0] > 2_000 and stored[1] == "lz4"


def test_a_view_created_before_keeps_its_rows_and_gets_lz4_at_the_next_start(postgres_schema: str) -> None:
    url = f"{POSTGRES_URL}?schema={postgres_schema}"
    ledger = bootstrap(Settings(database_url=url))
    try:
        cid = running(ledger, "a", terms())
        ledger.sync()
    finally:
        ledger.close()
    with _connect() as conn:  # as the tables were created before lz4 was asked for
        for table, column in text_columns(conn, postgres_schema):
            conn.execute(
                sql.SQL("ALTER TABLE {}.{} ALTER COLUMN {} SET COMPRESSION pglz").format(
                    sql.Identifier(postgres_schema), sql.Identifier(table), sql.Identifier(column)
                )
            )
        assert set(text_columns(conn, postgres_schema).values()) == {"p"}
    ledger = bootstrap(Settings(database_url=url))
    try:
        assert ledger.wage_view.contract(str(cid)) is not None
    finally:
        ledger.close()
    with _connect() as conn:
        assert set(text_columns(conn, postgres_schema).values()) == {"l"}
