"""A lean HTTP/1.1 load generator for the API benchmarks: asyncio streams, keep-alive, no client library.

A client library (httpx) costs about a millisecond of CPU per request; on a 2-core machine that CPU is taken
from the server under test. Raw streams cost a tenth of that, so the figures are the server's.

Open loop: request i is sent at t0 + i/rate on an idle connection (a new one if all are busy), and its
latency runs from that *scheduled* time, so a stalled server shows in the percentiles (no coordinated
omission). Closed loop: `concurrency` connections back to back, for the highest req/s.
"""

from __future__ import annotations

import asyncio
import json
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

Connection = tuple[asyncio.StreamReader, asyncio.StreamWriter]


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    headers: dict[str, str]
    body: Any = None  # sent as JSON when not None

    def encode(self, host: str) -> bytes:
        payload = b"" if self.body is None else json.dumps(self.body).encode()
        lines = [f"{self.method} {self.path} HTTP/1.1", f"Host: {host}", f"Content-Length: {len(payload)}"]
        if self.body is not None:
            lines.append("Content-Type: application/json")
        lines += [f"{k}: {v}" for k, v in self.headers.items()]
        return ("\r\n".join(lines) + "\r\n\r\n").encode() + payload


@dataclass(frozen=True)
class Response:
    status: int
    headers: dict[str, str]


async def exchange(conn: Connection, raw: bytes) -> Response:
    reader, writer = conn
    writer.write(raw)
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ", 2)[1])
    headers = {}
    for line in lines[1:]:
        if ":" in line:
            k, v = line.split(":", 1)
            headers[k.strip().lower()] = v.strip()
    await reader.readexactly(int(headers.get("content-length", "0")))
    return Response(status, headers)


MakeRequest = Callable[[int], Request]
OnResponse = Callable[[int, Response], None]


@dataclass
class Result:
    latencies_ms: list[float]
    errors: int
    req_s: float

    def summary(self) -> dict[str, float]:
        return {
            "req_s": self.req_s,
            "p50": statistics.median(self.latencies_ms) if self.latencies_ms else 0.0,
            "p95": percentile(self.latencies_ms, 0.95),
            "p99": percentile(self.latencies_ms, 0.99),
            "errors": self.errors,
        }


def percentile(samples: Sequence[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else 0.0


async def open_loop(
    host: str, port: int, make: MakeRequest, rate: float, seconds: float, on_response: OnResponse | None = None
) -> Result:
    n = int(rate * seconds)
    idle: list[Connection] = []
    latencies: list[float] = []
    errors = 0
    t0 = time.perf_counter() + 0.2

    async def one(i: int) -> None:
        nonlocal errors
        scheduled = t0 + i / rate
        await asyncio.sleep(max(0.0, scheduled - time.perf_counter()))
        raw = make(i).encode(host)
        conn = idle.pop() if idle else await asyncio.open_connection(host, port)
        try:
            try:
                response = await exchange(conn, raw)
            except (OSError, asyncio.IncompleteReadError):  # a kept-alive connection the server closed: again
                conn[1].close()
                conn = await asyncio.open_connection(host, port)
                response = await exchange(conn, raw)
        except (OSError, asyncio.IncompleteReadError, ValueError):  # dropped: counted, not fatal
            errors += 1
            latencies.append((time.perf_counter() - scheduled) * 1000)
            conn[1].close()
            return
        latencies.append((time.perf_counter() - scheduled) * 1000)
        idle.append(conn)
        if response.status >= 400:
            errors += 1
        if on_response is not None:
            on_response(i, response)

    await asyncio.gather(*(one(i) for i in range(n)))
    elapsed = time.perf_counter() - t0
    for _, writer in idle:
        writer.close()
    return Result(latencies, errors, n / elapsed)


async def closed_loop(
    host: str,
    port: int,
    make: MakeRequest,
    concurrency: int,
    seconds: float,
    on_response: OnResponse | None = None,
) -> Result:
    latencies: list[float] = []
    errors = 0
    counter = iter(range(10**9))
    stop = time.perf_counter() + seconds

    async def client() -> None:
        nonlocal errors
        conn = await asyncio.open_connection(host, port)
        while time.perf_counter() < stop:
            i = next(counter)
            began = time.perf_counter()
            response = await exchange(conn, make(i).encode(host))
            latencies.append((time.perf_counter() - began) * 1000)
            if response.status >= 400:
                errors += 1
            if on_response is not None:
                on_response(i, response)
        conn[1].close()

    t0 = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(concurrency)))
    return Result(latencies, errors, len(latencies) / (time.perf_counter() - t0))
