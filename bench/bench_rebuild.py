"""Projection rebuild throughput: replaying the whole notification log into the wage view and the clock index.

What it measures, per backend (a fresh SQLite file, a fresh PostgreSQL schema dropped afterwards):
  setup  N contracts built in memory with 5 to 8 events each (Drafted, Signed, Filed, FilingDecided, then
         ProbationEnded / DisabilityRecognised / SmcChanged and the clock's AgeBracketReached /
         ContractYearStarted / EndApproaching / Ended due by 2026-03-31), saved 500 contracts per
         transaction, with two SMIC revaluations recorded through the application (one halfway through the
         log, one at its end; each makes the wage view recompute every contract still running then).
         A first `ledger.sync()` builds both projections; its content is the reference for the checks.
  rebuild for batch sizes 500 and 2000: `ledger.rebuild()`, then `wage_runner.catch_up()` timed alone and
         `clock_runner.catch_up()` timed alone, as notifications/s (every notification of the log is read,
         including the roster-less contract events the wage view ignores) and contracts/s; each rebuilt
         view is compared with the first build (contracts, schedules, history, clock index).
  The number of notifications in the log is printed.

Run from the project root:
    .venv/bin/python -m bench.bench_rebuild [--contracts 20000] [--backends sqlite,postgres]
                                            [--batch-sizes 500,2000] [--postgres-url URL] [--profile FILE]
"""

from __future__ import annotations

import argparse
import cProfile
import hashlib
import json
import random
from collections import Counter
from collections.abc import Sequence
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from bench.bench_clock import (
    DEFAULT_POSTGRES_URL,
    advance_one,
    backend,
    random_birth,
    running_contract,
    save_events,
    terms_for,
    timed,
)
from domain.clock import due_events
from domain.contract import Contract
from domain.contract_status import LIVE
from ledger.bootstrap import bootstrap
from ledger.settings import Settings
from ledger.system import Ledger
from projections.wage.history import expanded
from projections.wage.view import ROW_COLUMNS, ROW_TABLES

AS_OF = date(2026, 3, 31)  # the clock events recorded are those due by this day
SMIC_REVALUATIONS = (  # (effective date, hourly, act): after the seeds' last date (2026-06-01)
    (date(2026, 11, 1), Decimal("12.45"), "Bench revaluation 1"),
    (date(2027, 1, 1), Decimal("12.62"), "Bench revaluation 2"),
)


def monthly_smic(hourly: Decimal) -> Decimal:
    """hourly × 35 × 52 / 12, rounded half-up to the cent (L3242-1)."""
    return (hourly * 35 * 52 / 12).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def contract_with_history(rng: random.Random, i: int, seed: int) -> Contract:
    """A contract with 5 to 8 events: the lifecycle, a few user facts, then the clock's events."""
    start = date(2024, 1, 1) + timedelta(days=rng.randrange(0, 730))
    birth = random_birth(rng, start, 16, 29)
    months = rng.choice((12, 24, 24, 36))
    c = running_contract(f"bench-rebuild-{seed}-{i}", terms_for(i, birth, start, months, rng.choice((3, 4, 5, 6))))
    wanted = rng.randint(5, 8)
    n = 4
    if rng.random() < 0.5 and n < wanted:
        c.end_probation(c.probation_end_earliest + timedelta(days=rng.randrange(0, 20)))
        n += 1
    if rng.random() < 0.05 and n < wanted:
        c.recognise_disability(start + timedelta(days=rng.randrange(30, 200)))
        n += 1
    while n < wanted:
        due = due_events(c.clock_state(), AS_OF)
        if due and (due[0].kind != "Ended" or n == wanted - 1):
            advance_one(c, due[0])
        elif c.status in LIVE:  # a branch minimum (SMC) change somewhere in the contract
            span = (c.effective_end - start).days
            monthly = Decimal("1800.00") + Decimal(rng.randrange(0, 40000)) / 100
            c.change_smc(start + timedelta(days=rng.randrange(0, span + 1)), monthly)
        else:
            break
        n += 1
    return c


def generate(n: int, seed: int = 23) -> tuple[list[Any], Counter[str]]:
    rng = random.Random(seed)
    events: list[Any] = []
    for i in range(n):
        events.extend(contract_with_history(rng, i, seed).collect_events())
    return events, Counter(type(e).__qualname__.split(".")[-1] for e in events)


