"""Marks for what a plot cannot show as a value, written once for every panel:
NaN/Inf (a magenta cross, counted), exact zeros on a log axis (a floor
marker, counted), steps a variant never reached (hatched) and the step a run
diverged (a magenta line); plus the legend keys that explain them."""
from __future__ import annotations

import numpy as np
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.transforms import blended_transform_factory

from .. import style
from ..i18n import t
from .axes import line_scale
from .recording import first_nonfinite
from .result import Drawn

DIVERGENCE_GID = "divergence-marker"
EARLY_STOP_GID = "early-stop-marker"
FLOOR_GID = "zero-floor-marker"


def floor_markers(ax, x, *, top: bool = False, color=None, marker=None, gid=None, size=None):
    """Markers pinned to the bottom (zeros) or top (Inf/NaN) edge of the axes.

    Zeros: a grey ▼ (:data:`style.FLOOR`) outlined in the series' ``color``;
    NaN/Inf: a magenta ✕ (:data:`style.NONFINITE`).
    """
    x = np.atleast_1d(np.asarray(x, dtype=float))
    if x.size == 0:
        return None
    tr = blended_transform_factory(ax.transData, ax.transAxes)
    y = np.full(x.shape, 0.985 if top else 0.015)
    face = style.NONFINITE if top else style.FLOOR
    edge = "white" if top else (color or style.FLOOR)
    marker = marker or ("X" if top else "v")
    ms = size or (7.5 if top else 7.0) * line_scale(ax)
    (ln,) = ax.plot(x, y, linestyle="none", marker=marker, color=face, markersize=ms,
                    markeredgecolor=edge, markeredgewidth=0.6 if top else 1.4,
                    transform=tr, clip_on=False, zorder=6)
    ln.set_gid(gid or (DIVERGENCE_GID if top else FLOOR_GID))
    return ln


def mark_divergence(ax, step, lang="en", *, text: bool = True, color=None, xspan=None):
    """Vertical line + ✕ at the first step with NaN/Inf; returns the marker artist.

    ``xspan``: the (min, max) step of the axis, to put the label on the side
    with room (default: the current x-limits).
    """
    tr = blended_transform_factory(ax.transData, ax.transAxes)
    lo, hi = xspan if xspan is not None else ax.get_xlim()
    right_side = hi > lo and (step - lo) / (hi - lo) < 0.5
    ax.axvline(step, color=style.NONFINITE, linewidth=1.2 * line_scale(ax), linestyle=(0, (4, 2)),
               zorder=4, alpha=0.9)
    (m,) = ax.plot([step], [1.0], marker="X", markersize=10 * line_scale(ax), color=style.NONFINITE,
                   markeredgecolor=color or "white", markeredgewidth=1.2, transform=tr,
                   clip_on=False, zorder=7, linestyle="none")
    m.set_gid(DIVERGENCE_GID)
    if text:
        ax.annotate(t("NaN/Inf from step {n}", lang, n=int(step)), xy=(step, 1.0), xycoords=tr,
                    xytext=(6 if right_side else -4, -4), textcoords="offset points",
                    ha="left" if right_side else "right", va="top",
                    color=style.NONFINITE, fontsize="small", fontweight="bold", zorder=7,
                    bbox=dict(boxstyle="round,pad=0.2", fc="white", ec="none", alpha=0.85))
    return m


def mark_not_run(ax, start, end):
    """Hatched band for steps a variant never reached."""
    if end <= start:
        return None
    return ax.axvspan(start, end, facecolor="none", edgecolor=style.NOT_RUN, hatch="//",
                      linewidth=0, zorder=0.5)


def mark_run_end(ax, rec, variant: int, xs, run, drawn: Drawn, lang: str, *, hatch_from: str = "previous",
                 divergence: str | None = "line", xspan=None) -> None:
    """How a run that ended early is shown, the same in every panel.

    ``run``: reached mask over ``xs`` (None: nothing to hatch). Steps after the
    last reached one are hatched from that x (``hatch_from="previous"``) or
    from the first unreached cell edge (``"edge"``, heat maps). The first
    non-finite step gets the magenta line (``divergence="line"``), the line and
    its label (``"label"``), or is only recorded (None) in ``drawn.diverged``.
    """
    if run is not None and not run.all():
        first = int(np.argmin(run))
        mark_not_run(ax, xs[first] if hatch_from == "edge" else xs[max(first - 1, 0)], xs[-1])
        drawn.not_run = True
    fnf = first_nonfinite(rec)[variant]
    if fnf >= 0:
        if divergence is not None:
            mark_divergence(ax, int(fnf), lang, text=divergence == "label", xspan=xspan)
        drawn.diverged[variant] = int(fnf)


def special_handles(drawn: Drawn, lang: str) -> list:
    """Legend entries for NaN/Inf, zeros and not-run areas found while drawing."""
    out = []
    if drawn.nonfinite:
        out.append((Line2D([], [], marker="X", linestyle="none", color=style.NONFINITE,
                           markersize=8, markeredgecolor="white"),
                    t("NaN/Inf (n = {n})", lang, n=int(drawn.nonfinite))))
    if drawn.zeros:
        out.append((Line2D([], [], marker="v", linestyle="none", color=style.FLOOR, markersize=7),
                    t("exactly 0: {n} (at the floor)", lang, n=int(drawn.zeros))))
    if drawn.not_run:
        out.append((Patch(facecolor="white", edgecolor=style.NOT_RUN, hatch="//"),
                    t("not run (stopped earlier)", lang)))
    return out


def empty_note(ax, text):
    """A boxed note in the middle of a panel that has nothing to show."""
    ax.text(0.5, 0.5, text, transform=ax.transAxes, ha="center", va="center",
            color=style.TEXT_MUTED, fontsize="small",
            bbox=dict(boxstyle="round,pad=0.3", fc="white", ec=style.GRID))
