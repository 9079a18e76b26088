"""Shared fixtures: synthetic Recordings with the simulator's exact contract, no numba.

Every array the simulator writes (``gradviz.quantities.declared("training")``,
with its declared axes) is built here from closed-form curves plus a seeded
RNG, so figure tests run in milliseconds and can stage cases that are hard to
get from a real run:

* ``vanishing``  tanh net, one variant whose gradients shrink 10x every few layers
* ``exploding``  gradients growing toward the input; one variant stops early
* ``nan``        one variant diverges: Inf/NaN at one record, nothing after
* ``zeros``      every statistic exactly 0 (log of 0 everywhere)
* ``one_record`` only the step-0 record
* ``one_layer``  ``depth = 0``: the output layer is the only layer
* ``one_variant``
* ``relu``       ReLU net (saturation is NaN, dead units instead)
* ``boundary``   2-D data with decision-boundary grids and training points
* ``surface``    an optimizer race on the Rosenbrock surface (kind "surface")

Fixtures: ``recs(kind, **overrides)`` (cached per module), ``make_recording``
(the builder itself, uncached), ``precision_data`` (small but complete data
for every precision figure), ``tiny`` (the text of a scenario that renders in
seconds: two variants, a figure and an animation in two formats).
"""
from __future__ import annotations

import numpy as np
import pytest

from gradviz.quantities import declared
from gradviz.record import Recording

LAYER = ("variant", "record", "layer")
SERIES = ("variant", "record")
TRACE = ("variant", "step")
HIST = ("variant", "record", "layer", "bin")


def _variant(label, ratio=1.0, stop_epoch=-1, diverge_record=-1, lr=0.05,
             lr_decay=1.0, clip=None, loss_end=0.15, overfit=False, zero=False,
             batchnorm=False):
    return dict(label=label, ratio=ratio, stop_epoch=stop_epoch,
                diverge_record=diverge_record, lr=lr, lr_decay=lr_decay, clip=clip,
                loss_end=loss_end, overfit=overfit, zero=zero, batchnorm=batchnorm)


PRESETS = {
    "vanishing": [_variant("gaussian σ=0.05", ratio=0.25, loss_end=0.9),
                  _variant("glorot", ratio=0.9, loss_end=0.12)],
    "exploding": [_variant("normal N(0,1)", ratio=4.0, loss_end=0.7, clip=1.0),
                  _variant("he", ratio=1.1, loss_end=0.1, clip=1.0),
                  _variant("glorot + early stop", ratio=0.95, loss_end=0.1, stop_epoch=6,
                           overfit=True, clip=1.0)],
    "nan": [_variant("lr 0.05", ratio=1.0, loss_end=0.15),
            _variant("lr 5 (diverges)", ratio=2.0, diverge_record=6, lr=5.0)],
    "zeros": [_variant("all zero", zero=True), _variant("also zero", zero=True)],
    "one_record": [_variant("normal", ratio=3.0), _variant("glorot", ratio=0.9)],
    "one_layer": [_variant("logistic", ratio=1.0), _variant("logistic, lr 0.5", lr=0.5)],
    "one_variant": [_variant("only variant", ratio=0.7)],
    "relu": [_variant("he", ratio=1.0, lr_decay=0.98), _variant("uniform", ratio=0.5, lr_decay=0.9)],
    "activations": [_variant("sigmoid", ratio=0.5), _variant("tanh", ratio=0.9),
                    _variant("relu", ratio=1.0)],
    "boundary": [_variant("depth 2", ratio=1.0), _variant("depth 8, no norm", ratio=0.3, loss_end=0.6),
                 _variant("depth 8 + batch norm", ratio=1.0, batchnorm=True)],
}


#: the image of [-6, 6] under each activation: the simulator's activation-histogram range
ACT_RANGE = {"tanh": (-1.0, 1.0), "sigmoid": (0.0, 1.0), "relu": (0.0, 6.0), "linear": (-6.0, 6.0)}


