"""Composition root: the one place that turns settings into a running ledger (cosmicpython style).

Entrypoints (CLI, HTTP, scheduler, workers, tests, benchmarks) call `bootstrap()` and receive a `Ledger`: the
`Contracts` application on the configured store, its reference data seeded, and the projections that follow
its log, their views on the same database. Keep one ledger per process; close it (or use it as a context
manager) when done.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any, cast
from uuid import UUID

import psycopg
from eventsourcing.utils import get_topic

from domain.clock import ClockState
from domain.contract import Contract
from domain.funding.reference import FundingReference
from ledger.application import Contracts
from ledger.settings import Settings
from ledger.system import Ledger
from projections.clock.projection import ClockIndexProjection, clock_input
from projections.clock.view import ClockIndexQueries, PostgresClockIndex, SQLiteClockIndex
from projections.funding.projection import FUNDING_INPUT_KINDS, FundingProjection, funding_input
from projections.funding.view import FundingViewQueries, PostgresFundingView, SQLiteFundingView
from projections.runner import LogFollower
from projections.views import build_view, view_env, view_factory
from projections.wage.projection import WAGE_INPUT_KINDS, WageProjection, wage_input
from projections.wage.view import PostgresWageView, SQLiteWageView, WageViewQueries
from projections.webhooks.projection import WageChangeFeed, WebhookOutboxProjection, outbox_input
from projections.webhooks.view import PostgresWebhookOutbox, SQLiteWebhookOutbox, WebhookOutboxQueries
from store.persistence import eventsourcing_env


def bootstrap(settings: Settings | None = None, env_overrides: Mapping[str, str] | None = None) -> Ledger:
    """Build the ledger on the configured store: its tables and the views' created, the reference data seeded on
    the first start. `env_overrides` (the tests' stores) go on top of the settings' persistence environment."""
    settings = settings if settings is not None else Settings()
    env = resolved_env(settings, env_overrides)
    with schema_lock(env):  # the views' tables too
        return _assemble(settings, contracts_on(env))


def resolved_env(settings: Settings | None, env_overrides: Mapping[str, str] | None) -> dict[str, str]:
    """The persistence environment of the settings, with the overrides (the tests' stores) on top."""
    return {**eventsourcing_env(settings if settings is not None else Settings()), **(env_overrides or {})}


def contracts_on(env: Mapping[str, str]) -> Contracts:
    """The application on this store, its tables created and its reference data seeded (`schema_lock` held)."""
    app = Contracts(env=dict(env))
    app.reference.seed()
    return app


def _assemble(settings: Settings, contracts: Contracts) -> Ledger:
    env: Mapping[str, str] = contracts.env  # the persistence settings the application resolved
    upstream = contracts.name
    # One database for the views, even in memory (the contract list joins them), and one pool of connections.
    views = view_factory(view_env(env))
    clock_view = cast(ClockIndexQueries, build_view(views, SQLiteClockIndex, PostgresClockIndex))
    wage_view = cast(WageViewQueries, build_view(views, SQLiteWageView, PostgresWageView))
    funding_view = cast(FundingViewQueries, build_view(views, SQLiteFundingView, PostgresFundingView))
    wages = WageProjection(wage_view, upstream, settings.revaluation_processes)
    clock = ClockIndexProjection(clock_view, upstream, _state_loader(contracts))
    funding = FundingProjection(funding_view, upstream, _reference_events(contracts), contracts.funding.readings)
    outbox_view = cast(WebhookOutboxQueries, build_view(views, SQLiteWebhookOutbox, PostgresWebhookOutbox))
    outbox = WebhookOutboxProjection(outbox_view, upstream)
    wage_changes = WageChangeFeed(outbox_view)
    ledger = Ledger(contracts, wages, clock, funding, outbox)
    ledger.runners = [
        LogFollower(contracts, wages, wage_input, decode="record", kinds=WAGE_INPUT_KINDS),
        LogFollower(contracts, clock, clock_input, decode="stored"),
        LogFollower(contracts, funding, funding_input, decode="record_sealed", kinds=FUNDING_INPUT_KINDS),
    ]
    ledger.outbox_runners = [
        LogFollower(contracts, outbox, outbox_input, decode="record"),
        LogFollower(None, wage_changes, read=wage_changes.read),
    ]
    return ledger


FUNDING_REFERENCE_TOPICS = [
    get_topic(cls)
    for cls in vars(FundingReference).values()
    if isinstance(cls, type) and issubclass(cls, FundingReference.Event)
]


def _reference_events(contracts: Contracts) -> Any:
    """The funding reference's events recorded up to a notification id (the projection's replica)."""

    def events(stop: int | None) -> list[Any]:
        out: list[Any] = []
        start = 1
        while notes := contracts.recorder.select_notifications(
            start=start, limit=500, stop=stop, topics=FUNDING_REFERENCE_TOPICS
        ):
            out += [contracts.mapper.to_domain_event(n) for n in notes]
            start = notes[-1].id + 1
        return out

    return events


def _state_loader(contracts: Contracts) -> Any:
    def load(contract_ids: Sequence[str]) -> dict[str, tuple[ClockState, str | None]]:
        """The contracts' current states, from one query for all their events."""
        found = contracts.read_many([UUID(c) for c in contract_ids])
        return {str(i): (c.clock_state(), c.cfa_id) for i, c in found.items() if isinstance(c, Contract)}

    return load


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
