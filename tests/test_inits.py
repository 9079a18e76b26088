"""Tests for gradviz.inits: std formulas, bounds, orthogonality, shared stream."""
from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gradviz import inits
from gradviz.inits import SCHEMES, init_bias, init_std, init_weight

N_IN, N_OUT = 400, 300
N = N_IN * N_OUT

# Expected stds written out independently of the module (n_in=400, n_out=300).
EXPECTED_STD = {
    "normal": 1.0,
    "uniform": 1.0 / math.sqrt(3 * 400),
    "gaussian": 1.0 / math.sqrt(400),
    "glorot": math.sqrt(2.0 / 700),
    "glorot_uniform": math.sqrt(2.0 / 700),
    "he": math.sqrt(2.0 / 400),
    "he_uniform": math.sqrt(2.0 / 400),
    "orthogonal": 1.0 / math.sqrt(400),
}
EXPECTED_BOUND = {
    "uniform": 1.0 / math.sqrt(400),
    "glorot_uniform": math.sqrt(6.0 / 700),
    "he_uniform": math.sqrt(6.0 / 400),
}
# Kurtosis of the entry distribution: the sample variance of N iid entries has
# relative standard error sqrt((kurtosis - 1) / N), so the sample std has half
# of that. Six standard errors: ~0.9% for normal, ~0.8% for uniform.
KURTOSIS = {"normal": 3.0, "uniform": 1.8}


def rng(seed=0):
    return np.random.default_rng(seed)


def test_registry_is_complete_and_documented():
    assert list(SCHEMES) == list(EXPECTED_STD)
    for name, s in SCHEMES.items():
        assert s.name == name
        assert "std" in s.doc or "RMS" in s.doc
        assert "\n" not in s.doc
        assert s.formula.startswith(("std = ", "RMS = "))
        assert (s.bound is not None) == (s.family == "uniform")


@pytest.mark.parametrize("scheme", list(EXPECTED_STD))
def test_init_std_matches_formula(scheme):
    assert init_std(scheme, N_IN, N_OUT) == pytest.approx(EXPECTED_STD[scheme], rel=1e-15)
    assert SCHEMES[scheme].std(N_IN, N_OUT) == pytest.approx(EXPECTED_STD[scheme], rel=1e-15)


@pytest.mark.parametrize("scheme", [s for s in EXPECTED_STD if s != "orthogonal"])
def test_sample_std_matches_formula(scheme):
    w = init_weight(scheme, N_IN, N_OUT, rng(1))
    assert w.shape == (N_IN, N_OUT) and w.dtype == np.float64
    expected = EXPECTED_STD[scheme]
    rms = math.sqrt(np.mean(w**2))
    tol = 6 * 0.5 * math.sqrt((KURTOSIS[SCHEMES[scheme].family] - 1) / N)
    assert abs(rms / expected - 1) < tol, (rms, expected, tol)
    # mean zero: standard error of the mean is std / sqrt(N)
    assert abs(w.mean()) < 6 * expected / math.sqrt(N)


@pytest.mark.parametrize("scheme", list(EXPECTED_BOUND))
def test_uniform_bounds(scheme):
    a = EXPECTED_BOUND[scheme]
    assert SCHEMES[scheme].bound(N_IN, N_OUT) == pytest.approx(a, rel=1e-15)
    w = init_weight(scheme, N_IN, N_OUT, rng(2))
    assert np.abs(w).max() <= a
    # the bound is actually approached (so a too-small bound would fail)
    assert np.abs(w).max() > 0.999 * a
    w3 = init_weight(scheme, N_IN, N_OUT, rng(2), gain=3.0)
    assert np.abs(w3).max() <= 3.0 * a and np.abs(w3).max() > 0.999 * 3.0 * a


@pytest.mark.parametrize("shape", [(400, 300), (300, 400), (64, 64), (5, 1), (1, 5)])
def test_orthogonal_is_semi_orthogonal(shape):
    n_in, n_out = shape
    w = init_weight("orthogonal", n_in, n_out, rng(3))
    assert w.shape == shape
    if n_in >= n_out:
        gram = w.T @ w  # orthonormal columns
    else:
        gram = w @ w.T  # orthonormal rows
    assert np.abs(gram - np.eye(min(shape))).max() < 1e-12
    rms = math.sqrt(np.mean(w**2))
    assert rms == pytest.approx(1 / math.sqrt(max(shape)), rel=1e-12)
    assert init_std("orthogonal", n_in, n_out) == pytest.approx(rms, rel=1e-12)


