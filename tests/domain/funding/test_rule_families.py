"""Funding rules beyond the worked examples: extension, majoration, distance, participation, older schedules."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from domain.funding.engine import EMPLOYER
from domain.funding.reference import FundingTables, Npec
from tests.domain.funding.test_worked_examples import SIGNED_AUGUST, D, branch_npec, bts, funding, lines


def test_an_exam_failure_extension_funds_the_extra_period_at_the_same_level_per_day() -> None:
    extended = [*SIGNED_AUGUST, {"type": "ExamFailedExtended", "on": "2027-07-10", "new_end_date": "2028-02-29"}]
    f = funding(bts(training__exam_end_date="2027-06-30"), extended, branch_npec(7000))
    assert [y.year for y in f.years] == [1, 2, 3] and f.years[2].last == D("2028-02-29")
    # year 3: 1 Sep 2027 - 29 Feb 2028 = 182 days: 7 000 × 182 / 365
    assert f.due_total == Decimal("14000.00") + Decimal("3490.41")
    year3 = [p for p in f.payments if p.contract_year == 3]
    assert [p.kind for p in year3] == ["advance", "balance"]  # months 7 and 10 fall after the end: paid with it
    assert sum(p.amount for p in year3) == Decimal("3490.41")


def test_the_domestic_disability_majoration_is_capped_per_year_from_the_year_of_recognition() -> None:
    t = bts()
    t["funding"] = {"disability_majoration": "5200.00"}
    events = [*SIGNED_AUGUST, {"type": "DisabilityRecognised", "on": "2026-10-01"}]
    f = funding(t, events, branch_npec(7000))
    assert [f.level.annual(y.disabled) for y in f.years] == [Decimal("7000.00"), Decimal("11000.00")]
    assert f.level.steps[-1].rule.startswith("D6332-82")


def test_distance_training_takes_20_percent_off_but_not_below_the_floor() -> None:
    t = bts()
    t["funding"] = {"distance_learning": True}
    assert funding(t, SIGNED_AUGUST, branch_npec(7000)).level.annual(False) == Decimal("5600.00")
    assert funding(t, SIGNED_AUGUST, branch_npec(4500)).level.annual(False) == Decimal("4000.00")  # floor
    assert funding(t, SIGNED_AUGUST, branch_npec(3800)).level.annual(False) == Decimal("3800.00")  # never raised
    before = bts(start="2025-05-01", end="2027-04-30")
    before["funding"] = {"distance_learning": True}
    signed_may = [{"type": "Signed", "on": "2025-04-20"}]
    assert funding(before, signed_may, branch_npec(7000)).level.annual(False) == Decimal("7000.00")  # pre-July 2025


def test_a_new_employer_after_a_rupture_pays_200_not_750() -> None:
    t = bts(level=6)
    t["funding"] = {"new_employer_after_rupture": True}
    f = funding(t, SIGNED_AUGUST, branch_npec(8000))
    assert [p.amount for p in f.payments if p.payer == EMPLOYER] == [Decimal(200)]
    assert next(p for p in f.payments if p.kind == "advance").amount == Decimal("3000.00")


def test_a_2019_contract_follows_the_50_25_25_schedule_and_started_months() -> None:
    t = bts(start="2020-09-01", end="2022-08-31")
    f = funding(t, [{"type": "Signed", "on": "2020-08-20"}], branch_npec(7000, since="2019-01-01"))
    assert f.schedule is not None and f.schedule.article.startswith("R6332-25 (version of 12 Dec 2019)")
    assert lines(f)[:3] == [
        ("2020-10-01", "advance", "3500.00"),
        ("2021-03-01", "month 7", "1750.00"),
        ("2021-06-01", "month 10", "1750.00"),
    ]


def test_two_conclusion_dates_share_every_lookup_unless_an_entry_starts_after_the_first_and_by_the_second() -> None:
    tables = FundingTables.seed().with_npecs(
        Npec("32031309", None, Decimal(7400), date(2024, 3, 1), "décret", date(2024, 5, 15))
    )
    assert tables.same_lookups(date(2024, 3, 1), date(2024, 5, 14))
    assert tables.same_lookups(date(2024, 5, 14), date(2024, 3, 1))  # in either order
    assert not tables.same_lookups(date(2024, 2, 29), date(2024, 3, 1))  # the NPEC applies from the 1st
    assert not tables.same_lookups(date(2024, 5, 14), date(2024, 5, 15))  # and is known from its decision
    assert tables.same_lookups(date(2025, 9, 1), date(2030, 1, 1))  # nothing starts after the last entry
    assert not tables.same_lookups(date(2025, 6, 30), date(2025, 7, 1))  # the seeded schedule of 1 Jul 2025
