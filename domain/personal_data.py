"""An apprentice's personal data, and what remains of it once erased on request (RGPD art. 17).

The name and the exact birth date identify the apprentice; the wage only needs the age at the start of the
contract and the month of each birthday (a new bracket applies from the 1st of the month after it,
D6222-26). Erasure keeps the birth year and month and replaces the day with a surrogate that gives the same
age at the contract's start, so every wage, deadline and audit figure stays exactly as it was.
"""

from __future__ import annotations

import calendar
from datetime import date
from typing import Any

PERSONAL_FIELDS = ("first_name", "last_name", "birth_date")
ERASED_NAME = "(effacé)"


def surrogate_birth_date(birth: date, start: date) -> date:
    """The same year and month; a day on the same side of the start's day of the month, so the age at the
    start is unchanged (only a birthday in the start's own month could move it)."""
    if birth.month == start.month and birth.day > start.day:
        return birth.replace(day=calendar.monthrange(birth.year, birth.month)[1])
    return birth.replace(day=1)


def erased_terms(terms: dict[str, Any]) -> dict[str, Any]:
    """The terms with the apprentice's name erased and the birth date replaced by its surrogate."""
    apprentice = dict(terms["apprentice"])
    if apprentice.get("first_name") == ERASED_NAME and apprentice.get("last_name") == ERASED_NAME:
        return terms  # already erased: the birth date is already the surrogate
    birth = date.fromisoformat(str(apprentice["birth_date"]))
    start = date.fromisoformat(str(terms["start_date"]))
    apprentice.update(
        first_name=ERASED_NAME,
        last_name=ERASED_NAME,
        birth_date=surrogate_birth_date(birth, start).isoformat(),
    )
    return {**terms, "apprentice": apprentice}


def is_erased(terms: dict[str, Any]) -> bool:
    return bool(terms["apprentice"].get("first_name") == ERASED_NAME)


def erased_events(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Events in their interfaces §3 form, with the terms they carry (corrections) erased."""
    return [{**e, "terms": erased_terms(e["terms"])} if isinstance(e.get("terms"), dict) else e for e in events]
