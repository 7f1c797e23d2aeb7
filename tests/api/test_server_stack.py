"""`ledger serve` runs uvicorn on httptools (HTTP parsed in C) and uvloop, not on the pure-Python fallbacks."""

from __future__ import annotations

import contextlib
import socket
import sys
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
import uvicorn
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from api.main import create_app
from cli.commands.serve import server_options
from ledger.bootstrap import bootstrap
from ledger.settings import Settings
from tests.api.conftest import TODAY, _free_port


def test_the_server_parses_http_with_httptools() -> None:
    config = uvicorn.Config(app=lambda *a: None, **server_options(Settings()))
    config.load()
    assert issubclass(config.http_protocol_class, HttpToolsProtocol)  # type: ignore[arg-type]


@pytest.mark.skipif(sys.platform == "win32", reason="uvloop does not run on Windows")
def test_the_server_runs_on_uvloop() -> None:
    factory = uvicorn.Config(app=lambda *a: None, **server_options(Settings())).get_loop_factory()
    assert factory is not None
    loop = factory()
    try:
        assert type(loop).__module__.startswith("uvloop")
    finally:
        loop.close()


def _served(options: dict[str, Any]) -> Iterator[int]:
    app = create_app(bootstrap(Settings(database_url="memory:")), today=lambda: TODAY)
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, **{**options, "host": "127.0.0.1", "port": port, "workers": 1}))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.02)
    try:
        yield port
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def _ask(port: int, extra_header_bytes: int) -> bytes:
    head = b"GET /healthz HTTP/1.1\r\nhost: x\r\nx-big: " + b"a" * extra_header_bytes + b"\r\n\r\n"
    with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
        with contextlib.suppress(OSError):  # the server may close before it has read everything we send
            s.sendall(head)
        answer = b""
        while chunk := s.recv(65536):
            answer += chunk
            if b"\r\n\r\n" in answer and (b"431" in answer[:20] or b"200" in answer[:20]):
                break
    return answer


def test_huge_request_headers_are_refused_with_431_and_normal_ones_served() -> None:
    for port in _served(server_options(Settings(database_url="memory:"))):
        assert _ask(port, 8 * 1024 * 1024).startswith(b"HTTP/1.1 431")
        assert _ask(port, 1000).startswith(b"HTTP/1.1 200")
