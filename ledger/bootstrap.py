"""Composition root: the one place that turns settings into a ready application (cosmicpython style).

Entrypoints (CLI, HTTP, scheduler, tests) call `bootstrap()` and receive a `Contracts` whose store is
configured and whose reference data is seeded. Keep one application object per process.
"""

from __future__ import annotations

from collections.abc import Mapping

from ledger.application import Contracts
from ledger.persistence import eventsourcing_env
from ledger.settings import Settings


def bootstrap(settings: Settings | None = None, env_overrides: Mapping[str, str] | None = None) -> Contracts:
    """Build the application on the configured store; seed the reference data on its first start."""
    settings = settings if settings is not None else Settings()
    env = {**eventsourcing_env(settings), **(env_overrides or {})}
    app = Contracts(env=env)
    app.seed_reference_data()
    return app
