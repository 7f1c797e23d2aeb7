"""Backup and restore on PostgreSQL, as the README says: pg_dump the store, pg_restore it into a fresh
database, `ledger rebuild` there, and every wage and funding figure comes back the same."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import uuid
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from psycopg import sql

from ledger.bootstrap import bootstrap
from ledger.settings import PostgresStore, Settings, parse_database_url
from tests.conftest import POSTGRES_URL, _connect
from tests.contract_builders import terms
from tests.system.helpers import running

LEDGER = str(Path(sys.executable).parent / "ledger")


def test_a_dump_restored_into_a_fresh_database_and_rebuilt_gives_the_same_wages(
    postgres_schema: str, tmp_path: Path
) -> None:
    if not (shutil.which("pg_dump") and shutil.which("pg_restore")):
        pytest.skip("pg_dump/pg_restore are not installed")
    store = parse_database_url(POSTGRES_URL)
    assert isinstance(store, PostgresStore)
    source_url = f"{POSTGRES_URL}?schema={postgres_schema}"
    ledger = bootstrap(Settings(database_url=source_url))
    ids = [
        running(ledger, k, terms(birth=b)) for k, b in (("a", "2008-03-15"), ("b", "2005-06-01"), ("c", "2000-11-20"))
    ]
    ledger.contracts.terminate(ids[0], date(2026, 1, 15), "resignation")
    ledger.contracts.reference.record_smic_revaluation(
        date(2026, 9, 1), Decimal("12.50"), Decimal("1895.83"), "hypothetical"
    )
    before = {c: ([(m.key, m.amount) for m in ledger.contracts.wage_schedule(c).months]) for c in ids}
    ledger.sync()
    views_before = {c: ledger.wage_view.history(str(c)) for c in ids}
    ledger.close()

    dump = tmp_path / "ledger.dump"
    auth = ["-h", store.host, "-p", str(store.port), "-U", store.user]
    env = {**os.environ, "PGPASSWORD": store.password}
    subprocess.run(
        ["pg_dump", *auth, "-d", store.dbname, "-n", postgres_schema, "-Fc", "-f", str(dump)], check=True, env=env
    )
    fresh = f"restore_{uuid.uuid4().hex[:10]}"
    with _connect() as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(fresh)))
    try:
        subprocess.run(["pg_restore", *auth, "-d", fresh, "--no-owner", str(dump)], check=True, env=env)
        restored_url = f"postgresql://{store.user}@{store.host}:{store.port}/{fresh}?schema={postgres_schema}"
        rebuild = subprocess.run(
            [LEDGER, "rebuild"],
            capture_output=True,
            text=True,
            timeout=120,
            env={**os.environ, "LEDGER_DATABASE_URL": restored_url},
        )
        assert rebuild.returncode == 0, rebuild.stderr
        restored = bootstrap(Settings(database_url=restored_url))
        try:
            after = {c: [(m.key, m.amount) for m in restored.contracts.wage_schedule(c).months] for c in ids}
            assert after == before
            assert {c: restored.wage_view.history(str(c)) for c in ids} == views_before
            assert restored.contracts.get_contract(ids[0]).status == "terminated"
        finally:
            restored.close()
    finally:
        with _connect() as conn:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(fresh)))
