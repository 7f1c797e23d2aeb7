"""The wage view's tables: per contract its inputs and schedule, the history entries, the reference series."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from projections import json_text
from projections.tables import PostgresView, SQLiteView, ViewRecorder, folded

CREATE = (
    "CREATE TABLE IF NOT EXISTS {schema}wage_contracts ("
    " contract_id TEXT PRIMARY KEY, cfa_id TEXT, employer_siret TEXT, apprentice TEXT, status TEXT,"
    " start_date TEXT, effective_end TEXT, terms TEXT NOT NULL, events TEXT NOT NULL, schedule TEXT,"
    " error TEXT, updated_at TEXT)",
    "CREATE INDEX IF NOT EXISTS wage_contracts_end ON {schema}wage_contracts (effective_end)",
    "CREATE TABLE IF NOT EXISTS {schema}wage_history ("
    " seq INTEGER PRIMARY KEY AUTOINCREMENT, contract_id TEXT NOT NULL, effective_date TEXT NOT NULL,"
    " cause TEXT NOT NULL, recorded_at TEXT NOT NULL, entry TEXT NOT NULL)",
    "CREATE INDEX IF NOT EXISTS wage_history_contract ON {schema}wage_history (contract_id, seq)",
    "CREATE TABLE IF NOT EXISTS {schema}wage_reference ("
    " series TEXT NOT NULL, effective_date TEXT NOT NULL, value TEXT NOT NULL, label TEXT NOT NULL,"
    " PRIMARY KEY (series, effective_date))",
)


@dataclass
class ContractRow:
    """One contract as the wage view keeps it: enough to recompute its schedule without the event store."""

    contract_id: str
    cfa_id: str | None
    employer_siret: str | None
    apprentice: str
    status: str
    terms: dict[str, Any]
    events: list[dict[str, Any]]
    start_date: str = ""
    effective_end: str = ""
    # The months as the JSON text the view stores (`schedule_json_text`): written and read as they are, and
    # decoded only for a reader that looks inside (`schedule`).
    schedule_text: str | None = None
    error: dict[str, Any] | None = None

    @property
    def schedule(self) -> list[dict[str, Any]] | None:
        """The `months` array of interfaces §2, or None if the schedule could not be computed."""
        return None if self.schedule_text is None else json_text.loads(self.schedule_text)  # type: ignore[no-any-return]

    def to_params(self, updated_at: str) -> tuple[Any, ...]:
        return (
            self.contract_id,
            self.cfa_id,
            self.employer_siret,
            self.apprentice,
            self.status,
            self.start_date,
            self.effective_end,
            json_text.dumps(self.terms),
            json_text.dumps(self.events),
            self.schedule_text,
            self.error_text,
            updated_at,
        )

    @property
    def error_text(self) -> str | None:
        """The refusal as the view stores it (JSON), or None when the schedule computed."""
        return None if self.error is None else json_text.dumps(self.error)

    @classmethod
    def from_db(cls, row: Sequence[Any]) -> ContractRow:
        (cid, cfa, siret, apprentice, status, start, end, terms, events, schedule, error, _) = row
        return cls(
            cid,
            cfa,
            siret,
            apprentice,
            status,
            json_text.loads(terms),
            json_text.loads(events),
            start,
            end,
            schedule,
            None if error is None else json_text.loads(error),
        )


COLUMNS = (
    "contract_id, cfa_id, employer_siret, apprentice, status, start_date, effective_end, terms, events,"
    " schedule, error, updated_at"
)
COLUMN_NAMES = tuple(c.strip() for c in COLUMNS.split(","))
UPSERT = (
    f"INSERT INTO {{schema}}wage_contracts ({COLUMNS}) VALUES (?,?,?,?,?,?,?,?,?,?,?,?) "
    "ON CONFLICT (contract_id) DO UPDATE SET cfa_id=excluded.cfa_id, employer_siret=excluded.employer_siret,"
    " apprentice=excluded.apprentice, status=excluded.status, start_date=excluded.start_date,"
    " effective_end=excluded.effective_end, terms=excluded.terms, events=excluded.events,"
    " schedule=excluded.schedule, error=excluded.error, updated_at=excluded.updated_at"
)


class WageViewQueries(ViewRecorder):
    create_statements = CREATE
    tables = ("wage_contracts", "wage_history", "wage_reference")
    deferred_indexes = ("wage_history_contract",)  # a contract's history, for its readers only

    def save(
        self,
        cursor: Any,
        contracts: Iterable[ContractRow],
        history: Sequence[tuple[str, dict[str, Any]]],
        reference: Sequence[tuple[str, str, str, str]],
        updated_at: str,
        new: Collection[str] = (),
    ) -> None:
        """Upsert the contracts (`new`: those not in the view yet, added at once), add the history entries."""
        rows = [c.to_params(updated_at) for c in contracts]
        self.insert_many(cursor, "wage_contracts", COLUMN_NAMES, [r for r in rows if r[0] in new])
        self.run_many(cursor, UPSERT, [r for r in rows if r[0] not in new])
        self.insert_many(
            cursor,
            "wage_history",
            ("contract_id", "effective_date", "cause", "recorded_at", "entry"),
            [(cid, e["effective_date"], e["cause"], e["recorded_at"], json_text.dumps(e)) for cid, e in history],
        )
        self.run_many(
            cursor,
            "INSERT INTO {schema}wage_reference (series, effective_date, value, label) "
            "VALUES (?,?,?,?) ON CONFLICT (series, effective_date) DO UPDATE SET "
            "value=excluded.value, label=excluded.label",
            reference,
        )

    def save_schedules(
        self,
        cursor: Any,
        contracts: Iterable[ContractRow],
        history: Sequence[tuple[str, dict[str, Any]]],
        updated_at: str,
    ) -> None:
        """Rewrite only the computed columns of contracts already in the view (a reference change moves every
        running contract's schedule and nothing else), and add the history entries."""
        self.run_many(
            cursor,
            "UPDATE {schema}wage_contracts SET start_date=?, effective_end=?, schedule=?, error=?, updated_at=?"
            " WHERE contract_id=?",
            [
                (
                    c.start_date,
                    c.effective_end,
                    c.schedule_text,
                    c.error_text,
                    updated_at,
                    c.contract_id,
                )
                for c in contracts
            ],
        )
        self.save(cursor, (), history, (), updated_at)

    def load(self, cursor: Any, contract_ids: Sequence[str]) -> dict[str, ContractRow]:
        out: dict[str, ContractRow] = {}
        for i in range(0, len(contract_ids), 500):
            chunk = contract_ids[i : i + 500]
            marks = ",".join("?" * len(chunk))
            for row in self.fetch(
                cursor, f"SELECT {COLUMNS} FROM {{schema}}wage_contracts WHERE contract_id IN ({marks})", chunk
            ):
                out[row[0]] = ContractRow.from_db(row)
        return out

    def running_on_or_after(self, cursor: Any, day: str, postcode_prefix: str | None = None) -> list[str]:
        """Contracts whose minimum may still change from `day` (an effective date of reference data); with a
        postcode prefix, only those whose terms or corrections may hold such a postcode (a territory's SMIC)."""
        where, params = "effective_end >= ?", [day]
        if postcode_prefix is not None:  # a JSON string starting with the prefix; a false match only costs a recompute
            where += " AND (terms LIKE ? OR events LIKE ?)"
            params += [f'%"{postcode_prefix}%'] * 2
        return [
            r[0]
            for r in self.fetch(
                cursor, f"SELECT contract_id FROM {{schema}}wage_contracts WHERE {where} ORDER BY contract_id", params
            )
        ]

    def reference_rows(self) -> list[tuple[str, str, str, str]]:
        return [
            tuple(r)
            for r in self.query(  # type: ignore[misc]
                "SELECT series, effective_date, value, label FROM {schema}wage_reference "
                "ORDER BY series, effective_date"
            )
        ]

    # -- reads for the API and the tests ----------------------------------------------------------------
    def contract(self, contract_id: str) -> ContractRow | None:
        rows = self.query(f"SELECT {COLUMNS} FROM {{schema}}wage_contracts WHERE contract_id = ?", (contract_id,))
        return ContractRow.from_db(rows[0]) if rows else None

    def page(
        self,
        *,
        cfa_id: str | None = None,
        employer_siret: str | None = None,
        statuses: Sequence[str] = (),
        apprentice: str | None = None,
        employer: str | None = None,
        due_until: str | None = None,
        sort: str = "start_date",
        descending: bool = True,
        limit: int = 50,
        offset: int = 0,
    ) -> tuple[int, list[tuple[ContractRow, tuple[str, str] | None]]]:
        """One page of contracts matching every filter given (names ignore case and accents; `employer` is a
        SIRET or part of the employer's name), sorted by one of `SORTS`, each with its next time-driven event
        from the clock index (same database), and the total count."""
        where, params = ["1=1"], []
        for column, value in (("w.cfa_id", cfa_id), ("w.employer_siret", employer_siret)):
            if value is not None:
                where.append(f"{column} = ?")
                params.append(value)
        if statuses:
            where.append(f"w.status IN ({','.join('?' * len(statuses))})")
            params += list(statuses)
        if apprentice:
            where.append(f"{self.dialect.folded('w.apprentice')} LIKE ? ESCAPE '\\'")
            params.append(_contains(apprentice))
        if employer:
            if employer.isdigit() and len(employer) == 14:
                where.append("w.employer_siret = ?")
                params.append(employer)
            else:
                name = self.dialect.json_text("w.terms", "employer", "name")
                where.append(f"({self.dialect.folded(name)} LIKE ? ESCAPE '\\' OR w.employer_siret LIKE ?)")
                params += [_contains(employer), f"{employer}%"]
        if due_until is not None:
            where.append("c.next_due <= ?")
            params.append(due_until)
        tables = "{schema}wage_contracts w LEFT JOIN {schema}clock_index c ON c.contract_id = w.contract_id"
        condition = " AND ".join(where)
        total = int(self.query(f"SELECT COUNT(*) FROM {tables} WHERE {condition}", params)[0][0])
        columns = ", ".join(f"w.{c}" for c in COLUMN_NAMES)
        rows = self.query(
            f"SELECT {columns}, c.next_due, c.next_kind FROM {tables} WHERE {condition}"
            f" ORDER BY {self._order(sort, descending)}, w.contract_id LIMIT ? OFFSET ?",
            [*params, limit, offset],
        )
        return total, [(ContractRow.from_db(r[:-2]), (r[-2], r[-1]) if r[-2] else None) for r in rows]

    def _order(self, sort: str, descending: bool) -> str:
        column = SORTS.get(sort)
        if column is None:
            raise ValueError(f"sort must be one of {', '.join(SORTS)}")
        employer_name = self.dialect.folded(self.dialect.json_text("w.terms", "employer", "name"))
        expression = employer_name if column == "employer" else column
        # Contracts with nothing due sort last either way.
        nulls = " IS NULL" if column == "c.next_due" else ""
        return (f"{expression}{nulls}, " if nulls else "") + f"{expression} {'DESC' if descending else 'ASC'}"

    def history(self, contract_id: str) -> list[dict[str, Any]]:
        rows = self.query("SELECT entry FROM {schema}wage_history WHERE contract_id = ? ORDER BY seq", (contract_id,))
        return [json_text.loads(r[0]) for r in rows]

    def count_history(self) -> int:
        return int(self.query("SELECT COUNT(*) FROM {schema}wage_history")[0][0])


# The orders a list may take: by the apprentice, the employer's name, the status, the start, the end, or the
# next time-driven event.
SORTS = {
    "apprentice": "LOWER(w.apprentice)",
    "employer": "employer",
    "status": "w.status",
    "start_date": "w.start_date",
    "end_date": "w.effective_end",
    "next_due": "c.next_due",
}


def _contains(text: str) -> str:
    """A LIKE pattern for a folded substring, its wildcards escaped."""
    escaped = folded(text).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


class SQLiteWageView(WageViewQueries, SQLiteView):
    pass


class PostgresWageView(WageViewQueries, PostgresView):
    pass
