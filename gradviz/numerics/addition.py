"""One addition, exactly (``a + b`` in a format with its exact error), and the
summation helpers of the experiments (pairwise, Kahan)."""
from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

import numpy as np

from .formats import FloatFormat, get_format, round_fraction, to_fraction


# ---------------------------------------------------------------------------
# One addition, exactly
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class AddResult:
    """``fl(a + b)`` in one format, with everything exact.

    Values are Fractions, or floats for infinities and undefined (NaN) errors.

    * ``a_input``, ``b_input``: the exact values asked for
    * ``a``, ``b``: the operands as stored in the format (rounded once)
    * ``rounded``: ``fl(a + b)``, the exact sum rounded once (IEEE semantics)
    * ``exact``: ``a + b`` exactly (of the stored operands)
    * ``abs_error``: ``|rounded - exact|``; ``inf`` if the sum overflowed,
      NaN if an operand was already infinite (the error is then undefined)
    * ``rel_error``: ``abs_error / |exact|`` (NaN when ``exact`` is 0)
    * ``survived``: ``rounded - a``, how much of ``b`` made it into the sum
    * ``absorbed``: ``b`` is not zero but ``rounded == a``: none of ``b`` survived
    * ``digits_lost``: see :func:`digits_lost`
    * ``a_overflow``/``b_underflow``: storing the operand gave inf / zero
    """

    fmt: str
    a_input: Fraction
    b_input: Fraction
    a: Fraction | float
    b: Fraction | float
    rounded: Fraction | float
    exact: Fraction | float
    abs_error: Fraction | float
    rel_error: Fraction | float
    survived: Fraction | float
    absorbed: bool
    digits_lost: float
    a_overflow: bool
    b_overflow: bool
    a_underflow: bool
    b_underflow: bool


def digits_lost(b, error, fmt) -> float:
    """Decimal digits of ``b`` destroyed by one rounding that made ``error``.

    A stored operand carries about ``D = p * log10(2)`` significant decimal
    digits: it is known to relative precision ``u = 2**-p`` (the unit
    roundoff). After an addition, ``b``'s contribution to the result is only
    right to ``|error| / |b|`` relative. The digits lost are the decades
    between the two::

        digits_lost = clip(log10(|error| / (u * |b|)), 0, D)

    So 0 means the sum was exact (or no worse than storing ``b`` once), ``D``
    means ``b`` was absorbed entirely (``|error| = |b|``), and e.g. ``1e4 +
    1e-3`` in float32 (``u|b| ~ 6e-11``, error ~ 2.5e-7) loses about 3.6 of
    float32's 7.2 digits of ``b``. Returns 0 when ``b`` is 0 and NaN when the
    error is undefined or infinite.
    """
    f = get_format(fmt)
    D = f.decimal_digits
    if isinstance(error, float) and not math.isfinite(error):
        return math.nan
    if isinstance(b, float) and not math.isfinite(b):
        return math.nan
    b, error = to_fraction(b), abs(to_fraction(error))
    if b == 0 or error == 0:
        return 0.0
    ratio = error / (f.unit_roundoff * abs(b))
    # log10 of a Fraction without float overflow/underflow:
    value = (math.log10(ratio.numerator) - math.log10(ratio.denominator))
    return min(max(value, 0.0), D)


