"""`parse_terms`: plain data (the contract terms JSON) to `ContractTerms`, one section of the form at a time.

Each section refuses what is malformed with an `InvalidTerms` naming the field, and the article where a rule
of the law is behind the refusal. The rules that tie the sections together are in `rules.py`.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from domain import law
from domain.errors import InvalidTerms
from domain.terms.model import (
    AGE_EXCEPTIONS,
    NO_FUNDING_TERMS,
    Apprentice,
    ContractTerms,
    CrossBorder,
    Employer,
    FundingTerms,
    Master,
    PreviousContract,
    SmcEntry,
    Training,
)
from domain.terms.reader import MAX_MASTER_ID, MAX_SMC_ENTRIES, FieldReader, parse_money

SIRET = re.compile(r"\d{14}")
POSTCODE = re.compile(r"\d[\dAB]\d{3}")  # 2A and 2B: Corsica


def parse_terms(raw: Any) -> ContractTerms:
    r = FieldReader(raw, "")
    a, e, t = r.sub("apprentice"), r.sub("employer"), r.sub("training")
    assert a and e and t
    # The sections are read in the form's order: the first malformed field is the one refused.
    apprentice, employer, training = _apprentice(a), _employer(e), _training(t)
    ground = _reduction_ground(r)
    previous = _previous_contract(r.sub("previous_contract", optional=True))
    smc = _smc(r)
    contractual = _contractual_pct(r)
    ratio = _working_time_ratio(r)
    cross = _cross_border(r.sub("cross_border", optional=True), ratio)
    master = _master(r.sub("master", optional=True))
    exception = _age_limit_exception(r)
    funding = _funding(r.sub("funding", optional=True))
    return ContractTerms(
        apprentice=apprentice,
        employer=employer,
        training=training,
        start_date=r.date("start_date"),
        end_date=r.date("end_date"),
        reduction_ground=ground,
        previous_contract=previous,
        smc=smc,
        contractual_pct=contractual,
        working_time_ratio=ratio,
        cross_border=cross,
        master=master,
        age_limit_exception=exception,
        funding=funding,
    )


def _apprentice(a: FieldReader) -> Apprentice:
    return Apprentice(
        first_name=a.name("first_name"),
        last_name=a.name("last_name"),
        birth_date=a.date("birth_date"),
        disability_recognised=a.boolean("disability_recognised", False),
        high_level_athlete=a.boolean("high_level_athlete", False),
        lower_secondary_completed=a.boolean("lower_secondary_completed", None),
    )


def _employer(e: FieldReader) -> Employer:
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
    if siret is not None and not SIRET.fullmatch(siret):
        raise InvalidTerms("employer.siret must be 14 digits", field="employer.siret")
    if siret is None and country == "FR":
        raise InvalidTerms("employer.siret is required for an employer in France", field="employer.siret")
    idcc = e.text("idcc", None, max_len=4)
    if idcc is not None and len(idcc) != 4:
        raise InvalidTerms("employer.idcc must be 4 characters", field="employer.idcc")
    postcode = e.text("postcode", None, max_len=5)
    if postcode is not None and not POSTCODE.fullmatch(postcode):
        raise InvalidTerms("employer.postcode must be a French postcode of 5 characters", field="employer.postcode")
    return Employer(
        name=e.name("name"),
        siret=siret,
        sector=sector,
        public_majoration_points=points,
        idcc=idcc,
        headcount=e.integer("headcount", None, lo=0, hi=10_000_000),
        country=country,
        postcode=postcode,
    )


def _training(t: FieldReader) -> Training:
    return Training(
        title=t.name("title"),
        diploma_code=t.text("diploma_code", None, max_len=20),
        level=t.integer("level", lo=3, hi=8),
        cycle_months=t.integer("cycle_months", lo=1, hi=48),
        cfa_start_date=t.date("cfa_start_date", None),
        exam_end_date=t.date("exam_end_date", None),
        licence_pro=t.boolean("licence_pro", False),
        practical_start_date=t.date("practical_start_date", None),
    )


def _reduction_ground(r: FieldReader) -> str | None:
    ground = r.get("reduction_ground", None)
    if ground is not None and ground not in law.REDUCTION_GROUNDS:
        raise InvalidTerms(
            f"reduction_ground must be null or one of {', '.join(law.REDUCTION_GROUNDS)}",
            field="reduction_ground",
            rule=law.REDUCED_DURATION_ARTICLE,
        )
    return ground  # type: ignore[no-any-return]


def _previous_contract(p: FieldReader | None) -> PreviousContract | None:
    if p is None:
        return None
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
    return PreviousContract(
        route=route,
        diploma_obtained=p.boolean("diploma_obtained", False),
        same_employer=p.boolean("same_employer", False),
        last_year=p.integer("last_year", 1, lo=1, hi=4),
        last_year_pct_paid=paid,
        level=p.integer("level", None, lo=3, hi=8),
        related=p.boolean("related", False),
    )


def _smc(r: FieldReader) -> tuple[SmcEntry, ...]:
    raw = r.get("smc", [])
    if not isinstance(raw, list):
        raise InvalidTerms("smc must be a list of {from, monthly}", field="smc", rule=law.GRID_ARTICLE)
    if len(raw) > MAX_SMC_ENTRIES:
        raise InvalidTerms(f"smc has too many entries ({MAX_SMC_ENTRIES} at most)", field="smc")
    entries = []
    for i, item in enumerate(raw):
        s = FieldReader(item, f"smc[{i}]")
        entries.append(SmcEntry(s.date("from"), parse_money(s.get("monthly"), f"smc[{i}].monthly")))
    return tuple(sorted(entries, key=lambda x: x.from_date))


def _contractual_pct(r: FieldReader) -> Decimal | None:
    contractual: Decimal | None = r.number("contractual_pct", None)
    if contractual is not None and not (0 < contractual <= 300):
        raise InvalidTerms(
            "contractual_pct must be between 0 and 300", field="contractual_pct", rule=law.CONTRACTUAL_RATE_ARTICLE
        )
    return contractual


def _working_time_ratio(r: FieldReader) -> Decimal:
    ratio: Decimal = r.number("working_time_ratio", Decimal(1))
    if not (0 < ratio <= 1):
        raise InvalidTerms("working_time_ratio must be in ]0, 1]", field="working_time_ratio")
    return ratio


def _cross_border(c: FieldReader | None, ratio: Decimal) -> CrossBorder | None:
    if c is None:
        if ratio < 1:
            raise InvalidTerms(
                "working_time_ratio below 1 is only allowed for a cross-border contract",
                field="working_time_ratio",
                rule=law.PART_TIME_ARTICLE,
            )
        return None
    return CrossBorder(
        country=c.text("country", max_len=2).upper(),
        practical_part_abroad=c.boolean("practical_part_abroad", True),
        formation=c.text("formation", None),
    )


def _master(m: FieldReader | None) -> Master | None:
    if m is None:
        return None
    return Master(id=m.text("id", max_len=MAX_MASTER_ID), name=m.name("name", None))


def _age_limit_exception(r: FieldReader) -> str | None:
    exception = r.get("age_limit_exception", None)
    if exception is not None and exception not in AGE_EXCEPTIONS:
        raise InvalidTerms(
            f"age_limit_exception must be null or one of {', '.join(AGE_EXCEPTIONS)}",
            field="age_limit_exception",
            rule=law.AGE_LIMIT_EXCEPTION_ARTICLE,
        )
    return exception  # type: ignore[no-any-return]


def _funding(f: FieldReader | None) -> FundingTerms:
    if f is None:
        return NO_FUNDING_TERMS
    majoration = f.get("disability_majoration", None)
    return FundingTerms(
        disability_majoration=None if majoration is None else parse_money(majoration, "funding.disability_majoration"),
        distance_learning=f.boolean("distance_learning", False),
        new_employer_after_rupture=f.boolean("new_employer_after_rupture", False),
    )
