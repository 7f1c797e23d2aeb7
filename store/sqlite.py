"""The embedded store's write path without checkpoint stalls.

SQLite in WAL mode copies the log back into the database file (a checkpoint, with an fsync) inside
whichever commit crosses 1,000 pages. Under a steady stream of commands that commit, and every command
queued behind it, waited 100–350 ms every second or two. Here the connections of the library's pool never
checkpoint; a background thread of the process does, every CHECKPOINT_INTERVAL_SECONDS, in PASSIVE mode
(it never waits for readers or writers, and they never wait for it). Commits still fsync the log
(synchronous=FULL): an acknowledged write survives a power cut.

When the last connection to the file closes, SQLite checkpoints and removes the log as usual, so short
commands (`ledger schedule`, `ledger demo`) need no thread of their own to keep the log small.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import threading

from eventsourcing.sqlite import SQLiteConnection, SQLiteConnectionPool, SQLiteFactory
from eventsourcing.utils import Environment, EnvType

CHECKPOINT_INTERVAL_SECONDS = 0.5
WAL_RESTART_BYTES = 64 * 1024 * 1024  # past this, wait for readers once so the log starts over


class NoAutoCheckpointPool(SQLiteConnectionPool):
    def _create_connection(self) -> SQLiteConnection:
        connection = super()._create_connection()
        connection._sqlite_conn.execute("PRAGMA wal_autocheckpoint=0")
        return connection


class Checkpointer:
    """A daemon thread that checkpoints one SQLite file until stopped."""

    def __init__(self, path: str, interval: float = CHECKPOINT_INTERVAL_SECONDS) -> None:
        self.path = path
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, args=(interval,), daemon=True, name="sqlite-checkpoint")
        self._thread.start()

    def _run(self, interval: float) -> None:
        connection = sqlite3.connect(self.path, timeout=1, isolation_level=None, check_same_thread=False)
        try:
            while not self._stop.wait(interval):
                self.checkpoint(connection)
        finally:
            connection.close()

    def checkpoint(self, connection: sqlite3.Connection) -> None:
        try:
            big = os.path.getsize(f"{self.path}-wal") > WAL_RESTART_BYTES
        except OSError:
            return  # no log yet, or it was just removed
        # Busy (another process's checkpoint, a writer holding it): the next round will do it.
        with contextlib.suppress(sqlite3.OperationalError):
            connection.execute(f"PRAGMA wal_checkpoint({'RESTART' if big else 'PASSIVE'})").fetchall()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(5)


class _Checkpointers:
    """One checkpointer per file and process, however many factories (application, views) open it."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._running: dict[str, tuple[Checkpointer, int]] = {}

    def acquire(self, path: str) -> None:
        with self._lock:
            checkpointer, users = self._running.get(path) or (Checkpointer(path), 0)
            self._running[path] = (checkpointer, users + 1)

    def users(self, path: str) -> int:
        with self._lock:
            return self._running[path][1] if path in self._running else 0

    def release(self, path: str) -> None:
        with self._lock:
            checkpointer, users = self._running[path]
            if users > 1:
                self._running[path] = (checkpointer, users - 1)
                return
            del self._running[path]
        checkpointer.stop()


checkpointers = _Checkpointers()


class CheckpointingSQLiteFactory(SQLiteFactory):
    """The library's SQLite persistence (PERSISTENCE_MODULE points here) with a background checkpointer."""

    def __init__(self, env: Environment | EnvType | None) -> None:
        super().__init__(env)
        old = self.datastore.pool
        self.datastore.pool = NoAutoCheckpointPool(db_name=old.db_name, lock_timeout=old.lock_timeout)
        old.close()
        self._checkpointed = None if old.is_sqlite_memory_mode else old.db_name
        if self._checkpointed is not None:
            checkpointers.acquire(self._checkpointed)

    def close(self) -> None:
        if self._checkpointed is not None:
            checkpointers.release(self._checkpointed)
            self._checkpointed = None
        super().close()
