"""The bits behind absorption: ``a + b`` with ``b``'s significand shifted right to
``a``'s exponent, past the end of the stored mantissa (the lesson's 1e10 + 1e-10).

Exact (``fractions.Fraction``): each operand is rounded to the format once, its
exponent and mantissa bits read off exactly; :func:`alignment` says how far
``b`` is shifted (``shift = exponent(a) − exponent(b)``) and how many of its
significant bits still land inside ``a``'s mantissa window (none when
``shift > mantissa_bits``, which is why ``b`` is lost).
:mod:`gradviz.figures.precision.absorption_bits` draws this data.
"""
from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from .formats import get_format, round_fraction, to_fraction


@dataclass(frozen=True)
class Operand:
    """One positive, finite, normal value of a format, as its fields."""
    value: Fraction
    exponent: int            # unbiased: 2**exponent <= value < 2**(exponent + 1)
    exponent_field: tuple    # the stored (biased) exponent bits, most significant first
    mantissa: tuple          # the stored fraction bits (without the hidden leading 1)


@dataclass(frozen=True)
class BitAlignment:
    """``a + b`` in one format at the level of bits."""
    format: str
    mantissa_bits: int
    a: Operand
    b: Operand
    shift: int               # how many places b's significand moves right to a's exponent
    kept: int                # b's significant bits (of precision) inside a's mantissa window
    rounded: Fraction        # fl(a + b), exact
    absorbed: bool           # fl(a + b) == a


def _bits(n: int, width: int) -> tuple:
    return tuple((n >> (width - 1 - k)) & 1 for k in range(width))


def operand(x, fmt) -> Operand:
    """``x`` rounded to ``fmt`` and split into exponent and mantissa bits (positive,
    finite, normal values only: ValueError otherwise)."""
    f = get_format(fmt)
    q = round_fraction(to_fraction(x), f)
    if not isinstance(q, Fraction) or q <= 0 or q < f.smallest_normal:
        raise ValueError(f"{x} is not a positive normal {f.name} value (stored as {q})")
    e = q.numerator.bit_length() - q.denominator.bit_length()
    if Fraction(2) ** e > q:
        e -= 1
    frac = q / Fraction(2) ** e - 1                     # in [0, 1), a multiple of 2**-m
    m = int(frac * 2 ** f.mantissa_bits)
    assert Fraction(m, 2 ** f.mantissa_bits) == frac
    return Operand(q, e, _bits(e + f.bias, f.exponent_bits), _bits(m, f.mantissa_bits))


def alignment(a: str = "1e10", b: str = "1e-10", fmt: str = "float64") -> BitAlignment:
    """How ``b`` lines up under ``a`` in ``fmt`` (``a >= b > 0``, both normal)."""
    f = get_format(fmt)
    oa, ob = operand(a, f), operand(b, f)
    if ob.value > oa.value:
        raise ValueError("alignment expects a >= b")
    shift = oa.exponent - ob.exponent
    kept = max(0, min(f.precision, f.mantissa_bits - shift + 1))
    rounded = round_fraction(oa.value + ob.value, f)
    return BitAlignment(f.name, f.mantissa_bits, oa, ob, shift, kept, rounded, rounded == oa.value)


def alignments(a: str = "1e10", b: str = "1e-10", formats=("float32", "float64")) -> dict:
    """``{format: BitAlignment}`` for the formats in which both operands are normal
    (float16 cannot hold 1e10 at all; the figure says so)."""
    out = {}
    for fm in formats:
        try:
            out[fm] = alignment(a, b, fm)
        except ValueError:
            continue
    return out
