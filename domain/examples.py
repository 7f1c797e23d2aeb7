"""The canonical example contract (interfaces §1): Léa Martin, CAP Boulanger at Boulangerie Martin, from
1 September 2025 to 31 August 2027. The API's documentation shows it, the demo drafts it, and the tests and the
benchmarks start from it (`example_terms`)."""

from __future__ import annotations

from copy import deepcopy
from typing import Any

EXAMPLE_TERMS: dict[str, Any] = {
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


def example_terms(**sections: dict[str, Any]) -> dict[str, Any]:
    """A copy of the example with each given section's fields changed (`employer={"name": "Garage"}`)."""
    terms = deepcopy(EXAMPLE_TERMS)
    for name, changes in sections.items():
        terms[name] = {**terms[name], **changes}
    return terms
