"""A reference change evaluated over the rate plans the wage view keeps writes what the engine would: each
contract's months as read, and its history entry, equal to the engine recomputing every schedule."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any
from uuid import UUID

import pytest

from domain.wage.engine import schedule_json
from ledger.system import Ledger
from tests.contract_builders import terms
from tests.system.helpers import D, running

SMIC_2027 = (D("2027-01-15"), Decimal("12.50"), Decimal("1895.83"), "décret test 2027")


def varied_running(ledger: Ledger) -> list[UUID]:
    """Contracts of several families, all running on the revaluation's date."""
    ids = []
    for i in range(12):
        birth = f"{2000 + i % 9}-0{1 + i % 9}-15"
        start = f"2025-{9 + i % 4:02d}-0{1 + i % 3}"
        t = terms(birth=birth, start=start, end=f"202{7 + i % 2}-08-31")
        if i % 4 == 1:
            t["employer"].update(sector="public", public_majoration_points=10)
        if i % 4 == 2:
            t["employer"]["postcode"] = "97600"  # Mayotte: its own SMIC, untouched by this one
        ids.append(running(ledger, f"p{i}", t))
    return ids


def readings(ledger: Ledger, ids: list[UUID]) -> dict[str, Any]:
    out = {}
    for cid in ids:
        row = ledger.wage_view.contract(str(cid))
        assert row is not None
        out[str(cid)] = (row.effective_end, row.schedule, ledger.wage_view.history(str(cid)))
    return out


def test_a_revaluation_by_plans_reads_and_records_what_the_engine_gives(
    ledger: Ledger, monkeypatch: pytest.MonkeyPatch
) -> None:
    ids = varied_running(ledger)
    ledger.sync()

    def no_engine(*_: Any) -> Any:
        raise AssertionError("a contract with a plan was recomputed by the engine")

    with monkeypatch.context() as m:
        m.setattr("projections.wage.projection.recompute", no_engine)
        assert ledger.contracts.reference.record_smic_revaluation(*SMIC_2027)
        ledger.sync()
    by_plans = readings(ledger, ids)
    for cid in ids:
        assert by_plans[str(cid)][1] == schedule_json(ledger.contracts.wage_schedule(cid))
    revalued = [c for c in ids if "SmicRevalued" in [h["cause"] for h in by_plans[str(c)][2]]]
    assert len(revalued) == 9  # all but Mayotte's
    entry = next(h for h in by_plans[str(revalued[0])][2] if h["cause"] == "SmicRevalued")
    assert entry["months"] and entry["months"][0]["month"] == "2027-01" and entry["article"]

    monkeypatch.setattr("projections.wage.rows.plan_for", lambda facts, schedule: None)
    ledger.rebuild()  # the same log, every contract recomputed by the engine
    ledger.sync()
    assert readings(ledger, ids) == by_plans


def test_a_contracts_own_event_after_a_revaluation_writes_its_months_with_the_new_smic(ledger: Ledger) -> None:
    cid = running(ledger, "q", terms(birth="2006-05-10", start="2025-09-01", end="2027-08-31"))
    ledger.sync()
    assert ledger.contracts.reference.record_smic_revaluation(*SMIC_2027)
    ledger.sync()
    stored = ledger.wage_view.query("SELECT schedule FROM {schema}wage_contracts WHERE contract_id = ?", (str(cid),))
    expected = schedule_json(ledger.contracts.wage_schedule(cid))
    assert stored[0][0] != json.dumps(expected)  # the text kept is the old SMIC's, marked so
    row = ledger.wage_view.contract(str(cid))
    assert row is not None and row.schedule == expected  # and read with the new one
    ledger.contracts.terminate(cid, D("2026-06-30"), "resignation")
    ledger.sync()
    stored = ledger.wage_view.query("SELECT schedule FROM {schema}wage_contracts WHERE contract_id = ?", (str(cid),))
    assert json.loads(stored[0][0]) == schedule_json(ledger.contracts.wage_schedule(cid))
