"""One `ledger funding` case: `{"id", "terms", "events", "npec"?}` in, the funding state (or an error) out.

`npec` lists NPEC versions to use on top of the reference (for simulation): `{"certification", "branch"
(IDCC, or null for a decree NPEC), "amount", "applies_from", "decided_on"? (an NpecFixed decision)}`.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from domain.errors import DomainError, InvalidTerms
from domain.funding.engine import FundingReadings, compute_funding, funding_facts
from domain.funding.hiring_aid import hiring_aid
from domain.funding.reference import FundingTables, Npec
from domain.funding.report import funding_json, hiring_aid_json
from domain.terms import check_terms, parse_date, parse_money, parse_terms

MAX_NPEC_ENTRIES = 50


def _npecs(raw: Any) -> list[Npec]:
    if raw is None:
        return []
    if not isinstance(raw, list) or len(raw) > MAX_NPEC_ENTRIES:
        raise InvalidTerms(f"npec must be a list of at most {MAX_NPEC_ENTRIES} entries", field="npec")
    out = []
    for i, n in enumerate(raw):
        if not isinstance(n, Mapping) or not isinstance(n.get("certification"), str):
            raise InvalidTerms(f"npec[{i}] needs a certification", field=f"npec[{i}].certification")
        branch = n.get("branch")
        if branch is not None and not isinstance(branch, str):
            raise InvalidTerms(f"npec[{i}].branch must be an IDCC or null", field=f"npec[{i}].branch")
        decided = n.get("decided_on")
        out.append(
            Npec(
                n["certification"],
                branch,
                parse_money(n.get("amount"), f"npec[{i}].amount"),
                parse_date(n.get("applies_from"), f"npec[{i}].applies_from"),
                str(n.get("source", "case")),
                parse_date(decided, f"npec[{i}].decided_on") if decided is not None else None,
            )
        )
    return out


def run_funding_case(case: Any, tables: FundingTables, readings: FundingReadings, today: date) -> dict[str, Any]:
    case_id = case.get("id") if isinstance(case, Mapping) else None
    try:
        if not isinstance(case, Mapping):
            raise InvalidTerms("each line must be a JSON object {id, terms, events, npec}", field="(line)")
        terms = parse_terms(case.get("terms"))
        check_terms(terms)
        events = case.get("events") or []
        if not isinstance(events, list):
            raise InvalidTerms("events must be a list", field="events")
        facts = funding_facts(terms, events)
        funding = compute_funding(facts, tables.with_npecs(*_npecs(case.get("npec"))), readings)
    except DomainError as e:
        return {"id": case_id, "error": e.as_problem()}
    return {"id": case_id, **funding_json(funding, today), "hiring_aid": hiring_aid_json(hiring_aid(facts))}
