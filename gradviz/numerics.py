"""Floating-point precision, exactly: formats, rounding, and small experiments.

Pure numpy/Python (no matplotlib, no numba). Everything here returns plain
data; :mod:`gradviz.figures.precision` draws it and the two ``*_table``
functions print it.

Formats
    ``float16`` (IEEE binary16), ``bfloat16`` (Google brain float),
    ``float32`` (binary32) and ``float64`` (binary64); see :data:`FORMATS`.

Rounding
    :func:`round_to` rounds float32/float64 arrays to any of the four
    formats with IEEE round-to-nearest, ties-to-even (RNE), including
    overflow to +-inf, gradual underflow (subnormals), signed zeros and NaN.
    :func:`round_fraction` does the same for one exact rational number.

Exact arithmetic
    :func:`exact_value`, :func:`to_fraction` and :func:`add_in` use
    :class:`fractions.Fraction`, so every reported error is exact.

Simulated arithmetic in a format
    float16, bfloat16 and float32 operations are carried out in float64 and
    then rounded once with :func:`round_to`. For ``+ - * /`` this is exactly
    the IEEE result of the operation in the narrow format, because float64 has
    at least ``2p + 2`` bits for each of them (53 >= 2*24 + 2), the condition
    under which double rounding is innocuous (S. Figueroa, "When is double
    rounding innocuous?", SIGNUM Newsletter 30(3), 1995). ``exp``/``log`` are
    float64 library results rounded once: correct except, in principle, for
    arguments within about 1e-16 (relative) of a rounding tie.

Experiments (each documented at its function)
    :func:`absorption`, :func:`spacing`, :func:`summation`,
    :func:`cancellation`, :func:`overflow`.

Tables
    :func:`precision_add_table`, :func:`precision_info_table`.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from decimal import ROUND_HALF_EVEN, Context, Decimal, InvalidOperation
from fractions import Fraction
from numbers import Rational

import numpy as np

__all__ = [
    "FloatFormat", "FORMATS", "FORMAT_NAMES", "get_format",
    "round_to", "round_fraction", "ulp", "exact_value", "to_fraction",
    "fl_add", "fl_sub", "fl_mul", "fl_div", "fl_exp", "fl_log",
    "AddResult", "add_in", "digits_lost",
    "pairwise_sum", "kahan_running", "log_checkpoints",
    "AbsorptionData", "absorption", "absorption_boundary",
    "SpacingData", "spacing",
    "SummationData", "summation",
    "CancellationData", "cancellation", "welford_running",
    "OverflowData", "overflow", "EXPERIMENTS", "experiment_data",
    "format_number", "precision_add_table", "precision_info_table",
]

# ---------------------------------------------------------------------------
# Formats
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class FloatFormat:
    """One binary floating-point format, with its constants as exact Fractions.

    ``mantissa_bits`` counts the stored fraction bits (without the hidden
    leading 1), so the precision is ``p = mantissa_bits + 1`` significant bits.

    * ``eps``: machine epsilon, the spacing of the format at 1, ``2**(1 - p)``
    * ``unit_roundoff``: ``eps / 2``, the largest relative rounding error
      of round-to-nearest (for results in the normal range)
    * ``smallest_subnormal``: ``2**(emin - mantissa_bits)``
    * ``smallest_normal``: ``2**emin``
    * ``largest_finite``: ``(2 - 2**-mantissa_bits) * 2**emax``
    * ``overflow_threshold``: ``(2 - 2**-p) * 2**emax``, halfway between the
      largest finite value and ``2**(emax + 1)``; exact values at or above it
      (in magnitude) round to infinity under round-to-nearest-even.
    """

    name: str
    exponent_bits: int
    mantissa_bits: int
    precision: int = field(init=False)
    bias: int = field(init=False)
    emin: int = field(init=False)
    emax: int = field(init=False)
    eps: Fraction = field(init=False)
    unit_roundoff: Fraction = field(init=False)
    smallest_subnormal: Fraction = field(init=False)
    smallest_normal: Fraction = field(init=False)
    largest_finite: Fraction = field(init=False)
    overflow_threshold: Fraction = field(init=False)

    def __post_init__(self):
        m, e = self.mantissa_bits, self.exponent_bits
        bias = 2 ** (e - 1) - 1
        two = Fraction(2)
        values = {
            "precision": m + 1,
            "bias": bias,
            "emin": 1 - bias,
            "emax": bias,
            "eps": two ** -m,
            "unit_roundoff": two ** -(m + 1),
            "smallest_subnormal": two ** (1 - bias - m),
            "smallest_normal": two ** (1 - bias),
            "largest_finite": (2 - two ** -m) * two ** bias,
            "overflow_threshold": (2 - two ** -(m + 1)) * two ** bias,
        }
        for key, value in values.items():
            object.__setattr__(self, key, value)

    @property
    def bits(self) -> int:
        """Total storage bits: sign + exponent + mantissa."""
        return 1 + self.exponent_bits + self.mantissa_bits

    @property
    def decimal_digits(self) -> float:
        """``p * log10(2)``: about how many significant decimal digits it holds."""
        return self.precision * math.log10(2)

    @property
    def storage_dtype(self) -> np.dtype:
        """The numpy dtype :func:`round_to` returns (bfloat16 is held in float32)."""
        return np.dtype({"float16": np.float16, "bfloat16": np.float32,
                         "float32": np.float32, "float64": np.float64}[self.name])


FORMAT_NAMES: tuple[str, ...] = ("float16", "bfloat16", "float32", "float64")
FORMATS: dict[str, FloatFormat] = {
    "float16": FloatFormat("float16", exponent_bits=5, mantissa_bits=10),
    "bfloat16": FloatFormat("bfloat16", exponent_bits=8, mantissa_bits=7),
    "float32": FloatFormat("float32", exponent_bits=8, mantissa_bits=23),
    "float64": FloatFormat("float64", exponent_bits=11, mantissa_bits=52),
}
_ALIASES = {"fp16": "float16", "half": "float16", "f16": "float16",
            "bf16": "bfloat16", "fp32": "float32", "single": "float32",
            "f32": "float32", "fp64": "float64", "double": "float64",
            "f64": "float64"}


def get_format(fmt: str | FloatFormat) -> FloatFormat:
    """The :class:`FloatFormat` for a name (``"float16"``, ``"bf16"``, ...) or itself."""
    if isinstance(fmt, FloatFormat):
        return fmt
    key = str(fmt).strip().lower()
    key = _ALIASES.get(key, key)
    try:
        return FORMATS[key]
    except KeyError:
        raise ValueError(f"unknown float format {fmt!r}; "
                         f"known: {', '.join(FORMAT_NAMES)}") from None


# ---------------------------------------------------------------------------
# Rounding (vectorised)
# ---------------------------------------------------------------------------


def _round_generic(x, f: FloatFormat) -> np.ndarray:
    """Round float64 values to precision ``f.precision`` and exponent range
    ``[f.emin, f.emax]`` with ties to even; float64 array holding the result.

    Every step is exact in float64: scaling by a power of two (``ldexp``) so
    that the target quantum becomes 1, ``rint`` (which rounds half to even),
    and scaling back. The exponent is clamped at ``emin`` so values below the
    smallest normal number get the fixed subnormal quantum (gradual underflow).
    Magnitudes above the largest finite value after rounding become infinite.
    The input is rounded once, directly; no intermediate format is involved.
    """
    x = np.array(x, dtype=np.float64, copy=True)
    finite = np.isfinite(x) & (x != 0)
    xf = x[finite]
    _, e2 = np.frexp(xf)                        # |xf| = m * 2**e2, 0.5 <= m < 1
    e = np.maximum(e2 - 1, f.emin)              # exponent of the leading bit
    shift = (f.precision - 1) - e               # xf * 2**shift has quantum 1
    n = np.rint(np.ldexp(xf, shift))            # ties to even
    y = np.ldexp(n, -shift)
    y = np.where(np.abs(y) > float(f.largest_finite), np.copysign(np.inf, xf), y)
    x[finite] = y
    return x


def _bfloat16_bits_from_float32(x32: np.ndarray) -> np.ndarray:
    """RNE float32 -> bfloat16 on the bit pattern; float32 array of the result.

    bfloat16 is the top 16 bits of a float32. Adding ``0x7FFF`` plus the
    lowest kept bit (bit 16) and clearing the low 16 bits rounds to nearest
    with ties to even: a tail above ``0x8000`` carries into bit 16, exactly
    ``0x8000`` carries only when bit 16 is 1 (odd), so ties go to even. A carry
    out of the mantissa bumps the exponent, which also takes the largest
    values to infinity (``0x7F7F8000 + 0x7FFF + 1 -> 0x7F808000 -> inf``).
    NaNs are handled apart: the same addition could turn a NaN with only low
    payload bits into infinity, so they keep their sign and become quiet NaNs.
    """
    x32 = np.ascontiguousarray(x32, dtype=np.float32)
    bits = x32.view(np.uint32)
    lsb = (bits >> np.uint32(16)) & np.uint32(1)
    rounded = (bits + np.uint32(0x7FFF) + lsb) & np.uint32(0xFFFF0000)
    quiet_nan = (bits & np.uint32(0xFFFF0000)) | np.uint32(0x00400000)
    rounded = np.where(np.isnan(x32), quiet_nan, rounded).astype(np.uint32)
    return rounded.view(np.float32)


def _float64_to_float32_round_to_odd(x64: np.ndarray) -> np.ndarray:
    """float64 -> float32 with round-to-odd: truncate, then set the last bit
    if anything was cut off.

    Rounding a float64 to float32 to nearest and then to bfloat16 to nearest
    can go wrong (double rounding: e.g. ``1 + 2**-8 + 2**-30`` becomes the tie
    ``1 + 2**-8`` in float32, which then rounds down to 1 instead of up).
    Round-to-odd keeps a sticky bit instead, and rounding a round-to-odd
    result with at least ``p + 2`` bits to ``p`` bits equals rounding the
    original directly (Boldo & Melquiond, 2008). float32 keeps 16 bits more
    than bfloat16 throughout bfloat16's range, subnormals included.
    """
    x64 = np.asarray(x64, dtype=np.float64)
    with np.errstate(all="ignore"):
        f = x64.astype(np.float32)                   # nearest (may overflow)
        too_big = np.abs(f.astype(np.float64)) > np.abs(x64)
        f = np.where(too_big, np.nextafter(f, np.float32(0)), f)  # truncation
        inexact = np.isfinite(x64) & (f.astype(np.float64) != x64)
    bits = f.astype(np.float32).view(np.uint32) | inexact.astype(np.uint32)
    return bits.view(np.float32)


def round_to(x, fmt: str | FloatFormat) -> np.ndarray:
    """Round values to a format with round-to-nearest, ties-to-even.

    ``x`` is anything numpy turns into float32 or float64 (float16 and ints
    up to 2**53 are converted exactly first). Returns an array of
    ``get_format(fmt).storage_dtype`` holding the rounded values:

    * ``float16``: numpy float16 (our own rounding of the float64 value, then
      a cast that is exact; it equals ``x.astype(np.float16)`` for every input)
    * ``bfloat16``: float32 whose low 16 bits are zero; computed by bit
      arithmetic on the float32 pattern. float64 input is first rounded to
      float32 with round-to-odd, so the result is the correct direct rounding
      of the float64 value (no double-rounding error).
    * ``float32``: float32 (our own rounding, equal to numpy's cast)
    * ``float64``: the input as float64

    Overflow gives +-inf, tiny values become subnormals or a signed zero, NaN
    stays NaN (float16/float32: numpy's cast decides the payload bits;
    bfloat16: quiet NaN, sign and top payload bits kept), infinities stay
    infinite.

    Note: ``ml_dtypes`` (0.6) converts float64 to bfloat16 via float32 and
    so double-rounds, e.g. -952320.02512055 -> -950272 instead of the
    correct -954368; float32 input agrees bit for bit.
    """
    f = get_format(fmt)
    arr = np.asarray(x)
    if f.name == "float64":
        return arr.astype(np.float64)
    if f.name == "bfloat16":
        if arr.dtype in (np.float32, np.float16):
            x32 = arr.astype(np.float32)
        else:
            x32 = _float64_to_float32_round_to_odd(arr.astype(np.float64))
        return _bfloat16_bits_from_float32(x32)
    with np.errstate(all="ignore"):
        out = _round_generic(arr.astype(np.float64), f).astype(f.storage_dtype)
        nan = np.isnan(arr)
        if np.any(nan):
            # NaN stays NaN; take numpy's cast for it so payload bits match too
            out[nan] = arr[nan].astype(f.storage_dtype)
    return out


def round_fraction(q, fmt: str | FloatFormat) -> Fraction | float:
    """Round one exact rational number to a format (ties to even).

    Returns a :class:`Fraction` holding the representable value, or
    ``float('inf')``/``float('-inf')`` on overflow. A result that underflows
    to zero is ``Fraction(0)`` (Fractions carry no sign of zero). Non-finite
    floats pass through unchanged.
    """
    f = get_format(fmt)
    if isinstance(q, float) and not math.isfinite(q):
        return q
    q = to_fraction(q)
    if q == 0:
        return Fraction(0)
    sign = 1 if q > 0 else -1
    a = abs(q)
    e = a.numerator.bit_length() - a.denominator.bit_length()
    if Fraction(2) ** e > a:
        e -= 1                                   # now 2**e <= a < 2**(e+1)
    e = max(e, f.emin)
    quantum = Fraction(2) ** (e - f.precision + 1)
    r = round(a / quantum) * quantum             # Fraction.__round__: half to even
    if r > f.largest_finite:
        return math.copysign(math.inf, sign)
    return sign * r


def ulp(x, fmt: str | FloatFormat) -> np.ndarray:
    """Unit in the last place of ``x`` in a format, exactly, as float64.

    ``x`` is first rounded to the format. The ULP is the quantum
    ``2**(max(e, emin) - p + 1)`` where ``2**e <= |x| < 2**(e+1)``: the gap
    from ``|x|`` to the next larger representable magnitude (for powers of two
    the gap below is half of it). ``ulp(0)`` is the smallest subnormal; NaN
    for infinities and NaN. For finite ``x`` below the largest finite value
    it equals ``np.spacing(abs(x))`` in float16/float32/float64.
    """
    f = get_format(fmt)
    v = np.asarray(round_to(x, f), dtype=np.float64)
    _, e2 = np.frexp(np.where(np.isfinite(v), v, 1.0))
    e = np.where(v == 0, f.emin, np.maximum(e2 - 1, f.emin))
    out = np.ldexp(1.0, e - f.precision + 1)
    return np.where(np.isfinite(v), out, np.nan)


# ---------------------------------------------------------------------------
# Exact values and simulated arithmetic
# ---------------------------------------------------------------------------


def to_fraction(v) -> Fraction:
    """The exact rational value of ``v``.

    Strings are read as exact decimals (``"1e-10"`` is exactly 10**-10, not
    the float64 nearest to it); floats and numpy floats give the exact binary
    value they hold; ints, Decimals and Fractions convert exactly.
    Raises ``ValueError`` for inf/NaN.
    """
    if isinstance(v, Fraction):
        return v
    if isinstance(v, str):
        s = v.strip().replace("_", "")
        try:
            return Fraction(s)
        except ValueError:
            try:
                d = Decimal(s)                    # e.g. "1E+10", ".5"
            except InvalidOperation:
                raise ValueError(f"{v!r} is not a number") from None
            if not d.is_finite():
                raise ValueError(f"{v!r} is not a finite number") from None
            return Fraction(d)
    if isinstance(v, Decimal):
        if not v.is_finite():
            raise ValueError(f"{v!r} is not a finite number")
        return Fraction(v)
    if isinstance(v, (bool, np.bool_)):
        return Fraction(int(v))
    if isinstance(v, (int, np.integer, Rational)):
        return Fraction(int(v)) if isinstance(v, np.integer) else Fraction(v)
    fv = float(np.asarray(v, dtype=np.float64)) if isinstance(v, np.generic) else float(v)
    if not math.isfinite(fv):
        raise ValueError(f"{v!r} is not a finite number")
    return Fraction(fv)


def exact_value(x) -> Fraction:
    """The exact value a float holds, as a Fraction (``Fraction(0.1)`` is
    ``3602879701896397/36028797018963968``). numpy float16/32/64 scalars and
    0-d arrays are fine; they widen to float64 exactly."""
    if isinstance(x, np.ndarray):
        x = x.item()
    return to_fraction(x)


def _binary_op(ufunc, a, b, fmt) -> np.ndarray:
    f = get_format(fmt)
    with np.errstate(all="ignore"):
        if f.name == "float64":
            return ufunc(np.asarray(a, np.float64), np.asarray(b, np.float64))
        wide = ufunc(np.asarray(a, np.float64), np.asarray(b, np.float64))
        return round_to(wide, f)


def fl_add(a, b, fmt) -> np.ndarray:
    """``a + b`` as the format computes it (operands assumed already in it)."""
    return _binary_op(np.add, a, b, fmt)


def fl_sub(a, b, fmt) -> np.ndarray:
    """``a - b`` as the format computes it (operands assumed already in it)."""
    return _binary_op(np.subtract, a, b, fmt)


def fl_mul(a, b, fmt) -> np.ndarray:
    """``a * b`` as the format computes it (operands assumed already in it)."""
    return _binary_op(np.multiply, a, b, fmt)


def fl_div(a, b, fmt) -> np.ndarray:
    """``a / b`` as the format computes it (operands assumed already in it)."""
    return _binary_op(np.divide, a, b, fmt)


def fl_exp(x, fmt) -> np.ndarray:
    """``exp(x)`` in the format: float64 ``exp`` rounded once (float64: native)."""
    with np.errstate(all="ignore"):
        return round_to(np.exp(np.asarray(x, np.float64)), fmt)


def fl_log(x, fmt) -> np.ndarray:
    """``log(x)`` in the format: float64 ``log`` rounded once (float64: native)."""
    with np.errstate(all="ignore"):
        return round_to(np.log(np.asarray(x, np.float64)), fmt)


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
                          largest_absorbed=la, formats=tuple(formats))


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


def _ln_fraction(q: Fraction, digits: int = 30) -> float:
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
            ln_max[fm] = _ln_fraction(f.largest_finite)
            ovf[fm] = _ln_fraction(f.overflow_threshold)
            sat[fm] = _ln_fraction(4 / f.eps - 1)
            sat_naive[fm] = _ln_fraction(2 / f.eps)
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


# ---------------------------------------------------------------------------
# Printing numbers exactly (or clearly marked as approximate)
# ---------------------------------------------------------------------------

APPROX = "~"   # ASCII, so the tables print on any console


def _exact_decimal(q: Fraction) -> tuple[int, int] | None:
    """``(digits, exp10)`` with ``|q| = digits * 10**exp10`` and no trailing
    zeros in ``digits``, if ``q`` has a finite decimal expansion; else None."""
    d = q.denominator
    a = b = 0
    while d % 2 == 0:
        d //= 2
        a += 1
    while d % 5 == 0:
        d //= 5
        b += 1
    if d != 1:
        return None
    k = max(a, b)
    digits = abs(q.numerator) * 10 ** k // q.denominator   # exact: den divides 10**k
    exp10 = -k
    while digits and digits % 10 == 0:
        digits //= 10
        exp10 += 1
    return digits, exp10


def _layout(digits: str, exp10: int, sci_low: int = -5, sci_high: int = 15) -> str:
    """Place a digit string (value ``int(digits) * 10**exp10``) positionally or
    in scientific notation (when the leading exponent is outside the bounds)."""
    lead = len(digits) - 1 + exp10            # exponent of the leading digit
    if sci_low <= lead <= sci_high:
        if exp10 >= 0:
            return digits + "0" * exp10
        point = len(digits) + exp10
        if point > 0:
            return digits[:point] + "." + digits[point:]
        return "0." + "0" * (-point) + digits
    mant = digits[0] + ("." + digits[1:] if len(digits) > 1 else "")
    return f"{mant}e{lead}"


def format_number(v, sig: int = 10, max_exact: int = 17) -> str:
    """A number for a table: exact when that takes at most ``max_exact``
    significant digits, else ``~`` plus ``sig`` significant digits (rounded
    half to even, trailing zeros kept: ``~1.000000000e-10`` is not 1e-10). Accepts Fractions, ints, floats (exact binary value),
    Decimals and exact-decimal strings; infinities and NaN print as
    ``inf``, ``-inf``, ``nan``."""
    if isinstance(v, float) and not math.isfinite(v):
        return "nan" if math.isnan(v) else ("inf" if v > 0 else "-inf")
    q = to_fraction(v)
    if q == 0:
        return "0"
    sign = "-" if q < 0 else ""
    ex = _exact_decimal(q)
    if ex is not None and len(str(ex[0])) <= max_exact:
        return sign + _layout(str(ex[0]), ex[1])
    ctx = Context(prec=sig, rounding=ROUND_HALF_EVEN)
    d = ctx.divide(Decimal(abs(q.numerator)), Decimal(q.denominator))
    t = d.as_tuple()
    digits = "".join(map(str, t.digits))      # keep trailing zeros: they are
    return APPROX + sign + _layout(digits, t.exponent)   # significant here


def _pow2(q: Fraction) -> str | None:
    """``"2^k"`` if ``q`` is a power of two, else None."""
    if q > 0 and q.numerator & (q.numerator - 1) == 0 and q.denominator & (q.denominator - 1) == 0:
        return f"2^{q.numerator.bit_length() - q.denominator.bit_length()}"
    return None


def _sig_to_show(exact: Fraction, error: Fraction) -> int:
    """Significant digits needed to see an error of size ``error`` in ``exact``."""
    if error == 0 or exact == 0:
        return 10
    ratio = abs(exact) / error
    return max(10, min(60, int(math.log10(ratio.numerator) - math.log10(ratio.denominator)) + 3))


def _table(header: list[str], rows: list[list[str]], right: set[int] = frozenset()) -> str:
    widths = [max(len(r[i]) for r in [header] + rows) for i in range(len(header))]
    def line(r):
        cells = [(c.rjust(w) if i in right else c.ljust(w)) for i, (c, w) in enumerate(zip(r, widths))]
        return "  ".join(cells).rstrip()
    sep = "  ".join("-" * w for w in widths)
    return "\n".join([line(header), sep] + [line(r) for r in rows])


def precision_add_table(a: str, b: str, formats=FORMAT_NAMES) -> str:
    """A plain-text table of ``fl(a + b)`` in each format (see :func:`add_in`).

    ``a`` and ``b`` are read as exact decimals. Columns: the operands as
    stored, the rounded sum, the exact sum of the stored operands, absolute
    and relative error, and how much of ``b`` survived. Numbers are exact
    unless marked ``~`` (then rounded to the digits shown).
    """
    results = [add_in(a, b, fm) for fm in formats]
    header = ["format", "a stored", "b stored", "fl(a + b)", "exact a + b",
              "abs. error", "rel. error", "b absorbed?", "b digits lost"]
    rows = []
    notes = []
    for r in results:
        f = get_format(r.fmt)
        # enough digits in the two sums to see the error between them
        sig = 10 if isinstance(r.exact, float) or isinstance(r.abs_error, float) \
            else _sig_to_show(r.exact, r.abs_error)
        undefined = isinstance(r.abs_error, float) and math.isnan(r.abs_error)
        if r.a_overflow or r.b_overflow:
            verdict = "n/a (operand is inf)"
        elif isinstance(r.abs_error, float):
            verdict = "n/a (sum overflowed)"
        elif r.b_underflow:
            verdict = "yes (b stored as 0)"
        elif r.absorbed:
            verdict = "yes, entirely"
        elif r.abs_error == 0:
            verdict = "no (sum exact)"
        else:
            verdict = "partly"
        lost = "n/a" if math.isnan(r.digits_lost) else \
            f"{r.digits_lost:.1f} of {f.decimal_digits:.1f}"
        err_s = "undefined" if undefined else format_number(r.abs_error)
        rel_s = "undefined" if undefined else format_number(r.rel_error, sig=3, max_exact=3)
        rows.append([r.fmt, format_number(r.a), format_number(r.b),
                     format_number(r.rounded, sig=sig), format_number(r.exact, sig=sig),
                     err_s, rel_s, verdict, lost])
        for name, text, over, under in (("a", a, r.a_overflow, r.a_underflow),
                                        ("b", b, r.b_overflow, r.b_underflow)):
            if over:
                notes.append(f"{r.fmt}: {name} = {text} is beyond the largest finite value "
                             f"{format_number(f.largest_finite)}, so it is stored as inf.")
            if under:
                notes.append(f"{r.fmt}: {name} = {text} is below half the smallest subnormal "
                             f"{_pow2(f.smallest_subnormal)} = "
                             f"{format_number(f.smallest_subnormal, sig=4)}, so it is stored as 0.")
    title = (f"fl(a + b) for a = {a}, b = {b}\n"
             "Each operand is rounded to the format, then their exact sum is rounded once "
             "(round to nearest, ties to even).")
    footer = [f"Numbers are exact unless marked {APPROX} (then rounded to the digits shown).",
              "b digits lost = log10(|error| / (u*|b|)) with u = 2^-p, between 0 (exact) and "
              "all p*log10(2) digits (b absorbed)."]
    return "\n".join([title, "", _table(header, rows), ""] + notes
                     + ([""] if notes else []) + footer)


def precision_info_table(formats=FORMAT_NAMES) -> str:
    """A plain-text table of each format's constants (exact unless marked ``~``)."""
    fs = [get_format(fm) for fm in formats]

    def both(q: Fraction, exact_form: str | None = None) -> tuple[str, str]:
        return (exact_form or _pow2(q) or "", format_number(q))

    header = ["", *[f.name for f in fs]]
    spec = [
        ("storage bits", lambda f: (str(f.bits), None)),
        ("sign/exponent/mantissa", lambda f: (f"1/{f.exponent_bits}/{f.mantissa_bits}", None)),
        ("precision p (bits)", lambda f: (str(f.precision), None)),
        ("decimal digits p*log10(2)", lambda f: (f"{APPROX}{f.decimal_digits:.2f}", None)),
        ("exponent range emin..emax", lambda f: (f"{f.emin}..{f.emax}", None)),
        ("machine epsilon 2^(1-p)", lambda f: both(f.eps)),
        ("unit roundoff u = eps/2", lambda f: both(f.unit_roundoff)),
        ("smallest subnormal", lambda f: both(f.smallest_subnormal)),
        ("smallest normal", lambda f: both(f.smallest_normal)),
        ("largest finite", lambda f: both(f.largest_finite,
                                          f"(2-2^-{f.mantissa_bits})*2^{f.emax}")),
        ("exp(x) overflows for x >=",
         lambda f: (f"{APPROX}{_ln_fraction(f.overflow_threshold):.6f}", None)),
    ]
    rows = []
    for label, fn in spec:
        cells = [fn(f) for f in fs]
        rows.append([label, *[c[0] for c in cells]])
        if any(c[1] is not None for c in cells):
            rows.append(["", *[c[1] or "" for c in cells]])
    title = "Floating-point formats (IEEE 754 binary16/32/64 and bfloat16)"
    footer = (f"Values are exact unless marked {APPROX}. eps is the gap between 1 and the next "
              "number; u bounds the relative error of one rounding (normal range).")
    return "\n".join([title, "", _table(header, rows), "", footer])
