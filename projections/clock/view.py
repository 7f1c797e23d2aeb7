"""The clock index: per contract the date it next needs the clock, so a tick reads only what is due."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from projections.tables import PostgresView, SQLiteView, ViewRecorder

CREATE = (
    "CREATE TABLE IF NOT EXISTS {schema}clock_index ("
    " contract_id TEXT PRIMARY KEY, next_due TEXT, next_kind TEXT, next_key TEXT, status TEXT,"
    " cfa_id TEXT, updated_at TEXT)",
    "CREATE INDEX IF NOT EXISTS clock_index_next_due ON {schema}clock_index (next_due)",
)
UPSERT = (
    "INSERT INTO {schema}clock_index (contract_id, next_due, next_kind, next_key, status, cfa_id, updated_at)"
    " VALUES (?,?,?,?,?,?,?) ON CONFLICT (contract_id) DO UPDATE SET next_due=excluded.next_due,"
    " next_kind=excluded.next_kind, next_key=excluded.next_key, status=excluded.status,"
    " cfa_id=excluded.cfa_id, updated_at=excluded.updated_at"
)


class ClockIndexQueries(ViewRecorder):
    create_statements = CREATE
    tables = ("clock_index",)

    def save(self, cursor: Any, rows: Sequence[tuple[Any, ...]]) -> None:
        self.run_many(cursor, UPSERT, rows)

    def due(self, today: str, limit: int) -> list[str]:
        """Contracts with a time-driven event due on or before `today`, the oldest first (an indexed range)."""
        rows = self.query(
            "SELECT contract_id FROM {schema}clock_index WHERE next_due <= ? ORDER BY next_due, contract_id LIMIT ?",
            (today, limit),
        )
        return [r[0] for r in rows]

    def entry(self, contract_id: str) -> dict[str, Any] | None:
        rows = self.query(
            "SELECT next_due, next_kind, next_key, status, cfa_id FROM {schema}clock_index WHERE contract_id = ?",
            (contract_id,),
        )
        if not rows:
            return None
        next_due, kind, key, status, cfa = rows[0]
        return {"next_due": next_due, "next_kind": kind, "next_key": key, "status": status, "cfa_id": cfa}

    def upcoming(self, until: str, limit: int = 1000) -> list[tuple[str, str, str]]:
        """(contract_id, next_due, next_kind) of every contract needing the clock by `until`."""
        rows = self.query(
            "SELECT contract_id, next_due, next_kind FROM {schema}clock_index WHERE next_due <= ?"
            " ORDER BY next_due, contract_id LIMIT ?",
            (until, limit),
        )
        return [(r[0], r[1], r[2]) for r in rows]


class SQLiteClockIndex(ClockIndexQueries, SQLiteView):
    pass


class PostgresClockIndex(ClockIndexQueries, PostgresView):
    pass
