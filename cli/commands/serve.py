"""`ledger serve`: the HTTP API (uvicorn) on the configured store; /docs is its manual.

One process runs every request's Python under one GIL. On PostgreSQL, `--workers N` (LEDGER_API_WORKERS) runs
N processes behind the one port. Each keeps its own caches, which the store's notification ids keep
consistent (`ledger.current_reads`); their request metrics are pooled in a shared directory (prometheus_client's
multiprocess mode), so /metrics answers for them all whichever process is asked.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from ledger.errors import ApplicationError
from ledger.settings import PostgresStore, Settings

METRICS_DIR = "PROMETHEUS_MULTIPROC_DIR"  # prometheus_client reads it when it is imported


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser(
        "serve",
        help="run the HTTP API for CFAs and employers (OpenAPI manual at /docs)",
        description="Runs the HTTP API on the configured store (the SQLite file by default). "
        "Create an API key first with `ledger keys create`.",
    )
    p.add_argument("--host", default=None, help="address to listen on (default LEDGER_API_HOST or 127.0.0.1)")
    p.add_argument("--port", type=int, default=None, help="port (default LEDGER_API_PORT or 8000)")
    p.add_argument(
        "--workers", type=int, default=None, help="API processes, PostgreSQL only (default LEDGER_API_WORKERS or 1)"
    )
    p.set_defaults(handler=handle)


def server_options(
    settings: Settings, host: str | None = None, port: int | None = None, workers: int = 1
) -> dict[str, Any]:
    """uvicorn's settings for `ledger serve`: httptools with a cap on the headers (`api.http_limits`), and the
    event loop on "auto", which takes uvloop (dependencies of the project)."""
    return {
        "http": "api.http_limits:BoundedHttpToolsProtocol",
        "host": host or settings.api_host,
        "port": port or settings.api_port,
        "workers": workers,
        "log_config": None,  # our JSON logging, configured by `handle` (and by `app_for_worker` in each worker)
        "access_log": False,  # the app writes its own access line, with the request id
    }


def check_workers(settings: Settings, workers: int) -> None:
    """Several API processes need a store they can all write to at once, and nobody else following for them."""
    if workers < 1:
        raise ApplicationError("at least one API worker", field="workers")
    if workers == 1:
        return
    if not isinstance(settings.store, PostgresStore):
        raise ApplicationError(
            "several API workers need PostgreSQL: an SQLite file has a single writer, memory is private to its process",
            field="workers",
        )
    if settings.api_follow_projections:
        raise ApplicationError(
            "with several API workers each would follow the same projections: run `ledger worker` beside them "
            "and leave LEDGER_API_FOLLOW_PROJECTIONS off",
            field="api_follow_projections",
        )


@contextmanager
def shared_metrics_dir() -> Iterator[Path]:
    """The directory where the workers pool their request metrics: the operator's (emptied, as
    prometheus_client requires at start) or a fresh one, removed afterwards."""
    given = os.environ.get(METRICS_DIR)
    path = Path(given) if given else Path(tempfile.mkdtemp(prefix="ledger-metrics-"))
    path.mkdir(parents=True, exist_ok=True)
    for stale in path.glob("*.db"):
        stale.unlink()
    os.environ[METRICS_DIR] = str(path)
    try:
        yield path
    finally:
        if not given:
            shutil.rmtree(path, ignore_errors=True)
            os.environ.pop(METRICS_DIR, None)


def handle(args: argparse.Namespace) -> int:
    import uvicorn

    from api.middleware import configure_logging

    settings = Settings()
    configure_logging(settings.log_level)
    workers = args.workers if args.workers is not None else settings.api_workers
    try:
        check_workers(settings, workers)
    except ApplicationError as e:
        sys.stderr.write(json.dumps({"error": e.as_problem()}, ensure_ascii=False) + "\n")
        return 1
    options = server_options(settings, args.host, args.port, workers)
    from ledger.bootstrap import bootstrap

    # The tables, once, before the server: the workers then wait only briefly on the schema lock, and a store
    # that does not answer is one JSON error line (`cli.main`), not a traceback from the server's start.
    bootstrap(settings).close()
    if workers == 1:
        from api.main import create_app

        uvicorn.run(create_app(settings=settings), **options)
        return 0
    with shared_metrics_dir():
        uvicorn.run("api.main:app_for_worker", factory=True, **options)
    return 0
