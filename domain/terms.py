"""Contract terms (interfaces §1): parsing from plain data, and the lifecycle rules on them (spec §6).

`parse_terms` turns a JSON-like mapping into immutable `ContractTerms`, refusing malformed input with an
`InvalidTerms` that names the field. `check_terms` applies the legal rules and returns soft warnings.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from domain import law
from domain.dates import add_months, age_on, full_months_between
from domain.errors import InvalidTerms


@dataclass(frozen=True)
class Apprentice:
    first_name: str
    last_name: str
    birth_date: date
    disability_recognised: bool = False
    high_level_athlete: bool = False
    lower_secondary_completed: bool | None = None


@dataclass(frozen=True)
class Employer:
    name: str
    siret: str | None
    sector: str = "private"
    public_majoration_points: int = 0
    idcc: str | None = None
    headcount: int | None = None
    country: str = "FR"
    postcode: str | None = None

    @property
    def territory(self) -> str:
        """Which SMIC series applies: Mayotte's own for an employer in département 976."""
        in_mayotte = self.postcode is not None and self.postcode.startswith(law.MAYOTTE_POSTCODE_PREFIX)
        return law.MAYOTTE if in_mayotte else law.METROPOLE


@dataclass(frozen=True)
class Training:
    title: str
    diploma_code: str | None
    level: int
    cycle_months: int
    cfa_start_date: date | None = None
    exam_end_date: date | None = None
    licence_pro: bool = False
    practical_start_date: date | None = None


@dataclass(frozen=True)
class PreviousContract:
    route: str
    diploma_obtained: bool
    same_employer: bool
    last_year: int
    last_year_pct_paid: Decimal | None
    level: int | None
    related: bool


@dataclass(frozen=True)
class SmcEntry:
    from_date: date
    monthly: Decimal


@dataclass(frozen=True)
class CrossBorder:
    country: str
    practical_part_abroad: bool
    formation: str | None


@dataclass(frozen=True)
class FundingTerms:
    """What the OPCO's funding depends on beyond the other terms (funding-rules §2.3); all optional."""

    disability_majoration: Decimal | None = None  # per contract year, from the référentiel modules (D6332-82)
    distance_learning: bool = False  # at least 80 % of the training at a distance (D6332-82-1)
    new_employer_after_rupture: bool = False  # employer participation of 200 € instead of 750 € (R6332-25-1)


NO_FUNDING_TERMS = FundingTerms()


@dataclass(frozen=True)
class Master:
    id: str
    name: str | None = None


AGE_EXCEPTIONS = (
    "higher_level_successive",
    "rupture_not_attributable",
    "business_project",
    "exam_failure_new_employer",
)


@dataclass(frozen=True)
class ContractTerms:
    apprentice: Apprentice
    employer: Employer
    training: Training
    start_date: date
    end_date: date
    reduction_ground: str | None = None
    previous_contract: PreviousContract | None = None
    smc: tuple[SmcEntry, ...] = ()
    contractual_pct: Decimal | None = None
    working_time_ratio: Decimal = Decimal(1)
    cross_border: CrossBorder | None = None
    master: Master | None = None
    age_limit_exception: str | None = None
    funding: FundingTerms = NO_FUNDING_TERMS
    extra: Mapping[str, Any] = field(default_factory=dict, compare=False)

    def to_json(self) -> dict[str, Any]:
        """Plain JSON data (ISO dates, money as strings), the shape of interfaces §1."""
        data: dict[str, Any] = _jsonable(asdict(self, dict_factory=_without_extra))
        if self.funding == NO_FUNDING_TERMS:
            del data["funding"]  # terms drafted before the funding fields existed keep their exact JSON
        if self.employer.postcode is None:
            del data["employer"]["postcode"]  # likewise for terms drafted before the postcode existed
        return data


def _without_extra(items: list[tuple[str, Any]]) -> dict[str, Any]:
    out = {}
    for k, v in items:
        if k == "extra":
            continue
        out["from" if k == "from_date" else k] = v
    return out


