"""The Contract aggregate's state machine and deadlines (spec §6), and the master roster (R6223-6).

Pure domain tests: no store. Every refusal checks the error names a field (and the article where there is
one), and that the refused command recorded nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from domain.contract import Contract
from domain.errors import DomainError, IllegalTransition, InvalidEvent, InvalidTerms, MasterLimitReached
from domain.events import event_json
from domain.roster import MasterRoster
from domain.terms import parse_terms
from tests.contract_builders import drafted, terms

D = date.fromisoformat


def refuses(
    c: Contract,
    command: Callable[[], Any],
    error: type[DomainError] = IllegalTransition,
    field: str | None = None,
    rule: str | None = None,
) -> DomainError:
    version, pending = c.version, len(c.pending_events)
    with pytest.raises(error) as info:
        command()
    assert (c.version, len(c.pending_events)) == (version, pending), "a refused command records nothing"
    if field is not None:
        assert info.value.field == field
    if rule is not None:
        assert info.value.rule == rule
    return info.value


def signed(**kw: Any) -> Contract:
    c = drafted(**kw)
    c.sign(D("2025-08-25"))
    return c


def filed(**kw: Any) -> Contract:
    c = signed(**kw)
    c.file(D("2025-09-03"), c.filing_authority)
    return c


def accepted(**kw: Any) -> Contract:
    c = filed(**kw)
    c.decide_filing(D("2025-09-10"), True, "")
    return c


# -- deadlines -------------------------------------------------------------------------------------------
def test_filing_is_due_5_jours_ouvrables_after_the_start_saturdays_counting() -> None:
    assert drafted().filing_due == D("2025-09-06")  # Mon 1 Sep → Sat 6 Sep


def test_filing_deadline_skips_sundays_and_public_holidays() -> None:
    c = drafted(start="2025-10-30", end="2027-10-29")  # Fri 31, (Sat 1 Nov holiday, Sun 2), Mon 3 … Thu 6
    assert c.filing_due == D("2025-11-06")


def test_probation_ends_at_the_earliest_on_the_45th_day_from_the_practical_start() -> None:
    assert drafted().probation_end_earliest == D("2025-10-15")
    assert drafted(training__practical_start_date="2025-09-15").probation_end_earliest == D("2025-10-29")


def test_the_filing_authority_is_the_opco_for_private_and_the_ddets_for_public_employers() -> None:
    assert drafted().filing_authority == "OPCO"
    assert drafted(sector="public").filing_authority == "DDETS"


def test_the_decision_is_due_20_days_after_filing() -> None:
    c = filed()
    assert c.decision_due == D("2025-09-23")
    assert c.deadlines["decision_due"] == D("2025-09-23")


def test_drafting_runs_the_terms_rules_and_keeps_the_warnings() -> None:
    with pytest.raises(InvalidTerms):
        Contract.draft(parse_terms(terms(birth="2011-01-01")), "k", None)
    assert [w["field"] for w in drafted().warnings] == ["end_date"]  # exams 30 Jun, end 31 Aug


def test_the_same_idempotency_key_gives_the_same_contract_id() -> None:
    assert drafted("key-1").id == drafted("key-1").id != drafted("key-2").id


# -- signature, filing, decision ----------------------------------------------------------------------------
def test_signing_twice_is_refused() -> None:
    c = signed()
    refuses(c, lambda: c.sign(D("2025-08-26")), field="type", rule="L6222-4")


def test_filing_before_signing_is_refused() -> None:
    c = drafted()
    refuses(c, lambda: c.file(D("2025-09-03"), "OPCO"), field="type")


def test_filing_with_the_wrong_authority_is_refused() -> None:
    c = signed()
    refuses(c, lambda: c.file(D("2025-09-03"), "DDETS"), field="authority", rule="L6224-1")
    p = signed(sector="public")
    refuses(p, lambda: p.file(D("2025-09-03"), "OPCO"), field="authority", rule="L6227-11")


def test_filing_before_the_signature_date_is_refused() -> None:
    c = signed()
    refuses(c, lambda: c.file(D("2025-08-24"), "OPCO"), field="on")


def test_deciding_before_filing_is_refused() -> None:
    c = signed()
    refuses(c, lambda: c.decide_filing(D("2025-09-10"), True), field="type")


def test_deciding_twice_is_refused() -> None:
    c = accepted()
    refuses(c, lambda: c.decide_filing(D("2025-09-11"), False, "late"), field="type")


def test_a_refusal_states_its_reason() -> None:
    c = filed()
    refuses(c, lambda: c.decide_filing(D("2025-09-10"), False, " "), field="reason", rule="D6224-2")


def test_silence_decides_only_once_the_20_days_have_passed() -> None:
    c = filed()
    refuses(c, lambda: c.decide_filing(D("2025-09-22"), False, "silence", implicit=True), field="on")
    c.decide_filing(D("2025-09-23"), False, "silence", implicit=True)
    assert c.status == "refused"


def test_opco_silence_means_refusal_and_ddets_silence_acceptance() -> None:
    c = filed()
    refuses(c, lambda: c.decide_filing(D("2025-09-23"), True, "", implicit=True), field="accepted")
    p = filed(sector="public")
    refuses(p, lambda: p.decide_filing(D("2025-09-23"), False, "x", implicit=True), field="accepted")
    p.decide_filing(D("2025-09-23"), True, "", implicit=True)
    assert p.status == "accepted"


def test_a_refused_contract_records_nothing_more() -> None:
    c = filed()
    c.decide_filing(D("2025-09-10"), False, "training not eligible")
    c.collect_events()
    for command in (
        lambda: c.terminate(D("2025-10-01"), "x"),
        lambda: c.change_smc(D("2025-10-01"), Decimal(1)),
        lambda: c.sign(D("2025-10-01")),
    ):
        refuses(c, command, field="type", rule="R6224-3 / R6275-3")


# -- probation, milestones ------------------------------------------------------------------------------------
def test_probation_cannot_end_before_the_45th_day() -> None:
    c = accepted()
    refuses(c, lambda: c.end_probation(D("2025-10-14")), field="on", rule="L6222-18")
    c.end_probation(D("2025-10-15"))
    c.collect_events()
    refuses(c, lambda: c.end_probation(D("2025-10-20")), field="type")


def test_probation_of_an_unsigned_draft_is_refused() -> None:
    c = drafted()
    refuses(c, lambda: c.end_probation(D("2025-10-20")), field="type")


def test_an_age_bracket_is_recorded_once_on_the_1st_of_the_month_after_the_birthday() -> None:
    c = accepted()
    refuses(c, lambda: c.reach_age_bracket(D("2026-03-15"), "18-20", 18), field="effective_date", rule="D6222-31")
    c.reach_age_bracket(D("2026-04-01"), "18-20", 18)
    c.collect_events()
    assert "age:18" in c.recorded_keys
    refuses(c, lambda: c.reach_age_bracket(D("2026-04-01"), "18-20", 18), field="age")


def test_an_age_bracket_outside_the_contract_is_refused() -> None:
    c = accepted()
    refuses(c, lambda: c.reach_age_bracket(D("2029-04-01"), "21-25", 21), field="effective_date")  # after the end
    refuses(c, lambda: c.reach_age_bracket(D("2025-08-01"), "18-20", 18), field="effective_date")  # before start


def test_an_age_bracket_with_the_wrong_label_is_refused() -> None:
    c = accepted()
    refuses(c, lambda: c.reach_age_bracket(D("2026-04-01"), "21-25", 18), InvalidEvent, field="bracket")


def test_a_contract_year_is_recorded_once_on_its_anniversary_within_the_contract() -> None:
    c = accepted()
    refuses(c, lambda: c.start_contract_year(D("2026-09-02"), 2), field="effective_date")
    c.start_contract_year(D("2026-09-01"), 2)
    c.collect_events()
    refuses(c, lambda: c.start_contract_year(D("2026-09-01"), 2), field="year")
    refuses(c, lambda: c.start_contract_year(D("2027-09-01"), 3), field="effective_date")  # after the end


# -- extension, termination, end ------------------------------------------------------------------------------
def test_an_exam_failure_extends_by_one_year_at_most() -> None:
    c = accepted()
    refuses(
        c, lambda: c.extend_for_exam_failure(D("2027-07-10"), D("2028-09-01")), field="new_end_date", rule="L6222-11"
    )
    refuses(c, lambda: c.extend_for_exam_failure(D("2027-07-10"), D("2027-08-31")), field="new_end_date")
    c.extend_for_exam_failure(D("2027-07-10"), D("2028-08-31"))
    assert (c.status, c.effective_end, c.previous_end_date) == ("extended", D("2028-08-31"), D("2027-08-31"))


def test_a_contract_is_extended_only_once() -> None:
    c = accepted()
    c.extend_for_exam_failure(D("2027-07-10"), D("2028-02-29"))
    c.collect_events()
    refuses(c, lambda: c.extend_for_exam_failure(D("2028-01-10"), D("2028-08-31")), field="new_end_date")


def test_only_an_accepted_contract_is_extended() -> None:
    c = filed()
    refuses(c, lambda: c.extend_for_exam_failure(D("2027-07-10"), D("2028-08-31")), field="type")


def test_no_extension_after_a_termination() -> None:
    c = accepted()
    c.terminate(D("2026-01-15"), "mutual_agreement")
    c.collect_events()
    refuses(c, lambda: c.extend_for_exam_failure(D("2026-01-15"), D("2028-08-31")), field="type", rule="L6222-18")


def test_termination_must_fall_within_the_contract() -> None:
    c = accepted()
    refuses(c, lambda: c.terminate(D("2025-08-31"), "x"), field="on", rule="L6222-18")
    refuses(c, lambda: c.terminate(D("2027-09-01"), "x"), field="on", rule="L6222-18")
    refuses(c, lambda: c.terminate(D("2026-01-15"), ""), InvalidEvent, field="reason")
    c.terminate(D("2025-09-01"), "mutual_agreement")
    assert (c.status, c.effective_end) == ("terminated", D("2025-09-01"))


def test_an_unsigned_draft_cannot_be_terminated() -> None:
    c = drafted()
    refuses(c, lambda: c.terminate(D("2025-10-01"), "x"), field="type")


def test_nothing_is_recorded_after_a_termination() -> None:
    c = accepted()
    c.terminate(D("2026-01-15"), "mutual_agreement")
    c.collect_events()
    refuses(c, lambda: c.terminate(D("2026-01-16"), "again"), field="type")
    refuses(c, lambda: c.recognise_disability(D("2026-01-10")), field="type")
    refuses(c, lambda: c.correct_terms(parse_terms(terms(birth="2008-03-16")), "typo"), field="type")
    refuses(c, lambda: c.end(D("2027-08-31")), field="type")


def test_the_natural_end_is_the_effective_end_date_and_final() -> None:
    c = accepted()
    refuses(c, lambda: c.end(D("2027-08-30")), field="on")
    c.end(D("2027-08-31"))
    c.collect_events()
    refuses(c, lambda: c.change_smc(D("2027-01-01"), Decimal("1900.00")), field="type", rule="L6222-7-1")


def test_an_extended_contract_ends_at_its_new_end() -> None:
    c = accepted()
    c.extend_for_exam_failure(D("2027-07-10"), D("2028-08-31"))
    refuses(c, lambda: c.end(D("2027-08-31")), field="on")
    c.end(D("2028-08-31"))
    assert c.status == "ended"


# -- disability, SMC, corrections -----------------------------------------------------------------------------
def test_a_disability_is_recognised_once_during_the_contract() -> None:
    c = accepted()
    refuses(c, lambda: c.recognise_disability(D("2027-09-01")), field="on")
    c.recognise_disability(D("2026-02-01"))
    c.collect_events()
    refuses(c, lambda: c.recognise_disability(D("2026-03-01")), field="type", rule="R6222-49")
    already = accepted(apprentice__disability_recognised=True)
    refuses(already, lambda: already.recognise_disability(D("2026-02-01")), field="type")


def test_the_branch_minimum_is_an_amount_in_cents_dated_within_the_contract() -> None:
    c = accepted()
    refuses(c, lambda: c.change_smc(D("2026-01-01"), Decimal("1900.001")), InvalidEvent, field="monthly")
    refuses(c, lambda: c.change_smc(D("2025-08-01"), Decimal("1900.00")), field="from")
    c.change_smc(D("2026-01-01"), Decimal("1900.00"))
    assert c.smc_changes == [{"from": D("2026-01-01"), "monthly": Decimal("1900.00")}]


def test_a_correction_is_revalidated_and_lists_what_changed() -> None:
    c = accepted()
    refuses(
        c,
        lambda: c.correct_terms(parse_terms(terms(birth="2011-01-01")), "typo"),
        InvalidTerms,
        field="apprentice.birth_date",
    )
    refuses(c, lambda: c.correct_terms(parse_terms(terms()), "nothing"), InvalidTerms, field="terms")
    c.collect_events()
    c.correct_terms(parse_terms(terms(start="2025-09-08", end="2027-09-07")), "start moved")
    (e,) = c.collect_events()
    assert event_json(e)["changed"] == ["end_date", "start_date"]
    assert c.filing_due == D("2025-09-13") and c.start_date == D("2025-09-08")


def test_the_end_of_an_extended_contract_is_not_corrected() -> None:
    c = accepted()
    c.extend_for_exam_failure(D("2027-07-10"), D("2028-08-31"))
    c.collect_events()
    refuses(c, lambda: c.correct_terms(parse_terms(terms(end="2027-08-30")), "x"), field="end_date")


# -- the interfaces §3 JSON form -------------------------------------------------------------------------------
def test_record_dispatches_the_json_form_to_the_commands() -> None:
    c = drafted()
    c.record({"type": "Signed", "on": "2025-08-25"})
    c.record({"type": "Filed", "on": "2025-09-03", "authority": "OPCO"})
    c.record({"type": "FilingDecided", "on": "2025-09-10", "accepted": True, "reason": ""})
    c.record({"type": "SmcChanged", "from": "2026-01-01", "monthly": "1900.00"})
    c.record({"type": "ExamFailedExtended", "on": "2027-07-10", "new_end_date": "2028-08-31"})
    c.record({"type": "Terminated", "on": "2028-01-15", "reason": "mutual_agreement"})
    assert [event_json(e)["type"] for e in c.collect_events()] == [
        "Signed",
        "Filed",
        "FilingDecided",
        "SmcChanged",
        "ExamFailedExtended",
        "Terminated",
    ]


@pytest.mark.parametrize(
    "payload, field",
    [
        ({"type": "Nope"}, "type"),
        ({"on": "2025-08-25"}, "type"),
        ({"type": "Signed"}, "on"),
        ({"type": "Signed", "on": "25/08/2025"}, "on"),
        ({"type": "Signed", "on": "2025-08-25", "by": "x"}, "by"),
        ({"type": "SmcChanged", "from": "2026-01-01", "monthly": "abc"}, "monthly"),
        ({"type": "SmcChanged", "from": "2026-01-01", "monthly": "-5.00"}, "monthly"),
        ({"type": "FilingDecided", "on": "2025-09-10", "accepted": "yes"}, "accepted"),
        ({"type": "FilingDecided", "on": "2025-09-23", "accepted": False, "implicit": True}, "implicit"),
        ({"type": "AgeBracketReached", "effective_date": "2026-04-01", "bracket": "18-20", "age": 18}, "type"),
        ({"type": "Ended", "on": "2027-08-31"}, "type"),
        ({"type": "TermsCorrected", "reason": "x"}, "changes"),
    ],
)
def test_record_refuses_malformed_events_naming_the_field(payload: dict[str, Any], field: str) -> None:
    c = drafted()
    refuses(c, lambda: c.record(payload), InvalidEvent, field=field)


def test_service_events_are_recorded_with_by_service() -> None:
    c = accepted()
    c.record(
        {"type": "AgeBracketReached", "effective_date": D("2026-04-01"), "bracket": "18-20", "age": 18}, by_service=True
    )
    assert c.age_brackets == {"18": D("2026-04-01")}


def test_the_history_in_json_form_can_be_recorded_again() -> None:
    source = accepted()
    source.collect_events()
    source.record({"type": "TermsCorrected", "changes": {"apprentice": {"first_name": "Léna"}}, "reason": "typo"})
    history = [event_json(e) for e in source.collect_events()]
    copy = filed()
    copy.record({"type": "FilingDecided", "on": "2025-09-10", "accepted": True, "reason": ""})
    for payload in history:
        copy.record(payload)
    assert copy.terms.apprentice.first_name == "Léna"


def test_replaying_the_events_rebuilds_the_same_state() -> None:
    c = Contract.draft(parse_terms(terms()), "k", "CFA")
    c.sign(D("2025-08-25"))
    c.file(D("2025-09-03"), "OPCO")
    c.decide_filing(D("2025-09-10"), True)
    c.change_smc(D("2026-01-01"), Decimal("1900.00"))
    c.extend_for_exam_failure(D("2027-07-10"), D("2028-08-31"))
    replayed: Any = None
    for e in c.collect_events():
        replayed = e.mutate(replayed)
    assert replayed.as_dict() == c.as_dict()


# -- master roster (R6223-6) ----------------------------------------------------------------------------------
def roster(*entries: tuple[str, str, str]) -> MasterRoster:
    r = MasterRoster(master_id="MA-1")
    for cid, start, end in entries:
        r.admit(cid, D(start), D(end))
    r.collect_events()
    return r


def limit_refused(r: MasterRoster, command: Callable[[], Any]) -> None:
    version, pending = r.version, len(r.pending_events)
    with pytest.raises(MasterLimitReached) as info:
        command()
    assert (info.value.field, info.value.rule) == ("master.id", "R6223-6")
    assert (r.version, len(r.pending_events)) == (version, pending)


def test_a_master_takes_two_apprentices_at_a_time_and_refuses_a_third() -> None:
    r = roster(("a", "2025-09-01", "2027-08-31"), ("b", "2025-09-01", "2027-08-31"))
    limit_refused(r, lambda: r.admit("c", D("2026-09-01"), D("2028-08-31")))
    r.admit("c", D("2027-09-01"), D("2029-08-31"))  # after the two end: not simultaneous


def test_a_third_place_is_only_for_an_apprentice_in_exam_failure_extension() -> None:
    r = roster(("a", "2024-09-01", "2025-08-31"), ("b", "2025-09-01", "2027-08-31"))
    a_plain = roster(("a", "2024-09-01", "2026-08-31"), ("b", "2025-09-01", "2027-08-31"))
    limit_refused(a_plain, lambda: a_plain.admit("c", D("2025-09-01"), D("2027-08-31")))
    r.extend("a", D("2025-09-01"), D("2026-08-31"))  # a failed the exam: one more year
    r.admit("c", D("2025-09-01"), D("2027-08-31"))
    limit_refused(r, lambda: r.admit("d", D("2025-09-01"), D("2027-08-31")))


def test_an_extension_is_refused_when_it_would_exceed_the_places() -> None:
    r = roster(
        ("a", "2025-09-01", "2027-08-31"),
        ("b", "2025-09-01", "2027-08-31"),
        ("c", "2027-09-01", "2029-08-31"),
        ("d", "2027-09-01", "2029-08-31"),
    )
    r.extend("a", D("2027-09-01"), D("2028-08-31"))
    r.collect_events()
    limit_refused(r, lambda: r.extend("b", D("2027-09-01"), D("2028-08-31")))


def test_a_termination_frees_the_place_from_the_next_day() -> None:
    r = roster(("a", "2025-09-01", "2027-08-31"), ("b", "2025-09-01", "2027-08-31"))
    r.release_after("a", D("2026-01-15"))
    r.collect_events()
    limit_refused(r, lambda: r.admit("c", D("2026-01-15"), D("2027-08-31")))
    r.admit("c", D("2026-01-16"), D("2027-08-31"))


def test_a_withdrawn_contract_frees_its_place() -> None:
    r = roster(("a", "2025-09-01", "2027-08-31"), ("b", "2025-09-01", "2027-08-31"))
    r.withdraw("b")
    r.admit("c", D("2025-09-01"), D("2027-08-31"))


# -- the clock (domain.clock) records through the same JSON form -------------------------------------------
def test_every_event_the_clock_finds_due_is_recorded_once() -> None:
    from domain.clock import due_events

    c = accepted()
    due = due_events(c.clock_state(), D("2027-09-05"))
    assert [d.kind for d in due] == ["AgeBracketReached", "ContractYearStarted", "EndApproaching", "Ended"]
    for d in due:
        c.record({"type": d.kind, **d.payload}, by_service=True)
    assert c.status == "ended"
    assert due_events(c.clock_state(), D("2027-09-05")) == []


def test_the_clock_records_the_implicit_decision_and_the_overdue_filing() -> None:
    from domain.clock import due_events

    c = signed()
    (overdue,) = due_events(c.clock_state(), D("2025-09-08"))
    c.record({"type": overdue.kind, **overdue.payload}, by_service=True)
    assert due_events(c.clock_state(), D("2025-09-08")) == []
    c.file(D("2025-09-10"), "OPCO")
    (decision,) = due_events(c.clock_state(), D("2025-10-01"))
    c.record({"type": decision.kind, **decision.payload}, by_service=True)
    assert (c.status, c.decision_implicit) == ("refused", True)
