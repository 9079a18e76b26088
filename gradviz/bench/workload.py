"""One gradviz network of a benchmark size and its timed training steps.

The setting is issue 9's: tanh, SGD, Glorot-normal weights, random
Gaussian inputs with ten classes, float32 or float64, 1 BLAS thread."""
from __future__ import annotations

import time
from dataclasses import dataclass
from types import SimpleNamespace

import numpy as np

from ..engine import kernels as K
from ..engine.net import Net, build_layout, hist_ranges, init_theta
from ..names import ACTIVATIONS, OPTIMIZERS

D_IN, CLASSES, SAMPLES, BINS, LR = 16, 10, 2048, 50, 0.01


@dataclass
class Size:
    depth: int
    width: int
    batch: int
    dtype: str

    @property
    def label(self) -> str:
        return f"{self.depth}×{self.width}×{self.batch} {self.dtype}"

    def flops(self) -> float:
        """Multiply-adds ×2 of one step's three GEMMs per layer (forward,
        dL/dW, dL/dh; the first layer has no dL/dh)."""
        sizes = [D_IN] + [self.width] * self.depth + [CLASSES]
        f = 0.0
        for l in range(len(sizes) - 1):
            f += 2.0 * self.batch * sizes[l] * sizes[l + 1] * (3 if l > 0 else 2)
        return f


class Workload:
    """A network, its data and the recording buffers of ``steps`` steps."""

    def __init__(self, size: Size, seed: int = 0):
        self.size = size
        dt = np.dtype(size.dtype)
        rng = np.random.default_rng(seed)
        self.x = rng.standard_normal((SAMPLES, D_IN)).astype(dt)
        self.y = rng.integers(0, CLASSES, SAMPLES).astype(np.int64)
        self.layout = build_layout(D_IN, [size.width] * size.depth, CLASSES, False)
        model = SimpleNamespace(init="glorot", init_gain=1.0, init_std=None, bias_std=0.0, norm="none")
        self.theta0 = init_theta(self.layout, model, rng, dt)
        self.cfg = np.zeros(K.N_CFG, dtype=np.int64)
        self.cfg[K.C_ACT] = ACTIVATIONS.index("tanh")
        self.cfg[K.C_OPT] = OPTIMIZERS.index("sgd")
        self.hp = np.zeros(K.N_HP, dtype=dt)
        self.hp[K.H_KEEP_SCALE] = 1.0
        self.rng = rng
        self.net = Net(self.theta0.copy(), self.layout, self.cfg, self.hp, size.batch)

    def outputs(self, steps: int, slots: int):
        nl = len(self.layout)
        return SimpleNamespace(
            step_stats=np.full((slots, len(K.STEP_STATS)), np.nan),
            layer_stats=np.full((slots, nl, len(K.LAYER_STATS)), np.nan),
            hist=np.zeros((slots, nl, len(K.HISTS), BINS), dtype=np.int64),
            hist_extra=np.zeros((slots, nl, len(K.HISTS), len(K.HIST_EXTRA)), dtype=np.int64),
            hist_range=hist_ranges(self.layout, "tanh"), trace=np.full((steps + 1, len(K.STEP_STATS)), np.nan))

    def batches(self, steps: int) -> np.ndarray:
        return self.rng.integers(0, SAMPLES, (steps, self.size.batch)).astype(np.int64)

    def run(self, steps: int, every: int, idx=None, update: bool = True, out=None) -> float:
        """Seconds for ``steps`` steps recording every ``every`` steps (0: never)."""
        idx = self.batches(steps) if idx is None else idx
        slots = np.full(steps, -1, dtype=np.int64)
        if every:
            slots[::every] = np.arange(len(slots[::every]))
        out = out if out is not None else self.outputs(steps, max(1, int((slots >= 0).sum())))
        masks = np.zeros((steps, 0), dtype=np.uint8)
        lrs = np.full(steps, LR, dtype=self.theta0.dtype)
        t = time.perf_counter()
        self.net.train(self.x, self.y, idx, masks, lrs, slots, 0, update, out)
        return time.perf_counter() - t

    def recorded_step(self, idx_row: np.ndarray):
        """Statistics of one recorded step at the current weights (no update)."""
        out = self.outputs(1, 1)
        self.run(1, 1, idx=idx_row[None, :], update=False, out=out)
        return out


def gemm_time(size: Size, reps: int = 3) -> float:
    """Seconds numpy's GEMM takes for one step's products (the same shapes)."""
    dt = np.dtype(size.dtype)
    rng = np.random.default_rng(1)
    b, w = size.batch, size.width
    h = rng.standard_normal((b, w)).astype(dt)
    W = rng.standard_normal((w, w)).astype(dt)
    out = np.empty((b, w), dtype=dt)
    gw = np.empty((w, w), dtype=dt)
    best = np.inf
    for _ in range(reps):
        t = time.perf_counter()
        for _ in range(size.depth):
            np.dot(h, W, out)        # forward
            np.dot(h.T, out, gw)     # dL/dW
            np.dot(out, W.T, h)      # dL/dh
        best = min(best, time.perf_counter() - t)
    return best
