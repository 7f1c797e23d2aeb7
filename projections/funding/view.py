"""The funding view's tables: per contract its inputs and state, its dated payment lines, the history."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from domain.funding.report import cents
from projections import json_text
from projections.tables import PostgresView, SQLiteView, ViewRecorder

CREATE = (
    "CREATE TABLE IF NOT EXISTS {schema}funding_contracts ("
    " contract_id TEXT PRIMARY KEY, cfa_id TEXT, certification TEXT, status TEXT, terms TEXT NOT NULL,"
    " events TEXT NOT NULL, state TEXT, updated_at TEXT)",
    "CREATE INDEX IF NOT EXISTS funding_contracts_certification ON {schema}funding_contracts (certification)",
    "CREATE TABLE IF NOT EXISTS {schema}funding_lines ("
    " contract_id TEXT NOT NULL, cfa_id TEXT, due_on TEXT NOT NULL, kind TEXT NOT NULL, payer TEXT NOT NULL,"
    " cents BIGINT NOT NULL)",
    "CREATE INDEX IF NOT EXISTS funding_lines_contract ON {schema}funding_lines (contract_id)",
    "CREATE INDEX IF NOT EXISTS funding_lines_cfa_due ON {schema}funding_lines (cfa_id, due_on)",
    "CREATE TABLE IF NOT EXISTS {schema}funding_history ("
    " seq INTEGER PRIMARY KEY AUTOINCREMENT, contract_id TEXT NOT NULL, cause TEXT NOT NULL,"
    " recorded_at TEXT NOT NULL, entry TEXT NOT NULL)",
    "CREATE INDEX IF NOT EXISTS funding_history_contract ON {schema}funding_history (contract_id, seq)",
)
CLOSED = ("refused",)  # contracts whose lines leave the forecast


@dataclass
class FundingRow:
    contract_id: str
    cfa_id: str | None
    certification: str | None
    status: str
    terms: dict[str, Any]
    events: list[dict[str, Any]]
    state: dict[str, Any] | None = None  # funding_json, or {"error": problem}

    def params(self, updated_at: str) -> tuple[Any, ...]:
        return (
            self.contract_id,
            self.cfa_id,
            self.certification,
            self.status,
            json_text.dumps(self.terms),
            json_text.dumps(self.events),
            None if self.state is None else json_text.dumps(self.state),
            updated_at,
        )

    @classmethod
    def from_db(cls, r: Sequence[Any]) -> FundingRow:
        cid, cfa, cert, status, terms, events, state = r[:7]
        return cls(
            cid,
            cfa,
            cert,
            status,
            json_text.loads(terms),
            json_text.loads(events),
            json_text.loads(state) if state else None,
        )

    def lines(self) -> list[tuple[Any, ...]]:
        if self.status in CLOSED or not self.state or "payments" not in self.state:
            return []
        return [
            (self.contract_id, self.cfa_id, p["due_on"], p["kind"], p["payer"], cents(p["amount"]))
            for p in self.state["payments"]
        ]


COLUMNS = "contract_id, cfa_id, certification, status, terms, events, state, updated_at"
COLUMN_NAMES = tuple(c.strip() for c in COLUMNS.split(","))


class FundingViewQueries(ViewRecorder):
    create_statements = CREATE
    tables = ("funding_contracts", "funding_lines", "funding_history")
    deferred_indexes = ("funding_lines_cfa_due", "funding_history_contract")  # the forecast's, the history's

    def save(
        self,
        cursor: Any,
        rows: Iterable[FundingRow],
        history: Sequence[tuple[str, dict[str, Any]]],
        now: str,
        new: Collection[str] = (),
    ) -> None:
        """Upsert the rows and replace their lines (`new`: contracts not in the view yet, added at once, with no
        lines to replace), add the history."""
        rows = list(rows)
        added = [r.params(now) for r in rows if r.contract_id in new]
        self.insert_many(cursor, "funding_contracts", COLUMN_NAMES, added)
        self.run_many(
            cursor,
            f"INSERT INTO {{schema}}funding_contracts ({COLUMNS}) VALUES (?,?,?,?,?,?,?,?) ON CONFLICT (contract_id)"
            " DO UPDATE SET cfa_id=excluded.cfa_id, certification=excluded.certification, status=excluded.status,"
            " terms=excluded.terms, events=excluded.events, state=excluded.state, updated_at=excluded.updated_at",
            [r.params(now) for r in rows if r.contract_id not in new],
        )
        # One statement per contract: the index answers each, whatever the planner's statistics say (an IN list
        # of hundreds of ids, on a table never analysed since it grew, was planned as a whole-table scan).
        self.run_many(
            cursor,
            "DELETE FROM {schema}funding_lines WHERE contract_id = ?",
            [(r.contract_id,) for r in rows if r.contract_id not in new],
        )
        self.insert_many(
            cursor,
            "funding_lines",
            ("contract_id", "cfa_id", "due_on", "kind", "payer", "cents"),
            [line for r in rows for line in r.lines()],
        )
        self.insert_many(
            cursor,
            "funding_history",
            ("contract_id", "cause", "recorded_at", "entry"),
            [(cid, e["cause"], e["recorded_at"], json_text.dumps(e)) for cid, e in history],
        )

    def load(self, cursor: Any, contract_ids: Sequence[str]) -> dict[str, FundingRow]:
        out: dict[str, FundingRow] = {}
        for i in range(0, len(contract_ids), 500):
            chunk = contract_ids[i : i + 500]
            marks = ",".join("?" * len(chunk))
            query = f"SELECT {COLUMNS} FROM {{schema}}funding_contracts WHERE contract_id IN ({marks})"
            rows = self.fetch(cursor, query, chunk)
            out.update((r[0], FundingRow.from_db(r)) for r in rows)
        return out

    def ids_for(self, cursor: Any, certification: str | None) -> list[str]:
        """Contracts a reference change may concern: one certification's, or every contract (None)."""
        if certification is None:
            rows = self.fetch(cursor, "SELECT contract_id FROM {schema}funding_contracts ORDER BY contract_id")
        else:
            rows = self.fetch(
                cursor,
                "SELECT contract_id FROM {schema}funding_contracts WHERE certification = ? ORDER BY contract_id",
                (certification,),
            )
        return [r[0] for r in rows]

    # -- reads ---------------------------------------------------------------------------------------------
    def state(self, contract_id: str) -> dict[str, Any] | None:
        rows = self.query("SELECT state FROM {schema}funding_contracts WHERE contract_id = ?", (contract_id,))
        return json_text.loads(rows[0][0]) if rows and rows[0][0] else None

    def history(self, contract_id: str) -> list[dict[str, Any]]:
        rows = self.query(
            "SELECT entry FROM {schema}funding_history WHERE contract_id = ? ORDER BY seq", (contract_id,)
        )
        return [json_text.loads(r[0]) for r in rows]

    def forecast(self, cfa_id: str | None, first_month: str, last_month: str) -> list[tuple[str, str, int, int]]:
        """(month, payer, cents, contracts) expected per month over every contract (of one CFA, if given)."""
        cfa = " AND cfa_id = ?" if cfa_id is not None else ""
        params: list[Any] = [f"{first_month}-01", f"{last_month}-31", *([cfa_id] if cfa_id is not None else [])]
        rows = self.query(
            "SELECT SUBSTR(due_on, 1, 7) AS month, payer, SUM(cents), COUNT(DISTINCT contract_id)"
            f" FROM {{schema}}funding_lines WHERE due_on >= ? AND due_on <= ?{cfa}"
            " GROUP BY SUBSTR(due_on, 1, 7), payer ORDER BY month, payer",
            params,
        )
        return [(r[0], r[1], int(r[2]), int(r[3])) for r in rows]


class SQLiteFundingView(FundingViewQueries, SQLiteView):
    pass


class PostgresFundingView(FundingViewQueries, PostgresView):
    pass
