"""A form's pay table and hiring salary checked against the legal minimum, period by period."""

from __future__ import annotations

from typing import Any

from domain.cerfa import fields as F
from domain.cerfa.filling import form_values
from domain.cerfa.reading import read_form
from domain.terms import parse_terms
from ledger.cerfa.forms import read_case
from ledger.cerfa.pdf import fill_pdf
from tests.contract_builders import terms
from tests.domain.cerfa.forms import REF, SIGNED, schedule_of

LEA = terms()  # born 2008-03-15, CAP from 2025-09-01: 27 % until 31/03/2026, 43 % from 01/04/2026 (18 on 15/03)


def values(t: dict[str, Any] = LEA) -> dict[str, str]:
    return form_values(parse_terms(t), schedule_of(t), SIGNED)


def findings(v: dict[str, str], t: dict[str, Any] = LEA) -> list[dict[str, Any]]:
    return read_case(fill_pdf(v), REF).findings


def test_a_percentage_below_the_grid_is_a_finding_with_the_legal_rate_and_article() -> None:
    v = values()
    v[F.pay_fields(2, 1)[2]] = "50"  # year 2 written at 50 %, the grid says 51 % (18–20, D6222-26)
    (finding,) = findings(v)
    assert finding["kind"] == "pct_below_legal"
    assert (finding["field"], finding["written"], finding["legal"]) == ("2e année % du", "50 %", "51 %")
    assert finding["article"].startswith("D6222-26")
    assert finding["period"].startswith("2e année, période 1")


def test_a_bracket_switch_written_after_the_first_of_the_next_month_is_d6222_31() -> None:
    v = values()
    first_from, first_to = F.pay_fields(1, 1)[:2]
    second_from = F.pay_fields(1, 2)[0]
    assert (v[first_to], v[second_from]) == ("31/03/2026", "01/04/2026")
    v[first_to], v[second_from] = "14/05/2026", "15/05/2026"  # switched two months late
    (finding,) = findings(v)
    assert finding["kind"] == "bracket_switch_late" and finding["article"] == "D6222-31"
    assert (finding["from"], finding["to"]) == ("2026-04-01", "2026-05-14")
    assert (finding["written"], finding["legal"]) == ("27 %", "43 %")


def test_a_hiring_salary_below_the_first_months_minimum_is_a_finding() -> None:
    v = values()
    assert v[F.SALARY_AT_HIRING] == "486,49"  # 27 % of 1 801,80 €
    v[F.SALARY_AT_HIRING] = "450,00"
    (finding,) = findings(v)
    assert finding["kind"] == "salary_below_minimum"
    assert (finding["written"], finding["legal"], finding["field"]) == ("450.00", "486.49", F.SALARY_AT_HIRING)


def test_a_pay_table_on_the_smic_where_the_smc_is_higher_is_a_wrong_base() -> None:
    t = terms(birth="2003-02-10", smc=[{"from": "2025-09-01", "monthly": "2300.00"}])  # 22: SMC (D6222-26)
    v = values(t)
    assert v[F.pay_fields(1, 1)[3]] == "SMC"
    v[F.pay_fields(1, 1)[3]] = "SMIC"
    reading = read_form(v, parse_terms(t).to_json())
    from domain.cerfa.pay_table import check_pay_table

    (finding,) = check_pay_table(reading.pay_table, reading.salary_at_hiring, schedule_of(t))
    assert (finding["kind"], finding["written"], finding["legal"]) == ("wrong_base", "SMIC", "SMC")


def test_a_fifteen_year_old_without_the_3e_on_the_form_is_refused_with_l6222_1() -> None:
    t = terms(birth="2010-06-10", apprentice__lower_secondary_completed=True)
    v = values(t)
    assert v[F.LAST_CLASS] == "40"
    v[F.LAST_CLASS] = "41"  # left school in 3e: the 3e is not completed
    case = read_case(fill_pdf(v), REF)
    assert case.error is not None
    assert (case.error["field"], case.error["rule"]) == ("apprentice.lower_secondary_completed", "L6222-1")


def test_a_form_written_by_hand_reads_french_numbers_spaced_sirets_and_worded_bases() -> None:
    v = values()
    v[F.SALARY_AT_HIRING] = "1.486,49 €"
    v[F.EMPLOYER_SIRET] = "123 456 789 00011"
    v[F.pay_fields(1, 1)[3]] = "Smic"
    v[F.pay_fields(1, 1)[2]] = "27,00"
    reading = read_form(v)
    assert reading.salary_at_hiring == "1486.49"
    assert reading.terms["employer"]["siret"] == "12345678900011"
    assert reading.pay_table[0]["base"] == "SMIC" and reading.pay_table[0]["pct"] == 27
    assert reading.problems == []
