"""The baseline of bench_api: a bare FastAPI endpoint, nothing behind it."""

from __future__ import annotations

from fastapi import FastAPI

app = FastAPI()


@app.get("/healthz")
def healthz() -> dict[str, str]:
    return {"status": "ok"}
