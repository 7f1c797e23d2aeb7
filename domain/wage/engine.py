"""The month-by-month legal minimum wage of an apprentice (spec §1-§5, reference algorithm §8).

Pure: no I/O. The contract is cut at every date where something the wage depends on changes (age
bracket, contract year, extension, SMIC, SMC, Luxembourg cote, disability, end); each piece gets a rate,
and each calendar month sums its pieces prorated by calendar days, rounded half-up to the cent once.

Amounts are exact integers: a rate is `pct_hundredths × base_cents` (cents × 10 000), so a month is
Σ rate × days / (10 000 × days_in_month), rounded half-up with integer arithmetic.
"""

from __future__ import annotations

import json
from bisect import bisect_right
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import lru_cache
from typing import NamedTuple

from domain import law
from domain.dates import add_months, birthday, days_in_month
from domain.errors import NotComputable
from domain.terms import contract_months, luxembourg_family
from domain.wage.facts import WageFacts
from domain.wage.milestones import bracket_switches, credited_months, starting_bracket, year_starts
from domain.wage.reference import DatedSeries, WageReference, to_cents

PCT = 100  # hundredths of a percentage point per point
new_tuple = tuple.__new__
FULL = 100 * PCT  # 100 %


@dataclass(frozen=True, slots=True)
class Rate:
    """What applies from one change date to the next."""

    rate: int  # full-month amount in cents × 10 000
    pct: int  # hundredths of a point, of `base`
    base: int  # cents
    base_kind: str  # SMIC, SMC, LU_ALLOWANCE, DE_MINIMUM
    bracket: int  # index into BRACKET_LABELS
    year: int  # year of execution (with the D6222-28-1 credit)
    rate_year: int  # grid row used for the rate
    rules: tuple[str, ...]


class Segment(NamedTuple):
    first: int  # ordinal of the first day
    last: int  # ordinal of the last day
    rate: Rate


class MonthWage(NamedTuple):
    year: int
    month: int
    amount: int  # cents, rounded half-up
    segments: tuple[Segment, ...]

    @property
    def key(self) -> str:
        return _month_key(self.year, self.month)


@dataclass(frozen=True, slots=True)
class Schedule:
    start: date
    end: date
    months: tuple[MonthWage, ...]
    bounds: tuple[int, ...]  # ordinal from which each rate applies
    rates: tuple[Rate, ...]

    def rate_on(self, d: date) -> Rate | None:
        """The rate in force on day d, None outside the contract."""
        o = d.toordinal()
        if o < self.bounds[0] or d > self.end:
            return None
        return self.rates[bisect_right(self.bounds, o) - 1]

    def amounts(self) -> dict[str, int]:
        return {m.key: m.amount for m in self.months}

    def amount_for(self, key: str) -> int | None:
        for m in self.months:
            if m.key == key:
                return m.amount
        return None


@lru_cache(maxsize=4096)
def _month_table(y: int, m: int) -> tuple[int, int]:
    """(ordinal of the 1st, days in the month)."""
    return date(y, m, 1).toordinal(), days_in_month(y, m)


def _round_month(numerator: int, dim: int) -> int:
    den = FULL * dim
    return (2 * numerator + den) // (2 * den)


