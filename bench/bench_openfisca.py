"""Batch schedules against OpenFisca-France's `remuneration_apprenti`, side by side in one command.

    .venv/bin/python -m bench.bench_openfisca [N] [--rounds 3]

OpenFisca runs in its own virtual environment, `bench/.openfisca-venv` (created here on first use with
`python3 -m venv` and `pip install openfisca-france`; it is not a dependency of the project), as a child
process (`bench/openfisca_peer.py`) that times its own computation only. Ours runs in this process.

The same N realistic contracts (`bench.cases`) on both sides:
- ours: each contract's rate plan (prepared beforehand from the engine's schedule, as the wage view keeps it)
  cut into its months and evaluated under the seeded SMIC as one numpy computation, every month of every
  contract, to the cent with the engine's own rounding (the rules of every family: SMC, public employers,
  RQTH, extensions, reductions, Luxembourg, Germany…);
- OpenFisca: its apprentices' simulation (birth dates and contract starts set as inputs beforehand), then
  `remuneration_apprenti` computed for 36 months (its model: the grid by age and seniority on the SMIC).
The figure is person-months computed per second on each side, best of `--rounds` alternating rounds, and
their ratio (ours / OpenFisca). For information, the engine computing every schedule from the parsed facts.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import tempfile
import time
from datetime import date
from pathlib import Path

from bench.cases import cases
from domain.dates import add_months
from domain.errors import DomainError
from domain.terms import parse_terms
from domain.wage.engine import compute_schedule
from domain.wage.facts import WageFacts, wage_facts
from domain.wage.plan import PlanBatch, RatePlan, plan_for
from domain.wage.reference import WageReference

HERE = Path(__file__).resolve().parent
VENV = HERE / ".openfisca-venv"
PEER = HERE / "openfisca_peer.py"
FIRST_MONTH, MONTHS = date(2024, 1, 1), 36


def openfisca_python() -> Path:
    python = VENV / "bin" / "python"
    if not python.exists():
        print(f"creating {VENV} (pip install openfisca-france)…", flush=True)
        subprocess.run(["python3", "-m", "venv", str(VENV)], check=True)
        subprocess.run([str(VENV / "bin" / "pip"), "install", "-q", "openfisca-france"], check=True)
    return python


def prepared(n: int) -> tuple[list[WageFacts], list[RatePlan], WageReference]:
    ref = WageReference.seed()
    facts, plans = [], []
    for c in cases(n):
        try:
            f = wage_facts(parse_terms(c["terms"]), c.get("events") or [])
            plan = plan_for(f, compute_schedule(f, ref))
        except DomainError:
            continue
        if plan is not None:
            facts.append(f)
            plans.append(plan)
    return facts, plans, ref


def ours(plans: list[RatePlan], ref: WageReference) -> tuple[float, int]:
    batch = PlanBatch.of(plans)
    t = time.perf_counter()
    cells = batch.months()
    amounts = cells.amounts(ref)
    seconds = time.perf_counter() - t
    return seconds, len(amounts)


def engine(facts: list[WageFacts], ref: WageReference) -> tuple[float, int]:
    t = time.perf_counter()
    months = sum(len(compute_schedule(f, ref).months) for f in facts)
    return time.perf_counter() - t, months


def peer(python: Path, facts: list[WageFacts]) -> tuple[float, int]:
    months = [f"{d.year:04d}-{d.month:02d}" for d in (add_months(FIRST_MONTH, k) for k in range(MONTHS))]
    data = {
        "births": [f.terms.apprentice.birth_date.isoformat() for f in facts],
        "starts": [f.terms.start_date.isoformat() for f in facts],
        "months": months,
    }
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as file:
        json.dump(data, file)
    out = subprocess.run([str(python), str(PEER), file.name], check=True, capture_output=True, text=True)
    Path(file.name).unlink()
    result = json.loads(out.stdout.strip().splitlines()[-1])
    return float(result["seconds"]), int(result["months"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("n", nargs="?", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    python = openfisca_python()
    facts, plans, ref = prepared(args.n)
    print(f"{len(plans):,} contracts with a plan of {args.n:,} generated")
    best_ours = best_peer = None
    for r in range(args.rounds):
        o = ours(plans, ref)
        p = peer(python, facts)
        print(
            f"round {r + 1}: ours {o[0]:.2f} s for {o[1]:,} months ({o[1] / o[0]:,.0f}/s); "
            f"OpenFisca {p[0]:.2f} s for {p[1]:,} months ({p[1] / p[0]:,.0f}/s)",
            flush=True,
        )
        best_ours = o if best_ours is None or o[1] / o[0] > best_ours[1] / best_ours[0] else best_ours
        best_peer = p if best_peer is None or p[1] / p[0] > best_peer[1] / best_peer[0] else best_peer
    assert best_ours is not None and best_peer is not None
    e = engine(facts, ref)
    ratio = (best_ours[1] / best_ours[0]) / (best_peer[1] / best_peer[0])
    print(
        f"best: ours {best_ours[1] / best_ours[0]:,.0f} person-months/s, OpenFisca "
        f"{best_peer[1] / best_peer[0]:,.0f}/s: ratio {ratio:.2f} ({'PASS' if ratio >= 1 else 'MISS'}, goal >= 1.0); "
        f"the engine, every schedule: {e[1] / e[0]:,.0f}/s ({e[0]:.2f} s)"
    )


if __name__ == "__main__":
    main()
