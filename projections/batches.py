"""What the wage and funding projections share: a batch applied with its tracking position in one
transaction, a replica of reference data kept in step with the view, and a per-batch cache of rows."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, Generic, TypeVar

from eventsourcing.persistence import Tracking

from projections.shards import Shard

Item = TypeVar("Item")
Batch = TypeVar("Batch")


class BatchProjection(Generic[Item, Batch]):
    """Subclasses give `view` (a tracking view with `write` and `load`), `tracking_name`, `_load_reference`,
    `_new_batch`, `_apply` and `_save`; `_applied` is the position the in-memory reference was loaded at."""

    view: Any
    tracking_name: str
    _applied: int | None
    shard: Shard | None = None  # a rebuild worker's share of the contracts; None: all of them

    def take_shard(self, shard: Shard) -> None:
        """From now on, keep only this shard's contracts, under the shard's own tracking name."""
        self.shard = shard
        self.tracking_name = shard.tracking_name(self.tracking_name)
        self._load_reference()

    def owned(self, contract_ids: Iterable[str]) -> list[str]:
        """Those of the contracts this projection keeps (a reference change reaches every contract)."""
        return [c for c in contract_ids if self.owns(c)]

    def owns(self, contract_id: str) -> bool:
        return self.shard is None or self.shard.owns(contract_id)

    def position(self) -> int | None:
        return self.view.max_tracking_id(self.tracking_name)  # type: ignore[no-any-return]

    def rebuild(self, hold: bool = False, mark: bool = False) -> None:
        """Empty the view (`hold`: its followers parked until the rebuild workers are done)."""
        self.view.clear(self.tracking_name, hold, mark)
        self._load_reference()

    def process(self, items: Sequence[tuple[int, Item | None]]) -> None:
        """Apply a batch of notifications (id, input or None for events the view ignores) atomically."""
        if not items:
            return
        if self.position() != self._applied:  # another process moved the view: its reference too
            self._load_reference()
        batch = self._new_batch()
        try:
            with self.view.write(Tracking(self.tracking_name, items[-1][0])) as cursor:
                for _, item in items:
                    if item is not None:
                        self._apply(cursor, item, batch)
                self._save(cursor, batch)
        except BaseException:
            self._load_reference()  # the batch rolled back: forget what it had changed in memory
            raise
        self._applied = items[-1][0]

    def _row(self, cursor: Any, contract_id: str, rows: dict[str, Any]) -> Any | None:
        """A contract's row: from this batch if it has it, else from the view (None if not there)."""
        if contract_id not in rows:
            loaded = self.view.load(cursor, [contract_id])
            if contract_id not in loaded:
                return None
            rows[contract_id] = loaded[contract_id]
        return rows[contract_id]

    def _load_reference(self) -> None:
        raise NotImplementedError

    def _new_batch(self) -> Batch:
        raise NotImplementedError

    def _apply(self, cursor: Any, item: Item, batch: Batch) -> None:
        raise NotImplementedError

    def _save(self, cursor: Any, batch: Batch) -> None:
        raise NotImplementedError
