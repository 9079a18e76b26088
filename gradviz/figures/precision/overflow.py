"""Overflow: where naive softmax becomes NaN in each format (and the stable
version stays finite), and 1 - sigma(x) rounding to 0."""
from __future__ import annotations

import numpy as np
from matplotlib.legend_handler import HandlerTuple
from matplotlib.patches import Patch

from ... import numerics as nx
from ...i18n import N_, t
from ..collisions import ON_BAR
from .common import FONT, FORMAT_COLORS, INK, PrecisionFacts, axes_row, label_axes, log_ticks

NAME = "overflow"
REQUIRES = ()
CAPTION = N_(
    "Left: naive softmax of the logits (s, 0) becomes NaN as soon as exp(s) overflows, at ln of "
    "the largest finite value (black marks); subtracting the maximum first keeps it finite in "
    "every format. Right: 1 - sigma(x), with sigma rounded to the format, drops to exactly 0 "
    "(triangles) long before the exact value (dotted line) is small enough to round to 0."
)
ALT = N_(
    "Two panels. Left, horizontal bars along the logit s from 0.1 to 1000 (log scale), one per "
    "format for the naive softmax and one for the stable version: each naive bar is solid (finite "
    "result) up to ln of the format's largest finite value, 11.09 for float16, 88.72 for bfloat16 "
    "and float32, 709.78 for float64, and hatched (NaN) beyond it; the stable bar is solid all the "
    "way. Right, 1 - sigma(x) for x from 0 to 45 on a log scale: the exact curve falls in a "
    "straight line to about 1e-20, while the curve of each format ends at exactly 0, marked by a "
    "triangle, at x = 6.24 for bfloat16, 8.32 for float16, 17.33 for float32 and 37.43 for float64."
)


def compose(fig, data: nx.OverflowData, *, lang: str = "en") -> PrecisionFacts:
    """Left: where naive softmax of the logits ``(s, 0)`` is finite in each
    format: ``exp(s)`` overflows at ``ln(largest finite)`` and the result
    becomes inf/inf = NaN; with the maximum subtracted first (the
    log-sum-exp trick) it stays finite everywhere. Right: ``1 - sigma(x)``
    with sigma rounded to each format, which drops to exactly 0."""
    ax, ax_s = axes_row(fig, 2)
    _softmax_panel(ax, data, lang)
    _sigmoid_panel(ax_s, data, lang)
    return PrecisionFacts(tuple(data.formats))


def _softmax_panel(ax, data: nx.OverflowData, lang: str) -> None:
    """Naive vs stable softmax: where is the result finite?"""
    s = data.s
    rows = list(data.formats)
    n_rows = len(rows) + 1
    for i, fm in enumerate(rows):
        y = n_rows - 1 - i
        c = FORMAT_COLORS[fm]
        bad = ~np.isfinite(data.softmax_naive[fm])
        first_bad = s[np.argmax(bad)] if bad.any() else None
        end = first_bad if first_bad is not None else s[-1]
        ax.barh(y, end - s[0], left=s[0], height=0.62, color=c, lw=0)
        if first_bad is not None:
            ax.barh(y, s[-1] - first_bad, left=first_bad, height=0.62, color="#e6e6e6",
                    hatch="////", edgecolor="#999999", lw=0)
            thr = data.ln_max[fm]
            ax.plot([thr, thr], [y - 0.42, y + 0.42], color=INK, lw=1.0)
            ax.text(thr / 1.12, y, f"{thr:.2f}", va="center", ha="right",
                    fontsize=FONT - 1.5, color=INK, gid=ON_BAR)     # the threshold printed on its bar
    stable_ok = all(np.isfinite(data.softmax_stable[fm]).all() for fm in rows)
    ax.barh(0, s[-1] - s[0], left=s[0], height=0.62,
            color="#bbbbbb" if stable_ok else "#e6e6e6", lw=0)
    ax.set_yticks(range(n_rows), [t("any format,\nmax subtracted", lang)]
                  + [t("{fmt}\nnaive", lang, fmt=fm) for fm in reversed(rows)],
                  fontsize=FONT - 1.5)
    ax.set_xscale("log")
    ax.set_xlim(s[0], s[-1])
    ax.set_ylim(-0.6, n_rows - 0.4)
    ax.grid(False, axis="y")
    log_ticks(ax, "x")
    # the "finite" key shows every colour a finite bar has (formats and the grey stable bar)
    finite_key = tuple(Patch(facecolor=FORMAT_COLORS[fm]) for fm in rows) + (Patch(facecolor="#bbbbbb"),)
    nan_key = Patch(facecolor="#e6e6e6", hatch="////", edgecolor="#999999")
    ax.legend([finite_key, nan_key], [t("finite result", lang), t("NaN: exp(s) = inf, inf/inf", lang)],
              handler_map={tuple: HandlerTuple(ndivide=None, pad=0)}, fontsize=FONT - 1.8,
              loc="upper center", bbox_to_anchor=(0.5, -0.14), ncol=2, frameon=False)
    label_axes(ax, t("softmax(s, 0): naive exp overflows", lang),
               t("logit s (log scale); marks at ln(largest finite)", lang), "")


