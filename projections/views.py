"""Build the projections' views on the same database as the application they follow (one code path)."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any, TypeVar

from eventsourcing.persistence import InfrastructureFactory
from eventsourcing.postgres import PostgresFactory

from projections.tables import PostgresView, SQLiteView

V = TypeVar("V")


def view_env(app_env: Mapping[str, str]) -> dict[str, str]:
    """The application's persistence settings; an in-memory application gets a private in-memory SQLite."""
    if "SQLITE_DBNAME" in app_env or "POSTGRES_DBNAME" in app_env:
        # The library's own modules: views write in the worker, where a checkpoint inside a commit is harmless.
        module = "eventsourcing.sqlite" if "SQLITE_DBNAME" in app_env else "eventsourcing.postgres"
        keys = [k for k in app_env if k.startswith(("SQLITE_", "POSTGRES_", "CREATE_TABLE"))]
        env = {"PERSISTENCE_MODULE": module, **{k: app_env[k] for k in keys}}
        if module.endswith("postgres"):
            # A batch may compute for minutes inside its transaction (a SMIC revaluation recomputes every
            # contract before committing them with the tracking position): the library's 5 s idle timeout
            # would kill it. Only the projections write these tables.
            env["POSTGRES_IDLE_IN_TRANSACTION_SESSION_TIMEOUT"] = "0"
        return env
    return {
        "PERSISTENCE_MODULE": "eventsourcing.sqlite",
        "SQLITE_DBNAME": f"file:view-{uuid.uuid4().hex}?mode=memory&cache=shared",
    }


def build_view(
    env: Mapping[str, str] | InfrastructureFactory[Any], sqlite_class: type[V], postgres_class: type[V]
) -> V:
    """A view on the database `env` names (a `view_env`): every view of one ledger shares it, so a query may
    join their tables. Given a factory (`view_factory`), the views share its connections too."""
    factory = env if isinstance(env, InfrastructureFactory) else view_factory(env)
    view_class = postgres_class if isinstance(factory, PostgresFactory) else sqlite_class
    assert issubclass(view_class, (SQLiteView, PostgresView))  # type: ignore[arg-type]
    return factory.tracking_recorder(view_class)  # type: ignore[arg-type, no-any-return, return-value]


def view_factory(env: Mapping[str, str]) -> InfrastructureFactory[Any]:
    """The library's persistence for a `view_env`: one pool of connections for the views built from it."""
    return InfrastructureFactory.construct(env)
