"""A SMIC revaluation of the contracts without a rate plan, recomputed in a pool of worker processes, on memory,
SQLite and PostgreSQL."""

from __future__ import annotations

import os
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from decimal import Decimal
from typing import Any
from uuid import UUID

import pytest

from domain.wage.engine import schedule_json
from ledger.system import Ledger
from tests.contract_builders import terms
from tests.system.helpers import D, running

SMIC_2027 = (D("2027-01-01"), Decimal("12.50"), Decimal("1895.83"), "décret test 2027")
CHUNK = 3  # contracts per chunk: ten chunks, more than the pool holds ahead of the writer


@pytest.fixture
def submitted(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The pool made to start at any size; the size of every chunk sent to it (a real pool, counted)."""
    sizes: list[int] = []

    class CountedPool(ProcessPoolExecutor):
        def submit(self, fn: Any, /, *args: Any, **kwargs: Any) -> Any:
            sizes.append(len(args[0]))
            return super().submit(fn, *args, **kwargs)

    # Contracts without a rate plan (a previous contract with an SMC recorded) are the ones the engine
    # recomputes: every contract here is made one of them.
    monkeypatch.setattr("projections.wage.rows.plan_for", lambda facts, schedule: None)
    monkeypatch.setattr("projections.wage.revaluation.POOL_MIN_CONTRACTS", 1)
    monkeypatch.setattr("projections.wage.revaluation.ProcessPoolExecutor", CountedPool)
    monkeypatch.setattr("projections.wage.projection.REVALUATION_CHUNK", CHUNK)
    return sizes


def thirty_running(ledger: Ledger) -> list[UUID]:
    """Thirty contracts of different ages and starts, all running on the revaluation's date."""
    ids = []
    for i in range(30):
        birth = f"{2000 + i % 9}-0{1 + i % 9}-15"
        start = f"2025-{9 + i % 4:02d}-01"
        ids.append(running(ledger, f"k{i}", terms(birth=birth, start=start, end=f"202{7 + i % 2}-08-31")))
    return ids


def view_of(ledger: Ledger, ids: list[UUID]) -> dict[str, Any]:
    """Every contract's row and history as a reader gets them."""
    out: dict[str, Any] = {}
    for cid in ids:
        row = ledger.wage_view.contract(str(cid))
        assert row is not None
        out[str(cid)] = (row.start_date, row.effective_end, row.schedule, row.error, ledger.wage_view.history(str(cid)))
    return out


def test_a_revaluation_recomputed_in_worker_processes_writes_what_one_process_writes(
    ledger: Ledger, submitted: list[int]
) -> None:
    ids = thirty_running(ledger)
    ledger.sync()
    ledger.wages.processes = 2
    assert ledger.contracts.reference.record_smic_revaluation(*SMIC_2027)
    ledger.sync()
    assert sum(submitted) == len(ids) and len(submitted) == len(ids) // CHUNK  # every contract, in the pool
    pooled = view_of(ledger, ids)
    for cid in ids:
        assert pooled[str(cid)][2] == schedule_json(ledger.contracts.wage_schedule(cid))  # the engine's
        assert [h["cause"] for h in pooled[str(cid)][4]] == ["Drafted", "SmicRevalued"]

    ledger.wages.processes = 1  # the same log replayed in this process alone
    ledger.rebuild()
    ledger.sync()
    assert sum(submitted) == len(ids)  # nothing more went to a pool
    assert view_of(ledger, ids) == pooled


def _die(*_: Any) -> None:
    os._exit(3)  # a worker killed as it starts (out of memory, say)


class DyingPool(ProcessPoolExecutor):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **{**kwargs, "initializer": _die, "initargs": ()})


def test_a_revaluation_whose_worker_dies_writes_nothing_and_is_applied_once_on_the_next_attempt(
    ledger: Ledger, submitted: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    ids = thirty_running(ledger)
    ledger.sync()
    ledger.wages.processes = 2
    position = ledger.wages.position()
    before = view_of(ledger, ids)
    assert ledger.contracts.reference.record_smic_revaluation(*SMIC_2027)
    monkeypatch.setattr("projections.wage.revaluation.ProcessPoolExecutor", DyingPool)
    with pytest.raises(BrokenProcessPool):
        ledger.wage_runner.catch_up()
    assert ledger.wages.position() == position  # the batch rolled back: no chunk written, nor the tracking
    assert view_of(ledger, ids) == before

    monkeypatch.setattr("projections.wage.revaluation.ProcessPoolExecutor", ProcessPoolExecutor)
    assert ledger.wage_runner.catch_up() == 1
    for cid in ids:
        history = [h["cause"] for h in ledger.wage_view.history(str(cid))]
        assert history == ["Drafted", "SmicRevalued"]  # applied once: the failed attempt left nothing
        row = ledger.wage_view.contract(str(cid))
        assert row is not None and row.schedule == schedule_json(ledger.contracts.wage_schedule(cid))
