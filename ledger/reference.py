"""The wage engine's reference series read from the store (SMIC revaluations recorded as events).

`ledger schedule --reference auto` must not create a database as a side effect: without `create`, a store
that does not exist yet (memory, or an SQLite file not yet created) answers None and the caller uses the
built-in seeds.
"""

from __future__ import annotations

from pathlib import Path

from domain.wage.reference import WageReference
from ledger.application import Contracts
from ledger.bootstrap import bootstrap
from ledger.persistence import eventsourcing_env
from ledger.settings import MemoryStore, Settings, SQLiteStore


def reference_from_store(create: bool = False, settings: Settings | None = None) -> WageReference | None:
    settings = settings if settings is not None else Settings()
    store = settings.store
    if not create:
        if isinstance(store, MemoryStore):
            return None
        if isinstance(store, SQLiteStore) and not store.path.startswith("file:") and not Path(store.path).exists():
            return None
        app = Contracts(env=eventsourcing_env(settings))  # read only: no seeding
        try:
            data = app.find_reference_data()
        finally:
            app.close()
        if data is None:
            return None
        return WageReference.from_series(data.smic_history(), data.lu_cotes())
    app = bootstrap(settings)
    try:
        data = app.reference_data()
        return WageReference.from_series(data.smic_history(), data.lu_cotes())
    finally:
        app.close()
