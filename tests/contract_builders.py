"""Contract terms in the interfaces §1 shape for the lifecycle and application tests."""

from __future__ import annotations

from copy import deepcopy
from typing import Any

from domain.contract import Contract
from domain.terms import parse_terms

BASE: dict[str, Any] = {
    "apprentice": {
        "first_name": "Léa",
        "last_name": "Martin",
        "birth_date": "2008-03-15",
        "disability_recognised": False,
        "high_level_athlete": False,
    },
    "employer": {
        "name": "Boulangerie Martin",
        "siret": "12345678900011",
        "sector": "private",
        "public_majoration_points": 0,
        "idcc": "0843",
        "headcount": 4,
        "country": "FR",
    },
    "training": {
        "title": "CAP Boulanger",
        "diploma_code": "50022125",
        "level": 3,
        "cycle_months": 24,
        "cfa_start_date": "2025-09-08",
        "exam_end_date": "2027-06-30",
        "licence_pro": False,
    },
    "start_date": "2025-09-01",
    "end_date": "2027-08-31",
    "reduction_ground": None,
    "previous_contract": None,
    "smc": [],
    "contractual_pct": None,
    "working_time_ratio": 1,
    "cross_border": None,
}


def terms(
    *,
    birth: str | None = None,
    start: str | None = None,
    end: str | None = None,
    master: str | None = None,
    sector: str | None = None,
    **changes: Any,
) -> dict[str, Any]:
    """BASE with the given changes; `apprentice__x=...` style keys change a nested field."""
    t = deepcopy(BASE)
    if birth:
        t["apprentice"]["birth_date"] = birth
    if start:
        t["start_date"] = start
        t["training"]["cfa_start_date"] = start
    if end:
        t["end_date"] = end
    if master:
        t["master"] = {"id": master, "name": None}
    if sector:
        t["employer"]["sector"] = sector
    for key, value in changes.items():
        if "__" in key:
            section, name = key.split("__", 1)
            t[section][name] = value
        else:
            t[key] = value
    return t


def drafted(key: str = "k1", **kw: Any) -> Contract:
    c = Contract.draft(parse_terms(terms(**kw)), key, "CFA-1")
    c.collect_events()  # as if saved: the tests look at the events of the next command only
    return c
