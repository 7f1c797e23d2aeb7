"""Contract terms in the interfaces §1 shape for the lifecycle and application tests."""

from __future__ import annotations

from copy import deepcopy
from typing import Any

from api.schemas import TERMS_EXAMPLE
from domain.contract import Contract
from domain.terms import parse_terms

# A finished apprenticeship with another employer, last year 2, level 3, related (D6222-29/30): successive contracts.
PREVIOUS_APPRENTICESHIP: dict[str, Any] = {
    "route": "apprenticeship",
    "diploma_obtained": True,
    "same_employer": False,
    "last_year": 2,
    "last_year_pct_paid": None,
    "level": 3,
    "related": True,
}

# The example of the API's documentation (interfaces §1): every test starts from the body /docs shows.
BASE: dict[str, Any] = deepcopy(TERMS_EXAMPLE)


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
