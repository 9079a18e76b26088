"""Tests for gradviz.numerics against independent references.

References used: numpy's own casts and arithmetic (float16/32/64), Python's
float arithmetic (IEEE binary64), hand-computed bit patterns, exact Fractions
and Decimals, statistics.pvariance (exact), math.fsum, and ml_dtypes when it
is installed.
"""
from __future__ import annotations

import math
import statistics
from decimal import Context, Decimal
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gradviz import numerics as nx

F = Fraction
ALL = ("float16", "bfloat16", "float32", "float64")


def f32_from_bits(*bits) -> np.ndarray:
    return np.array(bits, dtype=np.uint32).view(np.float32)


def bits32(x) -> np.ndarray:
    return np.asarray(x, dtype=np.float32).view(np.uint32)


def same_floats(a, b) -> np.ndarray:
    """Elementwise: same bit pattern, or both NaN."""
    a, b = np.asarray(a), np.asarray(b)
    assert a.dtype == b.dtype
    ui = {2: np.uint16, 4: np.uint32, 8: np.uint64}[a.dtype.itemsize]
    return (a.view(ui) == b.view(ui)) | (np.isnan(a) & np.isnan(b))


# ---------------------------------------------------------------------------
# float16 rounding == numpy's cast
# ---------------------------------------------------------------------------


def all_float16() -> np.ndarray:
    return np.arange(2 ** 16, dtype=np.uint32).astype(np.uint16).view(np.float16)


def test_float16_all_bit_patterns_as_float32():
    h = all_float16()
    x = h.astype(np.float32)
    got = nx.round_to(x, "float16")
    assert got.dtype == np.float16
    ref = x.astype(np.float16)
    finite_or_inf = ~np.isnan(ref)
    assert np.array_equal(got.view(np.uint16)[finite_or_inf], ref.view(np.uint16)[finite_or_inf])
    assert np.array_equal(np.isnan(got), np.isnan(ref))
    # and every non-NaN float16 maps to itself, bit for bit (signed zeros, infs)
    assert np.array_equal(got.view(np.uint16)[finite_or_inf], h.view(np.uint16)[finite_or_inf])


def _float16_neighbour_midpoints():
    """Exact midpoints between every pair of neighbouring non-negative
    float16 values, plus the overflow boundary 65520, as float64 and the
    float16 pair (lo, hi)."""
    pos = np.arange(0, 0x7C00, dtype=np.uint16).view(np.float16).astype(np.float64)
    lo, hi = pos[:-1], pos[1:]
    mid = (lo + hi) / 2                       # exact in float64 (and float32)
    mid = np.append(mid, 65520.0)             # between 65504 and the next 2**16
    lo = np.append(lo, 65504.0)
    hi = np.append(hi, np.inf)
    return mid, lo, hi


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_float16_midpoints_ties_to_even(dtype):
    mid, lo, hi = _float16_neighbour_midpoints()
    for sign in (1.0, -1.0):
        x = (sign * mid).astype(dtype)
        assert np.array_equal(x.astype(np.float64), sign * mid)   # midpoints exact
        got = nx.round_to(x, "float16")
        with np.errstate(over="ignore"):
            ref = x.astype(np.float16)
        assert np.array_equal(got.view(np.uint16), ref.view(np.uint16))
        # independent of numpy: the result is one of the two neighbours, the even one
        g = np.abs(got.astype(np.float64))
        assert np.all((g == lo) | (g == hi))
        even = (np.abs(got).view(np.uint16) & 1) == 0
        assert np.all(even[np.isfinite(got)])
        assert np.isinf(got[-1])              # 65520 rounds to inf (2**16 is "even")


def test_float16_float64_inputs_near_midpoints_double_rounding_trap():
    mid, lo, hi = _float16_neighbour_midpoints()
    finite = np.isfinite(hi)
    mid, lo, hi = mid[finite], lo[finite], hi[finite]
    for d in (2.0 ** -30, 2.0 ** -40, 2.0 ** -50):
        up = mid * (1 + d)
        down = mid * (1 - d)
        up[mid == 0] = 2.0 ** -1000
        got_up = nx.round_to(up, "float16").astype(np.float64)
        got_down = nx.round_to(down, "float16").astype(np.float64)
        # just above a midpoint rounds up, just below rounds down: no tie left
        assert np.array_equal(got_up[mid > 0], hi[mid > 0])
        assert np.array_equal(got_down[mid > 0], lo[mid > 0])
        # numpy casts float64 -> float16 directly, so it agrees too
        assert np.array_equal(nx.round_to(up, "float16").view(np.uint16),
                              up.astype(np.float16).view(np.uint16))
    # the trap itself: via float32 the value lands on the tie and goes to even
    x = 1.0 + 2.0 ** -11 + 2.0 ** -40          # just above the 1 | 1+2**-10 midpoint
    assert np.float32(x).astype(np.float16) == 1.0   # double rounding: wrong
    assert nx.round_to(np.float64(x), "float16") == np.float16(1 + 2.0 ** -10)


