"""The FastAPI application: `create_app()` wires the one `Ledger` of the process to the routers.

`ledger serve` calls `create_app()` with nothing: the ledger is bootstrapped from the settings and closed on
shutdown. The projections are followed by `ledger worker` (or here, with LEDGER_API_FOLLOW_PROJECTIONS);
the API's reads of a projection catch it up first either way. Tests pass their own ledger and `today`.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import date

import anyio.to_thread
from fastapi import FastAPI
from fastapi_offline import FastAPIOffline

from api import problems
from api.metrics import Metrics
from api.metrics import router as metrics_router
from api.middleware import RequestContext
from api.rate_limit import RateLimit
from api.routes import (
    cerfa,
    contracts,
    exports,
    funding,
    health,
    imports,
    notices,
    reference,
    simulations,
    ui,
    webhooks,
)
from api.security import SecurityHeaders
from ledger.bootstrap import bootstrap
from ledger.settings import Settings
from ledger.system import Ledger
from ledger.time import paris_today

log = logging.getLogger("api")
DESCRIPTION = """
French apprenticeship contracts for CFAs and employers: the contract's life as events, and the apprentice's
**legal minimum wage for every month, to the cent**, with the rule and the article behind every figure.

**Authentication**: every route but the health checks and `/metrics` takes an API key, `Authorization: Bearer al_…`
(create one with `ledger keys create`). A CFA key drafts and changes its own contracts; an employer key
reads the contracts of its SIRET; an admin key records reference data (SMIC, Luxembourg index).

**Concurrency**: a contract's `ETag` is its version. Commands require `If-Match` (412 when stale, 428 when
missing). `POST /contracts` honours `Idempotency-Key`: a retry answers 200 with the same contract.

**Errors** are RFC 9457 `application/problem+json`: `type`, `title`, `detail`, the `field` and the `rule`
(article). A refused command records nothing.
"""


def create_app(
    ledger: Ledger | None = None,
    settings: Settings | None = None,
    today: Callable[[], date] = paris_today,
) -> FastAPI:
    settings = settings if settings is not None else Settings()
    owned = ledger is None

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        anyio.to_thread.current_default_thread_limiter().total_tokens = settings.api_threads
        if owned:
            app.state.ledger = bootstrap(settings)
            if settings.api_follow_projections:
                app.state.ledger.follow(settings.follow_interval)
            if not app.state.ledger.contracts.keys.all():
                log.warning(
                    "no API key yet: create one with `ledger keys create --role cfa --tenant <CFA id>` "
                    "(or --role admin, or --role employer --tenant <SIRET>)"
                )
        try:
            yield
        finally:
            if owned:
                app.state.ledger.close()

    # The docs' Swagger UI and ReDoc files come from the installed package, not a CDN: /docs works offline.
    app = FastAPIOffline(
        title="apprenticeship-ledger",
        version="0.1.0",
        description=DESCRIPTION,
        lifespan=lifespan,
    )
    app.state.ledger = ledger
    app.state.today = today
    app.state.settings = settings
    app.state.metrics = Metrics(app.state)
    problems.install(app)
    app.add_middleware(
        RateLimit, per_key_per_minute=settings.api_rate_limit_per_key, per_ip_per_minute=settings.api_rate_limit_per_ip
    )
    app.add_middleware(SecurityHeaders)  # inside RequestContext: its refusals have a request id and a log line
    app.add_middleware(
        RequestContext, max_body_bytes=settings.api_max_body_bytes, max_upload_bytes=settings.api_max_upload_bytes
    )
    for module in (imports, cerfa, exports, notices, contracts, funding, webhooks, simulations, reference, health):
        # Any route refuses a NUL byte in its path or query string (middleware): 400, documented on each.
        app.include_router(module.router, responses=problems.problem_responses(400))
    app.include_router(metrics_router)
    ui.install(app)
    return app


def app_for_worker() -> FastAPI:
    """The app of one of `ledger serve --workers N`'s processes (uvicorn's factory): each configures its own
    logging, since a spawned process starts with none."""
    from api.middleware import configure_logging

    settings = Settings()
    configure_logging(settings.log_level)
    return create_app(settings=settings)
