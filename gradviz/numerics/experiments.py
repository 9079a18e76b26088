"""The precision experiments, each returning plain data that
:mod:`gradviz.figures.precision` draws: absorption, spacing, summation,
cancellation, overflow."""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from decimal import Context, Decimal
from fractions import Fraction

import numpy as np

from .formats import (FORMAT_NAMES, fl_add, fl_div, fl_exp, fl_log, fl_sub, get_format, round_fraction, round_to,
                      to_fraction, ulp)
from .addition import AddResult, add_in, kahan_running, log_checkpoints, pairwise_sum
from .bits import alignments


# ---------------------------------------------------------------------------
# Experiments
# ---------------------------------------------------------------------------


@dataclass
class AbsorptionData:
    """Result of :func:`absorption`.

    ``table[fmt]`` is :func:`add_in` of ``(a, b)``. ``x[fmt]`` holds the
    magnitudes (stored in the format, float64 array), ``half_gap[fmt]`` half
    the gap from ``x`` to the next larger value (the exact rule: ``t <
    half_gap`` is always absorbed, ``t == half_gap`` is absorbed iff ``x`` has
    an even last bit, larger ``t`` never is), and ``largest_absorbed[fmt]`` the
    largest power of two ``t`` with ``fl(x + t) == x``.
    """

    a: str
    b: str
    table: dict[str, AddResult]
    x: dict[str, np.ndarray]
    half_gap: dict[str, np.ndarray]
    largest_absorbed: dict[str, np.ndarray]
    formats: tuple[str, ...] = FORMAT_NAMES
    #: ``{format: BitAlignment}`` (float32, float64): b's significand shifted to a's exponent
    bits: dict = field(default_factory=dict)


