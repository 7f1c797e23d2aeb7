"""`ledger serve` as its own process on a free port of 127.0.0.1, for the tests that need a real server."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

import httpx

LEDGER = str(Path(sys.executable).parent / "ledger")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def serving(url: str, *args: str, env: Mapping[str, str] = {}, timeout: float = 30) -> Iterator[str]:
    """`ledger serve [args]` over the store at `url` until it answers /healthz; its base address. Stopped after."""
    port = free_port()
    server = subprocess.Popen(
        [LEDGER, "serve", *args, "--port", str(port)],
        env={**os.environ, "LEDGER_DATABASE_URL": url, "LEDGER_LOG_LEVEL": "WARNING", **env},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert server.poll() is None, f"ledger serve {' '.join(args)} exited"
            assert time.monotonic() < deadline, f"ledger serve {' '.join(args)} did not start"
            time.sleep(0.1)
        yield base
    finally:
        server.terminate()
        server.wait(20)
