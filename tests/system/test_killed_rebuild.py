"""A `ledger rebuild` killed mid-way (SIGKILL, PostgreSQL) is visible until it is run again: /readyz is not
ready, the contract list refuses rather than showing a short list, and the clock refuses to tick on a
half-built index; running the rebuild again gives the whole state back."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from fastapi.testclient import TestClient

from api.main import create_app
from ledger.bootstrap import bootstrap
from ledger.settings import Settings
from ledger.system import Ledger
from tests.conftest import POSTGRES_URL
from tests.contract_builders import terms
from tests.system.helpers import running
from workers.rebuilding import rebuild_lock

LEDGER = str(Path(sys.executable).parent / "ledger")
CONTRACTS = 30


def test_a_killed_rebuild_is_visible_and_running_it_again_restores_everything(postgres_schema: str) -> None:
    url = f"{POSTGRES_URL}?schema={postgres_schema}"
    env = {**os.environ, "LEDGER_DATABASE_URL": url}
    ledger = bootstrap(Settings(database_url=url))
    try:
        for i in range(CONTRACTS):
            running(ledger, f"k{i}", terms(birth="2008-03-15"))
        key = ledger.contracts.keys.issue("cfa", "cfa-1", "CFA").token
        ledger.sync()
        auth = {"Authorization": f"Bearer {key}"}
        client = TestClient(create_app(ledger=ledger))
        assert client.get("/contracts", headers=auth).json()["total"] == CONTRACTS

        rebuild = subprocess.Popen(
            [LEDGER, "rebuild", "--workers", "1", "--batch", "1"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 60
        while not ledger.incomplete_rebuilds():  # the views were emptied: kill it now, mid-way
            assert rebuild.poll() is None and time.monotonic() < deadline, "the rebuild ended before it was killed"
            time.sleep(0.005)
        os.kill(rebuild.pid, signal.SIGKILL)
        rebuild.wait(10)

        ready = client.get("/readyz")
        assert ready.status_code == 503 and ready.json()["type"] == "/problems/rebuild-incomplete", ready.text
        assert "ledger rebuild" in ready.json()["detail"]
        listed = client.get("/contracts", headers=auth)
        assert listed.status_code == 503 and listed.json()["type"] == "/problems/rebuild-incomplete", listed.text
        tick = subprocess.run([LEDGER, "clock", "tick"], env=env, capture_output=True, text=True, timeout=60)
        assert tick.returncode == 1
        assert json.loads(tick.stderr.strip().splitlines()[-1])["error"]["type"] == "rebuild-incomplete"

        again = subprocess.run([LEDGER, "rebuild"], env=env, capture_output=True, text=True, timeout=120)
        assert again.returncode == 0, again.stderr[-2000:]
        assert ledger.incomplete_rebuilds() == []
        assert client.get("/readyz").status_code == 200
        assert client.get("/contracts", headers=auth).json()["total"] == CONTRACTS
        ticked = subprocess.run([LEDGER, "clock", "tick"], env=env, capture_output=True, text=True, timeout=60)
        assert ticked.returncode == 0, ticked.stderr[-2000:]
    finally:
        ledger.close()


def _killed_mid_rebuild(ledger: Ledger, env: dict[str, str]) -> None:
    rebuild = subprocess.Popen(
        [LEDGER, "rebuild", "--workers", "2", "--batch", "1"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while not ledger.incomplete_rebuilds():
        assert rebuild.poll() is None and time.monotonic() < deadline, "the rebuild ended before it was killed"
        time.sleep(0.005)
    os.kill(rebuild.pid, signal.SIGKILL)
    rebuild.wait(10)


def test_a_second_rebuild_is_refused_while_one_runs_and_the_worker_restarts_a_killed_one(
    postgres_schema: str,
) -> None:
    url = f"{POSTGRES_URL}?schema={postgres_schema}"
    env = {**os.environ, "LEDGER_DATABASE_URL": url}
    ledger = bootstrap(Settings(database_url=url))
    worker: subprocess.Popen[bytes] | None = None
    try:
        for i in range(CONTRACTS):
            running(ledger, f"k{i}", terms(birth="2008-03-15"))
        key = ledger.contracts.keys.issue("cfa", "cfa-1", "CFA").token
        with rebuild_lock(Settings(database_url=url)):  # as if a rebuild were running
            refused = subprocess.run([LEDGER, "rebuild"], env=env, capture_output=True, text=True, timeout=60)
        assert refused.returncode == 1
        assert json.loads(refused.stderr.strip().splitlines()[-1])["error"]["type"] == "rebuild-running"
        assert ledger.incomplete_rebuilds() == []  # the refused one emptied nothing

        _killed_mid_rebuild(ledger, env)  # several workers: the followers were held (parked)
        assert ledger.incomplete_rebuilds()
        worker = subprocess.Popen([LEDGER, "worker"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        client = TestClient(create_app(ledger=ledger))
        deadline = time.monotonic() + 90
        while client.get("/readyz").status_code != 200:
            assert worker.poll() is None and time.monotonic() < deadline, "the worker did not restart the rebuild"
            time.sleep(0.2)
        listed = client.get("/contracts", headers={"Authorization": f"Bearer {key}"})
        assert listed.status_code == 200 and listed.json()["total"] == CONTRACTS
    finally:
        if worker is not None:
            worker.terminate()
            worker.wait(20)
        ledger.close()
