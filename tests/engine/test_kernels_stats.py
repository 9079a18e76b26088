"""The fused per-layer statistics against a plain-NumPy reference, and the
exact percentiles by selection against numpy's definition."""
import math

import numpy as np
import pytest

from gradviz.engine import kernels as K
from gradviz.engine.net import build_layout, hist_ranges

Q = np.array([15.0, 50.0, 85.0])


def _ref_percentiles(v):
    """numpy's "linear" percentile from a full sort, written out: the two
    order statistics around rank 1 + (n-1) q/100, lower*(1-m) + upper*m."""
    s = np.sort(v)
    out = []
    for q in Q:
        rank = 1 + (len(s) - 1) * (q / 100.0)
        f = math.floor(rank)
        m = rank - f
        k = int(f - 1)
        out.append(s[k] * (1 - m) + s[min(k + 1, len(s) - 1)] * m)
    return np.array(out)


def _kernel_percentiles(v):
    out = np.empty(3)
    K.percentiles(v, Q, np.empty_like(v), out)
    return out


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("n", [2, 3, 4, 5, 7, 10, 31, 256, 1000, 4099])
@pytest.mark.parametrize("shape", ["normal", "ties", "sorted", "reversed", "constant"])
def test_percentiles_are_exact_order_statistics(dtype, n, shape):
    rng = np.random.default_rng(n)
    v = rng.standard_normal(n)
    if shape == "ties":
        v = np.round(v * 2)
    elif shape == "sorted":
        v = np.sort(v)
    elif shape == "reversed":
        v = np.sort(v)[::-1].copy()
    elif shape == "constant":
        v[:] = 0.25
    v = v.astype(dtype)
    got = _kernel_percentiles(v)
    # the definition, to the last bit (== : the order of -0.0 and 0.0 among ties is free)
    assert np.array_equal(got, _ref_percentiles(v))
    np.testing.assert_allclose(got, np.percentile(v.astype(np.float64), Q), rtol=1e-6, atol=1e-7)


def test_percentiles_nan_inf_and_single_value():
    v = np.array([1.0, np.nan, 3.0, 4.0])
    assert np.isnan(_kernel_percentiles(v)).all()
    w = np.array([-np.inf, 1.0, 2.0, 3.0, np.inf, 5.0])
    assert np.array_equal(_kernel_percentiles(w), _ref_percentiles(w), equal_nan=True)
    assert list(_kernel_percentiles(np.array([2.5]))) == [2.5] * 3
    assert np.isnan(_kernel_percentiles(np.array([np.inf]))).all()


def _buffers(rng, layout, n, dtype, scale):
    cols = int(layout[-1, K.COL] + layout[-1, K.N_OUT])
    U = (rng.standard_normal(n * cols) * 3).astype(dtype)
    A = np.tanh(U).astype(dtype)
    A[::7] = 0.0
    D = (rng.standard_normal(n * cols) * 10.0 ** rng.integers(-12, 2, n * cols) * scale).astype(dtype)
    D[::11] = 0.0
    theta = rng.standard_normal(int(layout[-1, K.B_OFF] + layout[-1, K.N_OUT])).astype(dtype)
    grad = rng.standard_normal(theta.size).astype(dtype)
    grad[::5] = 0.0
    return theta, U, A, D, grad


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("scale", [1.0, 1024.0])
def test_layer_statistics_match_numpy(dtype, scale):
    rng = np.random.default_rng(7)
    layout = build_layout(5, (6, 7), 3, False)
    n, nl, bins = 9, len(layout), 20
    theta, U, A, D, grad = _buffers(rng, layout, n, dtype, scale)
    U[3] = np.inf
    cfg = np.zeros(K.N_CFG, dtype=np.int64)
    cfg[K.C_ACT] = K.TANH
    stats = np.zeros((nl, len(K.LAYER_STATS)))
    hist = np.zeros((nl, len(K.HISTS), bins), dtype=np.int64)
    extra = np.zeros((nl, len(K.HISTS), len(K.HIST_EXTRA)), dtype=np.int64)
    rng_ = hist_ranges(layout, "tanh")
    emu = np.zeros((nl, len(K.EMU)), dtype=np.int64)
    K.layer_statistics(theta, layout, cfg, n, U, A, D, grad, stats, hist, extra, rng_, D.copy(), emu, scale)
    for l in range(nl):
        base, m = n * layout[l, K.COL], layout[l, K.N_OUT]
        u, a, d = (B[base:base + n * m].astype(np.float64) for B in (U, A, D))
        gw = grad[layout[l, K.W_OFF]:layout[l, K.B_OFF]].astype(np.float64)
        w = theta[layout[l, K.W_OFF]:layout[l, K.B_OFF]].astype(np.float64)
        st = stats[l]
        close = dict(rtol=1e-12, atol=0)
        np.testing.assert_allclose(st[[K.S_ACT_MEAN, K.S_ACT_STD]], [a.mean(), a.std()], **close)
        with np.errstate(invalid="ignore"):
            np.testing.assert_allclose(st[[K.S_PRE_MEAN, K.S_PRE_STD]], [u.mean(), u.std()], **close)
        np.testing.assert_allclose(st[[K.S_P15, K.S_P50, K.S_P85]], np.percentile(u, Q), rtol=1e-6)
        hidden = l < nl - 1
        assert st[K.S_SATURATION] == pytest.approx(np.mean(np.abs(a) > 0.97)) if hidden else \
            np.isnan(st[K.S_SATURATION])
        assert st[K.S_DEAD] == pytest.approx(np.mean(a == 0))
        assert st[K.S_DELTA_RMS] == pytest.approx(np.sqrt(np.mean(d ** 2)) / scale, rel=1e-6)
        assert st[K.S_GRAD_W_NORM] == pytest.approx(np.linalg.norm(gw), rel=1e-6)
        assert st[K.S_W_NORM] == pytest.approx(np.linalg.norm(w), rel=1e-6)
        assert st[K.S_GRAD_ZERO] == pytest.approx(np.mean(gw == 0))
        assert st[K.S_NONFINITE] == np.sum(~np.isfinite(u)) + np.sum(~np.isfinite(a))
        for h, vals, log in ((K.HX_ACT, a, False), (K.HX_PRE, u, False), (K.HX_DELTA, d, True)):
            lo, hi = rng_[l, h]
            fin = vals[np.isfinite(vals)]
            assert extra[l, h, K.E_NONFINITE] == vals.size - fin.size
            if log:
                assert extra[l, h, K.E_ZERO] == np.sum(fin == 0)
                fin = np.log10(np.abs(fin[fin != 0])) - math.log10(scale)
            inside = fin[(fin >= lo) & (fin <= hi)]
            ref = np.bincount(np.minimum(((inside - lo) / ((hi - lo) / bins)).astype(int), bins - 1),
                              minlength=bins)
            np.testing.assert_array_equal(hist[l, h], ref)
            assert extra[l, h, K.E_UNDER] == np.sum(fin < lo) and extra[l, h, K.E_OVER] == np.sum(fin > hi)
