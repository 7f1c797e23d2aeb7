"""The engines' reference data read from the store (revaluations and NPECs recorded as events).

`ledger schedule|funding --reference auto` must not create a database as a side effect: without `create`,
a store that does not exist yet (memory, or an SQLite file not yet created) answers None and the caller
uses the built-in seeds.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from eventsourcing.application import AggregateNotFoundError

from domain.funding.reference import FUNDING_REFERENCE_ID, FundingReference, FundingTables
from domain.wage.reference import WageReference
from ledger.application import Contracts
from ledger.bootstrap import bootstrap
from ledger.settings import MemoryStore, Settings, SQLiteStore
from store.persistence import eventsourcing_env

T = TypeVar("T")


def _from_store(create: bool, settings: Settings | None, read: Callable[[Contracts], T | None]) -> T | None:
    settings = settings if settings is not None else Settings()
    store = settings.store
    if create:
        with bootstrap(settings) as ledger:
            return read(ledger.contracts)
    if isinstance(store, MemoryStore) or (
        isinstance(store, SQLiteStore) and not store.path.startswith("file:") and not Path(store.path).exists()
    ):
        return None
    app = Contracts(env=eventsourcing_env(settings))  # read only: no seeding, no views
    try:
        return read(app)
    finally:
        app.close()


def reference_from_store(create: bool = False, settings: Settings | None = None) -> WageReference | None:
    def read(app: Contracts) -> WageReference | None:
        data = app.reference.find()
        return None if data is None else data.wage_reference()

    return _from_store(create, settings, read)


def funding_tables_from_store(create: bool = False, settings: Settings | None = None) -> FundingTables | None:
    def read(app: Contracts) -> FundingTables | None:
        try:
            ref: Any = app.repository.get(FUNDING_REFERENCE_ID)
        except AggregateNotFoundError:
            return None
        return ref.tables() if isinstance(ref, FundingReference) else None

    return _from_store(create, settings, read)
