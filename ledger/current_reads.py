"""Reads of aggregates as they are now, without asking the store for each one.

Every event of the store has a notification id, assigned in commit order on every store the ledger
supports (PostgreSQL's recorder locks the table for it). The cache below is consistent up to a *horizon*:
each copy it holds is the aggregate as of that notification id. Moving the horizon is one query, for the
notifications recorded since: the aggregates they name are dropped (unless the copy is already that
recent), everything else stays valid. A read then costs that one query at most, whatever the number of
aggregates it touches (key, contract, reference data), and a cold aggregate costs one more.

The horizon is shared between requests: a request that began at time T may rely on a horizon whose query
began at T or later (by itself or by any concurrent request), since it already includes everything
recorded before the request arrived. `fresh_since` carries T; where it is not set (CLI, tests, the
worker) every read moves the horizon first.

Every read hands out a fresh copy (the cache keeps them pickled, out of the garbage collector's sight), so a
command may change what it read: if the aggregate moved meanwhile, its save fails and records nothing.
"""

from __future__ import annotations

import pickle
import threading
import time
from collections import OrderedDict
from contextvars import ContextVar
from typing import Any
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, Application, project_aggregate
from eventsourcing.domain import Aggregate
from eventsourcing.persistence import Recording, StoredEvent

CURRENT_READS_SIZE = 20_000  # aggregates read most recently: contracts, keys, reference data
CATCH_UP_LIMIT = 1_000  # more notifications than this since the horizon: start the cache afresh

# When the caller's request began (time.monotonic()); set by the HTTP layer for each request.
fresh_since: ContextVar[float | None] = ContextVar("fresh_since", default=None)


