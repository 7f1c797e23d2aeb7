"""The French employer hiring aid (funding-rules §5): first contract year only, paid monthly by the ASP.

The amount depends on the conclusion date, the company's size and the certification level (and the
apprentice's disability); it is not available to an employer abroad (L6235-4 II 2°). Each month of the
first contract year gets annual / 12; for contracts concluded from 1 Nov 2025 the first and last months are
prorated to the calendar days worked (décret 2025-1031), and a rupture before the first anniversary stops
the aid with the month it happens in.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from domain import law
from domain.dates import add_years, days_in_month, month_key
from domain.funding.engine import FundingFacts, money


@dataclass(frozen=True)
class HiringAid:
    eligible: bool
    annual: Decimal
    why: str
    rule: str
    months: tuple[tuple[str, Decimal], ...]  # (YYYY-MM, amount)


def _none(why: str, rule: str = law.HIRING_AID_ARTICLE) -> HiringAid:
    return HiringAid(False, Decimal(0), why, rule, ())


def hiring_aid(facts: FundingFacts, versions: tuple[law.HiringAidVersion, ...] = law.HIRING_AID_SEED) -> HiringAid:
    t = facts.terms
    if t.employer.country != "FR" or (t.cross_border is not None and t.cross_border.practical_part_abroad):
        return _none("the employer is abroad: the French hiring aid does not apply", law.HIRING_AID_ABROAD_ARTICLE)
    concluded = facts.concluded_on
    version = next(
        (
            v
            for v in versions
            if v.concluded_from <= concluded and (v.concluded_until is None or concluded <= v.concluded_until)
        ),
        None,
    )
    if version is None:
        return _none(f"no hiring aid is known for a contract concluded on {concluded}")
    if version.starting_before is not None and t.start_date >= version.starting_before:
        return _none(f"the aid of {version.source} needs a start before {version.starting_before}", version.source)
    large = t.employer.headcount is not None and t.employer.headcount >= law.HIRING_AID_LARGE_HEADCOUNT.value
    column = version.large_by_level if large else version.small_by_level
    amount = column.get(t.training.level)
    disabled = t.apprentice.disability_recognised or facts.wage.disability_from is not None
    if disabled and (amount is not None or version.disabled_whatever_size_or_level):
        amount = version.disabled
    size = "≥ 250 employees" if large else "< 250 employees"
    if amount is None:
        return _none(f"no aid for level {t.training.level}, {size}, concluded on {concluded} ({version.source})")
    first_year_end = add_years(t.start_date, 1) - timedelta(days=1)
    last = min(first_year_end, facts.wage.effective_end)
    return HiringAid(
        True,
        amount,
        f"level {t.training.level}, {size}{', disabled apprentice' if disabled else ''}, concluded on {concluded}",
        version.source,
        tuple(_monthly(amount, t.start_date, last, version.daily_prorata)),
    )


def _monthly(annual: Decimal, first: date, last: date, daily: bool) -> list[tuple[str, Decimal]]:
    monthly = annual / 12
    out = []
    day = first
    while day <= last:
        month_days = days_in_month(day.year, day.month)
        month_end = date(day.year, day.month, month_days)
        covered = (min(month_end, last) - day).days + 1
        share = monthly * covered / month_days if daily and covered < month_days else monthly
        out.append((month_key(day), money(share)))
        day = month_end + timedelta(days=1)
    return out
