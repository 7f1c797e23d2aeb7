"""`ledger rebuild` in several worker processes, each with a shard of the contracts: the same views as the
projections built event by event, followers held meanwhile, and the log recorded since applied once after."""

from __future__ import annotations

import gc
import json
import os
import subprocess
import sys
import threading
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest

from ledger.bootstrap import bootstrap
from ledger.errors import ApplicationError
from ledger.settings import Settings
from ledger.system import Ledger
from projections.shards import Shard
from projections.tables import HELD
from tests.conftest import POSTGRES_URL, _connect
from tests.contract_builders import terms
from tests.system.helpers import running
from workers.rebuilding import _worker, few_collections, rebuild

LEDGER = str(Path(sys.executable).parent / "ledger")
BIRTHS = ("2008-03-15", "2005-06-01", "2000-11-20", "2007-01-31", "2006-12-01", "2003-07-14")


@pytest.fixture(params=["sqlite", "postgres"])
def url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'ledger.sqlite3'}"
    return f"{POSTGRES_URL}?schema={request.getfixturevalue('postgres_schema')}"


def populated(url: str) -> tuple[Ledger, list[UUID]]:
    """Contracts on both sides of a SMIC revaluation, a termination, an SMC change, an erasure."""
    ledger = bootstrap(Settings(database_url=url))
    ids = [running(ledger, f"k{i}", terms(birth=b)) for i, b in enumerate(BIRTHS[:4])]
    ledger.contracts.terminate(ids[0], date(2026, 1, 15), "resignation")
    ledger.contracts.reference.record_smic_revaluation(
        date(2026, 9, 1), Decimal("12.50"), Decimal("1895.83"), "hypothetical"
    )
    ids += [running(ledger, f"k{i}", terms(birth=b)) for i, b in enumerate(BIRTHS[4:], start=4)]
    ledger.contracts.change_smc(ids[1], date(2026, 3, 1), Decimal("2100.00"))
    ledger.contracts.erase_personal_data(ids[2])
    ledger.sync()
    return ledger, ids


def views(ledger: Ledger, ids: list[UUID]) -> list[Any]:
    clock = ledger.clock_view.query(
        "SELECT contract_id, next_due, next_kind, next_key, status, cfa_id FROM {schema}clock_index"
        " ORDER BY contract_id"
    )
    return [
        [(ledger.wage_view.contract(str(c)), ledger.wage_view.history(str(c))) for c in ids],
        [(ledger.funding_view.state(str(c)), ledger.funding_view.history(str(c))) for c in ids],
        [tuple(r) for r in clock],
    ]


def test_two_workers_rebuild_the_same_views_as_the_projections_built_event_by_event(url: str) -> None:
    ledger, ids = populated(url)
    try:
        before = views(ledger, ids)
        assert {Shard(0, 2).owns(c) for c in ids} == {True, False}, "both shards have contracts"
        report = rebuild(Settings(database_url=url), workers=2, batch=7)
        assert report.workers == 2 and report.projections == ("wages", "clock", "funding")
        assert views(ledger, ids) == before
        stop = ledger.contracts.recorder.max_notification_id()
        for runner in ledger.runners:  # one position again, where the rebuild began; no shard's left
            p: Any = runner.projection
            assert p.position() == stop
            assert p.view.max_tracking_id(Shard(0, 2).tracking_name(p.tracking_name)) is None
    finally:
        ledger.close()


def test_followers_wait_while_workers_rebuild_then_apply_what_was_recorded_since_once(url: str) -> None:
    ledger, ids = populated(url)
    try:
        wages: Any = ledger.wages
        wages.rebuild(hold=True)  # as a rebuild with workers does: emptied and held in one transaction
        assert wages.position() == HELD and ledger.wage_view.contract(str(ids[0])) is None
        late = running(ledger, "late", terms(birth="2004-04-04"))
        assert ledger.wage_runner.catch_up() == 0 and wages.position() == HELD  # held: nothing applied
        assert ledger.wage_view.contract(str(late)) is None
        rebuild(Settings(database_url=url), workers=2, batch=5, only=["wages"])  # begins after `late`
        assert ledger.wage_view.contract(str(late)) is not None
        ledger.contracts.terminate(late, date(2026, 2, 27), "resignation")
        assert ledger.wage_runner.catch_up() == 1
        assert [h["cause"] for h in ledger.wage_view.history(str(late))].count("Terminated") == 1
    finally:
        ledger.close()


def test_ledger_rebuild_in_workers_reports_them_and_refuses_a_bad_count(url: str) -> None:
    ledger, ids = populated(url)
    before = views(ledger, ids)
    ledger.close()
    env = {**os.environ, "LEDGER_DATABASE_URL": url}
    done = subprocess.run(
        [LEDGER, "rebuild", "--workers", "2", "--batch", "4"], capture_output=True, text=True, env=env, timeout=180
    )
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["workers"] == 2 and report["projections"] == 3 and "100.0 %" in done.stderr
    after = bootstrap(Settings(database_url=url))
    try:
        assert views(after, ids) == before
    finally:
        after.close()
    bad = subprocess.run([LEDGER, "rebuild", "--workers", "0"], capture_output=True, text=True, env=env, timeout=60)
    assert bad.returncode == 1 and json.loads(bad.stderr.strip().splitlines()[-1])["error"]["field"] == "workers"