class VersionedCopies:
    """Pickled copies by aggregate id, least recently used dropped first; a copy never replaces a newer one."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._items: OrderedDict[UUID, tuple[int, bytes]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: UUID) -> tuple[int, bytes] | None:
        with self._lock:
            value = self._items.get(key)
            if value is not None:
                self._items.move_to_end(key)
            return value

    def put_newer(self, key: UUID, version: int, copy: bytes) -> None:
        with self._lock:
            kept = self._items.get(key)
            if kept is not None and kept[0] >= version:
                return
            self._items[key] = (version, copy)
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)

    def pop_older(self, key: UUID, version: int) -> None:
        with self._lock:
            kept = self._items.get(key)
            if kept is not None and kept[0] < version:
                del self._items[key]

    def clear(self) -> None:
        with self._lock:
            self._items.clear()


class CurrentReads(Application[UUID]):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._copies = VersionedCopies(CURRENT_READS_SIZE)
        self._horizon = self.recorder.max_notification_id() or 0
        self._horizon_began = time.monotonic()  # when the query that set the horizon began
        self._horizon_lock = threading.Lock()

    def catch_up(self) -> int:
        """Move the horizon to the store's position (as of no earlier than `fresh_since`); return it."""
        since = fresh_since.get()
        if since is not None and self._horizon_began >= since:
            return self._horizon
        with self._horizon_lock:
            if since is not None and self._horizon_began >= since:  # another request did it meanwhile
                return self._horizon
            began = time.monotonic()
            recorder: Any = self.recorder
            news = recorder.select_notifications(start=self._horizon + 1, limit=CATCH_UP_LIMIT)
            if len(news) == CATCH_UP_LIMIT:  # a bulk load: forget everything rather than read it all
                self._horizon = recorder.max_notification_id() or 0
                self._copies.clear()
            else:
                for n in news:
                    self._copies.pop_older(n.originator_id, n.originator_version)
                if news:
                    self._horizon = news[-1].id
            self._horizon_began = began
            return self._horizon

    def read_current(self, aggregate_id: UUID) -> Any:
        """A copy of the aggregate as it is now; AggregateNotFoundError if it does not exist."""
        horizon = self.catch_up()
        kept = self._copies.get(aggregate_id)
        if kept is not None:
            return pickle.loads(kept[1])  # noqa: S301 (our own bytes)
        events = list(self.events.get(aggregate_id))  # one query: these histories are tens of events
        aggregate: Any = project_aggregate(None, events)
        if aggregate is None:
            raise AggregateNotFoundError(aggregate_id)
        with self._horizon_lock:
            # Kept only if no catch-up ran since the read began: one that did may have missed this copy.
            if self._horizon == horizon:
                self._keep(aggregate)
        self.history_read(aggregate, events)
        return aggregate

    def cached_copy(self, aggregate_id: UUID) -> Any | None:
        """A copy of the aggregate as this process last knew it, without asking the store: possibly stale."""
        kept = self._copies.get(aggregate_id)
        return None if kept is None else pickle.loads(kept[1])  # noqa: S301 (our own bytes)

    def read_many(self, aggregate_ids: list[UUID]) -> dict[UUID, Any]:
        """Many aggregates as they are now, from one query for all their events (a projection's batch).

        Not kept in the copies: a rebuild reads each contract once, and would only push the live ones out.
        """
        stored = self._select_events_of(aggregate_ids)
        prefetch = getattr(self.mapper, "prefetch_keys", None)
        if prefetch is not None:
            prefetch(stored)
        out: dict[UUID, Any] = {}
        for e in stored:
            domain_event: Any = self.mapper.to_domain_event(e)
            out[domain_event.originator_id] = domain_event.mutate(out.get(domain_event.originator_id))
        return out

    def _select_events_of(self, aggregate_ids: list[UUID]) -> list[StoredEvent]:
        datastore = getattr(self.factory, "datastore", None)
        recorder: Any = self.recorder
        if datastore is None or not aggregate_ids:  # the in-memory store: one read each
            return [e for i in aggregate_ids for e in recorder.select_events(i)]
        postgres = hasattr(datastore, "schema")
        ids = [str(i) if postgres else i.hex for i in aggregate_ids]  # the library keeps SQLite's ids as hex
        columns = "originator_id, originator_version, topic, state"
        order = "ORDER BY originator_id, originator_version"
        with datastore.transaction(commit=False) as cursor:
            if postgres:
                table = f"{datastore.schema}.{recorder.events_table_name}"
                cursor.execute(f"SELECT {columns} FROM {table} WHERE originator_id = ANY(%s::uuid[]) {order}", (ids,))
            else:
                marks = ",".join("?" * len(ids))
                sql = f"SELECT {columns} FROM {recorder.events_table_name} WHERE originator_id IN ({marks}) {order}"
                cursor.execute(sql, ids)
            rows = cursor.fetchall()
        return [
            StoredEvent(
                originator_id=UUID(str(r["originator_id"])),
                originator_version=r["originator_version"],
                topic=r["topic"],
                state=bytes(r["state"]),
            )
            for r in rows
        ]

    def current_version(self, aggregate_id: UUID) -> int | None:
        """The aggregate's version now (None if it does not exist), without copying it."""
        self.catch_up()
        kept = self._copies.get(aggregate_id)
        if kept is not None:
            return kept[0]
        aggregate = self.find_current(aggregate_id)
        return None if aggregate is None else int(aggregate.version)

    def find_current(self, aggregate_id: UUID) -> Any | None:
        try:
            return self.read_current(aggregate_id)
        except AggregateNotFoundError:
            return None

    def remember_saved(self, recordings: list[Recording[UUID]], *aggregates: Aggregate) -> None:
        """Aggregates just saved are their own latest version: the next read needs no fetch."""
        if recordings:
            for aggregate in aggregates:
                self._keep(aggregate)

    def _keep(self, aggregate: Any) -> None:
        self._copies.put_newer(aggregate.id, aggregate.version, pickle.dumps(aggregate, pickle.HIGHEST_PROTOCOL))

    def history_read(self, aggregate: Any, events: list[Any]) -> None:
        """A hook: the whole history of `aggregate` was just read (an application may keep what it needs)."""
