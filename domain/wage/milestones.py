"""The dates on which a contract's minimum moves by itself: age brackets (D6222-31) and contract years.

Shared by the wage engine (which cuts the contract at these dates) and the clock (which records them as
AgeBracketReached / ContractYearStarted events), so the rule exists once.
"""

from __future__ import annotations

from datetime import date
from typing import NamedTuple

from domain import law
from domain.dates import add_months, birthday, first_of_next_month
from domain.terms import ContractTerms, contract_months


class BracketSwitch(NamedTuple):
    on: date  # 1st of the month after the birthday
    bracket: int  # index into BRACKET_LABELS
    age: int


class YearStart(NamedTuple):
    on: date
    year: int


def starting_bracket(birth: date, start: date) -> int:
    """D6222-26 applied to the age on the start date (spec §1.4 rule 1)."""
    return sum(1 for age in law.BRACKET_AGES if birthday(birth, age) <= start)


def bracket_switches(birth: date, start: date) -> list[BracketSwitch]:
    """Every later bracket change, whether or not the contract still runs then."""
    out = []
    for i, age in enumerate(law.BRACKET_AGES):
        b = birthday(birth, age)
        if b > start:
            out.append(BracketSwitch(first_of_next_month(b), i + 1, age))
    return out


def credited_months(terms: ContractTerms) -> int:
    """D6222-28-1: a contract shorter than the cycle on a listed ground is credited with the difference."""
    if not terms.reduction_ground:
        return 0
    return max(0, terms.training.cycle_months - contract_months(terms))


def year_starts(start: date, credited: int, count: int = 5) -> list[YearStart]:
    """The dates the year of execution changes, counted from the start shifted by the credited months."""
    first_year = credited // 12 + 1
    return [YearStart(add_months(start, 12 * n - credited), n + 1) for n in range(first_year, first_year + count)]
