"""A reference change (a SMIC revaluation, a Luxembourg index) recomputed over every running contract.

Each running contract's schedule is computed twice, with the reference before and after the change, and the
difference becomes its history entry. Over a million contracts that is CPU-bound Python, one core per
process, and a contract needs nothing but its row and the two references: so chunks of rows can go to a pool
of worker processes, while the projection's own process keeps the reading and the writing, in its one
transaction with the tracking position (applied exactly once, or not at all).
"""

from __future__ import annotations

import multiprocessing
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from typing import Any, NamedTuple

from projections.wage.history import ReferenceChange, history_entry
from projections.wage.plans import PlanRow
from projections.wage.rows import ContractRow, compute_row, row_facts

# Below this many contracts, the pool's start (a fresh interpreter per process, about a second) costs more
# than it saves.
POOL_MIN_CONTRACTS = 4_000


class Recomputed(NamedTuple):
    """A contract's computed columns after the change, and its history entry (None: nothing changed)."""

    start_date: str
    effective_end: str
    schedule_text: str | None
    error: dict[str, Any] | None
    entry: dict[str, Any] | None
    plan: PlanRow | None

    def apply_to(self, row: ContractRow) -> None:
        row.start_date, row.effective_end = self.start_date, self.effective_end
        row.schedule_text, row.error, row.plan = self.schedule_text, self.error, self.plan


def recompute(row: ContractRow, change: ReferenceChange) -> Recomputed:
    """The row after the change (the row itself is updated too), with its history entry."""
    facts = row_facts(row)  # read once, for the schedule before and after
    before = compute_row(row, change.before, facts, keep=False)
    after = compute_row(row, change.after, facts, keep=True)
    entry = history_entry(
        cause=change.cause,
        effective=change.effective,
        before=before,
        after=after,
        recorded_at=change.recorded_at,
        event_id=change.event_id,
    )
    return Recomputed(row.start_date, row.effective_end, row.schedule_text, row.error, entry, row.plan)


_change: ReferenceChange | None = None  # a pool worker's change, given once when the worker starts


def _start_worker(change: ReferenceChange) -> None:
    global _change
    _change = change


def _recompute_in_worker(rows: Sequence[ContractRow]) -> list[Recomputed]:
    assert _change is not None
    return [recompute(row, _change) for row in rows]


Written = Callable[[Sequence[ContractRow], Sequence[Recomputed]], None]


class Recomputation:
    """Chunks of rows recomputed here, or in `processes` worker processes a few chunks ahead of the writer.

    `written(rows, results)` is called for every chunk, in the order the chunks were given, in this process.
    """

    def __init__(
        self, change: ReferenceChange, written: Written, pool: ProcessPoolExecutor | None = None, processes: int = 1
    ) -> None:
        self.change, self.written, self.pool = change, written, pool
        self.ahead = 2 * processes if pool is not None else 0  # each worker busy with one chunk, one more queued
        self._pending: deque[tuple[Sequence[ContractRow], Future[list[Recomputed]] | None]] = deque()

    def add(self, rows: Sequence[ContractRow]) -> None:
        future = self.pool.submit(_recompute_in_worker, rows) if self.pool is not None else None
        self._pending.append((rows, future))
        while len(self._pending) > self.ahead:  # bounded: a chunk's results are held until written
            self._write_oldest()

    def finish(self) -> None:
        while self._pending:
            self._write_oldest()

    def _write_oldest(self) -> None:
        rows, future = self._pending.popleft()
        results = [recompute(row, self.change) for row in rows] if future is None else future.result()
        for row, result in zip(rows, results, strict=True):
            result.apply_to(row)
        self.written(rows, results)


@contextmanager
def recomputation(change: ReferenceChange, contracts: int, processes: int, written: Written) -> Iterator[Recomputation]:
    """A recomputation of `contracts` rows; in a pool of fresh interpreters (spawned: no copied connections or
    threads) when there are enough of them and more than one process is allowed."""
    if processes < 2 or contracts < POOL_MIN_CONTRACTS:
        work = Recomputation(change, written)
        yield work
        work.finish()
        return
    context = multiprocessing.get_context("spawn")
    pool = ProcessPoolExecutor(processes, mp_context=context, initializer=_start_worker, initargs=(change,))
    try:
        work = Recomputation(change, written, pool, processes)
        yield work
        work.finish()
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
