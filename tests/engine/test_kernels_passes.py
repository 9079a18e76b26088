"""The fused passes of the step: the forward pass's bias-and-activation blocks
and its H = A shortcut against a NumPy forward, the shared-loop float64 sums
against the one-array sums they replace (same order, so the same bits), the
unrolled tally against np.bincount, and the log10 table kept across recorded
steps against fresh buffers when the loss scale changes."""
import numpy as np
import pytest

from gradviz.engine import kernels as K
from gradviz.engine.net import build_layout, hist_ranges


def _numpy_forward(theta, layout, x, act):
    """Hidden layers phi(h W + b), output softmax, in float64 NumPy."""
    h = x.astype(np.float64)
    out = []
    for l, row in enumerate(layout):
        n_in, n_out = int(row[K.N_IN]), int(row[K.N_OUT])
        w = theta[row[K.W_OFF]:row[K.W_OFF] + n_in * n_out].reshape(n_in, n_out)
        z = h @ w + theta[row[K.B_OFF]:row[K.B_OFF] + n_out]
        if l == len(layout) - 1:
            e = np.exp(z - z.max(axis=1, keepdims=True))
            out.append((z, e / e.sum(axis=1, keepdims=True)))
            break
        a = np.maximum(z, 0.0) if act == K.RELU else z
        out.append((z, a))
        h = a
    return out


@pytest.mark.parametrize("act", [K.RELU, K.LINEAR])
@pytest.mark.parametrize("n", [1, 127, 300])  # 128 rows of width 32 make one ROW_BLOCK: 1, 1 and 3 blocks
def test_forward_blocks_match_numpy(act, n):
    layout = build_layout(5, (32, 32), 3, False)
    rng = np.random.default_rng(n)
    theta = rng.standard_normal(int(layout[-1, K.B_OFF] + layout[-1, K.N_OUT])) * 0.3
    x = rng.standard_normal((n, 5))
    cols = int(layout[-1, K.COL] + layout[-1, K.N_OUT])
    Z, U, A, H, XH = (np.full(n * cols, np.nan) for _ in range(5))
    MU = np.zeros((len(layout), max(n, 32)))
    cfg = np.zeros(K.N_CFG, dtype=np.int64)
    cfg[K.C_ACT] = act
    hp = np.zeros(K.N_HP)
    running = np.zeros((2, 2, 32))
    K.forward(theta, layout, cfg, hp, x, np.zeros(0, np.uint8), True, running, Z, U, A, H, XH, MU, MU.copy())
    for l, (z, a) in enumerate(_numpy_forward(theta, layout, x, act)):
        base, m = n * int(layout[l, K.COL]), int(layout[l, K.N_OUT])
        np.testing.assert_allclose(U[base:base + n * m].reshape(n, m), z, rtol=1e-12, atol=1e-12)
        np.testing.assert_allclose(A[base:base + n * m].reshape(n, m), a, rtol=1e-12, atol=1e-12)
    # no norm, no dropout, no residual: the product went straight into U, H is A (neither written)
    assert np.isnan(Z).all() and np.isnan(H).all()


def test_shared_loop_float64_sums_keep_the_order_of_one_array_sums():
    rng = np.random.default_rng(5)
    a, p, d = (rng.standard_normal(1003) * s for s in (1.0, 1e3, 1e-4))
    sa, sp, sd = K._sums64(a, p, d)
    assert (sa, sp, sd) == (K._fsum(a, K.SUM_X, 0.0), K._fsum(p, K.SUM_X, 0.0), K._fsum(d, K.SUM_SQ, 0.0))
    ca, cp = sa / a.size, sp / p.size
    assert K._devs64(a, ca, p, cp) == (K._fsum(a, K.SUM_DEV, ca), K._fsum(p, K.SUM_DEV, cp))
    gw, w = rng.standard_normal(1003), rng.standard_normal(1003)
    gw[[3, 9]] = 0.0
    gw[11] = np.nan
    sg, zeros, bad, sw = K._grad_w_stats(gw, w)
    assert (zeros, bad, sw) == (2, 1, K._fsum(w, K.SUM_SQ, 0.0))
    assert np.isnan(sg)
    gw[11] = 1.5
    assert K._grad_w_stats(gw, w)[0] == K._fsum(gw, K.SUM_SQ, 0.0)
    # and the float32 path (lanes) gives what _fsum gives
    g32, w32 = gw.astype(np.float32), w.astype(np.float32)
    assert K._grad_w_stats(g32, w32)[::3] == (K._fsum(g32, K.SUM_SQ, 0.0), K._fsum(w32, K.SUM_SQ, 0.0))


@pytest.mark.parametrize("n", [0, 1, 7, 8, 9, 1003])
def test_unrolled_tally_counts_like_bincount(n):
    nb = 13
    cls = np.random.default_rng(n).integers(0, nb + 4, n).astype(np.int32)
    counts = np.zeros(nb, dtype=np.int64)
    extra = np.zeros(len(K.HIST_EXTRA), dtype=np.int64)
    sub = np.full(K.HIST_TALLIES * (nb + 4), 99, dtype=np.int64)  # stale content must not count
    K._tally(cls, n, counts, extra, sub)
    ref = np.bincount(cls, minlength=nb + 4)
    assert counts.tolist() == ref[1:nb + 1].tolist()
    assert extra.tolist() == [ref[0], ref[nb + 1], ref[nb + 2], ref[nb + 3]]


def test_log10_table_kept_across_steps_follows_the_loss_scale():
    """_layer_statistics keeps the log10|dL/dz| table in its buffers between
    recorded steps; a new loss scale (dynamic scaling) must rebuild it."""
    rng = np.random.default_rng(2)
    layout = build_layout(4, (6,), 3, False)
    n, nl, bins = 10, len(layout), 18
    cols = int(layout[-1, K.COL] + layout[-1, K.N_OUT])
    U, A = rng.standard_normal(n * cols), np.tanh(rng.standard_normal(n * cols))
    D = rng.standard_normal(n * cols) * 10.0 ** rng.uniform(-12, 2, n * cols)
    theta = rng.standard_normal(int(layout[-1, K.B_OFF] + layout[-1, K.N_OUT]))
    grad = rng.standard_normal(theta.size)
    cfg = np.zeros(K.N_CFG, dtype=np.int64)
    cfg[K.C_ACT] = K.TANH
    ranges = hist_ranges(layout, "tanh")
    emu = np.zeros((nl, len(K.EMU)), dtype=np.int64)

    def run(scale, bufs):
        stats = np.zeros((nl, len(K.LAYER_STATS)))
        hist = np.zeros((nl, len(K.HISTS), bins), dtype=np.int64)
        extra = np.zeros((nl, len(K.HISTS), len(K.HIST_EXTRA)), dtype=np.int64)
        args = (theta, layout, cfg, n, U, A, D, grad, stats, hist, extra, ranges, D, emu, scale)
        if bufs is None:
            K.layer_statistics(*args)
        else:
            K._layer_statistics(*args, bufs)
        return stats.tobytes(), hist.tobytes(), extra.tobytes()

    kept = K.stats_buffers(U, layout, n, bins)
    for scale in (1.0, 1.0, 2.0 ** 16, 2.0 ** 15, 1.0):
        assert run(scale, kept) == run(scale, None)
    assert run(1.0, None)[1] != run(2.0 ** 16, None)[1]  # the scale does move values between bins
