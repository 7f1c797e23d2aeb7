"""A whole `Ledger` (application + projections) on each of the three stores."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from ledger.settings import Settings
from ledger.system import Ledger, bootstrap_ledger


@pytest.fixture
def make_ledger(backend: dict[str, str]) -> Iterator[Callable[[], Ledger]]:
    """Build ledgers on the test's store; closed after the test (before its schema is dropped)."""
    built: list[Ledger] = []

    def make() -> Ledger:
        ledger = bootstrap_ledger(Settings(database_url="memory:"), env_overrides=backend)
        built.append(ledger)
        return ledger

    yield make
    for ledger in built:
        ledger.close()


@pytest.fixture
def ledger(make_ledger: Callable[[], Ledger]) -> Ledger:
    return make_ledger()
