"""`ledger serve`: the HTTP API (uvicorn, one worker) on the configured store; /docs is its manual."""

from __future__ import annotations

import argparse

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


def handle(args: argparse.Namespace) -> int:
    import uvicorn

    from api.main import create_app
    from api.middleware import configure_logging

    settings = Settings()
    configure_logging(settings.log_level)
    uvicorn.run(
        create_app(settings=settings),
        host=args.host or settings.api_host,
        port=args.port or settings.api_port,
        workers=1,
        log_config=None,  # our JSON logging, configured above
        access_log=False,  # the app writes its own access line, with the request id
    )
    return 0
