"""One (variant, seed) job: its ensemble members trained chunk by chunk, with
the records, the early stopping and the evaluation the Recording needs.

Per-step Python work is O(1): minibatch rows come from the current epoch's
permutation (never a growing array), the next record is found by bisection,
and a chunk's length adapts so one kernel call lasts about ``CHUNK_SECONDS``
(Ctrl-C is honoured between calls; chunking never changes a result).
"""
from __future__ import annotations

import bisect
import math
import time
from dataclasses import dataclass, field

import numpy as np

from . import kernels as K
from .net import DYNAMIC_START, Net, build_layout, compute_dtype, hist_ranges, init_theta, kernel_config

# seed-stream purposes
DATA, INIT, BATCH, DROPOUT = range(4)
MASK_BYTES = 32 << 20  # dropout masks per chunk stay below this
MAX_CHUNK = 2000  # steps per kernel call at most
CHUNK_SECONDS = 0.25  # target duration of one kernel call
FIRST_CHUNK = 1  # steps of the first call, before any timing is known (then at most 8x per call)


def rng(seed: int, *key: int) -> np.random.Generator:
    return np.random.default_rng(np.random.SeedSequence([seed, *key]))


def stream(seed: int, member: int, purpose: int, repeat: int) -> np.random.Generator:
    """The init/batch/dropout stream of one member of one repeat (seed index)."""
    # repeat 0 keeps the single-seed key; k > 0 appends k (a longer key whose
    # last word is non-zero never collides with a shorter one)
    return rng(seed, member, purpose) if repeat == 0 else rng(seed, member, purpose, repeat)


def storage_dtype(model) -> np.dtype:
    """The dtype parameters are recorded in: the run's own (bfloat16, which numpy lacks, as float32)."""
    return np.dtype(np.float16) if model.dtype == "float16" else compute_dtype(model)


