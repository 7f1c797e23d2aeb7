"""Prometheus metrics at /metrics: HTTP requests and latency by route, and the ledger's gauges read at
scrape time (events recorded, projection lag, due time-driven events, webhook queue and failures).
With several API processes (`ledger serve --workers N`) the request metrics are pooled across them."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import date
from typing import Any

from fastapi import APIRouter, Request, Response
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import Collector

from ledger.system import Ledger


class LedgerCollector(Collector):
    def __init__(self, app_state: Any) -> None:
        self.state = app_state

    def collect(self) -> Iterator[GaugeMetricFamily]:
        ledger: Ledger | None = self.state.ledger
        if ledger is None:
            return
        last = ledger.contracts.recorder.max_notification_id() or 0
        yield GaugeMetricFamily("ledger_events_recorded", "Events recorded in the store (last position)", value=last)
        lag = GaugeMetricFamily(
            "ledger_projection_lag_events", "Events not yet applied, by projection", labels=["projection"]
        )
        for runner in (*ledger.runners, *ledger.outbox_runners):
            name = type(runner.projection).__name__
            if name != "WageChangeFeed":
                lag.add_metric([name], last - (runner.projection.position() or 0))
        yield lag
        today: date = self.state.today()
        due = len(ledger.clock_view.due(today.isoformat(), 1_000_000))
        yield GaugeMetricFamily("ledger_clock_due_contracts", "Contracts with a time-driven event due today", value=due)
        queue = GaugeMetricFamily("ledger_webhook_deliveries", "Webhook deliveries by status", labels=["status"])
        for status, count in ledger.outbox_view.queue_depth().items():
            queue.add_metric([status], count)
        yield queue
        failed = ledger.outbox_view.query(
            "SELECT COUNT(*) FROM {schema}webhook_attempts WHERE status_code IS NULL OR status_code >= 300"
        )[0][0]
        yield GaugeMetricFamily("ledger_webhook_failed_attempts", "Webhook attempts that failed", value=int(failed))


class Metrics:
    def __init__(self, app_state: Any) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "http_requests_total", "HTTP requests", ["method", "route", "status"], registry=self.registry
        )
        self.latency = Histogram(
            "http_request_duration_seconds",
            "HTTP request latency",
            ["route"],
            buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5),
            registry=self.registry,
        )
        # Under `ledger serve --workers N` the counters live in files shared by the processes, and a scrape
        # reads them all; the ledger's gauges come from the store, the same for every process.
        self.scraped = self.registry
        if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
            self.scraped = CollectorRegistry()
            MultiProcessCollector(self.scraped)
        self.scraped.register(LedgerCollector(app_state))

    def observe(self, method: str, route: str, status: int, seconds: float) -> None:
        self.requests.labels(method, route, str(status)).inc()
        self.latency.labels(route).observe(seconds)


router = APIRouter(include_in_schema=False)


@router.get("/metrics")
def metrics(request: Request) -> Response:
    return Response(generate_latest(request.app.state.metrics.scraped), media_type=CONTENT_TYPE_LATEST)
