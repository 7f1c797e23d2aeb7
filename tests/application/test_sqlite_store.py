"""The embedded store checkpoints its log in the background, never inside a command's commit."""

from __future__ import annotations

import time
from pathlib import Path

from ledger.bootstrap import bootstrap
from ledger.settings import Settings
from store.sqlite import CheckpointingSQLiteFactory, checkpointers
from tests.contract_builders import terms


def test_commits_leave_the_log_to_the_background_checkpointer(tmp_path: Path) -> None:
    path = tmp_path / "ledger.sqlite3"
    ledger = bootstrap(Settings(database_url=f"sqlite:///{path}"))
    app = ledger.contracts
    try:
        assert isinstance(app.factory, CheckpointingSQLiteFactory)
        with app.factory.datastore.transaction(commit=False) as cursor:
            cursor.execute("PRAGMA wal_autocheckpoint")
            assert cursor.fetchone()[0] == 0  # a commit never checkpoints
        size = path.stat().st_size
        for k in range(30):
            app.draft_contract(terms(), f"k{k}")
        deadline = time.monotonic() + 5
        # Every page is still in the log until a checkpoint copies it into the file, and no commit does that.
        while path.stat().st_size == size and time.monotonic() < deadline:
            time.sleep(0.05)
        assert path.stat().st_size > size
    finally:
        ledger.close()


def test_one_checkpointer_per_file_however_many_applications_open_it(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'ledger.sqlite3'}"
    first, second = bootstrap(Settings(database_url=url)), bootstrap(Settings(database_url=url))
    path = str(tmp_path / "ledger.sqlite3")
    assert checkpointers.users(path) == 2
    first.close()
    assert checkpointers.users(path) == 1
    second.close()
    assert checkpointers.users(path) == 0