def make(kind: str = "vanishing", *, records: int = 11, every: int = 20, depth: int = 6,
         bins: int = 40, samples: int = 600, steps_per_epoch: int = 20, classes: int = 3,
         activation: str | None = None, seed: int = 0, validation: bool = True,
         variants: list[dict] | None = None) -> Recording:
    """A synthetic Recording with the simulator's names, axes and NaN conventions."""
    if kind == "surface":
        return make_surface(seed=seed)
    specs = variants if variants is not None else PRESETS[kind]
    if kind == "one_record":
        records = 1
    if kind == "one_layer":
        depth = 0
    if activation is None:
        activation = {"relu": "relu", "activations": ["sigmoid", "tanh", "relu"]}.get(kind, "tanh")
    rng = np.random.default_rng(seed)
    V, R, L = len(specs), records, depth + 1
    steps = np.arange(R, dtype=np.int64) * every
    total = int(steps[-1])
    epochs = steps / steps_per_epoch
    rec = Recording()
    values = {}

    def put(name, arr, axes):
        values[name] = (np.asarray(arr), tuple(axes))

    labels = [s["label"] for s in specs]

    # ---- when each variant stops ------------------------------------------------
    stop_step = np.full(V, total, dtype=np.int64)
    first_nonfinite = np.full(V, -1, dtype=np.int64)
    early_stop_epoch = np.full(V, -1, dtype=np.int64)
    best_epoch = np.full(V, -1, dtype=np.int64)
    for v, s in enumerate(specs):
        if s["stop_epoch"] >= 0 and s["stop_epoch"] * steps_per_epoch < total:
            early_stop_epoch[v] = s["stop_epoch"]
            stop_step[v] = s["stop_epoch"] * steps_per_epoch
        if 0 <= s["diverge_record"] < R:
            first_nonfinite[v] = steps[s["diverge_record"]]
            stop_step[v] = steps[s["diverge_record"]]
    reached = steps[None, :] <= stop_step[:, None]

    # ---- per-layer statistics ---------------------------------------------------------
    frac = np.linspace(0, 1, R) if R > 1 else np.zeros(1)
    lay = np.arange(L)
    shape = (V, R, L)
    grad_w = np.empty(shape)
    delta_rms = np.empty(shape)
    pre_std = np.empty(shape)
    pre_mean = np.empty(shape)
    w_norm = np.empty(shape)
    upd = np.empty(shape)
    for v, s in enumerate(specs):
        depth_factor = s["ratio"] ** (depth - lay)             # output layer = 1
        for r in range(R):
            drift = 1.0 + 0.6 * frac[r] * (lay / max(depth, 1))
            g = 0.05 * depth_factor * (1 - 0.5 * frac[r]) * drift
            grad_w[v, r] = g
            delta_rms[v, r] = g / 8.0
            if s["batchnorm"]:
                pre_std[v, r] = 1.0
                pre_mean[v, r] = 0.0
            else:
                pre_std[v, r] = 1.6 * s["ratio"] ** (lay * 0.6) * (1 + 0.8 * frac[r])
                pre_mean[v, r] = 0.8 * frac[r] * np.sin(lay + 1)
            w_norm[v, r] = 5.0 * (1 + 0.1 * frac[r]) * np.ones(L)
            upd[v, r] = 1e-3 * s["lr"] / 0.05 * depth_factor ** 0.5 * (1 - 0.5 * frac[r])
    upd[:, -1, :] = np.nan                                  # no update after the final record

    # ---- histogram samples -----------------------------------------------------------
    acts = list(activation) if isinstance(activation, (list, tuple)) else [activation] * V
    act_edges_v = np.stack([np.linspace(*ACT_RANGE.get(a, (0.0, 4.0)), bins + 1) for a in acts])
    pre_edges = np.linspace(-6, 6, bins + 1)
    delta_edges = np.linspace(-12, 2, bins + 1)
    H = (V, R, L, bins)
    hist = {n: np.zeros(H) for n in ("hist_act", "hist_pre", "hist_delta")}
    side = {f"{n}_{k}": np.zeros(shape) for n in ("hist_act", "hist_pre", "hist_delta")
            for k in ("under", "over", "nonfinite")}
    delta_zero = np.zeros(shape)
    act_mean, act_std = np.zeros(shape), np.zeros(shape)
    p15, p50, p85 = np.zeros(shape), np.zeros(shape), np.zeros(shape)
    saturation = np.full(shape, np.nan)
    dead = np.zeros(shape)
    nonfinite = np.zeros(shape)
    z = rng.standard_normal(samples)
    z2 = rng.standard_normal(samples)

    def phi(x, activation):
        if activation == "tanh":
            return np.tanh(x)
        if activation == "sigmoid":
            return 1 / (1 + np.exp(-x))
        if activation == "relu":
            return np.maximum(x, 0.0)
        return x

    def count(name, v, r, l, x, edges):
        fin = np.isfinite(x)
        hist[name][v, r, l] = np.histogram(x[fin], edges)[0]
        side[f"{name}_under"][v, r, l] = np.sum(x[fin] < edges[0])
        side[f"{name}_over"][v, r, l] = np.sum(x[fin] > edges[-1])
        side[f"{name}_nonfinite"][v, r, l] = np.sum(~fin)

    for v, s in enumerate(specs):
        activation, act_edges = acts[v], act_edges_v[v]
        for r in range(R):
            for l in range(L):
                pre = pre_mean[v, r, l] + pre_std[v, r, l] * z
                act = phi(pre, activation) if l < depth else pre
                d = delta_rms[v, r, l] * z2
                with np.errstate(divide="ignore"):
                    logd = np.where(d == 0, np.nan, np.log10(np.abs(d)))
                count("hist_pre", v, r, l, pre, pre_edges)
                count("hist_act", v, r, l, act, act_edges)
                fin = np.isfinite(logd)
                hist["hist_delta"][v, r, l] = np.histogram(logd[fin], delta_edges)[0]
                side["hist_delta_under"][v, r, l] = np.sum(logd[fin] < delta_edges[0])
                side["hist_delta_over"][v, r, l] = np.sum(logd[fin] > delta_edges[-1])
                delta_zero[v, r, l] = np.sum(d == 0)
                act_mean[v, r, l], act_std[v, r, l] = act.mean(), act.std()
                p15[v, r, l], p50[v, r, l], p85[v, r, l] = np.percentile(pre, [15, 50, 85])
                if l < depth and activation in ("tanh", "sigmoid"):
                    saturation[v, r, l] = np.mean(np.abs(np.tanh(pre)) > 0.97)
                dead[v, r, l] = np.mean(act == 0)

    # ---- losses and traces ---------------------------------------------------------
    n_trace = total + 1
    tsteps = np.arange(n_trace)
    tfrac = tsteps / max(total, 1)
    series = {n: np.zeros((V, R)) for n in ("loss", "acc", "val_loss", "val_acc", "lr",
                                            "grad_norm", "grad_norm_clipped", "epoch")}
    traces = {n: np.zeros((V, n_trace)) for n in ("trace_loss", "trace_grad_norm",
                                                 "trace_grad_norm_clipped", "trace_lr")}
    loss0 = np.log(classes)
    for v, s in enumerate(specs):
        lr = s["lr"] * s["lr_decay"] ** (tsteps / steps_per_epoch)
        curve = s["loss_end"] + (loss0 - s["loss_end"]) * np.exp(-5 * tfrac)
        noise = np.exp(0.15 * rng.standard_normal(n_trace))
        tl = curve * noise
        val = s["loss_end"] * 1.15 + (loss0 - s["loss_end"]) * np.exp(-5 * tfrac)
        if s["overfit"]:
            val = val + 0.6 * np.clip(tfrac - 0.3, 0, None) ** 2 * 3
        gn = np.sqrt(np.sum(grad_w[v, 0] ** 2)) * (1 + 0.5 * np.abs(rng.standard_normal(n_trace)))
        gn = gn * (1 - 0.5 * tfrac)
        if s["diverge_record"] >= 0:
            d = int(first_nonfinite[v])
            grow = np.exp(np.clip(tsteps - d + 30, 0, None) / 4.0)
            tl = tl * grow
            gn = gn * grow
            tl[d] = np.inf
            gn[d] = np.inf
        clip = s["clip"]
        gnc = np.minimum(gn, clip) if clip else gn.copy()
        traces["trace_loss"][v] = tl
        traces["trace_grad_norm"][v] = gn
        traces["trace_grad_norm_clipped"][v] = gnc
        traces["trace_lr"][v] = lr
        idx = steps
        series["loss"][v] = tl[idx]
        series["acc"][v] = np.clip(1 - tl[idx] / loss0 * (1 - 1 / classes)
                                   + 0.03 * rng.standard_normal(R), 0, 1)
        series["val_loss"][v] = val[idx]
        series["val_acc"][v] = np.clip(1 - val[idx] / loss0 * (1 - 1 / classes), 0, 1)
        series["lr"][v] = lr[idx]
        series["grad_norm"][v] = gn[idx]
        series["grad_norm_clipped"][v] = gnc[idx]
        series["epoch"][v] = epochs
        if validation:
            ve = series["val_loss"][v][reached[v]]
            best_epoch[v] = int(round(epochs[reached[v]][int(np.nanargmin(ve))]))
        if s["zero"]:
            for arr in (grad_w, delta_rms, pre_std, pre_mean, w_norm, act_mean, act_std,
                        p15, p50, p85, dead):
                arr[v] = 0.0
            upd[v, :-1] = 0.0
            if acts[v] in ("tanh", "sigmoid"):
                saturation[v, :, :depth] = 0.0
            for n in ("loss", "val_loss", "lr", "grad_norm", "grad_norm_clipped"):
                series[n][v] = 0.0
            for n in traces:
                traces[n][v] = 0.0
            for n in ("hist_pre", "hist_act"):
                hist[n][v] = 0.0
                mid = np.searchsorted(pre_edges if n == "hist_pre" else act_edges_v[v], 0.0) - 1
                hist[n][v, :, :, max(mid, 0)] = samples
            hist["hist_delta"][v] = 0.0
            for k in ("under", "over", "nonfinite"):
                side[f"hist_delta_{k}"][v] = 0.0
            delta_zero[v] = samples
    if not validation:
        series["val_loss"][:] = np.nan
        series["val_acc"][:] = np.nan

    # ---- divergence: Inf/NaN at the divergent record ---------------------------------
    for v, s in enumerate(specs):
        r = s["diverge_record"]
        if 0 <= r < R:
            grad_w[v, r, : max(L // 2, 1)] = np.inf
            grad_w[v, r, max(L // 2, 1):] = np.nan
            delta_rms[v, r, :] = np.nan
            upd[v, r, :] = np.nan
            nonfinite[v, r, :] = samples
            for n in ("loss", "val_loss", "grad_norm", "grad_norm_clipped"):
                series[n][v, r] = np.inf if n != "val_loss" else np.nan
            series["acc"][v, r] = np.nan
            series["val_acc"][v, r] = np.nan
            side["hist_delta_nonfinite"][v, r] = samples
            hist["hist_delta"][v, r] = 0
            pre_std[v, r] = np.inf

    # ---- NaN after each variant's last step ---------------------------------------------
    def blank(arr):
        arr = np.array(arr, dtype=float)
        mask = ~reached
        arr[mask] = np.nan
        return arr

    after = tsteps[None, :] > stop_step[:, None]
    for n in traces:
        traces[n][after] = np.nan

    for name, arr in [("act_mean", act_mean), ("act_std", act_std), ("pre_mean", pre_mean),
                      ("pre_std", pre_std), ("pre_p15", p15), ("pre_p50", p50),
                      ("pre_p85", p85), ("saturation", saturation), ("dead", dead),
                      ("delta_rms", delta_rms), ("grad_w_norm", grad_w), ("w_norm", w_norm),
                      ("update_ratio", upd), ("nonfinite", nonfinite)]:
        put(name, blank(arr), LAYER)
    for name, arr in series.items():
        put(name, blank(arr), SERIES)
    for name, arr in hist.items():
        a = np.array(arr)
        a[~reached] = np.nan
        put(name, a, HIST)
    for name, arr in side.items():
        put(name, blank(arr), LAYER)
    put("hist_delta_zero", blank(delta_zero), LAYER)
    # exact-zero weight gradients: as many as the delta histogram's zeros
    put("grad_zero", blank(np.asarray(delta_zero, dtype=float) / samples), LAYER)
    put("loss_scale", blank(np.ones(series["loss"].shape)), SERIES)
    put("hist_act_edges", act_edges_v, ("variant", "edge"))
    put("hist_pre_edges", np.tile(pre_edges, (V, 1)), ("variant", "edge"))
    put("hist_delta_edges", np.tile(delta_edges, (V, 1)), ("variant", "edge"))
    for name, arr in traces.items():
        put(name, arr, TRACE)
    put("first_nonfinite_step", first_nonfinite, ("variant",))
    put("stop_step", stop_step, ("variant",))
    put("early_stop_epoch", early_stop_epoch, ("variant",))
    put("best_epoch", best_epoch, ("variant",))

    # per-step arrays the synthetic curves do not model: no skipped steps, loss scale 1
    put("skipped", blank(np.zeros(series["loss"].shape)), SERIES)
    put("trace_skipped", np.where(after, np.nan, 0.0), TRACE)
    put("trace_loss_scale", np.where(after, np.nan, 1.0), TRACE)
    acc_trace = np.clip(1 - traces["trace_loss"] / loss0 * (1 - 1 / classes), 0, 1)
    put("trace_acc", np.where(np.isfinite(traces["trace_loss"]), acc_trace, np.nan), TRACE)
    _assemble(rec, values, {"variant": V, "record": R, "layer": L, "bin": bins, "edge": bins + 1,
                            "step": n_trace})

    overrides = [{"model.init": s["label"]} for s in specs]
    clip = next((s["clip"] for s in specs if s["clip"]), None)
    rec.meta.update(
        labels=labels, steps=[int(x) for x in steps], epochs=[float(e) for e in epochs],
        title=f"Synthetic {kind}", description=f"A synthetic '{kind}' recording for tests.",
        activation=acts if len(set(acts)) > 1 else acts[0], depth=depth, data_dim=2, classes=classes,
        version="test",
        seed=seed, steps_per_epoch=steps_per_epoch, total_steps=total,
        variant_overrides=overrides, kind="training", dtypes=["float64"] * len(labels),
    )
    if clip:
        rec.meta["clip_norm"] = clip

    if kind == "boundary":
        _add_boundary(rec, rng, reached, classes)
    return rec


def make_seeded(kind: str = "vanishing", seeds: int = 3, **kw) -> Recording:
    """``make(kind)`` repeated over ``seeds`` seeds with the seed axis of the contract
    (right after ``variant``; histogram edges keep ("variant", "edge")). Seed k's
    losses are scaled by (1 + 0.2 k), so the median is seed 1's and the quartiles known."""
    runs = [make(kind, seed=k, **kw) for k in range(seeds)]
    for k, r in enumerate(runs):
        for name in ("loss", "val_loss", "trace_loss"):
            r.arrays[name] = r.arrays[name] * (1 + 0.2 * k)
    out = Recording(meta=dict(runs[0].meta))
    for name, axes in runs[0].axes.items():
        if axes[:1] == ("variant",) and not name.endswith("_edges"):
            out.add(name, np.stack([r.get(name) for r in runs], axis=1), ("variant", "seed") + axes[1:])
        else:
            out.add(name, runs[0].get(name), axes)
    return out


def _assemble(rec: Recording, values: dict, dims: dict) -> None:
    """Every quantity the simulator writes, with its declared axes (gradviz.quantities);
    one the synthetic curves do not model is NaN, as for a run where it is undefined
    (the float16 rounding counters of a float64 run)."""
    for q in declared("training"):
        arr, axes = values.pop(q.name, (None, q.axes))
        assert axes == q.axes, f"{q.name}: synthetic axes {axes}, declared {q.axes}"
        rec.add(q.name, arr if arr is not None else np.full([dims[a] for a in q.axes], np.nan), q.axes)
    assert not values, f"synthetic arrays not declared in gradviz.quantities: {sorted(values)}"


def _add_boundary(rec: Recording, rng, reached, classes: int, grid: int = 72) -> None:
    """Three-arm spiral data and a boundary that sharpens over training."""
    V, R = reached.shape
    n = 240
    cls = np.repeat(np.arange(classes), n // classes)
    t = rng.uniform(0.15, 1.0, cls.size)
    ang = 4.0 * t + cls * 2 * np.pi / classes
    x = np.stack([t * np.cos(ang), t * np.sin(ang)], 1) + 0.05 * rng.standard_normal((cls.size, 2))
    xs = np.linspace(-1.2, 1.2, grid)
    ys = np.linspace(-1.1, 1.1, grid - 8)
    gx, gy = np.meshgrid(xs, ys)
    rad = np.hypot(gx, gy)
    theta = np.arctan2(gy, gx)
    bclass = np.zeros((V, R, ys.size, xs.size), dtype=np.int8)
    bconf = np.full((V, R, ys.size, xs.size), np.nan, dtype=np.float32)
    for v in range(V):
        twist = [4.0, 1.5, 4.0][v % 3]
        for r in range(R):
            f = (r + 1) / R
            phase = theta - f * twist * rad
            score = np.stack([np.cos(phase - k * 2 * np.pi / classes) for k in range(classes)], 0)
            sharp = 1 + 8 * f
            p = np.exp(sharp * score)
            p /= p.sum(0)
            bclass[v, r] = p.argmax(0)
            bconf[v, r] = p.max(0)
            if not reached[v, r]:
                bconf[v, r] = np.nan
                bclass[v, r] = 0
    rec.add("boundary_class", bclass, ("variant", "record", "gy", "gx"))
    rec.add("boundary_conf", bconf, ("variant", "record", "gy", "gx"))
    rec.add("boundary_xs", xs, ("gx",))
    rec.add("boundary_ys", ys, ("gy",))
    rec.add("train_x", x, ("sample", "feature"))
    rec.add("train_y", cls, ("sample",))


def rosenbrock(x, y):
    return (1 - x) ** 2 + 100 * (y - x * x) ** 2


def make_surface(seed: int = 0, steps: int = 200, diverge: bool = True) -> Recording:
    """Optimizers on the Rosenbrock surface, shaped like ``gradviz.engine.surfaces.race``.

    ``path`` is ``[variant, step, coord]`` for steps ``0..steps``; a variant that
    blows up keeps its first non-finite point and NaN after it.
    """
    xs = np.linspace(-2.0, 2.0, 161)
    ys = np.linspace(-1.0, 3.0, 161)
    gx, gy = np.meshgrid(xs, ys)
    z = rosenbrock(gx, gy)

    def grad(p):
        x, y = p
        return np.array([-2 * (1 - x) - 400 * x * (y - x * x), 200 * (y - x * x)])

    def sgd(p, g, s, k):
        return p - 1e-3 * g

    def momentum(p, g, s, k):
        s["v"] = 0.9 * s.get("v", 0) - 1e-3 * g
        return p + s["v"]

    def adam(p, g, s, k):
        s["m"] = 0.9 * s.get("m", 0) + 0.1 * g
        s["u"] = 0.999 * s.get("u", 0) + 0.001 * g * g
        mh = s["m"] / (1 - 0.9 ** (k + 1))
        uh = s["u"] / (1 - 0.999 ** (k + 1))
        return p - 0.05 * mh / (np.sqrt(uh) + 1e-8)

    def big(p, g, s, k):
        return p - 0.01 * g

    runs = [("SGD η=0.001", sgd, 1e-3), ("momentum γ=0.9", momentum, 1e-3), ("Adam η=0.05", adam, 0.05)]
    if diverge:
        runs.append(("SGD η=0.01 (diverges)", big, 0.01))
    V = len(runs)
    path = np.full((V, steps + 1, 2), np.nan)
    ploss = np.full((V, steps + 1), np.nan)
    lrs = np.full((V, steps + 1), np.nan)
    gnorm = np.full((V, steps + 1), np.nan)
    first = np.full(V, -1, dtype=np.int64)
    for v, (_, update, lr) in enumerate(runs):
        p = np.array([-1.5, 2.0])
        state = {}
        for k in range(steps + 1):
            path[v, k] = p
            with np.errstate(over="ignore", invalid="ignore"):
                ploss[v, k] = rosenbrock(p[0], p[1])
            if not (np.all(np.isfinite(p)) and np.isfinite(ploss[v, k])):
                first[v] = k
                break
            if k == steps:
                break
            g = grad(p)
            gnorm[v, k] = np.linalg.norm(g)
            lrs[v, k] = lr
            with np.errstate(over="ignore", invalid="ignore"):
                p = update(p, g, state, k)
    labels = [r[0] for r in runs]
    rec = Recording()
    rec.add("path", path, ("variant", "step", "coord"))
    rec.add("path_loss", ploss, ("variant", "step"))
    rec.add("trace_lr", lrs, ("variant", "step"))
    rec.add("trace_grad_norm", gnorm, ("variant", "step"))
    rec.add("first_nonfinite_step", first, ("variant",))
    rec.add("surface_xs", xs, ("gx",))
    rec.add("surface_ys", ys, ("gy",))
    rec.add("surface_z", z, ("gy", "gx"))
    rec.meta.update(labels=labels, steps=list(range(steps + 1)), title="Synthetic surface race",
                    description="Optimizers on the Rosenbrock function.", kind="surface",
                    surface="rosenbrock", surface_formula="(1 − x)² + 100 (y − x²)²",
                    surface_minimum=[1.0, 1.0], version="test", seed=seed,
                    variant_overrides=[{"train.optimizer": l} for l in labels])
    return rec


#: the `tiny` fixture's scenario; tests vary it with str.replace
TINY = """
title = "tiny"
seed = 2
[data]
kind = "moons"
samples = 120
[model]
depth = 3
width = 8
[train]
epochs = 2
batch_size = 32
[record]
every = 2
[compare]
key = "model.init"
values = ["normal", "glorot"]
[render]
figures = ["grad_norms"]
animations = ["heatmap_anim"]
animation_formats = ["gif", "webp"]
"""


ALL_KINDS = ("vanishing", "exploding", "nan", "zeros", "one_record", "one_layer",
             "one_variant", "relu", "boundary", "surface")


# -- fixtures ------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def recs():
    cache = {}

    def get(kind, **kw):
        key = (kind, tuple(sorted(kw.items())))
        if key not in cache:
            cache[key] = make(kind, **kw)
        return cache[key]
    return get


@pytest.fixture
def make_recording():
    return make


@pytest.fixture
def make_seeded_recording():
    return make_seeded


@pytest.fixture(scope="session")
def precision_data():
    """Small but complete data for every precision figure (renders in a few seconds)."""
    from gradviz import numerics as nx

    absorption = nx.absorption(x=np.logspace(-6, 12, 91))
    return {
        "absorption": absorption,
        "absorption_bits": absorption,      # the bit diagram draws the absorption experiment
        "spacing": nx.spacing(),
        "summation": nx.summation(n_max={"float16": 3000, "float32": 20_000},
                                  kahan_max_n={"float16": 3000, "float32": 5000}),
        "cancellation": nx.cancellation(x=np.logspace(-20, 0, 121), var_n_max=2000),
        "overflow": nx.overflow(s=np.logspace(-1, 3, 161), x=np.linspace(0, 45, 181)),
    }


@pytest.fixture
def tiny() -> str:
    return TINY
