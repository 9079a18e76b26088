"""The layer × step heat map of log10(quantity) filling in as training
proceeds, one panel per variant, on one fixed colour scale."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from matplotlib import colors as mcolors

from ..figures.layout import grid, layer_tick_budget, legend, title, variant_title
from ..i18n import N_, t
from ..panels.axes import set_layer_yticks
from ..panels.heatmap import (colorbar_extend, heat_colours, heat_legend, heatmap_layers, heatmap_norm, off_scale,
                              step_edges, step_xlim)
from ..panels.recording import n_variants
from ..quantities import label as quantity_label
from .scene import Scene, frame_indices, frame_text, step_label

NAME = "heatmap_anim"
#: the median over seeds, as the static heat map draws it (an animation of seed 0 ended on
#: a different picture from the static figure of the same lesson)
SEEDS = "median"
REQUIRES = ("grad_w_norm",)
TITLE = N_("{q}: layer × training step, step by step")
CAPTION = N_(
    "The heat map of {q} (log₁₀, layer × training step) filling in as training proceeds, one panel "
    "per variant, on one fixed colour scale."
)


@dataclass(frozen=True)
class Facts:
    q: str              # the quantity's label


def compose(fig, rec, *, lang="en", quantity="grad_w_norm", frames=None):
    """The layer × step heat map of log10(quantity) filling in, one locked colour scale."""
    V = n_variants(rec)
    arr = np.asarray(rec.get(quantity), dtype=float)
    R, L = arr.shape[1], arr.shape[2]
    fidx = frame_indices(R, frames)
    norm = heatmap_norm(rec, quantity)
    axs, rows, cols = grid(fig, V, sharex=True, sharey=True, stack=True)
    xe = step_edges(rec.steps)
    ye = np.arange(L + 1) + 0.5
    hc = heat_colours()                      # the static heat map's rule, cell for cell
    cm = hc.cmap
    meshes, cursors = [], []
    data = []
    nan_cmap = mcolors.ListedColormap([hc.nonfinite])
    zero_cmap = mcolors.ListedColormap([hc.zero])
    any_nonf = any_zero = 0
    not_run = False
    for v, ax in enumerate(axs):
        lg, nonf, zero, st = heatmap_layers(rec, arr, v)
        any_nonf += int(nonf.sum())
        any_zero += int(zero.sum())
        m = ax.pcolormesh(xe, ye, lg, cmap=cm, norm=norm, shading="flat", animated=True)
        mn = ax.pcolormesh(xe, ye, np.ma.masked_where(~nonf, np.ones(nonf.shape)), cmap=nan_cmap,
                           shading="flat", animated=True)
        mz = ax.pcolormesh(xe, ye, np.ma.masked_where(~zero, np.ones(zero.shape)), cmap=zero_cmap,
                           shading="flat", animated=True)
        meshes.append((m, mn, mz, lg, nonf, zero))
        cur = ax.axvline(xe[1], color="black", linewidth=1.2, animated=True)
        cursors.append(cur)
        ax.set_xlim(*step_xlim(rec.steps, xe))
        ax.set_ylim(ye[0], ye[-1])
        set_layer_yticks(ax, rec, lang, layer_tick_budget(fig, rows))
        ax.grid(False)
        variant_title(ax, rec, v)
        if v % cols == 0:
            ax.set_ylabel(t("Layer", lang))
        if v + cols >= V:
            ax.set_xlabel(t("Training step", lang))
        data.append(st)
        not_run |= bool(st["not_run"][v].any())
    below, above = off_scale(rec, quantity, norm)
    qlabel = quantity_label(quantity, lang)
    fig.colorbar(meshes[0][0], ax=axs, label=t("log₁₀ of {q}", lang, q=qlabel.split(",")[0]),
                 extend=colorbar_extend(below, above), shrink=0.95, aspect=30, pad=0.02)
    handles = heat_legend(lang, below=below, above=above, zeros=any_zero, nonfinite=any_nonf, not_run=False,
                          norm=norm)
    if handles:
        legend(fig, handles, loc="outside lower center", ncols=len(handles))
    title(fig, t(TITLE, lang, q=qlabel))
    ftxt = frame_text(fig, lang)

    def update(k):
        r = int(fidx[k])
        ftxt.set_text(step_label(rec, rec.steps[r], lang))
        hide = np.zeros((L, R), bool)
        hide[:, r + 1:] = True
        for (m, mn, mz, lg, nonf, zero), cur in zip(meshes, cursors):
            m.set_array(np.ma.masked_where(hide | np.ma.getmaskarray(lg), lg.filled(np.nan)))
            mn.set_array(np.ma.masked_where(hide | ~nonf, np.ones(nonf.shape)))
            mz.set_array(np.ma.masked_where(hide | ~zero, np.ones(zero.shape)))
            cur.set_xdata([xe[r + 1], xe[r + 1]])
    artists = [a for m in meshes for a in m[:3]] + cursors + [ftxt]
    return Scene(len(fidx), artists, update, Facts(qlabel))


def caption(facts: Facts, lang: str) -> str:
    return t(CAPTION, lang, q=facts.q)


CHANGES = N_("From step 0 to step {last}, the columns of the heat map fill in from left to right, one "
             "recorded step per frame, behind a black cursor.")


def changes(rec, facts: Facts, lang: str) -> str:
    """What changes from frame to frame (for the alt text)."""
    return t(CHANGES, lang, last=int(rec.steps[-1]) if rec.steps.size else 0)
