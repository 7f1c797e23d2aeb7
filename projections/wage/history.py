"""Wage-history entries: what a newly recorded fact changed in a contract's month-by-month minimum.

Two readings of "old → new", chosen by the kind of fact:
- a milestone of the contract's own timeline (drafting, age bracket, contract year) marks where the
  minimum moves: old is the rate just before its effective date, new the rate from it;
- any other fact (SMIC revaluation, SMC change, extension, disability, termination, correction) revises
  what was known: old is the rate the service knew for that date before the fact, new the rate after.
Every changed month is listed with its difference; months already begun when the fact was recorded are
arrears the employer owes ("rappel de salaire").
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from domain import law
from domain.contract_events import WAGE_ARTICLES
from domain.wage.engine import Rate, Schedule, full_month, money, pct_number
from domain.wage.plan import month_key
from domain.wage.reference import WageReference


@dataclass(frozen=True)
class ReferenceChange:
    """A reference change every running contract is revalued for: the event, its effective date, both
    references."""

    cause: str  # "SmicRevalued" or "LuxembourgCoteRecorded"
    effective: date
    recorded_at: datetime
    event_id: str
    before: WageReference
    after: WageReference


TIMELINE_CAUSES = frozenset({"Drafted", "AgeBracketReached", "ContractYearStarted"})

# The article that governs a change of each cause (the rule that moved the amount).
CAUSE_ARTICLES = {
    **WAGE_ARTICLES,
    "SmicRevalued": law.SMIC_ARTICLE,
    "LuxembourgCoteRecorded": law.LU_ARTICLE,
}


def _rate_view(rate: Rate | None) -> tuple[str | None, int | float | None]:
    if rate is None:
        return None, None
    return money(full_month(rate)), pct_number(rate.pct)


def month_changes(
    before: Schedule | None, after: Schedule | None, recorded_on: date
) -> tuple[list[dict[str, Any]], int]:
    """Every month whose minimum differs, and the arrears in cents (months begun by `recorded_on`)."""
    old = before.amounts() if before else {}
    new = after.amounts() if after else {}
    recorded_month = f"{recorded_on.year:04d}-{recorded_on.month:02d}"
    changes = []
    arrears = 0
    for key in sorted(old.keys() | new.keys()):
        a, b = old.get(key, 0), new.get(key, 0)
        if a != b:
            change = month_change(key, a, b, recorded_month)
            arrears += (b - a) if change["status"] == "arrears" else 0
            changes.append(change)
    return changes, arrears


def month_change(key: str, before: int, after: int, recorded_month: str) -> dict[str, Any]:
    """One changed month of an entry: begun by the month the fact was recorded, it is arrears owed."""
    return {
        "month": key,
        "before": money(before),
        "after": money(after),
        "difference": money(after - before),
        "status": "arrears" if key <= recorded_month else "upcoming",
    }


def history_entry(
    *,
    cause: str,
    effective: date,
    before: Schedule | None,
    after: Schedule | None,
    recorded_at: datetime,
    event_id: str,
    article: str | None = None,
) -> dict[str, Any] | None:
    """The entry for one fact, or None when it changed nothing a payroll would see."""
    changes, arrears = ([], 0) if cause in TIMELINE_CAUSES else month_changes(before, after, recorded_at.date())
    if cause in TIMELINE_CAUSES:
        old_rate = after.rate_on(effective - timedelta(days=1)) if after and cause != "Drafted" else None
        new_rate = after.rate_on(effective) if after else None
    else:
        old_rate = before.rate_on(effective) if before else None
        new_rate = after.rate_on(effective) if after else None
        if not changes and (old_rate and full_month(old_rate)) == (new_rate and full_month(new_rate)):
            return None
    old_amount, old_pct = _rate_view(old_rate)
    new_amount, new_pct = _rate_view(new_rate)
    return {
        "effective_date": effective.isoformat(),
        "cause": cause,
        "article": article or CAUSE_ARTICLES.get(cause, ""),
        "old_amount": old_amount,
        "new_amount": new_amount,
        "old_pct": old_pct,
        "new_pct": new_pct,
        "rules": list(new_rate.rules) if new_rate else [],
        "recorded_at": recorded_at.isoformat(),
        "event_id": event_id,
        "months": changes,
        "arrears": money(arrears),
    }


def expanded(entry: dict[str, Any]) -> dict[str, Any]:
    """An entry as the view stores it, with the interface's month list: a reference change keeps its months as
    two lists of cents from a first month (`packed`, written by `plans.revalued_entries`)."""
    packed = entry.pop("packed", None)
    if packed is None:
        return entry
    recorded_month = entry["recorded_at"][:7]
    year, month = (int(x) for x in packed["from"].split("-")) if packed["from"] else (1970, 1)
    first = (year - 1970) * 12 + month - 1  # months since January 1970, as `plan.month_key` reads them
    pairs = enumerate(zip(packed["before"], packed["after"], strict=True))
    months = [month_change(month_key(first + k), a, b, recorded_month) for k, (a, b) in pairs if a != b]
    entry["months"] = months
    return entry
