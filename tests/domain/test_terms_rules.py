"""The lifecycle rules on the terms (spec §6): each refusal is pinned at its boundary, with the accepted
value on the other side, so removing or loosening a rule fails a test."""

from __future__ import annotations

from typing import Any

import pytest

from domain.errors import InvalidTerms
from domain.terms import check_terms, parse_terms
from tests.contract_builders import PREVIOUS_APPRENTICESHIP, terms


def refused(raw: dict[str, Any]) -> InvalidTerms:
    with pytest.raises(InvalidTerms) as info:
        check_terms(parse_terms(raw))
    return info.value


def accepted(raw: dict[str, Any]) -> list[dict[str, str]]:
    return check_terms(parse_terms(raw))


# -- age (L6222-1, L6222-2, D6222-1) -------------------------------------------------------------------------
def test_a_14_year_old_is_refused_and_a_15_year_old_with_the_3e_accepted() -> None:
    e = refused(terms(birth="2010-09-02", apprentice__lower_secondary_completed=True))  # 14 on 2025-09-01
    assert (e.field, e.rule) == ("apprentice.birth_date", "L6222-1")
    accepted(terms(birth="2010-09-01", apprentice__lower_secondary_completed=True))  # 15 that day


def test_a_15_year_old_whose_3e_is_not_stated_is_refused_naming_the_field() -> None:
    e = refused(terms(birth="2010-09-01"))  # 15, lower_secondary_completed left out
    assert (e.field, e.rule) == ("apprentice.lower_secondary_completed", "L6222-1")


def test_a_15_year_old_who_did_not_finish_the_3e_is_refused() -> None:
    e = refused(terms(birth="2010-09-01", apprentice__lower_secondary_completed=False))
    assert e.rule == "L6222-1"
    accepted(terms(birth="2009-09-01", apprentice__lower_secondary_completed=False))  # 16


def test_age_limit_is_29_until_the_day_before_the_30th_birthday() -> None:
    accepted(terms(birth="1995-09-02"))  # 29, 30 tomorrow
    e = refused(terms(birth="1995-09-01"))  # 30 on the start date
    assert (e.field, e.rule) == ("apprentice.birth_date", "L6222-1")


@pytest.mark.parametrize("exception", ["higher_level_successive", "rupture_not_attributable"])
def test_successive_contract_exceptions_raise_the_limit_to_35(exception: str) -> None:
    accepted(terms(birth="1989-09-02", age_limit_exception=exception))  # 35
    e = refused(terms(birth="1989-09-01", age_limit_exception=exception))  # 36
    assert e.rule == "D6222-1"


def test_a_previous_contract_at_a_lower_level_raises_the_limit_to_35_by_itself() -> None:
    previous = PREVIOUS_APPRENTICESHIP
    higher = terms(birth="1992-01-01", previous_contract=previous, training__level=4)  # 33
    accepted(higher)
    same_level = terms(birth="1992-01-01", previous_contract=previous, training__level=3)
    assert refused(same_level).rule == "L6222-1"


@pytest.mark.parametrize("flag", ["disability_recognised", "high_level_athlete"])
def test_disability_and_listed_athletes_have_no_upper_age_limit(flag: str) -> None:
    flags: dict[str, Any] = {f"apprentice__{flag}": True}
    accepted(terms(birth="1975-01-01", **flags))  # 50


def test_a_business_project_has_no_upper_age_limit() -> None:
    accepted(terms(birth="1975-01-01", age_limit_exception="business_project"))
    assert refused(terms(birth="1975-01-01")).rule == "L6222-1"


# -- duration (L6222-7-1, R6222-23-1, R6222-46, R6222-60) ------------------------------------------------------
def test_a_contract_shorter_than_6_months_is_refused() -> None:
    accepted(terms(end="2026-02-28"))  # exactly 6 months
    e = refused(terms(end="2026-02-27"))
    assert (e.field, e.rule) == ("end_date", "L6222-7-1")


def test_a_short_contract_is_allowed_to_finish_a_cycle_after_a_rupture() -> None:
    accepted(terms(end="2026-02-27", reduction_ground="R6222-23-1"))
    assert refused(terms(end="2026-02-27", reduction_ground="L6222-7-1")).rule == "L6222-7-1"


def test_a_contract_longer_than_3_years_is_refused() -> None:
    accepted(terms(end="2028-08-31", training__cycle_months=36))
    e = refused(terms(end="2028-09-01", training__cycle_months=36))
    assert (e.field, e.rule) == ("end_date", "L6222-7-1")


@pytest.mark.parametrize("flag", ["disability_recognised", "high_level_athlete"])
def test_four_years_are_allowed_with_a_disability_or_for_an_athlete_and_no_more(flag: str) -> None:
    flags: dict[str, Any] = {f"apprentice__{flag}": True}
    accepted(terms(end="2029-08-31", training__cycle_months=36, **flags))
    e = refused(terms(end="2029-09-01", training__cycle_months=36, **flags))
    assert e.rule == "R6222-46 / R6222-60"


