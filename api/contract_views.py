"""The interface layer (cargoshipping's `BookingService` role): contracts and schedules as plain data.

The HTTP API and the CFA's page show the same things the same way: the contract's state, the minimum of
the current month, and the time-driven events still ahead of it.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from domain import law
from domain.clock import candidate_events, deadline_of
from domain.contract import Contract
from domain.dates import add_months, days_in_month, month_key
from domain.events import jsonable
from projections.wage.history import CAUSE_ARTICLES
from projections.wage.view import ContractRow

MILESTONES_SHOWN = 5


def current_wage(months: list[dict[str, Any]] | None, today: date) -> dict[str, str] | None:
    """The month containing `today`, if the contract runs then."""
    key = month_key(today)
    month = next((m for m in months or () if m["month"] == key), None)
    return {"month": key, "amount": month["amount"]} if month else None


def next_milestones(contract: Contract, limit: int = MILESTONES_SHOWN) -> list[dict[str, str]]:
    """The time-driven events the contract has ahead of it (not yet recorded), soonest first."""
    state = contract.clock_state()
    ahead = [e for e in candidate_events(state) if e.key not in state.recorded_keys]
    return [{"type": e.kind, "effective_date": e.effective_date.isoformat()} for e in ahead[:limit]]


def contract_data(contract: Contract, months: list[dict[str, Any]] | None, today: date) -> dict[str, Any]:
    state = jsonable(contract.as_dict())
    lifecycle = {
        k: state[k]
        for k in (
            "signed_on",
            "filed_on",
            "authority",
            "decision",
            "probation_ended_on",
            "extension",
            "disability_recognised_on",
            "smc_changes",
            "age_brackets",
            "contract_years",
            "termination",
            "ended_on",
            "planned_end",
            "effective_end",
        )
    }
    return {
        "id": state["id"],
        "version": contract.version,
        "status": contract.status,
        "cfa_id": contract.cfa_id,
        "terms": state["terms"],
        "warnings": state["warnings"],
        "deadlines": state["deadlines"],
        "current_wage": current_wage(months, today),
        "next_milestones": next_milestones(contract),
        "history": lifecycle,
    }


def summary_data(row: ContractRow, next_due: tuple[str, str] | None, today: date) -> dict[str, Any]:
    return {
        "id": row.contract_id,
        "cfa_id": row.cfa_id,
        "employer_siret": row.employer_siret,
        "apprentice": row.apprentice,
        "status": row.status,
        "start_date": row.start_date,
        "effective_end": row.effective_end,
        "current_wage": current_wage(row.schedule, today),
        "next_milestone": milestone(next_due[1], next_due[0]) if next_due else None,
    }


# What the CFA must do, named alike in the list and in "À faire" (`todo_items`).
TODO_LABELS = {
    "filing": "Transmettre le contrat pour dépôt",
    "decision": "Décision de dépôt attendue",
    "end": "Fin du contrat",
}
# The "À faire" item of each missed-deadline event: the list shows its last day, the date "À faire" shows.
TODO_OF_EVENT = {"FilingOverdue": "filing", "FilingDecided": "decision", "Ended": "end"}


def milestone(kind: str, due_on: str) -> dict[str, str | None]:
    deadline = deadline_of(kind, date.fromisoformat(due_on))
    return {
        "type": kind,
        "effective_date": due_on,
        "deadline": deadline.isoformat() if deadline else None,
        "todo": TODO_OF_EVENT[kind] if deadline else None,
    }


TODO_HORIZON_DAYS = 30  # product setting: what "needs action soon" means on the CFA's page


def todo_items(contract: Contract, today: date, horizon_days: int = TODO_HORIZON_DAYS) -> list[dict[str, Any]]:
    """Deadlines of one contract that need the CFA's action: overdue ones, and those within the horizon."""
    horizon = today + timedelta(days=horizon_days)
    items: list[dict[str, Any]] = []

    def add(kind: str, label: str, on: date, rule: str) -> None:
        if on <= horizon:
            items.append({"kind": kind, "label": label, "date": on.isoformat(), "overdue": on < today, "rule": rule})

    status = contract.status
    if status == "signed":
        add("filing", TODO_LABELS["filing"], contract.filing_due, law.FILING_WORKING_DAYS.article)
    if status == "filed" and contract.decision_due is not None:
        add("decision", TODO_LABELS["decision"], contract.decision_due, law.DECISION_DAYS.article)
    running = status in ("signed", "filed", "accepted", "extended")
    if running and contract.probation_ended_on is None and contract.probation_end_earliest >= today:
        add(
            "probation",
            "Fin de la période d'essai (45 jours)",
            contract.probation_end_earliest,
            law.PROBATION_DAYS.article,
        )
    if running and contract.planned_end >= today:
        add("end", TODO_LABELS["end"], contract.planned_end, law.TERM_ARTICLE)
    if running:
        state = contract.clock_state()
        bracket = next(
            (e for e in candidate_events(state) if e.kind == "AgeBracketReached" and e.key not in state.recorded_keys),
            None,
        )
        if bracket is not None and today <= bracket.effective_date <= add_months(today, 1):
            add(
                "age",
                f"Changement de tranche d'âge ({bracket.payload['bracket']})",
                bracket.effective_date,
                law.BRACKET_CHANGE_ARTICLE,
            )
    return items


def timeline_changes(months: list[dict[str, Any]]) -> list[dict[str, str]]:
    """Where the monthly minimum changes, with why and the article: the start, then every month whose amount
    differs from the month before, the cause read off the segments (bracket, contract year, base, rate, or a
    last month paid for part of its days)."""
    out: list[dict[str, str]] = []
    for i, m in enumerate(months):
        last = m["segments"][-1]
        article = None
        if i == 0:
            cause = "Drafted"
        elif m["amount"] == months[i - 1]["amount"]:
            continue
        else:
            before = months[i - 1]["segments"][-1]
            year, number = (int(part) for part in m["month"].split("-"))
            ends_early = (
                i == len(months) - 1 and last["to"] != date(year, number, days_in_month(year, number)).isoformat()
            )
            if last["bracket"] != before["bracket"]:
                cause = "AgeBracketReached"
            elif last["year"] != before["year"]:
                cause = "ContractYearStarted"
            elif last["base"] != before["base"] and last["pct"] == before["pct"]:
                cause = "SmicRevalued" if last["base_kind"] == "SMIC" else "SmcChanged"
            elif ends_early:
                cause, article = "EndOfContract", "calendar-day proration of the last month"
            elif all(last[k] == before[k] for k in ("pct", "base", "bracket", "year")):
                # The same rate as the month before ended with: that month was paid for part of its days at it.
                cause, article = "FullMonthAtRate", f"{law.GRID_ARTICLE} (calendar-day proration of the month before)"
            else:
                cause, article = "RateChanged", ", ".join(last["rules"])
        out.append(
            {"month": m["month"], "cause": cause, "article": article or CAUSE_ARTICLES[cause], "amount": m["amount"]}
        )
    return out