def test_orthogonal_is_sign_corrected_qr_of_the_normal_draw():
    # Same seed: orthogonal must be the Q of the very Gaussian matrix that
    # "normal" returns, with R = Q^T Z upper triangular and diag(R) > 0.
    z = init_weight("normal", 40, 30, rng(4))
    q = init_weight("orthogonal", 40, 30, rng(4))
    r = q.T @ z
    assert np.abs(np.tril(r, -1)).max() < 1e-10
    assert (np.diag(r) > 0).all()
    assert np.allclose(q @ r, z, atol=1e-10)
    # wide: the same on the transpose
    zw = init_weight("normal", 30, 40, rng(4))
    qw = init_weight("orthogonal", 30, 40, rng(4))
    rw = qw @ zw.T
    assert np.abs(np.tril(rw, -1)).max() < 1e-10 and (np.diag(rw) > 0).all()


@settings(max_examples=30, deadline=None)
@given(n_in=st.integers(1, 40), n_out=st.integers(1, 40), seed=st.integers(0, 2**32 - 1))
def test_orthogonal_property(n_in, n_out, seed):
    w = init_weight("orthogonal", n_in, n_out, rng(seed), gain=2.0)
    gram = w.T @ w if n_in >= n_out else w @ w.T
    assert np.abs(gram - 4.0 * np.eye(min(n_in, n_out))).max() < 1e-12
    assert np.sum(w**2) == pytest.approx(4.0 * min(n_in, n_out), rel=1e-12)


@pytest.mark.parametrize("scheme", list(EXPECTED_STD))
def test_gain_scales_std(scheme):
    assert init_std(scheme, N_IN, N_OUT, gain=2.5) == pytest.approx(
        2.5 * EXPECTED_STD[scheme], rel=1e-15
    )
    w1 = init_weight(scheme, 50, 30, rng(5))
    w2 = init_weight(scheme, 50, 30, rng(5), gain=2.5)
    np.testing.assert_allclose(w2, 2.5 * w1, rtol=1e-14, atol=0)


@pytest.mark.parametrize("scheme", list(EXPECTED_STD))
def test_fixed_std_overrides_scheme_and_gain(scheme):
    assert init_std(scheme, N_IN, N_OUT, gain=7.0, fixed_std=0.3) == 0.3
    w = init_weight(scheme, 50, 30, rng(6), gain=7.0, fixed_std=0.3)
    # exactly N(0, 0.3^2) from the standard-normal stream, gain ignored
    assert np.array_equal(w, 0.3 * rng(6).standard_normal((50, 30)))


def test_fixed_std_sample_std():
    w = init_weight("uniform", N_IN, N_OUT, rng(7), fixed_std=0.05)
    assert abs(math.sqrt(np.mean(w**2)) / 0.05 - 1) < 6 * 0.5 * math.sqrt(2 / N)


def test_shared_stream_normal_family_exact_multiples():
    normal = init_weight("normal", N_IN, N_OUT, rng(8))
    assert np.array_equal(normal, rng(8).standard_normal((N_IN, N_OUT)))
    for scheme in ("he", "gaussian", "glorot"):
        w = init_weight(scheme, N_IN, N_OUT, rng(8))
        assert np.array_equal(w, EXPECTED_STD[scheme] * normal), scheme


def test_shared_stream_uniform_family_exact_multiples():
    u = rng(9).uniform(-1.0, 1.0, (N_IN, N_OUT))
    for scheme, a in EXPECTED_BOUND.items():
        assert np.array_equal(init_weight(scheme, N_IN, N_OUT, rng(9)), a * u), scheme


def test_same_family_leaves_generator_in_same_state():
    g1, g2 = rng(10), rng(10)
    init_weight("normal", 20, 10, g1)
    init_weight("he", 20, 10, g2, gain=3.0)
    assert np.array_equal(g1.standard_normal(5), g2.standard_normal(5))
    g1, g2 = rng(10), rng(10)
    init_weight("uniform", 20, 10, g1)
    init_weight("glorot_uniform", 20, 10, g2)
    assert np.array_equal(g1.standard_normal(5), g2.standard_normal(5))


