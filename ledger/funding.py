"""Use cases of funding (funding-rules.md), mixed into the Contracts application.

The funding reference (NPEC versions, forfaits, schedules, caps) is a singleton aggregate of the store,
seeded on the first start; admin commands record new versions. A contract's funding is computed from its
own events and the reference, like its wage.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, Application
from eventsourcing.persistence import IntegrityError

from domain.funding.engine import FUNDING_FACT_EVENTS, Funding, FundingReadings, compute_funding, funding_facts
from domain.funding.hiring_aid import HiringAid, hiring_aid
from domain.funding.reference import FUNDING_REFERENCE_ID, FundingReference, FundingTables
from domain.terms import ContractTerms


class FundingUseCases(Application[UUID]):
    funding_readings = FundingReadings()
    _funding_cache: tuple[int, FundingTables] | None = None  # (funding reference version, its tables)

    def contract_history(
        self, contract_id: UUID, kinds: frozenset[str], as_of: datetime | None = None
    ) -> tuple[ContractTerms, list[dict[str, Any]]]:
        raise NotImplementedError  # the Contracts application's

    # -- reference --------------------------------------------------------------------------------------
    def funding_reference(self) -> FundingReference:
        try:
            ref: Any = self.repository.get(FUNDING_REFERENCE_ID)
        except AggregateNotFoundError:
            ref = FundingReference.seed()
            try:
                self.save(ref)
            except IntegrityError:  # seeded meanwhile by another process
                ref = self.repository.get(FUNDING_REFERENCE_ID)
        assert isinstance(ref, FundingReference)
        return ref

    def funding_tables(self) -> FundingTables:
        """The tables now, rebuilt only when the funding reference changed since the last call."""
        cached = self._funding_cache
        if cached is not None and next(self.events.get(FUNDING_REFERENCE_ID, gt=cached[0], limit=1), None) is None:
            return cached[1]
        ref = self.funding_reference()
        tables = ref.tables()
        self._funding_cache = (ref.version, tables)
        return tables

    def _change_funding_reference(self, change: Any) -> bool:
        ref = self.funding_reference()
        recorded = bool(change(ref))
        if recorded:
            self.save(ref)
        return recorded

    def record_npec(
        self, certification: str, branch: str | None, amount: Decimal, applies_from: date, source: str
    ) -> bool:
        return self._change_funding_reference(
            lambda r: r.record_npec(certification, branch, amount, applies_from, source)
        )

    def fix_npec(self, certification: str, amount: Decimal, applies_from: date, decided_on: date, source: str) -> bool:
        return self._change_funding_reference(
            lambda r: r.fix_npec(certification, amount, applies_from, decided_on, source)
        )

    def record_amorcage_forfaits(self, applies_from: date, by_level: dict[int, Decimal], source: str) -> bool:
        return self._change_funding_reference(lambda r: r.record_forfaits(applies_from, by_level, source))

    def record_funding_parameter(self, name: str, value: Decimal, applies_from: date, article: str) -> bool:
        return self._change_funding_reference(lambda r: r.record_parameter(name, value, applies_from, article))

    # -- a contract's funding -----------------------------------------------------------------------------
    def contract_funding(self, contract_id: UUID) -> Funding:
        terms, events = self.contract_history(contract_id, FUNDING_FACT_EVENTS)
        return compute_funding(funding_facts(terms, events), self.funding_tables(), self.funding_readings)

    def contract_hiring_aid(self, contract_id: UUID) -> HiringAid:
        terms, events = self.contract_history(contract_id, FUNDING_FACT_EVENTS)
        return hiring_aid(funding_facts(terms, events))
