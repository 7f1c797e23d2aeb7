"""The wage view stores each schedule as JSON text written directly: exactly the text `json.dumps` gives of the
interfaces §2 months, whatever the months, segments, rates and rules."""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from domain.terms import parse_terms
from domain.wage.engine import compute_schedule, schedule_json, schedule_json_text
from domain.wage.facts import wage_facts
from domain.wage.reference import WageReference
from tests.contract_builders import terms

REF = WageReference.seed()


def both(t: dict[str, Any], events: list[dict[str, Any]]) -> tuple[str, str]:
    schedule = compute_schedule(wage_facts(parse_terms(t), events), REF)
    return schedule_json_text(schedule), json.dumps(schedule_json(schedule))


def test_a_mid_month_start_and_birthday_give_the_same_text_with_several_segments() -> None:
    text, dumped = both(terms(birth="2008-03-15", start="2025-09-17", end="2027-09-16"), [])
    assert text == dumped
    assert any(len(m["segments"]) > 1 for m in json.loads(text))


@settings(max_examples=200, deadline=None)
@given(
    start=st.dates(min_value=date(2020, 1, 1), max_value=date(2027, 12, 31)),
    age_days=st.integers(min_value=16 * 365 + 4, max_value=34 * 365),
    years=st.integers(min_value=1, max_value=3),
    smc_after=st.one_of(st.none(), st.integers(min_value=30, max_value=300)),
    ended_after=st.one_of(st.none(), st.integers(min_value=60, max_value=360)),
    disabled=st.booleans(),
)
def test_the_text_is_what_json_dumps_gives_of_the_months(
    start: date, age_days: int, years: int, smc_after: int | None, ended_after: int | None, disabled: bool
) -> None:
    birth = start - timedelta(days=age_days)
    end = start + timedelta(days=365 * years)
    t = terms(birth=birth.isoformat(), start=start.isoformat(), end=end.isoformat())
    events: list[dict[str, Any]] = []
    if smc_after is not None:
        on = (start + timedelta(days=smc_after)).replace(day=1)
        events.append({"type": "SmcChanged", "from": on.isoformat(), "monthly": "2150.00"})
    if disabled:
        events.append({"type": "DisabilityRecognised", "on": (start + timedelta(days=20)).isoformat()})
    if ended_after is not None:
        on = start + timedelta(days=ended_after)
        events.append({"type": "Terminated", "on": on.isoformat(), "reason": "resignation"})
    text, dumped = both(t, events)
    assert text == dumped
