"""The vectorisable float32 tanh against numpy, over a dense grid of float32
inputs and the edge cases; float64 runs keep libm's tanh exactly."""
import math

import numpy as np

from gradviz.engine import kernels as K


def _grid():
    x = np.arange(-9, 9, 2.0 ** -13, dtype=np.float32)
    edges = np.float32([0.0, -0.0, 1e-30, -1e-30, 1e-45, 3.9e-4, 4.1e-4, -4.1e-4, 7.9053, 7.91, 8.0, 20.0, -20.0,
                        np.finfo(np.float32).max, -np.finfo(np.float32).max, np.finfo(np.float32).tiny])
    return np.concatenate([x, edges])


def test_tanh32_error_is_within_its_documented_bound():
    x = _grid()
    got = np.empty_like(x)
    K.tanh32(x, got)
    ref = np.tanh(x.astype(np.float64))
    err = np.abs(got.astype(np.float64) - ref)
    assert err.max() <= K.TANH32_MAX_ERROR
    ulp = err / np.spacing(np.abs(np.tanh(x))).astype(np.float64)
    assert ulp.max() <= K.TANH32_MAX_ULP
    assert err.max() > 1e-8  # it is an approximation: the bound is measured, not vacuous
    assert np.all(np.abs(got) <= 1) and np.all(np.sign(got) == np.sign(x))
    assert np.array_equal(got[x == 0], x[x == 0])  # tanh(+-0) = +-0


def test_tanh32_nan_and_inf():
    x = np.float32([np.nan, np.inf, -np.inf])
    got = np.empty_like(x)
    K.tanh32(x, got)
    assert np.isnan(got[0]) and got[1] == 1 and got[2] == -1


def test_activate_uses_tanh32_for_float32_and_libm_for_float64():
    x = _grid()[::97]
    a32, a64 = np.empty_like(x), np.empty(x.size)
    K.activate(x, a32, K.TANH)
    ref32 = np.empty_like(x)
    K.tanh32(x, ref32)
    assert np.array_equal(a32, ref32)
    K.activate(x.astype(np.float64), a64, K.TANH)
    # float64: libm's tanh, element by element (numpy's own SIMD tanh may differ in the last bit)
    assert np.array_equal(a64, np.array([math.tanh(float(v)) for v in x]))
