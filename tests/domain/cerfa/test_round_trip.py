"""The form the ledger fills reads back to the same terms and the same schedule, for every rule family."""

from __future__ import annotations

from typing import Any

import pytest
from pypdf import PdfReader, PdfWriter

from domain.cerfa import fields as F
from domain.terms import parse_terms
from domain.wage.cases import run_case
from ledger.cerfa.forms import read_case
from ledger.cerfa.pdf import read_pdf
from tests.domain.cerfa.forms import BIRTHS, REF, admitted_cases, filled

# Every family, at every other birthday of the list: more than 50 forms, each filled and read back.
CASES = [(name, t) for name, t in admitted_cases() if name.split("-", 1)[1] in BIRTHS[::2] or name.startswith("age15")]
CASES = list(dict((name, (name, t)) for name, t in CASES).values())


def test_the_set_covers_every_family_with_more_than_fifty_forms() -> None:
    assert len(CASES) >= 50
    families = {name.split("-")[0] for name, _ in CASES}
    assert families >= {"plain", "public", "rqth", "smc", "reduced", "extended", "successive", "licence_pro"}
    assert {"mayotte", "master", "age15"} <= families


@pytest.mark.parametrize(("name", "t"), CASES, ids=[n for n, _ in CASES])
def test_a_filled_form_reads_back_to_the_same_terms_and_schedule_and_conforms(name: str, t: dict[str, Any]) -> None:
    case = read_case(filled(t), REF)
    assert case.reading.problems == []
    assert parse_terms(case.reading.terms).to_json() == parse_terms(t).to_json()
    assert case.reading.events == [{"type": "Signed", "on": "2025-08-25"}]
    # The schedule `ledger cerfa read | ledger schedule` computes is the one of the original terms.
    read_back = run_case({"id": name, "terms": case.reading.terms, "events": case.reading.events}, REF)
    assert read_back["months"] == run_case({"id": name, "terms": t}, REF)["months"]
    # The pay table the ledger writes is the legal one: checking it finds nothing.
    assert case.findings == []
    assert case.reading.pay_table and case.reading.pay_table[0]["from"] == t["start_date"]


def without_ledger_terms(pdf: bytes) -> bytes:
    """The same form as another tool would leave it: the fields only, no document information of the ledger."""
    import io

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    writer.metadata = None
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.mark.parametrize("family", ["plain", "public", "rqth", "licence_pro", "mayotte", "extended"])
def test_a_form_filled_elsewhere_reads_its_fields_alone(family: str) -> None:
    name, t = next((n, t) for n, t in CASES if n.startswith(family + "-"))
    pdf = without_ledger_terms(filled(t))
    assert read_pdf(pdf)[1] is None
    case = read_case(pdf, REF)
    got, want = parse_terms(case.reading.terms), parse_terms(t)
    assert got.apprentice == want.apprentice
    assert (got.start_date, got.end_date) == (want.start_date, want.end_date)
    assert (got.employer.siret, got.employer.sector, got.employer.postcode) == (
        want.employer.siret,
        want.employer.sector,
        want.employer.postcode,
    )
    assert (got.training.level, got.training.licence_pro, got.training.title) == (
        want.training.level,
        want.training.licence_pro,
        want.training.title,
    )


@pytest.mark.parametrize(
    ("family", "field", "article"),
    [
        ("reduced", F.DEROGATION, "D6222-28-1"),
        ("successive", F.CONTRACT_TYPE, "D6222-29"),
        ("smc", F.pay_fields(1, 1)[3], "D6222-26"),
    ],
)
def test_a_fact_the_form_cannot_carry_is_a_blocking_problem_naming_the_field(
    family: str, field: str, article: str
) -> None:
    # Born 2003: 22 at the start, so the SMC applies and the pay table says so.
    t = next(t for n, t in admitted_cases() if n == f"{family}-2003-02-28")
    case = read_case(without_ledger_terms(filled(t)), REF)
    (problem,) = case.reading.blocking
    assert (problem["field"], problem["article"]) == (field, article)
