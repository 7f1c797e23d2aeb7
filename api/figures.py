"""Figures out for payroll and for the CFA's accounts: the payroll export (one line per contract and month) and
the funding schedule export (one line per dated payment), read from the wage and funding views.

Payroll line of month M: the legal minimum of M, its change from M−1 with the cause and the article (the
wage-history entries effective in M; a change no fact explains comes from a month only partly covered,
prorated by calendar days), and the arrears (« rappel ») to pay with M's payroll: the arrears of the
history entries recorded in M — a fact recorded late (a SMIC revaluation, a correction) makes months
already paid owe the difference.
"""

from __future__ import annotations

from calendar import monthrange
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from api import french
from api.french import EVENT_FR, STATUS_FR
from domain import law
from ledger.system import Ledger
from ledger.tabular import Column
from projections.wage.history import CAUSE_ARTICLES, expanded
from projections.wage.view import ROW_COLUMNS, ROW_TABLES, ContractRow

PRORATA_CAUSE = "Mois incomplet (prorata des jours calendaires)"
PRORATA_RULE = f"{law.GRID_ARTICLE} (prorata : lecture du service)"


# The wage history names a correction's ground in English (its API shape); French documents cite the article.
ARTICLES_FR = {CAUSE_ARTICLES["TermsCorrected"]: f"{law.CORRECTION_ARTICLE} (correction des termes)"}


def article_fr(article: str | None) -> str:
    return ARTICLES_FR.get(article or "", article or "")


@dataclass(frozen=True)
class Scope:
    """Whose contracts: one CFA's, one employer's (SIRET), or every one (None, None)."""

    cfa_id: str | None = None
    employer_siret: str | None = None

    def where(self, alias: str = "") -> tuple[str, list[Any]]:
        conditions, params = [], []
        for column, value in (("cfa_id", self.cfa_id), ("employer_siret", self.employer_siret)):
            if value is not None:
                conditions.append(f"{alias}{column} = ?")
                params.append(value)
        return "".join(f" AND {c}" for c in conditions), params


def month_bounds(first: str, last: str) -> tuple[str, str]:
    """The first day of `first` and the last day of `last` (YYYY-MM), as ISO dates."""
    year, month = (int(x) for x in last.split("-"))
    return f"{first}-01", f"{last}-{monthrange(year, month)[1]:02d}"


def month_cell(key: str) -> date:
    return date.fromisoformat(f"{key}-01")


def euros(text: str | None) -> Decimal | None:
    return None if text is None else Decimal(text)


# The columns that name the contract, the same in every export.
CONTRACT_COLUMNS: tuple[Column, ...] = (
    Column("Identifiant du contrat", width=38),
    Column("CFA", width=14),
    Column("Apprenti", width=26),
    Column("Employeur", width=26),
    Column("SIRET", width=16),
    Column("Statut", width=12),
)


# -- payroll -----------------------------------------------------------------------------------------------
PAYROLL_COLUMNS: tuple[Column, ...] = (
    Column("Mois", "month", 9),
    *CONTRACT_COLUMNS,
    Column("Minimum légal", "money", 14),
    Column("Taux (%)", "number", 9),
    Column("Base", width=8),
    Column("Variation sur le mois précédent", "money", 16),
    Column("Cause de la variation", width=40),
    Column("Article", width=22),
    Column("Rappel à verser", "money", 14),
    Column("Détail du rappel", width=44),
)


def payroll_contracts(ledger: Ledger, scope: Scope, first: str, last: str) -> list[ContractRow]:
    """The contracts running at some point of the months [first, last] (YYYY-MM), in the scope."""
    ledger.wage_runner.catch_up()
    start, end = month_bounds(first, last)
    condition, params = scope.where("w.")
    rows = ledger.wage_view.query(
        f"SELECT {ROW_COLUMNS} FROM {ROW_TABLES} WHERE w.start_date <= ? AND w.effective_end >= ?{condition}"
        " ORDER BY w.employer_siret, w.apprentice, w.contract_id",
        [end, start, *params],
    )
    return ledger.wage_view.fresh_rows(rows)  # a months text of an older reference is recomputed


