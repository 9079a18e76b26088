"""Whole-scenario rows of the benchmark: one bundled scenario's jobs
(variant x seed) on 1 and on 2 workers, with the results compared to the
byte, and the drawing time of its figures and animation frames (warm:
matplotlib loaded, each figure drawn once before it is timed)."""
from __future__ import annotations

import tempfile
import time
from pathlib import Path

import numpy as np

SCENARIO = "initialization"  # 5 variants x 5 seeds: 25 independent jobs
# shrunk so that the serial run takes seconds; QUICK for tests and previews
FULL = {"seeds": 2, "train.epochs": 4}
QUICK = {"seeds": 1, "train.epochs": 1, "model.width": 8, "data.samples": 200}


def _scenario(overrides: dict):
    from ..api import load_scenario

    return load_scenario(SCENARIO).with_overrides(overrides)


def workers(overrides: dict, rounds: int) -> dict:
    """Median seconds of simulate() on 1 and on 2 workers (interleaved),
    and whether every recorded array is byte-identical between the two."""
    from ..engine.simulation import simulate

    sc = _scenario(overrides)
    simulate(sc, workers=1)  # compile (or load) and warm up
    got = {1: [], 2: []}
    recs = {}
    for _ in range(rounds):
        for w in (1, 2):
            t = time.perf_counter()
            recs[w] = simulate(sc, workers=w)
            got[w].append(time.perf_counter() - t)
    a, b = recs[1].arrays, recs[2].arrays
    same = a.keys() == b.keys() and all(
        a[k].dtype == b[k].dtype and a[k].shape == b[k].shape and a[k].tobytes() == b[k].tobytes() for k in a)
    return {"serial": float(np.median(got[1])), "parallel": float(np.median(got[2])), "identical": same,
            "arrays": len(a), "jobs": len(sc.expand()) * sc.seeds, "recording": recs[1], "scenario": sc}


def drawing(rec, sc) -> dict:
    """Warm seconds per figure (composed and saved as PNG) and per animation
    frame (GIF, encoded as the CLI encodes it) of the scenario's own lists.

    ``frames[name]`` is ``(per_frame, n_frames, total, setup)``: ``per_frame`` is
    what one more frame costs (its update, blit, palette mapping and its share
    of the GIF encoding); ``setup`` is paid once per animation (composing the
    figure and its layout, the one full draw of the static parts, the palette);
    ``total`` is the whole call. With a handful of records the setup dominates
    ``total / n_frames``, so the two are reported apart.
    """
    from ..animations import render_animations
    from ..api import figure

    per_figure = {}
    frames = {}
    r = sc.render
    with tempfile.TemporaryDirectory(prefix="gradviz-bench-") as tmp:
        for name in r.figures:
            figure(rec, name).save(Path(tmp) / f"{name}.png")  # warm: fonts, caches
            t = time.perf_counter()
            figure(rec, name).save(Path(tmp) / f"{name}.png")
            per_figure[name] = time.perf_counter() - t
        for name in r.animations:
            def run():
                return render_animations(rec, tmp, [name], fmt="gif", fps=r.fps, size=r.size, dpi=r.dpi,
                                         lang=r.lang)[0]
            run()
            t = time.perf_counter()
            out = run()
            total = time.perf_counter() - t
            n, sec = max(out.extra["frames"], 1), out.extra["seconds"]
            frames[name] = ((sec["frames"] + sec["encode"]) / n, out.extra["frames"], total,
                            sec["build"] + sec["static"] + sec["palette"])
    return {"figures": per_figure, "frames": frames}


def measure(quick: bool, rounds: int) -> dict:
    w = workers(QUICK if quick else FULL, rounds)
    d = drawing(w.pop("recording"), w.pop("scenario"))
    return {**w, **d}
