"""A reference change's history entry computed from stored plans is the entry the engine's schedules give:
the same months, arrears, amounts, rates and rules, for every rule family."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from domain.wage.engine import compute_schedule
from domain.wage.facts import WageFacts
from domain.wage.plan import plan_for
from domain.wage.reference import WageReference
from projections.wage.history import ReferenceChange, expanded, history_entry
from projections.wage.plans import encode, revalued_entries, rules_id
from tests.domain.wage.test_rate_plan import REF, contracts, with_cote, with_smic


def entries_by_plan(facts: WageFacts, change: ReferenceChange) -> dict[str, object] | None | str:
    plan = plan_for(facts, compute_schedule(facts, change.before))
    if plan is None:
        return "no plan"
    rules = {rules_id(r): json.dumps(list(r)) for r in plan.rules}
    found = revalued_entries(["c"], [encode(plan)], change, rules)
    return expanded(json.loads(found[0][1])) if found else None


def entry_by_engine(facts: WageFacts, change: ReferenceChange) -> dict[str, object] | None:
    return history_entry(
        cause=change.cause,
        effective=change.effective,
        before=compute_schedule(facts, change.before),
        after=compute_schedule(facts, change.after),
        recorded_at=change.recorded_at,
        event_id=change.event_id,
    )


def change_of(cause: str, on: date, after: WageReference, recorded: int) -> ReferenceChange:
    at = datetime.combine(on + timedelta(days=recorded), datetime.min.time(), UTC)
    return ReferenceChange(cause, on, at, "ref:2", REF, after)


@settings(max_examples=300, deadline=None)
@given(case=contracts(), rise=st.integers(min_value=-5000, max_value=30000), recorded=st.integers(-60, 400))
def test_a_smic_change_gives_the_engines_history_entry(case: tuple[WageFacts, date], rise: int, recorded: int) -> None:
    facts, on = case
    after = with_smic(on, Decimal(REF.smic.value_at(on.toordinal()) + rise) / 100)
    change = change_of("SmicRevalued", on, after, recorded)
    by_plan = entries_by_plan(facts, change)
    if by_plan != "no plan":
        assert by_plan == entry_by_engine(facts, change)


@settings(max_examples=100, deadline=None)
@given(case=contracts(), cote=st.integers(min_value=90000, max_value=110000), recorded=st.integers(-60, 400))
def test_a_luxembourg_cote_gives_the_engines_history_entry(
    case: tuple[WageFacts, date], cote: int, recorded: int
) -> None:
    facts, on = case
    change = change_of("LuxembourgCoteRecorded", on, with_cote(on, Decimal(cote) / 100), recorded)
    by_plan = entries_by_plan(facts, change)
    if by_plan != "no plan":
        assert by_plan == entry_by_engine(facts, change)


def test_many_stored_plans_are_read_back_as_one_batch() -> None:
    from domain.terms import parse_terms
    from domain.wage.facts import wage_facts
    from tests.domain.wage.builders import terms

    plans = []
    for t in (
        terms(birth="2008-03-15", start="2025-09-17", end="2027-09-16"),
        terms(birth="2001-01-10", start="2025-01-01", end="2026-12-31", sector="public", points=10),
    ):
        facts = wage_facts(parse_terms(t), [])
        plan = plan_for(facts, compute_schedule(facts, REF))
        assert plan is not None
        plans.append((facts, plan))
    on = date(2026, 3, 15)
    change = change_of("SmicRevalued", on, with_smic(on, Decimal("1950.00")), 3)
    rules = {rules_id(r): json.dumps(list(r)) for _, p in plans for r in p.rules}
    together = revalued_entries(["a", "b"], [encode(p) for _, p in plans], change, rules)
    assert [cid for cid, _ in together] == ["a", "b"]
    for (_, text), (facts, _) in zip(together, plans, strict=True):
        assert expanded(json.loads(text)) == entry_by_engine(facts, change)


@settings(max_examples=150, deadline=None)
@given(case=contracts(), rise=st.integers(min_value=-5000, max_value=30000), months_on=st.integers(-2, 40))
def test_one_months_minimum_from_stored_plans_is_the_engines(
    case: tuple[WageFacts, date], rise: int, months_on: int
) -> None:
    from domain.dates import add_months
    from projections.wage.plans import amounts_in_month

    facts, on = case
    plan = plan_for(facts, compute_schedule(facts, REF))
    if plan is None:
        return
    ref = with_smic(on, Decimal(REF.smic.value_at(on.toordinal()) + rise) / 100)
    month = add_months(facts.terms.start_date.replace(day=1), months_on)
    expected = compute_schedule(facts, ref).amounts().get(f"{month.year:04d}-{month.month:02d}", 0)
    assert amounts_in_month([encode(plan)], month.year, month.month, ref) == [expected]
