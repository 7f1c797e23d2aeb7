"""Rebuilding the read models from zero (`ledger rebuild`), in one process or in several.

A rebuild is CPU-bound Python: one process keeps one core busy. With several workers, each takes a shard of
the contracts (`projections.shards`) and replays the log up to the position the rebuild started at, under
its own tracking names. Meanwhile the projections' followers are held (their position is parked beyond any
notification), so nothing is applied twice. When every worker is done, the indexes only readers use (dropped
with the rows: `deferred_indexes`) are built, that position becomes the projections' own, and the followers
go on from there with what was recorded during the rebuild.

Each emptied view is marked as rebuilding (in the same transaction) until it is whole again. If a worker
fails or the rebuild is killed, the mark stays: /readyz answers 503, the contract list answers 503 rather than
a short list, and `ledger clock tick` refuses to tick on a half-built index, until `ledger rebuild` is run
again (it starts over from zero), or, on PostgreSQL, until `ledger worker` starts and does so itself
(`resume_interrupted`): there one rebuild at a time holds an advisory lock, so a rebuild still running is
never restarted.
"""

from __future__ import annotations

import gc
import os
import pickle
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from typing import Any

from ledger.bootstrap import bootstrap
from ledger.errors import ApplicationError
from ledger.settings import MemoryStore, PostgresStore, Settings
from projections.runner import LogFollower
from projections.shards import Shard

PROJECTIONS = ("wages", "clock", "funding")  # in the order of `Ledger.runners`
POLL_SECONDS = 0.5
READY = b"ready\n"  # a worker's line once its store is open


class RebuildFailed(ApplicationError):
    type = "rebuild-failed"
    title = "The rebuild did not finish"
    status = 500


@dataclass(frozen=True)
class RebuildReport:
    events: int  # notifications in the log when the rebuild began
    projections: tuple[str, ...]
    workers: int
    seconds: float

    @property
    def events_per_second(self) -> float | None:
        return self.events * len(self.projections) / self.seconds if self.seconds else None


@contextmanager
def few_collections() -> Iterator[None]:
    """A rebuild allocates millions of short-lived objects (events, rows, schedules) and keeps none: at the
    collector's default thresholds, a collection every 700 allocations cost 15 % of the rebuild. What the
    process held before is frozen out of the collector's sight; cycles are still collected, less often."""
    thresholds = gc.get_threshold()
    gc.collect()
    gc.freeze()
    gc.set_threshold(100_000, 50, 100)
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)
        gc.unfreeze()


def default_workers(settings: Settings) -> int:
    """One per core on PostgreSQL; one on SQLite (a single writer) and in memory (a private store)."""
    return (os.cpu_count() or 1) if isinstance(settings.store, PostgresStore) else 1


def rebuild(
    settings: Settings,
    workers: int,
    batch: int,
    only: Sequence[str] = PROJECTIONS,
    progress: Callable[[int, int], None] = lambda done, total: None,
) -> RebuildReport:
    """Replay the whole log into the projections named in `only`; `progress(done, total)` as it goes."""
    unknown = sorted(set(only) - set(PROJECTIONS))
    if unknown or not only:
        raise ApplicationError(f"projections are among {', '.join(PROJECTIONS)}: not {unknown}", field="only")
    if workers < 1:
        raise ApplicationError("at least one worker", field="workers")
    if workers > 1 and isinstance(settings.store, MemoryStore):
        raise ApplicationError("an in-memory store is private to its process: one worker", field="workers")
    with rebuild_lock(settings):
        return _rebuild(settings, workers, batch, only, progress)


def _rebuild(
    settings: Settings, workers: int, batch: int, only: Sequence[str], progress: Callable[[int, int], None]
) -> RebuildReport:
    ledger = bootstrap(settings)
    try:
        stop = ledger.contracts.recorder.max_notification_id() or 0
        chosen = [r for name, r in zip(PROJECTIONS, ledger.runners, strict=True) if name in only]
        for runner in chosen:  # held at once with workers: a follower must not replay into the emptied view
            runner.projection.rebuild(hold=workers > 1, mark=True)  # type: ignore[attr-defined]
        total = stop * len(chosen)
        started = time.perf_counter()
        if workers == 1:
            _rebuild_here(chosen, stop, batch, total, progress)
        else:
            _rebuild_in_workers(settings, chosen, [n for n in PROJECTIONS if n in only], workers, stop, batch, progress)
        for runner in chosen:
            view: Any = runner.projection.view  # type: ignore[attr-defined]
            view.build_deferred_indexes()  # before the followers go on: they would wait for it
            if workers > 1:
                view.release(runner.projection.tracking_name, stop or None)  # type: ignore[attr-defined]
            view.analyze()
            view.finish_rebuild(runner.projection.tracking_name)  # type: ignore[attr-defined]
        progress(total, total)
        return RebuildReport(stop, tuple(n for n in PROJECTIONS if n in only), workers, time.perf_counter() - started)
    finally:
        ledger.close()


class RebuildRunning(ApplicationError):
    type = "rebuild-running"
    title = "A rebuild is already running"
    status = 409


@contextmanager
def rebuild_lock(settings: Settings) -> Iterator[None]:
    """On PostgreSQL, one rebuild of a schema at a time: a session-level advisory lock, held for the rebuild
    and let go by the server when the process dies (a killed rebuild leaves it free). SQLite and memory have
    no other process to fear (one writer; a private store)."""
    store = settings.store
    if not isinstance(store, PostgresStore):
        yield
        return
    import psycopg

    key = f"apprenticeship-ledger rebuild {store.schema}"
    with psycopg.connect(
        **store.connection_args(),
        autocommit=True,
    ) as conn:
        row = conn.execute("SELECT pg_try_advisory_lock(hashtextextended(%s, 0))", (key,)).fetchone()
        if not row or not row[0]:
            raise RebuildRunning("another `ledger rebuild` of this store is running", field="rebuild")
        try:
            yield
        finally:
            conn.execute("SELECT pg_advisory_unlock(hashtextextended(%s, 0))", (key,))