def absorption_boundary(x, fmt) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(x_stored, half_gap, largest_absorbed)`` for positive magnitudes ``x``.

    ``x`` is rounded to the format first; entries that are not finite and
    positive after that (overflow, underflow to 0) are NaN in all three.
    ``largest_absorbed`` is ``half_gap`` when ``x``'s significand is even
    (the tie ``x + half_gap`` rounds back to ``x``) and ``half_gap / 2`` when
    it is odd; ``2 * largest_absorbed`` is never absorbed.
    """
    f = get_format(fmt)
    xs = np.asarray(round_to(x, f), dtype=np.float64)
    ok = np.isfinite(xs) & (xs > 0)
    xs = np.where(ok, xs, np.nan)
    u = ulp(np.where(ok, xs, 1.0), f)
    half = u / 2
    even = np.fmod(np.where(ok, xs, 0.0) / u, 2.0) == 0
    largest = np.where(even, half, half / 2)
    return xs, np.where(ok, half, np.nan), np.where(ok, largest, np.nan)


def absorption(a: str = "1e10", b: str = "1e-10", x=None,
               formats=FORMAT_NAMES) -> AbsorptionData:
    """Absorption: when does a small ``b`` vanish in ``a + b``?

    ``table``: :func:`add_in` of ``(a, b)`` in each format (by default the
    classic ``1e10 + 1e-10``: ``b`` is absorbed in every format; in float16
    ``1e10`` does not even fit and is stored as inf, and ``1e-10`` underflows
    to 0). Boundary: for magnitudes ``x`` (default 10**-6 ... 10**12, 721
    points on a log grid) the largest power of two ``t`` absorbed by ``x``.
    """
    if x is None:
        x = np.logspace(-6, 12, 721)
    table = {fm: add_in(a, b, fm) for fm in formats}
    xs, hg, la = {}, {}, {}
    for fm in formats:
        xs[fm], hg[fm], la[fm] = absorption_boundary(x, fm)
    return AbsorptionData(a=str(a), b=str(b), table=table, x=xs, half_gap=hg,
                          largest_absorbed=la, formats=tuple(formats),
                          bits=alignments(a, b, [fm for fm in ("float32", "float64") if fm in formats]))


@dataclass
class SpacingData:
    """Result of :func:`spacing`: per format, sample magnitudes ``x`` (float64,
    exactly representable in the format: each power of two ``2**k`` from the
    smallest subnormal to the top binade, and the last value before the next
    power of two, so the sawtooth of ``ulp(x)/x`` is sampled at its
    extremes), ``ulp`` (exact), ``relative = ulp / x`` and the constants
    (floats: ``eps``, ``smallest_subnormal``, ``smallest_normal``,
    ``largest_finite``)."""

    x: dict[str, np.ndarray]
    ulp: dict[str, np.ndarray]
    relative: dict[str, np.ndarray]
    constants: dict[str, dict[str, float]]
    formats: tuple[str, ...] = FORMAT_NAMES


def spacing(formats=FORMAT_NAMES) -> SpacingData:
    """ULP (gap to the next larger value) against magnitude for each format.

    Over the whole range of each format: constant ``smallest_subnormal`` in
    the subnormal range (so the relative spacing climbs to 1 at the smallest
    subnormal), and ``ulp(x)/x`` between ``eps/2`` and ``eps`` from the
    smallest normal to the largest finite value.
    """
    xs, us, rel, consts = {}, {}, {}, {}
    for fm in formats:
        f = get_format(fm)
        k = np.arange(f.emin - f.mantissa_bits, f.emax + 1)
        starts = np.ldexp(1.0, k)
        u = ulp(starts, f)
        ends = (starts - u) + starts             # 2**(k+1) - ulp: last of the binade
        x = np.sort(np.concatenate([starts, ends[ends > starts]]))
        xs[fm] = x
        us[fm] = ulp(x, f)
        rel[fm] = us[fm] / x
        consts[fm] = {"eps": float(f.eps),
                      "smallest_subnormal": float(f.smallest_subnormal),
                      "smallest_normal": float(f.smallest_normal),
                      "largest_finite": float(f.largest_finite)}
    return SpacingData(x=xs, ulp=us, relative=rel, constants=consts,
                       formats=tuple(formats))


@dataclass
class SummationData:
    """Result of :func:`summation`. Per format (``"float16"``, ``"float32"``):

    * ``n``: the checkpoints (int64)
    * ``stored``: the summand as stored in the format (exact Fraction)
    * ``exact``: ``n * stored`` exactly, as float64 for plotting
    * ``naive``, ``pairwise``, ``kahan``: the sums as computed (float64
      holding the format's value; ``kahan`` is NaN beyond ``kahan_max_n``)
    * ``naive_error`` etc.: ``|computed - exact| / exact``, computed exactly
      with Fractions and then converted to float64
    """

    value: str
    n: dict[str, np.ndarray]
    stored: dict[str, Fraction]
    exact: dict[str, np.ndarray]
    naive: dict[str, np.ndarray]
    pairwise: dict[str, np.ndarray]
    kahan: dict[str, np.ndarray]
    naive_error: dict[str, np.ndarray]
    pairwise_error: dict[str, np.ndarray]
    kahan_error: dict[str, np.ndarray]
    kahan_max_n: dict[str, int]
    formats: tuple[str, ...] = ("float16", "float32")


_NUMPY_DTYPE = {"float16": np.float16, "float32": np.float32, "float64": np.float64}


def _rel_error_exact(computed: float, exact: Fraction) -> float:
    if not math.isfinite(computed):
        return math.inf
    return float(abs(Fraction(computed) - exact) / exact)


def summation(value: str = "0.1", n_max=None, kahan_max_n=None,
              per_decade: int = 8) -> SummationData:
    """Add ``value`` (an exact decimal string) to itself ``n`` times.

    In float16 (default ``n_max`` 10**5, as 0.1 * 10**5 is still below
    65504) and float32 (default ``n_max`` 10**7). Three algorithms, each with
    every operation rounded to the format:

    * naive: the running sum ``s += x`` (``np.cumsum`` with the format's
      dtype, which is strictly sequential), so every checkpoint comes from
      one pass
    * pairwise: :func:`pairwise_sum`, run separately for each checkpoint
    * Kahan: :func:`kahan_running`, one pass recording the checkpoints. It is
      a Python loop, so it stops at ``kahan_max_n`` (default 10**5 for
      float16 and 10**6 for float32, ~0.5 s in total); later entries are NaN.

    Errors are relative to the exact sum ``n * fl(value)`` of the stored
    summand (so they measure the summation only, not the error of storing
    0.1). ``n_max`` and ``kahan_max_n`` may be ints (all formats) or dicts.
    """
    formats = ("float16", "float32")
    n_max_d = {"float16": 10 ** 5, "float32": 10 ** 7}
    kahan_d = {"float16": 10 ** 5, "float32": 10 ** 6}
    if isinstance(n_max, dict):
        n_max_d.update(n_max)
    elif n_max is not None:
        n_max_d = {fm: int(n_max) for fm in formats}
    if isinstance(kahan_max_n, dict):
        kahan_d.update(kahan_max_n)
    elif kahan_max_n is not None:
        kahan_d = {fm: int(kahan_max_n) for fm in formats}
    exact_value_ = to_fraction(value)
    data = {k: {} for k in ("n", "stored", "exact", "naive", "pairwise", "kahan",
                            "naive_error", "pairwise_error", "kahan_error")}
    for fm in formats:
        dt = _NUMPY_DTYPE[fm]
        stored = round_fraction(exact_value_, fm)
        c = dt(float(stored))
        nmax = int(n_max_d[fm])
        n = log_checkpoints(nmax, per_decade)
        vals = np.full(nmax, c, dtype=dt)
        with np.errstate(over="ignore"):
            naive = np.cumsum(vals, dtype=dt)[n - 1].astype(np.float64)
            pair = np.array([float(pairwise_sum(vals[:k], dt)) for k in n])
        kmax = min(int(kahan_d[fm]), nmax)
        kn = n[n <= kmax]
        kahan = np.full(len(n), np.nan)
        if len(kn):
            kahan[: len(kn)] = kahan_running(vals, dt, kn)
        exact = [int(k) * stored for k in n]
        data["n"][fm] = n
        data["stored"][fm] = stored
        data["exact"][fm] = np.array([float(e) for e in exact])
        data["naive"][fm] = naive
        data["pairwise"][fm] = pair
        data["kahan"][fm] = kahan
        for key, arr in (("naive", naive), ("pairwise", pair), ("kahan", kahan)):
            data[key + "_error"][fm] = np.array(
                [math.nan if math.isnan(v) else _rel_error_exact(v, e)
                 for v, e in zip(arr, exact)])
        kahan_d[fm] = kmax
    return SummationData(value=str(value), kahan_max_n=kahan_d, formats=formats, **data)


@dataclass
class CancellationData:
    """Result of :func:`cancellation`.

    ``x``: the small numbers (float64 grid); per format ``x_stored`` (x in
    the format), ``result`` = ``(1 + x) - 1`` computed in the format and
    ``rel_error`` = ``|result - x_stored| / x_stored`` (1 where ``x`` was
    absorbed by the 1).

    Variance (float32, data ``mean + N(0, 1)``): ``var_n`` the sample sizes,
    ``var_exact`` the population variance of the float32 data (float64
    two-pass with ``math.fsum``, relative accuracy ~1e-12), and per method
    (``"one-pass"``, ``"two-pass"``, ``"welford"``) the float32 estimate in
    ``var_estimate`` and ``|estimate - exact| / exact`` in ``var_rel_error``.
    """

    x: np.ndarray
    x_stored: dict[str, np.ndarray]
    result: dict[str, np.ndarray]
    rel_error: dict[str, np.ndarray]
    var_mean: float
    var_n: np.ndarray
    var_exact: np.ndarray
    var_estimate: dict[str, np.ndarray]
    var_rel_error: dict[str, np.ndarray]
    formats: tuple[str, ...] = FORMAT_NAMES


def welford_running(values, dtype, checkpoints) -> np.ndarray:
    """Welford's one-pass variance in ``dtype``, population variance at checkpoints::

        k += 1; d = x - mean; mean += d / k; m2 += d * (x - mean)
    """
    typ = np.dtype(dtype).type
    cps = np.asarray(checkpoints, dtype=np.int64)
    want = set(int(c) for c in cps)
    vals = np.asarray(values, dtype=dtype)
    mean, m2 = typ(0), typ(0)
    got = {}
    for i in range(int(cps.max())):
        x = vals[i]
        d = x - mean
        mean = mean + d / typ(i + 1)
        m2 = m2 + d * (x - mean)
        if i + 1 in want:
            got[i + 1] = float(m2 / typ(i + 1))
    return np.array([got[int(c)] for c in cps])


def cancellation(x=None, formats=FORMAT_NAMES, var_mean: float = 1e4,
                 var_n_max: int = 10 ** 5, seed: int = 0) -> CancellationData:
    """Catastrophic cancellation in two classic settings.

    1. ``(1 + x) - 1`` for small ``x`` (default 10**-20 ... 1, 601 points):
       both operations rounded to the format. The result is ``x`` rounded to
       a multiple of the spacing at 1, so the relative error is about
       ``eps / x`` and reaches 1 (total loss) below ``eps / 2``.
    2. Variance of ``var_mean + N(0, 1)`` (seeded) in float32, population
       variance (divide by ``n``), at log-spaced ``n`` up to ``var_n_max``:

       * one-pass ``E[x^2] - E[x]^2``: subtracts two numbers near
         ``mean**2 = 1e8``, whose float32 spacing is 8, to get ~1
       * two-pass: mean first, then the mean of ``(x - mean)**2``
       * Welford's update (:func:`welford_running`), float32

       One-pass and two-pass use float32 :func:`pairwise_sum` for every sum,
       so what differs is the formula, not the summation error. (With naive
       running sums even two-pass fails at large ``n``: the float32 sum of
       ~1e9 is off by units, the mean by more than the standard deviation.)
    """
    if x is None:
        x = np.logspace(-20, 0, 601)
    x = np.asarray(x, dtype=np.float64)
    xs, res, rel = {}, {}, {}
    for fm in formats:
        xv = np.asarray(round_to(x, fm), dtype=np.float64)
        one = np.ones_like(xv)
        r = np.asarray(fl_sub(fl_add(one, xv, fm), one, fm), dtype=np.float64)
        xs[fm], res[fm] = xv, r
        with np.errstate(all="ignore"):
            rel[fm] = np.where(xv > 0, np.abs(r - xv) / xv, np.nan)

    rng = np.random.default_rng(seed)
    data = (var_mean + rng.standard_normal(var_n_max)).astype(np.float32)
    ns = log_checkpoints(var_n_max, 6)
    ns = ns[ns >= 2]
    f32 = np.float32
    sq = data * data                                  # float32 products
    est = {"one-pass": [], "two-pass": [], "welford": []}
    exact = []
    with np.errstate(all="ignore"):
        for k in ns:
            kf = f32(k)
            m = pairwise_sum(data[:k], f32) / kf
            est["one-pass"].append(float(pairwise_sum(sq[:k], f32) / kf - m * m))
            dev = data[:k] - m
            est["two-pass"].append(float(pairwise_sum(dev * dev, f32) / kf))
            d64 = data[:k].astype(np.float64)
            mean64 = math.fsum(d64) / k
            exact.append(math.fsum((d64 - mean64) ** 2) / k)
    est["welford"] = list(welford_running(data, f32, ns))
    exact = np.array(exact)
    est = {key: np.array(v) for key, v in est.items()}
    rel_v = {key: np.abs(v - exact) / exact for key, v in est.items()}
    return CancellationData(x=x, x_stored=xs, result=res, rel_error=rel,
                            var_mean=float(var_mean), var_n=ns, var_exact=exact,
                            var_estimate=est, var_rel_error=rel_v,
                            formats=tuple(formats))


@dataclass
class OverflowData:
    """Result of :func:`overflow`.

    Thresholds per format (floats):

    * ``ln_max``: ``ln(largest finite)``, where ``exp`` leaves the range
    * ``exp_overflow_at``: ``ln(overflow_threshold)``: ``exp(x)`` rounds to
      inf for ``x`` at or above it (a hair above ``ln_max``)
    * ``sigmoid_saturation``: ``ln(4 / eps - 1)``: from here on the correctly
      rounded ``sigmoid(x)`` is exactly 1, so ``1 - sigmoid(x)`` is 0. (The
      gap below 1 is ``eps/2``; ``sigmoid(x)`` rounds to 1 once ``1 -
      sigmoid(x) <= eps/4``; the tie goes to 1, which is even.)
    * ``sigmoid_saturation_naive``: ``ln(2 / eps)``: the formula ``1 / (1 +
      exp(-x))`` evaluated in the format gives exactly 1 already here,
      because ``1 + exp(-x)`` rounds to 1 (ignoring the rounding of ``exp``)

    Arrays: ``s`` (float64 grid) for the logits ``z = (s, 0)``:
    ``exp_s[fmt]`` = ``exp(s)`` in the format, ``lse_naive[fmt]`` =
    ``log(exp(s) + exp(0))`` and ``lse_stable[fmt]`` = ``s + log(1 +
    exp(-s))`` (the log-sum-exp trick: subtract the max first),
    ``softmax_naive[fmt]`` / ``softmax_stable[fmt]`` = the first softmax
    probability (NaN once ``exp(s)`` is inf: inf / inf). ``x`` (float64 grid)
    for the sigmoid: ``one_minus_sigmoid[fmt]`` = ``1 - fl(sigmoid(x))``
    with ``sigmoid`` correctly rounded (to float64 accuracy) and
    ``one_minus_sigmoid_true`` = ``sigmoid(-x)`` in float64.
    """

    ln_max: dict[str, float]
    exp_overflow_at: dict[str, float]
    sigmoid_saturation: dict[str, float]
    sigmoid_saturation_naive: dict[str, float]
    s: np.ndarray
    exp_s: dict[str, np.ndarray]
    lse_naive: dict[str, np.ndarray]
    lse_stable: dict[str, np.ndarray]
    softmax_naive: dict[str, np.ndarray]
    softmax_stable: dict[str, np.ndarray]
    x: np.ndarray
    one_minus_sigmoid: dict[str, np.ndarray]
    one_minus_sigmoid_true: np.ndarray
    formats: tuple[str, ...] = FORMAT_NAMES


def ln_fraction(q: Fraction, digits: int = 30) -> float:
    """Natural log of a positive Fraction via Decimal (no float overflow)."""
    ctx = Context(prec=digits + 10)
    return float(ctx.subtract(ctx.ln(Decimal(q.numerator)), ctx.ln(Decimal(q.denominator))))


def overflow(s=None, x=None, formats=FORMAT_NAMES) -> OverflowData:
    """Overflow of ``exp`` (naive softmax / log-sum-exp) and sigmoid saturation.

    Softmax/log-sum-exp of the two logits ``(s, 0)`` for ``s`` on a log grid
    (default 10**-1 ... 10**3, 801 points), naive vs stable, each operation
    rounded to the format. Sigmoid on ``x`` in 0 ... 45 (901 points). See
    :class:`OverflowData` for the thresholds and arrays.
    """
    if s is None:
        s = np.logspace(-1, 3, 801)
    if x is None:
        x = np.linspace(0, 45, 901)
    s = np.asarray(s, dtype=np.float64)
    x = np.asarray(x, dtype=np.float64)
    ln_max, ovf, sat, sat_naive = {}, {}, {}, {}
    exp_s, lse_n, lse_s, sm_n, sm_s, oms = {}, {}, {}, {}, {}, {}
    with np.errstate(all="ignore"):
        t = np.exp(-x) / (1 + np.exp(-x))           # sigmoid(-x) = 1 - sigmoid(x)
        for fm in formats:
            f = get_format(fm)
            ln_max[fm] = ln_fraction(f.largest_finite)
            ovf[fm] = ln_fraction(f.overflow_threshold)
            sat[fm] = ln_fraction(4 / f.eps - 1)
            sat_naive[fm] = ln_fraction(2 / f.eps)
            sv = np.asarray(round_to(s, fm), dtype=np.float64)
            one = np.ones_like(sv)
            e = np.asarray(fl_exp(sv, fm), dtype=np.float64)
            total = np.asarray(fl_add(e, one, fm), dtype=np.float64)     # exp(s) + exp(0)
            exp_s[fm] = e
            lse_n[fm] = np.asarray(fl_log(total, fm), dtype=np.float64)
            em = np.asarray(fl_exp(-sv, fm), dtype=np.float64)          # exp(0 - s)
            tail = np.asarray(fl_log(fl_add(one, em, fm), fm), dtype=np.float64)
            lse_s[fm] = np.asarray(fl_add(sv, tail, fm), dtype=np.float64)
            sm_n[fm] = np.asarray(fl_div(e, total, fm), dtype=np.float64)
            sm_s[fm] = np.asarray(fl_div(one, fl_add(one, em, fm), fm), dtype=np.float64)
            if fm == "float64":
                sig = 1.0 - t                          # correctly rounded 1 - t
            else:
                sig = np.asarray(round_to(1.0 - t, fm), dtype=np.float64)
            oms[fm] = 1.0 - sig                        # exact (Sterbenz) for sig >= 1/2
    return OverflowData(ln_max=ln_max, exp_overflow_at=ovf, sigmoid_saturation=sat,
                        sigmoid_saturation_naive=sat_naive, s=s, exp_s=exp_s,
                        lse_naive=lse_n, lse_stable=lse_s, softmax_naive=sm_n,
                        softmax_stable=sm_s, x=x, one_minus_sigmoid=oms,
                        one_minus_sigmoid_true=t, formats=tuple(formats))


#: The experiment behind each precision figure: the figures draw this data and
#: never compute it (gradviz.figures.precision).
EXPERIMENTS = {"absorption": absorption, "spacing": spacing, "summation": summation,
               "cancellation": cancellation, "overflow": overflow}


def experiment_data(names, *, a: str = "1e10", b: str = "1e-10") -> dict:
    """``{name: data}`` for the experiments ``names``, with their defaults
    (the absorption experiment adds ``a + b``)."""
    return {n: absorption(a, b) if n == "absorption" else EXPERIMENTS[n]() for n in names}