def _jsonable(v: Any) -> Any:
    if isinstance(v, dict):
        return {k: _jsonable(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [_jsonable(x) for x in v]
    if isinstance(v, date):
        return v.isoformat()
    if isinstance(v, Decimal):
        return _decimal_json(v)
    return v


def _decimal_json(v: Decimal) -> Any:
    if v == v.to_integral_value():
        return int(v)
    return float(v) if v.as_tuple().exponent != -2 else str(v)


# ---------------------------------------------------------------------------------------------------------
# Parsing helpers: each names the field in its error.
_MISSING = object()
# Product limits on the terms' texts and lists (not law); the HTTP schemas read them from here.
MAX_TEXT = 200
MAX_MASTER_ID = 100
MAX_SMC_ENTRIES = 200
# Control characters (tab and line breaks aside) are never part of a name, an id or a reason, and
# PostgreSQL text columns cannot even hold a NUL: refused wherever a text enters the ledger.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def has_control_characters(value: str) -> bool:
    return CONTROL_CHARACTERS.search(value) is not None


LINE_BREAKS = frozenset("\n\r\x85\u2028\u2029")
INVISIBLE = frozenset({"Cf", "Cc", "Zs", "Zl", "Zp"})  # format (zero-width), control, space and separators


def is_one_visible_line(value: str) -> bool:
    """A name: one line (no line or paragraph separator) with at least one visible character."""
    return not LINE_BREAKS.intersection(value) and any(unicodedata.category(ch) not in INVISIBLE for ch in value)


class _Reader:
    def __init__(self, raw: Any, path: str) -> None:
        if not isinstance(raw, Mapping):
            raise InvalidTerms(f"{path or 'terms'} must be a JSON object", field=path or "terms")
        self.raw = raw
        self.path = path

    def _f(self, key: str) -> str:
        return f"{self.path}.{key}" if self.path else key

    def get(self, key: str, default: Any = _MISSING) -> Any:
        if key not in self.raw or self.raw[key] is None:
            if default is _MISSING:
                raise InvalidTerms(f"{self._f(key)} is required", field=self._f(key))
            return default
        return self.raw[key]

    def text(self, key: str, default: Any = _MISSING, max_len: int = MAX_TEXT) -> Any:
        v = self.get(key, default)
        if v is default and default is not _MISSING:
            return v
        if not isinstance(v, str) or not v.strip():
            raise InvalidTerms(f"{self._f(key)} must be a non-empty string", field=self._f(key))
        if len(v) > max_len:
            raise InvalidTerms(f"{self._f(key)} is longer than {max_len} characters", field=self._f(key))
        if has_control_characters(v):
            raise InvalidTerms(f"{self._f(key)} contains control characters", field=self._f(key))
        return v

    def name(self, key: str, default: Any = _MISSING, max_len: int = MAX_TEXT) -> Any:
        """A name or title: a text on one line, not made only of invisible (zero-width, space) characters."""
        v = self.text(key, default, max_len)
        if isinstance(v, str) and not is_one_visible_line(v):
            raise InvalidTerms(
                f"{self._f(key)} must be one line of visible characters (no line break, not only zero-width "
                "or space characters)",
                field=self._f(key),
            )
        return v

    def date(self, key: str, default: Any = _MISSING) -> Any:
        v = self.get(key, default)
        if v is default and default is not _MISSING:
            return v
        return parse_date(v, self._f(key))

    def boolean(self, key: str, default: Any = _MISSING) -> Any:
        v = self.get(key, default)
        if v is default and default is not _MISSING:
            return v
        if not isinstance(v, bool):
            raise InvalidTerms(f"{self._f(key)} must be true or false", field=self._f(key))
        return v

    def integer(self, key: str, default: Any = _MISSING, lo: int | None = None, hi: int | None = None) -> Any:
        v = self.get(key, default)
        if v is default and default is not _MISSING:
            return v
        if isinstance(v, bool) or not isinstance(v, (int, str)):
            raise InvalidTerms(f"{self._f(key)} must be a whole number", field=self._f(key))
        try:
            n = int(v)
        except ValueError:
            raise InvalidTerms(f"{self._f(key)} must be a whole number", field=self._f(key)) from None
        if (lo is not None and n < lo) or (hi is not None and n > hi):
            raise InvalidTerms(f"{self._f(key)} must be between {lo} and {hi}", field=self._f(key))
        return n

    def number(self, key: str, default: Any = _MISSING) -> Any:
        v = self.get(key, default)
        if v is default and default is not _MISSING:
            return v
        return parse_decimal(v, self._f(key))

    def sub(self, key: str, optional: bool = False) -> _Reader | None:
        v = self.get(key, None if optional else _MISSING)
        return None if v is None else _Reader(v, self._f(key))


# Dates the ledger accepts: wide enough for any birth date or contract, narrow enough that date arithmetic
# (a year added, a day after the end) never leaves Python's calendar.
EARLIEST_DATE, LATEST_DATE = date(1900, 1, 1), date(2199, 12, 31)
MAX_AMOUNT = Decimal("1000000")  # euros: no wage, SMC or NPEC comes near it


ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def parse_date(v: Any, fld: str) -> date:
    if not isinstance(v, str) or not ISO_DATE.fullmatch(v):
        raise InvalidTerms(f"{fld} must be a date YYYY-MM-DD", field=fld)
    try:
        d = date.fromisoformat(v)
    except ValueError:
        raise InvalidTerms(f"{fld} is not a calendar date ({v})", field=fld) from None
    if not EARLIEST_DATE <= d <= LATEST_DATE:
        raise InvalidTerms(f"{fld} must be between {EARLIEST_DATE} and {LATEST_DATE}", field=fld)
    return d


def parse_decimal(v: Any, fld: str) -> Decimal:
    if isinstance(v, bool) or not isinstance(v, (int, float, str)):
        raise InvalidTerms(f"{fld} must be a number", field=fld)
    try:
        d = Decimal(str(v))
    except InvalidOperation:
        raise InvalidTerms(f"{fld} must be a number", field=fld) from None
    if not d.is_finite():
        raise InvalidTerms(f"{fld} must be a finite number", field=fld)
    return d


def parse_money(v: Any, fld: str) -> Decimal:
    d = parse_decimal(v, fld)
    if d > MAX_AMOUNT:  # before quantize, which cannot represent 1e308 to the cent
        raise InvalidTerms(f"{fld} is implausibly large (more than {MAX_AMOUNT})", field=fld)
    if d < 0 or d != d.quantize(Decimal("0.01")):
        raise InvalidTerms(f"{fld} must be a non-negative amount with at most two decimals", field=fld)
    return d.quantize(Decimal("0.01"))


def parse_terms(raw: Any) -> ContractTerms:
    r = _Reader(raw, "")
    a = r.sub("apprentice")
    e = r.sub("employer")
    t = r.sub("training")
    assert a and e and t
    apprentice = Apprentice(
        first_name=a.name("first_name"),
        last_name=a.name("last_name"),
        birth_date=a.date("birth_date"),
        disability_recognised=a.boolean("disability_recognised", False),
        high_level_athlete=a.boolean("high_level_athlete", False),
        lower_secondary_completed=a.boolean("lower_secondary_completed", None),
    )
    sector = e.text("sector", "private")
    if sector not in ("private", "public"):
        raise InvalidTerms(
            "employer.sector must be 'private' or 'public'", field="employer.sector", rule=law.PUBLIC_EMPLOYER_ARTICLE
        )
    points = e.integer("public_majoration_points", 0)
    if points not in law.PUBLIC_MAJORATION_POINTS:
        raise InvalidTerms(
            "employer.public_majoration_points must be 0, 10 or 20",
            field="employer.public_majoration_points",
            rule=law.PUBLIC_MAJORATION_ARTICLE,
        )
    if points and sector != "public":
        raise InvalidTerms(
            "employer.public_majoration_points is only for public employers",
            field="employer.public_majoration_points",
            rule=law.PUBLIC_MAJORATION_ARTICLE,
        )
    country = e.text("country", "FR", max_len=2).upper()
    siret = e.text("siret", None, max_len=14)
    if siret is not None and not re.fullmatch(r"\d{14}", siret):
        raise InvalidTerms("employer.siret must be 14 digits", field="employer.siret")
    if siret is None and country == "FR":
        raise InvalidTerms("employer.siret is required for an employer in France", field="employer.siret")
    idcc = e.text("idcc", None, max_len=4)
    if idcc is not None and len(idcc) != 4:
        raise InvalidTerms("employer.idcc must be 4 characters", field="employer.idcc")
    postcode = e.text("postcode", None, max_len=5)
    if postcode is not None and not re.fullmatch(r"\d[\dAB]\d{3}", postcode):
        raise InvalidTerms("employer.postcode must be a French postcode of 5 characters", field="employer.postcode")
    employer = Employer(
        name=e.name("name"),
        siret=siret,
        sector=sector,
        public_majoration_points=points,
        idcc=idcc,
        headcount=e.integer("headcount", None, lo=0, hi=10_000_000),
        country=country,
        postcode=postcode,
    )
    training = Training(
        title=t.name("title"),
        diploma_code=t.text("diploma_code", None, max_len=20),
        level=t.integer("level", lo=3, hi=8),
        cycle_months=t.integer("cycle_months", lo=1, hi=48),
        cfa_start_date=t.date("cfa_start_date", None),
        exam_end_date=t.date("exam_end_date", None),
        licence_pro=t.boolean("licence_pro", False),
        practical_start_date=t.date("practical_start_date", None),
    )
    ground = r.get("reduction_ground", None)
    if ground is not None and ground not in law.REDUCTION_GROUNDS:
        raise InvalidTerms(
            f"reduction_ground must be null or one of {', '.join(law.REDUCTION_GROUNDS)}",
            field="reduction_ground",
            rule=law.REDUCED_DURATION_ARTICLE,
        )
    previous = None
    p = r.sub("previous_contract", optional=True)
    if p is not None:
        route = p.text("route", "apprenticeship")
        if route not in ("apprenticeship", "other"):
            raise InvalidTerms(
                "previous_contract.route must be 'apprenticeship' or 'other'",
                field="previous_contract.route",
                rule=law.PREVIOUS_CONTRACT_ARTICLE,
            )
        paid = p.number("last_year_pct_paid", None)
        if paid is not None and not (0 < paid <= 200):
            raise InvalidTerms(
                "previous_contract.last_year_pct_paid must be between 0 and 200",
                field="previous_contract.last_year_pct_paid",
                rule=law.PREVIOUS_CONTRACT_ARTICLE,
            )
        previous = PreviousContract(
            route=route,
            diploma_obtained=p.boolean("diploma_obtained", False),
            same_employer=p.boolean("same_employer", False),
            last_year=p.integer("last_year", 1, lo=1, hi=4),
            last_year_pct_paid=paid,
            level=p.integer("level", None, lo=3, hi=8),
            related=p.boolean("related", False),
        )
    smc_raw = r.get("smc", [])
    if not isinstance(smc_raw, list):
        raise InvalidTerms("smc must be a list of {from, monthly}", field="smc", rule=law.GRID_ARTICLE)
    if len(smc_raw) > MAX_SMC_ENTRIES:
        raise InvalidTerms(f"smc has too many entries ({MAX_SMC_ENTRIES} at most)", field="smc")
    smc = []
    for i, item in enumerate(smc_raw):
        s = _Reader(item, f"smc[{i}]")
        smc.append(SmcEntry(s.date("from"), parse_money(s.get("monthly"), f"smc[{i}].monthly")))
    smc.sort(key=lambda x: x.from_date)
    contractual = r.number("contractual_pct", None)
    if contractual is not None and not (0 < contractual <= 300):
        raise InvalidTerms(
            "contractual_pct must be between 0 and 300", field="contractual_pct", rule=law.CONTRACTUAL_RATE_ARTICLE
        )
    ratio = r.number("working_time_ratio", Decimal(1))
    if not (0 < ratio <= 1):
        raise InvalidTerms("working_time_ratio must be in ]0, 1]", field="working_time_ratio")
    cross = None
    c = r.sub("cross_border", optional=True)
    if c is not None:
        cross = CrossBorder(
            country=c.text("country", max_len=2).upper(),
            practical_part_abroad=c.boolean("practical_part_abroad", True),
            formation=c.text("formation", None),
        )
    if ratio < 1 and cross is None:
        raise InvalidTerms(
            "working_time_ratio below 1 is only allowed for a cross-border contract",
            field="working_time_ratio",
            rule="arrêté 9 Sep 2025 art. 3",
        )
    master = None
    m = r.sub("master", optional=True)
    if m is not None:
        master = Master(id=m.text("id", max_len=MAX_MASTER_ID), name=m.name("name", None))
    exception = r.get("age_limit_exception", None)
    if exception is not None and exception not in AGE_EXCEPTIONS:
        raise InvalidTerms(
            f"age_limit_exception must be null or one of {', '.join(AGE_EXCEPTIONS)}",
            field="age_limit_exception",
            rule=law.AGE_LIMIT_EXCEPTION_ARTICLE,
        )
    funding = NO_FUNDING_TERMS
    f = r.sub("funding", optional=True)
    if f is not None:
        majoration = f.get("disability_majoration", None)
        funding = FundingTerms(
            disability_majoration=None
            if majoration is None
            else parse_money(majoration, "funding.disability_majoration"),
            distance_learning=f.boolean("distance_learning", False),
            new_employer_after_rupture=f.boolean("new_employer_after_rupture", False),
        )
    return ContractTerms(
        apprentice=apprentice,
        employer=employer,
        training=training,
        start_date=r.date("start_date"),
        end_date=r.date("end_date"),
        reduction_ground=ground,
        previous_contract=previous,
        smc=tuple(smc),
        contractual_pct=contractual,
        working_time_ratio=ratio,
        cross_border=cross,
        master=master,
        age_limit_exception=exception,
        funding=funding,
    )


# ---------------------------------------------------------------------------------------------------------
def contract_months(terms: ContractTerms, end: date | None = None) -> int:
    """Whole months of the contract from its start to the day after its (planned) end."""
    from datetime import timedelta

    return full_months_between(terms.start_date, (end or terms.end_date) + timedelta(days=1))


def max_age_for(terms: ContractTerms) -> tuple[int | None, str]:
    """The upper age limit at the start, and its article (L6222-1, L6222-2, D6222-1, D6222-1-2)."""
    a = terms.apprentice
    if a.disability_recognised:
        return None, law.AGE_LIMIT_EXEMPTION_ARTICLES["disability"]
    if a.high_level_athlete:
        return None, law.AGE_LIMIT_EXEMPTION_ARTICLES["high_level_athlete"]
    exc = terms.age_limit_exception
    if exc in ("business_project",):
        return None, law.AGE_LIMIT_EXEMPTION_ARTICLES["business_project"]
    if exc == "exam_failure_new_employer":
        return None, law.AGE_LIMIT_EXEMPTION_ARTICLES["exam_failure_new_employer"]
    prev = terms.previous_contract
    higher = (
        prev is not None
        and prev.route == "apprenticeship"
        and prev.level is not None
        and terms.training.level > prev.level
    )
    if exc in ("higher_level_successive", "rupture_not_attributable") or higher:
        return law.MAX_AGE_EXTENDED.value, law.MAX_AGE_EXTENDED.article
    return law.MAX_AGE.value, law.MAX_AGE.article


def check_terms(terms: ContractTerms) -> list[dict[str, str]]:
    """Refuse terms that break a hard rule (InvalidTerms); return the soft rules' warnings."""
    a, t = terms.apprentice, terms.training
    start, end = terms.start_date, terms.end_date
    if start < law.GRID_IN_FORCE_FROM.effective_from:
        raise InvalidTerms(
            f"start_date {start} is before {law.GRID_IN_FORCE_FROM.effective_from}: contracts "
            "under the pre-2019 grid are out of scope",
            field="start_date",
            rule=law.GRID_IN_FORCE_FROM.article,
        )
    if a.birth_date >= start:
        raise InvalidTerms("apprentice.birth_date must be before start_date", field="apprentice.birth_date")
    if end <= start:
        raise InvalidTerms("end_date must be after start_date", field="end_date", rule=law.TERM_ARTICLE)
    age = age_on(a.birth_date, start)
    min_age = law.MIN_AGE_AFTER_3E.value if a.lower_secondary_completed else law.MIN_AGE.value
    if age < min_age and age >= law.MIN_AGE_AFTER_3E.value:
        raise InvalidTerms(
            f"the apprentice is {age} on start_date: at {age} a contract needs the 3e completed "
            "(apprentice.lower_secondary_completed true)",
            field="apprentice.lower_secondary_completed",
            rule=law.MIN_AGE_AFTER_3E.article,
        )
    if age < min_age:
        raise InvalidTerms(
            f"the apprentice is {age} on start_date; the minimum is {law.MIN_AGE.value} "
            f"({law.MIN_AGE_AFTER_3E.value} with the 3e completed)",
            field="apprentice.birth_date",
            rule=law.MIN_AGE.article,
        )
    max_age, max_rule = max_age_for(terms)
    if max_age is not None and age > max_age:
        raise InvalidTerms(
            f"the apprentice is {age} on start_date; the limit is {max_age} years "
            "(exceptions: disability, athlete, business project, successive contract)",
            field="apprentice.birth_date",
            rule=max_rule,
        )
    months = contract_months(terms)
    long_allowed = a.disability_recognised or a.high_level_athlete
    max_months = law.MAX_DURATION_MONTHS_EXTENDED if long_allowed else law.MAX_DURATION_MONTHS
    if add_months(start, max_months.value) <= end:
        raise InvalidTerms(
            f"the contract lasts more than {max_months.value // 12} years", field="end_date", rule=max_months.article
        )
    if months < law.MIN_DURATION_MONTHS.value and terms.reduction_ground != law.SHORT_CONTRACT_GROUND:
        raise InvalidTerms(
            f"the contract lasts less than {law.MIN_DURATION_MONTHS.value} months (allowed only on ground "
            f"{law.SHORT_CONTRACT_GROUND})",
            field="end_date",
            rule=law.MIN_DURATION_MONTHS.article,
        )
    delay = law.MAX_TRAINING_START_DELAY_MONTHS
    for fld, d in (
        ("training.cfa_start_date", t.cfa_start_date),
        ("training.practical_start_date", t.practical_start_date),
    ):
        if d is not None and d > add_months(start, delay.value):
            raise InvalidTerms(
                f"{fld} is more than {delay.value} months after start_date", field=fld, rule=delay.article
            )
        if d is not None and d > end:
            raise InvalidTerms(f"{fld} is after end_date", field=fld, rule=delay.article)
    if t.exam_end_date is not None and t.exam_end_date < start:
        raise InvalidTerms("training.exam_end_date is before start_date", field="training.exam_end_date")
    for i, s in enumerate(terms.smc):
        if s.from_date > end:
            raise InvalidTerms(f"smc[{i}].from is after end_date", field=f"smc[{i}].from")
    cb = terms.cross_border
    if cb is not None and cb.practical_part_abroad:
        _check_cross_border(terms, cb)
    warnings = []
    if t.exam_end_date is not None and end > add_months(t.exam_end_date, law.EXAM_END_WARNING_MONTHS.value):
        warnings.append(
            {
                "field": "end_date",
                "rule": law.EXAM_END_WARNING_MONTHS.article,
                "detail": f"end_date is more than {law.EXAM_END_WARNING_MONTHS.value} months after the exams "
                f"({t.exam_end_date}); usual practice ends the contract within 2 months",
            }
        )
    if months > t.cycle_months and terms.reduction_ground is None and not long_allowed:
        warnings.append(
            {
                "field": "end_date",
                "rule": law.CONVENTION_EXTENSION_ARTICLE,
                "detail": "the contract is longer than the training cycle without a tripartite convention "
                "(L6222-7-1 al. 3); the last year's rate applies beyond the cycle",
            }
        )
    return warnings


def luxembourg_family(formation: str | None) -> str | None:
    """The formation family of the Luxembourg allowance table (BAC or BTS), from the formation's title."""
    if not formation:
        return None
    head = formation.strip().upper()
    for family in sorted({f for f, _ in law.LU_BASES_AT_100}, key=len, reverse=True):
        if head.startswith(family):
            return family
    return None


def _check_cross_border(terms: ContractTerms, cb: CrossBorder) -> None:
    if cb.country == "LU":
        family = luxembourg_family(cb.formation)
        if family is None:
            raise InvalidTerms(
                f"cross_border.formation '{cb.formation}' has no Luxembourg allowance in the table "
                f"(known: {', '.join(sorted({f for f, _ in law.LU_BASES_AT_100}))})",
                field="cross_border.formation",
                rule=law.LU_ARTICLE,
            )
        years = -(-contract_months(terms) // 12)
        missing = [y for y in range(1, years + 1) if (family, y) not in law.LU_BASES_AT_100]
        if missing:
            raise InvalidTerms(
                f"the Luxembourg table has no {family} allowance for year {missing[0]} of this contract",
                field="end_date",
                rule=law.LU_ARTICLE,
            )
    elif cb.country == "DE":
        if terms.start_date.year < min(law.DE_MINIMUM_BY_START_YEAR):
            raise InvalidTerms(
                f"no German statutory minimum is known for a training started in {terms.start_date.year}",
                field="start_date",
                rule=law.DE_ARTICLE,
            )
    else:
        raise InvalidTerms(
            f"cross_border.country '{cb.country}' with the practical part abroad is not supported (LU and DE are)",
            field="cross_border.country",
            rule=law.CROSS_BORDER_CONTRACT_ARTICLE,
        )