# -- dates (L6222-12, ordering, scope) ------------------------------------------------------------------------
def test_cfa_training_may_start_at_most_3_months_after_the_contract() -> None:
    accepted(terms(training__cfa_start_date="2025-12-01"))
    e = refused(terms(training__cfa_start_date="2025-12-02"))
    assert (e.field, e.rule) == ("training.cfa_start_date", "L6222-12")


def test_practical_training_may_start_at_most_3_months_after_the_contract() -> None:
    accepted(terms(training__practical_start_date="2025-12-01"))
    e = refused(terms(training__practical_start_date="2025-12-02"))
    assert (e.field, e.rule) == ("training.practical_start_date", "L6222-12")


def test_the_end_must_follow_the_start() -> None:
    assert refused(terms(end="2025-09-01")).field == "end_date"
    assert refused(terms(end="2025-08-31")).field == "end_date"


def test_the_apprentice_is_born_before_the_start() -> None:
    assert refused(terms(birth="2025-09-01", apprentice__high_level_athlete=True)).field == "apprentice.birth_date"


def test_exams_cannot_end_before_the_contract_starts() -> None:
    assert refused(terms(training__exam_end_date="2025-08-31")).field == "training.exam_end_date"


def test_contracts_starting_before_2019_are_out_of_scope() -> None:
    accepted(terms(birth="2002-01-01", start="2019-01-01", end="2020-12-31", training__exam_end_date=None))
    e = refused(terms(birth="2002-01-01", start="2018-12-31", end="2020-12-30", training__exam_end_date=None))
    assert e.field == "start_date" and e.rule is not None and "D6222-26" in e.rule


# -- malformed input (parse_terms) ---------------------------------------------------------------------------
@pytest.mark.parametrize("siret", ["1234567890001", "1234567890001A", "123456789000111"])
def test_a_siret_is_14_digits(siret: str) -> None:
    with pytest.raises(InvalidTerms) as info:
        parse_terms(terms(employer__siret=siret))
    assert info.value.field == "employer.siret"


def test_an_employer_in_france_needs_a_siret_and_one_abroad_does_not() -> None:
    with pytest.raises(InvalidTerms) as info:
        parse_terms(terms(employer__siret=None))
    assert info.value.field == "employer.siret"
    parse_terms(terms(employer__siret=None, employer__country="DE"))


@pytest.mark.parametrize("value", ["2025-13-01", "01/09/2025", 20250901, "2025-02-30"])
def test_dates_are_iso_calendar_dates(value: object) -> None:
    with pytest.raises(InvalidTerms) as info:
        parse_terms(terms(start_date=value))
    assert info.value.field == "start_date"


def test_public_majoration_is_0_10_or_20_and_public_employers_only() -> None:
    with pytest.raises(InvalidTerms) as info:
        parse_terms(terms(sector="public", employer__public_majoration_points=15))
    assert info.value.rule == "D6272-2"
    with pytest.raises(InvalidTerms) as info:
        parse_terms(terms(employer__public_majoration_points=10))
    assert info.value.field == "employer.public_majoration_points"
    parse_terms(terms(sector="public", employer__public_majoration_points=20))


def test_part_time_is_only_for_cross_border_contracts() -> None:
    with pytest.raises(InvalidTerms) as info:
        parse_terms(terms(working_time_ratio=0.8))
    assert info.value.field == "working_time_ratio"


# -- warnings (soft rules) -----------------------------------------------------------------------------------
def test_ending_more_than_2_months_after_the_exams_is_a_warning_not_a_refusal() -> None:
    warnings = accepted(terms(end="2027-08-31", training__exam_end_date="2027-06-30"))
    assert [w["field"] for w in warnings] == ["end_date"]
    assert "2 months" in warnings[0]["detail"]
    assert accepted(terms(end="2027-08-30", training__exam_end_date="2027-06-30")) == []


def test_a_contract_longer_than_the_cycle_without_convention_is_a_warning() -> None:
    warnings = accepted(terms(end="2028-08-31", training__exam_end_date="2028-07-31"))  # 36 months, 24-month cycle
    assert [w["rule"] for w in warnings] == ["D6222-28-2"]


@pytest.mark.parametrize(
    ("path", "value"),
    [
        (("apprentice", "last_name"), "\u200b\u200c\u200d"),
        (("apprentice", "first_name"), "\ufeff\u2060"),
        (("apprentice", "last_name"), "Martin\nDROP"),
        (("apprentice", "first_name"), "Léa\u2028Injected"),
        (("employer", "name"), "Boulangerie\r\nMartin"),
    ],
)
def test_a_name_of_only_zero_width_characters_or_on_several_lines_is_refused_naming_it(
    path: tuple[str, str], value: str
) -> None:
    raw = terms()
    raw[path[0]][path[1]] = value
    with pytest.raises(InvalidTerms) as refused:
        parse_terms(raw)
    assert refused.value.field == ".".join(path)


def test_a_name_with_accents_apostrophes_and_a_joiner_inside_is_accepted() -> None:
    raw = terms()
    raw["apprentice"]["last_name"] = "N’Diaye-Lefèvre\u200d"
    assert parse_terms(raw).apprentice.last_name == "N’Diaye-Lefèvre\u200d"
