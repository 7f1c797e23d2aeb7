"""Use cases of the reference data: the SMIC series by territory and the Luxembourg cote (recorded, never coded),
and the first start's seeds of both references (wage and funding).

The wage reference in force is read on every wage computation, so it is kept with the version it was built
from and rebuilt only when a revaluation was recorded since.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any
from uuid import UUID

from eventsourcing.persistence import IntegrityError

from domain import law
from domain.events import recorded_timestamp
from domain.funding.reference import FUNDING_REFERENCE_ID, FundingReference
from domain.reference_data import REFERENCE_DATA_ID, ReferenceData
from domain.wage.reference import WageReference
from store.persistence import find_aggregate

if TYPE_CHECKING:
    from ledger.application import Contracts


class ReferenceDataUseCases:
    def __init__(self, app: Contracts) -> None:
        self.app = app
        self._cache: tuple[int, WageReference] | None = None  # (reference data version, its series)

    def seed(self) -> bool:
        """Record the `domain.law` seeds once (wage and funding references); True if this call did it."""
        seeded = False
        for aggregate_id, seed in (
            (REFERENCE_DATA_ID, ReferenceData.seed),
            (FUNDING_REFERENCE_ID, FundingReference.seed),
        ):
            if self._exists(aggregate_id):
                continue
            try:
                self.app.save(seed())
                seeded = True
            except IntegrityError:  # another process seeded it at the same moment: same seeds, nothing to do
                pass
        data = self.find()
        for smic, territory in data.missing_seeds() if data is not None else ():
            # A store seeded before a territory's series existed gets that series' seeds as revaluations.
            seeded |= self._record_smic(smic.effective_date, smic.hourly, smic.monthly, smic.act, territory)
        return seeded

    def find(self) -> ReferenceData | None:
        """The reference data, or None before the first seeding (no write)."""
        return find_aggregate(self.app, REFERENCE_DATA_ID, ReferenceData)

    def data(self) -> ReferenceData:
        """The reference data, seeded first if this store has none yet."""
        data = self.find()
        if data is None:
            self.seed()
            data = self.find()
        assert data is not None
        return data

    def record_smic_revaluation(
        self, effective_date: date, hourly: Decimal, monthly: Decimal, act: str, territory: str = law.METROPOLE
    ) -> bool:
        """Record a SMIC revaluation of a territory; False if exactly that revaluation was already recorded."""
        return self._record_smic(effective_date, hourly, monthly, act, territory)

    def record_lu_cote(self, effective_date: date, cote: Decimal, source: str) -> bool:
        data = self.data()
        recorded = data.record_lu_cote(effective_date, cote, source)
        if recorded:
            self.app.save_or_conflict(data)
        return recorded

    # -- the wage reference ---------------------------------------------------------------------------------
    def current(self) -> WageReference:
        """The reference series now."""
        return self.current_versioned()[1]

    def current_versioned(self) -> tuple[int, WageReference]:
        """The series now and the reference data's version, rebuilt only when a revaluation was recorded since."""
        cached = self._cache
        if cached is not None and cached[0] == self.app.current_version(REFERENCE_DATA_ID):
            return cached
        data = self.app.find_current(REFERENCE_DATA_ID) or self.data()
        self._cache = (data.version, data.wage_reference())
        return self._cache

    def last_known(self) -> tuple[int, WageReference]:
        """The series as last read, without asking the store (a check of computability needs no newer one)."""
        return self._cache if self._cache is not None else self.current_versioned()

    def as_of(self, as_of: datetime | None) -> WageReference:
        """The series as recorded at a moment (an auditor's `as_of`), or now."""
        if as_of is None:
            return self.current()
        known = [e for e in self.app.events.get(REFERENCE_DATA_ID) if recorded_timestamp(e) <= as_of]
        if not known:
            return WageReference.seed()  # before the store's first start, the seeds were the reference
        data: Any = self.app.repository.get(REFERENCE_DATA_ID, version=known[-1].originator_version)
        return data.wage_reference()

    def _record_smic(self, effective_date: date, hourly: Decimal, monthly: Decimal, act: str, territory: str) -> bool:
        data = self.data()
        recorded = data.revalue_smic(effective_date, hourly, monthly, act, territory)
        if recorded:
            self.app.save_or_conflict(data)  # a revaluation recorded meanwhile: ConcurrentChange, nothing saved
        return recorded

    def _exists(self, aggregate_id: UUID) -> bool:
        return next(self.app.events.get(aggregate_id, limit=1), None) is not None
