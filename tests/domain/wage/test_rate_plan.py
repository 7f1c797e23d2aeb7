"""A contract's rate plan evaluated against a reference gives the engine's amounts to the cent, for every rule
family and for a SMIC or Luxembourg cote change on the 1st or in mid-month."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from hypothesis import given, reject, settings
from hypothesis import strategies as st

from domain import law
from domain.errors import DomainError
from domain.terms import parse_terms
from domain.wage.engine import compute_schedule
from domain.wage.facts import WageFacts, wage_facts
from domain.wage.plan import evaluate, evaluate_many, plan_for
from domain.wage.reference import WageReference
from tests.contract_builders import PREVIOUS_APPRENTICESHIP
from tests.domain.wage.builders import terms

REF = WageReference.seed()
PREV = PREVIOUS_APPRENTICESHIP


def with_smic(on: date, monthly: Decimal) -> WageReference:
    return WageReference.from_series(
        [*law.SMIC_SEED, law.SmicRevaluation(on, monthly / Decimal("151.67"), monthly, "test")],
        law.LU_COTE_SEED,
        law.SMIC_MAYOTTE_SEED,
    )


def with_mayotte_smic(on: date, monthly: Decimal) -> WageReference:
    revaluation = law.SmicRevaluation(on, monthly / Decimal("151.67"), monthly, "test")
    return WageReference.from_series(law.SMIC_SEED, law.LU_COTE_SEED, [*law.SMIC_MAYOTTE_SEED, revaluation])


def with_cote(on: date, cote: Decimal) -> WageReference:
    return WageReference.from_series(
        law.SMIC_SEED, [*law.LU_COTE_SEED, law.LuxembourgCote(on, cote, "test")], law.SMIC_MAYOTTE_SEED
    )


@st.composite
def contracts(draw: st.DrawFn) -> tuple[WageFacts, date]:
    start = draw(st.dates(min_value=date(2022, 1, 1), max_value=date(2026, 12, 31)))
    years = draw(st.integers(min_value=1, max_value=3))
    end = start + timedelta(days=365 * years - 1)
    family = draw(
        st.sampled_from(["plain", "smc", "disability", "public", "contractual", "previous", "lu", "de", "mayotte"])
    )
    if family == "mayotte":  # Mayotte's own SMIC is known from 2024-11-01
        start = max(start, date(2024, 11, 1))
        end = start + timedelta(days=365 * years - 1)
    age_days = draw(st.integers(min_value=15 * 365 + 200, max_value=30 * 365))
    birth = start - timedelta(days=age_days)
    kw: dict[str, Any] = {}
    if family == "public":
        kw.update(sector="public", points=draw(st.sampled_from([10, 20])))
    if family == "contractual":
        kw["contractual_pct"] = draw(st.integers(min_value=20, max_value=100))
    if family == "previous":
        kw["previous_contract"] = {**PREV, "last_year": draw(st.integers(min_value=1, max_value=3))}
        end = start + timedelta(days=draw(st.integers(min_value=200, max_value=364)))
    cycle = draw(st.sampled_from([12, 24, 36]))
    t = terms(
        birth=birth.isoformat(),
        start=start.isoformat(),
        end=end.isoformat(),
        cycle=cycle,
        level=5 if family == "lu" else 3,
        disability=family == "disability",
        athlete=draw(st.booleans()),
        **kw,
    )
    if family == "lu":
        t["employer"].update({"siret": None, "idcc": None, "country": "LU"})
        formation = draw(st.sampled_from(["BTS Électrotechnique", "BAC Commerce"]))
        t["cross_border"] = {"country": "LU", "practical_part_abroad": True, "formation": formation}
        if formation.startswith("BAC"):
            t["end_date"] = (start + timedelta(days=364)).isoformat()
        elif years > 2:
            t["end_date"] = (start + timedelta(days=729)).isoformat()
    if family == "mayotte":
        t["employer"]["postcode"] = "97600"
    if family == "de":
        t["employer"].update({"siret": None, "idcc": None, "country": "DE"})
        t["cross_border"] = {"country": "DE", "practical_part_abroad": True, "formation": "Bac pro"}
    events: list[dict[str, Any]] = []
    if family in ("smc", "previous") and draw(st.booleans()):
        on = (start + timedelta(days=draw(st.integers(min_value=0, max_value=300)))).replace(day=1)
        events.append(
            {
                "type": "SmcChanged",
                "from": on.isoformat(),
                "monthly": draw(st.sampled_from(["1500.00", "2150.00", "2900.00"])),
            }
        )
    if family == "disability":
        events.append(
            {"type": "DisabilityRecognised", "on": (start + timedelta(days=draw(st.integers(0, 400)))).isoformat()}
        )
    if draw(st.booleans()):
        last = date.fromisoformat(t["end_date"])
        on = start + timedelta(days=draw(st.integers(min_value=0, max_value=(last - start).days)))
        events.append({"type": "Terminated", "on": on.isoformat(), "reason": "resignation"})
    try:
        facts = wage_facts(parse_terms(t), events)
        compute_schedule(facts, REF)
    except DomainError:
        reject()  # a combination the lifecycle rules refuse
    change = start + timedelta(days=draw(st.integers(min_value=-40, max_value=365 * years)))
    if draw(st.booleans()):
        change = change.replace(day=1)
    return facts, change


@settings(max_examples=300, deadline=None)
@given(case=contracts(), rise=st.integers(min_value=-5000, max_value=30000))
def test_the_plan_times_a_new_smic_is_the_engine(case: tuple[WageFacts, date], rise: int) -> None:
    facts, on = case
    plan = plan_for(facts, compute_schedule(facts, REF))
    ref = with_smic(on, Decimal(REF.smic.value_at(on.toordinal()) + rise) / 100)
    expected = compute_schedule(facts, ref).amounts()
    if plan is None:
        assert facts.terms.previous_contract is not None and facts.smc
        return
    assert evaluate(plan, ref) == expected


@settings(max_examples=150, deadline=None)
@given(case=contracts(), rise=st.integers(min_value=-5000, max_value=30000))
def test_the_plan_times_a_new_mayotte_smic_is_the_engine(case: tuple[WageFacts, date], rise: int) -> None:
    facts, on = case
    plan = plan_for(facts, compute_schedule(facts, REF))
    base = REF.smic_mayotte.value_at(on.toordinal()) or REF.smic_mayotte.values[0]
    ref = with_mayotte_smic(max(on, date(2024, 11, 2)), Decimal(base + rise) / 100)
    if plan is not None:
        assert evaluate(plan, ref) == compute_schedule(facts, ref).amounts()


@settings(max_examples=100, deadline=None)
@given(case=contracts(), cote=st.integers(min_value=90000, max_value=110000))
def test_the_plan_times_a_new_luxembourg_cote_is_the_engine(case: tuple[WageFacts, date], cote: int) -> None:
    facts, on = case
    plan = plan_for(facts, compute_schedule(facts, REF))
    ref = with_cote(on, Decimal(cote) / 100)
    if plan is not None:
        assert evaluate(plan, ref) == compute_schedule(facts, ref).amounts()


def test_many_plans_are_evaluated_at_once_as_each_alone() -> None:
    ts = [
        terms(birth="2008-03-15", start="2025-09-17", end="2027-09-16"),
        terms(birth="2001-01-10", start="2025-01-01", end="2026-12-31", sector="public", points=10),
    ]
    plans = []
    for t in ts:
        facts = wage_facts(parse_terms(t), [])
        p = plan_for(facts, compute_schedule(facts, REF))
        assert p is not None
        plans.append(p)
    ref = with_smic(date(2026, 3, 15), Decimal("1950.00"))
    together = evaluate_many(plans, ref)
    assert together == [list(evaluate(p, ref).values()) for p in plans]
    assert together[0] != list(evaluate(plans[0], REF).values())
