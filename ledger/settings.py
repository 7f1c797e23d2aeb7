"""The service's configuration: one `Settings` object read from the environment (pydantic-settings).

The store is one URL, `LEDGER_DATABASE_URL`:
  sqlite:///relative/path.sqlite3   a file relative to the working directory (the default, no server)
  sqlite:////abs/path.sqlite3       an absolute path
  postgresql://user:pw@host:port/dbname?schema=name
  memory:                           in process memory (tests, one-off runs)
When it is unset and `POSTGRES_DBNAME` is set, the usual POSTGRES_HOST/PORT/USER/PASSWORD/DBNAME/SCHEMA
variables (the ones eventsourcing and the postgres image use) build the PostgreSQL URL instead.
"""

from __future__ import annotations

import base64
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, quote, unquote, urlsplit

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_DATABASE_URL = "sqlite:///var/ledger.sqlite3"
SQLITE_PREFIX = "sqlite:///"
MEMORY_URL = "memory:"


@dataclass(frozen=True)
class SQLiteStore:
    path: str  # a file path, or an SQLite URI such as file:x?mode=memory&cache=shared


@dataclass(frozen=True)
class PostgresStore:
    dbname: str
    host: str
    port: int
    user: str
    password: str
    schema: str

    def connection_args(self) -> dict[str, Any]:
        """psycopg's `connect` arguments for this server (no schema: it is a search path, not a database)."""
        return {
            "host": self.host,
            "port": self.port,
            "user": self.user,
            "password": self.password or None,
            "dbname": self.dbname,
        }


@dataclass(frozen=True)
class MemoryStore:
    pass


Store = SQLiteStore | PostgresStore | MemoryStore


class Settings(BaseSettings):
    # database_url reads LEDGER_DATABASE_URL (the prefix); the postgres_* fields read the unprefixed names.
    model_config = SettingsConfigDict(env_prefix="LEDGER_", extra="ignore")

    database_url: str = ""
    postgres_host: str = Field(default="127.0.0.1", validation_alias="POSTGRES_HOST")
    postgres_port: int = Field(default=5432, validation_alias="POSTGRES_PORT")
    postgres_user: str = Field(default="postgres", validation_alias="POSTGRES_USER")
    postgres_password: str = Field(default="", validation_alias="POSTGRES_PASSWORD")
    postgres_dbname: str = Field(default="", validation_alias="POSTGRES_DBNAME")
    postgres_schema: str = Field(default="", validation_alias="POSTGRES_SCHEMA")

    # HTTP API (`ledger serve`)
    api_host: str = "127.0.0.1"
    api_port: int = Field(default=8000, ge=1, le=65535)
    api_max_body_bytes: int = Field(default=64 * 1024, ge=1024)  # a contract's terms are ~1 KiB
    # Uploads under /contracts/import/ (a spreadsheet of contracts, a CERFA PDF) may be larger than a body
    api_max_upload_bytes: int = Field(default=10 * 1024 * 1024, ge=1024)
    # Requests per minute, per process (`api.rate_limit`): per API key, and per client IP; 0 turns one off.
    api_rate_limit_per_key: int = Field(default=3000, ge=0)
    api_rate_limit_per_ip: int = Field(default=6000, ge=0)
    api_max_header_bytes: int = Field(default=32 * 1024, ge=4096)  # request line and headers (`api.http_limits`)
    log_level: str = "INFO"
    # How often the projections look for new events in a long-lived process (seconds); a local write
    # wakes them at once.
    follow_interval: float = Field(default=0.5, gt=0)
    # Whether `ledger serve` also runs the projections' followers. Off: `ledger worker` runs them, and the
    # API's reads of a projection catch it up themselves; on, for a single process without a worker.
    api_follow_projections: bool = False
    # Requests handled at once (sync endpoints run in threads): more threads only queue on the store's
    # connection interlock and the GIL; a few keep the latency low and the throughput up.
    api_threads: int = Field(default=4, ge=1, le=64)
    # API processes behind the one port (PostgreSQL only): one process runs every request's Python under one
    # GIL, so a second core serves only with a second process. Each keeps its own caches, made consistent
    # by the store's notification ids (`ledger.current_reads`).
    api_workers: int = Field(default=1, ge=1, le=64)

    # Processes a reference change (a SMIC revaluation) recomputes the running contracts' wages in, in the
    # process that follows the wage projection: it is CPU-bound Python, one core per process. Default: one
    # per core. Fewer than 4,000 running contracts are recomputed in that process itself.
    revaluation_processes: int = Field(default_factory=lambda: os.cpu_count() or 1, ge=1, le=64)

    # Encryption at rest: a base64 AES key (16, 24 or 32 bytes; `ledger cipher-key` makes one). When set,
    # every stored event and every contract's data key is encrypted with it (the library's AESCipher).
    # Losing it loses the data; changing it needs a re-encryption of the store.
    cipher_key: str = Field(default="", repr=False)

    # Webhooks (`ledger dispatcher`)
    webhooks_allow_private_targets: bool = False  # SSRF guard: only true for a receiver on a private network
    webhook_timeout_seconds: float = Field(default=5.0, gt=0, le=30)
    dispatcher_concurrency: int = Field(default=8, ge=1, le=64)  # a slow receiver holds one of these only

    @model_validator(mode="after")
    def _resolve_url(self) -> Settings:
        if not self.database_url:
            self.database_url = postgres_url(self) if self.postgres_dbname else DEFAULT_DATABASE_URL
        parse_database_url(self.database_url)  # refuse a malformed URL at start, not at first use
        if self.cipher_key:
            check_cipher_key(self.cipher_key)
        return self

    @property
    def store(self) -> Store:
        return parse_database_url(self.database_url)


