"""The wage view's tables: per contract its inputs and schedule, the history entries, the reference series."""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Sequence
from datetime import date
from decimal import Decimal
from functools import lru_cache
from typing import Any

from domain import law
from domain.wage.reference import WageReference
from projections import json_text
from projections.tables import PostgresView, SQLiteView, ViewRecorder, folded
from projections.wage.history import expanded
from projections.wage.plans import amounts_in_month
from projections.wage.rows import ContractRow, compute_row

SMIC, SMIC_MAYOTTE, LU_COTE = "smic", "smic_mayotte", "lu_cote"  # the reference series, as the view names them

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
    # Each contract's rate plan (NULL: the engine recomputes it), the series it reads, and the reference its
    # `schedule` text was computed with (a text of an older reference is recomputed when read).
    "CREATE TABLE IF NOT EXISTS {schema}wage_plans ("
    " contract_id TEXT PRIMARY KEY, effective_end TEXT NOT NULL, series TEXT NOT NULL, reference TEXT NOT NULL,"
    " plan BLOB)",
    "CREATE TABLE IF NOT EXISTS {schema}wage_rules (id BIGINT PRIMARY KEY, rules TEXT NOT NULL)",
    # A view written before plans were kept: its contracts have none, and their texts are not caches.
    "INSERT INTO {schema}wage_plans (contract_id, effective_end, series, reference, plan)"
    " SELECT w.contract_id, COALESCE(w.effective_end, ''), ',', '', NULL FROM {schema}wage_contracts w"
    " WHERE NOT EXISTS (SELECT 1 FROM {schema}wage_plans p WHERE p.contract_id = w.contract_id)",
    "CREATE TABLE IF NOT EXISTS {schema}wage_reference ("
    " series TEXT NOT NULL, effective_date TEXT NOT NULL, value TEXT NOT NULL, label TEXT NOT NULL,"
    " PRIMARY KEY (series, effective_date))",
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
    tables = ("wage_contracts", "wage_history", "wage_reference", "wage_plans", "wage_rules")
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
        contracts_list = list(contracts)
        rows = [c.to_params(updated_at) for c in contracts_list]
        self.insert_many(cursor, "wage_contracts", COLUMN_NAMES, [r for r in rows if r[0] in new])
        self.run_many(cursor, UPSERT, [r for r in rows if r[0] not in new])
        self.insert_many(
            cursor,
            "wage_history",
            ("contract_id", "effective_date", "cause", "recorded_at", "entry"),
            [(cid, e["effective_date"], e["cause"], e["recorded_at"], json_text.dumps(e)) for cid, e in history],
        )
        self.save_plans(cursor, contracts_list, new)
        self.run_many(
            cursor,
            "INSERT INTO {schema}wage_reference (series, effective_date, value, label) "
            "VALUES (?,?,?,?) ON CONFLICT (series, effective_date) DO UPDATE SET "
            "value=excluded.value, label=excluded.label",
            reference,
        )

    def save_plans(self, cursor: Any, contracts: Sequence[ContractRow], new: Collection[str] = ()) -> None:
        """Keep the plan of each contract whose schedule was computed, with the rules' texts it names."""
        planned = [c for c in contracts if c.plan is not None]
        if not planned:
            return
        rows = [(c.contract_id, c.effective_end, c.plan.series, c.plan.tag, c.plan.blob) for c in planned if c.plan]
        columns = ("contract_id", "effective_end", "series", "reference", "plan")
        self.insert_many(cursor, "wage_plans", columns, [r for r in rows if r[0] in new])
        self.run_many(
            cursor,
            "INSERT INTO {schema}wage_plans (contract_id, effective_end, series, reference, plan) VALUES (?,?,?,?,?)"
            " ON CONFLICT (contract_id) DO UPDATE SET effective_end=excluded.effective_end,"
            " series=excluded.series, reference=excluded.reference, plan=excluded.plan",
            [r for r in rows if r[0] not in new],
        )
        # A batch names a few dozen distinct rules: each written if new, without a cache that another
        # process's rebuild could make stale.
        rules = sorted({i: text for c in planned if c.plan for i, text in c.plan.rules}.items())
        self.run_many(
            cursor, "INSERT INTO {schema}wage_rules (id, rules) VALUES (?,?) ON CONFLICT (id) DO NOTHING", rules
        )

    def save_schedules(
        self,
        cursor: Any,
        contracts: Sequence[ContractRow],
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
        self.save_plans(cursor, contracts)
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
        """Contracts without a rate plan whose minimum may still change from `day` (an effective date of
        reference data); with a postcode prefix, only those whose terms or corrections may hold such a postcode
        (a territory's SMIC)."""
        tables, where, params = "{schema}wage_plans p", "p.effective_end >= ? AND p.plan IS NULL", [day]
        if postcode_prefix is not None:  # a JSON string starting with the prefix; a false match only costs a recompute
            tables += " JOIN {schema}wage_contracts w ON w.contract_id = p.contract_id"
            where += " AND (w.terms LIKE ? OR w.events LIKE ?)"
            params += [f'%"{postcode_prefix}%'] * 2
        statement = f"SELECT p.contract_id FROM {tables} WHERE {where} ORDER BY p.contract_id"
        return [r[0] for r in self.fetch(cursor, statement, params)]

    def running_plans(self, cursor: Any, day: str, series: str, after: str, limit: int) -> list[tuple[str, bytes]]:
        """The next `limit` plans after the contract `after` that read `series` and run on or after `day`."""
        rows = self.fetch(
            cursor,
            "SELECT contract_id, plan FROM {schema}wage_plans WHERE effective_end >= ? AND series LIKE ?"
            " AND plan IS NOT NULL AND contract_id > ? ORDER BY contract_id LIMIT ?",
            (day, f"%,{series},%", after, limit),
        )
        return [(cid, bytes(plan)) for cid, plan in rows]

    def rules_texts(self, cursor: Any) -> dict[int, str]:
        return {int(i): text for i, text in self.fetch(cursor, "SELECT id, rules FROM {schema}wage_rules")}

    def add_history_texts(
        self, cursor: Any, entries: Sequence[tuple[str, str]], effective: str, cause: str, recorded_at: str
    ) -> None:
        """History entries already written as the view stores them (`plans.revalued_entries`)."""
        self.insert_many(
            cursor,
            "wage_history",
            ("contract_id", "effective_date", "cause", "recorded_at", "entry"),
            [(cid, effective, cause, recorded_at, text) for cid, text in entries],
        )

    def reference_rows(self) -> list[tuple[str, str, str, str]]:
        return [
            tuple(r)
            for r in self.query(  # type: ignore[misc]
                "SELECT series, effective_date, value, label FROM {schema}wage_reference "
                "ORDER BY series, effective_date"
            )
        ]

    # -- reads for the API and the tests ----------------------------------------------------------------
    def reference(self) -> WageReference:
        """The reference the view's months are computed with."""
        return reference_of_rows(tuple(self.reference_rows()))

    def fresh_rows(self, records: Sequence[Sequence[Any]]) -> list[ContractRow]:
        """Rows read with `ROW_COLUMNS`: a row whose months were computed with an older reference (a
        revaluation moves the plans, not the texts) is computed again with the view's reference."""
        rows = [ContractRow.from_db(r[:-1]) for r in records]
        ref: WageReference | None = None
        for row, r in zip(rows, records, strict=True):
            if not r[-1] or row.error is not None:  # no plan row, or a text written before plans were kept
                continue
            ref = ref or self.reference()
            if r[-1] != ref.fingerprint:
                compute_row(row, ref, None, keep=True)
        return rows

    def contract(self, contract_id: str) -> ContractRow | None:
        rows = self.query(f"SELECT {ROW_COLUMNS} FROM {ROW_TABLES} WHERE w.contract_id = ?", (contract_id,))
        return self.fresh_rows(rows)[0] if rows else None

    def page(
        self,
        *,
        cfa_id: str | None = None,
        employer_siret: str | None = None,
        statuses: Sequence[str] = (),
        apprentice: str | None = None,
        employer: str | None = None,
        due_until: str | None = None,
        contract_ids: Sequence[str] = (),
        sort: str = "start_date",
        descending: bool = True,
        limit: int = 50,
        offset: int = 0,
        month: str = "",
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
        if contract_ids:
            where.append(f"w.contract_id IN ({','.join('?' * len(contract_ids))})")
            params += list(contract_ids)
        tables = "{schema}wage_contracts w LEFT JOIN {schema}clock_index c ON c.contract_id = w.contract_id"
        condition = " AND ".join(where)
        total = int(self.query(f"SELECT COUNT(*) FROM {tables} WHERE {condition}", params)[0][0])
        select = (
            f"SELECT c.next_due, c.next_kind, {ROW_COLUMNS} FROM {ROW_TABLES}"
            f" LEFT JOIN {{schema}}clock_index c ON c.contract_id = w.contract_id WHERE {condition}"
        )
        if sort == WAGE_SORT:  # not a column: the month's minimum of every matching row, sorted here
            ids = self._ids_by_month_amount(tables, condition, params, month, descending)
            chosen = ids[offset : offset + limit]
            if not chosen:
                return total, []
            marks = ",".join("?" * len(chosen))
            found = self.query(f"{select} AND w.contract_id IN ({marks})", [*params, *chosen])
            by_id = {r[2]: r for r in found}
            picked = [by_id[c] for c in chosen if c in by_id]
            fresh = self.fresh_rows([r[2:] for r in picked])
            return total, [(row, (r[0], r[1]) if r[0] else None) for row, r in zip(fresh, picked, strict=True)]
        rows = self.query(
            f"{select} ORDER BY {self._order(sort, descending)}, w.contract_id LIMIT ? OFFSET ?",
            [*params, limit, offset],
        )
        fresh = self.fresh_rows([r[2:] for r in rows])
        return total, [(row, (r[0], r[1]) if r[0] else None) for row, r in zip(fresh, rows, strict=True)]

    def _ids_by_month_amount(
        self, tables: str, condition: str, params: Sequence[Any], month: str, descending: bool
    ) -> list[str]:
        """The matching contracts ordered by their minimum of `month` (YYYY-MM): from their rate plans under the
        view's reference in one array computation (no month text read), else from their months text."""
        rows = self.query(
            f"SELECT w.contract_id, p.plan, w.schedule FROM {tables}"
            f" LEFT JOIN {{schema}}wage_plans p ON p.contract_id = w.contract_id WHERE {condition}",
            params,
        )
        planned = [(cid, bytes(plan)) for cid, plan, _ in rows if plan is not None]
        year, number = (int(x) for x in month.split("-"))
        cents = amounts_in_month([b for _, b in planned], year, number, self.reference())
        amount = {cid: Decimal(c) / 100 for (cid, _), c in zip(planned, cents, strict=True)}
        for cid, plan, text in rows:
            if plan is None:
                amount[cid] = month_amount(text, month)
        return sorted(amount, key=lambda cid: (amount[cid], cid), reverse=descending)

    def _order(self, sort: str, descending: bool) -> str:
        column = SORTS.get(sort)
        if column is None:
            raise ValueError(f"sort must be one of {', '.join(SORTS)}")
        if column == "employer":
            expression = self.dialect.folded(self.dialect.json_text("w.terms", "employer", "name"))
        elif column == "training":
            expression = self.dialect.folded(self.dialect.json_text("w.terms", "training", "title"))
        else:
            expression = column
        # Contracts with nothing due sort last either way.
        nulls = " IS NULL" if column == "c.next_due" else ""
        return (f"{expression}{nulls}, " if nulls else "") + f"{expression} {'DESC' if descending else 'ASC'}"

    def history(self, contract_id: str) -> list[dict[str, Any]]:
        rows = self.query("SELECT entry FROM {schema}wage_history WHERE contract_id = ? ORDER BY seq", (contract_id,))
        return [expanded(json_text.loads(r[0])) for r in rows]

    def count_history(self) -> int:
        return int(self.query("SELECT COUNT(*) FROM {schema}wage_history")[0][0])


# The orders a list may take: by the apprentice, the employer's name, the status, the start, the end, or the
# next time-driven event.
SORTS = {
    "apprentice": "LOWER(w.apprentice)",
    "employer": "employer",
    "training": "training",
    "status": "w.status",
    "start_date": "w.start_date",
    "end_date": "w.effective_end",
    "next_due": "c.next_due",
    "current_wage": "",  # sorted in Python (`page`)
}
WAGE_SORT = "current_wage"
_MONTH_AMOUNT = re.compile(r'"month": "(\d{4}-\d{2})", "amount": "(-?\d+\.\d{2})"')


def month_amount(schedule_text: str | None, month: str) -> Decimal:
    """A month's minimum read off a row's months text (0 when the contract does not run that month)."""
    if schedule_text:
        at = schedule_text.find(f'"month": "{month}"')
        if at >= 0:
            found = _MONTH_AMOUNT.match(schedule_text, at)
            if found:
                return Decimal(found.group(2))
    return Decimal(0)


# A row as readers take it: its columns, then the reference its months were computed with (`fresh_rows`).
ROW_COLUMNS = ", ".join(f"w.{c}" for c in COLUMN_NAMES) + ", p.reference"
ROW_TABLES = "{schema}wage_contracts w LEFT JOIN {schema}wage_plans p ON p.contract_id = w.contract_id"


@lru_cache(maxsize=8)
def reference_of_rows(rows: tuple[tuple[str, str, str, str], ...]) -> WageReference:
    """The reference the view's `wage_reference` rows hold."""
    smic: dict[str, list[law.SmicRevaluation]] = {SMIC: [], SMIC_MAYOTTE: []}
    cotes: list[law.LuxembourgCote] = []
    for series, day, value, label in rows:
        item = reference_item(series, date.fromisoformat(day), value, label)
        if isinstance(item, law.LuxembourgCote):
            cotes.append(item)
        elif item is not None:
            smic[series].append(item)
    return WageReference.from_series(smic[SMIC], cotes, smic[SMIC_MAYOTTE])


def reference_item(series: str, day: date, value: str, label: str) -> law.SmicRevaluation | law.LuxembourgCote | None:
    """One row of the view's reference series as the law's own records (None: a series the wage does not read)."""
    if series in (SMIC, SMIC_MAYOTTE):
        hourly, monthly = value.split("/")
        return law.SmicRevaluation(day, Decimal(hourly), Decimal(monthly), label)
    if series == LU_COTE:
        return law.LuxembourgCote(day, Decimal(value), label)
    return None


def _contains(text: str) -> str:
    """A LIKE pattern for a folded substring, its wildcards escaped."""
    escaped = folded(text).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


class SQLiteWageView(WageViewQueries, SQLiteView):
    pass


class PostgresWageView(WageViewQueries, PostgresView):
    pass