def histories(ledger: Ledger, contract_ids: Sequence[str]) -> dict[str, list[dict[str, Any]]]:
    """Each contract's wage-history entries, oldest first (one query per 500 contracts)."""
    from projections import json_text

    out: dict[str, list[dict[str, Any]]] = {cid: [] for cid in contract_ids}
    for i in range(0, len(contract_ids), 500):
        chunk = list(contract_ids[i : i + 500])
        marks = ",".join("?" * len(chunk))
        rows = ledger.wage_view.query(
            f"SELECT contract_id, entry FROM {{schema}}wage_history WHERE contract_id IN ({marks}) ORDER BY seq", chunk
        )
        for cid, entry in rows:
            out[cid].append(expanded(json_text.loads(entry)))
    return out


def _partial(month: dict[str, Any]) -> bool:
    """A month with several rates or not wholly covered by the contract: its amount is prorated."""
    segments = month["segments"]
    if len(segments) != 1:
        return True
    year, number = (int(x) for x in month["month"].split("-"))
    last_day = f"{month['month']}-{monthrange(year, number)[1]:02d}"
    return bool(segments[0]["from"] != f"{month['month']}-01" or segments[0]["to"] != last_day)


def schedule_causes(previous: dict[str, Any], month: dict[str, Any]) -> list[str]:
    """What moved the rate between the end of the previous month and through this one, read from the schedule
    itself (a birthday or an anniversary moves it whether or not the clock has recorded the event yet)."""
    kinds: list[str] = []
    segments = [previous["segments"][-1], *month["segments"]] if previous["segments"] else month["segments"]
    for a, b in zip(segments, segments[1:], strict=False):
        if a["bracket"] != b["bracket"]:
            kinds.append("AgeBracketReached")
        if a["year"] != b["year"]:
            kinds.append("ContractYearStarted")
        if a["base"] != b["base"] and a["base_kind"] == b["base_kind"]:
            kinds.append({"SMIC": "SmicRevalued", "SMC": "SmcChanged"}.get(a["base_kind"], "LuxembourgCoteRecorded"))
        elif a["base_kind"] != b["base_kind"]:
            kinds.append("SmcChanged")
    return list(dict.fromkeys(kinds))


def _french_day(iso: str) -> str:
    return f"{iso[8:10]}/{iso[5:7]}/{iso[0:4]}"


def payroll_lines(row: ContractRow, history: list[dict[str, Any]], first: str, last: str) -> Iterable[list[Any]]:
    months = row.schedule or []
    terms = row.terms
    employer = terms["employer"]
    for index, month in enumerate(months):
        key = month["month"]
        if not first <= key <= last:
            continue
        previous = months[index - 1] if index > 0 else None
        amount = Decimal(month["amount"])
        variation = None if previous is None else amount - Decimal(previous["amount"])
        if previous is None:
            kinds = [("Début du contrat", CAUSE_ARTICLES["Drafted"])]
        else:
            kinds = [(EVENT_FR[k], CAUSE_ARTICLES[k]) for k in schedule_causes(previous, month)]
            kinds += [
                (EVENT_FR.get(e["cause"], e["cause"]), article_fr(e.get("article")))
                for e in history
                if e["effective_date"][:7] == key and e["cause"] != "Drafted"
            ]
            if variation and not kinds and (_partial(month) or _partial(previous)):
                kinds = [(PRORATA_CAUSE, PRORATA_RULE)]
        causes = [c for c, _ in kinds]
        articles = [a for _, a in kinds if a]
        recorded = [e for e in history if e["recorded_at"][:7] == key and Decimal(e.get("arrears") or 0) != 0]
        arrears = sum((Decimal(e["arrears"]) for e in recorded), Decimal(0))
        detail = " ; ".join(
            f"{EVENT_FR.get(e['cause'], e['cause'])} du {_french_day(e['recorded_at'])} : "
            + ", ".join(f"{m['month'][5:7]}/{m['month'][:4]}" for m in e["months"] if m["status"] == "arrears")
            for e in recorded
        )
        last_segment = month["segments"][-1] if month["segments"] else {}
        yield [
            month_cell(key),
            row.contract_id,
            row.cfa_id,
            row.apprentice,
            employer.get("name"),
            row.employer_siret,
            STATUS_FR.get(row.status, row.status),
            amount,
            last_segment.get("pct"),
            last_segment.get("base_kind"),
            variation,
            " ; ".join(dict.fromkeys(causes)) or None,
            " ; ".join(dict.fromkeys(articles)) or None,
            arrears if recorded else None,
            detail or None,
        ]


