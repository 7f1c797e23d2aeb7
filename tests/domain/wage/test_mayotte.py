"""Mayotte (employer postcode 976xx): its own SMIC series, chosen by the employer's territory."""

from __future__ import annotations

import pytest

from domain.errors import InvalidTerms
from domain.terms import parse_terms
from domain.wage.cases import run_case
from domain.wage.reference import WageReference
from tests.contract_builders import terms

REF = WageReference.seed()


def amounts(t: dict) -> dict[str, str]:
    return {m["month"]: m["amount"] for m in run_case({"id": "x", "terms": t}, REF)["months"]}


def test_a_mayotte_employer_pays_the_grid_percentage_of_mayottes_own_smic() -> None:
    # Born 2008-03-15, CAP from 2025-09-01 (under 18, year 1: 27 %; 18 on 2026-03-15: 43 % from 2026-04-01).
    t = terms(employer__postcode="97600")
    got = amounts(t)
    assert got["2025-09"] == "367.73"  # 27 % × 1 361,97 € = 367,7319 → 367,73 (SMIC Mayotte 2024-11-01)
    assert got["2026-01"] == "382.06"  # 27 % × 1 415,05 € = 382,0635 → 382,06 (2026-01-01)
    assert got["2026-04"] == "608.47"  # 43 % × 1 415,05 € = 608,4715 → 608,47 (18 on 15/03: D6222-31)
    assert got["2026-06"] == "623.47"  # 43 % × 1 449,93 € = 623,4699 → 623,47 (2026-06-01)
    metropolitan = amounts(terms(employer__postcode="75011"))
    assert metropolitan["2025-09"] == "486.49"  # 27 % × 1 801,80 €: the postcode alone changes the series


def test_a_mayotte_contract_before_the_first_mayotte_smic_is_refused_naming_the_rule() -> None:
    t = terms(birth="2007-03-15", start="2024-09-02", end="2026-08-31", employer__postcode="97610")
    out = run_case({"id": "x", "terms": t}, REF)
    assert out["error"]["rule"] == "L3231-5 / L3423-3"
    assert "Mayotte" in out["error"]["detail"]


@pytest.mark.parametrize("postcode", ["9760", "976000", "ABCDE", "97 60"])
def test_a_malformed_postcode_is_refused_naming_the_field(postcode: str) -> None:
    with pytest.raises(InvalidTerms) as e:
        parse_terms(terms(employer__postcode=postcode))
    assert e.value.field == "employer.postcode"


def test_the_postcode_round_trips_and_is_left_out_when_absent() -> None:
    assert parse_terms(terms(employer__postcode="2A004")).to_json()["employer"]["postcode"] == "2A004"
    assert "postcode" not in parse_terms(terms()).to_json()["employer"]
