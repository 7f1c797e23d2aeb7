"""A real HTTP receiver on 127.0.0.1 (http.server in a thread), and a dispatcher with a controllable clock."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from domain.webhooks import Owner
from ledger.settings import Settings
from ledger.system import Ledger
from tests.contract_builders import terms
from workers.dispatcher import Dispatcher

SIRET = "12345678900011"  # the employer of tests.contract_builders.BASE


@dataclass
class Receiver:
    """Answers with `status` (after `delay` seconds); remembers every request it got."""

    url: str
    status: int = 200
    delay: float = 0.0
    location: str | None = None
    received: list[dict[str, Any]] = field(default_factory=list)

    def ids(self) -> list[str]:
        return [r["headers"]["webhook-id"] for r in self.received]


def start_receiver() -> tuple[ThreadingHTTPServer, Receiver]:
    receiver = Receiver("")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("content-length", 0)))
            time.sleep(receiver.delay)
            status = receiver.status
            receiver.received.append(
                {"headers": {k.lower(): v for k, v in self.headers.items()}, "body": body, "status": status}
            )
            self.send_response(status)
            if receiver.location:
                self.send_header("Location", receiver.location)
            self.send_header("content-length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    receiver.url = f"http://127.0.0.1:{server.server_address[1]}/hook"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, receiver


@pytest.fixture
def receivers() -> Iterator[Callable[[], Receiver]]:
    servers: list[ThreadingHTTPServer] = []

    def make() -> Receiver:
        server, receiver = start_receiver()
        servers.append(server)
        return receiver

    yield make
    for server in servers:
        server.shutdown()
        server.server_close()


class Clock:
    """Real time plus an offset the test moves forward: retries come due without sleeping."""

    def __init__(self) -> None:
        self.offset = timedelta()

    def __call__(self) -> datetime:
        return datetime.now(UTC) + self.offset

    def advance(self, delta: timedelta) -> None:
        self.offset += delta


WEBHOOK_SETTINGS = Settings(database_url="memory:", webhooks_allow_private_targets=True, webhook_timeout_seconds=1)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def make_dispatcher(clock: Clock) -> Iterator[Callable[[Ledger], Dispatcher]]:
    made: list[Dispatcher] = []

    def make(ledger: Ledger) -> Dispatcher:
        d = Dispatcher(ledger, WEBHOOK_SETTINGS, now=clock, jitter=lambda: 1.0)
        made.append(d)
        return d

    yield make
    for d in made:
        d.close()


def subscribe(ledger: Ledger, url: str, types: list[str] | None = None, siret: str = SIRET) -> Any:
    subscription, _ = ledger.contracts.webhooks.subscribe(Owner("employer", siret), url, types or ["*"], "payroll")
    return subscription


def signed_contract(ledger: Ledger, key: str = "k1") -> Any:
    c = ledger.contracts
    cid = c.draft_contract(terms(), key, "cfa-1").contract_id
    c.sign(cid, datetime(2025, 8, 25).date())
    return cid
