"""Calendar arithmetic the rules rely on (month arithmetic, birthdays, French working days)."""

from __future__ import annotations

import calendar
from datetime import date, timedelta

_DAYS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def days_in_month(year: int, month: int) -> int:
    # A table rather than calendar.monthrange, which also computes a weekday: the wage engine asks this
    # hundreds of thousands of times per batch.
    if month == 2 and calendar.isleap(year):
        return 29
    return _DAYS[month - 1]


def add_months(d: date, months: int) -> date:
    """relativedelta semantics: a missing day-of-month becomes the last day of the target month."""
    year, month0 = divmod(d.year * 12 + d.month - 1 + months, 12)
    day = d.day
    if day > 28:
        day = min(day, days_in_month(year, month0 + 1))
    return date(year, month0 + 1, day)


def add_years(d: date, years: int) -> date:
    return add_months(d, 12 * years)


def first_of_next_month(d: date) -> date:
    return date(d.year + 1, 1, 1) if d.month == 12 else date(d.year, d.month + 1, 1)


def birthday(birth: date, age: int) -> date:
    """The day the person reaches `age`; 29 February falls on 28 February in common years (spec §1.4)."""
    return add_years(birth, age)


def age_on(birth: date, on: date) -> int:
    years = on.year - birth.year
    return years if birthday(birth, years) <= on else years - 1


def full_months_between(start: date, d: date) -> int:
    """Whole months m with start + m months <= d (each anniversary taken from `start`, not chained)."""
    m = (d.year - start.year) * 12 + (d.month - start.month)
    if m < 0:
        return -1 if d < start else 0
    while m > 0 and add_months(start, m) > d:
        m -= 1
    return m


def month_key(d: date) -> str:
    return f"{d.year:04d}-{d.month:02d}"


def _easter(year: int) -> date:
    # Anonymous Gregorian algorithm (Meeus/Jones/Butcher).
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    l_ = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * l_) // 451
    month, day = divmod(h + l_ - 7 * m + 114, 31)
    return date(year, month, day + 1)


def public_holidays(year: int) -> set[date]:
    """Jours fériés of L3133-1 (metropolitan France)."""
    easter = _easter(year)
    fixed = [(1, 1), (5, 1), (5, 8), (7, 14), (8, 15), (11, 1), (11, 11), (12, 25)]
    return {date(year, m, d) for m, d in fixed} | {
        easter + timedelta(days=1),  # lundi de Pâques
        easter + timedelta(days=39),  # Ascension
        easter + timedelta(days=50),  # lundi de Pentecôte
    }


def add_working_days(d: date, n: int) -> date:
    """The n-th jour ouvrable after d: every day but Sunday and public holidays."""
    current = d
    counted = 0
    while counted < n:
        current += timedelta(days=1)
        if current.weekday() != 6 and current not in public_holidays(current.year):
            counted += 1
    return current
