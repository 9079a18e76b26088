"""Axes cosmetics shared by the panels: step and layer ticks, the epoch axis,
colour maps, and the size scale of lines and markers."""
from __future__ import annotations

import matplotlib as mpl
import numpy as np
from matplotlib.ticker import MaxNLocator

from .. import style
from ..i18n import t
from .recording import layer_tick, pick_layers, steps_per_epoch


def line_scale(ax) -> float:
    """Line widths and marker sizes relative to the web size (the rc font size / 10)."""
    return mpl.rcParams["font.size"] / 10.0


def few(n) -> bool:
    """Few enough points to mark each one."""
    return n <= 40


def set_step_xlim(ax, xs):
    """x-limits for a step axis; a single step is centred instead of sitting on the spine."""
    xs = np.asarray(xs, dtype=float)
    lo, hi = float(xs[0]), float(xs[-1])
    if hi <= lo:
        lo, hi = lo - 1, lo + 1
    ax.set_xlim(lo, hi)
    ax.xaxis.set_major_locator(MaxNLocator(nbins="auto", integer=True, steps=[1, 2, 2.5, 5, 10]))


def set_layer_ticks(ax, rec, lang: str = "en", max_ticks: int = 22) -> None:
    """x ticks 1..depth and "out" at positions 1..depth+1; with many layers
    every k-th layer is labelled (the first and the output layer always)."""
    L = rec.n_layers
    need = -(-L // max_ticks)
    step = next(n for n in (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000) if n >= need)
    idx = sorted({0, L - 1, *range(step - 1, L - 1, step)})  # layers 1, step, 2 step, ..., out
    if len(idx) > 2 and idx[-2] > L - 1 - step / 2:  # keep the last labels apart
        idx.pop(-2)
    ax.set_xticks([i + 1 for i in idx], [layer_tick(rec, i, lang) for i in idx])


def set_layer_yticks(ax, rec, lang, max_ticks: int = 10):
    """Layer ticks 1..L on y ("out" for the output layer), thinned to ``max_ticks``."""
    ticks = pick_layers(rec, None, max_auto=max(2, int(max_ticks)))
    ax.set_yticks([i + 1 for i in ticks], [layer_tick(rec, i, lang) for i in ticks])


def add_epoch_axis(ax, rec, lang: str = "en"):
    """Secondary x-axis on top in epochs (when ``steps_per_epoch`` is known)."""
    spe = steps_per_epoch(rec)
    if not spe:
        return None
    sec = ax.secondary_xaxis("top", functions=(lambda s: s / spe, lambda e: e * spe))
    sec.set_xlabel(t("Epoch", lang), color=style.TEXT_MUTED)
    sec.tick_params(colors=style.TEXT_MUTED, labelsize="small")
    return sec


def mpl_cmap(name, under=None):
    """A copy of colormap ``name`` with transparent bad values (and an ``under`` colour)."""
    cm = mpl.colormaps[name] if isinstance(name, str) else name
    kw = {"bad": (0.0, 0.0, 0.0, 0.0)}
    if under is not None:
        kw["under"] = under
    return cm.with_extremes(**kw)
