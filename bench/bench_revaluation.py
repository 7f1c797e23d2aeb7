"""A SMIC revaluation over N running contracts on PostgreSQL, through the wage projection: the rate plans the
view keeps evaluated in one array computation a chunk, against the engine recomputing every schedule (the
path of the contracts without a plan), side by side in one command.

    .venv/bin/python -m bench.bench_revaluation [--contracts 1000000] [--peer 20000] [--postgres-url URL]

Each store is a fresh PostgreSQL schema whose wage view is filled directly (COPY) with rows the engine computed
for realistic contracts (`bench.cases`, a few thousand distinct, repeated under new ids), all running on the
revaluation's date; the view's month texts, which a revaluation by plans neither reads nor writes, are left out
of the big store to keep its setup short. Then the revaluation is recorded through the application and the
projection's catch-up is timed until its transaction is committed: plans read, computed, history entries
written. The peer store holds `--peer` contracts without plans, recomputed by the engine in this process.
"""

from __future__ import annotations

import argparse
import json
import resource
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import projections.wage.projection as wage_projection
from bench.bench_clock import DEFAULT_POSTGRES_URL, backend
from bench.cases import cases
from ledger.bootstrap import bootstrap
from ledger.system import Ledger
from projections import json_text
from projections.wage.plans import PlanRow
from projections.wage.rows import ContractRow, compute_row
from projections.wage.view import COLUMN_NAMES

REVALUED_ON = date(2026, 11, 1)
HOURLY, MONTHLY = Decimal("12.40"), Decimal("1880.67")
TEMPLATES = 4_000  # distinct contracts computed by the engine, repeated to fill the view
COPY_CHUNK = 50_000
PLAN_COLUMNS = ("contract_id", "effective_end", "series", "reference", "plan")


def running_templates(ledger: Ledger, count: int, with_plans: bool) -> list[ContractRow]:
    """Distinct contracts running on the revaluation's date, computed by the engine; without their plans for
    the peer (the few contracts that have none in real life take the engine's path: here all of them do)."""
    ref = ledger.wage_view.reference()
    out = []
    for i, c in enumerate(cases(count * 3)):
        row = ContractRow(
            str(i), "CFA-BENCH", "12345678900011", f"A N{i}", "accepted", c["terms"], c.get("events") or []
        )
        compute_row(row, ref, None, keep=True)
        if row.error is None and row.effective_end >= REVALUED_ON.isoformat() and row.plan is not None:
            if row.plan.blob is not None and not with_plans:
                row.plan = PlanRow.of(None, row.plan.tag)
            out.append(row)
        if len(out) == count:
            break
    return out


def fill(ledger: Ledger, templates: list[ContractRow], n: int, texts: bool) -> None:
    """N rows of the wage view (contracts and plans), each a template under a new id, by COPY."""
    view = ledger.wage_view
    now = datetime.now(UTC).isoformat()
    prepared = [
        (
            t.start_date,
            t.effective_end,
            json_text.dumps(t.terms),
            json_text.dumps(t.events),
            t.schedule_text if texts else None,
            t.plan,
        )
        for t in templates
    ]
    rules = sorted({i: text for t in templates if t.plan for i, text in t.plan.rules}.items())
    with view.write(None) as cursor:
        view.run_many(cursor, "INSERT INTO {schema}wage_rules (id, rules) VALUES (?,?) ON CONFLICT DO NOTHING", rules)
    for k in range(0, n, COPY_CHUNK):
        contracts, plans = [], []
        for i in range(k, min(n, k + COPY_CHUNK)):
            start, end, terms, events, text, plan = prepared[i % len(prepared)]
            cid = str(uuid.uuid4())
            contracts.append(
                (cid, "CFA-BENCH", "12345678900011", f"A N{i}", "accepted", start, end, terms, events, text, None, now)
            )
            assert plan is not None
            plans.append((cid, end, plan.series, plan.tag, plan.blob))
        with view.write(None) as cursor:
            view.insert_many(cursor, "wage_contracts", COLUMN_NAMES, contracts)
            view.insert_many(
                cursor, "wage_plans", ("contract_id", "effective_end", "series", "reference", "plan"), plans
            )
        print(f"  {min(n, k + COPY_CHUNK):>9,} rows", end="\r", flush=True)
    view.analyze()
    print()


class Split:
    """Seconds spent in named functions of the projection's module, while installed."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}

    @contextmanager
    def timing(self, owner: Any, name: str, label: str) -> Iterator[None]:
        original: Callable[..., Any] = getattr(owner, name)

        def timed(*args: Any, **kwargs: Any) -> Any:
            t = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                self.seconds[label] = self.seconds.get(label, 0.0) + time.perf_counter() - t

        setattr(owner, name, timed)
        try:
            yield
        finally:
            setattr(owner, name, original)


def revalue(ledger: Ledger) -> tuple[float, dict[str, float], int]:
    """Record the revaluation, then catch the wage projection up: seconds, split, history entries written."""
    before = ledger.wage_view.count_history()
    assert ledger.contracts.reference.record_smic_revaluation(REVALUED_ON, HOURLY, MONTHLY, "bench")
    split = Split()
    view = ledger.wage_view
    with (
        split.timing(view, "running_plans", "read plans"),
        split.timing(wage_projection, "revalued_entries", "compute"),
        split.timing(view, "add_history_texts", "write history"),
        split.timing(view, "save_schedules", "write (engine path)"),
    ):
        t = time.perf_counter()
        ledger.wage_runner.catch_up()
        seconds = time.perf_counter() - t
    return seconds, split.seconds, view.count_history() - before


def one_store(url: str, n: int, with_plans: bool, prefix: str) -> tuple[float, dict[str, float], int]:
    with backend("postgres", url, prefix) as settings:
        assert settings is not None, "PostgreSQL is needed"
        ledger = bootstrap(settings)
        try:
            ledger.sync()  # the reference data seeded, the view at the log's end
            templates = running_templates(ledger, min(TEMPLATES, n), with_plans)
            fill(ledger, templates, n, texts=not with_plans)
            return revalue(ledger)
        finally:
            ledger.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--contracts", type=int, default=1_000_000)
    parser.add_argument("--peer", type=int, default=20_000)
    parser.add_argument("--postgres-url", default=DEFAULT_POSTGRES_URL)
    args = parser.parse_args()

    print(f"peer: {args.peer:,} contracts without plans, recomputed by the engine")
    peer_s, peer_split, peer_entries = one_store(args.postgres_url, args.peer, False, "bench_reval_engine")
    print(f"  {peer_s:.2f} s, {peer_entries:,} history entries ({args.peer / peer_s:,.0f} contracts/s)  {peer_split}")

    print(f"plans: {args.contracts:,} contracts with plans")
    s, split, entries = one_store(args.postgres_url, args.contracts, True, "bench_reval_plans")
    rest = s - sum(split.values())
    parts = ", ".join(f"{k} {v:.2f} s" for k, v in split.items())
    print(
        f"  {s:.2f} s, {entries:,} history entries ({args.contracts / s:,.0f} contracts/s): {parts}, other {rest:.2f} s"
    )
    print(
        json.dumps(
            {
                "contracts": args.contracts,
                "seconds": round(s, 2),
                "split": {k: round(v, 2) for k, v in split.items()},
                "peer_contracts": args.peer,
                "peer_seconds": round(peer_s, 2),
                "ratio_per_contract": round((args.contracts / s) / (args.peer / peer_s), 1),
                "peak_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
            }
        )
    )


if __name__ == "__main__":
    main()
