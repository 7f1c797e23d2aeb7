"""Spreadsheet import throughput and peak memory, as a ratio against drafting the same contracts directly.

Builds an N-row spreadsheet (XLSX by default) of the contracts `bench_drafting` drafts, then, each in a fresh
process on a fresh store, side by side in this one command:
- peer: `Contracts.draft_contract` for each of the N contracts (what `POST /contracts` does);
- import: read the file and import it (`ledger/importing.py`: French cells → terms, lookup by reference,
  draft), then the same file again (every row unchanged, nothing recorded).
Prints rows/s of each, the ratio import/peer, and each process's peak resident memory.
    .venv/bin/python -m bench.bench_import [N] [--format xlsx|csv] [--backend sqlite|postgres]
"""

from __future__ import annotations

import argparse
import multiprocessing
import resource
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

import psycopg
from psycopg import sql

from bench.bench_drafting import DEFAULT_POSTGRES_URL, sample_terms
from ledger.bootstrap import bootstrap
from ledger.import_columns import COLUMNS, REFERENCE
from ledger.settings import PostgresStore, Settings, parse_database_url
from ledger.tabular import Column, write_table

CFA = "CFA-BENCH"


def spreadsheet(n: int, fmt: str) -> bytes:
    """N rows, each the French cells of `sample_terms(i)` (dates dd/mm/yyyy, oui/non)."""

    def cell(terms: dict[str, Any], path: str, kind: str) -> Any:
        node: Any = terms
        for part in path.split("."):
            node = node.get(part) if isinstance(node, dict) else None
        if node is None or path.startswith("smc."):
            return None
        if kind == "date":
            y, m, d = node.split("-")
            return f"{d}/{m}/{y}"
        if kind == "bool":
            return "oui" if node else "non"
        if path == "employer.sector":
            return "privé" if node == "private" else "public"
        return node

    rows = (
        [f"REF-{i:06d}" if c.header == REFERENCE else cell(sample_terms(i), c.path, c.kind) for c in COLUMNS]
        for i in range(n)
    )
    return write_table(fmt, [Column(c.header) for c in COLUMNS], rows)


def peak_rss_kib() -> int:
    """This process's peak resident memory (VmHWM: unlike ru_maxrss, not inherited from the parent across exec)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def _peer(url: str, n: int, out: Any) -> None:
    ledger = bootstrap(Settings(database_url=url))
    app = ledger.contracts
    t0 = time.perf_counter()
    for i in range(n):
        app.draft_contract(sample_terms(i), f"ref:REF-{i:06d}", CFA)
    elapsed = time.perf_counter() - t0
    ledger.close()
    out.send((elapsed, peak_rss_kib()))


def _import(url: str, data: bytes, fmt: str, out: Any) -> None:
    from ledger.importing import import_table
    from ledger.tabular import read_table

    ledger = bootstrap(Settings(database_url=url))

    app = ledger.contracts
    results = []
    for _ in range(2):  # the first run drafts every row, the second finds each unchanged
        t0 = time.perf_counter()
        report = import_table(app, read_table(data, f"bench.{fmt}"), CFA)
        results.append((time.perf_counter() - t0, report.counts()))
    ledger.close()
    out.send((results, peak_rss_kib()))


def in_process(target: Any, *args: Any) -> Any:
    parent, child = multiprocessing.Pipe()
    process = multiprocessing.get_context("spawn").Process(target=target, args=(*args, child))
    process.start()
    result = parent.recv()
    process.join()
    return result


def fresh_store(backend: str, postgres_url: str, tmp: Path, name: str) -> str:
    if backend == "sqlite":
        return f"sqlite:///{tmp / name}.sqlite3"
    store = parse_database_url(postgres_url)
    assert isinstance(store, PostgresStore)
    schema = f"bench_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(host=store.host, port=store.port, user=store.user, dbname=store.dbname, autocommit=True) as c:
        c.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(schema)))
    return f"{postgres_url}?schema={schema}"


def drop_store(url: str, postgres_url: str) -> None:
    if not url.startswith("postgresql"):
        return
    store = parse_database_url(postgres_url)
    assert isinstance(store, PostgresStore)
    schema = url.rsplit("schema=", 1)[1]
    with psycopg.connect(host=store.host, port=store.port, user=store.user, dbname=store.dbname, autocommit=True) as c:
        c.execute(sql.SQL("DROP SCHEMA {} CASCADE").format(sql.Identifier(schema)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("n", type=int, nargs="?", default=10_000)
    parser.add_argument("--format", choices=("xlsx", "csv"), default="xlsx")
    parser.add_argument("--backend", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--postgres-url", default=DEFAULT_POSTGRES_URL)
    args = parser.parse_args()
    t0 = time.perf_counter()
    data = spreadsheet(args.n, args.format)
    written = time.perf_counter() - t0
    print(f"spreadsheet: {args.n:,} rows, {len(data) / 1e6:.2f} MB {args.format}, written in {written:.1f} s")
    with tempfile.TemporaryDirectory() as tmp:
        peer_url = fresh_store(args.backend, args.postgres_url, Path(tmp), "peer")
        import_url = fresh_store(args.backend, args.postgres_url, Path(tmp), "import")
        try:
            peer_seconds, peer_rss = in_process(_peer, peer_url, args.n)
            (first, second), import_rss = in_process(_import, import_url, data, args.format)
        finally:
            drop_store(peer_url, args.postgres_url)
            drop_store(import_url, args.postgres_url)
    peer_rate = args.n / peer_seconds
    for label, (seconds, counts) in (("import (new)", first), ("import (unchanged)", second)):
        rate = args.n / seconds
        print(
            f"{label:<19} {args.n:,} rows in {seconds:.1f} s: {rate:,.0f} rows/s, "
            f"ratio to drafting {rate / peer_rate:.2f}; {counts}"
        )
    print(f"{'peer: drafting':<19} {args.n:,} contracts in {peer_seconds:.1f} s: {peer_rate:,.0f} contracts/s")
    print(
        f"peak resident memory: import process {import_rss / 1024:.0f} MiB, drafting process {peer_rss / 1024:.0f} MiB"
    )


if __name__ == "__main__":
    main()
