"""Erasure keeps every wage: the surrogate birth date gives the same age at the start and the same brackets."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from domain.dates import birthday
from domain.personal_data import ERASED_NAME, erased_terms, surrogate_birth_date
from domain.terms import parse_terms
from domain.wage.engine import compute_schedule, schedule_json
from domain.wage.facts import wage_facts
from domain.wage.milestones import bracket_switches
from domain.wage.reference import WageReference
from tests.contract_builders import terms


def test_a_birthday_later_in_the_start_month_keeps_the_apprentice_younger() -> None:
    assert surrogate_birth_date(date(2008, 9, 20), date(2026, 9, 10)) == date(2008, 9, 30)
    assert surrogate_birth_date(date(2008, 9, 5), date(2026, 9, 10)) == date(2008, 9, 1)
    assert surrogate_birth_date(date(2008, 2, 29), date(2026, 2, 10)) == date(2008, 2, 29)
    assert surrogate_birth_date(date(2008, 3, 17), date(2026, 9, 1)) == date(2008, 3, 1)


def test_erased_terms_keep_nothing_that_names_the_apprentice() -> None:
    t = terms(birth="2007-05-17")
    erased = erased_terms(t)
    assert erased["apprentice"]["first_name"] == erased["apprentice"]["last_name"] == ERASED_NAME
    assert erased["apprentice"]["birth_date"] == "2007-05-01"
    assert t["apprentice"]["first_name"] not in str(erased)
    assert erased_terms(erased) == erased  # erasing twice changes nothing


@settings(max_examples=300, deadline=None)
@given(
    start=st.dates(min_value=date(2020, 1, 1), max_value=date(2027, 12, 31)),
    age_days=st.integers(min_value=15 * 365 + 4, max_value=34 * 365),
    years=st.integers(min_value=1, max_value=3),
)
def test_the_schedule_of_erased_terms_is_the_schedule_of_the_real_ones(start: date, age_days: int, years: int) -> None:
    birth = start - timedelta(days=age_days)
    real = terms(
        birth=birth.isoformat(), start=start.isoformat(), end=(start + timedelta(days=365 * years)).isoformat()
    )
    surrogate = erased_terms(real)
    assert bracket_switches(birth, start) == bracket_switches(
        date.fromisoformat(surrogate["apprentice"]["birth_date"]), start
    )
    reference = WageReference.seed()
    before = schedule_json(compute_schedule(wage_facts(parse_terms(real), []), reference))
    after = schedule_json(compute_schedule(wage_facts(parse_terms(surrogate), []), reference))
    assert [(m["month"], m["amount"]) for m in before] == [(m["month"], m["amount"]) for m in after]
    if start >= birthday(birth, 16):
        assert before == after  # segments, rates and articles too
    # Under 16 at the start, the D6222-27 note ends on the surrogate's 16th birthday, within the same month.
