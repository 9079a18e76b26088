"""The timed comparisons of one size, interleaved round by round in this
process so that load from other programs hits every engine alike."""
from __future__ import annotations

import time

import numpy as np

from . import reference
from .workload import LR, Size, Workload, gemm_time

TARGET_SECONDS = 0.03  # per measurement and round, so small sizes get enough steps


def _steps_for(wl: Workload, every_step_seconds: float) -> int:
    """A multiple of 10 steps (every-10 recording needs whole periods)
    taking about TARGET_SECONDS without statistics."""
    return 10 * max(1, int(TARGET_SECONDS / max(10 * every_step_seconds, 1e-9)))


def _numpy_steps(wl: Workload, steps: int) -> float:
    theta = wl.net.theta.copy()
    out = wl.outputs(1, 1)
    idx = wl.batches(steps)
    t = time.perf_counter()
    for i in range(steps):
        reference.step(theta, wl.layout, wl.x[idx[i]], wl.y[idx[i]], LR, out.hist_range, out.hist.shape[-1])
    return time.perf_counter() - t


def measure(size: Size, rounds: int) -> dict:
    """Median seconds per step of each engine and mode, and the cross-check."""
    wl = Workload(size)
    wl.run(2, 1)  # compile (or load) and warm up
    wl.run(2, 0)
    t1 = wl.run(1, 0)
    steps = _steps_for(wl, t1)
    modes = {"all": 1, "every10": 10, "none": 0}
    got = {k: [] for k in (*modes, "numpy", "gemm")}
    for _ in range(rounds):
        for name, every in modes.items():
            wl.net.theta[:] = wl.theta0  # same weights each round: no drift into saturation
            got[name].append(wl.run(steps, every) / steps)
        got["numpy"].append(_numpy_steps(wl, steps) / steps)
        got["gemm"].append(gemm_time(size, reps=1))
    wl.net.theta[:] = wl.theta0
    med = {k: float(np.median(v)) for k, v in got.items()}
    med["steps"] = steps
    med["flops"] = size.flops()
    med["check"] = reference.cross_check(wl)
    return med
