"""What a draft derives from its terms and records with them: the contract's id, who receives it, its deadlines,
and which fields a correction changed."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from domain import law
from domain.dates import add_working_days
from domain.terms import ContractTerms


def contract_id_for(idempotency_key: str) -> UUID:
    """The contract's id, derived from the idempotency key: a retried draft finds the same contract."""
    return uuid5(NAMESPACE_URL, f"apprenticeship-ledger/contracts/{idempotency_key}")


def expected_authority(sector: str) -> str:
    """Who receives the contract: the OPCO for a private employer, the DDETS for a public one."""
    return next(authority for authority, s in law.AUTHORITIES.items() if s == sector)


def compute_deadlines(terms: ContractTerms) -> dict[str, Any]:
    """Deadlines fixed at drafting (and at each correction), recorded in the event."""
    practical_start = terms.training.practical_start_date or terms.start_date
    return {
        # D6224-1 / D6275-1: filed within 5 jours ouvrables after the start of execution.
        "filing_due": add_working_days(terms.start_date, law.FILING_WORKING_DAYS.value),
        "filing_authority": expected_authority(terms.employer.sector),
        # L6222-18: the free rupture period ends with the 45th day of practical training, at the earliest
        # on the 45th calendar day from the practical start (days at the CFA push it later).
        "probation_end_earliest": practical_start + timedelta(days=law.PROBATION_DAYS.value - 1),
    }


def changed_paths(old: Any, new: Any, prefix: str = "") -> list[str]:
    """Dotted paths of the leaves that differ between two JSON-like values (for TermsCorrected.changed)."""
    if isinstance(old, Mapping) and isinstance(new, Mapping):
        out: list[str] = []
        for key in sorted(set(old) | set(new)):
            out += changed_paths(old.get(key), new.get(key), f"{prefix}.{key}" if prefix else str(key))
        return out
    return [] if old == new else [prefix or "terms"]
