"""The benchmark's training step in plain NumPy: forward, softmax
cross-entropy, backward, every per-layer statistic gradviz records, SGD.

It is the "what would NumPy cost" baseline of the table and an independent
check of gradviz's numbers on the same weights and batch (tanh, no norm,
no dropout: the benchmark's setting)."""
from __future__ import annotations

import numpy as np

from ..engine import kernels as K

SATURATION = 0.97


def _hist(v, lo, hi, bins, log=False):
    v = v[np.isfinite(v)]
    if log:
        v = np.log10(np.abs(v[v != 0]))
    inside = v[(v >= lo) & (v <= hi)]
    idx = np.minimum(((inside - lo) / ((hi - lo) / bins)).astype(np.int64), bins - 1)
    return np.bincount(idx, minlength=bins)


def step(theta, layout, x, y, lr, hist_range, bins, record=True, update=True):
    """One SGD step; returns (stats[layer, S_*] or None, histograms or None,
    loss). theta is updated in place when ``update``."""
    nl = len(layout)
    W = [theta[r[K.W_OFF]:r[K.B_OFF]].reshape(r[K.N_IN], r[K.N_OUT]) for r in layout]
    b = [theta[r[K.B_OFF]:r[K.B_OFF] + r[K.N_OUT]] for r in layout]
    hs, us, acts = [x], [], []
    for l in range(nl):
        z = hs[-1] @ W[l] + b[l]
        us.append(z)
        if l < nl - 1:
            a = np.tanh(z)
            acts.append(a)
            hs.append(a)
    logits = us[-1]
    e = np.exp(logits - logits.max(axis=1, keepdims=True))
    p = e / e.sum(axis=1, keepdims=True)
    acts.append(p)
    n = len(y)
    loss = float(np.mean(-np.log(p[np.arange(n), y].astype(np.float64))))
    d = p / n
    d[np.arange(n), y] -= 1.0 / n
    deltas, gW, gb = [None] * nl, [None] * nl, [None] * nl
    for l in range(nl - 1, -1, -1):
        if l < nl - 1:
            d = d * (1 - acts[l] ** 2)
        deltas[l] = d
        gW[l] = hs[l].T @ d
        gb[l] = d.sum(axis=0)
        if l:
            d = d @ W[l].T
    stats = hists = None
    if record:
        stats, hists = _statistics(W, us, acts, deltas, gW, hist_range, bins)
    if update:
        for l in range(nl):
            W[l] -= lr * gW[l]
            b[l] -= lr * gb[l]
    return stats, hists, loss


def _statistics(W, us, acts, deltas, gW, hist_range, bins):
    nl = len(W)
    stats = np.full((nl, len(K.LAYER_STATS)), np.nan)
    hists = np.zeros((nl, len(K.HISTS), bins), dtype=np.int64)
    for l in range(nl):
        a, u, d, g = acts[l].ravel(), us[l].ravel(), deltas[l].ravel(), gW[l].ravel()
        st = stats[l]
        st[K.S_ACT_MEAN], st[K.S_ACT_STD] = a.mean(dtype=np.float64), a.std(dtype=np.float64)
        st[K.S_PRE_MEAN], st[K.S_PRE_STD] = u.mean(dtype=np.float64), u.std(dtype=np.float64)
        st[[K.S_P15, K.S_P50, K.S_P85]] = np.percentile(u, [15, 50, 85])
        if l < nl - 1:
            st[K.S_SATURATION] = np.mean(np.abs(a) > SATURATION)
        st[K.S_DEAD] = np.mean(a == 0)
        st[K.S_DELTA_RMS] = np.sqrt(np.mean(d.astype(np.float64) ** 2))
        st[K.S_GRAD_W_NORM] = np.linalg.norm(g.astype(np.float64))
        st[K.S_W_NORM] = np.linalg.norm(W[l].astype(np.float64))
        st[K.S_NONFINITE] = sum(int(np.sum(~np.isfinite(v))) for v in (u, a, d, g))
        st[K.S_GRAD_ZERO] = np.mean(g == 0)
        for h, v, log in ((K.HX_ACT, a, False), (K.HX_PRE, u, False), (K.HX_DELTA, d, True)):
            hists[l, h] = _hist(v, *hist_range[l, h], bins, log)
    return stats, hists


# statistics compared with gradviz (update_* need the update; emulation counters are NaN)
CHECKED = (K.S_ACT_MEAN, K.S_ACT_STD, K.S_PRE_MEAN, K.S_PRE_STD, K.S_P15, K.S_P50, K.S_P85, K.S_SATURATION,
           K.S_DEAD, K.S_DELTA_RMS, K.S_GRAD_W_NORM, K.S_W_NORM, K.S_NONFINITE, K.S_GRAD_ZERO)


# a mean or percentile near 0 has no relative precision: its difference is
# measured against the layer's spread (std) when that is larger than the value
SPREAD = {K.S_ACT_MEAN: K.S_ACT_STD, K.S_PRE_MEAN: K.S_PRE_STD, K.S_P15: K.S_PRE_STD, K.S_P50: K.S_PRE_STD,
          K.S_P85: K.S_PRE_STD}


def distance(got, ref) -> float:
    """The largest difference between two steps' CHECKED statistics (arrays
    layer x statistic), relative to |ref|, or for means and percentiles to
    max(|ref|, the layer's std in ref). NaN in both counts as equal."""
    scale = np.abs(ref[:, CHECKED])
    for i, stat in enumerate(CHECKED):
        if stat in SPREAD:
            scale[:, i] = np.maximum(scale[:, i], np.abs(ref[:, SPREAD[stat]]))
    a, b = got[:, CHECKED], ref[:, CHECKED]
    with np.errstate(invalid="ignore", divide="ignore"):
        rel = np.where(np.isnan(a) & np.isnan(b), 0.0, np.abs(a - b) / np.maximum(scale, 1e-30))
    return float(np.max(rel))


def cross_check(workload) -> dict:
    """gradviz's recorded statistics of one step against this module's, on
    the same weights and batch (``distance``):

    - ``max_rel``: gradviz against NumPy in the run's dtype;
    - ``gradviz_vs_64`` and ``numpy_vs_64``: each float32 engine against a
      float64 NumPy step of the same weights and batch, side by side. Deep
      float32 nets differ from float64 by rounding amplified over the layers,
      so what shows an error in gradviz is a distance well above NumPy's;
    - ``hist_share``: the largest histogram count difference as a share of
      the values binned (a value on a bin edge may land either side when two
      float32 computations of log10 differ in the last bit)."""
    idx = workload.batches(1)[0]
    out = workload.recorded_step(idx)
    theta = workload.net.theta.copy()
    x, y = workload.x[idx], workload.y[idx]
    ranges, bins = out.hist_range, out.hist.shape[-1]
    ref, hists, _ = step(theta, workload.layout, x, y, 0.0, ranges, bins, update=False)
    ref64, _, _ = step(theta.astype(np.float64), workload.layout, x.astype(np.float64), y, 0.0, ranges, bins,
                       update=False)
    got = out.layer_stats[0]
    counts = np.abs(out.hist[0] - hists).sum(axis=-1) / np.maximum(hists.sum(axis=-1), 1)
    return {"max_rel": distance(got, ref), "gradviz_vs_64": distance(got, ref64),
            "numpy_vs_64": distance(ref, ref64), "hist_share": float(np.max(counts))}
