"""Processes that start together on one PostgreSQL schema (the API's workers, the API and the worker)."""

from __future__ import annotations

import multiprocessing
from typing import Any

from ledger.bootstrap import bootstrap
from ledger.settings import Settings
from tests.conftest import POSTGRES_URL

PROCESSES = 4


def _start(url: str, barrier: Any) -> None:
    barrier.wait()  # every process creates its tables and seeds at the same moment
    bootstrap(Settings(database_url=url)).close()


def start_together(url: str) -> list[int | None]:
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(PROCESSES)
    processes = [context.Process(target=_start, args=(url, barrier)) for _ in range(PROCESSES)]
    for p in processes:
        p.start()
    for p in processes:
        p.join(timeout=120)
    return [p.exitcode for p in processes]


def test_processes_starting_together_on_one_schema_all_start_and_seed_it_once(postgres_schema: str) -> None:
    url = f"{POSTGRES_URL}?schema={postgres_schema}"
    assert start_together(url) == [0] * PROCESSES  # on an empty schema: every table to create
    assert start_together(url) == [0] * PROCESSES  # on a ready one: `CREATE OR REPLACE FUNCTION` again
    ledger = bootstrap(Settings(database_url=url))
    try:
        seeds = [
            n
            for n in ledger.contracts.recorder.select_notifications(1, 1000)
            if n.topic.endswith("ReferenceDataSeeded")
        ]
        assert len(seeds) == 1  # seeded by one of them only
    finally:
        ledger.close()
