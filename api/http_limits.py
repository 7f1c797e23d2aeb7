"""The HTTP parser of `ledger serve`: uvicorn's httptools protocol with a cap on the request line and headers.

httptools (llhttp) sets no limit of its own: an 8 MB header was read whole into memory and answered. Here
the bytes received before a request's headers are complete are counted, and past `LEDGER_API_MAX_HEADER_BYTES`
the connection gets a 431 and is closed, before the application sees anything.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from ledger.settings import Settings

TOO_LARGE = (
    b"HTTP/1.1 431 Request Header Fields Too Large\r\ncontent-type: application/problem+json\r\n"
    b"connection: close\r\ncontent-length: %d\r\n\r\n%s"
)


@lru_cache(maxsize=1)
def max_header_bytes() -> int:
    return Settings().api_max_header_bytes


class BoundedHttpToolsProtocol(HttpToolsProtocol):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._head_bytes = 0
        self._in_head = True
        self._limit = max_header_bytes()

    def on_message_begin(self) -> None:
        super().on_message_begin()
        self._in_head = True

    def on_headers_complete(self) -> None:
        self._in_head = False
        self._head_bytes = 0
        super().on_headers_complete()

    def data_received(self, data: bytes) -> None:
        if self._in_head:
            self._head_bytes += len(data)
            if self._head_bytes > self._limit:
                body = (
                    b'{"type":"/problems/headers-too-large","title":"Request header fields too large",'
                    b'"status":431,"detail":"the request line and headers exceed %d bytes"}' % self._limit
                )
                self.transport.write(TOO_LARGE % (len(body), body))
                self.transport.close()
                return
        super().data_received(data)