def test_float16_random_inputs_match_numpy():
    rng = np.random.default_rng(123)
    x32 = rng.integers(0, 2 ** 32, 300_000, dtype=np.uint64).astype(np.uint32).view(np.float32)
    x64 = rng.integers(0, 2 ** 64, 300_000, dtype=np.uint64).view(np.float64)
    near = (rng.standard_normal(300_000) * np.exp2(rng.integers(-30, 18, 300_000)))
    for x in (x32, x64, near):
        with np.errstate(all="ignore"):
            ref = x.astype(np.float16)
        assert same_floats(nx.round_to(x, "float16"), ref).all()


def test_float32_and_float64_rounding_match_numpy():
    rng = np.random.default_rng(7)
    x64 = rng.integers(0, 2 ** 64, 300_000, dtype=np.uint64).view(np.float64)
    # float32 midpoints nudged by a float64 ulp either way, and exact ties
    m = (np.float32(1.5) + np.arange(1000, dtype=np.float32) * np.float32(2 ** -22)).astype(np.float64)
    mid = m + 2.0 ** -24
    tests = np.concatenate([x64, mid, np.nextafter(mid, 0), np.nextafter(mid, 2)])
    with np.errstate(all="ignore"):
        ref = tests.astype(np.float32)
    got = nx.round_to(tests, "float32")
    assert got.dtype == np.float32
    assert same_floats(got, ref).all()
    assert same_floats(nx.round_to(x64, "float64"), x64).all()


# ---------------------------------------------------------------------------
# bfloat16
# ---------------------------------------------------------------------------

BF16_CASES = [
    # (float32 bits in, bfloat16 bits out (as float32 high half)), worked by hand
    (0x3F800000, 0x3F800000),   # 1.0
    (0x3F808000, 0x3F800000),   # 1 + 2**-8: tie, 1.0 is even -> down
    (0x3F818000, 0x3F820000),   # 1 + 3*2**-8: tie, 1+2**-7 odd -> up to 1+2**-6
    (0x3F808001, 0x3F810000),   # just above the tie -> up
    (0x3F807FFF, 0x3F800000),   # just below the tie -> down
    (0xBF818000, 0xBF820000),   # negative tie, same rule on the magnitude
    (0x7F7F0000, 0x7F7F0000),   # largest bfloat16 (2-2**-7)*2**127
    (0x7F7F7FFF, 0x7F7F0000),   # just below the overflow tie
    (0x7F7F8000, 0x7F800000),   # tie with odd 0x7F7F -> rounds to inf
    (0x7F7FFFFF, 0x7F800000),   # float32 max -> inf
    (0xFF7FFFFF, 0xFF800000),   # -float32 max -> -inf
    (0x7F800000, 0x7F800000),   # inf
    (0xFF800000, 0xFF800000),   # -inf
    (0x00010000, 0x00010000),   # smallest bfloat16 subnormal 2**-133
    (0x00008000, 0x00000000),   # 2**-134: tie between 0 (even) and 2**-133
    (0x00008001, 0x00010000),   # just above -> 2**-133
    (0x00018000, 0x00020000),   # 3*2**-134: tie, mantissa 1 odd -> 2**-132
    (0x00000001, 0x00000000),   # float32's smallest subnormal -> +0
    (0x80000001, 0x80000000),   # -> -0
    (0x80000000, 0x80000000),   # -0 stays -0
    (0x007F8000, 0x00800000),   # largest subnormal rounds up to smallest normal
]


@pytest.mark.parametrize("inp,out", BF16_CASES, ids=[f"{i:08x}" for i, _ in BF16_CASES])
def test_bfloat16_hand_cases(inp, out):
    got = nx.round_to(f32_from_bits(inp), "bfloat16")
    assert got.dtype == np.float32
    assert int(bits32(got)[0]) == out


