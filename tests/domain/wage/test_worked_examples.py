"""Every worked example of the wage spec (§9), to the cent, through the same path as `ledger schedule`."""

from __future__ import annotations

from typing import Any

import pytest

from domain.wage.cases import run_case
from domain.wage.reference import WageReference
from tests.contract_builders import PREVIOUS_APPRENTICESHIP
from tests.domain.wage.builders import terms

REF = WageReference.seed()


def months(t: dict[str, Any], events: list[dict[str, Any]] | None = None) -> dict[str, str]:
    result = run_case({"id": "x", "terms": t, "events": events or []}, REF)
    assert "error" not in result, result
    return {m["month"]: m["amount"] for m in result["months"]}


def segments(t: dict[str, Any], month: str, events: list[dict[str, Any]] | None = None) -> list[dict[str, Any]]:
    result = run_case({"id": "x", "terms": t, "events": events or []}, REF)
    return next(m["segments"] for m in result["months"] if m["month"] == month)


def test_ex1_18th_birthday_mid_month_switches_bracket_on_the_1st_of_next_month() -> None:
    m = months(terms(birth="2008-03-15", start="2025-09-01", end="2027-08-31"))
    assert m["2025-09"] == "486.49"
    assert m["2026-03"] == "492.22"
    assert m["2026-04"] == "783.90"
    assert m["2026-06"] == "802.82"
    assert m["2026-09"] == "952.18"
    assert list(m)[0] == "2025-09" and list(m)[-1] == "2027-08" and len(m) == 24


def test_ex1_segments_name_grid_bracket_year_and_base() -> None:
    seg = segments(terms(birth="2008-03-15", start="2025-09-01", end="2027-08-31"), "2025-09")
    assert seg == [
        {
            "from": "2025-09-01",
            "to": "2025-09-30",
            "pct": 27,
            "base": "1801.80",
            "base_kind": "SMIC",
            "bracket": "<18",
            "year": 1,
            "rate_year": 1,
            "rules": ["D6222-26"],
        }
    ]


def test_ex2_21st_birthday_on_the_1st_switches_the_month_after() -> None:
    m = months(terms(birth="2005-06-01", start="2025-09-01", end="2027-08-31", level=5))
    assert m["2026-05"] == "783.90"
    assert m["2026-06"] == "802.82"
    assert m["2026-07"] == "989.52"


def test_ex3_smc_above_smic_is_the_base_from_21_and_26() -> None:
    t = terms(
        birth="2000-11-20",
        start="2025-09-01",
        end="2027-08-31",
        level=7,
        smc=[{"from": "2025-09-01", "monthly": "2000.00"}],
    )
    m = months(t)
    assert m["2025-09"] == "1060.00"
    assert m["2026-01"] == "1060.00"
    assert m["2026-09"] == "1220.00"
    assert m["2026-11"] == "1220.00"
    assert m["2026-12"] == "2000.00"
    plain = months(terms(birth="2000-11-20", start="2025-09-01", end="2027-08-31", level=7))
    assert (plain["2025-09"], plain["2026-09"], plain["2026-12"]) == ("954.95", "1138.88", "1867.02")


def test_ex4_reduced_duration_credits_a_whole_year() -> None:
    t = terms(birth="2006-05-10", start="2025-09-01", end="2027-08-31", cycle=36, level=6, reduction_ground="L6222-7-1")
    m = months(t)
    assert m["2025-09"] == "918.92"
    assert m["2026-05"] == "929.75"
    assert m["2026-09"] == "1250.90"
    assert m["2027-06"] == "1456.28"  # 21 on 2027-05-10 → 78 % from 2027-06-01


def test_ex5_three_credited_months_move_year_two_nine_months_after_start() -> None:
    t = terms(
        birth="2006-01-20", start="2025-12-01", end="2027-08-31", cycle=24, level=5, reduction_ground="L6222-12-1"
    )
    t["training"]["cfa_start_date"] = "2025-12-01"
    m = months(t)
    assert m["2025-12"] == "774.77"
    assert m["2026-08"] == "802.82"
    assert m["2026-09"] == "952.18"


def test_ex6_exam_failure_extension_freezes_the_last_year_rate() -> None:
    t = terms(birth="2007-10-05", start="2024-09-01", end="2026-08-31")
    ext = [{"type": "ExamFailedExtended", "on": "2026-07-10", "new_end_date": "2027-08-31"}]
    m = months(t, ext)
    assert m["2025-08"] == "486.49"
    assert m["2025-10"] == "702.70"
    assert m["2025-11"] == "918.92"
    assert m["2026-09"] == "952.18"
    assert list(m)[-1] == "2027-08"
    assert "D6222-28" in segments(t, "2026-09", ext)[0]["rules"]


def test_ex6_variant_turning_21_during_extension_takes_year_two_rate_of_the_new_bracket() -> None:
    t = terms(birth="2005-10-05", start="2024-09-01", end="2026-08-31")
    ext = [{"type": "ExamFailedExtended", "on": "2026-07-10", "new_end_date": "2027-08-31"}]
    m = months(t, ext)
    assert m["2026-10"] == "952.18"  # still 18-20 in October (birthday month)
    assert m["2026-11"] == "1138.88"  # 61 % × 1 867.02


