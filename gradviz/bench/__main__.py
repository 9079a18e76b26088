"""python -m gradviz.bench [--quick] [--rounds N] [--readme PATH | --no-readme]

Prints the benchmark table (Markdown) and writes it into the README's
Performance section. --quick: small sizes only, for tests and previews."""
from __future__ import annotations

import argparse
import itertools
import resource
import sys
import time
from pathlib import Path

from ..engine.parallel import BlasThreads
from . import procs, scenario_times
from .measure import measure
from .report import markdown, write_readme
from .workload import Size

FULL = dict(depths=(10, 50), widths=(32, 128, 512), batches=(32, 256), dtypes=("float32", "float64"))
QUICK = dict(depths=(2, 4), widths=(8, 16), batches=(8,), dtypes=("float32", "float64"))


def sizes(grid: dict) -> list[Size]:
    return [Size(d, w, b, dt) for dt, d, w, b in
            itertools.product(grid["dtypes"], grid["depths"], grid["widths"], grid["batches"])]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m gradviz.bench", description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="small sizes only (tests, previews)")
    ap.add_argument("--rounds", type=int, default=None, help="interleaved rounds per size (median)")
    ap.add_argument("--readme", type=Path, default=Path(__file__).resolve().parents[2] / "README.md")
    ap.add_argument("--no-readme", action="store_true", help="print only")
    args = ap.parse_args(argv)
    grid = QUICK if args.quick else FULL
    rounds = args.rounds or (3 if args.quick else 5)
    t0 = time.perf_counter()
    torch_ok = procs.torch_available()
    # the table says "BLAS pinned to 1 thread" (its children get PINNED): so is this
    # process, or a busy second core makes OpenBLAS's threads spin against it
    with BlasThreads(1):
        return _run(args, grid, rounds, torch_ok, t0)


def _run(args, grid, rounds, torch_ok, t0) -> int:
    rows = []
    for size in sizes(grid):
        m = measure(size, rounds)
        torch = procs.torch_step(size, max(3, m["steps"] // 5)) if torch_ok else None
        rows.append((size, m, torch))
        print(f"  {size.label}: all {m['all'] * 1e3:.3f} ms, none {m['none'] * 1e3:.3f} ms", file=sys.stderr,
              flush=True)
    start_size = sizes(grid)[0]
    starts = {dt: procs.start_times(Size(start_size.depth, start_size.width, start_size.batch, dt),
                                    cold=not args.quick) for dt in grid["dtypes"]}
    scen = scenario_times.measure(args.quick, 1 if args.quick else 2)
    note = ("PyTorch eager with hooks: measured in its own process." if torch_ok else
            "PyTorch is not installed here (nor in an interpreter named by $GRADVIZ_BENCH_TORCH_PYTHON), so its "
            "column is empty (it is optional, never a dependency).")
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    text = markdown(rows, starts, note, rss, time.perf_counter() - t0, scen)
    print(text)
    if not args.no_readme:
        write_readme(args.readme, text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
