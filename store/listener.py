"""On PostgreSQL, projections follow new events by LISTEN/NOTIFY instead of polling.

The library NOTIFYs the application's channel in the transaction that inserts events; a listener thread
LISTENs on it and wakes the projections' followers, so they read as soon as something was recorded, by
this process or any other. The followers still look every `SAFETY_POLL_SECONDS`, in case a notification
is missed while the listening connection is being replaced.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from eventsourcing.postgres import PostgresApplicationRecorder
from psycopg.sql import SQL, Identifier

log = logging.getLogger(__name__)
SAFETY_POLL_SECONDS = 30.0


class NotifyListener:
    def __init__(self, recorder: PostgresApplicationRecorder, on_notify: Callable[[], None]) -> None:
        self.recorder = recorder
        self.on_notify = on_notify
        self.notified = 0
        self._stop = threading.Event()
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True, name="pg-listen")

    def start(self) -> NotifyListener:
        self._thread.start()
        self._ready.wait(10)
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                with self.recorder.datastore.get_connection() as conn:
                    conn.execute(SQL("LISTEN {0}").format(Identifier(self.recorder.channel_name)))
                    conn.commit()
                    self._ready.set()
                    while not self._stop.is_set():
                        for _ in conn.notifies(timeout=0.5, stop_after=1):
                            self.notified += 1
                            self.on_notify()
            except Exception:  # the connection dropped: listen again on a new one
                log.exception("LISTEN connection lost; reconnecting")
                self._ready.set()
                time.sleep(1)


def listen_if_postgres(recorder: Any, on_notify: Callable[[], None]) -> NotifyListener | None:
    if isinstance(recorder, PostgresApplicationRecorder):
        return NotifyListener(recorder, on_notify).start()
    return None
