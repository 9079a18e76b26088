"""Emulated float16/bfloat16 training: the kernels' rounding against numpy's
own float16 (and bit arithmetic / ml_dtypes for bfloat16), rounding points,
loss scaling and the recorded losses."""
import numpy as np
import pytest

from gradviz.engine import kernels as K
from gradviz.scenario import parse
from gradviz.engine.simulation import simulate


def _round(x, fmt):
    out = np.array(x, dtype=np.float32)
    K.round_array(out, fmt)
    return out


def test_float16_rounding_equals_numpy_on_every_bit_pattern():
    f = np.arange(65536, dtype=np.uint16).view(np.float16).astype(np.float32)
    got = _round(f, K.ROUND_F16)
    fin = np.isfinite(f)
    np.testing.assert_array_equal(got[fin].view(np.uint32), f[fin].view(np.uint32))
    assert np.isnan(got[np.isnan(f)]).all()


def test_float16_rounding_ties_to_even_at_every_midpoint():
    f = np.arange(65536, dtype=np.uint16).view(np.float16).astype(np.float64)
    pos = np.unique(np.abs(f[np.isfinite(f)]))
    mid = (pos[:-1] + pos[1:]) / 2  # exact in float32 (12 significant bits)
    mid32 = mid.astype(np.float32)
    assert np.array_equal(mid32.astype(np.float64), mid)
    for x in (mid32, -mid32, np.nextafter(mid32, np.float32(np.inf)), np.nextafter(mid32, np.float32(0))):
        np.testing.assert_array_equal(_round(x, K.ROUND_F16), x.astype(np.float16).astype(np.float32))


def test_float16_overflow_and_underflow_boundaries():
    cases = np.array([65504, 65519.99, 65520, 1e6, 2.0 ** -25, 2.0 ** -25 * 1.0001, 2.0 ** -26], np.float32)
    got = _round(cases, K.ROUND_F16)
    assert list(got) == [65504, 65504, np.inf, np.inf, 0.0, 2.0 ** -24, 0.0]
    under, over = K.round_array(cases.copy(), K.ROUND_F16)
    assert (under, over) == (2, 2)


def _bf16_by_bits(x):
    """Reference: round-to-nearest-even on the upper 16 bits, by integer arithmetic."""
    b = x.astype(np.float32).view(np.uint32).astype(np.uint64)
    lsb = (b >> 16) & 1
    r = ((b + 0x7FFF + lsb) & 0xFFFF0000).astype(np.uint32).view(np.float32)
    return np.where(np.isnan(x), np.float32(np.nan), r)


def test_bfloat16_rounding_hand_cases_and_random_bits():
    one = np.float32(1.0)
    eps = np.float32(2.0 ** -7)
    hand = np.array([1 + 2.0 ** -8, 1 + 3 * 2.0 ** -8, 1 + 2.0 ** -8 + 2.0 ** -20, 3.4e38, -0.0, 1e-40],
                    np.float32)
    got = _round(hand, K.ROUND_BF16)
    assert got[0] == one  # tie to even (down)
    assert got[1] == one + 2 * eps  # tie to even (up)
    assert got[2] == one + eps  # above the tie
    assert np.isinf(got[3])  # overflow
    assert np.signbit(got[4]) and got[4] == 0
    assert got[5] == _bf16_by_bits(hand[5:6])[0]  # subnormals round like the rest
    bits = np.random.default_rng(0).integers(0, 2 ** 32, 200_000, dtype=np.uint64).astype(np.uint32)
    x = bits.view(np.float32)
    ref = _bf16_by_bits(x)
    got = _round(x, K.ROUND_BF16)
    fin = ~np.isnan(x)
    np.testing.assert_array_equal(got[fin].view(np.uint32), ref[fin].view(np.uint32))
    assert np.isnan(got[~fin]).all()


def test_bfloat16_matches_ml_dtypes_when_installed():
    ml_dtypes = pytest.importorskip("ml_dtypes")
    x = np.random.default_rng(1).standard_normal(100_000).astype(np.float32) * 1e3
    np.testing.assert_array_equal(_round(x, K.ROUND_BF16), x.astype(ml_dtypes.bfloat16).astype(np.float32))


RUN = {"seed": 2, "data": {"kind": "spirals", "samples": 300, "scale": "standard"},
       "model": {"depth": 12, "width": 32, "activation": "tanh", "init": "glorot", "init_gain": 0.35},
       "train": {"optimizer": "adam", "lr": 0.003, "batch_size": 50, "epochs": 3}, "record": {"every": 5}}


def _run(**variants):
    raw = dict(RUN, variants=[{"label": k, **v} for k, v in variants.items()])
    return simulate(parse(raw))


def test_loss_scaling_keeps_gradients_that_float16_loses():
    rec = _run(plain={"model.dtype": "float16"},
               scaled={"model.dtype": "float16", "train.loss_scale": 2.0 ** 16},
               f32={"model.dtype": "float32"})
    under = rec.get("grad_underflow")
    assert np.nanmean(under[0, 0]) > 0.2  # without scaling: a large share underflows at init
    assert np.nanmean(under[1, 0]) < 0.01  # scaled by 2^16 they survive
    assert np.isnan(under[2]).all()  # not measured for float32
    # counting zeros as well as the underflows where they happen: the first
    # layers' gradients are lost to zeros that arrived from upstream
    zero = rec.get("grad_zero")
    assert zero[0, 0, 0] > 0.5 and zero[1, 0, 0] < 0.01 and zero[2, 0, 0] == 0
    # the gradient (unscaled) of the scaled float16 run is close to float32's
    np.testing.assert_allclose(rec.get("grad_w_norm")[1, 0], rec.get("grad_w_norm")[2, 0], rtol=0.02)
    # without scaling the first layer's gradient loses a visible part of its norm
    assert rec.get("grad_w_norm")[0, 0, 0] < 0.9 * rec.get("grad_w_norm")[2, 0, 0]


def test_emulated_run_stores_representable_weights():
    rec = _run(no_master={"model.dtype": "float16", "model.master_weights": False},
               master={"model.dtype": "float16"})
    assert (rec.get("update_lost")[0, :-1] >= 0).all()
    # with float32 master weights nothing is lost; stored in float16 some updates are
    assert np.nanmax(rec.get("update_lost")[1]) == 0
    assert np.nanmax(rec.get("update_lost")[0]) > 0


def test_dynamic_loss_scale_halves_and_skips_on_overflow():
    rec = _run(dyn={"model.dtype": "float16", "train.loss_scaling": "dynamic", "train.loss_scale": 2.0 ** 40,
                    "train.epochs": 10})
    scale = rec.get("trace_loss_scale")[0]
    skipped = rec.get("trace_skipped")[0]
    n = int(np.isfinite(scale).sum())
    assert skipped[0] == 1 and skipped[:n].sum() < n  # overflowed at 2^40, then found a scale that works
    # GradScaler's rule, step by step: a skipped step halves the scale, a clean one
    # keeps it (doubling needs 2000 clean steps, more than this run has)
    for t in range(n - 1):
        assert scale[t + 1] == (scale[t] / 2 if skipped[t] else scale[t]), t
    assert rec.get("first_nonfinite_step")[0] == -1  # overflow is handled, not a divergence