DEFERRED = {"funding_lines_cfa_due", "funding_history_contract", "wage_history_contract"}


def index_names(ledger: Ledger) -> set[str]:
    view: Any = ledger.funding_view  # every view of a ledger is on the same database
    if view.dialect.postgres:
        rows = view.query("SELECT indexname FROM pg_indexes WHERE schemaname = ?", (view.datastore.schema,))
    else:
        rows = view.query("SELECT name FROM sqlite_master WHERE type = 'index'")
    return {r[0] for r in rows}


def test_a_rebuild_drops_the_readers_indexes_with_the_rows_and_builds_them_on_the_filled_views(url: str) -> None:
    ledger, ids = populated(url)
    try:
        before = views(ledger, ids)
        assert index_names(ledger) >= DEFERRED
        stop = ledger.contracts.recorder.max_notification_id() or 0
        for p in (ledger.funding, ledger.wages):
            p.rebuild(hold=True)  # type: ignore[attr-defined]
        left = index_names(ledger)
        assert not DEFERRED & left and {"funding_lines_contract", "wage_contracts_end"} <= left  # the rebuild's own
        # A worker opens the store without building them again (each shard would otherwise pay for them).
        _worker(Settings(database_url=url), Shard(0, 1), ["wages", "funding"], stop, 50)
        assert not DEFERRED & index_names(ledger)
        rebuild(Settings(database_url=url), workers=2, batch=5)
        assert index_names(ledger) >= DEFERRED and views(ledger, ids) == before
    finally:
        ledger.close()


def test_an_in_memory_store_is_rebuilt_in_one_process_only() -> None:
    with pytest.raises(ApplicationError, match="private to its process"):
        rebuild(Settings(database_url="memory:"), workers=2, batch=10)


def test_a_rebuild_on_postgresql_leaves_fresh_planner_statistics(postgres_schema: str) -> None:
    url = f"{POSTGRES_URL}?schema={postgres_schema}"
    ledger, _ = populated(url)
    ledger.close()
    rebuild(Settings(database_url=url), workers=1, batch=50)
    with _connect() as conn:
        analysed = {
            r[0]
            for r in conn.execute(
                "SELECT relname FROM pg_stat_user_tables WHERE schemaname = %s AND last_analyze IS NOT NULL",
                (postgres_schema,),
            )
        }
    assert {"wage_contracts", "wage_history", "clock_index", "funding_lines"} <= analysed


@pytest.mark.parametrize("count", [2, 3, 5])
def test_postgresql_chooses_a_shards_events_as_the_shard_does(postgres_schema: str, count: int) -> None:
    ledger, _ = populated(f"{POSTGRES_URL}?schema={postgres_schema}")
    try:
        recorder: Any = ledger.contracts.recorder
        every = recorder.select_notifications(start=None, limit=10_000)
        for shard in (Shard(k, count) for k in range(count)):
            chosen = recorder.select_shard_notifications(start=None, limit=10_000, shard=shard)
            assert [n.id for n in chosen] == [n.id for n in every if shard.keeps(n)]
            after = recorder.select_shard_notifications(
                start=every[3].id, limit=4, shard=shard, inclusive_of_start=False
            )
            assert [n.id for n in after] == [n.id for n in every[4:] if shard.keeps(n)][:4]
        assert {n.id for n in every} == {
            n.id for k in range(count) for n in recorder.select_shard_notifications(None, 10_000, shard=Shard(k, count))
        }  # every event is some shard's (reference data: every shard's)
    finally:
        ledger.close()


def test_a_rebuild_collects_garbage_less_often_and_gives_the_collector_back_as_it_was() -> None:
    before = gc.get_threshold()
    with few_collections():
        assert gc.get_threshold()[0] > before[0] and gc.get_freeze_count() > 0
    assert gc.get_threshold() == before and gc.get_freeze_count() == 0


def test_emptying_a_view_waits_for_a_long_reader_in_short_tries_then_empties_it(postgres_schema: str) -> None:
    ledger, ids = populated(f"{POSTGRES_URL}?schema={postgres_schema}")
    try:
        with _connect() as reader:
            reader.autocommit = False
            reader.execute(f'SELECT count(*) FROM "{postgres_schema}".wage_contracts')  # holds its lock
            cleared = threading.Thread(target=ledger.wages.rebuild)
            cleared.start()
            cleared.join(timeout=3)  # past one lock timeout: it is trying again, not failing
            assert cleared.is_alive()
            reader.rollback()
        cleared.join(timeout=10)
        assert not cleared.is_alive() and ledger.wage_view.contract(str(ids[0])) is None
        assert ledger.wages.position() is None
    finally:
        ledger.close()
