"""The CERFA use cases: a contract drafted from a filled form, a contract's form filled, its pay table checked.

The reading and the rules are the domain's (`domain/cerfa/`); the PDF is `pdf.py`'s; this joins them to the
application (idempotency, one save, the decrypted terms and the ledger's own schedule).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from uuid import UUID

from domain.cerfa.filling import form_values
from domain.cerfa.pay_table import check_pay_table
from domain.cerfa.reading import FormReading, read_form
from domain.contract import Contract
from domain.errors import DomainError, FormIncomplete
from domain.terms import parse_terms
from domain.wage.cases import schedule_for
from domain.wage.reference import WageReference
from ledger.application import Contracts, DraftResult
from ledger.cerfa.pdf import fill_pdf, read_pdf


@dataclass
class FormCase:
    """One form read: what `ledger cerfa read` prints for it."""

    reading: FormReading
    findings: list[dict[str, Any]] = field(default_factory=list)
    error: dict[str, Any] | None = None  # the rules' refusal of the terms read, if any

    def as_dict(self, name: str) -> dict[str, Any]:
        r = self.reading
        out: dict[str, Any] = {
            "id": name,
            "file": name,
            "terms": r.terms,
            "events": r.events,
            "pay_table": [{**p, "pct": _number(p["pct"])} for p in r.pay_table],
            "salary_at_hiring": r.salary_at_hiring,
            "problems": r.problems,
            "findings": self.findings,
        }
        if self.error is not None:
            out["error"] = self.error
        return out


def _number(value: Any) -> Any:
    return int(value) if value == int(value) else float(value)


def read_case(data: bytes, ref: WageReference) -> FormCase:
    """Read a filled form and check its pay table against the schedule its own terms give."""
    values, supplement = read_pdf(data)
    case = FormCase(read_form(values, supplement))
    if case.reading.blocking:
        return case
    try:
        schedule, _ = schedule_for(case.reading.terms, case.reading.events, ref)
    except DomainError as e:
        case.error = e.as_problem()
        return case
    case.findings = check_pay_table(case.reading.pay_table, case.reading.salary_at_hiring, schedule)
    return case


@dataclass
class FormDraft:
    result: DraftResult
    case: FormCase


def draft_from_form(app: Contracts, data: bytes, cfa_id: str | None) -> FormDraft:
    """Draft (and sign, when the form is concluded) the contract of a filled form, with its pay table, in one
    save. The form's content is the idempotency key: the same file again drafts nothing new."""
    case = read_case(data, app.reference.current())
    if case.reading.blocking:
        raise FormIncomplete(case.reading.blocking)
    reading, digest = case.reading, hashlib.sha256(data).hexdigest()
    terms = parse_terms(reading.terms).to_json()

    def recorded_with_the_draft(contract: Contract) -> None:
        contract.attach_form(reading.pay_table, reading.salary_at_hiring, digest)
        for event in reading.events:
            if event["type"] == "Signed":
                contract.sign(date.fromisoformat(event["on"]))

    result = app.draft_contract(terms, f"cerfa:{digest}", cfa_id, then=recorded_with_the_draft)
    return FormDraft(result, case)


def filled_form(app: Contracts, contract_id: UUID) -> bytes:
    """The blank form filled from the contract as it is now, its pay table from the ledger's schedule."""
    contract = app.read_contract(contract_id)
    schedule = app.wage_schedule(contract_id)
    values = form_values(contract.terms, schedule, contract.signed_on)
    return fill_pdf(values, contract.terms.to_json())


def conformity(app: Contracts, contract_id: UUID) -> dict[str, Any]:
    """The form's pay table (kept from its import) checked against the schedule the ledger computes now."""
    contract = app.read_contract(contract_id)
    if contract.form is None:
        return {"contract_id": str(contract_id), "form": False, "findings": []}
    schedule = app.wage_schedule(contract_id)
    form = contract.form
    findings = check_pay_table(form["pay_table"], form["salary_at_hiring"], schedule)
    return {
        "contract_id": str(contract_id),
        "form": True,
        "pay_table": [{**p, "pct": _number(p["pct"])} for p in form["pay_table"]],
        "salary_at_hiring": form["salary_at_hiring"],
        "findings": findings,
        "conforming": not findings,
    }
