"""Realistic, reproducible schedule cases (mixed rules) for the benchmarks."""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

from domain.dates import add_months


def realistic_case(rng: random.Random, i: int) -> dict[str, Any]:
    start = date(2023, 1, 1) + timedelta(days=rng.randrange(0, 3 * 365))
    age_days = rng.randrange(16 * 365 + 5, 29 * 365)
    birth = start - timedelta(days=age_days)
    months = rng.choice((24, 24, 24, 36, 36, 12))
    end = add_months(start, months) - timedelta(days=1)
    public = rng.random() < 0.1
    t: dict[str, Any] = {
        "apprentice": {
            "first_name": "A",
            "last_name": f"N{i}",
            "birth_date": birth.isoformat(),
            "disability_recognised": rng.random() < 0.03,
            "high_level_athlete": False,
        },
        "employer": {
            "name": "E",
            "siret": "12345678900011",
            "sector": "public" if public else "private",
            "public_majoration_points": rng.choice((0, 10, 20)) if public else 0,
            "idcc": "0843",
        },
        "training": {
            "title": "T",
            "diploma_code": None,
            "level": rng.choice((3, 4, 5, 6, 7)),
            "cycle_months": months,
            "cfa_start_date": start.isoformat(),
            "licence_pro": False,
        },
        "start_date": start.isoformat(),
        "end_date": end.isoformat(),
        "smc": [{"from": start.isoformat(), "monthly": "1900.00"}] if rng.random() < 0.2 else [],
    }
    if rng.random() < 0.1:
        t["training"]["cycle_months"] = months + 12
        t["reduction_ground"] = "L6222-7-1"
    events: list[dict[str, Any]] = []
    r = rng.random()
    if r < 0.05:
        events.append(
            {
                "type": "ExamFailedExtended",
                "on": (end - timedelta(days=40)).isoformat(),
                "new_end_date": add_months(end, 12).isoformat(),
            }
        )
    elif r < 0.15:
        events.append(
            {
                "type": "Terminated",
                "on": (start + timedelta(days=rng.randrange(30, 300))).isoformat(),
                "reason": "mutual_agreement",
            }
        )
    return {"id": f"c{i}", "terms": t, "events": events}


def cases(n: int, seed: int = 7) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    return [realistic_case(rng, i) for i in range(n)]