def resume_interrupted(settings: Settings, incomplete: Sequence[str], batch: int = 2000) -> RebuildReport | None:
    """Rebuild again the projections an interrupted rebuild left incomplete (`ledger worker` at its start), on
    PostgreSQL, where a rebuild still running is told apart by its lock; None if there was nothing to do or
    a rebuild is running. On SQLite the operator runs `ledger rebuild` again."""
    if not incomplete or not isinstance(settings.store, PostgresStore):
        return None
    try:
        return rebuild(settings, default_workers(settings), batch, [n for n in PROJECTIONS if n in incomplete])
    except RebuildRunning:
        return None


def _rebuild_here(
    runners: list[LogFollower], stop: int, batch: int, total: int, progress: Callable[[int, int], None]
) -> None:
    def done() -> int:  # each projection's own position: right whatever order they run in
        return sum(min(r.projection.position() or 0, stop) for r in runners)

    with few_collections():
        for runner in runners:
            runner.batch_size = batch
            while runner.catch_up(limit=batch * 5):
                progress(done(), total)


def _rebuild_in_workers(
    settings: Settings,
    runners: list[LogFollower],
    names: list[str],
    workers: int,
    stop: int,
    batch: int,
    progress: Callable[[int, int], None],
) -> None:
    projections: list[Any] = [r.projection for r in runners]  # held since they were emptied (`rebuild`)
    shards = [Shard(k, workers) for k in range(workers)]
    processes: list[subprocess.Popen[bytes]] = []
    for shard in shards:  # one after the other: two bootstraps at once may race on the same DDL
        processes.append(_start_worker(settings, shard, names, stop, batch))
        assert processes[-1].stdout is not None
        if processes[-1].stdout.readline() != READY:
            processes[-1].wait()
            _check(processes)

    def done() -> int:  # every shard covers the whole log: a projection is as far as its shards on average
        # (on PostgreSQL a shard reads only its own events: its position is its last one, a little below `stop`)
        return sum(
            sum(min(p.view.max_tracking_id(s.tracking_name(p.tracking_name)) or 0, stop) for s in shards) // workers
            for p in projections
        )

    try:
        while any(process.poll() is None for process in processes):
            _check(processes)
            progress(done(), stop * len(projections))
            time.sleep(POLL_SECONDS)
        _check(processes)
    finally:
        for process in processes:
            if process.poll() is None:
                process.terminate()
            process.wait()


def _check(processes: list[subprocess.Popen[bytes]]) -> None:
    failed = [p for p in processes if p.returncode not in (None, 0)]
    if failed:
        stderr: Any = failed[0].stderr
        stderr.seek(0)
        error = stderr.read().decode(errors="replace").strip()
        last = error.splitlines()[-1] if error else ""
        raise RebuildFailed(f"a rebuild worker exited with code {failed[0].returncode} ({last}); run the rebuild again")


def _start_worker(settings: Settings, shard: Shard, names: list[str], stop: int, batch: int) -> subprocess.Popen[bytes]:
    """A fresh interpreter (no copied connections or threads), given the settings on its standard input."""
    command = [sys.executable, "-m", "workers.rebuilding", str(shard.index), str(shard.count), str(stop), str(batch)]
    errors = tempfile.TemporaryFile()  # noqa: SIM115 (lives as long as the worker) not a pipe: a full pipe blocks
    process = subprocess.Popen([*command, *names], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=errors)
    process.stderr = errors  # type: ignore[assignment]
    assert process.stdin is not None
    process.stdin.write(pickle.dumps(settings))
    process.stdin.close()
    return process


def _worker(settings: Settings, shard: Shard, names: Sequence[str], stop: int, batch: int) -> None:
    """One rebuild worker: its shard of the contracts, into each projection in turn."""
    # The workers already keep every core busy: a revaluation in the log is recomputed in the worker itself.
    # No DDL: the orchestrator made the tables, and a view's start would build the indexes the rebuild dropped.
    ledger = bootstrap(settings.model_copy(update={"revaluation_processes": 1}), {"CREATE_TABLE": "false"})
    by_store = getattr(ledger.contracts.recorder, "select_shard_notifications", None)  # PostgreSQL's
    select = None if by_store is None else partial(by_store, shard=shard)
    sys.stdout.buffer.write(READY)
    sys.stdout.flush()
    try:
        with few_collections():
            for name, runner in zip(PROJECTIONS, ledger.runners, strict=True):
                if name not in names:
                    continue
                runner.projection.take_shard(shard)  # type: ignore[attr-defined]
                limited = runner.limited(shard.keeps, stop, select)
                limited.batch_size = batch
                limited.catch_up()
    finally:
        ledger.close()


def _die_with_parent() -> None:
    """A worker dies with its orchestrator (Linux): a killed rebuild leaves no writer behind to fill the views
    the next rebuild empties."""
    if sys.platform.startswith("linux"):
        import ctypes
        import signal

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
        if os.getppid() == 1:  # the orchestrator was gone already
            sys.exit(1)


if __name__ == "__main__":  # a worker started by `_start_worker`
    _die_with_parent()
    index, count, last, size, *wanted = sys.argv[1:]
    _worker(pickle.loads(sys.stdin.buffer.read()), Shard(int(index), int(count)), wanted, int(last), int(size))
