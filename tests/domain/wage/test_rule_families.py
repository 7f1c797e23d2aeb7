"""Each rule family of the wage engine beyond the worked examples, with its edge dates."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from domain import law
from domain.wage.cases import run_case
from domain.wage.reference import WageReference
from tests.domain.wage.builders import terms

REF = WageReference.seed()


def result(t: dict[str, Any], events: list[dict[str, Any]] | None = None, ref: WageReference = REF) -> dict[str, Any]:
    return run_case({"id": "case", "terms": t, "events": events or []}, ref)


def amounts(t: dict[str, Any], events: list[dict[str, Any]] | None = None, ref: WageReference = REF) -> dict[str, str]:
    r = result(t, events, ref)
    assert "error" not in r, r
    return {m["month"]: m["amount"] for m in r["months"]}


def month(t: dict[str, Any], key: str, events: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    return next(m for m in result(t, events)["months"] if m["month"] == key)


def error(t: dict[str, Any], events: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    r = result(t, events)
    assert "error" in r, r
    assert r["id"] == "case"
    return r["error"]


def cap() -> dict[str, Any]:
    return terms(birth="2008-03-15", start="2025-09-01", end="2027-08-31")


# --- proration, end, SMIC ---------------------------------------------------------------------------------
def test_termination_prorates_the_last_month_and_stops_the_schedule() -> None:
    m = amounts(cap(), [{"type": "Terminated", "on": "2026-01-15", "reason": "mutual_agreement"}])
    assert list(m)[-1] == "2026-01"
    assert m["2026-01"] == "238.17"  # 27 % × 1 823.03 × 15/31


def test_termination_on_the_start_day_gives_one_prorated_day() -> None:
    m = amounts(cap(), [{"type": "Terminated", "on": "2025-09-01", "reason": "x"}])
    assert m == {"2025-09": "16.22"}  # 486.486 / 30


def test_months_after_the_last_known_smic_use_that_smic() -> None:
    assert amounts(cap())["2027-08"] == "952.18"  # 51 % × 1 867.02


def test_a_recorded_smic_revaluation_applies_from_its_effective_date() -> None:
    smic = [*law.SMIC_SEED, law.SmicRevaluation(date(2027, 1, 1), Decimal("12.50"), Decimal("1895.83"), "test")]
    ref = WageReference.from_series(smic)
    m = amounts(cap(), ref=ref)
    assert m["2026-12"] == "952.18"
    assert m["2027-01"] == "966.87"  # 51 % × 1 895.83 = 966.8733


def test_smic_revaluation_in_a_mid_month_partial_month_is_split() -> None:
    t = terms(birth="2006-02-01", start="2025-12-20", end="2027-12-19")
    seg = month(t, "2025-12")["segments"]
    assert [(s["from"], s["to"]) for s in seg] == [("2025-12-20", "2025-12-31")]
    assert month(t, "2026-01")["segments"][0]["base"] == "1823.03"


# --- brackets -----------------------------------------------------------------------------------------------
def test_age_on_the_start_day_sets_the_first_bracket() -> None:
    t = terms(birth="2007-09-01", start="2025-09-01", end="2027-08-31")  # 18 on the start day
    assert month(t, "2025-09")["segments"][0]["bracket"] == "18-20"


def test_birthday_on_the_last_day_of_a_month_switches_on_the_next_day() -> None:
    t = terms(birth="2007-10-31", start="2025-09-01", end="2027-08-31")
    m = amounts(t)
    assert m["2025-10"] == "486.49"
    assert m["2025-11"] == "774.77"


def test_under_16_is_paid_as_16_17_and_cites_d6222_27() -> None:
    t = terms(birth="2010-06-10", start="2025-09-01", end="2027-08-31")  # 15 at start (3e completed)
    t["apprentice"]["lower_secondary_completed"] = True
    seg = month(t, "2025-09")["segments"][0]
    assert (seg["pct"], seg["bracket"]) == (27, "<18")
    assert "D6222-27" in seg["rules"]
    assert "D6222-27" not in month(t, "2026-07")["segments"][0]["rules"]


def test_smc_is_ignored_under_21() -> None:
    t = cap()
    t["smc"] = [{"from": "2025-09-01", "monthly": "2500.00"}]
    assert amounts(t)["2025-09"] == "486.49"


def test_smc_changed_event_raises_the_base_from_its_date() -> None:
    t = terms(birth="2002-01-10", start="2025-09-01", end="2027-08-31", level=7)  # 23, bracket 21-25
    m = amounts(t, [{"type": "SmcChanged", "from": "2026-03-01", "monthly": "2100.00"}])
    assert m["2026-02"] == "966.21"  # 53 % × 1 823.03
    assert m["2026-03"] == "1113.00"  # 53 % × 2 100.00
    assert (
        month(t, "2026-03", [{"type": "SmcChanged", "from": "2026-03-01", "monthly": "2100.00"}])["segments"][0][
            "base_kind"
        ]
        == "SMC"
    )


# --- years, reductions, extensions ------------------------------------------------------------------------
def test_contract_starting_29_february_has_its_anniversary_on_28_february() -> None:
    t = terms(birth="2004-01-10", start="2024-02-29", end="2026-02-27")
    seg = month(t, "2025-02")["segments"]
    assert [(s["from"], s["year"]) for s in seg] == [("2025-02-01", 1), ("2025-02-28", 2)]


def test_reduction_without_a_legal_ground_gives_no_credit() -> None:
    t = terms(birth="2006-05-10", start="2025-09-01", end="2027-08-31", cycle=36)
    assert amounts(t)["2025-09"] == "774.77"


def test_r6222_23_1_allows_a_short_contract_with_credit() -> None:
    t = terms(birth="2006-05-10", start="2025-09-01", end="2026-01-31", cycle=24, reduction_ground="R6222-23-1")
    m = amounts(t)
    assert m["2025-09"] == "918.92"  # credited 19 months → year 2
    assert "D6222-28-1" in month(t, "2025-09")["segments"][0]["rules"]


def test_licence_pro_year_one_takes_the_year_two_rate() -> None:
    t = terms(birth="2004-01-10", start="2025-09-01", end="2026-08-31", cycle=12, level=6, licence_pro=True)
    seg = month(t, "2025-09")["segments"][0]
    assert (seg["pct"], seg["year"], seg["rate_year"]) == (61, 1, 2)
    assert "D6222-32" in seg["rules"]


def test_convention_extension_beyond_the_cycle_freezes_the_last_year() -> None:
    t = terms(birth="2006-01-10", start="2024-09-01", end="2027-08-31", cycle=24, reduction_ground="L6222-7-1")
    m = amounts(t)
    assert m["2026-09"] == "952.18"  # calendar year 3, rate of year 2 (51 % at 18-20), not 67 %
    seg = month(t, "2026-09")["segments"][0]
    assert seg["rate_year"] == 2 and seg["year"] == 3
    assert "D6222-28-2" in seg["rules"]


def test_extension_longer_than_one_year_is_refused() -> None:
    e = error(cap(), [{"type": "ExamFailedExtended", "on": "2027-07-01", "new_end_date": "2028-09-01"}])
    assert e["type"] == "illegal-transition" and e["field"] == "new_end_date" and e["rule"] == "L6222-11"


def test_a_second_extension_is_refused() -> None:
    ext = {"type": "ExamFailedExtended", "on": "2027-07-01", "new_end_date": "2028-03-31"}
    e = error(cap(), [ext, {**ext, "new_end_date": "2028-08-31"}])
    assert e["rule"] == "L6222-11"


def test_disability_recognised_during_the_contract_adds_15_points_in_the_extension() -> None:
    t = terms(birth="2007-10-05", start="2024-09-01", end="2026-08-31")
    events = [
        {"type": "DisabilityRecognised", "on": "2026-03-02"},
        {"type": "ExamFailedExtended", "on": "2026-07-10", "new_end_date": "2027-08-31"},
    ]
    m = amounts(t, events)
    assert m["2026-08"] == "952.18"  # before the extension: year 2, 51 %
    assert m["2026-09"] == "1232.23"  # 51 + 15 = 66 % × 1 867.02


# --- successive contracts, public, contractual ----------------------------------------------------------------
PREV = {
    "route": "apprenticeship",
    "diploma_obtained": True,
    "same_employer": True,
    "last_year": 2,
    "last_year_pct_paid": None,
    "level": 3,
    "related": False,
}


def test_same_employer_floor_is_the_rate_actually_paid() -> None:
    t = terms(
        birth="2006-07-12",
        start="2025-09-01",
        end="2027-08-31",
        level=4,
        previous_contract={**PREV, "last_year_pct_paid": 60},
    )
    seg = month(t, "2025-09")["segments"][0]
    assert seg["pct"] == 60 and "D6222-29" in seg["rules"]
    assert amounts(t)["2025-09"] == "1081.08"


def test_previous_contract_without_the_diploma_gives_no_floor() -> None:
    t = terms(
        birth="2006-07-12",
        start="2025-09-01",
        end="2027-08-31",
        level=4,
        previous_contract={**PREV, "diploma_obtained": False},
    )
    assert amounts(t)["2025-09"] == "774.77"


def test_other_route_same_level_related_gets_last_year_plus_15() -> None:
    prev = {**PREV, "route": "other", "same_employer": False, "related": True}
    t = terms(birth="2006-07-12", start="2025-09-01", end="2026-08-31", cycle=12, previous_contract=prev)
    assert amounts(t)["2025-09"] == "1189.19"  # 51 + 15 = 66 %


def test_d6222_30_needs_a_contract_of_one_year_at_most() -> None:
    prev = {**PREV, "related": True}
    t = terms(birth="2006-07-12", start="2025-09-01", end="2026-09-01", cycle=12, previous_contract=prev)
    assert amounts(t)["2025-09"] == "918.92"  # floor 51 % only


def test_public_points_are_not_capped() -> None:
    t = terms(
        birth="1998-01-10",
        start="2025-09-01",
        end="2026-08-31",
        cycle=12,
        sector="public",
        points=20,
        age_limit_exception="business_project",
    )
    assert amounts(t)["2025-09"] == "2162.16"  # 120 % × 1 801.80


def test_contractual_rate_above_the_minimum_is_the_floor() -> None:
    t = cap()
    t["contractual_pct"] = 50
    seg = month(t, "2025-09")["segments"][0]
    assert (seg["pct"], amounts(t)["2025-09"]) == (50, "900.90")
    assert "L6222-27" in seg["rules"]


def test_contractual_rate_below_the_minimum_changes_nothing() -> None:
    t = cap()
    t["contractual_pct"] = 20
    assert amounts(t)["2025-09"] == "486.49"


# --- cross-border -----------------------------------------------------------------------------------------------
def lu(formation: str, start: str, end: str) -> dict[str, Any]:
    t = terms(birth="2005-01-10", start=start, end=end, level=5)
    t["employer"].update({"siret": None, "idcc": None, "country": "LU"})
    t["cross_border"] = {"country": "LU", "practical_part_abroad": True, "formation": formation}
    return t


def test_luxembourg_allowance_follows_the_cote_in_force_on_the_1st() -> None:
    m = amounts(lu("BTS Électrotechnique", "2024-09-01", "2026-08-31"))
    assert m["2024-09"] == "1664.09"
    assert m["2025-04"] == "1664.09"
    assert m["2025-05"] == "1705.69"
    assert m["2025-09"] == "2193.09"  # year 2: 226.55 × 9.6804, not chained from 2 139.61


def test_luxembourg_bac_year_one_seed() -> None:
    m = amounts(lu("BAC pro Commerce", "2024-09-01", "2025-08-31"))
    assert (m["2024-09"], m["2025-05"]) == ("1246.36", "1277.52")


def test_luxembourg_formation_without_a_known_allowance_is_an_error() -> None:
    e = error(lu("Master Finance", "2025-09-01", "2026-08-31"))
    assert e["field"] == "cross_border.formation"


def test_germany_minimum_by_training_start_year_and_training_year() -> None:
    t = terms(birth="2005-01-10", start="2025-09-01", end="2028-08-31", cycle=36, level=4)
    t["employer"].update({"siret": None, "idcc": None, "country": "DE"})
    t["cross_border"] = {"country": "DE", "practical_part_abroad": True, "formation": "Bac pro"}
    m = amounts(t)
    assert (m["2025-09"], m["2026-09"], m["2027-09"]) == ("682.00", "805.00", "921.00")


# --- refusals: never a schedule for terms the lifecycle rules reject ---------------------------------------------
@pytest.mark.parametrize(
    "change,field,rule",
    [
        ({"apprentice": {"birth_date": "2011-01-01"}}, "apprentice.birth_date", "L6222-1"),
        ({"apprentice": {"birth_date": "1990-01-01"}}, "apprentice.birth_date", "L6222-1"),
        ({"end_date": "2028-09-01"}, "end_date", "L6222-7-1"),
        ({"end_date": "2026-01-31"}, "end_date", "L6222-7-1"),
        ({"start_date": "2018-09-01"}, "start_date", "D6222-26 (décret 2018-1347)"),
        ({"training": {"cfa_start_date": "2025-12-02"}}, "training.cfa_start_date", "L6222-12"),
    ],
)
def test_terms_the_rules_reject_give_an_error_line(change: dict[str, Any], field: str, rule: str) -> None:
    t = cap()
    for k, v in change.items():
        if isinstance(v, dict):
            t[k].update(v)
        else:
            t[k] = v
    e = error(t)
    assert (e["field"], e.get("rule")) == (field, rule)


def test_bad_date_and_missing_field_name_the_field() -> None:
    t = cap()
    t["start_date"] = "2025-02-30"
    assert error(t)["field"] == "start_date"
    t = cap()
    del t["apprentice"]["birth_date"]
    assert error(t)["field"] == "apprentice.birth_date"


def test_termination_before_the_start_is_refused() -> None:
    e = error(cap(), [{"type": "Terminated", "on": "2025-08-31", "reason": "x"}])
    assert e["field"] == "on" and e["rule"] == "L6222-18"


def test_unknown_event_type_is_refused() -> None:
    assert error(cap(), [{"type": "Promoted", "on": "2026-01-01"}])["field"] == "events[0].type"


def test_birth_date_correction_is_applied_retroactively() -> None:
    m = amounts(
        cap(), [{"type": "TermsCorrected", "changes": {"apprentice": {"birth_date": "2007-03-15"}}, "reason": "typo"}]
    )
    assert m["2025-09"] == "774.77"  # 18 at the start
