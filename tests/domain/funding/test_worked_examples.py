"""funding-rules.md §6: every worked example (E1-E5, E1b), to the cent, through the pure engine."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from domain.funding.engine import CROSS_BORDER, DOMESTIC, EMPLOYER, NOT_FUNDED, Funding, compute_funding, funding_facts
from domain.funding.hiring_aid import hiring_aid
from domain.funding.reference import FundingTables, Npec
from domain.terms import parse_terms
from tests.contract_builders import terms

BTS = "32031309"  # the certification of the examples (illustrative)


def D(text: str) -> date:
    return date.fromisoformat(text)


def branch_npec(amount: int, certification: str = BTS, branch: str = "0843", since: str = "2024-01-01") -> Npec:
    return Npec(certification, branch, Decimal(amount), D(since), "illustrative", None)


def decree_npec(amount: int, decided_on: str | None = None, applies_from: str = "2025-09-01") -> Npec:
    return Npec(BTS, None, Decimal(amount), D(applies_from), "illustrative", D(decided_on) if decided_on else None)


def funding(t: dict[str, Any], events: list[dict[str, Any]], *npecs: Npec) -> Funding:
    return compute_funding(funding_facts(parse_terms(t), events), FundingTables.seed().with_npecs(*npecs))


def bts(
    level: int = 5, start: str = "2025-09-01", end: str = "2027-08-31", birth: str = "2005-01-10", **kw: Any
) -> dict[str, Any]:
    t = terms(birth=birth, start=start, end=end, **kw)
    t["training"].update(diploma_code=BTS, level=level, title="BTS")
    return t


def cross_border(country: str = "DE", ratio: float = 1, **kw: Any) -> dict[str, Any]:
    t = bts(start="2025-10-01", end="2027-09-30", **kw)
    t["cross_border"] = {"country": country, "practical_part_abroad": True, "formation": "BTS"}
    t["employer"].update(siret=None, idcc=None, country=country)
    t["working_time_ratio"] = ratio
    return t


SIGNED_AUGUST = [{"type": "Signed", "on": "2025-08-20"}]
SIGNED_SEPTEMBER = [{"type": "Signed", "on": "2025-09-25"}]


def lines(f: Funding) -> list[tuple[str, str, str]]:
    return [(p.due_on.isoformat(), p.kind, str(p.amount)) for p in f.payments]


def test_e1_domestic_bts_two_years_daily_prorata_schedule() -> None:
    f = funding(bts(), SIGNED_AUGUST, branch_npec(7000))
    assert (f.mode, f.level.source, f.level.annual(False)) == (DOMESTIC, "branch_npec", Decimal("7000.00"))
    assert lines(f)[:4] == [
        ("2025-10-01", "advance", "2800.00"),  # 40 % within 30 days of the invoice
        ("2026-03-01", "month 7", "2100.00"),
        ("2026-06-01", "month 10", "1400.00"),
        ("2026-10-01", "balance", "700.00"),  # with year 2's first advance
    ]
    assert lines(f)[-1] == ("2027-09-30", "balance", "700.00")  # after the end, on invoice + certificate
    assert f.due_total == Decimal("14000.00") and f.opco_total() == Decimal("14000.00")


def test_e1_rupture_on_15_january_recovers_the_overpaid_advance() -> None:
    events = [*SIGNED_AUGUST, {"type": "Terminated", "on": "2026-01-15", "reason": "resignation"}]
    f = funding(bts(), events, branch_npec(7000))
    assert f.due_total == Decimal("2627.40")  # 7 000 × 137 / 365
    assert lines(f) == [("2025-10-01", "advance", "2800.00"), ("2026-01-15", "rupture recovery", "-172.60")]


def test_e1_before_july_2025_every_started_month_is_due() -> None:
    t = bts(start="2024-09-01", end="2026-08-31")
    events = [{"type": "Signed", "on": "2024-08-20"}, {"type": "Terminated", "on": "2025-01-15", "reason": "x"}]
    f = funding(t, events, branch_npec(7000))
    assert f.schedule is not None and f.schedule.prorata == "started_month"
    assert f.due_total == Decimal("2916.67")  # 5 started months: 7 000 × 5 / 12


def test_e1b_level_6_employer_participation_deducted_from_the_first_payment() -> None:
    f = funding(bts(level=6), SIGNED_AUGUST, branch_npec(8000))
    employer = [p for p in f.payments if p.payer == EMPLOYER]
    assert [(p.amount, p.due_on) for p in employer] == [(Decimal(750), D("2025-10-15"))]  # after 45 days
    advance = next(p for p in f.payments if p.kind == "advance")
    assert advance.amount == Decimal("2450.00")  # 3 200 − 750


def test_e1b_rupture_during_probation_halves_the_participation() -> None:
    events = [*SIGNED_AUGUST, {"type": "Terminated", "on": "2025-09-30", "reason": "probation"}]
    f = funding(bts(level=6), events, branch_npec(8000))
    assert f.due_total == Decimal("657.53")  # 8 000 × 30 / 365
    assert f.employer_total() == Decimal("328.77") and f.opco_total() == Decimal("328.76")


def test_e2_cross_border_germany_decree_npec_less_ten_percent() -> None:
    f = funding(cross_border(), SIGNED_SEPTEMBER, decree_npec(8000))
    assert (f.mode, f.level.annual(False)) == (CROSS_BORDER, Decimal("7200.00"))
    assert [a for _, _, a in lines(f)[:4]] == ["2880.00", "2160.00", "1440.00", "720.00"]
    assert f.employer_total() == 0  # no employer participation abroad (reading E)


def test_e3_cross_border_disability_majoration_not_reduced_and_capped() -> None:
    t = cross_border(apprentice__disability_recognised=True)
    t["funding"] = {"disability_majoration": "3100.00"}
    assert funding(t, SIGNED_SEPTEMBER, decree_npec(8000)).level.annual(True) == Decimal("10300.00")
    t["funding"] = {"disability_majoration": "4600.00"}
    assert funding(t, SIGNED_SEPTEMBER, decree_npec(8000)).level.annual(True) == Decimal("11200.00")


def test_e4_cross_border_part_time_prorates_the_majoration_too() -> None:
    assert funding(cross_border(ratio=0.6), SIGNED_SEPTEMBER, decree_npec(6500)).level.annual(False) == Decimal(
        "3510.00"
    )
    t = cross_border(ratio=0.6, apprentice__disability_recognised=True)
    t["funding"] = {"disability_majoration": "2000.00"}
    assert funding(t, SIGNED_SEPTEMBER, decree_npec(6500)).level.annual(True) == Decimal("4710.00")


def test_e5_forfait_then_npec_fixed_higher_complements_the_month_10_instalment() -> None:
    f = funding(cross_border(), SIGNED_SEPTEMBER, decree_npec(7400, decided_on="2026-05-15"))
    assert f.regularised_on == D("2026-05-15") and f.level.source == "decree_npec"
    assert lines(f)[:5] == [
        ("2025-10-31", "advance", "2400.00"),  # forfait 6 000 (level 5), not reduced (reading A)
        ("2026-04-01", "month 7", "1800.00"),
        ("2026-07-01", "regularisation", "462.00"),  # 70 % × 6 660 − 4 200
        ("2026-07-01", "month 10", "1332.00"),  # 20 % × 6 660: 1 794.00 paid in July with the complement
        ("2026-10-31", "balance", "666.00"),
    ]


def test_e5_forfait_then_npec_fixed_lower_recovers_against_the_next_instalment() -> None:
    f = funding(cross_border(), SIGNED_SEPTEMBER, decree_npec(5200, decided_on="2026-05-15"))
    july = [p.amount for p in f.payments if p.due_on == D("2026-07-01")]
    assert july == [Decimal("-924.00"), Decimal("936.00")] and sum(july) == Decimal("12.00")
    assert lines(f)[4] == ("2026-10-31", "balance", "468.00")


def test_luxembourg_without_a_convention_is_not_funded_in_france() -> None:
    f = funding(cross_border(country="LU"), SIGNED_SEPTEMBER, decree_npec(8000))
    assert (f.mode, f.payments) == (NOT_FUNDED, ())
    assert "convention" in f.level.steps[0].what and f.level.steps[0].rule.startswith("L6235-2")


def test_a1_hiring_aid_2026_level_5_small_company() -> None:
    t = bts(start="2026-09-15", end="2028-09-14", employer__headcount=120)
    aid = hiring_aid(funding_facts(parse_terms(t), [{"type": "Signed", "on": "2026-03-15"}]))
    assert (aid.eligible, aid.annual) == (True, Decimal(4500))
    assert aid.months[0] == ("2026-09", Decimal("200.00"))  # 375.00 × 16/30
    assert aid.months[1] == ("2026-10", Decimal("375.00")) and len(aid.months) == 13
    assert aid.months[-1] == ("2027-09", Decimal("175.00"))  # 1-14 Sep 2027: 375 × 14/30


def test_a1_hiring_aid_concluded_in_the_suspension_window_is_nothing() -> None:
    t = bts(start="2026-09-15", end="2028-09-14", employer__headcount=120)
    aid = hiring_aid(funding_facts(parse_terms(t), [{"type": "Signed", "on": "2026-03-01"}]))
    assert (aid.eligible, aid.annual, aid.months) == (False, Decimal(0), ())


def test_hiring_aid_large_company_disabled_apprentice_and_employer_abroad() -> None:
    signed = [{"type": "Signed", "on": "2026-04-01"}]
    large = bts(start="2026-09-01", end="2028-08-31", employer__headcount=400)
    assert hiring_aid(funding_facts(parse_terms(large), signed)).annual == Decimal(1500)
    disabled = bts(
        start="2026-09-01", end="2028-08-31", employer__headcount=400, apprentice__disability_recognised=True
    )
    assert hiring_aid(funding_facts(parse_terms(disabled), signed)).annual == Decimal(6000)
    assert not hiring_aid(funding_facts(parse_terms(cross_border()), SIGNED_SEPTEMBER)).eligible
