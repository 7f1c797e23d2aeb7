"""The running system: the Contracts application and the projections that follow its event log.

Entrypoints build one `Ledger` through `bootstrap_ledger()` (CLI, HTTP API, scheduler, tests). Commands
go to `ledger.contracts`; `sync()` brings every projection up to the last recorded event (each batch
exactly once, whichever process gets there first); `follow()` keeps them following in the background.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, cast
from uuid import UUID

from eventsourcing.utils import get_topic

from domain.clock import ClockState
from domain.contract import Contract
from domain.funding.reference import FundingReference
from ledger.application import Contracts
from ledger.bootstrap import contracts_on, resolved_env, schema_lock
from ledger.settings import Settings
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
from store.listener import SAFETY_POLL_SECONDS, NotifyListener, listen_if_postgres


@dataclass
class Ledger:
    contracts: Contracts
    wages: WageProjection
    clock_index: ClockIndexProjection
    funding: FundingProjection
    outbox: WebhookOutboxProjection
    runners: list[LogFollower] = field(default_factory=list)
    outbox_runners: list[LogFollower] = field(default_factory=list)  # not rebuilt: it holds what was sent
    listener: NotifyListener | None = None

    @property
    def wage_view(self) -> WageViewQueries:
        return self.wages.view

    @property
    def clock_view(self) -> ClockIndexQueries:
        return self.clock_index.view

    @property
    def wage_runner(self) -> LogFollower:
        return self.runners[0]

    @property
    def clock_runner(self) -> LogFollower:
        return self.runners[1]

    @property
    def outbox_view(self) -> WebhookOutboxQueries:
        return self.outbox.view

    def outbox_sync(self) -> None:
        """The outbox's two sources: the event log, and the wage history as far as the wage view has got (its
        own follower moves it on; the dispatcher must not wait for schedules to be recomputed)."""
        for runner in self.outbox_runners:
            runner.catch_up()

    @property
    def funding_view(self) -> FundingViewQueries:
        return self.funding.view

    @property
    def funding_runner(self) -> LogFollower:
        return self.runners[2]

    def sync(self) -> int:
        """Apply every recorded event not yet in the projections; returns how many notifications were read."""
        return sum(runner.catch_up() for runner in (*self.runners, *self.outbox_runners))

    def follow(self, interval: float = 0.5) -> None:
        """Keep every projection following the log: woken by NOTIFY on PostgreSQL, polling on SQLite."""
        self.listener = listen_if_postgres(self.contracts.recorder, self.poke)
        every = SAFETY_POLL_SECONDS if self.listener is not None else interval
        for runner in (*self.runners, *self.outbox_runners):
            runner.start(every)

    def poke(self) -> None:
        """A local write happened: wake the following projections now rather than at their next interval."""
        for runner in (*self.runners, *self.outbox_runners):
            runner.poke()

    def incomplete_rebuilds(self, among: Sequence[str] = ("wages", "clock", "funding")) -> list[str]:
        """Those of the projections `among` a `ledger rebuild` has emptied and not finished."""
        names = ("wages", "clock", "funding")  # the order of `runners`
        return [
            name
            for name, runner in zip(names, self.runners, strict=True)
            if name in among and runner.projection.view.rebuilding(runner.projection.tracking_name)  # type: ignore[attr-defined]
        ]

    def rebuild(self) -> None:
        """Forget the projections' state; the next `sync()` replays the whole log."""
        self.wages.rebuild()
        self.clock_index.rebuild()
        self.funding.rebuild()

    def close(self) -> None:
        if self.listener is not None:
            self.listener.stop()
        for runner in (*self.runners, *self.outbox_runners):
            runner.stop()
        self.contracts.close()
        views = (self.wage_view, self.clock_view, self.funding_view, self.outbox_view)
        for datastore in {id(v.datastore): v.datastore for v in views}.values():  # shared by the views
            datastore.close()


def bootstrap_ledger(settings: Settings | None = None, env_overrides: Mapping[str, str] | None = None) -> Ledger:
    settings = settings if settings is not None else Settings()
    resolved = resolved_env(settings, env_overrides)
    with schema_lock(resolved):  # the views' tables too
        return _assemble(settings, contracts_on(resolved))


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
    funding = FundingProjection(funding_view, upstream, _reference_events(contracts), contracts.funding_readings)
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