class _Plan:
    """Everything about one contract that does not change from day to day."""

    def __init__(self, facts: WageFacts, ref: WageReference) -> None:
        t = facts.terms
        self.facts = facts
        self.ref = ref
        self.territory = t.employer.territory
        self.smic = ref.smic_for(self.territory)
        self.start = t.start_date.toordinal()
        self.end = facts.effective_end.toordinal()
        birth = t.apprentice.birth_date
        self.bracket0 = starting_bracket(birth, t.start_date)
        self.switches = [s.on.toordinal() for s in bracket_switches(birth, t.start_date)]
        self.under16_until = birthday(birth, 16).toordinal()

        planned_months = contract_months(t)
        cycle = t.training.cycle_months
        self.credited = credited_months(t)
        self.year0 = self.credited // 12 + 1
        self.year_starts = [y.on.toordinal() for y in year_starts(t.start_date, self.credited)]

        # Extensions: beyond the normal cycle by the terms (R6222-47 / D6222-28-2 / R6222-60), or after an
        # exam failure (D6222-28). The rate year is frozen at the last year before, except for athletes
        # whose 4th year simply takes the 3rd year's rate.
        a = t.apprentice
        self.cycle_end_ext = (
            add_months(t.start_date, cycle).toordinal() if planned_months > cycle and not self.credited else None
        )
        self.athlete_only = a.high_level_athlete and facts.disability_from is None
        freeze_candidates = []
        if self.cycle_end_ext is not None and not self.athlete_only:
            freeze_candidates.append(self.cycle_end_ext)
        self.exam_ext = facts.exam_extension_start.toordinal() if facts.exam_extension_start is not None else None
        if self.exam_ext is not None:
            freeze_candidates.append(self.exam_ext)
        self.freeze_from = min(freeze_candidates) if freeze_candidates else None
        self.frozen_rate_year = self._rate_year(self.freeze_from - 1) if self.freeze_from is not None else 0
        ext_starts = [x for x in (self.cycle_end_ext, self.exam_ext) if x is not None]
        self.ext_start = min(ext_starts) if ext_starts else None
        # R6222-48 (+ R6222-49 when recognised during the contract): +15 points in the extension year; a
        # 4th year that is not an extension is treated as year 3 + 15 points (spec §3).
        self.disability_from = facts.disability_from.toordinal() if facts.disability_from else None
        self.year4 = self.year_starts[3 - self.year0] if self.year0 <= 3 else self.start

        self.smc = DatedSeries.build((e.from_date, to_cents(e.monthly), "SMC") for e in facts.smc)
        prev = t.previous_contract
        self.prev = prev
        self.d6222_29 = prev is not None and prev.route == "apprenticeship" and prev.diploma_obtained
        self.d6222_30 = (
            prev is not None
            and prev.diploma_obtained
            and prev.related
            and prev.level == t.training.level
            and planned_months <= law.SUCCESSIVE_SAME_LEVEL_MAX_MONTHS.value
            and add_months(t.start_date, law.SUCCESSIVE_SAME_LEVEL_MAX_MONTHS.value) > t.end_date
        )
        self.public_points = t.employer.public_majoration_points * PCT if t.employer.sector == "public" else 0
        self.contractual = int(t.contractual_pct * PCT) if t.contractual_pct is not None else None
        cb = t.cross_border
        self.abroad = cb.country if cb is not None and cb.practical_part_abroad else None
        self.lu_family = luxembourg_family(cb.formation) if self.abroad == "LU" and cb else None

    # -- pieces of the rate -------------------------------------------------------------------------
    def _year(self, d: int) -> int:
        y = self.year0
        for s in self.year_starts:
            if s <= d:
                y += 1
            else:
                break
        return y

    def _rate_year(self, d: int) -> int:
        ry = min(self._year(d), law.LAST_GRID_YEAR)
        if self.facts.terms.training.licence_pro and ry < law.LICENCE_PRO_MIN_YEAR.value:
            ry = law.LICENCE_PRO_MIN_YEAR.value
        return ry

    def _bracket(self, d: int) -> int:
        b = self.bracket0
        for s in self.switches:
            if s <= d:
                b += 1
        return b

    def change_points(self) -> list[int]:
        pts = set(self.switches) | set(self.year_starts)
        for x in (self.freeze_from, self.ext_start, self.disability_from, self.year4, self.under16_until):
            if x is not None:
                pts.add(x)
        pts.update(self.smic.changes_within(self.start, self.end))
        pts.update(self.smc.changes_within(self.start, self.end))
        if self.abroad == "LU":
            pts.update(self.ref.lu_cotes.changes_within(self.start, self.end))
        return sorted(p for p in pts if self.start < p <= self.end)

    def rate_at(self, d: int) -> Rate:
        """The rate in force on day d, as the law builds it, step by step (each step names its article)."""
        b = self._bracket(d)
        year = self._year(d)
        ry, rules = self._grid_row(d, year)
        rules += self._circumstances(d, b)
        if self.abroad == "LU":
            return self._luxembourg(d, b, year, rules)
        if self.abroad == "DE":
            return self._germany(b, year, rules)
        smic = self._smic_on(d)
        base, kind = self._base(d, b, smic)
        rules.insert(0, law.GRID_ARTICLE)
        pct, floor = self._previous_contract_floor(b, law.GRID[b][ry - 1] * PCT, rules)
        rate = self._successive_same_level(pct * base, floor, base, smic, rules)
        rate += self._extra_points(d, rules) * base
        rate = self._contractual(rate, base, rules)
        if rate % base:
            base, kind = smic, "SMIC"  # only the capped D6222-30 amount is not a whole pct of the SMC
        return Rate(
            rate, rate // base if rate % base == 0 else round(rate / base), base, kind, b, year, ry, tuple(rules)
        )

    def _grid_row(self, d: int, year: int) -> tuple[int, list[str]]:
        """The grid's year that sets the rate (D6222-26), and why it is not the year of execution: frozen in
        an extension (D6222-28, R6222-47 / R6222-60), raised for a licence professionnelle, a 4th year."""
        if self.freeze_from is not None and d >= self.freeze_from:
            after_exam = (
                self.exam_ext is not None
                and d >= self.exam_ext
                and (self.cycle_end_ext is None or self.exam_ext <= self.cycle_end_ext)
            )
            return self.frozen_rate_year, [law.EXAM_FAILURE_ARTICLE if after_exam else law.CONVENTION_EXTENSION_ARTICLE]
        ry = self._rate_year(d)
        rules = []
        if self.facts.terms.training.licence_pro and ry > min(year, law.LAST_GRID_YEAR):
            rules.append(law.LICENCE_PRO_MIN_YEAR.article)
        if year > law.LAST_GRID_YEAR and self.athlete_only:
            rules.append(law.ATHLETE_ARTICLE)
        return ry, rules

    def _circumstances(self, d: int, b: int) -> list[str]:
        """What the rate also follows that day: a reduced duration (D6222-28-1), a bracket reached during the
        contract (D6222-31), an apprentice under 16 (D6222-27)."""
        rules = []
        if self.credited:
            rules.append(law.REDUCED_DURATION_ARTICLE)
        if b > self.bracket0:
            rules.append(law.BRACKET_CHANGE_ARTICLE)
        if d < self.under16_until:
            rules.append(law.UNDER_16_ARTICLE)
        return rules

    def _smic_on(self, d: int) -> int:
        """The monthly SMIC of the employer's territory that day (L3231-5); none known is refused."""
        smic = self.smic.value_at(d)
        if smic == 0:
            if self.territory == law.MAYOTTE:
                raise NotComputable(
                    f"no SMIC of Mayotte is known on {date.fromordinal(d)} (employer.postcode 976xx)",
                    field="start_date",
                    rule=law.MAYOTTE_SMIC_ARTICLE,
                )
            raise NotComputable(f"no SMIC is known on {date.fromordinal(d)}", field="start_date", rule=law.SMIC_ARTICLE)
        return smic

    def _base(self, d: int, b: int, smic: int) -> tuple[int, str]:
        """From 21, the higher of the SMIC and the conventional minimum (D6222-26 3° and 4°)."""
        smc = self.smc.value_at(d) if b >= law.SMC_FROM_BRACKET else 0
        return (smc, "SMC") if smc > smic else (smic, "SMIC")

    def _previous_contract_floor(self, b: int, pct: int, rules: list[str]) -> tuple[int, int]:
        """A successive contract keeps at least the rate of the previous contract's last year (D6222-29); the
        floor is also what D6222-30's majoration adds to. Returns (pct, floor)."""
        prev = self.prev
        if prev is None:
            return pct, 0
        floor = law.GRID[b][min(prev.last_year, law.LAST_GRID_YEAR) - 1] * PCT
        if self.d6222_29 and prev.same_employer and prev.last_year_pct_paid is not None:
            floor = max(floor, int(prev.last_year_pct_paid * PCT))
        if self.d6222_29 and floor > pct:
            rules.append(law.PREVIOUS_CONTRACT_ARTICLE)
            return floor, floor
        return pct, floor

    def _successive_same_level(self, rate: int, floor: int, base: int, smic: int, rules: list[str]) -> int:
        """A short successive contract at the same level: the floor plus 15 points, capped (D6222-30)."""
        if not self.d6222_30:
            return rate
        majorated = floor + law.SUCCESSIVE_SAME_LEVEL_POINTS.value * PCT
        capped = min(majorated * base, law.MAJORATION_CAP_PCT.value * PCT * smic)
        if capped <= rate:
            return rate
        rules.append(law.SUCCESSIVE_SAME_LEVEL_POINTS.article)
        if capped < majorated * base:
            rules.append(law.MAJORATION_CAP_PCT.article)
        return capped

    def _extra_points(self, d: int, rules: list[str]) -> int:
        """Points added to the rate: a disabled apprentice's extension or 4th year (R6222-48 / R6222-49), a
        public employer's majoration (D6272-2)."""
        extra = 0
        if (
            self.disability_from is not None
            and d >= self.disability_from
            and ((self.ext_start is not None and d >= self.ext_start) or d >= self.year4)
        ):
            extra += law.DISABILITY_EXTENSION_POINTS.value * PCT
            rules.append(law.DISABILITY_EXTENSION_POINTS.article)
        if self.public_points:
            extra += self.public_points
            rules.append(law.PUBLIC_MAJORATION_ARTICLE)
        return extra

    def _contractual(self, rate: int, base: int, rules: list[str]) -> int:
        """A higher rate written in the contract is what is owed: the legal one is a floor (L6222-27)."""
        if self.contractual is not None and self.contractual * base > rate:
            rules.append(law.CONTRACTUAL_RATE_ARTICLE)
            return self.contractual * base
        return rate

    def _luxembourg(self, d: int, b: int, year: int, rules: list[str]) -> Rate:
        family = self.lu_family or ""
        base100 = law.LU_BASES_AT_100.get((family, year))
        if base100 is None:
            raise NotComputable(
                f"no Luxembourg allowance is known for {family} year {year}",
                field="cross_border.formation",
                rule=law.LU_ARTICLE,
            )
        cote = self.ref.lu_cotes.value_at(d)
        if cote == 0:
            raise NotComputable(
                f"no Luxembourg index is known on {date.fromordinal(d)}", field="start_date", rule=law.LU_ARTICLE
            )
        rate = to_cents(base100) * cote  # cents × cote-hundredths = cents × 10 000 at cote/100
        shown = _round_month(rate, 1)
        return Rate(rate, FULL, shown, "LU_ALLOWANCE", b, year, year, (law.LU_ARTICLE, *rules))

    def _germany(self, b: int, year: int, rules: list[str]) -> Rate:
        start_year = self.facts.terms.start_date.year
        known = max(y for y in law.DE_MINIMUM_BY_START_YEAR if y <= start_year)
        row = law.DE_MINIMUM_BY_START_YEAR[known]
        minimum = to_cents(row[min(year, len(row)) - 1])
        return Rate(minimum * FULL, FULL, minimum, "DE_MINIMUM", b, year, year, (law.DE_ARTICLE, *rules))


