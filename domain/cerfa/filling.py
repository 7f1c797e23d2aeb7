"""Contract terms and the ledger's schedule → the form's field values (names as the PDF spells them)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from domain import law
from domain.cerfa import fields as F
from domain.cerfa.pay_table import hiring_salary, pay_table_from_schedule
from domain.dates import age_on
from domain.terms import ContractTerms, contract_months
from domain.wage.engine import Schedule


def french_date(d: date | str | None) -> str:
    if d is None:
        return ""
    day = date.fromisoformat(d) if isinstance(d, str) else d
    return day.strftime("%d/%m/%Y")


def french_number(value: Decimal) -> str:
    text = f"{value:.2f}" if value != value.to_integral_value() else str(int(value))
    return text.replace(".", ",")


def _check(on: bool) -> str:
    return F.CHECKED if on else F.UNCHECKED


def derogation_code(terms: ContractTerms) -> str:
    """The form's « Type de dérogation » the terms call for; 50 when several apply, empty when none."""
    codes = []
    if age_on(terms.apprentice.birth_date, terms.start_date) < law.MIN_AGE.value:
        codes.append(F.UNDER_16)
    if terms.age_limit_exception:
        codes.append(F.OVER_29)
    months = contract_months(terms)
    if terms.reduction_ground or months < terms.training.cycle_months:
        codes.append(F.SHORTER)
    elif months > terms.training.cycle_months:
        codes.append(F.LONGER)
    return "" if not codes else codes[0] if len(codes) == 1 else F.SEVERAL


def contract_type_code(terms: ContractTerms) -> str:
    previous = terms.previous_contract
    if previous is None or previous.route != "apprenticeship":
        return F.FIRST_CONTRACT
    return F.SUCCESSIVE_SAME_EMPLOYER if previous.same_employer else F.SUCCESSIVE_OTHER_EMPLOYER


def form_values(terms: ContractTerms, schedule: Schedule | None, signed_on: date | None) -> dict[str, str]:
    """Every field the ledger knows, as text or checkbox state; the pay table from the ledger's own schedule."""
    a, e, t = terms.apprentice, terms.employer, terms.training
    weekly = Decimal(law.LEGAL_WEEKLY_HOURS.value) * terms.working_time_ratio
    hours = int(weekly)
    minutes = int(((weekly - hours) * 60).to_integral_value())
    values: dict[str, Any] = {
        F.APPRENTICE_LAST_NAME: a.last_name,
        F.APPRENTICE_FIRST_NAME: a.first_name,
        F.APPRENTICE_BIRTH: french_date(a.birth_date),
        F.RQTH_YES: _check(a.disability_recognised),
        F.RQTH_NO: _check(not a.disability_recognised),
        F.ATHLETE_YES: _check(a.high_level_athlete),
        F.ATHLETE_NO: _check(not a.high_level_athlete),
        F.BUSINESS_YES: _check(terms.age_limit_exception == "business_project"),
        F.BUSINESS_NO: _check(terms.age_limit_exception != "business_project"),
        F.LAST_CLASS: ""
        if a.lower_secondary_completed is None
        else F.LOWER_SECONDARY_COMPLETED
        if a.lower_secondary_completed
        else min(F.LOWER_SECONDARY_NOT_COMPLETED),
        F.PRIVATE: _check(e.sector == "private"),
        F.PUBLIC: _check(e.sector == "public"),
        F.EMPLOYER_NAME: e.name,
        F.EMPLOYER_SIRET: e.siret or "",
        F.EMPLOYER_IDCC: e.idcc or "",
        F.EMPLOYER_HEADCOUNT: "" if e.headcount is None else str(e.headcount),
        F.EMPLOYER_POSTCODE: e.postcode or "",
        F.CONTRACT_TYPE: contract_type_code(terms),
        F.DEROGATION: derogation_code(terms),
        F.CONCLUSION: french_date(signed_on),
        F.START: french_date(terms.start_date),
        F.PRACTICAL_START: french_date(t.practical_start_date),
        F.END: french_date(terms.end_date),
        F.WEEKLY_HOURS: str(hours),
        F.WEEKLY_MINUTES: f"{minutes:02d}",
        F.DIPLOMA: F.LICENCE_PRO_CODE if t.licence_pro else f"{t.level}0",
        F.DIPLOMA_TITLE: t.title,
        F.DIPLOMA_CODE: t.diploma_code or "",
        F.CFA_START: french_date(t.cfa_start_date),
        F.EXAM_END: french_date(t.exam_end_date),
    }
    if terms.master is not None:
        first, _, last = (terms.master.name or terms.master.id).partition(" ")
        values[F.MASTER_FIRST_NAME], values[F.MASTER_LAST_NAME] = (first, last) if last else ("", first)
    if schedule is not None and schedule.rates:
        values[F.SALARY_AT_HIRING] = french_number(hiring_salary(schedule))
        for p in pay_table_from_schedule(schedule):
            first_f, last_f, pct_f, base_f = F.pay_fields(p["year"], p["period"])
            values[first_f], values[last_f] = french_date(p["from"]), french_date(p["to"])
            values[pct_f], values[base_f] = french_number(p["pct"]), p["base"]
    return values