def digest(ledger: Ledger) -> dict[str, str]:
    """Fingerprints of the projections' content (not their timestamps), to compare two builds."""

    def h(rows: Sequence[Any]) -> str:
        return hashlib.sha256(json.dumps([list(r) for r in rows], default=str).encode()).hexdigest()[:16]

    wv, cv = ledger.wage_view, ledger.clock_view
    return {
        # As readers get them: a month text kept from an older reference is recomputed (`fresh_rows`), a
        # revaluation's packed months expanded; per contract, history in the order a reader gets it (across
        # contracts the rows interleave by batch).
        "wage_contracts": h(
            [
                (r.contract_id, r.cfa_id, r.status, r.start_date, r.effective_end, r.events, r.schedule, r.error)
                for r in wv.fresh_rows(wv.query(f"SELECT {ROW_COLUMNS} FROM {ROW_TABLES} ORDER BY w.contract_id"))
            ]
        ),
        "wage_history": h(
            [
                (cid, effective, cause, expanded(json.loads(entry)))
                for cid, effective, cause, entry in wv.query(
                    "SELECT contract_id, effective_date, cause, entry FROM {schema}wage_history"
                    " ORDER BY contract_id, seq"
                )
            ]
        ),
        "wage_reference": h(wv.query("SELECT * FROM {schema}wage_reference ORDER BY series, effective_date")),
        "clock_index": h(
            cv.query(
                "SELECT contract_id, next_due, next_kind, next_key, status, cfa_id FROM {schema}clock_index "
                "ORDER BY contract_id"
            )
        ),
        "history_rows": str(wv.count_history()),
    }


def run(
    label: str, settings: Settings, events: Sequence[Any], n: int, sizes: Sequence[int], profile: str | None
) -> None:
    ledger = bootstrap(settings)
    try:
        half = len(events) // 2
        while half < len(events) and events[half].originator_version != 1:  # cut between two contracts
            half += 1
        t_save, _ = timed(lambda: save_events(ledger, events[:half]))
        date1, hourly1, act1 = SMIC_REVALUATIONS[0]
        assert ledger.contracts.reference.record_smic_revaluation(date1, hourly1, monthly_smic(hourly1), act1)
        t2, _ = timed(lambda: save_events(ledger, events[half:]))
        date2, hourly2, act2 = SMIC_REVALUATIONS[1]
        assert ledger.contracts.reference.record_smic_revaluation(date2, hourly2, monthly_smic(hourly2), act2)
        t_save += t2
        notifications = ledger.contracts.recorder.max_notification_id() or 0
        print(
            f"{label:<8} setup: saved {n:,} contracts / {len(events):,} events in {t_save:.1f} s; the log holds "
            f"{notifications:,} notifications (with the reference data: seed + 2 SMIC revaluations)"
        )
        elapsed, read = timed(ledger.sync)
        reference = digest(ledger)
        followers = len(ledger.runners) + len(ledger.outbox_runners)  # sync() runs every follower, not just 2
        print(
            f"{label:<8} first build (sync, batch 500): {read:,} notifications read by the ledger's {followers} "
            f"followers in {elapsed:.1f} s; {reference['history_rows']} wage-history rows"
        )
        for size in sizes:
            ledger.rebuild()
            ledger.wage_runner.batch_size = size
            ledger.clock_runner.batch_size = size
            profiler = cProfile.Profile() if profile else None
            if profiler:
                profiler.enable()
            t_wage, read_wage = timed(ledger.wage_runner.catch_up)
            if profiler:
                profiler.disable()
                profiler.dump_stats(f"{profile}.{label}.wage.{size}.prof")
                profiler = cProfile.Profile()
                profiler.enable()
            t_clock, read_clock = timed(ledger.clock_runner.catch_up)
            if profiler:
                profiler.disable()
                profiler.dump_stats(f"{profile}.{label}.clock.{size}.prof")
            rebuilt = digest(ledger)
            same = [k for k in reference if reference[k] == rebuilt[k]]
            check = (
                "same content as the first build"
                if len(same) == len(reference)
                else (f"DIFFERS from the first build in {sorted(set(reference) - set(same))}")
            )
            print(
                f"{label:<8} rebuild batch {size:>4}: wage view {read_wage:,} notifications in {t_wage:.1f} s = "
                f"{read_wage / t_wage:,.0f} notifications/s ({n / t_wage:,.0f} contracts/s); clock index "
                f"{read_clock:,} in {t_clock:.1f} s = {read_clock / t_clock:,.0f} notifications/s "
                f"({n / t_clock:,.0f} contracts/s); {check}"
            )
    finally:
        ledger.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--contracts", type=int, default=20_000)
    parser.add_argument("--backends", default="sqlite,postgres")
    parser.add_argument("--batch-sizes", default="500,2000")
    parser.add_argument("--postgres-url", default=DEFAULT_POSTGRES_URL)
    parser.add_argument("--profile", help="cProfile each timed catch-up into PROFILE.<backend>.<view>.<batch>.prof")
    args = parser.parse_args()
    elapsed, (events, kinds) = timed(lambda: generate(args.contracts))
    print(
        f"generated {args.contracts:,} contracts, {len(events):,} events ({len(events) / args.contracts:.2f} per "
        f"contract) in {elapsed:.1f} s: " + ", ".join(f"{k} {v:,}" for k, v in kinds.most_common())
    )
    sizes = [int(s) for s in args.batch_sizes.split(",")]
    for name in args.backends.split(","):
        with backend(name, args.postgres_url, "bench_rebuild") as settings:
            if settings is not None:
                run(name, settings, events, args.contracts, sizes, args.profile)


if __name__ == "__main__":
    main()
