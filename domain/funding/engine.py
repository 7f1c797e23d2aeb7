"""What the OPCO pays the CFA for one contract: the annual level, the dated payments, every adjustment.

Pure: terms + lifecycle events + the funding reference tables in, a `Funding` out (funding-rules.md §2-§3,
worked examples §6). Money is Decimal, rounded half-up to the cent once per payment line; the last line of
a contract year takes the remainder, so the lines always add up to the year's amount.

Readings the spec leaves open are named in `FundingReadings` (§3.4 A-F) with the spec's defaults, and a
few more are stated where they are taken:
- a whole contract year is funded at the annual amount (366-day years included); a partial year at
  annual × days / 365 (contracts concluded from 1 Jul 2025) or annual × started months / 12 (before);
- the advance is due 30 days after the year starts (the CFA invoices at the start); "month 7" and
  "month 10" fall on the first day of the 7th and 10th month of the contract year; an instalment whose
  date falls after a short year's end is paid with the year's last line;
- the 10 % balance of a year is paid with the next year's advance; the last one 30 days after the end
  (invoice + certificate; it lapses if not claimed within 4 months, R6332-25);
- on a rupture, what had fallen due by the rupture date counts as paid; the rest is replaced by one
  settlement line (a complement, or a recovery when negative) on the rupture date;
- a contract extended after an exam failure is funded for the extra period at the same annual level;
- an NPEC fixed after the conclusion (`NpecFixed`) regularises every line due so far on the first payment
  after the decision, and the later lines follow the new level.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, NamedTuple

from domain import law
from domain.dates import add_months, add_years
from domain.errors import InvalidEvent, InvalidTerms
from domain.funding.reference import FundingTables, Npec
from domain.terms import ContractTerms, parse_date
from domain.wage.facts import WAGE_FACT_EVENTS, WageFacts, wage_facts

CENT = Decimal("0.01")
HUNDRED = Decimal(100)
DOMESTIC, CROSS_BORDER, NOT_FUNDED = "domestic", "cross_border", "not_funded_in_france"
OPCO, EMPLOYER = "OPCO", "employer"
INVOICE_DELAY = timedelta(days=law.INVOICE_PAYMENT_DAYS.value)
ONE_DAY = timedelta(days=1)


def money(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class FundingReadings:
    """The open readings of funding-rules §3.4, as named settings (defaults: the spec's)."""

    forfait_reduced_cross_border: bool = False  # A: the transitional forfait is not cut by 10 %
    cross_border_decree_npec_only: bool = True  # B: without a decree NPEC, the forfait (not a branch NPEC)
    majoration_on_forfait: bool = True  # C: the disability majoration applies during the forfait period too
    cross_border_distance_and_participation: bool = False  # E: neither applies to a cross-border contract
    conventions_in_force: frozenset[str] = frozenset({"DE"})  # L6235-2 conventions found (FR-DE, Lauterbourg)


DEFAULT_READINGS = FundingReadings()


# -- facts ---------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class FundingFacts:
    wage: WageFacts  # terms (after corrections), planned end (after extension), disability, termination
    # The signature; the start date until the contract is signed. Read only through the tables' lookups (and
    # printed): the funding projection relies on it to reuse a draft's funding at its signature (same_lookups).
    concluded_on: date
    conclusion_known: bool
    probation_ended_on: date | None

    @property
    def terms(self) -> ContractTerms:
        return self.wage.terms


def funding_facts(terms: ContractTerms, events: Iterable[Any] = ()) -> FundingFacts:
    """The facts funding depends on; the events are validated by the same rules as for the wage."""
    events = list(events)
    wage = wage_facts(terms, events)
    signed: date | None = None
    probation: date | None = None
    for i, e in enumerate(events):
        kind = e.get("type") if isinstance(e, dict) else None
        if kind in ("Signed", "ProbationEnded"):
            try:
                on = parse_date(e.get("on"), f"events[{i}].on")
            except InvalidTerms as err:
                raise InvalidEvent(err.detail, field=err.field) from None
            if kind == "Signed":
                signed = on
            else:
                probation = on
    return FundingFacts(wage, signed or wage.terms.start_date, signed is not None, probation)


# -- results ---------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Step:
    """One step of the annual level: what it is, the amount after it, the rule, the inputs it used."""

    what: str
    amount: Decimal
    rule: str
    inputs: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Level:
    mode: str
    source: str | None  # "branch_npec", "decree_npec", "forfait" (None when not funded)
    base: Decimal  # after minorations, before the disability majoration
    majoration: Decimal  # per contract year, once the disability is recognised
    ratio: Decimal  # working-time quota (cross-border part time)
    steps: tuple[Step, ...]

    def annual(self, disabled: bool) -> Decimal:
        return money((self.base + (self.majoration if disabled else Decimal(0))) * self.ratio)


@dataclass(frozen=True)
class ContractYear:
    year: int
    first: date
    last: date  # the year's last day, or the contract's end
    full: bool
    disabled: bool  # the disability is recognised by the end of this year (majoration due)


class Payment(NamedTuple):
    """A dated line (a tuple: a contract has a dozen, and a frozen dataclass's constructor was a sixth of the
    engine's time in a rebuild)."""

    due_on: date
    contract_year: int
    kind: str
    payer: str
    amount: Decimal  # negative: a recovery
    rule: str
    note: str = ""


@dataclass(frozen=True)
class Funding:
    mode: str
    concluded_on: date
    conclusion_known: bool
    level: Level
    schedule: law.PaymentScheduleVersion | None
    years: tuple[ContractYear, ...]
    payments: tuple[Payment, ...]
    due_total: Decimal  # what the whole contract is worth (to the rupture day if broken)
    regularised_on: date | None = None

    def opco_total(self) -> Decimal:
        return sum((p.amount for p in self.payments if p.payer == OPCO), Decimal(0))

    def employer_total(self) -> Decimal:
        return sum((p.amount for p in self.payments if p.payer == EMPLOYER), Decimal(0))


# -- the annual level ------------------------------------------------------------------------------------------
def annual_level(
    facts: FundingFacts,
    tables: FundingTables,
    readings: FundingReadings = DEFAULT_READINGS,
    known_on: date | None = None,
) -> Level:
    """The level in force for the contract's conclusion date, as known on `known_on` (None: all recorded)."""
    t = facts.terms
    concluded = facts.concluded_on
    cb = t.cross_border
    if cb is not None and not cb.practical_part_abroad:
        return _not_funded(
            "the theoretical part is abroad: no French NPEC; funding follows the bordering country's rules",
            law.THEORY_ABROAD_ARTICLE,
            {"country": cb.country},
        )
    if cb is not None:
        return _cross_border_level(facts, tables, readings, known_on)
    certification, branch = t.training.diploma_code, t.employer.idcc
    npec = tables.npec(certification, branch, concluded, known_on)
    steps: list[Step] = []
    if npec is not None:
        base, source = npec.amount, "branch_npec"
        steps.append(Step(f"NPEC of {certification} in branch {branch}", base, law.NPEC_ARTICLE, _npec_inputs(npec)))
    elif (npec := tables.npec(certification, None, concluded, known_on)) is not None:
        base, source = npec.amount, "decree_npec"
        steps.append(
            Step(f"NPEC of {certification} fixed by decree", base, law.DECREE_NPEC_ARTICLE, _npec_inputs(npec))
        )
    else:
        found = _forfait(t.training.level, concluded, tables)
        if found is None:
            return _not_funded("no NPEC and no amorçage forfait for this level", law.AMORCAGE_ARTICLE, {})
        base, source, step = found
        steps.append(step)
    distance = tables.parameter("distance_minoration_pct", concluded)
    if t.funding.distance_learning and distance is not None:
        floor = tables.parameter("distance_floor", concluded)
        reduced = money(base * (HUNDRED - distance.value) / HUNDRED)
        if floor is not None:
            reduced = min(base, max(reduced, floor.value))
        base = reduced
        steps.append(
            Step(
                f"training at least 80 % at a distance: -{distance.value} %"
                + (f", floor {floor.value}" if floor else ""),
                base,
                distance.article,
                {"minoration_pct": distance.value},
            )
        )
    majoration, majoration_step = _majoration(facts, tables, "disability_majoration_cap", concluded)
    if majoration_step:
        steps.append(majoration_step)
    return Level(DOMESTIC, source, base, majoration, Decimal(1), tuple(steps))


def _cross_border_level(
    facts: FundingFacts, tables: FundingTables, readings: FundingReadings, known_on: date | None
) -> Level:
    t = facts.terms
    cb = t.cross_border
    assert cb is not None
    concluded = facts.concluded_on
    minoration = tables.parameter("cross_border_minoration_pct", concluded)
    if cb.country not in readings.conventions_in_force:
        return _not_funded(
            f"no France-{cb.country} convention under L6235-2: the arrêté of 9 Sep 2025 does not apply; "
            "the French CFA is not funded by an OPCO",
            law.CONVENTION_ARTICLE,
            {"country": cb.country},
        )
    if minoration is None:
        return _not_funded(
            "cross-border funding applies to contracts concluded from 1 Sep 2025",
            law.CROSS_BORDER_ARTICLE,
            {"concluded_on": concluded.isoformat()},
        )
    cut = (HUNDRED - minoration.value) / HUNDRED
    steps: list[Step] = []
    npec = tables.npec(t.training.diploma_code, None, concluded, known_on)
    if npec is None and not readings.cross_border_decree_npec_only:
        npec = tables.npec(t.training.diploma_code, t.employer.idcc, concluded, known_on)
    if npec is not None:
        base, source = money(npec.amount * cut), "decree_npec"
        steps.append(
            Step(
                f"decree NPEC of {npec.certification} less {minoration.value} %",
                base,
                minoration.article,
                {**_npec_inputs(npec), "minoration_pct": minoration.value},
            )
        )
    else:
        found = _forfait(t.training.level, concluded, tables)
        if found is None:
            return _not_funded("no NPEC and no amorçage forfait for this level", law.AMORCAGE_ARTICLE, {})
        base, source, step = found
        steps.append(step)
        if readings.forfait_reduced_cross_border:
            base = money(base * cut)
            steps.append(Step(f"forfait less {minoration.value} % (reading A)", base, minoration.article))
    majoration = Decimal(0)
    if source != "forfait" or readings.majoration_on_forfait:
        majoration, majoration_step = _majoration(facts, tables, "cross_border_majoration_cap", concluded)
        if majoration_step:
            steps.append(majoration_step)
    ratio = t.working_time_ratio
    if ratio != 1:
        steps.append(
            Step(
                f"part time: × {ratio} (the majoration too)",
                money((base + majoration) * ratio),
                law.PART_TIME_ARTICLE,
                {"working_time_ratio": ratio},
            )
        )
    return Level(CROSS_BORDER, source, base, majoration, ratio, tuple(steps))


def _npec_inputs(npec: Npec) -> dict[str, Any]:
    return {
        "certification": npec.certification,
        "branch": npec.branch,
        "amount": npec.amount,
        "applies_from": npec.applies_from,
        "source": npec.source,
    }


def _forfait(level: int, concluded: date, tables: FundingTables) -> tuple[Decimal, str, Step] | None:
    found = tables.forfait(level, concluded)
    if found is None:
        return None
    amount, source = found
    return (
        amount,
        "forfait",
        Step(
            f"no NPEC yet: amorçage forfait for level {level} (regularised once the NPEC is fixed)",
            amount,
            law.AMORCAGE_ARTICLE,
            {"level": level, "source": source},
        ),
    )


def _majoration(
    facts: FundingFacts, tables: FundingTables, cap_name: str, concluded: date
) -> tuple[Decimal, Step | None]:
    asked = facts.terms.funding.disability_majoration
    disabled = facts.terms.apprentice.disability_recognised or facts.wage.disability_from is not None
    if not asked or not disabled:
        return Decimal(0), None
    cap = tables.parameter(cap_name, concluded)
    amount = min(asked, cap.value) if cap is not None else asked
    rule = cap.article if cap is not None else law.NPEC_CAP_ARTICLE
    what = f"disability majoration {asked}" + (f", capped at {cap.value} per contract year" if cap else "")
    return amount, Step(what, amount, rule, {"asked": asked, "cap": cap.value if cap else None})


def _not_funded(why: str, rule: str, inputs: dict[str, Any]) -> Level:
    return Level(NOT_FUNDED, None, Decimal(0), Decimal(0), Decimal(1), (Step(why, Decimal(0), rule, inputs),))


# -- the payments ------------------------------------------------------------------------------------------------
def contract_years(facts: FundingFacts) -> tuple[ContractYear, ...]:
    start, end = facts.terms.start_date, facts.wage.planned_end
    disabled_from = facts.wage.disability_from
    years = []
    k, first = 1, start
    while first <= end:
        following = add_years(start, k)  # each anniversary from the start, not chained (29 February)
        natural_last = following - ONE_DAY
        last = min(natural_last, end)
        disabled = disabled_from is not None and disabled_from <= last
        years.append(ContractYear(k, first, last, last == natural_last, disabled))
        k, first = k + 1, following
    return tuple(years)


def _started_months(first: date, last: date) -> int:
    months = 0
    while add_months(first, months) <= last:
        months += 1
    return months


def period_amount(annual: Decimal, year: ContractYear, last: date, prorata: str) -> Decimal:
    """What a contract year is worth up to `last` (its end, or the rupture day)."""
    if last >= year.last and year.full:
        return annual
    if prorata == "daily":
        days = (last - year.first).days + 1
        return money(annual * days / law.FUNDING_DAYS_PER_YEAR.value)
    return money(annual * _started_months(year.first, last) / law.FUNDING_MONTHS_PER_YEAR.value)


def _instalments(
    year: ContractYear, amount: Decimal, version: law.PaymentScheduleVersion, next_year: ContractYear | None
) -> list[Payment]:
    invoice_days = INVOICE_DELAY
    balance_due = (next_year.first if next_year is not None else year.last) + invoice_days
    lines: list[list[Any]] = []  # [due, name, share]
    deferred = Decimal(0)
    for inst in version.instalments:
        share = money(amount * inst.share_pct / HUNDRED)
        if inst.month == 1:
            due = year.first + invoice_days
        elif inst.month == 0:
            due = balance_due
        else:
            due = add_months(year.first, inst.month - 1)
            if due > year.last:  # a short year: this instalment is paid with the year's balance
                deferred += share
                continue
        lines.append([due, inst.name, share])
    if deferred:
        balance = next((line for line in lines if line[1] == "balance"), None)
        if balance is None:
            lines.append([balance_due, "balance", deferred])
        else:
            balance[2] += deferred
    # Rounding: the last line takes the remainder, so the lines add up to the year's amount exactly.
    lines[-1][2] = amount - sum((line[2] for line in lines[:-1]), Decimal(0))
    return [Payment(d, year.year, name, OPCO, a, version.article) for d, name, a in lines]


def compute_funding(
    facts: FundingFacts, tables: FundingTables, readings: FundingReadings = DEFAULT_READINGS
) -> Funding:
    concluded = facts.concluded_on
    level = annual_level(facts, tables, readings, known_on=concluded)
    years = contract_years(facts)
    if level.mode == NOT_FUNDED:
        return Funding(level.mode, concluded, facts.conclusion_known, level, None, years, (), Decimal(0))
    version = tables.schedule(concluded)
    # `known_on` hides only the NPECs decided after the conclusion: with none, the level known then is final.
    last_decision = tables.last_decision
    final = level if last_decision is None or last_decision <= concluded else annual_level(facts, tables, readings)
    regularised_on = _regularisation_date(facts, tables, readings, level, final)

    def lines_at(lv: Level) -> list[Payment]:
        out: list[Payment] = []
        for i, y in enumerate(years):
            amount = period_amount(lv.annual(y.disabled), y, y.last, version.prorata)
            out += _instalments(y, amount, version, years[i + 1] if i + 1 < len(years) else None)
        return out

    payments = lines_at(level)
    if regularised_on is not None:
        payments = _regularise(payments, lines_at(final), regularised_on, final)
        level = final
    payments = _employer_participation(facts, tables, readings, level, payments)
    due_total = sum((period_amount(level.annual(y.disabled), y, y.last, version.prorata) for y in years), Decimal(0))
    terminated = facts.wage.terminated_on
    if terminated is not None:
        payments, due_total = _rupture(facts, tables, readings, level, version, years, payments, terminated)
    payments.sort(key=lambda p: (p.due_on, p.payer != EMPLOYER))
    return Funding(
        level.mode, concluded, facts.conclusion_known, level, version, years, tuple(payments), due_total, regularised_on
    )


def _regularisation_date(
    facts: FundingFacts, tables: FundingTables, readings: FundingReadings, initial: Level, final: Level
) -> date | None:
    if (initial.base, initial.source) == (final.base, final.source):
        return None
    t = facts.terms
    decided = [
        n.decided_on
        for n in tables.npecs
        if n.certification == t.training.diploma_code
        and n.decided_on is not None
        and n.decided_on > facts.concluded_on
        and n.applies_from <= facts.concluded_on
    ]
    return min(decided) if decided else None


def _regularise(initial: list[Payment], final: list[Payment], decided_on: date, level: Level) -> list[Payment]:
    """Lines due by the decision stay as paid; the first later line carries the difference; later lines follow
    the new level."""
    before = [p for p in initial if p.due_on <= decided_on]
    after = [p for p in final if p.due_on > decided_on]
    owed = sum((p.amount for p in final if p.due_on <= decided_on), Decimal(0))
    paid = sum((p.amount for p in before), Decimal(0))
    difference = owed - paid
    when = after[0].due_on if after else decided_on + INVOICE_DELAY
    year = after[0].contract_year if after else (before[-1].contract_year if before else 1)
    regularisation = Payment(
        when,
        year,
        "regularisation",
        OPCO,
        difference,
        law.AMORCAGE_ARTICLE,
        f"NPEC fixed on {decided_on}: {'complement' if difference >= 0 else 'recovery'} of the sums advanced",
    )
    return [*before, regularisation, *after]


def _participation_amount(facts: FundingFacts, tables: FundingTables, level: Level) -> tuple[Decimal, str] | None:
    concluded = facts.concluded_on
    min_level = tables.parameter("employer_participation_min_level", concluded)
    if min_level is None or facts.terms.training.level < min_level.value:
        return None
    name = (
        "employer_participation_after_rupture"
        if facts.terms.funding.new_employer_after_rupture
        else "employer_participation"
    )
    amount = tables.parameter(name, concluded)
    return (amount.value, amount.article) if amount is not None else None


def _employer_participation(
    facts: FundingFacts, tables: FundingTables, readings: FundingReadings, level: Level, payments: list[Payment]
) -> list[Payment]:
    if level.mode == CROSS_BORDER and not readings.cross_border_distance_and_participation:
        return payments
    found = _participation_amount(facts, tables, level)
    if found is None or not payments:
        return payments
    amount, rule = found
    first = payments[0]
    invoiced = facts.terms.start_date + timedelta(days=law.PROBATION_DAYS.value - 1)
    return [
        Payment(
            invoiced,
            first.contract_year,
            "employer participation",
            EMPLOYER,
            amount,
            rule,
            "invoiced by the CFA after the first 45 days",
        ),
        Payment(
            first.due_on,
            first.contract_year,
            first.kind,
            OPCO,
            first.amount - amount,
            first.rule,
            f"less the employer's participation of {amount}",
        ),
        *payments[1:],
    ]


def _rupture(
    facts: FundingFacts,
    tables: FundingTables,
    readings: FundingReadings,
    level: Level,
    version: law.PaymentScheduleVersion,
    years: tuple[ContractYear, ...],
    payments: list[Payment],
    terminated: date,
) -> tuple[list[Payment], Decimal]:
    """What the contract was worth to the rupture day; what fell due by then stays, one line settles the rest."""
    due_total = sum(
        (
            period_amount(level.annual(y.disabled), y, terminated, version.prorata)
            for y in years
            if y.first <= terminated
        ),
        Decimal(0),
    )
    opco = [p for p in payments if p.payer == OPCO and p.due_on <= terminated]
    employer = [p for p in payments if p.payer == EMPLOYER]
    in_probation = facts.probation_ended_on is None and terminated < facts.terms.start_date + timedelta(
        days=law.PROBATION_DAYS.value
    )
    if employer and in_probation:
        pct = tables.parameter("employer_participation_probation_pct", facts.concluded_on)
        share = money(due_total * (pct.value if pct is not None else HUNDRED) / HUNDRED)
        first = employer[0]
        employer = [
            Payment(
                terminated,
                first.contract_year,
                first.kind,
                EMPLOYER,
                min(first.amount, share),
                pct.article if pct is not None else first.rule,
                "rupture within the first 45 days: 50 % of the amount due for the days performed",
            )
        ]
    settlement = due_total - sum((p.amount for p in opco + employer), Decimal(0))
    if settlement != 0:
        year = next((y.year for y in years if y.first <= terminated <= y.last), years[-1].year)
        prorata = "daily prorata" if version.prorata == "daily" else "every started month is due"
        opco.append(
            Payment(
                terminated,
                year,
                "rupture complement" if settlement > 0 else "rupture recovery",
                OPCO,
                settlement,
                f"{version.article}: {prorata}",
                f"the contract was worth {due_total} to {terminated}",
            )
        )
    return opco + employer, due_total


# The recorded events funding reads: the wage's facts (extension, disability, termination, corrections), plus
# the signature (the conclusion date) and the end of the probation (employer participation).
FUNDING_FACT_EVENTS = WAGE_FACT_EVENTS | {"Signed", "ProbationEnded"}