@pytest.mark.parametrize("bits", [0x7F800001, 0x7FC00000, 0x7FFFFFFF, 0xFFFFFFFF,
                                  0xFF800001, 0x7F80FFFF])
def test_bfloat16_nan_stays_nan(bits):
    x = f32_from_bits(bits)
    got = nx.round_to(x, "bfloat16")
    assert np.isnan(got[0])
    assert np.signbit(got[0]) == np.signbit(x[0])
    assert int(bits32(got)[0]) & 0xFFFF == 0


def test_bfloat16_output_has_zero_low_bits_and_is_monotone():
    rng = np.random.default_rng(3)
    x = np.sort(rng.standard_normal(50_000).astype(np.float32) * 1e3)
    got = nx.round_to(x, "bfloat16")
    assert np.all(bits32(got) & 0xFFFF == 0)
    assert np.all(np.diff(got) >= 0)
    # within half a bfloat16 ulp (relative 2**-8) of the input
    nz = x != 0
    assert np.all(np.abs(got[nz] - x[nz]) <= np.abs(x[nz]) * 2.0 ** -8)


def test_bfloat16_from_float64_has_no_double_rounding():
    # 1 + 2**-8 is the tie between 1 and 1 + 2**-7; a float64 a hair above it
    # rounds to float32 *onto* the tie, which then goes down to 1.0 (wrong).
    for tail in (2.0 ** -30, 2.0 ** -40, 2.0 ** -52):
        x = 1.0 + 2.0 ** -8 + tail
        assert np.float32(x) == np.float32(1.0 + 2.0 ** -8)     # the trap exists
        assert nx.round_to(np.float64(x), "bfloat16") == np.float32(1.0 + 2.0 ** -7)
        assert nx.round_to(np.float64(-x), "bfloat16") == np.float32(-(1.0 + 2.0 ** -7))
        y = 1.0 + 2.0 ** -8 - tail / 2                            # a hair below
        assert nx.round_to(np.float64(y), "bfloat16") == np.float32(1.0)
    # beyond float32's range but a float64: still inf; tiny float64: 0
    assert nx.round_to(np.float64(1e300), "bfloat16") == np.inf
    assert nx.round_to(np.float64(-1e-300), "bfloat16") == 0
    assert np.signbit(nx.round_to(np.float64(-1e-300), "bfloat16"))
    # just below bfloat16's overflow tie, as float64, must not overflow
    below = float(F(2 - F(1, 2 ** 8)) * 2 ** 127) * (1 - 2.0 ** -40)
    assert nx.round_to(np.float64(below), "bfloat16") == np.float32(float(nx.FORMATS["bfloat16"].largest_finite))


def test_bfloat16_float64_matches_exact_fraction_rounding():
    rng = np.random.default_rng(11)
    x = rng.standard_normal(3000) * np.exp2(rng.integers(-140, 128, 3000).astype(float))
    got = nx.round_to(x, "bfloat16").astype(np.float64)
    for xi, gi in zip(x, got):
        ref = nx.round_fraction(F(float(xi)), "bfloat16")
        if isinstance(ref, float):
            assert gi == ref
        else:
            assert F(float(gi)) == ref


def test_bfloat16_matches_ml_dtypes_on_float32():
    ml_dtypes = pytest.importorskip("ml_dtypes")
    rng = np.random.default_rng(5)
    x = rng.integers(0, 2 ** 32, 500_000, dtype=np.uint64).astype(np.uint32).view(np.float32)
    specials = f32_from_bits(*[c for c, _ in BF16_CASES])
    x = np.concatenate([x, specials, (np.arange(-5000, 5000) * 2.0 ** -9).astype(np.float32)])
    with np.errstate(all="ignore"):
        ref = x.astype(ml_dtypes.bfloat16).astype(np.float32)
    assert same_floats(nx.round_to(x, "bfloat16"), ref).all()


# ---------------------------------------------------------------------------
# Exact rounding of Fractions and format constants
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("fmt,dtype", [("float16", np.float16), ("float32", np.float32),
                                       ("float64", np.float64)])