def payroll_rows(ledger: Ledger, scope: Scope, first: str, last: str) -> list[list[Any]]:
    contracts = payroll_contracts(ledger, scope, first, last)
    found = histories(ledger, [c.contract_id for c in contracts])
    return [line for c in contracts for line in payroll_lines(c, found[c.contract_id], first, last)]


# -- funding -----------------------------------------------------------------------------------------------
FUNDING_COLUMNS: tuple[Column, ...] = (
    Column("Échéance", "date", 11),
    *CONTRACT_COLUMNS,
    Column("Année de contrat", "integer", 8),
    Column("Nature", width=24),
    Column("Payeur", width=10),
    Column("Montant", "money", 14),
    Column("Règle", width=22),
    Column("Note", width=40),
    Column("État", width=10),
)


def funding_rows(ledger: Ledger, scope: Scope, first: str | None, last: str | None, today: date) -> list[list[Any]]:
    """Every dated payment of the contracts in scope, due within [first, last] (months, both optional)."""
    from projections import json_text

    ledger.funding_runner.catch_up()
    ledger.wage_runner.catch_up()
    condition, params = scope.where("w.")
    rows = ledger.funding_view.query(
        "SELECT f.contract_id, f.state, w.cfa_id, w.apprentice, w.terms, w.employer_siret, w.status"
        " FROM {schema}funding_contracts f JOIN {schema}wage_contracts w ON w.contract_id = f.contract_id"
        f" WHERE 1=1{condition} ORDER BY w.employer_siret, w.apprentice, f.contract_id",
        params,
    )
    low, high = month_bounds(first or "0001-01", last or "9999-12")
    out: list[list[Any]] = []
    for cid, state_text, cfa, apprentice, terms_text, siret, status in rows:
        state = json_text.loads(state_text) if state_text else None
        if not state or "payments" not in state:
            continue
        employer = json_text.loads(terms_text)["employer"].get("name")
        for p in state["payments"]:
            if not low <= p["due_on"] <= high:
                continue
            kind = p["kind"]
            due = date.fromisoformat(p["due_on"])
            out.append(
                [
                    due,
                    cid,
                    cfa,
                    apprentice,
                    employer,
                    siret,
                    STATUS_FR.get(status, status),
                    p["contract_year"],
                    french.payment_kind(kind),
                    french.payer(p["payer"]),
                    Decimal(p["amount"]),
                    p.get("rule"),
                    p.get("note"),
                    "échue" if due <= today else "à venir",
                ]
            )
    out.sort(key=lambda line: (line[0], line[1]))
    return out


# -- funding forecast ----------------------------------------------------------------------------------------
FORECAST_COLUMNS: tuple[Column, ...] = (
    Column("Mois", "month", 9),
    Column("OPCO", "money", 14),
    Column("Employeurs", "money", 14),
    Column("Total", "money", 14),
    Column("Contrats", "integer", 9),
)


def forecast_months(ledger: Ledger, cfa: str | None, first: str, last: str) -> list[dict[str, Any]]:
    """Expected payments per month (YYYY-MM), by payer, over the contracts of one CFA (None: every CFA)."""
    ledger.funding_runner.catch_up()
    months: dict[str, dict[str, Any]] = {}
    for month, payer, cents, contracts in ledger.funding_view.forecast(cfa, first, last):
        m = months.setdefault(month, {"month": month, "OPCO": "0.00", "employer": "0.00", "contracts": 0})
        m[payer] = f"{Decimal(cents) / 100:.2f}"
        m["contracts"] = max(m["contracts"], contracts)
    return list(months.values())


def forecast_rows(months: Sequence[dict[str, Any]]) -> list[list[Any]]:
    return [
        [
            month_cell(m["month"]),
            Decimal(m["OPCO"]),
            Decimal(m["employer"]),
            Decimal(m["OPCO"]) + Decimal(m["employer"]),
            m["contracts"],
        ]
        for m in months
    ]
