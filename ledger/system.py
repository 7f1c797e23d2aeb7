"""The running system: the Contracts application and the projections that follow its event log.

Entrypoints build one `Ledger` through `ledger.bootstrap.bootstrap()` (CLI, HTTP API, scheduler, tests). Commands
go to `ledger.contracts`; `sync()` brings every projection up to the last recorded event (each batch
exactly once, whichever process gets there first); `follow()` keeps them following in the background.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from ledger.application import Contracts
from projections.clock.projection import ClockIndexProjection
from projections.clock.view import ClockIndexQueries
from projections.funding.projection import FundingProjection
from projections.funding.view import FundingViewQueries
from projections.runner import LogFollower
from projections.wage.projection import WageProjection
from projections.wage.view import WageViewQueries
from projections.webhooks.projection import WebhookOutboxProjection
from projections.webhooks.view import WebhookOutboxQueries
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

    def __enter__(self) -> Ledger:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self.listener is not None:
            self.listener.stop()
        for runner in (*self.runners, *self.outbox_runners):
            runner.stop()
        self.contracts.close()
        views = (self.wage_view, self.clock_view, self.funding_view, self.outbox_view)
        for datastore in {id(v.datastore): v.datastore for v in views}.values():  # shared by the views
            datastore.close()