def lr_at(train, step: int, steps_per_epoch: int, total: int) -> float:
    """The learning rate of a step under the scenario's schedule."""
    epoch = step // steps_per_epoch
    lr = train.lr
    if train.lr_schedule == "exponential":
        lr *= train.lr_decay ** epoch
    elif train.lr_schedule == "step":
        lr *= train.lr_decay ** (epoch // train.lr_step)
    elif train.lr_schedule == "cosine":
        lr *= 0.5 * (1.0 + math.cos(math.pi * min(step, total) / total))
    if train.warmup:
        lr *= min(1.0, (step + 1) / train.warmup)
    return lr


@dataclass
class VariantRecord:
    """What one job records, before stacking into the Recording."""
    step_stats: np.ndarray
    layer_stats: np.ndarray
    hist: np.ndarray
    hist_extra: np.ndarray
    hist_range: np.ndarray
    trace: np.ndarray
    val: np.ndarray  # (R, 2): loss, acc of the (averaged) prediction
    member_val: np.ndarray  # (R, members, 2)
    train: np.ndarray | None = None  # (R, 2) ensembles: averaged prediction on the training split
    member_train: np.ndarray | None = None  # (R, members, 2)
    boundary: np.ndarray | None = None  # (R, gy, gx, 2): class, confidence
    params: dict = field(default_factory=dict)  # "weights_0", "bias_0", ... -> (R, ...)
    first_nonfinite_step: int = -1
    stop_step: int = 0
    early_stop_epoch: int = -1
    best_epoch: int = -1


def evaluate(probs: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    if len(y) == 0:
        return math.nan, math.nan
    with np.errstate(divide="ignore", invalid="ignore"):
        loss = float(-np.mean(np.log(probs[np.arange(len(y)), y].astype(np.float64))))
    acc = float(np.mean(np.argmax(probs, axis=1) == y))
    return loss, acc


def boundary_grid(ds, resolution: int, dtype=None):
    """The (resolution², 2) grid of the input plane around the training data (None if not 2-D)."""
    if resolution == 0 or ds.x_train.shape[1] != 2:
        return None
    lo = ds.x_train.min(axis=0)
    hi = ds.x_train.max(axis=0)
    pad = 0.1 * (hi - lo + 1e-12)
    xs = np.linspace(lo[0] - pad[0], hi[0] + pad[0], resolution)
    ys = np.linspace(lo[1] - pad[1], hi[1] + pad[1], resolution)
    gx, gy = np.meshgrid(xs, ys)
    return np.ascontiguousarray(np.column_stack([gx.ravel(), gy.ravel()]), dtype=dtype or ds.x_train.dtype)


class Orders:
    """Minibatch rows of one member: one permutation per epoch, drawn in epoch
    order from the member's batch stream; only the epochs still ahead are kept."""

    def __init__(self, generator, n: int, spe: int, batch: int):
        self.gen, self.n, self.spe, self.batch = generator, n, spe, batch
        self.perms: dict[int, np.ndarray] = {}
        self.drawn = 0

    def rows(self, start: int, count: int) -> np.ndarray:
        first, last = start // self.spe, (start + count - 1) // self.spe
        while self.drawn <= last:
            self.perms[self.drawn] = self.gen.permutation(self.n)[:self.spe * self.batch]
            self.drawn += 1
        for e in [e for e in self.perms if e < first]:
            del self.perms[e]
        lo = (start - first * self.spe) * self.batch
        hi = lo + count * self.batch
        flat = self.perms[first] if first == last else np.concatenate([self.perms[e] for e in range(first, last + 1)])
        return flat[lo:hi].reshape(count, self.batch)


def _empty_record(sc, layout, steps, total, members, with_grid) -> VariantRecord:
    R, nl, nan = len(steps), len(layout), np.nan
    out = VariantRecord(
        step_stats=np.full((R, len(K.STEP_STATS)), nan), layer_stats=np.full((R, nl, len(K.LAYER_STATS)), nan),
        hist=np.zeros((R, nl, len(K.HISTS), sc.record.bins), dtype=np.int64),
        hist_extra=np.zeros((R, nl, len(K.HISTS), len(K.HIST_EXTRA)), dtype=np.int64),
        hist_range=hist_ranges(layout, sc.model.activation), trace=np.full((total + 1, len(K.STEP_STATS)), nan),
        val=np.full((R, 2), nan), member_val=np.full((R, members, 2), nan))
    if members > 1:
        out.train, out.member_train = np.full((R, 2), nan), np.full((R, members, 2), nan)
    if with_grid:
        g = sc.record.boundary
        out.boundary = np.full((R, g, g, 2), nan, dtype=np.float32)
    if sc.record.weights:
        store = storage_dtype(sc.model)
        for l in range(nl):
            if sc.record.layers and l not in sc.record.layers:
                continue
            for name, shape in _param_shapes(layout[l]).items():
                out.params[f"{name}_{l}"] = np.full((R, *shape), nan, dtype=store)
    return out


def _param_shapes(row) -> dict:
    n_in, n_out = int(row[K.N_IN]), int(row[K.N_OUT])
    shapes = {"weights": (n_in, n_out), "bias": (n_out,)}
    if row[K.G_OFF] >= 0 and row[K.BE_OFF] >= 0:  # batch/layer norm
        shapes["gamma"], shapes["beta"] = (n_out,), (n_out,)
    elif row[K.G_OFF] >= 0:  # weight normalisation: g in gamma's slot, no beta
        shapes["g"] = (n_out,)
    return shapes


def _param_view(theta, row, name) -> np.ndarray:
    off = {"weights": K.W_OFF, "bias": K.B_OFF, "gamma": K.G_OFF, "beta": K.BE_OFF, "g": K.G_OFF}[name]
    start, n_out = int(row[off]), int(row[K.N_OUT])
    size = n_out * int(row[K.N_IN]) if name == "weights" else n_out
    return theta[start:start + size]


class VariantRun:
    """Train one variant's members under one repeat's streams; ``run(tick)``
    returns its VariantRecord. Member 0 records the per-step and per-layer
    statistics; every member enters the (averaged) evaluations."""

    def __init__(self, sc, ds, plan, steps, repeat: int = 0):
        m, self.sc = sc.model, sc
        dtype = compute_dtype(m)
        self.layout = layout = build_layout(ds.x_train.shape[1], sc.widths, ds.classes, m.norm)
        cfg, hp = kernel_config(sc, dtype)
        self.x = np.ascontiguousarray(ds.x_train, dtype=dtype)
        self.y = np.ascontiguousarray(ds.y_train, dtype=np.int64)
        self.xv = np.ascontiguousarray(ds.x_val, dtype=dtype)
        self.yv = ds.y_val.astype(np.int64)
        self.B, self.spe, self.T = plan["batch"], plan["spe"], plan["total"]
        self.steps, self.slot_of = list(steps), {s: i for i, s in enumerate(steps)}
        self.members = members = sc.train.ensemble
        self.grid = boundary_grid(ds, sc.record.boundary, dtype)  # in the run's dtype: predict needs it
        self.out = _empty_record(sc, layout, steps, self.T, members, self.grid is not None)
        # members > 0 train into one shared scratch record (they run one after another)
        self.scratch = _empty_record(sc, layout, [0], self.T, 1, False) if members > 1 else None
        self.nets, self.orders, self.mask_rngs = [], [], []
        for k in range(members):
            scale = sc.train.loss_scale
            if sc.train.loss_scaling == "dynamic" and scale == 1.0:
                scale = DYNAMIC_START
            theta = init_theta(layout, m, stream(sc.seed, k, INIT, repeat), dtype)
            self.nets.append(Net(theta, layout, cfg, hp, self.B, scale))
            self.orders.append(Orders(stream(sc.seed, k, BATCH, repeat), len(self.y), self.spe, self.B))
            self.mask_rngs.append(stream(sc.seed, k, DROPOUT, repeat))
        self.active = [True] * members
        self.best = [(math.inf, -1, None)] * members  # (val loss, epoch, snapshot)
        self.bad = [0] * members
        self.lrs = np.array([lr_at(sc.train, s, self.spe, self.T) for s in range(self.T + 1)], dtype=dtype)
        self.mask_cols = self.nets[0].mask_cols if m.dropout > 0 else 0
        self.max_chunk = max(1, min(MAX_CHUNK, MASK_BYTES // max(self.mask_cols, 1)))
        self.chunk = min(FIRST_CHUNK, self.max_chunk)

    # -- draws ------------------------------------------------------------------
    def masks(self, k: int, count: int) -> np.ndarray:
        if not self.mask_cols:
            return np.zeros((count, 0), dtype=np.uint8)
        return (self.mask_rngs[k].random((count, self.mask_cols)) >= self.sc.model.dropout).astype(np.uint8)

    def slots(self, step: int, count: int, k: int) -> np.ndarray:
        s = np.full(count, -1, dtype=np.int64)
        if k == 0 and step in self.slot_of:
            s[0] = self.slot_of[step]
        return s

    def next_slot(self, step: int) -> int:
        """The slot of the first record step after ``step`` (-1: none)."""
        i = bisect.bisect_right(self.steps, step)
        return i if i < len(self.steps) else -1

    # -- evaluation -------------------------------------------------------------
    def record_eval(self, slot: int) -> None:
        out, nets = self.out, self.nets
        probs = [net.predict(self.xv) for net in nets]
        for k, p in enumerate(probs):
            out.member_val[slot, k] = evaluate(p, self.yv)
        out.val[slot] = evaluate(np.mean(probs, axis=0), self.yv)
        if out.train is not None:  # ensembles: the averaged prediction's training loss
            probs = [net.predict(self.x) for net in nets]
            for k, p in enumerate(probs):
                out.member_train[slot, k] = evaluate(p, self.y)
            out.train[slot] = evaluate(np.mean(probs, axis=0), self.y)
        if self.grid is not None:
            gp = np.mean([net.predict(self.grid) for net in nets], axis=0)
            g = self.sc.record.boundary
            out.boundary[slot, :, :, 0] = np.argmax(gp, axis=1).reshape(g, g)
            out.boundary[slot, :, :, 1] = np.max(gp, axis=1).reshape(g, g)
        for key, arr in out.params.items():
            name, l = key.rsplit("_", 1)
            arr[slot] = _param_view(nets[0].theta_w, self.layout[int(l)], name).reshape(arr.shape[1:])

    def record_final(self, slot: int, step: int) -> None:
        """Statistics of member 0's current (final or restored) weights at ``slot``: no update."""
        self.record_eval(slot)
        self.nets[0].train(self.x, self.y, self.orders[0].rows(step, 1), self.masks(0, 1), self.lrs[step:step + 1],
                           np.array([slot], dtype=np.int64), step, False, self.out)

    # -- training -----------------------------------------------------------------
    def chunk_end(self, step: int) -> int:
        nxt = self.next_slot(step)
        end = min(self.steps[nxt] if nxt >= 0 else self.T, self.T, step + self.chunk)
        if self.sc.train.early_stopping:
            end = min(end, (step // self.spe + 1) * self.spe)
        return end

    def train_member(self, k: int, step: int, end: int) -> None:
        net, count = self.nets[k], end - step
        sink = self.out if k == 0 else self.scratch
        idx, masks = self.orders[k].rows(step, count), self.masks(k, count)
        done = net.train(self.x, self.y, idx, masks, self.lrs[step:end], self.slots(step, count, k), step, True, sink)
        if done == count:
            return
        nxt = self.next_slot(step)
        if k == 0 and self.slots(step, count, 0)[done] < 0 and nxt >= 0:
            # a divergent step that had no slot of its own: re-run it
            # (same state, rows and masks; no update) into the next slot
            net.train(self.x, self.y, idx[done:done + 1], masks[done:done + 1], self.lrs[step + done:step + done + 1],
                      np.array([nxt], dtype=np.int64), step + done, False, self.out)
        self.active[k] = False
        if k == 0:
            self.out.first_nonfinite_step = self.out.stop_step = step + done

    def epoch_end(self, step: int) -> None:
        """Early stopping after an epoch: stop a member whose validation loss
        has not improved for ``patience`` epochs and restore its best weights."""
        epoch, patience = step // self.spe, self.sc.train.early_stopping
        for k, net in enumerate(self.nets):
            if not self.active[k]:
                continue
            vloss = evaluate(net.predict(self.xv), self.yv)[0]
            if vloss < self.best[k][0]:
                self.best[k], self.bad[k] = (vloss, epoch, net.snapshot()), 0
                continue
            self.bad[k] += 1
            if self.bad[k] < patience:
                continue
            if self.best[k][2] is not None:  # never finite: nothing better to restore
                net.restore(self.best[k][2])
            self.active[k] = False
            if k == 0:
                self.out.early_stop_epoch, self.out.stop_step = epoch, step
                nxt = bisect.bisect_left(self.steps, step)
                self.record_final(nxt, step)  # the restored weights, at the first record from here
        self.out.best_epoch = self.best[0][1]

    def run(self, tick) -> VariantRecord:
        step = 0
        while step < self.T and any(self.active):
            end = self.chunk_end(step)
            if step in self.slot_of:
                self.record_eval(self.slot_of[step])
            started = time.perf_counter()
            for k in range(self.members):
                if self.active[k]:
                    self.train_member(k, step, end)
                    tick(end - step)
            self.adapt(end - step, time.perf_counter() - started)
            step = end
            if self.sc.train.early_stopping and step % self.spe == 0:
                self.epoch_end(step)
        if step == self.T and any(self.active):
            if self.active[0]:
                self.record_final(self.slot_of[self.T], self.T)  # the final weights, no update
                self.out.stop_step = self.T
            else:
                self.record_eval(self.slot_of[self.T])  # the other members ran on
        return self.out

    def adapt(self, count: int, seconds: float) -> None:
        """Next chunk length: about CHUNK_SECONDS per call, growing at most 8x."""
        if seconds > 0:
            self.chunk = int(min(self.max_chunk, 8 * count, max(1, count * CHUNK_SECONDS / seconds)))
        else:
            self.chunk = min(self.max_chunk, 8 * count)