def test_round_fraction_matches_numpy_casts(fmt, dtype):
    rng = np.random.default_rng(2)
    x = rng.standard_normal(2000) * np.exp2(rng.integers(-30, 20, 2000).astype(float))
    with np.errstate(all="ignore"):
        ref = x.astype(dtype)
    for xi, ri in zip(x, ref):
        got = nx.round_fraction(F(float(xi)), fmt)
        if np.isinf(ri):
            assert got == float(ri)
        else:
            assert got == F(float(ri))


def test_round_fraction_decimal_strings():
    # 0.1 exactly, rounded: Python's float('0.1') is correctly rounded
    assert nx.round_fraction("0.1", "float64") == F(0.1)
    assert nx.round_fraction("0.1", "float32") == F(float(np.float32(0.1)))
    assert nx.round_fraction("65519.99", "float16") == 65504
    assert nx.round_fraction("65520", "float16") == math.inf      # the tie goes up
    assert nx.round_fraction("-1e10", "float16") == -math.inf
    assert nx.to_fraction("1e-10") == F(1, 10 ** 10)
    assert nx.to_fraction("1e-10") != F(1e-10)


@pytest.mark.parametrize("fmt,dtype", [("float16", np.float16), ("float32", np.float32),
                                       ("float64", np.float64)])
def test_format_constants_match_finfo(fmt, dtype):
    f, fi = nx.FORMATS[fmt], np.finfo(dtype)
    assert f.mantissa_bits == fi.nmant
    assert f.exponent_bits == fi.nexp
    assert f.bits == fi.bits
    assert f.eps == F(float(fi.eps))
    assert f.smallest_normal == F(float(fi.smallest_normal))
    assert f.smallest_subnormal == F(float(fi.smallest_subnormal))
    assert f.largest_finite == F(float(fi.max))
    assert f.emin == fi.minexp and f.emax == fi.maxexp - 1
    assert f.precision == fi.nmant + 1


def test_bfloat16_constants_known_values():
    f = nx.FORMATS["bfloat16"]
    assert (f.exponent_bits, f.mantissa_bits, f.bits) == (8, 7, 16)
    assert f.eps == F(1, 128) and float(f.eps) == 0.0078125
    assert float(f.smallest_normal) == 1.1754943508222875e-38
    assert float(f.smallest_subnormal) == 9.183549615799121e-41
    assert float(f.largest_finite) == 3.3895313892515355e38
    assert f.largest_finite == 255 * F(2) ** 120
    assert f.overflow_threshold == (f.largest_finite + F(2) ** 128) / 2


def test_bfloat16_constants_match_ml_dtypes():
    ml_dtypes = pytest.importorskip("ml_dtypes")
    fi = ml_dtypes.finfo(ml_dtypes.bfloat16)
    f = nx.FORMATS["bfloat16"]
    assert f.eps == F(float(fi.eps))
    assert f.largest_finite == F(float(fi.max))
    assert f.smallest_normal == F(float(fi.smallest_normal))
    assert f.smallest_subnormal == F(float(fi.smallest_subnormal))


@pytest.mark.parametrize("fmt,dtype", [("float16", np.float16), ("float32", np.float32),
                                       ("float64", np.float64)])
def test_ulp_matches_np_spacing(fmt, dtype):
    rng = np.random.default_rng(9)
    with np.errstate(all="ignore"):
        x = (rng.standard_normal(20_000) * np.exp2(rng.integers(-40, 40, 20_000))).astype(dtype)
    x = x[np.isfinite(x) & (np.abs(x) < np.finfo(dtype).max)]
    x = np.concatenate([x, np.array([0, np.finfo(dtype).smallest_subnormal, 1, 2], dtype)])
    ref = np.spacing(np.abs(x)).astype(np.float64)
    assert np.array_equal(nx.ulp(x, fmt), ref)


def test_ulp_bfloat16_hand_values():
    assert nx.ulp(1.0, "bfloat16") == 2.0 ** -7
    assert nx.ulp(256.0, "bfloat16") == 2.0
    assert nx.ulp(0.0, "bfloat16") == 2.0 ** -133
    assert nx.ulp(2.0 ** -130, "bfloat16") == 2.0 ** -133      # subnormal range
    assert np.isnan(nx.ulp(np.inf, "bfloat16"))


