"""The pure clock: which time-driven events are due on a day, each once, with its own effective date."""

from __future__ import annotations

from datetime import date

from domain.clock import ClockState, due_events, next_due_date
from domain.terms import parse_terms
from tests.domain.wage.builders import terms


def state(
    t: dict,
    status: str = "accepted",
    recorded: frozenset[str] = frozenset(),
    end: str | None = None,
    terminated: str | None = None,
    authority: str | None = "OPCO",
) -> ClockState:
    ct = parse_terms(t)
    return ClockState(
        ct,
        status,
        date.fromisoformat(end) if end else ct.end_date,
        date.fromisoformat(terminated) if terminated else None,
        recorded,
        date(2025, 9, 8),
        date(2025, 9, 30),
        authority,
    )


CAP = terms(birth="2008-03-15", start="2025-09-01", end="2027-08-31")


def keys(events: list) -> list[tuple[str, str]]:
    return [(e.key, e.effective_date.isoformat()) for e in events]


def test_nothing_is_due_before_the_first_milestone() -> None:
    assert due_events(state(CAP), date(2026, 3, 31)) == []
    assert next_due_date(state(CAP)) == date(2026, 4, 1)


def test_birthday_mid_month_is_due_on_the_1st_of_next_month() -> None:
    due = due_events(state(CAP), date(2026, 4, 1))
    assert keys(due) == [("age:18", "2026-04-01")]
    assert due[0].payload["bracket"] == "18-20"


def test_birthday_on_the_1st_is_due_the_month_after() -> None:
    t = terms(birth="2005-06-01", start="2025-09-01", end="2027-08-31")
    assert keys(due_events(state(t), date(2026, 6, 30))) == []
    assert keys(due_events(state(t), date(2026, 7, 1))) == [("age:21", "2026-07-01")]


def test_birthday_on_the_last_day_of_a_month() -> None:
    t = terms(birth="2007-10-31", start="2025-09-01", end="2027-08-31")
    assert keys(due_events(state(t), date(2025, 11, 1))) == [("age:18", "2025-11-01")]


def test_born_29_february_is_due_on_1_march_in_a_common_year() -> None:
    t = terms(birth="2008-02-29", start="2025-09-01", end="2027-08-31")
    assert keys(due_events(state(t), date(2026, 3, 1))) == [("age:18", "2026-03-01")]


def test_anniversary_mid_month_is_due_on_the_anniversary() -> None:
    t = terms(birth="2006-02-01", start="2025-09-15", end="2027-09-14")
    assert keys(due_events(state(t), date(2026, 9, 15))) == [("year:2", "2026-09-15")]


def test_after_90_days_of_downtime_every_missed_event_comes_once_in_order() -> None:
    t = terms(birth="2007-10-05", start="2025-09-01", end="2026-08-31", cycle=12)
    due = due_events(state(t), date(2026, 11, 29))
    assert keys(due) == [("age:18", "2025-11-01"), ("end-approaching:2026-08-31", "2026-08-01"), ("end", "2026-09-01")]
    recorded = frozenset(e.key for e in due)
    assert due_events(state(t, recorded=recorded), date(2026, 11, 29)) == []


def test_a_terminated_contract_has_nothing_due() -> None:
    assert due_events(state(CAP, status="terminated", terminated="2026-01-15"), date(2027, 12, 1)) == []


def test_an_extension_moves_the_end() -> None:
    due = due_events(
        state(CAP, status="extended", end="2028-06-30", recorded=frozenset({"age:18", "year:2"})), date(2028, 7, 5)
    )
    assert ("end", "2028-07-01") in keys(due)
    assert ("end", "2027-09-01") not in keys(due)


def test_filing_overdue_and_implicit_decision_by_authority() -> None:
    signed = due_events(state(CAP, status="signed"), date(2025, 9, 10))
    assert keys(signed) == [("filing-overdue", "2025-09-09")]
    opco = due_events(state(CAP, status="filed"), date(2025, 10, 1))
    assert opco[0].kind == "FilingDecided" and opco[0].payload["accepted"] is False
    ddets = due_events(state(CAP, status="filed", authority="DDETS"), date(2025, 10, 1))
    assert ddets[0].payload["accepted"] is True


def test_each_missed_deadline_event_gives_back_its_last_day() -> None:
    from domain.clock import candidate_events, deadline_of

    t = terms(birth="2008-03-15", start="2025-09-01", end="2027-08-31")
    signed, filed = state(t, status="signed"), state(t, status="filed")
    overdue = next(e for e in candidate_events(signed) if e.kind == "FilingOverdue")
    silence = next(e for e in candidate_events(filed) if e.kind == "FilingDecided")
    ended = next(e for e in candidate_events(signed) if e.kind == "Ended")
    assert deadline_of(overdue.kind, overdue.effective_date) == signed.filing_due
    assert deadline_of(silence.kind, silence.effective_date) == filed.decision_due
    assert deadline_of(ended.kind, ended.effective_date) == signed.planned_end
    assert deadline_of("AgeBracketReached", date(2026, 4, 1)) is None
