"""The benchmark's Markdown: the ratio table, the fitted log-log slopes,
the machine it ran on, and the README's Performance section between its
marker comments."""
from __future__ import annotations

import os
import platform
from pathlib import Path

import numpy as np

from ..atomic import atomic_open

START, END = "<!-- bench:start -->", "<!-- bench:end -->"


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    import numba
    load = ", load average %.1f" % os.getloadavg()[0] if hasattr(os, "getloadavg") else ""
    return (f"{cpu}, {os.cpu_count()} logical cores{load}; Python {platform.python_version()}, "
            f"numpy {np.__version__}, numba {numba.__version__}; BLAS pinned to 1 thread")


def _ms(s: float) -> str:
    return f"{s * 1e3:.3g} ms" if s < 1 else f"{s:.3g} s"


def _check(c: dict) -> str:
    n64 = c["numpy_vs_64"]
    return f"{c['gradviz_vs_64']:.1e} / " + ("0" if n64 == 0 else f"{n64:.1e}")


def table(rows: list[tuple]) -> str:
    """rows: (Size, measured dict, torch seconds or None)."""
    head = ("| depth×width×batch, dtype | gradviz all stats | every 10 | no stats | stats overhead "
            "every step / every 10 | NumPy step (same stats) ÷ gradviz | GEMM share of no-stats step | "
            "PyTorch+hooks ÷ gradviz | distance from a float64 NumPy step: gradviz / NumPy |")
    lines = [head, "|" + "---|" * 9]
    for size, m, torch in rows:
        over1 = m["all"] / m["none"] - 1
        over10 = m["every10"] / m["none"] - 1
        tr = f"{torch / m['all']:.2f}x" if torch else "—"
        lines.append(f"| {size.label} | {_ms(m['all'])} | {_ms(m['every10'])} | {_ms(m['none'])} | "
                     f"{over1:+.0%} / {over10:+.0%} | {m['numpy'] / m['all']:.2f}x | "
                     f"{m['gemm'] / m['none']:.0%} | {tr} | {_check(m['check'])} |")
    return "\n".join(lines)


def slopes(rows) -> dict:
    """Least-squares exponents of step time in width, depth and batch
    (log t = c + a log width + b log depth + e log batch + dtype offset)."""
    out = {}
    for mode in ("all", "none"):
        X, t = [], []
        for size, m, _ in rows:
            X.append([1.0, np.log(size.width), np.log(size.depth), np.log(size.batch),
                      float(size.dtype == "float32")])
            t.append(np.log(m[mode]))
        X = np.array(X)
        used = [c for c in range(X.shape[1]) if c == 0 or np.ptp(X[:, c]) > 0]
        coef = np.linalg.lstsq(X[:, used], np.array(t), rcond=None)[0]
        named = dict(zip(["const", "width", "depth", "batch", "float32"], [None] * 5))
        for c, v in zip(used, coef):
            named[["const", "width", "depth", "batch", "float32"][c]] = float(v)
        out[mode] = named
    return out


def scenario_lines(sc: dict) -> list[str]:
    """The whole-scenario rows (scenario_times.measure) as sentences."""
    from .scenario_times import SCENARIO

    same = "byte-identical" if sc["identical"] else "NOT identical"
    figs = sc["figures"]
    worst = max(figs, key=figs.get) if figs else None
    out = [f"Variants in parallel ({SCENARIO}, {sc['jobs']} jobs): 1 worker {sc['serial']:.2f} s, 2 workers "
           f"{sc['parallel']:.2f} s, {sc['serial'] / sc['parallel']:.2f}x; results {same} ({sc['arrays']} arrays)."]
    if figs:
        out.append(f"Drawing, warm ({SCENARIO}): median {np.median(list(figs.values())):.2f} s per figure, slowest "
                   f"{figs[worst]:.2f} s ({worst}); " + "; ".join(
                       f"animation {k}: {v[0] * 1e3:.1f} ms per further frame (update, blit, palette, GIF), "
                       f"setup {v[3]:.2f} s, {v[2]:.2f} s for {v[1]} frames" for k, v in sc["frames"].items())
                   + ".")
    return out


def markdown(rows, starts: dict, torch_note: str, rss_mb: float, seconds: float, scenario=None) -> str:
    sl = slopes(rows)
    fmt = lambda v: "—" if v is None else f"{v:.2f}"  # noqa: E731
    parts = [f"Machine: {machine()}.", "", table(rows), "",
             "Fitted log-log slopes of step time: " + "; ".join(
                 f"{'all stats' if k == 'all' else 'no stats'}: width {fmt(v['width'])}, depth {fmt(v['depth'])},"
                 f" batch {fmt(v['batch'])}" for k, v in sl.items()) + ".", ""]
    for dt, st in starts.items():
        cold = (f"{st['cold']['total']:.1f} s" if st["cold"] else "not measured (--quick)")
        parts.append(f"Start, {dt}: cold (empty numba cache, compiling) {cold}, warm "
                     f"(imports + cache load + two steps) {st['warm']['total']:.2f} s "
                     f"(imports {st['warm']['import']:.2f} s); peak RSS {st['warm']['rss_mb']:.0f} MB.")
    if scenario is not None:
        parts += [""] + scenario_lines(scenario)
    parts += ["", f"{torch_note} Peak RSS of the benchmark process: {rss_mb:.0f} MB; "
              f"the run took {seconds:.0f} s. Ratios come from one process, engines interleaved round by "
              "round, medians over rounds; absolute times depend on the machine's load."]
    return "\n".join(parts)


def write_readme(path: Path, text: str) -> None:
    src = path.read_text(encoding="utf-8")
    if START not in src or END not in src:
        raise SystemExit(f"{path}: no {START} … {END} markers (README section 'Performance')")
    a, b = src.index(START) + len(START), src.index(END)
    with atomic_open(path, "w", encoding="utf-8") as fh:
        fh.write(src[:a] + "\n" + text + "\n" + src[b:])
