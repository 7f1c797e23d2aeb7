"""Use cases of funding (funding-rules.md), on the ledger's store.

The funding reference (NPEC versions, forfaits, schedules, caps) is a singleton aggregate of the store,
seeded on the first start; admin commands record new versions. A contract's funding is computed from its
own events and the reference, like its wage.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError
from eventsourcing.persistence import IntegrityError

from domain.funding.engine import FUNDING_FACT_EVENTS, Funding, FundingReadings, compute_funding, funding_facts
from domain.funding.hiring_aid import HiringAid, hiring_aid
from domain.funding.reference import FUNDING_REFERENCE_ID, FundingReference, FundingTables

if TYPE_CHECKING:
    from ledger.application import Contracts


class FundingUseCases:
    def __init__(self, app: Contracts, readings: FundingReadings | None = None) -> None:
        self.app = app
        self.readings = readings if readings is not None else FundingReadings()
        self._cache: tuple[int, FundingTables] | None = None  # (funding reference version, its tables)

    # -- reference --------------------------------------------------------------------------------------
    def reference(self) -> FundingReference:
        try:
            ref: Any = self.app.repository.get(FUNDING_REFERENCE_ID)
        except AggregateNotFoundError:
            ref = FundingReference.seed()
            try:
                self.app.save(ref)
            except IntegrityError:  # seeded meanwhile by another process
                ref = self.app.repository.get(FUNDING_REFERENCE_ID)
        assert isinstance(ref, FundingReference)
        return ref

    def tables(self) -> FundingTables:
        """The tables now, rebuilt only when the funding reference changed since the last call."""
        cached = self._cache
        if cached is not None and next(self.app.events.get(FUNDING_REFERENCE_ID, gt=cached[0], limit=1), None) is None:
            return cached[1]
        ref = self.reference()
        tables = ref.tables()
        self._cache = (ref.version, tables)
        return tables

    def record_npec(
        self, certification: str, branch: str | None, amount: Decimal, applies_from: date, source: str
    ) -> bool:
        return self._change(lambda r: r.record_npec(certification, branch, amount, applies_from, source))

    def fix_npec(self, certification: str, amount: Decimal, applies_from: date, decided_on: date, source: str) -> bool:
        return self._change(lambda r: r.fix_npec(certification, amount, applies_from, decided_on, source))

    def record_amorcage_forfaits(self, applies_from: date, by_level: dict[int, Decimal], source: str) -> bool:
        return self._change(lambda r: r.record_forfaits(applies_from, by_level, source))

    def record_parameter(self, name: str, value: Decimal, applies_from: date, article: str) -> bool:
        return self._change(lambda r: r.record_parameter(name, value, applies_from, article))

    def _change(self, change: Callable[[FundingReference], Any]) -> bool:
        ref = self.reference()
        recorded = bool(change(ref))
        if recorded:
            self.app.save(ref)
        return recorded

    # -- a contract's funding -----------------------------------------------------------------------------
    def of_contract(self, contract_id: UUID) -> Funding:
        terms, events = self.app.contract_history(contract_id, FUNDING_FACT_EVENTS)
        return compute_funding(funding_facts(terms, events), self.tables(), self.readings)

    def hiring_aid(self, contract_id: UUID) -> HiringAid:
        terms, events = self.app.contract_history(contract_id, FUNDING_FACT_EVENTS)
        return hiring_aid(funding_facts(terms, events))
