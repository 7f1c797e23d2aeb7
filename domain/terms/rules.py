"""`check_terms`: the law's rules on a whole contract's terms (spec §6), in the order a clerk would check them.

A hard rule refused raises `InvalidTerms` naming the field and the article; the soft rules (usual practice, a
convention to sign) come back as warnings.
"""

from __future__ import annotations

from datetime import date, timedelta

from domain import law
from domain.dates import add_months, age_on, full_months_between
from domain.errors import InvalidTerms
from domain.terms.model import ContractTerms, CrossBorder

Warning = dict[str, str]


def contract_months(terms: ContractTerms, end: date | None = None) -> int:
    """Whole months of the contract from its start to the day after its (planned) end."""
    return full_months_between(terms.start_date, (end or terms.end_date) + timedelta(days=1))


def max_age_for(terms: ContractTerms) -> tuple[int | None, str]:
    """The upper age limit at the start, and its article (L6222-1, L6222-2, D6222-1, D6222-1-2)."""
    a = terms.apprentice
    exemptions = law.AGE_LIMIT_EXEMPTION_ARTICLES
    if a.disability_recognised:
        return None, exemptions["disability"]
    if a.high_level_athlete:
        return None, exemptions["high_level_athlete"]
    exc = terms.age_limit_exception
    if exc in ("business_project",):
        return None, exemptions["business_project"]
    if exc == "exam_failure_new_employer":
        return None, exemptions["exam_failure_new_employer"]
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


def check_terms(terms: ContractTerms) -> list[Warning]:
    """Refuse terms that break a hard rule (InvalidTerms); return the soft rules' warnings."""
    _check_dates(terms)
    _check_age(terms)
    _check_duration(terms)
    _check_training_dates(terms)
    cb = terms.cross_border
    if cb is not None and cb.practical_part_abroad:
        _check_cross_border(terms, cb)
    return _warnings(terms)


def _long_contract_allowed(terms: ContractTerms) -> bool:
    """R6222-46 / R6222-60: a disabled apprentice or a listed athlete may have a longer contract."""
    return terms.apprentice.disability_recognised or terms.apprentice.high_level_athlete


def _check_dates(terms: ContractTerms) -> None:
    start, end = terms.start_date, terms.end_date
    if start < law.GRID_IN_FORCE_FROM.effective_from:
        raise InvalidTerms(
            f"start_date {start} is before {law.GRID_IN_FORCE_FROM.effective_from}: contracts "
            "under the pre-2019 grid are out of scope",
            field="start_date",
            rule=law.GRID_IN_FORCE_FROM.article,
        )
    if terms.apprentice.birth_date >= start:
        raise InvalidTerms("apprentice.birth_date must be before start_date", field="apprentice.birth_date")
    if end <= start:
        raise InvalidTerms("end_date must be after start_date", field="end_date", rule=law.TERM_ARTICLE)


def _check_age(terms: ContractTerms) -> None:
    a = terms.apprentice
    age = age_on(a.birth_date, terms.start_date)
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


def _check_duration(terms: ContractTerms) -> None:
    start, end = terms.start_date, terms.end_date
    max_months = law.MAX_DURATION_MONTHS_EXTENDED if _long_contract_allowed(terms) else law.MAX_DURATION_MONTHS
    if add_months(start, max_months.value) <= end:
        raise InvalidTerms(
            f"the contract lasts more than {max_months.value // 12} years", field="end_date", rule=max_months.article
        )
    if contract_months(terms) < law.MIN_DURATION_MONTHS.value and terms.reduction_ground != law.SHORT_CONTRACT_GROUND:
        raise InvalidTerms(
            f"the contract lasts less than {law.MIN_DURATION_MONTHS.value} months (allowed only on ground "
            f"{law.SHORT_CONTRACT_GROUND})",
            field="end_date",
            rule=law.MIN_DURATION_MONTHS.article,
        )


def _check_training_dates(terms: ContractTerms) -> None:
    start, end, t = terms.start_date, terms.end_date, terms.training
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


def _warnings(terms: ContractTerms) -> list[Warning]:
    t, end = terms.training, terms.end_date
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
    longer_than_cycle = contract_months(terms) > t.cycle_months
    if longer_than_cycle and terms.reduction_ground is None and not _long_contract_allowed(terms):
        warnings.append(
            {
                "field": "end_date",
                "rule": law.CONVENTION_EXTENSION_ARTICLE,
                "detail": "the contract is longer than the training cycle without a tripartite convention "
                f"({law.TERM_ARTICLE} al. 3); the last year's rate applies beyond the cycle",
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
