"""Feeds a projection from an application's notification log: catch up in batches, then keep following.

A pull loop over `select_notifications` works the same on POPO, SQLite and PostgreSQL (eventsourcing
9.5.6 has no SQLite subscriptions). Each batch is applied with its tracking position in one transaction,
so a crash between batches loses nothing and repeats nothing. Several processes may run the same
projection: the tracking row lets one batch commit; the other's rolls back (IntegrityError) and it goes
on from the new position.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from functools import partial
from typing import Any, Literal, Protocol, TypeVar

from eventsourcing.application import Application
from eventsourcing.persistence import IntegrityError, Notification, StoredEvent

from domain.events import topic_kind

log = logging.getLogger(__name__)
T = TypeVar("T")
T_contra = TypeVar("T_contra", contravariant=True)


class FollowingView(Protocol[T_contra]):
    """What a follower feeds: a view that knows its position and applies a batch with it, atomically."""

    def position(self) -> int | None: ...

    def process(self, items: Sequence[tuple[int, T_contra | None]]) -> None: ...


# (position after which to read, how many) → [(position, item or None)], in order
Reader = Callable[[int | None, int], list[tuple[int, T | None]]]
# What `translate` is given of each stored event: the domain event, the event as plain data (the mapper's
# `to_record`: no domain object built), the same with the apprentice's personal data left sealed (the terms as
# an erasure leaves them, for a view that never shows the apprentice), or the stored event itself (its topic and
# id, nothing decoded).
Decoding = Literal["event", "record", "record_sealed", "stored"]


def log_reader(
    app: Application[Any],
    translate: Callable[[Any], T | None],
    decode: Decoding = "event",
    keep: Callable[[StoredEvent], bool] | None = None,
    stop: int | None = None,
    select: Callable[..., Sequence[Notification]] | None = None,
    kinds: frozenset[str] | None = None,
) -> Reader[T]:
    """The application's notification log, each recorded event decoded as `decode` says and translated for the
    projection. `keep` passes over events without decoding them (None in their place); `stop` is the last
    position read; `select` reads the log instead of the recorder's `select_notifications` (a store may leave
    out, itself, what `keep` would not keep). Events of kinds not in `kinds` (None: all) are passed over
    undecoded as well: decoding is most of the cost of reading the log."""
    select = select or app.recorder.select_notifications
    decoder: Callable[[StoredEvent], Any]
    if decode == "record":
        decoder = app.mapper.to_record  # type: ignore[attr-defined]  # the ledger's mapper (personal_data)
    elif decode == "record_sealed":
        decoder = partial(app.mapper.to_record, unseal=False)  # type: ignore[attr-defined]
    elif decode == "stored":
        decoder = lambda stored: stored  # noqa: E731
    else:
        decoder = app.mapper.to_domain_event

    # Sealed personal data: the keys of a batch's events read at once (nothing to unseal in stored events).
    prefetch = getattr(app.mapper, "prefetch_keys", None) if decode in ("event", "record") else None

    def read(start: int | None, limit: int) -> list[tuple[int, T | None]]:
        notes = select(start=start, limit=limit, stop=stop, inclusive_of_start=start is None)
        kept = notes if keep is None else [n for n in notes if keep(n)]
        if kinds is not None:
            kept = [n for n in kept if topic_kind(n.topic) in kinds]
        if prefetch is not None:
            prefetch(kept)
        out = {n.id: translate(decoder(n)) for n in kept}
        return [(n.id, out.get(n.id)) for n in notes]

    return read


class LogFollower:
    def __init__(
        self,
        app: Application[Any] | None,
        projection: FollowingView[T],
        translate: Callable[[Any], T | None] | None = None,
        batch_size: int = 500,
        read: Reader[T] | None = None,
        decode: Decoding = "event",
        kinds: frozenset[str] | None = None,
    ) -> None:
        """Follow `app`'s notification log through `translate`, or any other ordered source given as `read`.
        `kinds`: the only event kinds `translate` keeps; the others are passed over without being decoded."""
        self.app = app
        self.projection = projection
        self.translate, self.decode, self.kinds = translate, decode, kinds
        if read is None:
            assert app is not None and translate is not None
            read = log_reader(app, translate, decode, kinds=kinds)
        self.read = read
        self.batch_size = batch_size
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self.error: BaseException | None = None

    def limited(
        self,
        keep: Callable[[StoredEvent], bool],
        stop: int,
        select: Callable[..., Sequence[Notification]] | None = None,
    ) -> LogFollower:
        """The same projection fed with the log's events that `keep` keeps, up to position `stop` (a shard)."""
        assert self.app is not None and self.translate is not None
        read = log_reader(self.app, self.translate, self.decode, keep, stop, select, self.kinds)
        return LogFollower(self.app, self.projection, batch_size=self.batch_size, read=read)

    def catch_up(self, limit: int | None = None) -> int:
        """Process every notification not yet tracked (at most `limit`); returns how many.

        Request threads call this before reading the view (read-your-writes) while the follower thread
        calls it too: the lock keeps them from applying the same batch twice over in one process.
        """
        with self._lock:
            return self._catch_up(limit)

    def _catch_up(self, limit: int | None) -> int:
        done = 0
        while limit is None or done < limit:
            start = self.projection.position()
            size = self.batch_size if limit is None else min(self.batch_size, limit - done)
            items = self.read(start, size)
            if not items:
                break
            try:
                self.projection.process(items)
            except IntegrityError:
                if self.projection.position() == start:
                    raise  # not a lost race: a real error
                continue  # another process applied this batch first
            done += len(items)
        return done

    # -- following in the background (one thread per projection) -----------------------------------------
    def start(self, interval: float = 0.2) -> None:
        self._thread = threading.Thread(
            target=self._follow, args=(interval,), daemon=True, name=f"projection-{type(self.projection).__name__}"
        )
        self._thread.start()

    def poke(self) -> None:
        """Ask the follower to look now (after a local save) instead of at its next interval."""
        self._wake.set()

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout=10)

    def _follow(self, interval: float) -> None:
        while not self._stop.is_set():
            try:
                self.catch_up()
                self.error = None
            except Exception as e:  # keep following; the failed batch was rolled back and is retried
                self.error = e
                log.exception("projection batch failed; retrying")
            self._wake.wait(interval)
            self._wake.clear()
