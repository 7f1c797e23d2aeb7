"""One schedule case of interfaces §2: `{"id", "terms", "events"}` in, `{"id", "months"}` or `{"id", "error"}` out."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from domain.errors import DomainError, InvalidTerms
from domain.terms import check_terms, parse_terms
from domain.wage.engine import Schedule, compute_schedule, schedule_json
from domain.wage.facts import wage_facts
from domain.wage.reference import WageReference


def schedule_for(terms_raw: Any, events: Any, ref: WageReference) -> tuple[Schedule, list[dict[str, str]]]:
    """Validate the terms and events by the lifecycle rules, then compute. Raises DomainError."""
    terms = parse_terms(terms_raw)
    warnings = check_terms(terms)
    if events is None:
        events = []
    if not isinstance(events, list):
        raise InvalidTerms("events must be a list", field="events")
    return compute_schedule(wage_facts(terms, events), ref), warnings


def run_case(case: Any, ref: WageReference) -> dict[str, Any]:
    case_id = case.get("id") if isinstance(case, Mapping) else None
    try:
        if not isinstance(case, Mapping):
            raise InvalidTerms("each line must be a JSON object {id, terms, events}", field="(line)")
        if "terms" not in case:
            raise InvalidTerms("terms is required", field="terms")
        schedule, warnings = schedule_for(case["terms"], case.get("events"), ref)
    except DomainError as e:
        return {"id": case_id, "error": e.as_problem()}
    out: dict[str, Any] = {"id": case_id, "months": schedule_json(schedule)}
    if warnings:
        out["warnings"] = warnings
    return out
