"""The fast paths of kernels.py against the plain computations they replace:
the log10-free delta histogram, lane sums of float32, and the per-optimizer
update loops."""
import math

import numpy as np
import pytest
from numba import njit

from gradviz.engine import kernels as K
from gradviz.engine.net import build_layout
from gradviz.scenario import OPTIMIZERS


@njit
def _formula_classes(v, lo, hi, nb, shift):
    """The class of each value binned the plain way: one log10 per value."""
    out = np.empty(v.size, dtype=np.int32)
    width = (hi - lo) / nb
    for i in range(v.size):
        x = v[i]
        if not math.isfinite(x):
            out[i] = nb + 2
        elif x == 0:
            out[i] = nb + 3
        else:
            out[i] = K._log_class(abs(x), lo, hi, nb, width, shift)
    return out


def _table_classes(v, lo, hi, nb, shift):
    wide = v.dtype == np.float64
    thr, first = np.empty(nb + 3, dtype=np.int64), np.empty(2048, dtype=np.int64)
    K._log_table(wide, lo, hi, nb, shift, thr, first)
    cls = np.empty(v.size, dtype=np.int32)
    K._log_classes(v, wide, thr, first, nb, cls)
    return cls, thr


@pytest.mark.parametrize("dtype,uint", [(np.float32, np.uint32), (np.float64, np.uint64)])
@pytest.mark.parametrize("lo,hi,nb,shift", [(-15.0, 3.0, 40, 0.0), (-15.0, 3.0, 50, math.log10(65536.0)),
                                            (-15.0, 3.0, 1000, math.log10(2.0 ** 30)), (-3.0, -2.0, 2, 0.0),
                                            (-400.0, 400.0, 7, -1.5)])
def test_log_histogram_classes_equal_the_log10_formula(dtype, uint, lo, hi, nb, shift):
    rng = np.random.default_rng(nb)
    info = np.finfo(dtype)
    # log-uniform over the whole finite range, both signs, plus the edge cases
    e = rng.uniform(np.log10(float(info.smallest_subnormal)), np.log10(float(info.max)), 20000)
    v = (10.0 ** e * rng.choice([-1.0, 1.0], e.size)).astype(dtype)
    edge = np.array([0.0, -0.0, np.inf, -np.inf, np.nan, info.max, -info.max, info.smallest_subnormal,
                     info.tiny, 1.0], dtype=dtype)
    cls, thr = _table_classes(np.concatenate([v, edge]), lo, hi, nb, shift)
    # and every threshold's neighbourhood: the bit patterns 3 below to 3 above each
    bits = (thr[1:nb + 2, None] + np.arange(-3, 4)[None, :]).ravel()
    bits = bits[(bits >= 1) & (bits <= int(info.max.view(uint)))].astype(uint)
    near = bits.view(dtype)
    cls_near, _ = _table_classes(near, lo, hi, nb, shift)
    np.testing.assert_array_equal(cls, _formula_classes(np.concatenate([v, edge]), lo, hi, nb, shift))
    np.testing.assert_array_equal(cls_near, _formula_classes(near, lo, hi, nb, shift))
    assert np.all(np.diff(thr[:nb + 3]) >= 0)


@pytest.mark.parametrize("kind", [K.SUM_X, K.SUM_SQ, K.SUM_DEV])
@pytest.mark.parametrize("n", [1, 7, 8, 9, 1000, 65541])
def test_float32_lane_sums_are_float64_sums_within_the_bound(kind, n):
    rng = np.random.default_rng(n)
    v = (rng.standard_normal(n) * 10.0 ** rng.integers(-6, 6, n)).astype(np.float32)
    c = 0.25
    got = K._fsum(v, kind, c)
    x = v.astype(np.float64)
    f32 = {K.SUM_X: v, K.SUM_SQ: v * v, K.SUM_DEV: None}[kind]
    terms = (x - c) ** 2 if kind == K.SUM_DEV else f32.astype(np.float64)
    exact = math.fsum(terms)
    assert abs(got - exact) <= n * 2.0 ** -53 * math.fsum(np.abs(terms)) + 1e-300
    # float64 arrays keep the plain left-to-right sum, to the bit
    serial = 0.0
    for t in ((x - c) ** 2 if kind == K.SUM_DEV else (x * x if kind == K.SUM_SQ else x)):
        serial += t
    assert K._fsum(x, kind, c) == serial


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_norm_and_change(dtype):
    rng = np.random.default_rng(3)
    old = rng.standard_normal(1003).astype(dtype)
    new = (old + rng.standard_normal(1003) * 1e-3).astype(dtype)
    a, d = K._norm_and_change(old, new)
    # the terms in the run's dtype (as the update computed them), summed in float64
    assert a == pytest.approx(math.fsum((old * old).astype(np.float64)), rel=1e-13)
    assert d == pytest.approx(math.fsum(((new - old) ** 2).astype(np.float64)), rel=1e-13)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("opt", OPTIMIZERS)
def test_per_optimizer_loops_equal_the_generic_loop(opt, dtype):
    """The unrecorded (vectorised) and recorded updates store exactly the
    weights and optimizer state of the generic one-branch-per-element loop."""
    layout = build_layout(7, (13,), 3, False)
    rng = np.random.default_rng(OPTIMIZERS.index(opt))
    n = int(layout[-1, K.B_OFF] + layout[-1, K.N_OUT])
    hp = np.array([0.9, 0.8, 0.95, 1e-8, 0.9, 0.01, 0.0, 0.0, 1.0], dtype=dtype)
    code = OPTIMIZERS.index(opt)
    runs = []
    for want in (K.WANT_NOTHING, K.WANT_NORMS, K.WANT_LOST):
        theta = rng.standard_normal(n).astype(dtype) if not runs else runs[0][3].copy()
        start = theta.copy()
        s1, s2 = np.zeros_like(theta), np.zeros_like(theta)
        out = []
        for t in range(1, 4):
            g = np.random.default_rng(t).standard_normal(n).astype(dtype)
            out.append(K.optimizer_step(theta, g, s1, s2, code, dtype(0.05), hp, t, 0, n, 1.0, K.NO_ROUND, want))
        runs.append((theta, s1, s2, start, out))
    for theta, s1, s2, _, out in runs[1:]:
        for got, ref in zip((theta, s1, s2), runs[0][:3]):
            assert got.tobytes() == ref.tobytes()
    assert runs[0][4][0] == (0.0, 0.0, 0)
    assert runs[1][4][0][:2] == pytest.approx(runs[2][4][0][:2], rel=1e-12)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_gradient_norm_of_a_step_is_that_of_its_gradient(dtype):
    """float32: backward's per-layer sums (taken while the gradient is in
    cache) give exactly the norm of summing the final gradient's layer blocks
    again; float64: the plain left-to-right norm. Both agree with NumPy."""
    from gradviz.bench.workload import Size, Workload
    wl = Workload(Size(3, 24, 16, dtype))
    out = wl.outputs(1, 1)
    wl.run(1, 1, update=False, out=out)
    grad, layout = wl.net.grad, wl.layout
    again = K.grad_norm(grad, layout, np.zeros(len(layout)), False)
    assert out.trace[0, K.T_GRAD_NORM] == again
    if dtype == "float64":
        assert again == K.global_norm(grad)
    # (float32 squares each term in float32, as it always did: ~1e-7 per term)
    assert again == pytest.approx(np.linalg.norm(grad.astype(np.float64)), rel=1e-6 if dtype == "float32" else 1e-13)