def postgres_url(s: Settings) -> str:
    auth = quote(s.postgres_user, safe="")
    if s.postgres_password:
        auth += ":" + quote(s.postgres_password, safe="")
    query = f"?schema={quote(s.postgres_schema, safe='')}" if s.postgres_schema else ""
    return f"postgresql://{auth}@{s.postgres_host}:{s.postgres_port}/{quote(s.postgres_dbname, safe='')}{query}"


def parse_database_url(url: str) -> Store:
    if url == MEMORY_URL:
        return MemoryStore()
    if url.startswith(SQLITE_PREFIX):
        path = url[len(SQLITE_PREFIX) :]  # "relative" or "/absolute" (four slashes in the URL)
        if not path:
            raise ValueError(f"database URL {url!r} names no SQLite file")
        return SQLiteStore(path)
    parts = urlsplit(url)
    if parts.scheme in ("postgresql", "postgres"):
        dbname = unquote(parts.path.lstrip("/"))
        if not dbname:
            raise ValueError(f"database URL {url!r} names no database")
        schema = parse_qs(parts.query).get("schema", [""])[0]
        return PostgresStore(
            dbname=dbname,
            host=parts.hostname or "127.0.0.1",
            port=parts.port or 5432,
            user=unquote(parts.username or "postgres"),
            password=unquote(parts.password or ""),
            schema=schema,
        )
    raise ValueError(f"unsupported database URL {url!r}: use sqlite:///path, postgresql://... or memory:")


def ensure_sqlite_parent(store: Store) -> None:
    """Create the SQLite file's directory (the default `var/` does not exist in a fresh checkout)."""
    if isinstance(store, SQLiteStore) and not store.path.startswith(("file:", ":memory:")):
        Path(store.path).parent.mkdir(parents=True, exist_ok=True)


def check_cipher_key(key: str) -> None:
    """LEDGER_CIPHER_KEY must be base64 for 16, 24 or 32 bytes (AES-128/192/256)."""
    try:
        raw = base64.b64decode(key, validate=True)
    except ValueError:
        raise ValueError("LEDGER_CIPHER_KEY must be base64 (see `ledger cipher-key`)") from None
    if len(raw) not in (16, 24, 32):
        raise ValueError(f"LEDGER_CIPHER_KEY must encode 16, 24 or 32 bytes, not {len(raw)}")
