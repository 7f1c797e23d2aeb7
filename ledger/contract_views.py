"""The interface layer (cargoshipping's `BookingService` role): contracts and schedules as plain data.

The HTTP API and the CFA's page show the same things the same way: the contract's state, the minimum of
the current month, and the time-driven events still ahead of it.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from domain.clock import candidate_events
from domain.contract import Contract
from domain.dates import month_key
from domain.events import jsonable
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
        "next_milestone": {"type": next_due[1], "effective_date": next_due[0]} if next_due else None,
    }