@pytest.mark.parametrize("dtype", [np.float32, np.float16])
def test_dtype_is_cast_of_float64_draw(dtype):
    w64 = init_weight("glorot", 30, 20, rng(11))
    w = init_weight("glorot", 30, 20, rng(11), dtype=dtype)
    assert w.dtype == dtype
    assert np.array_equal(w, w64.astype(dtype))


def test_unknown_scheme_lists_known():
    with pytest.raises(ValueError) as exc:
        init_weight("xavier", 3, 3, rng())
    msg = str(exc.value)
    assert "xavier" in msg
    for name in EXPECTED_STD:
        assert name in msg
    with pytest.raises(ValueError, match="he_uniform"):
        init_std("kaiming", 3, 3)


@pytest.mark.parametrize(
    "kwargs",
    [dict(n_in=0), dict(n_out=-1), dict(gain=-1.0), dict(gain=float("nan")),
     dict(fixed_std=-0.1), dict(n_in=2.5)],
)
def test_bad_arguments(kwargs):
    args = dict(scheme="he", n_in=3, n_out=3)
    args.update(kwargs)
    with pytest.raises(ValueError):
        init_weight(rng=rng(), **args)


def test_init_bias():
    assert np.array_equal(init_bias(7, rng()), np.zeros(7))
    b = init_bias(7, rng(12), bias_std=0.5)
    assert np.array_equal(b, 0.5 * rng(12).standard_normal(7))
    assert init_bias(4, rng(), dtype=np.float32).dtype == np.float32
    big = init_bias(100_000, rng(13), bias_std=0.2)
    assert abs(big.std() / 0.2 - 1) < 6 * 0.5 * math.sqrt(2 / 100_000)
    # bias_std is a pure knob: the stream position afterwards does not depend on it
    g1, g2 = rng(14), rng(14)
    init_bias(9, g1, bias_std=0.0)
    init_bias(9, g2, bias_std=1.0)
    assert np.array_equal(g1.standard_normal(3), g2.standard_normal(3))
    with pytest.raises(ValueError):
        init_bias(3, rng(), bias_std=-1.0)


def test_schemes_table_lists_every_scheme():
    table = inits.schemes_table()
    for s in SCHEMES.values():
        assert f"`{s.name}`" in table and s.formula in table


# -- PyTorch/Keras names ---------------------------------------------------------------
# Each library's own definition at fan_in = 400, fan_out = 300, written out here
# (torch.nn.init and keras.initializers docs), not taken from the module.
LIBRARY_STD = {
    "kaiming_normal": math.sqrt(2 / 400), "he_normal": math.sqrt(2 / 400),
    "kaiming_uniform": math.sqrt(6 / 400) / math.sqrt(3),
    "xavier_normal": math.sqrt(2 / 700), "glorot_normal": math.sqrt(2 / 700),
    "xavier_uniform": math.sqrt(6 / 700) / math.sqrt(3),
    "lecun_normal": math.sqrt(1 / 400),
}


def test_aliases_run_a_scheme_with_the_library_std():
    assert set(inits.ALIASES) == set(LIBRARY_STD)
    for alias, target in inits.ALIASES.items():
        assert target in SCHEMES
        assert init_std(alias, N_IN, N_OUT) == pytest.approx(LIBRARY_STD[alias], rel=1e-15)
        np.testing.assert_array_equal(init_weight(alias, 7, 5, rng(4)), init_weight(target, 7, 5, rng(4)))
    assert inits.resolve("kaiming_normal") == "he" and inits.resolve("he") == "he"
    table = inits.aliases_table()
    assert all(f"`{a}`" in table for a in inits.ALIASES)


def test_scenario_accepts_aliases_and_stores_the_scheme():
    from gradviz.scenario import ScenarioError, load_scenario

    sc = load_scenario('[model]\ninit = "kaiming_normal"\n[compare]\nkey = "model.init"\n'
                       'values = ["xavier_uniform", "lecun_normal"]\n')
    assert sc.model.init == "he"
    assert [v.model.init for _, v in sc.expand()] == ["glorot_uniform", "gaussian"]
    with pytest.raises(ScenarioError) as exc:
        load_scenario('[model]\ninit = "kaiming_norml"\n')
    assert "did you mean 'kaiming_normal'?" in str(exc.value)
