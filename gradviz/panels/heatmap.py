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
from .recording import classify
from .result import Drawn


@dataclass
class HeatmapDrawn(Drawn):
    """:func:`draw_heatmap`: the mesh (for the colour bar)."""
    mesh: object = None


def step_edges(steps) -> np.ndarray:
    """Heat-map column edges: record ``r``'s cell is centred on its step, its edges halfway
    to the neighbouring records (the first and last half a record interval out).

    The axis is then clipped to the first and last recorded step (:func:`step_xlim`), so
    a run that ended at step 200 never reads as 225 (its last column drawn whole).
    """
    s = np.asarray(steps, dtype=float)
    if s.size == 0:
        return np.array([0.0, 1.0])
    if s.size == 1:
        return np.array([s[0] - 0.5, s[0] + 0.5])
    mid = 0.5 * (s[1:] + s[:-1])
    return np.concatenate([[s[0] - (mid[0] - s[0])], mid, [s[-1] + (s[-1] - mid[-1])]])


def step_xlim(steps, edges) -> tuple[float, float]:
    """The x range of a heat map: first to last recorded step (the cell edges for one record)."""
    s = np.asarray(steps, dtype=float)
    return (float(s[0]), float(s[-1])) if s.size > 1 else (float(edges[0]), float(edges[-1]))


#: The fixed log10 scale of each heat-mapped quantity, shared by every scenario of the
#: lesson: (healthy magnitude, decades either side). A gradient norm of about 1 is
#: healthy; an update ratio of about 10⁻³ (Karpathy's rule of thumb).
HEALTHY = {"grad_w_norm": (0.0, 8.0), "grad_w_norm_clipped": (0.0, 8.0), "delta_rms": (0.0, 8.0),
           "update_ratio": (-3.0, 6.0), "w_norm": (0.0, 4.0), "act_std": (0.0, 4.0), "pre_std": (0.0, 4.0)}
DEFAULT_HEALTHY = (0.0, 8.0)


@dataclass(frozen=True)
class HeatColours:
    """The one colour rule of every heat map, static and animated: a diverging map
    centred on the healthy magnitude, off-scale values in the map's end colours
    (arrows on the colour bar), exact zeros and NaN/Inf in colours in no map."""
    cmap: object
    under: tuple
    over: tuple
    zero: str = style.ZERO
    nonfinite: str = style.NONFINITE


def heat_colours() -> HeatColours:
    cm = mpl_cmap(style.HEALTH_CMAP)
    under, over = cm(0.0), cm(1.0)
    return HeatColours(cm.with_extremes(under=under, over=over), under, over)


def heatmap_norm(rec, quantity: str, *, vmin=None, vmax=None):
    """The fixed colour scale of ``quantity`` (log10, :data:`HEALTHY`), the same in every
    scenario and frame, so one colour is one value across the lesson; ``vmin``/``vmax``
    (log10) override it."""
    centre, half = HEALTHY.get(quantity, DEFAULT_HEALTHY)
    return mcolors.Normalize(vmin=centre - half if vmin is None else vmin,
                             vmax=centre + half if vmax is None else vmax)


def off_scale(rec, quantity: str, norm) -> tuple[int, int]:
    """How many reached, positive finite values lie below / above the colour scale."""
    arr = np.asarray(rec.get(quantity), dtype=float)
    st = classify(rec, arr)
    with np.errstate(divide="ignore", invalid="ignore"):
        lg = np.log10(np.where(st["pos"], arr, np.nan))
    return int(np.sum(lg < norm.vmin)), int(np.sum(lg > norm.vmax))


def heat_legend(lang: str, *, below: int, above: int, zeros: int, nonfinite: int, not_run: bool,
                norm) -> list:
    """Legend entries of the colour rule (the same in the figure and the animation):
    off-scale below/above (the map's end colours), exact 0, NaN/Inf, never run."""
    from matplotlib.patches import Patch
    from ..i18n import t
    hc = heat_colours()
    out = []
    if below:
        out.append((Patch(facecolor=hc.under), t("below {v} (off scale)", lang, v=style.fmt_num(10 ** norm.vmin, 2, lang))))
    if above:
        out.append((Patch(facecolor=hc.over), t("above {v} (off scale)", lang, v=style.fmt_num(10 ** norm.vmax, 2, lang))))
    if zeros:
        out.append((Patch(facecolor=hc.zero), t("exactly 0 (n = {n})", lang, n=int(zeros))))
    if nonfinite:
        out.append((Patch(facecolor=hc.nonfinite), t("NaN/Inf (n = {n})", lang, n=int(nonfinite))))
    if not_run:
        out.append((Patch(facecolor="white", edgecolor=style.NOT_RUN, hatch="//"), t("not run (stopped earlier)", lang)))
    return out


def colorbar_extend(below: int, above: int) -> str:
    return {(True, True): "both", (True, False): "min", (False, True): "max"}.get((bool(below), bool(above)), "neither")


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
    hc = heat_colours()
    cm = mpl_cmap(cmap) if cmap else hc.cmap
    mesh = ax.pcolormesh(xe, ye, lg, cmap=cm, norm=norm, shading="flat", rasterized=True)
    drawn = HeatmapDrawn(nonfinite=int(nonf.sum()), zeros=int(zero.sum()), mesh=mesh)
    if nonf.any():
        m = ax.pcolormesh(xe, ye, np.ma.masked_where(~nonf, np.ones(nonf.shape)),
                          cmap=mcolors.ListedColormap([hc.nonfinite]), shading="flat",
                          rasterized=True)
        m.set_gid(DIVERGENCE_GID)
    if zero.any():
        ax.pcolormesh(xe, ye, np.ma.masked_where(~zero, np.ones(zero.shape)),
                      cmap=mcolors.ListedColormap([hc.zero]), shading="flat", rasterized=True)
    mark_run_end(ax, rec, variant, xe, ~st["not_run"][variant, :, 0], drawn, lang, hatch_from="edge",
                 divergence=None)
    ax.set_xlim(*step_xlim(rec.steps, xe))
    ax.xaxis.set_major_locator(MaxNLocator(nbins="auto", integer=True, steps=[1, 2, 2.5, 5, 10]))
    ax.set_ylim(ye[0], ye[-1])
    set_layer_yticks(ax, rec, lang, max_yticks)
    ax.grid(False)
    return drawn
