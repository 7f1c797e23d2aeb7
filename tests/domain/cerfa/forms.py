"""Varied contracts for the CERFA tests (every rule family), and the form the ledger fills for each."""

from __future__ import annotations

from datetime import date
from typing import Any

from domain.cerfa.filling import form_values
from domain.terms import parse_terms
from domain.wage.engine import Schedule, compute_schedule
from domain.wage.facts import WageFacts
from domain.wage.reference import WageReference
from ledger.cerfa.pdf import fill_pdf
from tests.contract_builders import terms

REF = WageReference.seed()
SIGNED = date(2025, 8, 25)

# Birthdays at month edges (the 1st, the last day, 29 February, the 31st) and across the age brackets.
BIRTHS = (
    "2008-03-01",
    "2008-02-29",
    "2007-12-31",
    "2007-08-31",
    "2007-09-01",
    "2006-01-31",
    "2005-10-01",
    "2004-06-30",
    "2003-02-28",
    "2000-11-30",
    "1998-07-31",
    "1996-09-02",
)


def families(birth: str) -> dict[str, dict[str, Any]]:
    """One contract of each rule family for an apprentice born that day (those the rules admit)."""
    return {
        "plain": terms(birth=birth),
        "public": terms(birth=birth, sector="public", employer__public_majoration_points=20),
        "rqth": terms(birth=birth, apprentice__disability_recognised=True),
        "smc": terms(birth=birth, smc=[{"from": "2025-09-01", "monthly": "2300.00"}]),
        "reduced": terms(birth=birth, end="2026-08-31", reduction_ground="L6222-7-1"),
        "extended": terms(birth=birth, end="2028-08-31", apprentice__high_level_athlete=True),
        "successive": terms(
            birth=birth,
            previous_contract={
                "route": "apprenticeship",
                "diploma_obtained": True,
                "same_employer": False,
                "last_year": 2,
                "last_year_pct_paid": 53,
                "level": 3,
                "related": True,
            },
            training__level=4,
            training__title="Bac pro Boulanger",
        ),
        "licence_pro": terms(
            birth=birth,
            end="2026-08-31",
            training__level=6,
            training__licence_pro=True,
            training__cycle_months=12,
            training__exam_end_date="2026-06-30",
            training__title="Licence pro Commerce",
        ),
        "mayotte": terms(birth=birth, employer__postcode="97600"),
        "master": terms(birth=birth, master="M-17"),
        "age15": terms(birth="2010-06-10", apprentice__lower_secondary_completed=True),
    }


def admitted_cases() -> list[tuple[str, dict[str, Any]]]:
    """Every (name, terms) the rules admit: a few families refuse some ages (the age limit, the 3e)."""
    out = []
    for birth in BIRTHS:
        for family, t in families(birth).items():
            try:
                parse_terms(t)
                compute_schedule(WageFacts.of(parse_terms(t)), REF)
            except Exception:  # noqa: BLE001 (a refused combination is simply not a case)
                continue
            if _admitted(t):
                out.append((f"{family}-{birth}", t))
    return out


def _admitted(t: dict[str, Any]) -> bool:
    from domain.errors import DomainError
    from domain.terms import check_terms

    try:
        check_terms(parse_terms(t))
    except DomainError:
        return False
    return True


def schedule_of(t: dict[str, Any]) -> Schedule:
    return compute_schedule(WageFacts.of(parse_terms(t)), REF)


def filled(t: dict[str, Any], signed: date | None = SIGNED, with_terms: bool = True) -> bytes:
    """The form the ledger fills for these terms: fields, the pay table from the schedule, the terms beside."""
    contract_terms = parse_terms(t)
    values = form_values(contract_terms, schedule_of(t), signed)
    return fill_pdf(values, contract_terms.to_json() if with_terms else None)