def test_ex7_disabled_apprentice_extension_year_adds_15_points() -> None:
    t = terms(birth="2003-04-20", start="2022-09-01", end="2026-08-31", cycle=36, level=4, disability=True)
    m = months(t)
    assert m["2022-09"] == "721.95"
    assert m["2024-04"] == "901.13"
    assert m["2024-05"] == "1077.82"
    assert m["2024-09"] == "1378.20"
    assert m["2024-11"] == "1405.40"
    assert m["2025-09"] == "1675.67"
    assert m["2026-01"] == "1695.42"
    assert m["2026-06"] == "1736.33"


def test_ex7_athlete_fourth_year_takes_third_year_rate_without_points() -> None:
    t = terms(birth="2003-04-20", start="2022-09-01", end="2026-08-31", cycle=36, level=4, athlete=True)
    m = months(t)
    assert (m["2025-09"], m["2026-01"], m["2026-06"]) == ("1405.40", "1421.96", "1456.28")
    assert "R6222-60" in segments(t, "2025-09")[0]["rules"]


def test_ex8_successive_contract_same_level_related_adds_15_points_to_last_year_rate() -> None:
    prev = {
        "route": "apprenticeship",
        "diploma_obtained": True,
        "same_employer": True,
        "last_year": 2,
        "last_year_pct_paid": None,
        "level": 3,
        "related": True,
    }
    t = terms(birth="2006-07-12", start="2025-09-01", end="2026-08-31", cycle=12, previous_contract=prev)
    m = months(t)
    assert (m["2025-09"], m["2026-01"], m["2026-06"]) == ("1189.19", "1203.20", "1232.23")


def test_ex9_licence_pro_after_bts_takes_year_two_rate_and_the_previous_floor() -> None:
    prev = {
        "route": "apprenticeship",
        "diploma_obtained": True,
        "same_employer": False,
        "last_year": 2,
        "last_year_pct_paid": None,
        "level": 5,
        "related": True,
    }
    t = terms(
        birth="2004-03-03",
        start="2025-09-01",
        end="2026-08-31",
        cycle=12,
        level=6,
        licence_pro=True,
        previous_contract=prev,
    )
    m = months(t)
    assert (m["2025-09"], m["2026-01"], m["2026-06"]) == ("1099.10", "1112.05", "1138.88")


def test_ex9_variant_second_bts_related_in_one_year_gets_76_pct() -> None:
    prev = {
        "route": "apprenticeship",
        "diploma_obtained": True,
        "same_employer": False,
        "last_year": 2,
        "last_year_pct_paid": None,
        "level": 5,
        "related": True,
    }
    t = terms(birth="2004-03-03", start="2025-09-01", end="2026-08-31", cycle=12, level=5, previous_contract=prev)
    m = months(t)
    assert (m["2025-09"], m["2026-06"]) == ("1369.37", "1418.94")


def test_ex10_public_employer_adds_20_points_and_prorates_the_first_month() -> None:
    t = terms(birth="2006-06-30", start="2026-01-05", end="2027-01-04", cycle=12, level=5, sector="public", points=20)
    m = months(t)
    assert m["2026-01"] == "1000.31"  # 63 % × 1 823.03 × 27/31 days = 1 000.3142
    assert m["2026-02"] == "1148.51"
    assert m["2026-06"] == "1176.22"


def test_ex11_15_points_capped_at_100_pct_smic() -> None:
    prev = PREVIOUS_APPRENTICESHIP
    old = terms(
        birth="1998-06-01",
        start="2026-01-01",
        end="2026-12-31",
        cycle=12,
        previous_contract=prev,
        age_limit_exception="business_project",
    )
    assert months(old)["2026-01"] == "1823.03"
    young = terms(
        birth="2002-06-01", start="2026-01-01", end="2026-12-31", cycle=12, previous_contract={**prev, "last_year": 3}
    )
    assert months(young)["2026-01"] == "1695.42"


def test_ex12_anniversary_mid_month_splits_the_month_by_calendar_days() -> None:
    t = terms(birth="2006-02-01", start="2025-09-15", end="2027-09-14")
    m = months(t)
    assert m["2025-09"] == "413.21"
    assert m["2026-09"] == "882.48"
    seg = segments(t, "2026-09")
    assert [(s["from"], s["to"], s["pct"], s["year"]) for s in seg] == [
        ("2026-09-01", "2026-09-14", 43, 1),
        ("2026-09-15", "2026-09-30", 51, 2),
    ]


def test_ex13_born_29_february_switches_on_1_march_in_a_common_year() -> None:
    m = months(terms(birth="2008-02-29", start="2025-09-01", end="2027-08-31"))
    assert m["2026-02"] == "492.22"
    assert m["2026-03"] == "783.90"


@pytest.mark.parametrize(
    "smic,expected",
    [
        ("1801.80", ["486.49", "702.70", "990.99", "774.77", "918.92", "1207.21", "954.95", "1099.10", "1405.40"]),
    ],
)
def test_published_grid_amounts_are_reproduced(smic: str, expected: list[str]) -> None:
    from decimal import Decimal

    from domain import law

    base = int(Decimal(smic) * 100)
    got = []
    for row in law.GRID[:3]:
        for pct in row:
            cents = pct * 100 * base
            got.append(f"{(2 * cents + 10000) // 20000 / 100:.2f}")
    assert got == expected
