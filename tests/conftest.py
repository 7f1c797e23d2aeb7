"""Shared fixtures: the three stores every application test runs on.

`backend` yields the eventsourcing environment of one store: "memory" (POPO), "sqlite" (a real file in a
temp dir) and "postgres" (the server at 127.0.0.1:5432, user root, database test; one fresh schema per
test, dropped afterwards). An unreachable PostgreSQL fails the run when CI=true, and is skipped with the
reason otherwise. LEDGER_TEST_POSTGRES_URL points the tests at another server.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from functools import cache
from pathlib import Path

import psycopg
import pytest
from psycopg import sql

from ledger.application import Contracts
from ledger.bootstrap import bootstrap
from ledger.settings import PostgresStore, Settings, parse_database_url
from ledger.system import Ledger
from store.persistence import eventsourcing_env

pytest_plugins = ("tests.webhook_receiver",)  # its receiver and dispatcher serve the application and API tiers

BACKENDS = ("memory", "sqlite", "postgres")
POSTGRES_URL = os.environ.get("LEDGER_TEST_POSTGRES_URL", "postgresql://root@127.0.0.1:5432/test")


def _connect() -> psycopg.Connection:
    store = parse_database_url(POSTGRES_URL)
    assert isinstance(store, PostgresStore)
    return psycopg.connect(
        **store.connection_args(),
        connect_timeout=3,
        autocommit=True,
    )


@cache
def _postgres_unreachable() -> str | None:
    """Why PostgreSQL cannot be used, or None; asked once per run."""
    try:
        with _connect() as conn:
            conn.execute("select 1")
    except psycopg.Error as e:
        return f"PostgreSQL at {POSTGRES_URL} is unreachable: {str(e).strip().splitlines()[0]}"
    return None


def _require_postgres() -> None:
    reason = _postgres_unreachable()
    if reason is None:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (CI=true: PostgreSQL tests must run)", pytrace=False)
    pytest.skip(reason)


@pytest.fixture
def postgres_schema() -> Iterator[str]:
    """A fresh schema in the test database, dropped after the test."""
    _require_postgres()
    schema = f"t_{uuid.uuid4().hex[:16]}"
    with _connect() as conn:
        conn.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(schema)))
    try:
        yield schema
    finally:
        with _connect() as conn:
            conn.execute(sql.SQL("DROP SCHEMA {} CASCADE").format(sql.Identifier(schema)))


def backend_env(name: str, tmp_path: Path, request: pytest.FixtureRequest) -> dict[str, str]:
    if name == "memory":
        url = "memory:"
    elif name == "sqlite":
        url = f"sqlite:///{tmp_path / 'ledger.sqlite3'}"  # tmp_path is absolute: sqlite:////tmp/...
    else:
        schema = request.getfixturevalue("postgres_schema")
        url = f"{POSTGRES_URL}?schema={schema}"
    return eventsourcing_env(Settings(database_url=url))


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> dict[str, str]:
    """The eventsourcing environment of one of the three stores."""
    return backend_env(request.param, tmp_path, request)


@pytest.fixture
def make_app(backend: dict[str, str]) -> Iterator[Callable[[], Contracts]]:
    """Build applications on the test's store (closed after the test, before its schema is dropped).

    With "memory" every instance has its own store; tests that need two processes on one store check
    `shares_store(backend)`.
    """
    built: list[Ledger] = []

    def make() -> Contracts:
        ledger = bootstrap(Settings(database_url="memory:"), env_overrides=backend)
        built.append(ledger)
        return ledger.contracts

    yield make
    for ledger in built:
        ledger.close()


@pytest.fixture
def app(make_app: Callable[[], Contracts]) -> Contracts:
    return make_app()


def shares_store(env: dict[str, str]) -> bool:
    return env["PERSISTENCE_MODULE"] != "eventsourcing.popo"


@pytest.fixture
def make_ledger(backend: dict[str, str]) -> Iterator[Callable[[], Ledger]]:
    """Build whole ledgers (application + projections) on the test's store; closed after the test."""
    built: list[Ledger] = []

    def make() -> Ledger:
        ledger = bootstrap(Settings(database_url="memory:"), env_overrides=backend)
        built.append(ledger)
        return ledger

    yield make
    for ledger in built:
        ledger.close()


@pytest.fixture
def ledger(make_ledger: Callable[[], Ledger]) -> Ledger:
    return make_ledger()


# Tiers, by folder: `domain` (the rules, no store), `application` (the application, its projections, the CLI
# and the workers on the three stores), `api` (through the real app), and the system tests (`system`, `ui`: real
# processes, a browser, a real server). `bin/test -m "not system"` is the fast inner loop.
SYSTEM_FOLDERS = ("system", "ui")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    tests_root = Path(__file__).resolve().parent
    for item in items:
        parts = Path(str(item.path)).resolve().relative_to(tests_root).parts
        if parts and parts[0] in SYSTEM_FOLDERS:
            item.add_marker(pytest.mark.system)