def add_in(a, b, fmt: str | FloatFormat) -> AddResult:
    """One IEEE addition ``a + b`` in ``fmt``, checked exactly.

    ``a`` and ``b`` may be strings (read as exact decimals: ``"1e-10"`` is
    10**-10 exactly), ints, Fractions, Decimals or floats. Each operand is
    first rounded to the format (that is how it would be stored), then the
    exact sum of the stored operands is rounded once. See :class:`AddResult`.
    """
    f = get_format(fmt)
    a_in, b_in = to_fraction(a), to_fraction(b)
    sa, sb = round_fraction(a_in, f), round_fraction(b_in, f)
    a_inf = isinstance(sa, float)
    b_inf = isinstance(sb, float)
    nan = math.nan
    if a_inf or b_inf:
        if a_inf and b_inf and sa != sb:
            exact = rounded = nan                # inf - inf
        else:
            exact = rounded = sa if a_inf else sb
        abs_err = rel_err = nan
        survived = nan
        absorbed = (not b_inf) and sb != 0 and rounded == sa
        lost = nan
    else:
        exact = sa + sb
        rounded = round_fraction(exact, f)
        if isinstance(rounded, float):           # the sum itself overflowed
            abs_err = rel_err = math.inf
            survived = math.inf
            lost = nan
        else:
            abs_err = abs(rounded - exact)
            rel_err = abs_err / abs(exact) if exact != 0 else (Fraction(0) if abs_err == 0 else nan)
            survived = rounded - sa
            lost = digits_lost(sb, abs_err, f)
        absorbed = sb != 0 and rounded == sa
    return AddResult(
        fmt=f.name, a_input=a_in, b_input=b_in, a=sa, b=sb, rounded=rounded,
        exact=exact, abs_error=abs_err, rel_error=rel_err, survived=survived,
        absorbed=bool(absorbed), digits_lost=lost,
        a_overflow=a_inf, b_overflow=b_inf,
        a_underflow=(not a_inf) and sa == 0 and a_in != 0,
        b_underflow=(not b_inf) and sb == 0 and b_in != 0,
    )


# ---------------------------------------------------------------------------
# Summation helpers
# ---------------------------------------------------------------------------


def log_checkpoints(n_max: int, per_decade: int = 8) -> np.ndarray:
    """Distinct integers from 1 to ``n_max`` spaced evenly in log10 (ends included)."""
    k = max(2, int(round(per_decade * math.log10(max(n_max, 1)))) + 1)
    n = np.unique(np.round(np.logspace(0, math.log10(max(n_max, 1)), k)).astype(np.int64))
    return n[(n >= 1) & (n <= n_max)]


def pairwise_sum(values, dtype) -> np.generic:
    """Pairwise (tree) summation with every addition rounded to ``dtype``.

    Level by level: add neighbours ``v[0::2] + v[1::2]`` in ``dtype`` (a zero
    is appended to an odd-length level, which changes nothing), until one
    value is left. Error bound ``~ log2(n) * u * sum|v|`` instead of the
    naive ``n * u * sum|v|``. (numpy's own ``np.sum`` is also pairwise but
    blocked and, for float16, accumulates in float32.)
    """
    v = np.asarray(values, dtype=dtype)
    if v.size == 0:
        return dtype(0) if isinstance(dtype, type) else np.dtype(dtype).type(0)
    while v.size > 1:
        if v.size % 2:
            v = np.concatenate([v, np.zeros(1, dtype=v.dtype)])
        v = (v[0::2] + v[1::2]).astype(v.dtype)
    return v[0]


def kahan_running(values, dtype, checkpoints) -> np.ndarray:
    """Kahan (compensated) running sum in ``dtype``, recorded at checkpoints.

    One sequential pass over ``values[:max(checkpoints)]`` with numpy scalars
    of ``dtype`` (so every operation is rounded to it)::

        y = x - c;  t = s + y;  c = (t - s) - y;  s = t

    Returns ``s`` after ``n`` terms for each ``n`` in ``checkpoints`` (as
    float64). This is a plain Python loop (about 0.4 us per term), which is
    why :func:`summation` stops Kahan at ``kahan_max_n``.
    """
    typ = np.dtype(dtype).type
    cps = np.asarray(checkpoints, dtype=np.int64)
    order = np.argsort(cps)
    out = np.empty(len(cps), dtype=np.float64)
    vals = np.asarray(values, dtype=dtype)
    s, c = typ(0), typ(0)
    j = 0
    sorted_cps = cps[order]
    while j < len(sorted_cps) and sorted_cps[j] == 0:
        out[order[j]] = 0.0
        j += 1
    with np.errstate(all="ignore"):
        for i in range(int(sorted_cps[-1]) if len(sorted_cps) else 0):
            y = vals[i] - c
            t = s + y
            c = (t - s) - y
            s = t
            while j < len(sorted_cps) and sorted_cps[j] == i + 1:
                out[order[j]] = float(s)
                j += 1
    return out
