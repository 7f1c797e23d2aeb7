"""OpenFisca-France's `remuneration_apprenti` over N apprentices × M months, timed; run by
`bench.bench_openfisca` in its own virtual environment (`bench/.openfisca-venv`), never imported by the project.

    bench/.openfisca-venv/bin/python bench/openfisca_peer.py INPUT.json

INPUT holds the apprentices' birth dates and contract start dates (ISO) and the months (YYYY-MM). Prints one
JSON line: the seconds of the computation alone (a fresh simulation, its inputs set, then one
`calculate` per month), the months computed, and the sum of the amounts (a check that it computed).
"""

import json
import sys
import time

import numpy as np
from openfisca_core.simulation_builder import SimulationBuilder
from openfisca_france import FranceTaxBenefitSystem


def main() -> None:
    with open(sys.argv[1]) as file:
        data = json.load(file)
    births = np.array(data["births"], dtype="datetime64[D]")
    starts = np.array(data["starts"], dtype="datetime64[D]")
    months = data["months"]
    system = FranceTaxBenefitSystem()
    n = len(births)
    simulation = SimulationBuilder().build_default_simulation(system, count=n)
    simulation.set_input("date_naissance", "ETERNITY", births)
    for month in months:
        simulation.set_input("apprenti", month, np.ones(n, dtype=bool))
        simulation.set_input("apprentissage_contrat_debut", month, starts)
    t = time.perf_counter()
    total = 0.0
    for month in months:
        total += float(simulation.calculate("remuneration_apprenti", month).sum())
    seconds = time.perf_counter() - t
    print(json.dumps({"seconds": seconds, "months": n * len(months), "sum": total}))


if __name__ == "__main__":
    main()
