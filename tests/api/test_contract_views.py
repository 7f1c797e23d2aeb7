"""The interface layer's derived views: the wage timeline's changes and the CFA's to-do items."""

from __future__ import annotations

from datetime import date

from api.contract_views import timeline_changes, todo_items
from domain.terms import parse_terms
from domain.wage.engine import compute_schedule, schedule_json
from domain.wage.facts import wage_facts
from domain.wage.reference import WageReference
from tests.contract_builders import drafted, terms


def months(**kw: object) -> list[dict[str, object]]:
    return schedule_json(compute_schedule(wage_facts(parse_terms(terms(**kw))), WageReference.seed()))  # type: ignore[arg-type]


def test_the_timeline_marks_every_change_with_its_cause_and_article() -> None:
    changes = timeline_changes(months(birth="2008-03-15"))  # type: ignore[arg-type]
    assert [(c["month"], c["cause"], c["article"]) for c in changes] == [
        ("2025-09", "Drafted", "D6222-26"),
        ("2026-01", "SmicRevalued", "L3231-5 / L3242-1"),
        ("2026-04", "AgeBracketReached", "D6222-31"),
        ("2026-06", "SmicRevalued", "L3231-5 / L3242-1"),
        ("2026-09", "ContractYearStarted", "D6222-26"),
    ]


def test_a_last_month_paid_for_part_of_its_days_is_marked_as_the_end() -> None:
    changes = timeline_changes(months(birth="2006-02-01", start="2025-09-15", end="2027-09-14"))  # type: ignore[arg-type]
    assert changes[-1]["month"] == "2027-09" and changes[-1]["cause"] == "EndOfContract"


def test_a_month_after_a_mid_month_start_or_anniversary_is_explained_not_a_bare_new_rate() -> None:
    changes = timeline_changes(months(birth="2006-02-01", start="2025-09-15", end="2027-09-14"))  # type: ignore[arg-type]
    causes = {c["month"]: c["cause"] for c in changes}
    assert causes["2025-10"] == "FullMonthAtRate"  # September was paid from the 15th only
    assert causes["2026-09"] == "ContractYearStarted" and causes["2026-10"] == "FullMonthAtRate"
    assert "RateChanged" not in causes.values()


def test_a_signed_contract_not_filed_is_overdue_on_the_todo_list() -> None:
    c = drafted()
    c.sign(date(2025, 8, 25))
    items = todo_items(c, date(2025, 9, 20))
    filing = next(i for i in items if i["kind"] == "filing")
    assert (filing["date"], filing["overdue"], filing["rule"]) == ("2025-09-06", True, "D6224-1 / D6275-1")
    assert {i["kind"] for i in items} == {"filing", "probation"}  # the probation ends 2025-10-15: within 30 days
