"""The apprentices of one maître d'apprentissage (R6223-6), as an aggregate of its own.

R6223-6: at most two apprentices *simultaneously* per master, plus one more whose training is prolonged
after an exam failure (L6222-11). Read as: on any day, apprentices not in extension ≤ 2, and all
apprentices ≤ 2 + 1 (an extended apprentice may also take one of the two ordinary places).

"Simultaneously" is about dates, so each contract is held with its period: a master whose two apprentices
finish in August can take a new one starting in September, and a termination frees the place from the
day after the last day worked. A refused filing withdraws the contract. The application saves the roster
in the same transaction as the contract, so two drafts racing for the last place cannot both win.
"""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

from domain import law
from domain.errors import MasterLimitReached


def roster_id_for(master_id: str) -> UUID:
    return uuid5(NAMESPACE_URL, f"apprenticeship-ledger/masters/{master_id}")


def _occupancy(entries: dict[str, dict[str, Any]], day: date) -> tuple[int, int]:
    """(apprentices not in extension, apprentices in exam-failure extension) on that day."""
    ordinary = extended = 0
    for e in entries.values():
        if e["start"] <= day <= e["end"]:
            if e["extension_start"] is not None and day >= e["extension_start"]:
                extended += 1
            else:
                ordinary += 1
    return ordinary, extended


def check_limits(master_id: str, entries: dict[str, dict[str, Any]], first: date, last: date) -> None:
    """Refuse if, on a day in [first, last], the roster breaks R6223-6.

    Occupancy only rises on a start or an extension start, so checking those days (and `first`) suffices.
    """
    places = law.MAX_APPRENTICES_PER_MASTER.value
    extra = law.MAX_EXTRA_EXTENDED_PER_MASTER.value
    days = (
        {first}
        | {e["start"] for e in entries.values()}
        | {e["extension_start"] for e in entries.values() if e["extension_start"] is not None}
    )
    for day in sorted(d for d in days if first <= d <= last):
        ordinary, extended = _occupancy(entries, day)
        if ordinary > places or ordinary + extended > places + extra:
            raise MasterLimitReached(
                f"maître d'apprentissage {master_id} would have {ordinary + extended} apprentices on {day} "
                f"({extended} in exam-failure extension); the limit is {places}, plus {extra} in extension",
                field="master.id",
                rule=law.MAX_APPRENTICES_PER_MASTER.article,
            )


class MasterRoster(Aggregate):
    """Contract periods held by one master; entries keyed by contract id (str)."""

    @staticmethod
    def create_id(master_id: str, **_: Any) -> UUID:
        return roster_id_for(master_id)

    @event("Opened")
    def __init__(self, master_id: str) -> None:
        self.master_id = master_id
        self.entries: dict[str, dict[str, Any]] = {}

    def _checked(self, contract_id: str, start: date, end: date, extension_start: date | None) -> None:
        entries = {**self.entries, contract_id: {"start": start, "end": end, "extension_start": extension_start}}
        check_limits(self.master_id, entries, start, end)

    def holds(self, contract_id: str) -> bool:
        return contract_id in self.entries

    def admit(self, contract_id: str, start: date, end: date) -> None:
        self._checked(contract_id, start, end, None)
        self._admitted(contract_id=contract_id, start=start, end=end)

    @event("Admitted")
    def _admitted(self, contract_id: str, start: date, end: date) -> None:
        self.entries = {**self.entries, contract_id: {"start": start, "end": end, "extension_start": None}}

    def extend(self, contract_id: str, extension_start: date, end: date) -> None:
        start = self.entries[contract_id]["start"] if contract_id in self.entries else extension_start
        self._checked(contract_id, start, end, extension_start)
        self._extended(contract_id=contract_id, start=start, extension_start=extension_start, end=end)

    @event("Extended")
    def _extended(self, contract_id: str, start: date, extension_start: date, end: date) -> None:
        self.entries = {**self.entries, contract_id: {"start": start, "end": end, "extension_start": extension_start}}

    def reschedule(self, contract_id: str, start: date, end: date) -> None:
        """New dates after a correction of the terms (an extension, if any, keeps its start)."""
        extension_start = self.entries.get(contract_id, {}).get("extension_start")
        self._checked(contract_id, start, end, extension_start)
        self._rescheduled(contract_id=contract_id, start=start, end=end)

    @event("Rescheduled")
    def _rescheduled(self, contract_id: str, start: date, end: date) -> None:
        extension_start = self.entries.get(contract_id, {}).get("extension_start")
        self.entries = {**self.entries, contract_id: {"start": start, "end": end, "extension_start": extension_start}}

    def release_after(self, contract_id: str, last_day: date) -> None:
        """A terminated contract holds its place until its last day worked; never refused (it only frees)."""
        if contract_id in self.entries:
            self._released(contract_id=contract_id, last_day=last_day)

    @event("Released")
    def _released(self, contract_id: str, last_day: date) -> None:
        entry = self.entries[contract_id]
        self.entries = {**self.entries, contract_id: {**entry, "end": min(entry["end"], last_day)}}

    def withdraw(self, contract_id: str) -> None:
        """The contract will not run (filing refused, or moved to another master)."""
        if contract_id in self.entries:
            self._withdrawn(contract_id=contract_id)

    @event("Withdrawn")
    def _withdrawn(self, contract_id: str) -> None:
        self.entries = {k: v for k, v in self.entries.items() if k != contract_id}
