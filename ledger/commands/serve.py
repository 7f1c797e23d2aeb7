"""`ledger serve`: the HTTP API (uvicorn, one worker) on the configured store; /docs is its manual."""

from __future__ import annotations

import argparse
from typing import Any

from ledger.settings import Settings


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser(
        "serve",
        help="run the HTTP API for CFAs and employers (OpenAPI manual at /docs)",
        description="Runs the HTTP API on the configured store (the SQLite file by default). "
        "Create an API key first with `ledger keys create`.",
    )
    p.add_argument("--host", default=None, help="address to listen on (default LEDGER_API_HOST or 127.0.0.1)")
    p.add_argument("--port", type=int, default=None, help="port (default LEDGER_API_PORT or 8000)")
    p.set_defaults(handler=handle)


def server_options(settings: Settings, host: str | None = None, port: int | None = None) -> dict[str, Any]:
    """uvicorn's settings for `ledger serve`; its HTTP parser and event loop stay on "auto", which takes
    httptools and uvloop (dependencies of the project)."""
    return {
        "host": host or settings.api_host,
        "port": port or settings.api_port,
        "workers": 1,
        "log_config": None,  # our JSON logging, configured by `handle`
        "access_log": False,  # the app writes its own access line, with the request id
    }


def handle(args: argparse.Namespace) -> int:
    import uvicorn

    from api.main import create_app
    from api.middleware import configure_logging

    settings = Settings()
    configure_logging(settings.log_level)
    uvicorn.run(create_app(settings=settings), **server_options(settings, args.host, args.port))
    return 0