def compute_schedule(facts: WageFacts, ref: WageReference) -> Schedule:
    plan = _Plan(facts, ref)
    start, end = plan.start, plan.end
    bounds = [start, *plan.change_points()]
    rates = [plan.rate_at(p) for p in bounds]
    full = [(2 * r.rate + FULL) // (2 * FULL) for r in rates]
    bounds.append(end + 1)

    months: list[MonthWage] = []
    d0 = date.fromordinal(start)
    y, m = d0.year, d0.month
    first, dim = _month_table(y, m)
    i = 0
    while first <= end:
        last = first + dim - 1
        lo = first if first > start else start
        hi = last if last < end else end
        while bounds[i + 1] <= lo:
            i += 1
        if bounds[i + 1] > hi:  # one rate for the whole month (the common case)
            r = rates[i]
            days = hi - lo + 1
            amount = full[i] if days == dim else _round_month(r.rate * days, dim)
            # tuple.__new__ directly: a NamedTuple's own constructor is a Python-level call, per month
            months.append(new_tuple(MonthWage, (y, m, amount, (new_tuple(Segment, (lo, hi, r)),))))
            y, m = (y + 1, 1) if m == 12 else (y, m + 1)
            first, dim = _month_table(y, m)
            continue
        segments: list[Segment] = []
        numerator = 0
        j = i
        while j < len(rates) and bounds[j] <= hi:
            s_first = max(lo, bounds[j])
            s_last = min(hi, bounds[j + 1] - 1)
            r = rates[j]
            numerator += r.rate * (s_last - s_first + 1)
            if segments and segments[-1].rate == r:
                segments[-1] = Segment(segments[-1].first, s_last, r)
            else:
                segments.append(Segment(s_first, s_last, r))
            j += 1
        months.append(MonthWage(y, m, _round_month(numerator, dim), tuple(segments)))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
        first, dim = _month_table(y, m)
    return Schedule(facts.terms.start_date, facts.effective_end, tuple(months), tuple(bounds[:-1]), tuple(rates))


def full_month(rate: Rate) -> int:
    """The amount of a whole month at this rate, in cents."""
    return _round_month(rate.rate, 1)


def money(cents: int) -> str:
    return _money(cents)


@lru_cache(maxsize=65536)  # a few thousand amounts recur over every contract's months
def _money(cents: int) -> str:
    sign = "-" if cents < 0 else ""
    cents = abs(cents)
    return f"{sign}{cents // 100}.{cents % 100:02d}"


@lru_cache(maxsize=4096)
def _month_key(year: int, month: int) -> str:
    return f"{year:04d}-{month:02d}"


def pct_number(hundredths: int) -> int | float:
    return hundredths // PCT if hundredths % PCT == 0 else hundredths / PCT


def _rate_fields(r: Rate) -> dict[str, object]:
    """What a month's segment says of its rate, besides its days and rules."""
    return {
        "pct": pct_number(r.pct),
        "base": money(r.base),
        "base_kind": r.base_kind,
        "bracket": law.BRACKET_LABELS[r.bracket],
        "year": r.year,
        "rate_year": r.rate_year,
    }


def schedule_json(schedule: Schedule) -> list[dict[str, object]]:
    """The `months` array of interfaces §2."""
    out: list[dict[str, object]] = []
    described: dict[int, dict[str, object]] = {}  # a contract has a few rates over tens of months
    for mw in schedule.months:
        segs: list[dict[str, object]] = []
        for s in mw.segments:
            r = s.rate
            fields = described.get(id(r))
            if fields is None:
                fields = described[id(r)] = _rate_fields(r)
            segs.append({"from": _iso_day(s.first), "to": _iso_day(s.last), **fields, "rules": list(r.rules)})
        out.append({"month": mw.key, "amount": money(mw.amount), "segments": segs})
    return out


def schedule_json_text(schedule: Schedule) -> str:
    """`json.dumps(schedule_json(schedule))`, written directly (a test holds them equal): the wage view stores
    it for every contract, and building those dicts only to serialise them was a fifth of a rebuild's time.
    Months, amounts and days are ASCII digits and dashes, safe as they are. A whole month at one rate reads
    the same in every contract that has it: its text is kept."""
    tails: dict[int, str] = {}  # a contract has a few rates over tens of months
    months: list[str] = []
    for mw in schedule.months:
        segments = mw.segments
        if len(segments) == 1:
            s = segments[0]
            r = s.rate
            tail = tails.get(id(r)) or tails.setdefault(id(r), _rate_tail(r))
            months.append(_one_rate_month(mw.key, mw.amount, s.first, s.last, tail))
            continue
        segs: list[str] = []
        for s in segments:
            r = s.rate
            tail = tails.get(id(r)) or tails.setdefault(id(r), _rate_tail(r))
            segs.append(f'{{"from": "{_iso_day(s.first)}", "to": "{_iso_day(s.last)}"{tail}')
        months.append(f'{{"month": "{mw.key}", "amount": "{money(mw.amount)}", "segments": [{", ".join(segs)}]}}')
    return f"[{', '.join(months)}]"


@lru_cache(maxsize=4096)
def _rate_tail(r: Rate) -> str:
    """What follows a segment's days: its rate's fields and rules, and the closing brace."""
    return f', {json.dumps(_rate_fields(r))[1:-1]}, "rules": {json.dumps(list(r.rules))}}}'


@lru_cache(maxsize=65536)
def _one_rate_month(key: str, amount: int, first: int, last: int, tail: str) -> str:
    days = f'"from": "{_iso_day(first)}", "to": "{_iso_day(last)}"'
    return f'{{"month": "{key}", "amount": "{money(amount)}", "segments": [{{{days}{tail}]}}'


@lru_cache(maxsize=8192)
def _iso_day(ordinal: int) -> str:
    return date.fromordinal(ordinal).isoformat()


def decimal_amount(cents: int) -> Decimal:
    return Decimal(cents).scaleb(-2)
