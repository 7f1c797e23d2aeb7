"""`ledger schedule` end to end on N JSON lines (issue 3: measured on 10,000): process start to last line.

.venv/bin/python -m bench.bench_schedule_cli [N]
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.cases import cases


def main(n: int = 10_000) -> None:
    ledger = str(Path(sys.executable).parent / "ledger")
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False) as f:
        for c in cases(n, seed=11):
            f.write(json.dumps(c) + "\n")
        path = f.name
    with open(path) as stdin:
        t0 = time.perf_counter()
        proc = subprocess.run(
            [ledger, "schedule", "--reference", "builtin"], stdin=stdin, capture_output=True, text=True
        )
        elapsed = time.perf_counter() - t0
    lines = proc.stdout.splitlines()
    errors = sum(1 for line in lines if '"error"' in line[:200])
    print(f"lines={n} out={len(lines)} errors={errors} exit={proc.returncode}")
    print(f"ledger schedule end to end: {elapsed:.2f} s ({n / elapsed:,.0f} cases/s)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000)
