"""Reads of aggregates as they are now, without asking the store for each one.

A read-only request (authenticate, read a contract, check the reference data) used to fast-forward each
cached aggregate: one query per aggregate. Every event of the store has a notification id, so when the
store's highest id has not moved since an aggregate was last brought up to date, nothing anywhere has
changed and the copy in hand is current: one cheap query instead of one per aggregate. The ids are
assigned in commit order on every store the ledger supports (PostgreSQL's recorder locks the table for it).

The store position itself is shared too: a request that began at time T may use a position whose query
began at T or later (by itself or by any concurrent request), since that position already includes
everything recorded before the request arrived. `fresh_since` carries T; where it is not set (commands,
CLI, tests) every read asks the store.

Every read hands out a fresh copy (the cache keeps them pickled, out of the garbage collector's sight), so
a command may change what it read: if the aggregate moved meanwhile, its save fails and records nothing.
"""

from __future__ import annotations

import pickle
import threading
import time
from contextvars import ContextVar
from typing import Any
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, Application, project_aggregate
from eventsourcing.domain import Aggregate
from eventsourcing.persistence import Recording

from ledger.lru import LruCache

CURRENT_READS_SIZE = 20_000  # aggregates read most recently: contracts, keys, reference data

# When the caller's request began (time.monotonic()); set by the HTTP layer for each request.
fresh_since: ContextVar[float | None] = ContextVar("fresh_since", default=None)


class CurrentReads(Application[UUID]):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._current: LruCache[UUID, tuple[int, int, bytes]] = LruCache(CURRENT_READS_SIZE)  # position, version
        self._position: tuple[float, int] = (float("-inf"), 0)  # (when its query began, position)
        self._position_lock = threading.Lock()

    def store_position(self) -> int:
        """The highest notification id recorded (0 for an empty store), as of no earlier than `fresh_since`."""
        since = fresh_since.get()
        began, position = self._position
        if since is not None and began >= since:
            return position
        began = time.monotonic()
        position = self.recorder.max_notification_id() or 0
        with self._position_lock:
            if began > self._position[0]:
                self._position = (began, position)
        return position

    def read_current(self, aggregate_id: UUID) -> Any:
        """A copy of the aggregate as it is now; AggregateNotFoundError if it does not exist."""
        position = self.store_position()  # before the read: whatever it returns is at least this recent
        seen = self._current.get(aggregate_id)
        if seen is not None and seen[0] >= position:  # a copy saved here may be newer than the position
            return pickle.loads(seen[2])  # noqa: S301 (our own bytes)
        events = list(self.events.get(aggregate_id))  # one query: these histories are tens of events
        aggregate: Any = project_aggregate(None, events)
        if aggregate is None:
            raise AggregateNotFoundError(aggregate_id)
        self._keep(position, aggregate)
        self.history_read(aggregate, events)
        return aggregate

    def current_version(self, aggregate_id: UUID) -> int | None:
        """The aggregate's version now (None if it does not exist), without copying it."""
        position = self.store_position()
        seen = self._current.get(aggregate_id)
        if seen is not None and seen[0] >= position:
            return seen[1]
        aggregate = self.find_current(aggregate_id)
        return None if aggregate is None else int(aggregate.version)

    def _keep(self, position: int, aggregate: Any) -> None:
        self._current.put(aggregate.id, (position, aggregate.version, pickle.dumps(aggregate, pickle.HIGHEST_PROTOCOL)))

    def find_current(self, aggregate_id: UUID) -> Any | None:
        try:
            return self.read_current(aggregate_id)
        except AggregateNotFoundError:
            return None

    def remember_saved(self, recordings: list[Recording[UUID]], *aggregates: Aggregate) -> None:
        """Aggregates just saved are current as of their own events' position: the next read needs no
        fetch unless something else was recorded since."""
        if recordings:
            position = max(r.notification.id for r in recordings)
            for aggregate in aggregates:
                self._keep(position, aggregate)

    def history_read(self, aggregate: Any, events: list[Any]) -> None:
        """A hook: the whole history of `aggregate` was just read (an application may keep what it needs)."""
