"""Keeps the clock index from the contract events (exactly-once, with tracking, rebuildable).

The next due event is a pure function of a contract's state (`domain.clock.next_due`), so the projection
reads the contract's current state rather than re-deriving it from the event alone. Reading a state newer
than the event is harmless: the index can only be early (a tick then finds nothing due and the entry is
refreshed), never late, because every recorded contract event brings the entry up to date again.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from eventsourcing.persistence import StoredEvent, Tracking

from domain.clock import ClockState, next_due
from projections.clock.view import ClockIndexQueries
from projections.shards import CONTRACT_EVENT_TOPICS, Shard


def clock_input(stored_event: StoredEvent) -> str | None:
    """The contract a recorded event concerns (the translate step of the runner), None for other aggregates.

    Read from the stored event, undecoded: the projection reads the contract's whole state afresh anyway."""
    return str(stored_event.originator_id) if stored_event.topic.startswith(CONTRACT_EVENT_TOPICS) else None


class ClockIndexProjection:
    def __init__(
        self,
        view: ClockIndexQueries,
        upstream_name: str,
        load_states: Callable[[Sequence[str]], Mapping[str, tuple[ClockState, str | None]]],
    ) -> None:
        self.view = view
        self.tracking_name = f"{upstream_name}->clock"
        self.load_states = load_states  # contract ids → (clock state, CFA id) of those that exist, in one read

    def position(self) -> int | None:
        return self.view.max_tracking_id(self.tracking_name)  # type: ignore[attr-defined]

    def rebuild(self, hold: bool = False, mark: bool = False) -> None:
        """Empty the index (`hold`: its followers parked until the rebuild workers are done)."""
        self.view.clear(self.tracking_name, hold, mark)

    def take_shard(self, shard: Shard) -> None:
        """Under the shard's own tracking name; its runner gives it only the shard's contracts."""
        self.tracking_name = shard.tracking_name(self.tracking_name)

    def process(self, items: Sequence[tuple[int, str | None]]) -> None:
        if not items:
            return
        ids = sorted({cid for _, cid in items if cid is not None})
        now = datetime.now(UTC).isoformat()
        states = self.load_states(ids)
        rows = [self.row(cid, *states[cid], now) for cid in ids if cid in states]
        with self.view.write(Tracking(self.tracking_name, items[-1][0])) as cursor:
            self.view.save(cursor, rows)

    def refresh(self, contract_id: str) -> None:
        """Rewrite one entry from the contract's current state, outside the event stream (a pure function)."""
        loaded = self.load_states([contract_id]).get(contract_id)
        if loaded is not None:
            with self.view.write(None) as cursor:
                self.view.save(cursor, [self.row(contract_id, *loaded, datetime.now(UTC).isoformat())])

    @staticmethod
    def row(contract_id: str, state: ClockState, cfa_id: str | None, now: str) -> tuple[Any, ...]:
        due = next_due(state)
        if due is None:
            return (contract_id, None, None, None, state.status, cfa_id, now)
        return (contract_id, due.effective_date.isoformat(), due.kind, due.key, state.status, cfa_id, now)
