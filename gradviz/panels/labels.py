"""Direct labels: a variant's name at the end of its line, in its colour, instead
of a legend to decode (issue 11 §7, §9). Labels sit just right of the axes and are
pushed apart so none overlaps another."""
from __future__ import annotations

import re

import matplotlib as mpl
import numpy as np
from matplotlib.text import Text

from .. import style
from ..i18n import isolate_ltr


#: gid of the thin line from a pushed-away label to its line's end.
LEADER_GID = "gradviz-leader"
#: the spaces of a formula's relation ("λ = 0.5", "p ≤ 0.2")
_RELATION = re.compile(r"(?<=\S) ([=≈≠<>≤≥]) (?=\S)")


def keep_formulas(fig) -> None:
    """Panel titles' relations ("λ = 0.5") held together by no-break spaces, so a title
    wrapped to its panel breaks before or after a formula, never inside it (the Bulgarian
    "разпадане на теглата λ =" / "0.5 (AdamW)")."""
    for ax in fig.axes:
        titles = {ax.get_title(loc=loc) for loc in ("left", "center", "right")} - {""}
        for a in ax.get_children():
            if isinstance(a, Text) and a not in ax.texts and a.get_text() in titles:
                a.set_text(_RELATION.sub("\u00a0\\1\u00a0", a.get_text()))


def spread(ys, gap: float, lo: float = 0.0, hi: float = 1.0) -> np.ndarray:
    """Positions (axes fraction) as close to ``ys`` as possible, at least ``gap`` apart,
    inside [lo, hi] when there is room; the order of ``ys`` is kept."""
    ys = np.asarray(ys, dtype=float)
    order = np.argsort(ys)
    out = ys[order].copy()
    for i in range(1, out.size):                 # push up
        out[i] = max(out[i], out[i - 1] + gap)
    if out.size and out[-1] > hi:                # then down from the top, if it overflowed
        out[-1] = hi
        for i in range(out.size - 2, -1, -1):
            out[i] = min(out[i], out[i + 1] - gap)
    res = np.empty_like(out)
    res[order] = out
    return res


def direct_labels(ax, points, *, gap: float | None = None, fontsize="small") -> list:
    """``points``: ``[(x, y, text, colour), ...]`` in data units (NaN/None y skipped).
    Each text goes at the right edge of the axes at its line's height, coloured with
    ≥ 3:1 contrast, at least one text height (``gap``, axes fraction) from the next;
    a label pushed away from its line end gets a thin leader line to it. Returns the
    Text artists (in input order, None where skipped)."""
    keep = [(i, p) for i, p in enumerate(points) if p[1] is not None and np.isfinite(p[1])
            and (ax.get_yscale() != "log" or p[1] > 0)]
    if not keep:
        return [None] * len(points)
    out = [None] * len(points)
    # a line that ends early (early stopping at step 28 of 600) is named where it ends, not at
    # the right edge hundreds of steps away
    xf = [ax.transLimits.transform(ax.transScale.transform((p[0], p[1])))[0] for _, p in keep]
    early = [(i, p) for (i, p), f in zip(keep, xf) if f < 0.85]
    for i, (x, y, text, colour) in early:
        text = isolate_ltr(text) if getattr(ax.figure, "_gradviz_rtl", False) else text
        out[i] = ax.annotate(text, (x, y), xytext=(5, 5), textcoords="offset points", ha="left", va="bottom",
                             fontsize=fontsize, fontweight="bold", color=style.with_contrast(colour), zorder=9,
                             bbox=dict(boxstyle="round,pad=0.1", fc="white", ec="none", alpha=0.7))
        out[i].gradviz_leader = None
    keep = [(i, p) for (i, p), f in zip(keep, xf) if f >= 0.85]
    if not keep:
        return out
    if gap is None:       # one line of text and a little air, as a fraction of the axes height
        size = mpl.font_manager.FontProperties(size=fontsize).get_size_in_points()
        gap = float(np.clip(1.45 * size * ax.figure.dpi / 72 / max(ax.bbox.height, 1.0), 0.035, 0.12))
    fr = [ax.transLimits.transform(ax.transScale.transform((p[0], p[1])))[1] for _, p in keep]
    ys = spread(np.clip(fr, 0.0, 1.0), gap, hi=0.97)   # the top label stays below the panel title
    rtl = getattr(ax.figure, "_gradviz_rtl", False)
    for (i, (x, y, text, colour)), yf, y0 in zip(keep, ys, np.clip(fr, 0.0, 1.0)):
        text = isolate_ltr(text) if rtl else text        # "±1/√n_in" stays in order in Hebrew
        c = style.with_contrast(colour)
        lead = abs(yf - y0) > 0.6 * gap
        out[i] = ax.text(1.03 if lead else 1.015, yf, text, transform=ax.transAxes, ha="left",
                         va="center", fontsize=fontsize, fontweight="bold", color=c, clip_on=False, zorder=9)
        out[i].gradviz_leader = None
        if lead:
            (out[i].gradviz_leader,) = ax.plot([1.0, 1.025], [y0, yf], transform=ax.transAxes, color=c,
                                               linewidth=0.8, clip_on=False, zorder=8, gid=LEADER_GID)
    return out


def too_wide(fig, labels, share: float = 0.17) -> bool:
    """Any of the direct ``labels`` (Text artists, None skipped) wider than ``share`` of
    the figure: long names ("float16, dynamic loss scale") would squeeze the panels."""
    renderer = fig.canvas.get_renderer()
    return any(lab is not None and lab.get_window_extent(renderer).width > share * fig.bbox.width
               for lab in labels)


def remove(labels) -> None:
    """Take the direct labels off again (the caller uses a legend instead)."""
    for lab in labels:
        if lab is not None:
            if getattr(lab, "gradviz_leader", None) is not None:
                lab.gradviz_leader.remove()
            lab.remove()
