"""A filled form's fields → contract terms (interfaces §1), the events it proves, its pay table, its problems.

The form does not carry every fact the wage depends on (the normal cycle length, the ground of a reduction,
the previous contract's last year and rate, the SMC amount…). A form the ledger filled carries them beside
the fields (`supplement`, the terms it was filled from); any other form gets them by reading rules, and each
fact the form cannot prove is a problem naming the CERFA field and the article, `blocking` when the wage may
be wrong without it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from copy import deepcopy
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from domain import law
from domain.cerfa import fields as F
from domain.dates import full_months_between

FRENCH_DATE = re.compile(r"\s*(\d{1,2})/(\d{1,2})/(\d{4})\s*")


@dataclass
class FormReading:
    terms: dict[str, Any]
    events: list[dict[str, Any]] = field(default_factory=list)
    pay_table: list[dict[str, Any]] = field(default_factory=list)
    salary_at_hiring: str | None = None
    problems: list[dict[str, Any]] = field(default_factory=list)

    @property
    def blocking(self) -> list[dict[str, Any]]:
        return [p for p in self.problems if p["blocking"]]


class _Form:
    def __init__(self, values: Mapping[str, Any]) -> None:
        self.values = values
        self.problems: list[dict[str, Any]] = []

    def problem(self, label: str, message: str, article: str | None = None, blocking: bool = True) -> None:
        self.problems.append({"field": label, "message": message, "article": article, "blocking": blocking})

    def text(self, label: str) -> str | None:
        value = self.values.get(label)
        if value is None:
            return None
        text = " ".join(str(value).split())
        return text or None

    def required(self, label: str, article: str | None = None) -> str | None:
        text = self.text(label)
        if text is None:
            self.problem(label, "champ obligatoire non rempli", article)
        return text

    def date(self, label: str, required: bool = False, article: str | None = None) -> str | None:
        text = self.required(label, article) if required else self.text(label)
        if text is None:
            return None
        match = FRENCH_DATE.fullmatch(text)
        try:
            if match:
                d, m, y = (int(g) for g in match.groups())
                return date(y, m, d).isoformat()
            return date.fromisoformat(text).isoformat()
        except ValueError:
            self.problem(label, f"« {text} » n'est pas une date jj/mm/aaaa", article)
            return None

    def checked(self, label: str) -> bool:
        return str(self.values.get(label) or "").lstrip("/").lower() in ("oui", "on", "yes", "1", "true")

    def pair(self, yes: str, no: str, article: str) -> bool | None:
        on_yes, on_no = self.checked(yes), self.checked(no)
        if on_yes and on_no:
            self.problem(yes, "OUI et NON sont cochés tous les deux", article)
            return None
        return True if on_yes else False if on_no else None

    def number(self, label: str, article: str | None = None) -> Decimal | None:
        text = self.text(label)
        if text is None:
            return None
        cleaned = re.sub(r"[\s\u00a0\u202f€%]", "", text)
        if "," in cleaned and "." in cleaned:  # 1.234,56: the point groups thousands
            cleaned = cleaned.replace(".", "")
        cleaned = cleaned.replace(",", ".")
        try:
            value = Decimal(cleaned)
        except InvalidOperation:
            value = Decimal("NaN")
        if not value.is_finite() or value < 0:
            self.problem(label, f"« {text} » n'est pas un nombre", article)
            return None
        return value


def read_form(values: Mapping[str, Any], supplement: Mapping[str, Any] | None = None) -> FormReading:
    """Read the form's field values (name → value as the PDF holds it) into terms and the rest."""
    f = _Form(values)
    terms: dict[str, Any] = deepcopy(dict(supplement)) if supplement else {}
    apprentice = terms.setdefault("apprentice", {})
    employer = terms.setdefault("employer", {})
    training = terms.setdefault("training", {})

    apprentice["last_name"] = f.required(F.APPRENTICE_LAST_NAME)
    apprentice["first_name"] = f.required(F.APPRENTICE_FIRST_NAME)
    apprentice["birth_date"] = f.date(F.APPRENTICE_BIRTH, True, law.MIN_AGE.article)
    rqth = f.pair(F.RQTH_YES, F.RQTH_NO, law.DISABILITY_AGE_ARTICLE)
    if rqth is not None:
        apprentice["disability_recognised"] = rqth
    athlete = f.pair(F.ATHLETE_YES, F.ATHLETE_NO, law.ATHLETE_ARTICLE)
    if athlete is not None:
        apprentice["high_level_athlete"] = athlete
    last_class = f.text(F.LAST_CLASS)
    if last_class is not None:
        code = last_class[:2]
        apprentice["lower_secondary_completed"] = code not in F.LOWER_SECONDARY_NOT_COMPLETED
        if not code.isdigit():
            f.problem(F.LAST_CLASS, f"« {last_class} » n'est pas un code de la notice (01 à 42)", law.MIN_AGE.article)

    public, private = f.checked(F.PUBLIC), f.checked(F.PRIVATE)
    if public and private:
        f.problem(F.PUBLIC, "employeur privé et public cochés tous les deux", law.PUBLIC_EMPLOYER_ARTICLE)
    elif public or private:
        employer["sector"] = "public" if public else "private"
        if private:
            employer.pop("public_majoration_points", None)
    employer["name"] = f.required(F.EMPLOYER_NAME)
    employer["siret"] = _digits(f, F.EMPLOYER_SIRET, 14, required=True)
    employer["idcc"] = f.text(F.EMPLOYER_IDCC)
    headcount = f.number(F.EMPLOYER_HEADCOUNT)
    employer["headcount"] = int(headcount) if headcount is not None else None
    employer["postcode"] = _digits(f, F.EMPLOYER_POSTCODE, 5)
    employer.setdefault("country", "FR")

    title = f.required(F.DIPLOMA_TITLE)
    training["title"] = title
    training["diploma_code"] = f.text(F.DIPLOMA_CODE)
    diploma = f.required(F.DIPLOMA, law.SUCCESSIVE_SAME_LEVEL_POINTS.article)
    if diploma is not None:
        if diploma[:1] in "345678" and diploma[:2].isdigit():
            training["level"] = int(diploma[0])
            training["licence_pro"] = diploma[:2] == F.LICENCE_PRO_CODE
        else:
            f.problem(
                F.DIPLOMA,
                f"« {diploma} » : un code de la notice attendu (33 CAP, 54 BTS…)",
                law.SUCCESSIVE_SAME_LEVEL_POINTS.article,
            )
    training["cfa_start_date"] = f.date(F.CFA_START)
    training["exam_end_date"] = f.date(F.EXAM_END)
    training["practical_start_date"] = f.date(F.PRACTICAL_START)

    start = f.date(F.START, True, law.START_ARTICLE)
    end = f.date(F.END, True, law.TERM_ARTICLE)
    terms["start_date"], terms["end_date"] = start, end
    derogation = f.text(F.DEROGATION)
    if derogation is not None and derogation not in F.DEROGATIONS:
        f.problem(F.DEROGATION, f"« {derogation} » n'est pas un code de dérogation (11, 12, 21, 22, 50, 60)")
    if "cycle_months" not in training and start and end:
        # The form gives no cycle length: a contract without a duration derogation lasts its cycle.
        training["cycle_months"] = _months(start, end)
        if derogation in (F.SHORTER, F.SEVERAL) and not terms.get("reduction_ground"):
            f.problem(
                F.DEROGATION,
                "contrat de durée réduite : le formulaire ne donne ni le motif de la réduction (reduction_ground) "
                "ni la durée normale du cycle (training.cycle_months), dont dépend l'année d'exécution",
                law.REDUCED_DURATION_ARTICLE,
            )
    contract_type = f.text(F.CONTRACT_TYPE)
    if contract_type is not None and contract_type not in F.CONTRACT_TYPES:
        f.problem(F.CONTRACT_TYPE, f"« {contract_type} » n'est pas un type de contrat de la notice")
    if contract_type in F.SUCCESSIVE_TYPES and not terms.get("previous_contract"):
        f.problem(
            F.CONTRACT_TYPE,
            "contrat successif : le formulaire ne donne ni la dernière année ni le taux du contrat précédent "
            "(previous_contract), dont dépend le minimum",
            law.PREVIOUS_CONTRACT_ARTICLE,
        )
    hours, minutes = f.number(F.WEEKLY_HOURS), f.number(F.WEEKLY_MINUTES)
    if hours is not None:
        weekly = hours + (minutes or Decimal(0)) / 60
        full = Decimal(law.LEGAL_WEEKLY_HOURS.value)
        if weekly != full and "working_time_ratio" not in terms:
            terms["working_time_ratio"] = str((weekly / full).quantize(Decimal("0.0001")))

    master_last, master_first = f.text(F.MASTER_LAST_NAME), f.text(F.MASTER_FIRST_NAME)
    if master_last and not terms.get("master"):
        birth = f.date(F.MASTER_BIRTH) or ""
        name = " ".join(x for x in (master_first, master_last) if x)
        terms["master"] = {"id": f"{name}|{birth}".casefold(), "name": name}

    reading = FormReading(terms)
    reading.pay_table = _pay_table(f)
    if any(p["base"] == "SMC" for p in reading.pay_table) and not terms.get("smc"):
        f.problem(
            F.pay_fields(1, 1)[3],
            "la rémunération est fixée en % du SMC, mais le formulaire n'en donne pas le montant (smc)",
            law.GRID_ARTICLE,
        )
    salary = f.number(F.SALARY_AT_HIRING)
    reading.salary_at_hiring = f"{salary:.2f}" if salary is not None else None
    conclusion = f.date(F.CONCLUSION)
    if conclusion:
        reading.events.append({"type": "Signed", "on": conclusion})
    reading.problems = f.problems
    return reading