def _sigmoid_panel(ax_s, data: nx.OverflowData, lang: str) -> None:
    """Sigmoid saturation: 1 - sigma(x) with sigma rounded to each format."""
    floor = 1e-20
    # the curves coincide until each drops to 0: the one that lasts longest is drawn widest
    # and lowest, the first to drop narrowest on top, so every colour shows as a stripe
    # (bfloat16's, which drops first, was hidden under float16's wider line); each curve's
    # last nonzero value is marked and named
    order = sorted(data.formats, key=lambda fm: -data.sigmoid_saturation[fm])
    widths = dict(zip(order, np.linspace(6.0, 1.5, len(order)) if len(order) > 1 else [2.0]))   # stripes ≥ 0.75 pt
    for i, fm in enumerate(order):
        c = FORMAT_COLORS[fm]
        v = data.one_minus_sigmoid[fm]
        pos = v > 0
        sat = data.sigmoid_saturation[fm]
        ax_s.plot(data.x[pos], v[pos], color=c, lw=widths[fm],
                  drawstyle="steps-post", zorder=2 + i, solid_capstyle="butt",
                  label=f"{fm}: " + t("0 from x = {x}", lang, x=f"{sat:.2f}"))
        if pos.any():
            last = np.nonzero(pos)[0][-1]
            ax_s.plot([data.x[last]], [v[last]], marker="o", color=c, mec=INK, mew=0.6, ms=5.5,
                      ls="none", zorder=11, gid=f"end-{fm}")
            ax_s.annotate(fm, (data.x[last], v[last]), xytext=(7, 5 if i % 2 else -9), textcoords="offset points",
                          fontsize=FONT - 1.5, color=INK, ha="left", va="center", zorder=12,
                          bbox=dict(boxstyle="round,pad=0.12", fc="white", ec=c, lw=0.8, alpha=0.9))
        ax_s.plot([sat], [floor], marker="v", color=c, mec=INK, mew=0.5, ms=7,
                  ls="none", clip_on=False, zorder=10)
        ax_s.axvline(sat, color=c, lw=0.7, ls=":", zorder=1)
    ax_s.plot(data.x, data.one_minus_sigmoid_true, color=INK, lw=0.8, ls=":",
              label=t("exact 1 - sigma(x)", lang), zorder=9)
    ax_s.set_yscale("log")
    ax_s.set_ylim(floor, 2)
    ax_s.set_xlim(data.x[0], data.x[-1])
    log_ticks(ax_s, "y", numticks=8)
    label_axes(ax_s, t("sigmoid saturates: 1 - sigma(x) becomes 0", lang), t("x", lang),
               t("1 - sigma(x), sigma rounded to the format", lang))
    handles, labels = ax_s.get_legend_handles_labels()    # keyed in the formats' order, as on the left
    rank = {h: (list(data.formats).index(h.get_label().split(":")[0]) if h.get_label().split(":")[0]
                in data.formats else len(data.formats)) for h in handles}
    keyed = sorted(zip(handles, labels), key=lambda hl: rank[hl[0]])
    ax_s.legend([h for h, _ in keyed], [lab for _, lab in keyed], fontsize=FONT - 1.8, loc="upper right",
                framealpha=0.9)


def caption(facts: PrecisionFacts, lang: str) -> str:
    return t(CAPTION, lang)


def alt(data, facts: PrecisionFacts, lang: str) -> str:
    return t(ALT, lang)
