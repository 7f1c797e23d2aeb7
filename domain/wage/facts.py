"""What the wage depends on: the terms plus the lifecycle events, reduced to dated facts.

The lifecycle checks that matter to the wage (extension length, termination date, SMC dates) are here as
functions, and the Contract aggregate calls the same functions, so each rule exists once.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from domain import contract_events, law
from domain.dates import add_months
from domain.errors import IllegalTransition, InvalidEvent, InvalidTerms
from domain.terms import ContractTerms, SmcEntry, check_terms, parse_date, parse_money, parse_terms

# The recorded events that change a contract's wage facts (the others leave the minimum as it is), and every
# event a schedule case may hold (the others than those have no effect on the wage; DecisionOverdue is an
# older name a case may still carry).
WAGE_FACT_EVENTS = contract_events.WAGE_FACT_EVENTS
KNOWN_EVENT_TYPES = frozenset({*contract_events.BY_NAME, "DecisionOverdue"})


def check_extension(current_end: date, new_end: date, already_extended: bool) -> None:
    """L6222-11: one prolongation after an exam failure, of one year at most."""
    if already_extended:
        raise IllegalTransition(
            "the contract was already extended after an exam failure",
            field="new_end_date",
            rule=law.MAX_EXTENSION_MONTHS.article,
        )
    if new_end <= current_end:
        raise IllegalTransition(
            f"new_end_date {new_end} must be after the current end {current_end}",
            field="new_end_date",
            rule=law.MAX_EXTENSION_MONTHS.article,
        )
    limit = add_months(current_end, law.MAX_EXTENSION_MONTHS.value)
    if new_end > limit:
        raise IllegalTransition(
            f"new_end_date {new_end} extends the contract by more than "
            f"{law.MAX_EXTENSION_MONTHS.value} months (latest {limit})",
            field="new_end_date",
            rule=law.MAX_EXTENSION_MONTHS.article,
        )


def check_termination(start: date, effective_end: date, on: date) -> None:
    """L6222-18: a rupture ends a running contract; it cannot precede the start or follow the end."""
    if on < start:
        raise IllegalTransition(
            f"termination on {on} is before the contract start {start}", field="on", rule=law.TERMINATION_ARTICLE
        )
    if on > effective_end:
        raise IllegalTransition(
            f"termination on {on} is after the contract's end {effective_end}", field="on", rule=law.TERMINATION_ARTICLE
        )


def check_within_contract(start: date, effective_end: date, on: date, field: str, what: str) -> None:
    if on < start or on > effective_end:
        raise IllegalTransition(f"{what} on {on} is outside the contract ({start} to {effective_end})", field=field)


@dataclass(frozen=True)
class WageFacts:
    terms: ContractTerms
    planned_end: date  # after any exam-failure extension
    exam_extension_start: date | None
    disability_from: date | None
    smc: tuple[SmcEntry, ...]
    terminated_on: date | None

    @property
    def effective_end(self) -> date:
        return self.terminated_on or self.planned_end

    @classmethod
    def of(cls, terms: ContractTerms) -> WageFacts:
        return cls(
            terms,
            terms.end_date,
            None,
            terms.start_date if terms.apprentice.disability_recognised else None,
            terms.smc,
            None,
        )

    # The transitions the wage cares about; each validates with the shared checks above.
    def extended(self, on: date, new_end: date) -> WageFacts:
        if self.terminated_on is not None:
            raise IllegalTransition("the contract is terminated", field="type")
        check_extension(self.planned_end, new_end, self.exam_extension_start is not None)
        return replace(self, planned_end=new_end, exam_extension_start=self.planned_end + timedelta(days=1))

    def disability_recognised(self, on: date) -> WageFacts:
        check_within_contract(self.terms.start_date, self.effective_end, on, "on", "disability recognition")
        return self if self.disability_from is not None else replace(self, disability_from=on)

    def smc_changed(self, from_date: date, monthly: Decimal) -> WageFacts:
        check_within_contract(self.terms.start_date, self.effective_end, from_date, "from", "SMC change")
        entries = [e for e in self.smc if e.from_date != from_date] + [SmcEntry(from_date, monthly)]
        return replace(self, smc=tuple(sorted(entries, key=lambda e: e.from_date)))

    def terminated(self, on: date) -> WageFacts:
        if self.terminated_on is not None:
            raise IllegalTransition("the contract is already terminated", field="type", rule=law.TERMINATION_ARTICLE)
        check_termination(self.terms.start_date, self.effective_end, on)
        return replace(self, terminated_on=on)

    def corrected(self, terms: ContractTerms) -> WageFacts:
        facts = WageFacts.of(terms)
        if self.exam_extension_start is not None:
            facts = facts.extended(self.exam_extension_start, self.planned_end)
        if self.disability_from is not None and not terms.apprentice.disability_recognised:
            facts = facts.disability_recognised(self.disability_from)
        for entry in self.smc:
            if entry not in terms.smc:
                facts = facts.smc_changed(entry.from_date, entry.monthly)
        if self.terminated_on is not None:
            facts = facts.terminated(self.terminated_on)
        return facts


def _field(event: Mapping[str, Any], key: str, index: int) -> Any:
    if event.get(key) is None:
        raise InvalidEvent(f"events[{index}].{key} is required for {event.get('type')}", field=f"events[{index}].{key}")
    return event[key]


def _date(event: Mapping[str, Any], key: str, index: int) -> date:
    try:
        return parse_date(_field(event, key, index), f"events[{index}].{key}")
    except InvalidTerms as e:
        raise InvalidEvent(e.detail, field=e.field) from None


def deep_merge(base: Mapping[str, Any], changes: Mapping[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for k, v in changes.items():
        out[k] = deep_merge(out[k], v) if isinstance(v, Mapping) and isinstance(out.get(k), Mapping) else v
    return out


def corrected_terms(current: ContractTerms, event: Mapping[str, Any], index: int) -> ContractTerms:
    """A TermsCorrected event carries either the whole corrected `terms` or the `changes` to merge."""
    if isinstance(event.get("terms"), Mapping):
        raw = event["terms"]
    elif isinstance(event.get("changes"), Mapping):
        raw = deep_merge(current.to_json(), event["changes"])
    else:
        raise InvalidEvent(
            f"events[{index}] TermsCorrected needs 'terms' or 'changes'", field=f"events[{index}].changes"
        )
    terms = parse_terms(raw)
    check_terms(terms)
    return terms


def apply_event(facts: WageFacts, event: Any, index: int) -> WageFacts:
    if not isinstance(event, Mapping):
        raise InvalidEvent(f"events[{index}] must be a JSON object", field=f"events[{index}]")
    kind = event.get("type")
    if not isinstance(kind, str) or kind not in KNOWN_EVENT_TYPES:
        raise InvalidEvent(f"events[{index}].type '{kind}' is not a known event", field=f"events[{index}].type")
    if kind == "ExamFailedExtended":
        return facts.extended(_date(event, "on", index), _date(event, "new_end_date", index))
    if kind == "DisabilityRecognised":
        return facts.disability_recognised(_date(event, "on", index))
    if kind == "SmcChanged":
        try:
            monthly = parse_money(_field(event, "monthly", index), f"events[{index}].monthly")
        except InvalidTerms as e:
            raise InvalidEvent(e.detail, field=e.field) from None
        return facts.smc_changed(_date(event, "from", index), monthly)
    if kind == "Terminated":
        return facts.terminated(_date(event, "on", index))
    if kind == "TermsCorrected":
        return facts.corrected(corrected_terms(facts.terms, event, index))
    return facts


def wage_facts(terms: ContractTerms, events: Iterable[Any] = ()) -> WageFacts:
    facts = WageFacts.of(terms)
    for i, event in enumerate(events):
        facts = apply_event(facts, event, i)
    return facts
