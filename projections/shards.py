"""A share of the contracts, so that several processes can rebuild the read models side by side.

A rebuild is CPU-bound Python; one process uses one core. Each worker takes the contracts whose id falls in
its shard (the id's last 32 bits modulo the number of shards), and every event of the other aggregates
(reference data), which all of them need. Each writes its own rows under its own tracking name.
"""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from eventsourcing.persistence import StoredEvent

from domain.contract import Contract
from domain.events import topic_prefix

CONTRACT_EVENT_TOPICS = topic_prefix(Contract)
LOW_32_BITS = 0xFFFF_FFFF  # of the id, for the shard: as cheap to take on the server as in Python (persistence)


@dataclass(frozen=True)
class Shard:
    index: int  # from 0
    count: int

    def __post_init__(self) -> None:
        if not 0 <= self.index < self.count:
            raise ValueError(f"shard {self.index} of {self.count}")

    @property
    def name(self) -> str:
        return f"{self.index + 1}/{self.count}"

    def tracking_name(self, projection_name: str) -> str:
        return f"{projection_name}#{self.name}"

    def owns(self, contract_id: str | UUID) -> bool:
        uuid = contract_id if isinstance(contract_id, UUID) else UUID(str(contract_id))
        return (uuid.int & LOW_32_BITS) % self.count == self.index

    def keeps(self, stored_event: StoredEvent) -> bool:
        """Whether this shard reads the event: its own contracts', and every other aggregate's."""
        return not stored_event.topic.startswith(CONTRACT_EVENT_TOPICS) or self.owns(stored_event.originator_id)
