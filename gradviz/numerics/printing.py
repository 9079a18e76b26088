"""Printing numbers exactly (or clearly marked as approximate), and the tables
of ``gradviz precision add`` and ``gradviz precision info``."""
from __future__ import annotations

import math
from decimal import ROUND_HALF_EVEN, Context, Decimal
from fractions import Fraction

from .formats import FORMAT_NAMES, get_format, to_fraction
from .addition import add_in
from .experiments import ln_fraction


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
         lambda f: (f"{APPROX}{ln_fraction(f.overflow_threshold):.6f}", None)),
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
