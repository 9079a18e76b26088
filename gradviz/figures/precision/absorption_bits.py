"""The lesson's 1e10 + 1e-10 as bits: b's significand shifted right to a's
exponent lands past the end of the stored mantissa (23 bits in float32, 52 in
float64), so fl(a + b) = a. Draws :class:`gradviz.numerics.bits.BitAlignment`
data (the figure computes nothing)."""
from __future__ import annotations

from dataclasses import dataclass

from matplotlib.patches import Rectangle

from ... import numerics as nx
from ...i18n import N_, is_rtl, t
from .common import FONT, FORMAT_COLORS, INK, SUPERSCRIPT

NAME = "absorption_bits"
REQUIRES = ()
TITLE = N_("{a} + {b} in bits: b is shifted out of the mantissa")
CAPTION = N_(
    "Each row pair shows a = {a} (top) and b = {b} (below) in one format, with b's significand "
    "moved {shift} places to the right so that both have a's exponent: the addition lines up the "
    "binary points first. Square k is the bit worth 2^−k times a's leading bit; filled squares are "
    "1s, the dashed square is the hidden leading 1. Only the first {m32} (float32) or {m64} "
    "(float64) places after the leading bit are stored: every bit of b falls beyond them, so "
    "fl(a + b) = a."
)
ALT = N_(
    "Bit diagram. For each of {formats}: a row with the {m}-bit mantissa of a = {a}, and below it "
    "the bits of b = {b} starting {shift} places to the right of a's leading bit, beyond the end of "
    "the mantissa (marked by a vertical line); {kept} of b's bits fall inside it, so the sum "
    "rounds back to a."
)
OFF = "#F2F2F2"


@dataclass(frozen=True)
class BitsFacts:
    formats: tuple
    shift: int
    kept: dict             # format -> b's bits inside a's mantissa
    mantissa: dict         # format -> mantissa bits
    a: str
    b: str


def _row(ax, y, x0, bits, colour, hidden=True):
    """One significand: the hidden 1 at ``x0`` (dashed) then its mantissa bits."""
    ax.add_patch(Rectangle((x0 - 0.5, y - 0.4), 1, 0.8, fill=False, ec=INK, lw=0.8, ls=(0, (2, 1.5)),
                           gid="hidden-bit-box"))
    # above its square, not in it: a square is one bit wide (~8 px at the web size with
    # float64's 52 bits in the row), narrower than the digit
    ax.text(x0, y + 0.47, "1", ha="center", va="bottom", fontsize=FONT - 2, gid="hidden-bit")
    for k, b in enumerate(bits, start=1):
        ax.add_patch(Rectangle((x0 + k - 0.5, y - 0.4), 1, 0.8, fc=colour if b else "white", ec="#777777",
                               lw=0.35))


def _format_rows(ax, y, al, lang):
    m = al.mantissa_bits
    colour = FORMAT_COLORS.get(al.format, "#777777")
    ax.add_patch(Rectangle((m + 0.5, y - 1.6), al.shift + 1, 2.2, color=OFF, zorder=0, lw=0))
    # in the grey area level with a's row, which is empty past the mantissa (at b's
    # row the note ran into b's bits)
    ax.text(m + 1.2, y, t("not stored: lost in rounding", lang), fontsize=FONT - 1.5,
            va="center", ha="left", color="#555555")
    _row(ax, y, 0, al.a.mantissa, colour)
    _row(ax, y - 1, al.shift, al.b.mantissa, "#D55E00")
    ax.plot([m + 0.5, m + 0.5], [y - 1.6, y + 0.6], color=INK, lw=1.6)
    ax.text(m + 0.9, y + 0.55, t("end of the {m}-bit mantissa", lang, m=m), fontsize=FONT - 1.5,
            va="bottom", ha="left")
    ax.text(-1.2, y, f"{al.format}  a = {al_label(al.a)}", ha="right", va="center", fontsize=FONT - 0.5,
            fontweight="bold", color=INK)
    ax.text(-1.2, y - 1, f"b = {al_label(al.b)}", ha="right", va="center", fontsize=FONT - 0.5,
            fontweight="bold", color=INK)
    ax.annotate("", xy=(al.shift - 0.6, y - 1), xytext=(0.6, y - 1),
                arrowprops=dict(arrowstyle="->", color="#D55E00", lw=1.0))
    # below the rows and the mantissa-end line, so the line never crosses it
    ax.text(0.6, y - 1.75,
            t("shifted right by {d} = {ea} − ({eb}) places; {k} bits of b fit", lang, d=al.shift,
              ea=signed(al.a.exponent), eb=signed(al.b.exponent), k=al.kept), ha="left", va="top",
            fontsize=FONT - 1.5)


def signed(n: int) -> str:
    """An integer with the minus sign (−34), as in the formula around it."""
    return str(n).replace("-", "−")


def al_label(op) -> str:
    """``1.…×2³³``: the operand's binary exponent in superscript (its value is in the title)."""
    return f"1.…×2{str(op.exponent).translate(SUPERSCRIPT)}"


def compose(fig, data: nx.AbsorptionData, *, lang: str = "en") -> BitsFacts:
    """a and b of the absorption experiment as bits in float32 and float64, b aligned to
    a's exponent: its bits land past the stored mantissa (``data.bits``)."""
    ax = fig.add_subplot()
    ax.axis("off")
    als = [data.bits[f] for f in ("float32", "float64") if f in data.bits]
    y = 0.0
    for al in als:
        _format_rows(ax, y, al, lang)
        y -= 3.8
    right = max((al.shift + al.mantissa_bits + 1.5 for al in als), default=10)
    ax.set_xlim(-16, right)
    ax.set_ylim(y + 1.4, 1.6)
    ax.set_title(t(TITLE, lang, a=data.a, b=data.b), fontsize=FONT + 2, fontweight="bold",
                 loc="right" if is_rtl(lang) else "left")
    return BitsFacts(tuple(al.format for al in als), als[0].shift if als else 0,
                     {al.format: al.kept for al in als}, {al.format: al.mantissa_bits for al in als},
                     data.a, data.b)


def caption(facts: BitsFacts, lang: str) -> str:
    return t(CAPTION, lang, a=facts.a, b=facts.b, shift=facts.shift, m32=facts.mantissa.get("float32", 23),
             m64=facts.mantissa.get("float64", 52))


def alt(data, facts: BitsFacts, lang: str) -> str:
    return " ".join(t(ALT, lang, formats=fm, m=facts.mantissa[fm], a=facts.a, b=facts.b, shift=facts.shift,
                      kept=facts.kept[fm]) for fm in facts.formats)
