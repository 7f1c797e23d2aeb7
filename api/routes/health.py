"""/healthz (the process answers) and /readyz (the store answers, and how far behind the projections are)."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import APIRouter

from api.deps import LedgerDep
from api.problems import ApiProblem, problem_responses
from ledger.errors import RebuildIncomplete

router = APIRouter(tags=["health"])
log = logging.getLogger("api")


@router.get("/healthz", summary="The process is up")
async def healthz() -> dict[str, str]:  # nothing to wait for: no worker thread
    return {"status": "ok"}


@router.get("/readyz", responses=problem_responses(503), summary="The store answers; projection lag in events")
def readyz(ledger: LedgerDep) -> dict[str, Any]:
    try:
        last = ledger.contracts.recorder.max_notification_id() or 0
        lag = {type(r.projection).__name__: last - (r.projection.position() or 0) for r in ledger.runners}
        incomplete = ledger.incomplete_rebuilds()
    except Exception as e:  # any store failure means "not ready"; the cause is logged, not shown
        log.warning("readiness check failed: %s", e)
        raise ApiProblem(503, "store-unavailable", "The store does not answer", "see the service's logs") from None
    if incomplete:
        raise RebuildIncomplete(incomplete)
    return {"status": "ready", "last_event": last, "projection_lag": lag}
