"""What the precision figures share: format and method colours, fonts, axes,
tick helpers and number labels.

These figures use matplotlib's default style (not :func:`gradviz.style.rc_params`)
and their own save settings (:data:`SAVE_RC`); labels mixed into right-to-left
sentences are plain text, not mathtext (mathtext lays glyphs out left to right
itself, so Hebrew next to it would be reversed).
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from matplotlib.ticker import FuncFormatter, LogLocator, MaxNLocator, NullFormatter

from ... import numerics as nx
from ...i18n import is_rtl

FORMAT_COLORS = {"float16": "#E69F00", "bfloat16": "#56B4E9",
                 "float32": "#009E73", "float64": "#0072B2"}
METHOD_COLORS = {"naive": "#D55E00", "pairwise": "#CC79A7", "kahan": "#0072B2",
                 "one-pass": "#D55E00", "two-pass": "#009E73", "welford": "#CC79A7"}
MARKERS = {"float16": "o", "bfloat16": "s", "float32": "^", "float64": "D"}
INK = "#000000"
FONT = 8.5
SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def axes_row(fig, ncols: int = 2, width_ratios=None) -> list:
    """``ncols`` axes side by side, with the precision figures' ticks and grid."""
    axes = fig.subplots(1, ncols, width_ratios=width_ratios, squeeze=False)[0]
    for ax in axes:
        ax.tick_params(labelsize=FONT - 1)
        ax.grid(True, which="major", color="#dddddd", linewidth=0.6)
        ax.set_axisbelow(True)
    return list(axes)


def label_axes(ax, title, xlabel, ylabel):
    """Panel title and axis labels at the precision figures' font sizes."""
    ax.set_title(title, fontsize=FONT + 0.5)
    ax.set_xlabel(xlabel, fontsize=FONT)
    ax.set_ylabel(ylabel, fontsize=FONT)


def log_ticks(ax, axis="both", numticks=7):
    for which in ("x", "y"):
        if axis in (which, "both"):
            a = ax.xaxis if which == "x" else ax.yaxis
            a.set_major_locator(LogLocator(base=10, numticks=numticks))
            a.set_minor_locator(LogLocator(base=10, subs="auto", numticks=numticks))
            a.set_minor_formatter(NullFormatter())


def exponent_axis(ax, axis="both", nbins=6):
    """Label a linear axis that holds ``log10`` values as powers of ten.

    Used where data reach float64's extremes (1e-324 ... 1.8e308): a true log
    axis would overflow while computing its margins and ticks.
    """
    fmt = FuncFormatter(lambda v, _pos: f"$10^{{{int(round(v))}}}$")
    for which in ("x", "y"):
        if axis in (which, "both"):
            a = ax.xaxis if which == "x" else ax.yaxis
            a.set_major_locator(MaxNLocator(nbins=nbins, integer=True, steps=[1, 2, 2.5, 5, 10]))
            a.set_major_formatter(fmt)


def lg(v):
    """log10 without warnings (0 gives -inf)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.log10(np.asarray(v, dtype=np.float64))


def pow2_label(q, plain: bool = False) -> str:
    """``2^k`` as mathtext, or with Unicode superscripts when ``plain``."""
    k = round(math.log2(q))
    return "2" + str(k).translate(SUPERSCRIPT) if plain else f"$2^{{{k}}}$"


def align(lang: str, ha: str = "left") -> str:
    """Line alignment inside a multi-line text: right for right-to-left languages."""
    return "right" if is_rtl(lang) else ha


def short_num(v, sig: int = 4) -> str:
    """Short number for a plot label; ``~`` marks an approximation."""
    return nx.format_number(v, sig=sig, max_exact=sig + 2)


def grouped(n: int) -> str:
    """An integer count with its digits in threes (10 000 000), separated by a narrow
    no-break space as SI writes it, so 10⁶ and 10⁷ differ at a glance in every language."""
    return f"{int(n):,}".replace(",", "\u202f")


def fit_table(fig, table, min_size: float = FONT - 2.5) -> None:
    """Shrink the table's font (never below ``min_size``) until every cell's
    text fits its cell: long translations and long numbers would cross the
    cell borders otherwise. Needs one layout pass."""
    fig.draw_without_rendering()
    renderer = fig.canvas.get_renderer()
    margin = 3 * fig.dpi / 72                       # 1.5 pt clear on each side
    scale = 1.0
    for cell in table.get_celld().values():
        text_w = cell.get_text().get_window_extent(renderer).width
        if text_w > 0:
            scale = min(scale, (cell.get_window_extent(renderer).width - margin) / text_w)
    if scale < 1.0:
        size = table.get_celld()[0, 0].get_text().get_fontsize()
        table.set_fontsize(max(min_size, size * scale))


def stall_value(values: np.ndarray):
    """The value a running sum got stuck at (last two checkpoints equal), or None."""
    v = values[np.isfinite(values)]
    if len(v) >= 3 and v[-1] == v[-2] == v[-3]:
        return float(v[-1])
    return None


#: rcParams while saving: TrueType fonts in PDF, text kept as text and a fixed hash salt in SVG.
SAVE_RC = {"pdf.fonttype": 42, "ps.fonttype": 42, "svg.hashsalt": "gradviz-precision", "svg.fonttype": "none"}
SAVE_METADATA = {"svg": {"Date": None}, "pdf": {"CreationDate": None, "ModDate": None},
                 "png": {"Software": None}}


@dataclass(frozen=True)
class PrecisionFacts:
    """What a precision figure drew: the formats compared."""
    formats: tuple
