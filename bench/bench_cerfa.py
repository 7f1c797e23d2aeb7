"""Reading filled CERFA 10103*12 forms: forms/s and peak memory, as a ratio against pypdf reading the same fields.

Fills N forms (the varied contracts of `bench_drafting`, the ledger's own fill with its pay table), then, each
in a fresh process over the same files, side by side in this one command:
- peer: pypdf's bare `PdfReader(file).get_fields()` (the least any reader of the form must do);
- read: `ledger cerfa read`'s work per file (`ledger/cerfa/forms.py:read_case`): the fields, the terms, the
  problems, the schedule of the terms read and the pay table checked against it.
Prints forms/s of each, the ratio read/peer, and each process's peak resident memory (VmHWM).
    .venv/bin/python -m bench.bench_cerfa [N]
"""

from __future__ import annotations

import argparse
import multiprocessing
import resource
import tempfile
import time
from collections.abc import Callable
from io import BytesIO
from pathlib import Path

from bench.bench_drafting import sample_terms


def _peer(paths: list[Path], out: multiprocessing.Queue) -> None:  # type: ignore[type-arg]
    from pypdf import PdfReader

    start = time.perf_counter()
    for p in paths:
        PdfReader(BytesIO(p.read_bytes())).get_fields()
    out.put((time.perf_counter() - start, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss))


def _read(paths: list[Path], out: multiprocessing.Queue) -> None:  # type: ignore[type-arg]
    from domain.wage.reference import WageReference
    from ledger.cerfa.forms import read_case

    ref = WageReference.seed()
    start = time.perf_counter()
    for p in paths:
        case = read_case(p.read_bytes(), ref)
        assert not case.reading.blocking and not case.findings, p
    out.put((time.perf_counter() - start, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss))


def _run(target: Callable[..., object], paths: list[Path]) -> tuple[float, int]:
    context = multiprocessing.get_context("spawn")  # a fresh interpreter each: no memory carried over
    queue = context.Queue()
    process = context.Process(target=target, args=(paths, queue))
    process.start()
    result = queue.get()
    process.join()
    return result  # type: ignore[no-any-return]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("n", nargs="?", type=int, default=1000)
    args = parser.parse_args()
    from domain.cerfa.filling import form_values
    from domain.terms import parse_terms
    from domain.wage.engine import compute_schedule
    from domain.wage.facts import WageFacts
    from domain.wage.reference import WageReference
    from ledger.cerfa.pdf import fill_pdf

    ref = WageReference.seed()
    with tempfile.TemporaryDirectory() as tmp:
        paths = []
        start = time.perf_counter()
        for i in range(args.n):
            terms = parse_terms(sample_terms(i))
            values = form_values(terms, compute_schedule(WageFacts.of(terms), ref), None)
            path = Path(tmp) / f"cerfa-{i}.pdf"
            path.write_bytes(fill_pdf(values, terms.to_json()))
            paths.append(path)
        fill = time.perf_counter() - start
        size = sum(p.stat().st_size for p in paths) / len(paths) / 1024
        print(f"filled {args.n} forms in {fill:.1f} s ({args.n / fill:.0f} forms/s), {size:.0f} KiB each")
        peer_s, peer_kb = _run(_peer, paths)
        read_s, read_kb = _run(_read, paths)
    print(f"peer  pypdf get_fields: {args.n / peer_s:8.1f} forms/s  ({peer_s:.1f} s)  peak {peer_kb / 1024:.0f} MiB")
    print(f"read  ledger cerfa read: {args.n / read_s:7.1f} forms/s  ({read_s:.1f} s)  peak {read_kb / 1024:.0f} MiB")
    print(f"ratio read/peer: {peer_s / read_s:.2f}")


if __name__ == "__main__":
    main()
