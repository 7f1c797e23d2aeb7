"""Terms in the interfaces §1 shape, with only what a test cares about to write."""

from __future__ import annotations

from typing import Any

from domain.examples import example_terms


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
    t = example_terms(
        apprentice={"birth_date": birth, "disability_recognised": disability, "high_level_athlete": athlete},
        employer={"sector": sector, "public_majoration_points": points},
        training={
            "level": level,
            "cycle_months": cycle,
            "cfa_start_date": start,
            "exam_end_date": None,
            "licence_pro": licence_pro,
        },
    )
    return {**t, "start_date": start, "end_date": end, **top}
