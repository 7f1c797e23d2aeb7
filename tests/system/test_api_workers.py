"""`ledger serve --workers N`: several API processes behind one port, on PostgreSQL. What one process records
the others read at once, and /metrics counts every process's requests whichever one answers."""

from __future__ import annotations

import json
import os
import re
import subprocess
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest

from ledger.bootstrap import bootstrap
from ledger.settings import Settings
from tests.conftest import POSTGRES_URL
from tests.contract_builders import terms
from tests.live_server import LEDGER, serving
from tests.system.helpers import running

WAGES_200 = re.compile(
    r'http_requests_total\{method="GET",route="/contracts/\{contract_id\}/wages",status="200"\} (\S+)'
)


def _serve(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([LEDGER, "serve", *args], capture_output=True, text=True, timeout=60, env=env)


@pytest.fixture
def served(postgres_schema: str, tmp_path: Path) -> Iterator[dict[str, Any]]:
    """`ledger serve --workers 2` on a fresh schema holding one running contract, with a CFA key."""
    url = f"{POSTGRES_URL}?schema={postgres_schema}"
    ledger = bootstrap(Settings(database_url=url))
    try:
        cid = running(ledger, "k1", terms(birth="2008-03-15"))
        key = ledger.contracts.keys.issue("cfa", "cfa-1", "CFA").token
    finally:
        ledger.close()
    metrics = tmp_path / "metrics"
    with serving(url, "--workers", "2", env={"PROMETHEUS_MULTIPROC_DIR": str(metrics)}, timeout=60) as base:
        yield {
            "base": base,
            "cid": str(cid),
            "auth": {"Authorization": f"Bearer {key}"},
            "metrics": metrics,
            "url": url,
        }


def _get(url: str, headers: dict[str, str]) -> httpx.Response:
    return httpx.get(url, headers=headers, timeout=10)  # a connection of its own: any worker may take it


def test_two_api_workers_both_serve_and_metrics_count_the_requests_of_both(served: dict[str, Any]) -> None:
    wages = f"{served['base']}/contracts/{served['cid']}/wages"
    sent = 0
    with ThreadPoolExecutor(8) as pool:
        for _ in range(30):  # until each process has counted a request of its own (a file per process)
            responses = list(pool.map(lambda _: _get(wages, served["auth"]), range(16)))
            assert all(r.status_code == 200 for r in responses), responses[0].text
            sent += len(responses)
            if len(list(served["metrics"].glob("counter_*.db"))) >= 2:
                break
    assert len(list(served["metrics"].glob("counter_*.db"))) >= 2, "one process took every request"
    scrapes = [_get(f"{served['base']}/metrics", {}).text for _ in range(6)]
    counted = {float(m.group(1)) for text in scrapes if (m := WAGES_200.search(text))}
    assert counted == {float(sent)}
    assert all("ledger_events_recorded" in text for text in scrapes)


def test_what_one_api_worker_records_every_worker_reads_next(served: dict[str, Any]) -> None:
    contract = f"{served['base']}/contracts/{served['cid']}"
    with ThreadPoolExecutor(8) as pool:
        before = list(pool.map(lambda _: _get(contract, served["auth"]), range(16)))  # warm both caches
        etag = before[0].headers["ETag"]
        assert {r.headers["ETag"] for r in before} == {etag}
        event = {"type": "SmcChanged", "from": "2026-06-01", "monthly": "1950.00"}
        recorded = httpx.post(f"{contract}/events", json=event, headers=served["auth"] | {"If-Match": etag}, timeout=10)
        assert recorded.status_code == 200, recorded.text
        after = list(pool.map(lambda _: _get(contract, served["auth"]), range(32)))
    assert {r.headers["ETag"] for r in after} == {recorded.headers["ETag"]} != {etag}


def test_several_api_workers_are_refused_on_sqlite_with_the_field_named(tmp_path: Path) -> None:
    env = {**os.environ, "LEDGER_DATABASE_URL": f"sqlite:///{tmp_path / 'ledger.sqlite3'}"}
    proc = _serve(env, "--workers", "2")
    assert proc.returncode == 1
    problem = json.loads(proc.stderr.strip().splitlines()[-1])["error"]
    assert problem["field"] == "workers" and "PostgreSQL" in problem["detail"]
    assert not (tmp_path / "ledger.sqlite3").exists()  # refused before anything was created


def test_several_api_workers_that_would_each_follow_the_projections_are_refused(postgres_schema: str) -> None:
    env = {
        **os.environ,
        "LEDGER_DATABASE_URL": f"{POSTGRES_URL}?schema={postgres_schema}",
        "LEDGER_API_WORKERS": "2",
        "LEDGER_API_FOLLOW_PROJECTIONS": "true",
    }
    proc = _serve(env)
    assert proc.returncode == 1
    problem = json.loads(proc.stderr.strip().splitlines()[-1])["error"]
    assert problem["field"] == "api_follow_projections" and "ledger worker" in problem["detail"]


def test_the_api_keeps_serving_the_same_wages_while_ledger_rebuild_replays_the_log(served: dict[str, Any]) -> None:
    wages = f"{served['base']}/contracts/{served['cid']}/wages"
    before = _get(wages, served["auth"])
    assert before.status_code == 200 and before.json()["months"]
    env = {**os.environ, "LEDGER_DATABASE_URL": served["url"]}
    rebuilding = subprocess.Popen(
        [LEDGER, "rebuild", "--workers", "2"], env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
    )
    during: list[httpx.Response] = []
    while rebuilding.poll() is None:  # the views are emptied and held for the whole of this loop
        during.append(_get(wages, served["auth"]))
        during.append(_get(f"{served['base']}/contracts/{served['cid']}", served["auth"]))
    out, _ = rebuilding.communicate(timeout=60)
    assert rebuilding.returncode == 0 and json.loads(out.strip().splitlines()[-1])["workers"] == 2
    assert len(during) >= 4, "the rebuild ended before the API was asked anything"
    assert all(r.status_code == 200 for r in during), next(r.text for r in during if r.status_code != 200)
    assert {r.text for r in during if r.url.path.endswith("/wages")} == {before.text}
    history = _get(f"{wages.removesuffix('/wages')}/wage-history", served["auth"])
    assert history.status_code == 200 and history.json()["entries"]  # the rebuilt view answers again
