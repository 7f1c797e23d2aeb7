"""`ledger serve` runs uvicorn on httptools (HTTP parsed in C) and uvloop, not on the pure-Python fallbacks."""

from __future__ import annotations

import sys

import pytest
import uvicorn

from ledger.commands.serve import server_options
from ledger.settings import Settings


def test_the_server_parses_http_with_httptools() -> None:
    config = uvicorn.Config(app=lambda *a: None, **server_options(Settings()))
    config.load()
    assert config.http_protocol_class.__name__ == "HttpToolsProtocol"


@pytest.mark.skipif(sys.platform == "win32", reason="uvloop does not run on Windows")
def test_the_server_runs_on_uvloop() -> None:
    factory = uvicorn.Config(app=lambda *a: None, **server_options(Settings())).get_loop_factory()
    assert factory is not None
    loop = factory()
    try:
        assert type(loop).__module__.startswith("uvloop")
    finally:
        loop.close()
