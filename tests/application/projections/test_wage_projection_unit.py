"""The wage projection on a real SQLite file, fed recorded events directly (no application)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any, cast

import pytest

from domain import law
from projections.views import build_view, view_env
from projections.wage.projection import WageInput, WageProjection
from projections.wage.view import PostgresWageView, SQLiteWageView, WageViewQueries
from tests.domain.wage.builders import terms

SEED = {
    "smic": [
        {
            "effective_date": s.effective_date.isoformat(),
            "hourly": str(s.hourly),
            "monthly": str(s.monthly),
            "act": s.act,
        }
        for s in law.SMIC_SEED
    ],
    "lu_cotes": [
        {"effective_date": c.effective_date.isoformat(), "cote": str(c.cote), "source": c.source}
        for c in law.LU_COTE_SEED
    ],
}


def at(day: str) -> datetime:
    return datetime.fromisoformat(day + "T10:00:00").replace(tzinfo=UTC)


class Feed:
    def __init__(self, projection: WageProjection) -> None:
        self.projection = projection
        self.n = 0

    def __call__(self, kind: str, aggregate: str, payload: dict[str, Any], day: str) -> None:
        self.n += 1
        self.projection.process([(self.n, WageInput(kind, aggregate, payload, at(day), f"e{self.n}"))])


@pytest.fixture()
def projection(tmp_path: Path) -> WageProjection:
    env = {"PERSISTENCE_MODULE": "eventsourcing.sqlite", "SQLITE_DBNAME": str(tmp_path / "view.sqlite3")}
    view = cast(WageViewQueries, build_view(view_env(env), SQLiteWageView, PostgresWageView))
    return WageProjection(view, "Contracts")


def draft(feed: Feed, cid: str, t: dict[str, Any], day: str = "2025-08-01") -> None:
    feed("Drafted", cid, {"terms": t, "cfa_id": "cfa-1"}, day)


def test_a_smic_revaluation_updates_every_running_contract_once(projection: WageProjection) -> None:
    feed = Feed(projection)
    feed("ReferenceDataSeeded", "ref", SEED, "2025-07-01")
    draft(feed, "a", terms(birth="2008-03-15", start="2025-09-01", end="2027-08-31"))
    draft(feed, "b", terms(birth="2006-02-01", start="2025-09-15", end="2027-09-14"))
    draft(feed, "old", terms(birth="2006-02-01", start="2024-09-01", end="2026-08-31"))
    feed(
        "SmicRevalued",
        "ref",
        {"effective_date": "2027-01-01", "hourly": "12.50", "monthly": "1895.83", "act": "Décret test"},
        "2026-12-20",
    )
    view = projection.view
    for cid in ("a", "b"):
        entries = [e for e in view.history(cid) if e["cause"] == "SmicRevalued"]
        assert len(entries) == 1
        assert entries[0]["effective_date"] == "2027-01-01"
        assert entries[0]["arrears"] == "0.00"
    a = next(e for e in view.history("a") if e["cause"] == "SmicRevalued")
    assert (a["old_amount"], a["new_amount"], a["old_pct"], a["new_pct"]) == ("952.18", "966.87", 51, 51)
    assert not [e for e in view.history("old") if e["cause"] == "SmicRevalued"]  # ended before
    row = view.contract("a")
    assert row is not None
    assert next(m for m in row.schedule or [] if m["month"] == "2027-01")["amount"] == "966.87"


def test_a_revaluation_recorded_late_shows_the_arrears_month_by_month(projection: WageProjection) -> None:
    feed = Feed(projection)
    feed("ReferenceDataSeeded", "ref", SEED, "2025-07-01")
    draft(feed, "a", terms(birth="2008-03-15", start="2025-09-01", end="2027-08-31"))
    feed(
        "SmicRevalued",
        "ref",
        {"effective_date": "2027-01-01", "hourly": "12.50", "monthly": "1895.83", "act": "Décret test"},
        "2027-03-10",
    )
    entry = next(e for e in projection.view.history("a") if e["cause"] == "SmicRevalued")
    arrears = [m for m in entry["months"] if m["status"] == "arrears"]
    assert [m["month"] for m in arrears] == ["2027-01", "2027-02", "2027-03"]
    assert arrears[0] == {
        "month": "2027-01",
        "before": "952.18",
        "after": "966.87",
        "difference": "14.69",
        "status": "arrears",
    }
    assert entry["arrears"] == "44.07"


def test_time_driven_milestones_appear_as_history_entries(projection: WageProjection) -> None:
    feed = Feed(projection)
    feed("ReferenceDataSeeded", "ref", SEED, "2025-07-01")
    draft(feed, "a", terms(birth="2008-03-15", start="2025-09-01", end="2027-08-31"))
    feed("AgeBracketReached", "a", {"effective_date": "2026-04-01", "bracket": "18-20", "age": 18}, "2026-04-01")
    e = projection.view.history("a")[-1]
    assert (e["cause"], e["effective_date"], e["old_amount"], e["new_amount"], e["article"]) == (
        "AgeBracketReached",
        "2026-04-01",
        "492.22",
        "783.90",
        "D6222-31",
    )


def test_extension_smc_termination_and_correction_each_leave_an_entry(projection: WageProjection) -> None:
    feed = Feed(projection)
    feed("ReferenceDataSeeded", "ref", SEED, "2025-07-01")
    draft(feed, "a", terms(birth="2002-01-10", start="2025-09-01", end="2027-08-31", level=7))
    feed("SmcChanged", "a", {"from": "2026-03-01", "monthly": "2100.00"}, "2026-04-15")
    smc = projection.view.history("a")[-1]
    assert (smc["cause"], smc["old_amount"], smc["new_amount"]) == ("SmcChanged", "966.21", "1113.00")
    assert [m["month"] for m in smc["months"] if m["status"] == "arrears"] == ["2026-03", "2026-04"]
    feed("ExamFailedExtended", "a", {"on": "2027-07-10", "new_end_date": "2028-06-30"}, "2027-07-10")
    ext = projection.view.history("a")[-1]
    assert ext["effective_date"] == "2027-09-01" and ext["old_amount"] is None
    assert ext["months"][0]["month"] == "2027-09"
    feed(
        "TermsCorrected", "a", {"changes": {"apprentice": {"birth_date": "2001-01-10"}}, "reason": "typo"}, "2027-08-01"
    )
    fix = projection.view.history("a")[-1]
    assert fix["cause"] == "TermsCorrected" and fix["effective_date"] == "2027-02-01"  # 26 on 2027-01-10
    feed("Terminated", "a", {"on": "2027-10-15", "reason": "resignation"}, "2027-10-15")
    end = projection.view.history("a")[-1]
    assert (end["cause"], end["effective_date"], end["new_amount"]) == ("Terminated", "2027-10-16", None)
    row = projection.view.contract("a")
    assert row is not None and row.status == "terminated" and row.effective_end == "2027-10-15"


def test_rebuild_from_zero_gives_the_same_view(projection: WageProjection) -> None:
    feed = Feed(projection)
    feed("ReferenceDataSeeded", "ref", SEED, "2025-07-01")
    draft(feed, "a", terms(birth="2008-03-15", start="2025-09-01", end="2027-08-31"))
    assert projection.view.history("a") != []
    projection.rebuild()
    assert projection.position() is None
    assert projection.view.history("a") == []


def test_views_on_postgresql_may_compute_for_minutes_inside_a_batch() -> None:
    env = view_env({"PERSISTENCE_MODULE": "eventsourcing.postgres", "POSTGRES_DBNAME": "db", "POSTGRES_HOST": "h"})
    assert env["POSTGRES_IDLE_IN_TRANSACTION_SESSION_TIMEOUT"] == "0"  # the library's 5 s killed a revaluation
    assert "POSTGRES_IDLE_IN_TRANSACTION_SESSION_TIMEOUT" not in view_env({"SQLITE_DBNAME": "x.sqlite3"})
