"""Binary floating-point formats (float16, bfloat16, float32, float64) with exact
constants, IEEE round-to-nearest-even to any of them, exact values, and
arithmetic simulated in a format."""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from numbers import Rational

import numpy as np


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