# ---------------------------------------------------------------------------
# Simulated arithmetic vs numpy's native arithmetic
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("fmt,dtype", [("float16", np.float16), ("float32", np.float32)])
@pytest.mark.parametrize("op,name", [(np.add, "fl_add"), (np.subtract, "fl_sub"),
                                     (np.multiply, "fl_mul"), (np.divide, "fl_div")])
def test_fl_ops_match_native(fmt, dtype, op, name):
    rng = np.random.default_rng(17)
    with np.errstate(all="ignore"):
        a = (rng.standard_normal(100_000) * np.exp2(rng.integers(-12, 12, 100_000))).astype(dtype)
        b = (rng.standard_normal(100_000) * np.exp2(rng.integers(-12, 12, 100_000))).astype(dtype)
        ref = op(a, b)
    got = getattr(nx, name)(a, b, fmt)
    assert same_floats(np.asarray(got, dtype), ref).all()


# ---------------------------------------------------------------------------
# add_in
# ---------------------------------------------------------------------------


def test_add_1e10_plus_1e_minus10_absorbed_everywhere():
    stored_a = {"bfloat16": F(9999220736),            # 149 * 2**26, by hand
                "float32": F(float(np.float32(1e10))),
                "float64": F(10 ** 10)}
    stored_b = {"float32": F(float(np.float32(1e-10))),
                "float64": F(1e-10)}                   # Python parses correctly rounded
    for fmt in ("bfloat16", "float32", "float64"):
        r = nx.add_in("1e10", "1e-10", fmt)
        assert r.a == stored_a[fmt]
        assert r.rounded == r.a                         # fl(a + b) == a
        assert r.absorbed and not r.a_overflow and not r.b_underflow
        assert r.exact == r.a + r.b
        assert r.abs_error == r.b                       # the whole stored b is lost
        assert r.rel_error == r.b / (r.a + r.b)
        assert r.digits_lost == pytest.approx(nx.FORMATS[fmt].precision * math.log10(2))
        if fmt != "bfloat16":
            assert r.b == stored_b[fmt]
    # bfloat16's 1e-10: 1e-10 = 1.71799... * 2**-34, quantum 2**-41
    assert nx.add_in("1e10", "1e-10", "bfloat16").b == F(round(F(1, 10 ** 10) * 2 ** 41), 2 ** 41)
    # float32 via numpy's own float32 arithmetic
    assert np.float32(1e10) + np.float32(1e-10) == np.float32(1e10)
    # float16: 1e10 does not fit (max 65504) and 1e-10 underflows
    r = nx.add_in("1e10", "1e-10", "float16")
    assert r.a == math.inf and r.rounded == math.inf
    assert r.a_overflow and r.b_underflow and r.b == 0
    with np.errstate(over="ignore"):
        assert np.float16(1e10) == np.inf and np.float16(1e-10) == 0
    assert math.isnan(r.abs_error)


def test_add_partial_survival():
    # 1 + 1e-7 in float32: b is 0.84 ulp, so one whole ulp (2**-23) survives
    r = nx.add_in("1", "1e-7", "float32")
    b32 = F(float(np.float32(1e-7)))
    assert r.b == b32
    assert r.rounded == 1 + F(1, 2 ** 23)
    assert r.rounded == F(float(np.float32(1) + np.float32(1e-7)))
    assert not r.absorbed
    assert r.survived == F(1, 2 ** 23)
    assert r.abs_error == abs(F(1, 2 ** 23) - b32) and r.abs_error > 0
    assert 0 < r.digits_lost < nx.FORMATS["float32"].decimal_digits
    # 1e4 + 1e-3 in float64: compare with Python's own float addition
    r = nx.add_in("1e4", "1e-3", "float64")
    assert r.rounded == F(1e4 + 1e-3)
    assert r.abs_error == abs(F(1e4 + 1e-3) - (F(1e4) + F(1e-3)))


def test_add_exact_and_overflowing_sums():
    r = nx.add_in("65504", "16", "float32")
    assert r.abs_error == 0 and r.digits_lost == 0 and r.rounded == 65520
    r = nx.add_in("65504", "16", "float16")
    assert r.rounded == math.inf and r.abs_error == math.inf
    with np.errstate(over="ignore"):
        assert np.float16(65504) + np.float16(16) == np.inf


@settings(max_examples=300, deadline=None)
@given(st.floats(width=32, allow_nan=False, allow_infinity=False),
       st.floats(width=32, allow_nan=False, allow_infinity=False))
