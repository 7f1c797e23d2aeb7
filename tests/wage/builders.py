"""Terms in the interfaces §1 shape, with only what a test cares about to write."""

from __future__ import annotations

from typing import Any


def terms(
    *,
    birth: str,
    start: str,
    end: str,
    cycle: int = 24,
    level: int = 3,
    sector: str = "private",
    points: int = 0,
    licence_pro: bool = False,
    disability: bool = False,
    athlete: bool = False,
    **top: Any,
) -> dict[str, Any]:
    return {
        "apprentice": {
            "first_name": "Léa",
            "last_name": "Martin",
            "birth_date": birth,
            "disability_recognised": disability,
            "high_level_athlete": athlete,
        },
        "employer": {
            "name": "Boulangerie Martin",
            "siret": "12345678900011",
            "sector": sector,
            "public_majoration_points": points,
            "idcc": "0843",
            "headcount": 4,
            "country": "FR",
        },
        "training": {
            "title": "CAP Boulanger",
            "diploma_code": "50022125",
            "level": level,
            "cycle_months": cycle,
            "cfa_start_date": start,
            "exam_end_date": None,
            "licence_pro": licence_pro,
        },
        "start_date": start,
        "end_date": end,
        "reduction_ground": None,
        "previous_contract": None,
        "smc": [],
        "contractual_pct": None,
        "working_time_ratio": 1,
        "cross_border": None,
        **top,
    }
