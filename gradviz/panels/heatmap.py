"""Layer x step heat maps of log10(quantity) on one locked colour scale; NaN/Inf,
exact zeros and steps never reached get their own colours."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from matplotlib import colors as mcolors
from matplotlib.ticker import MaxNLocator

from .. import style
from .axes import mpl_cmap, set_layer_yticks
from .markers import DIVERGENCE_GID, mark_run_end
from .recording import classify, finite_range
from .result import Drawn


@dataclass
class HeatmapDrawn(Drawn):
    """:func:`draw_heatmap`: the mesh (for the colour bar)."""
    mesh: object = None


def step_edges(steps) -> np.ndarray:
    """Heat-map column edges: record ``r`` covers ``[steps[r], steps[r+1])``.

    A record is the state at its step, shown until the next record; the last
    column gets the width of the one before it (1 step for a single record),
    so the axis never shows negative steps.
    """
    s = np.asarray(steps, dtype=float)
    if s.size == 0:
        return np.array([0.0, 1.0])
    last = s[-1] + (s[-1] - s[-2] if s.size > 1 else 1.0)
    return np.concatenate([s, [last]])


HEATMAP_DECADES = 12  # default colour range below the maximum; lower values get the "under" end


def heatmap_norm(rec, quantity: str, *, vmin=None, vmax=None):
    """One colour scale (log10 of the positive finite values) shared by all panels.

    By default it spans at most HEATMAP_DECADES below the largest value, so one
    collapsed variant (1e-50) does not flatten the differences between the others;
    the colour bar then shows an arrow for the clipped values."""
    arr = np.asarray(rec.get(quantity), dtype=float)
    st = classify(rec, arr)
    r = finite_range(np.where(st["pos"], arr, np.nan), positive=True)
    if r is None:
        lo, hi = -1.0, 1.0
    else:
        lo, hi = np.log10(r[0]), np.log10(r[1])
        lo = max(lo, hi - HEATMAP_DECADES)
        if hi - lo < 1e-9:
            lo, hi = lo - 0.5, hi + 0.5
    return mcolors.Normalize(vmin=lo if vmin is None else vmin, vmax=hi if vmax is None else vmax)


def heatmap_layers(rec, arr, v):
    """``(log10 values masked, nonfinite mask, zero mask)`` arranged ``[layer, record]``."""
    st = classify(rec, arr)
    with np.errstate(divide="ignore", invalid="ignore"):
        lg = np.log10(np.where(st["pos"][v], arr[v], np.nan)).T
    return (np.ma.masked_invalid(lg), st["nonfinite"][v].T, st["zero"][v].T, st)


def draw_heatmap(ax, rec, variant: int, *, quantity: str = "grad_w_norm", norm=None,
                 lang: str = "en", cmap=None, max_yticks: int = 10) -> "HeatmapDrawn":
    """``log10(quantity)`` as a layer x step mesh; NaN/Inf, zeros and not-run marked."""
    arr = np.asarray(rec.get(quantity), dtype=float)
    V, R, L = arr.shape
    norm = norm or heatmap_norm(rec, quantity)
    xe = step_edges(rec.steps)
    ye = np.arange(L + 1) + 0.5
    lg, nonf, zero, st = heatmap_layers(rec, arr, variant)
    cm = mpl_cmap(cmap or style.MAGNITUDE_CMAP)  # clipped values: the darkest colour (bar arrow)
    mesh = ax.pcolormesh(xe, ye, lg, cmap=cm, norm=norm, shading="flat", rasterized=True)
    drawn = HeatmapDrawn(nonfinite=int(nonf.sum()), zeros=int(zero.sum()), mesh=mesh)
    if nonf.any():
        m = ax.pcolormesh(xe, ye, np.ma.masked_where(~nonf, np.ones(nonf.shape)),
                          cmap=mcolors.ListedColormap([style.NONFINITE]), shading="flat",
                          rasterized=True)
        m.set_gid(DIVERGENCE_GID)
    if zero.any():
        ax.pcolormesh(xe, ye, np.ma.masked_where(~zero, np.ones(zero.shape)),
                      cmap=mcolors.ListedColormap([style.FLOOR]), shading="flat", rasterized=True)
    mark_run_end(ax, rec, variant, xe, ~st["not_run"][variant, :, 0], drawn, lang, hatch_from="edge",
                 divergence=None)
    ax.set_xlim(xe[0], xe[-1])
    ax.xaxis.set_major_locator(MaxNLocator(nbins="auto", integer=True, steps=[1, 2, 2.5, 5, 10]))
    ax.set_ylim(ye[0], ye[-1])
    set_layer_yticks(ax, rec, lang, max_yticks)
    ax.grid(False)
    return drawn
