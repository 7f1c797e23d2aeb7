"""The Contract aggregate: one apprenticeship contract, from its draft to its end (spec §6).

Style of eventsourcing's `bankaccounts` example: each public command method checks the rules against the
current state and raises a `DomainError` naming the field and the article; only then does it call a
private `@event` method, whose body just changes the state. Those bodies run again on every replay, so
they never check anything, never read the clock and compute nothing that a later code change could alter:
whatever was derived when the command ran (deadlines, warnings, decision date) is recorded in the event.

Event names and payload names are public (interfaces §3): never rename them. The class stays in this module:
its events' topics (`domain.contract:Contract.Signed`…) are stored with them. What it derives at drafting is in
`domain.drafting`, its statuses in `domain.contract_status`, the reading of an event's JSON in
`domain.event_payload`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date, timedelta
from decimal import Decimal
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain import law
from domain.clock import ClockState
from domain.contract_events import BY_NAME, RECORDABLE
from domain.contract_status import (
    ACCEPTED,
    DRAFTED,
    ENDED,
    EXTENDED,
    FILED,
    FINAL,
    FINAL_STATUS_ARTICLE,
    LIVE,
    REFUSED,
    RUNNING,
    SIGNED,
    TERMINATED,
)
from domain.drafting import changed_paths, compute_deadlines, contract_id_for
from domain.errors import IllegalTransition, InvalidEvent, InvalidTerms
from domain.event_payload import EventPayload, check_reason
from domain.personal_data import erased_terms, is_erased
from domain.terms import (
    MAX_AMOUNT,
    ContractTerms,
    check_terms,
    parse_terms,
)
from domain.wage.facts import check_extension, check_termination, check_within_contract, deep_merge
from domain.wage.milestones import bracket_switches, credited_months, year_starts


class Contract(Aggregate):
    """State of one contract; the events are its history."""

    @staticmethod
    def create_id(idempotency_key: str, **_: Any) -> UUID:
        return contract_id_for(idempotency_key)

    # -- drafting -----------------------------------------------------------------------------------
    @classmethod
    def draft(cls, terms: ContractTerms, idempotency_key: str, cfa_id: str | None = None) -> Contract:
        """A new contract from valid terms; raises InvalidTerms when a hard rule (§6) is broken."""
        warnings = check_terms(terms)
        return cls(
            idempotency_key=idempotency_key,
            terms=terms.to_json(),
            deadlines=compute_deadlines(terms),
            warnings=warnings,
            cfa_id=cfa_id,
        )

    @event("Drafted")
    def __init__(
        self,
        idempotency_key: str,
        terms: dict[str, Any],
        deadlines: dict[str, Any],
        warnings: list[dict[str, str]],
        cfa_id: str | None,
    ) -> None:
        # State is plain JSON-able data (dicts keyed by str, lists, dates, Decimals): snapshots store it as is.
        self.idempotency_key = idempotency_key
        self.terms_data = terms
        self.drafted_terms_data = terms  # what the idempotency key stands for, even after corrections
        self.deadlines_data = dict(deadlines)
        self.warnings = list(warnings)
        self.cfa_id = cfa_id
        self.status = DRAFTED
        self.signed_on: date | None = None
        self.filed_on: date | None = None
        self.authority: str | None = None
        self.decision_due: date | None = None
        self.decided_on: date | None = None
        self.accepted: bool | None = None
        self.decision_reason: str | None = None
        self.decision_implicit = False
        self.probation_ended_on: date | None = None
        self.age_brackets: dict[str, date] = {}  # age → effective date
        self.contract_years: dict[str, date] = {}  # year → effective date
        self.extended_on: date | None = None
        self.previous_end_date: date | None = None
        self.extended_end_date: date | None = None
        self.disability_recognised_on: date | None = None
        self.smc_changes: list[dict[str, Any]] = []
        self.terminated_on: date | None = None
        self.termination_reason: str | None = None
        self.ended_on: date | None = None
        self.notices: list[str] = []  # clock keys of the notices recorded (filing overdue, end approaching)
        self.corrections = 0
        self.form: dict[str, Any] | None = None  # the CERFA it was drafted from: pay table, hiring salary, hash

    # -- derived state ------------------------------------------------------------------------------
    @property
    def terms(self) -> ContractTerms:
        return parse_terms(self.terms_data)

    @property
    def start_date(self) -> date:
        return date.fromisoformat(self.terms_data["start_date"])

    @property
    def planned_end(self) -> date:
        """The end the contract runs to unless terminated: the exam-failure extension, else the terms' end."""
        return self.extended_end_date or date.fromisoformat(self.terms_data["end_date"])

    @property
    def effective_end(self) -> date:
        """Termination date, else extension end, else planned end."""
        return self.terminated_on or self.planned_end

    @property
    def master_id(self) -> str | None:
        master = self.terms_data.get("master")
        return master["id"] if master else None

    @property
    def filing_due(self) -> date:
        return self.deadlines_data["filing_due"]  # type: ignore[no-any-return]

    @property
    def filing_authority(self) -> str:
        return self.deadlines_data["filing_authority"]  # type: ignore[no-any-return]

    @property
    def probation_end_earliest(self) -> date:
        return self.deadlines_data["probation_end_earliest"]  # type: ignore[no-any-return]

    @property
    def deadlines(self) -> dict[str, Any]:
        return {**self.deadlines_data, "decision_due": self.decision_due}

    @property
    def recorded_keys(self) -> frozenset[str]:
        """Natural keys of the time-driven events already recorded (what the clock must not repeat)."""
        keys = {f"age:{a}" for a in self.age_brackets} | {f"year:{y}" for y in self.contract_years}
        keys |= set(self.notices)
        if self.decided_on is not None:
            keys.add("decision")
        if self.ended_on is not None:
            keys.add("end")
        return frozenset(keys)

    def clock_state(self) -> ClockState:
        return ClockState(
            terms=self.terms,
            status=self.status,
            planned_end=self.planned_end,
            terminated_on=self.terminated_on,
            recorded_keys=self.recorded_keys,
            filing_due=self.filing_due,
            decision_due=self.decision_due,
            authority=self.authority,
        )

    def as_dict(self) -> dict[str, Any]:
        """The current state as data (dates and Decimals still typed; see domain.events.jsonable)."""
        return {
            "id": self.id,
            "version": self.version,
            "status": self.status,
            "cfa_id": self.cfa_id,
            "terms": self.terms_data,
            "warnings": self.warnings,
            "deadlines": self.deadlines,
            "signed_on": self.signed_on,
            "filed_on": self.filed_on,
            "authority": self.authority,
            "decision": None
            if self.decided_on is None
            else {
                "on": self.decided_on,
                "accepted": self.accepted,
                "reason": self.decision_reason,
                "implicit": self.decision_implicit,
            },
            "probation_ended_on": self.probation_ended_on,
            "extension": None
            if self.extended_on is None
            else {
                "on": self.extended_on,
                "previous_end_date": self.previous_end_date,
                "new_end_date": self.extended_end_date,
            },
            "disability_recognised_on": self.disability_recognised_on,
            "smc_changes": self.smc_changes,
            "age_brackets": self.age_brackets,
            "contract_years": self.contract_years,
            "termination": None
            if self.terminated_on is None
            else {"on": self.terminated_on, "reason": self.termination_reason},
            "ended_on": self.ended_on,
            "planned_end": self.planned_end,
            "effective_end": self.effective_end,
        }

    # -- guards -------------------------------------------------------------------------------------
    def _require(self, allowed: frozenset[str] | set[str], what: str, rule: str | None) -> None:
        if self.status in FINAL:
            raise IllegalTransition(
                f"cannot record {what}: the contract is {self.status}",
                field="type",
                rule=FINAL_STATUS_ARTICLE[self.status],
            )
        if self.status not in allowed:
            raise IllegalTransition(
                f"cannot record {what} on a {self.status} contract (allowed when {', '.join(sorted(allowed))})",
                field="type",
                rule=rule,
            )

    def _within(self, on: date, fld: str, what: str, rule: str | None = None) -> None:
        if on < self.start_date or on > self.effective_end:
            raise IllegalTransition(
                f"{what} on {on} is outside the contract ({self.start_date} to {self.effective_end})",
                field=fld,
                rule=rule,
            )

    # -- commands and their events --------------------------------------------------------------------
    def sign(self, on: date) -> None:
        self._require({DRAFTED}, "a signature", law.SIGNATURE_ARTICLE)
        if on > self.planned_end:
            raise IllegalTransition(
                f"signature on {on} is after the contract's end {self.planned_end}",
                field="on",
                rule=law.SIGNATURE_ARTICLE,
            )
        self._signed(on=on)

    @event("Signed")
    def _signed(self, on: date) -> None:
        self.status = SIGNED
        self.signed_on = on

    def attach_form(self, pay_table: list[dict[str, Any]], salary_at_hiring: str | None, form_sha256: str) -> None:
        """Keep what the employer wrote on the CERFA it signed (its pay table and hiring salary), so the form
        can be checked against the legal minimum at any time (D6222-26, D6222-31)."""
        self._require({DRAFTED}, "a CERFA form", law.SIGNATURE_ARTICLE)
        self._form_attached(pay_table=pay_table, salary_at_hiring=salary_at_hiring, form_sha256=form_sha256)

    @event("FormAttached")
    def _form_attached(self, pay_table: list[dict[str, Any]], salary_at_hiring: str | None, form_sha256: str) -> None:
        self.form = {"pay_table": pay_table, "salary_at_hiring": salary_at_hiring, "sha256": form_sha256}

    def file(self, on: date, authority: str) -> None:
        expected = self.filing_authority
        self._require({SIGNED}, "a filing", law.FILING_WORKING_DAYS.article)
        if authority != expected:
            sector = law.AUTHORITIES[expected]
            raise IllegalTransition(
                f"a {sector} employer's contract is filed with the {expected}, not '{authority}'",
                field="authority",
                rule=law.FILING_AUTHORITY_ARTICLES[expected],
            )
        assert self.signed_on is not None
        if on < self.signed_on:
            raise IllegalTransition(
                f"filing on {on} is before the signature on {self.signed_on}",
                field="on",
                rule=law.FILING_WORKING_DAYS.article,
            )
        self._filed(on=on, authority=authority, decision_due=on + timedelta(days=law.DECISION_DAYS.value))

    @event("Filed")
    def _filed(self, on: date, authority: str, decision_due: date) -> None:
        self.status = FILED
        self.filed_on = on
        self.authority = authority
        self.decision_due = decision_due

    def decide_filing(self, on: date, accepted: bool, reason: str = "", implicit: bool = False) -> None:
        rule = law.DECISION_DAYS.article
        self._require({FILED}, "a filing decision", rule)
        assert self.filed_on is not None and self.decision_due is not None and self.authority is not None
        if on < self.filed_on:
            raise IllegalTransition(f"decision on {on} is before the filing on {self.filed_on}", field="on", rule=rule)
        if implicit:
            if on < self.decision_due:
                raise IllegalTransition(
                    f"silence is a decision only from {self.decision_due} "
                    f"({law.DECISION_DAYS.value} days after filing)",
                    field="on",
                    rule=rule,
                )
            silence = law.SILENCE_MEANS_ACCEPTANCE[self.authority]
            if accepted != silence:
                raise IllegalTransition(
                    f"the {self.authority}'s silence means {'acceptance' if silence else 'refusal'}",
                    field="accepted",
                    rule=rule,
                )
        elif not accepted and not reason.strip():
            raise IllegalTransition("a refusal states its reason", field="reason", rule=law.REFUSAL_REASON_ARTICLE)
        self._filing_decided(on=on, accepted=accepted, reason=reason, implicit=implicit)

    @event("FilingDecided")
    def _filing_decided(self, on: date, accepted: bool, reason: str, implicit: bool) -> None:
        self.status = ACCEPTED if accepted else REFUSED
        self.decided_on = on
        self.accepted = accepted
        self.decision_reason = reason
        self.decision_implicit = implicit

    def end_probation(self, on: date) -> None:
        rule = law.PROBATION_DAYS.article
        self._require(RUNNING, "the end of the probation period", rule)
        if self.probation_ended_on is not None:
            raise IllegalTransition(
                f"the probation period already ended on {self.probation_ended_on}", field="type", rule=rule
            )
        if on < self.probation_end_earliest:
            raise IllegalTransition(
                f"the {law.PROBATION_DAYS.value}th day of practical training cannot be "
                f"before {self.probation_end_earliest}",
                field="on",
                rule=rule,
            )
        self._within(on, "on", "the end of the probation period", rule)
        self._probation_ended(on=on)

    @event("ProbationEnded")
    def _probation_ended(self, on: date) -> None:
        self.probation_ended_on = on

    def reach_age_bracket(self, effective_date: date, bracket: str, age: int) -> None:
        rule = law.BRACKET_CHANGE_ARTICLE
        self._require(RUNNING, "an age bracket change", rule)
        if str(age) in self.age_brackets:
            raise IllegalTransition(f"the bracket change at {age} was already recorded", field="age", rule=rule)
        if age not in law.BRACKET_AGES:
            raise InvalidEvent(f"age must be one of {law.BRACKET_AGES}", field="age", rule=rule)
        expected_label = law.BRACKET_LABELS[law.BRACKET_AGES.index(age) + 1]
        if bracket != expected_label:
            raise InvalidEvent(f"at {age} the bracket is '{expected_label}'", field="bracket", rule=rule)
        t = self.terms
        switch = next((s for s in bracket_switches(t.apprentice.birth_date, t.start_date) if s.age == age), None)
        if switch is None:
            raise IllegalTransition(
                f"the apprentice was already {age} when the contract started", field="age", rule=rule
            )
        self._within(effective_date, "effective_date", "an age bracket change", rule)
        if effective_date != switch.on:
            raise IllegalTransition(
                f"the change at {age} takes effect on {switch.on}", field="effective_date", rule=rule
            )
        self._age_bracket_reached(effective_date=effective_date, bracket=bracket, age=age)

    @event("AgeBracketReached")
    def _age_bracket_reached(self, effective_date: date, bracket: str, age: int) -> None:
        self.age_brackets[str(age)] = effective_date

    def start_contract_year(self, effective_date: date, year: int) -> None:
        rule = law.GRID_ARTICLE
        self._require(RUNNING, "a new contract year", rule)
        if str(year) in self.contract_years:
            raise IllegalTransition(f"year {year} was already recorded", field="year", rule=rule)
        t = self.terms
        start = next((y.on for y in year_starts(t.start_date, credited_months(t)) if y.year == year), None)
        if start is None:
            raise IllegalTransition(f"year {year} does not start during this contract", field="year", rule=rule)
        self._within(effective_date, "effective_date", "a new contract year", rule)
        if effective_date != start:
            raise IllegalTransition(f"year {year} starts on {start}", field="effective_date", rule=rule)
        self._contract_year_started(effective_date=effective_date, year=year)

    @event("ContractYearStarted")
    def _contract_year_started(self, effective_date: date, year: int) -> None:
        self.contract_years[str(year)] = effective_date

    def extend_for_exam_failure(self, on: date, new_end_date: date) -> None:
        rule = law.MAX_EXTENSION_MONTHS.article
        self._require({ACCEPTED, EXTENDED}, "an exam-failure extension", rule)
        check_extension(self.planned_end, new_end_date, self.extended_on is not None)
        self._within(on, "on", "the exam-failure extension", rule)
        self._exam_failed_extended(on=on, new_end_date=new_end_date, previous_end_date=self.planned_end)

    @event("ExamFailedExtended")
    def _exam_failed_extended(self, on: date, new_end_date: date, previous_end_date: date) -> None:
        self.status = EXTENDED
        self.extended_on = on
        self.previous_end_date = previous_end_date
        self.extended_end_date = new_end_date

    def recognise_disability(self, on: date) -> None:
        rule = law.DISABILITY_DURING_CONTRACT_ARTICLE
        self._require(RUNNING, "a disability recognition (correct the terms of a draft instead)", rule)
        if self.disability_recognised_on is not None or self.terms_data["apprentice"].get("disability_recognised"):
            raise IllegalTransition("the disability is already recognised", field="type", rule=rule)
        check_within_contract(self.start_date, self.effective_end, on, "on", "disability recognition")
        self._disability_recognised(on=on)

    @event("DisabilityRecognised")
    def _disability_recognised(self, on: date) -> None:
        self.disability_recognised_on = on

    def change_smc(self, from_date: date, monthly: Decimal) -> None:
        rule = law.GRID_ARTICLE
        self._require(LIVE, "a change of the branch minimum", rule)
        if monthly <= 0 or monthly > MAX_AMOUNT or monthly != monthly.quantize(Decimal("0.01")):
            raise InvalidEvent("monthly must be a positive amount in cents", field="monthly", rule=rule)
        self._within(from_date, "from", "an SMC change", rule)
        self._smc_changed(from_date=from_date, monthly=monthly)

    @event("SmcChanged")
    def _smc_changed(self, from_date: date, monthly: Decimal) -> None:
        self.smc_changes = [c for c in self.smc_changes if c["from"] != from_date] + [
            {"from": from_date, "monthly": monthly}
        ]

    def terminate(self, on: date, reason: str) -> None:
        self._require(RUNNING, "a termination", law.TERMINATION_ARTICLE)
        check_reason(reason)
        check_termination(self.start_date, self.effective_end, on)
        self._terminated(on=on, reason=reason)

    @event("Terminated")
    def _terminated(self, on: date, reason: str) -> None:
        self.status = TERMINATED
        self.terminated_on = on
        self.termination_reason = reason

    def end(self, on: date) -> None:
        self._require(RUNNING, "the natural end", law.TERM_ARTICLE)
        if on != self.planned_end:
            raise IllegalTransition(
                f"the contract ends on {self.planned_end}, not {on}", field="on", rule=law.TERM_ARTICLE
            )
        self._ended(on=on)

    @event("Ended")
    def _ended(self, on: date) -> None:
        self.status = ENDED
        self.ended_on = on

    def record_filing_overdue(self, effective_date: date) -> None:
        """Clock notice: the signed contract was not filed by its deadline."""
        rule = law.FILING_WORKING_DAYS.article
        self._require({SIGNED}, "a filing-overdue notice", rule)
        if "filing-overdue" in self.notices:
            raise IllegalTransition("the filing-overdue notice was already recorded", field="type", rule=rule)
        if effective_date <= self.filing_due:
            raise IllegalTransition(f"the filing is due by {self.filing_due}", field="effective_date", rule=rule)
        self._filing_overdue(effective_date=effective_date, filing_due=self.filing_due)

    @event("FilingOverdue")
    def _filing_overdue(self, effective_date: date, filing_due: date) -> None:
        self.notices = [*self.notices, "filing-overdue"]

    def record_end_approaching(self, effective_date: date, end_date: date) -> None:
        """Clock notice: the planned end is near (product notice, not a legal event)."""
        self._require(RUNNING, "an end-approaching notice", None)
        key = f"end-approaching:{end_date.isoformat()}"
        if key in self.notices:
            raise IllegalTransition("the end-approaching notice was already recorded", field="type")
        if end_date != self.planned_end:
            raise IllegalTransition(f"the contract ends on {self.planned_end}", field="end_date")
        if effective_date > end_date:
            raise IllegalTransition("the notice comes before the end", field="effective_date")
        self._end_approaching(effective_date=effective_date, end_date=end_date)

    @event("EndApproaching")
    def _end_approaching(self, effective_date: date, end_date: date) -> None:
        self.notices = [*self.notices, f"end-approaching:{end_date.isoformat()}"]

    def correct_terms(self, terms: ContractTerms, reason: str) -> None:
        """A correction of any term (birth date, start date, ...), re-validated as a draft would be."""
        self._require(LIVE, "a correction of the terms", law.CORRECTION_ARTICLE)
        check_reason(reason)
        new = terms.to_json()
        changed = changed_paths(self.terms_data, new)
        if not changed:
            raise InvalidTerms(
                "the corrected terms are the same as the current ones", field="terms", rule=law.CORRECTION_ARTICLE
            )
        if self.extended_on is not None and new["end_date"] != self.terms_data["end_date"]:
            raise IllegalTransition(
                "the end date of an extended contract is changed by its extension, not by a correction",
                field="end_date",
                rule=law.MAX_EXTENSION_MONTHS.article,
            )
        warnings = check_terms(terms)
        self._terms_corrected(
            terms=new, changed=changed, reason=reason, deadlines=compute_deadlines(terms), warnings=warnings
        )

    def erase_personal_data(self) -> None:
        """Erase the apprentice's name and exact birth date on request, in any status (RGPD art. 17)."""
        if is_erased(self.terms_data):
            raise IllegalTransition(
                "the apprentice's personal data are already erased", field="apprentice", rule=law.ERASURE_ARTICLE
            )
        self._personal_data_erased(
            terms=erased_terms(self.terms_data), drafted_terms=erased_terms(self.drafted_terms_data)
        )

    @event("PersonalDataErased")
    def _personal_data_erased(self, terms: dict[str, Any], drafted_terms: dict[str, Any]) -> None:
        self.terms_data = terms
        self.drafted_terms_data = drafted_terms

    @event("TermsCorrected")
    def _terms_corrected(
        self,
        terms: dict[str, Any],
        changed: list[str],
        reason: str,
        deadlines: dict[str, Any],
        warnings: list[dict[str, str]],
    ) -> None:
        self.terms_data = terms
        self.deadlines_data = dict(deadlines)
        self.warnings = list(warnings)
        self.corrections += 1

    # -- the interfaces §3 JSON form --------------------------------------------------------------------
    def record(self, payload: Mapping[str, Any], *, by_service: bool = False) -> None:
        """Record one event given in its JSON form (`{"type": "Signed", "on": "2025-09-01"}`).

        Field types are checked first (InvalidEvent naming the field), then the command's rules apply.
        Time-driven events are the service's own (`by_service=True`); a user cannot record them. Fields
        the service derives itself (`decision_due`, `previous_end_date`, `changed`, ...) are accepted and
        ignored, so the history read back from the store can be fed in again.
        """
        if not isinstance(payload, Mapping):
            raise InvalidEvent("an event is a JSON object with a 'type'", field="type")
        kind = payload.get("type")
        spec = BY_NAME.get(kind) if isinstance(kind, str) else None
        if spec is None or not spec.recordable:
            raise InvalidEvent(
                f"type {kind!r} is not an event a contract records (one of {', '.join(sorted(_APPLY))})",
                field="type",
            )
        if spec.by_service and not by_service:
            raise InvalidEvent(f"{kind} is recorded by the service itself, not by a user", field="type")
        unknown = sorted(set(payload) - {"type"} - set(spec.fields) - set(spec.derived))
        if unknown:
            fields = ", ".join(spec.fields)
            raise InvalidEvent(f"{kind} has no field '{unknown[0]}' (fields: {fields})", field=unknown[0])
        _APPLY[spec.name](self, EventPayload(payload, by_service))