def _digits(f: _Form, label: str, length: int, required: bool = False) -> str | None:
    text = f.required(label) if required else f.text(label)
    if text is None:
        return None
    digits = re.sub(r"[\s\u00a0\u202f.]", "", text)
    if not re.fullmatch(rf"\d[\dAB]\d{{{length - 2}}}", digits):
        f.problem(label, f"« {text} » : {length} chiffres attendus")
    return digits


def _months(start: str, end: str) -> int:
    """Whole months from the start to the day after the end (a 2-year contract: 24), as `contract_months`."""
    return max(1, full_months_between(date.fromisoformat(start), date.fromisoformat(end) + timedelta(days=1)))


def _pay_table(f: _Form) -> list[dict[str, Any]]:
    table = []
    for year in F.PAY_YEARS:
        for period in (1, 2):
            first, last, pct_field, base_field = F.pay_fields(year, period)
            begins, ends, pct = f.date(first), f.date(last), f.number(pct_field, law.GRID_ARTICLE)
            if begins is None and pct is None:
                continue
            written = (f.text(base_field) or "SMIC").upper()
            base = "SMC" if "SMC" in written or "CONVENTIONNEL" in written else "SMIC" if "SMIC" in written else written
            if base not in ("SMIC", "SMC"):
                f.problem(base_field, f"« {written} » : SMIC ou SMC attendu", law.GRID_ARTICLE)
            if begins is None or ends is None or pct is None:
                f.problem(pct_field, "période incomplète (du, au, %)", law.GRID_ARTICLE, blocking=False)
                continue
            table.append({"year": year, "period": period, "from": begins, "to": ends, "pct": pct, "base": base})
    return table
