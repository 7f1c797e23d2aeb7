"""Composition root: the one place that turns settings into a ready application (cosmicpython style).

Entrypoints (CLI, HTTP, scheduler, tests) call `bootstrap()` and receive a `Contracts` whose store is
configured and whose reference data is seeded. Keep one application object per process.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager

import psycopg

from ledger.application import Contracts
from ledger.settings import Settings
from store.persistence import eventsourcing_env


def bootstrap(settings: Settings | None = None, env_overrides: Mapping[str, str] | None = None) -> Contracts:
    """Build the application on the configured store; seed the reference data on its first start."""
    env = resolved_env(settings, env_overrides)
    with schema_lock(env):
        return contracts_on(env)


def resolved_env(settings: Settings | None, env_overrides: Mapping[str, str] | None) -> dict[str, str]:
    """The persistence environment of the settings, with the overrides (the tests' stores) on top."""
    return {**eventsourcing_env(settings if settings is not None else Settings()), **(env_overrides or {})}


def contracts_on(env: Mapping[str, str]) -> Contracts:
    """The application on this store, its tables created and its reference data seeded (`schema_lock` held)."""
    app = Contracts(env=dict(env))
    app.seed_reference_data()
    return app


@contextmanager
def schema_lock(env: Mapping[str, str]) -> Iterator[None]:
    """On PostgreSQL, one process at a time creates the tables of a schema and seeds it.

    Each process creates what is missing when it starts, and the library's DDL includes `CREATE OR REPLACE
    FUNCTION`: two processes starting together (the API's workers, or the API and the worker of a
    deployment) failed one of them with "tuple concurrently updated". A session-level advisory lock, keyed by
    the schema, makes them take turns; on SQLite and in memory there is nothing to share.
    """
    if env.get("PERSISTENCE_MODULE") != "eventsourcing.postgres":
        yield
        return
    schema = env.get("POSTGRES_SCHEMA") or "public"
    with psycopg.connect(
        host=env["POSTGRES_HOST"],
        port=int(env["POSTGRES_PORT"]),
        user=env["POSTGRES_USER"],
        password=env.get("POSTGRES_PASSWORD") or None,
        dbname=env["POSTGRES_DBNAME"],
        autocommit=True,
    ) as conn:
        key = f"apprenticeship-ledger schema {schema}"
        conn.execute("SELECT pg_advisory_lock(hashtextextended(%s, 0))", (key,))
        try:
            yield
        finally:
            conn.execute("SELECT pg_advisory_unlock(hashtextextended(%s, 0))", (key,))