def _record_correction(c: Contract, p: EventPayload) -> None:
    whole, changes = p.mapping("terms"), p.mapping("changes")
    if (whole is None) == (changes is None):
        raise InvalidEvent(
            "TermsCorrected carries either the whole 'terms' or the 'changes' to merge",
            field="changes" if whole is None else "terms",
        )
    raw = whole if whole is not None else deep_merge(c.terms_data, changes or {})
    c.correct_terms(parse_terms(raw), p.text("reason"))


def _record_decision(c: Contract, p: EventPayload) -> None:
    implicit = p.boolean("implicit", False)
    if implicit and not p.by_service:
        raise InvalidEvent("an implicit decision (silence) is recorded by the service itself", field="implicit")
    c.decide_filing(p.date("on"), p.boolean("accepted"), p.text("reason", ""), implicit)


# How each recordable event (`contract_events.RECORDABLE`: its fields, who records it) is applied.
_APPLY: dict[str, Callable[[Contract, EventPayload], None]] = {
    "Signed": lambda c, p: c.sign(p.date("on")),
    "Filed": lambda c, p: c.file(p.date("on"), p.text("authority")),
    "FilingDecided": _record_decision,
    "ProbationEnded": lambda c, p: c.end_probation(p.date("on")),
    "ExamFailedExtended": lambda c, p: c.extend_for_exam_failure(p.date("on"), p.date("new_end_date")),
    "DisabilityRecognised": lambda c, p: c.recognise_disability(p.date("on")),
    "SmcChanged": lambda c, p: c.change_smc(p.date("from"), p.money("monthly")),
    "Terminated": lambda c, p: c.terminate(p.date("on"), p.text("reason")),
    "TermsCorrected": _record_correction,
    "AgeBracketReached": lambda c, p: c.reach_age_bracket(
        p.date("effective_date"), p.text("bracket"), p.integer("age")
    ),
    "ContractYearStarted": lambda c, p: c.start_contract_year(p.date("effective_date"), p.integer("year")),
    "Ended": lambda c, p: c.end(p.date("on")),
    "FilingOverdue": lambda c, p: c.record_filing_overdue(p.date("effective_date")),
    "EndApproaching": lambda c, p: c.record_end_approaching(p.date("effective_date"), p.date("end_date")),
}
assert set(_APPLY) == {k.name for k in RECORDABLE}, "every recordable event is applied, and only those"