def test_add_in_float32_matches_hardware(a, b):
    r = nx.add_in(a, b, "float32")
    with np.errstate(over="ignore"):
        ref = float(np.float32(a) + np.float32(b))
    if math.isinf(ref):
        assert r.rounded == ref
    else:
        assert r.rounded == F(ref)


@settings(max_examples=200, deadline=None)
@given(st.floats(width=16, allow_nan=False, allow_infinity=False),
       st.floats(width=16, allow_nan=False, allow_infinity=False))
def test_add_in_float16_matches_numpy(a, b):
    r = nx.add_in(a, b, "float16")
    with np.errstate(over="ignore"):
        ref = float(np.float16(a) + np.float16(b))
    assert r.rounded == (ref if math.isinf(ref) else F(ref))


# ---------------------------------------------------------------------------
# Experiments
# ---------------------------------------------------------------------------


def test_absorption_boundary_exact_rule():
    x = np.logspace(-4, 4.5, 97)
    for fmt in ALL:
        xs, half, largest = nx.absorption_boundary(x, fmt)
        for xi, ti in zip(xs, largest):
            if not np.isfinite(xi):
                continue
            xq, tq = F(float(xi)), F(float(ti))
            assert nx.round_fraction(xq + tq, fmt) == xq          # t vanishes
            assert nx.round_fraction(xq + 2 * tq, fmt) != xq      # 2t does not
            assert tq.numerator == 1 or tq.denominator == 1         # power of two
    d = nx.absorption()
    assert set(d.table) == set(ALL)
    assert all(d.table[f].rounded == d.table[f].a for f in ALL)


def test_spacing_data():
    d = nx.spacing()
    for fmt, dtype in (("float16", np.float16), ("float32", np.float32), ("float64", np.float64)):
        fi = np.finfo(dtype)
        x = d.x[fmt]
        assert x[0] == float(fi.smallest_subnormal) and x[-1] == float(fi.max)
        inner = x < float(fi.max)
        assert np.array_equal(d.ulp[fmt][inner], np.spacing(x[inner].astype(dtype)).astype(float))
        assert d.constants[fmt]["eps"] == float(fi.eps)
        normal = x >= float(fi.smallest_normal)
        assert np.all((d.relative[fmt][normal] <= float(fi.eps))
                      & (d.relative[fmt][normal] > float(fi.eps) / 2))


def test_summation_float32_famous_values_and_exact_errors():
    d = nx.summation(n_max={"float16": 10 ** 4, "float32": 10 ** 6},
                     kahan_max_n={"float16": 10 ** 4, "float32": 2 * 10 ** 4})
    n = d.n["float32"]
    assert n[-1] == 10 ** 6
    # the classic: 0.1f added a million times in float32
    assert d.naive["float32"][-1] == 100958.34375
    c32 = F(float(np.float32(0.1)))
    assert d.stored["float32"] == c32
    for i in (0, len(n) // 2, len(n) - 1):
        k = int(n[i])
        assert d.exact["float32"][i] == float(k * c32)
        assert d.naive_error["float32"][i] == pytest.approx(
            float(abs(F(d.naive["float32"][i]) - k * c32) / (k * c32)), rel=1e-12)
    # a plain Python float32 loop gives the same naive running sum
    s = np.float32(0)
    for _ in range(1000):
        s = s + np.float32(0.1)
    i = list(n).index(1000)
    assert d.naive["float32"][i] == float(s)


def test_summation_kahan_not_worse_than_naive():
    d = nx.summation(n_max={"float16": 3 * 10 ** 4, "float32": 10 ** 5}, kahan_max_n=10 ** 5)
    for fmt in d.formats:
        u = float(nx.FORMATS[fmt].unit_roundoff)
        k, nv, pw = d.kahan_error[fmt], d.naive_error[fmt], d.pairwise_error[fmt]
        assert np.all(np.isfinite(k))
        assert np.all(k <= nv)
        assert np.all(k <= 2 * u + 1e-12)          # Kahan: about one rounding
        assert np.all(pw <= 20 * u)                # pairwise: log2(n) roundings at most
        assert nv[-1] > 100 * u                    # the naive sum has drifted
    # float16's naive sum of 0.1 gets stuck at 256: half the gap there is 0.125 > 0.1
    assert d.naive["float16"][-1] == 256.0
    # and numpy's own sequential float16 loop agrees
    s = np.float16(0)
    for _ in range(3000):
        s = np.float16(s + np.float16(0.1))
    assert s == 256.0


def test_summation_kahan_limit_and_fsum():
    d = nx.summation(n_max=2000, kahan_max_n=100)
    for fmt in d.formats:
        n = d.n[fmt]
        assert np.all(np.isnan(d.kahan[fmt][n > 100]))
        assert np.all(np.isfinite(d.kahan[fmt][n <= 100]))
        c = float(d.stored[fmt])
        for i, k in enumerate(n):
            # exact n*c vs math.fsum (correctly rounded to float64)
            assert d.exact[fmt][i] == math.fsum([c] * int(k))


def test_pairwise_sum_matches_recursive_halving():
    rng = np.random.default_rng(4)
    v = rng.standard_normal(1024).astype(np.float16)

    def rec(a):
        if len(a) == 1:
            return a[0]
        h = len(a) // 2
        return np.float16(rec(a[:h]) + rec(a[h:]))

    assert nx.pairwise_sum(v, np.float16) == rec(v)
    assert nx.pairwise_sum(v[:3], np.float16) == np.float16(np.float16(v[0] + v[1]) + v[2])


def test_cancellation_one_plus_x_minus_one_matches_native():
    d = nx.cancellation(var_n_max=200)
    for fmt, dtype in (("float16", np.float16), ("float32", np.float32), ("float64", np.float64)):
        x = d.x.astype(dtype)
        with np.errstate(all="ignore"):
            ref = ((dtype(1) + x) - dtype(1)).astype(np.float64)
        assert np.array_equal(d.result[fmt], ref)
        eps = float(np.finfo(dtype).eps)
        tiny = (x.astype(float) < eps / 2) & (x > 0)   # absorbed by the 1: error 100%
        assert np.all(d.rel_error[fmt][tiny] == 1.0)


def test_cancellation_variance_against_exact_statistics():
    d = nx.cancellation(var_n_max=3000, seed=1)
    rng = np.random.default_rng(1)
    data = (1e4 + rng.standard_normal(3000)).astype(np.float32).astype(float)
    for i, k in enumerate(d.var_n):
        if k in (10, 100, 1000, 3000):
            exact = statistics.pvariance(data[:k])          # exact, then rounded
            assert d.var_exact[i] == pytest.approx(exact, rel=1e-10)
    big = d.var_n >= 100
    assert np.all(d.var_rel_error["two-pass"][big] < 1e-5)
    assert np.all(d.var_rel_error["welford"][big] < 1e-2)
    assert np.median(d.var_rel_error["one-pass"][big]) > 0.5   # garbage


def test_overflow_thresholds_against_native_exp():
    d = nx.overflow()
    for fmt, dtype in (("float16", np.float16), ("float32", np.float32), ("float64", np.float64)):
        thr = d.ln_max[fmt]
        assert thr == pytest.approx(math.log(float(np.finfo(dtype).max)), rel=1e-12)
        with np.errstate(over="ignore"):
            assert np.isfinite(np.exp(dtype(thr - 0.01)))
            assert np.isinf(np.exp(dtype(thr + 0.01)))
        # naive softmax turns NaN right there; the stable one never does
        s = d.s
        nan = np.isnan(d.softmax_naive[fmt])
        assert not nan[s < thr - 0.01].any() and nan[s > thr + 0.01].all()
        assert np.isfinite(d.softmax_stable[fmt]).all()
        assert np.isfinite(d.lse_stable[fmt]).all()
        assert np.isinf(d.lse_naive[fmt][s > thr + 0.01]).all()
    assert d.ln_max["bfloat16"] == pytest.approx(math.log(3.3895313892515355e38), rel=1e-12)


def test_sigmoid_saturation_against_decimal():
    d = nx.overflow()
    ctx = Context(prec=60)

    def sigmoid_exact(x):
        e = ctx.exp(Decimal(-x))
        return ctx.divide(Decimal(1), ctx.add(Decimal(1), e))

    for fmt in ALL:
        sat = d.sigmoid_saturation[fmt]
        above = nx.round_fraction(F(sigmoid_exact(sat + 1e-6)), fmt)
        below = nx.round_fraction(F(sigmoid_exact(sat - 1e-6)), fmt)
        assert above == 1 and below < 1
        # and the data: 1 - sigma is 0 from the threshold on, positive before
        x, v = d.x, d.one_minus_sigmoid[fmt]
        assert np.all(v[x > sat + 0.06] == 0) and np.all(v[x < sat - 0.06] > 0)
    # the naive formula in native float32 saturates earlier, at ln(2/eps)
    with np.errstate(over="ignore"):
        sig = lambda x: np.float32(1) / (np.float32(1) + np.exp(np.float32(-x)))
    sn = d.sigmoid_saturation_naive["float32"]
    assert sig(sn + 0.01) == 1 and sig(sn - 0.01) < 1


# ---------------------------------------------------------------------------
# Tables
# ---------------------------------------------------------------------------


def test_format_number_exact_or_marked():
    assert nx.format_number(0.5) == "0.5"
    assert nx.format_number(F(1, 2 ** 24)) == "5.9604644775390625e-8"
    assert nx.format_number(65504) == "65504"
    assert nx.format_number(F(1, 3)) == "~0.3333333333"
    assert nx.format_number(1e-10).startswith("~1.000000000e-10")
    assert nx.format_number(math.inf) == "inf"
    assert nx.format_number(F(-9999220736)) == "-9999220736"


def test_precision_add_table_content():
    text = nx.precision_add_table("1e10", "1e-10")
    rows = {line.split()[0]: line for line in text.splitlines() if line.split()
            and line.split()[0] in ALL}
    assert set(rows) == set(ALL)
    assert "9999220736" in rows["bfloat16"]
    assert rows["float32"].split()[1] == "10000000000"
    assert rows["float64"].split()[3] == "10000000000"     # fl(a + b), exact
    for f in ("bfloat16", "float32", "float64"):
        assert "yes" in rows[f]
    assert rows["float16"].split()[1] == "inf"
    # float64's stored 1e-10 (an approximation, so marked) is shown
    assert "~1.000000000e-10" in rows["float64"]
    lines = text.splitlines()
    header = next(i for i, l in enumerate(lines) if l.startswith("format"))
    # aligned columns: the separator row has the same width as the widest row
    assert set(lines[header + 1]) <= {"-", " "}


def test_precision_info_table_content():
    text = nx.precision_info_table()
    for token in ("65504", "2^-24", "2^-133", "2^-149", "2^-1074", "1/8/7", "1/5/10",
                  "1/11/52", "0.0078125", "0.0009765625", "(2-2^-7)*2^127"):
        assert token in text, token
    assert "~3.389531389e38" in text and "~1.797693135e308" in text


# -- the bit diagram's data (gradviz.numerics.bits) ---------------------------------------------

def test_alignment_of_1e10_plus_1e_10_against_numpy_bits():
    from gradviz.numerics.bits import alignment
    for fmt, dt, ut, m, e in (("float64", np.float64, np.uint64, 52, 11), ("float32", np.float32, np.uint32, 23, 8)):
        al = alignment("1e10", "1e-10", fmt)
        for op, x in ((al.a, 1e10), (al.b, 1e-10)):
            raw = int(np.array(x, dtype=dt).view(ut))
            assert op.mantissa == tuple((raw >> (m - 1 - k)) & 1 for k in range(m))
            assert op.exponent_field == tuple((raw >> (m + e - 1 - k)) & 1 for k in range(e))
            assert 2.0 ** op.exponent <= x < 2.0 ** (op.exponent + 1)
        assert al.shift == 33 - (-34) == 67 and al.kept == 0 and al.absorbed
        assert float(al.rounded) == float(dt(1e10) + dt(1e-10))          # numpy agrees: b is lost


def test_alignment_keeps_the_bits_that_fit():
    from gradviz.numerics.bits import alignment
    al = alignment("1", "2**-20" if False else "0.00000095367431640625", "float32")   # 2**-20
    assert al.shift == 20 and al.kept == 4 and not al.absorbed                    # 23 − 20 + 1 bits fit
    assert float(al.rounded) == float(np.float32(1) + np.float32(2.0 ** -20))
    al = alignment("1", "0.000000059604644775390625", "float32")                     # 2**-24: a tie
    assert al.kept == 0 and al.absorbed and float(al.rounded) == float(np.float32(1) + np.float32(2.0 ** -24))
    with pytest.raises(ValueError):
        alignment("1e10", "1e-10", "float16")                                        # 1e10 is inf there
