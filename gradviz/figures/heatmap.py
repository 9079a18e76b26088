"""Layer × training step heat map of log10(quantity), one panel per variant,
one locked colour scale; NaN/Inf, zeros and steps never run in their own colours."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .. import style
from ..i18n import N_, t
from ..panels.heatmap import colorbar_extend, draw_heatmap, heat_legend, heatmap_norm, off_scale
from ..panels.markers import empty_note
from ..panels.recording import label, n_variants
from ..panels.result import Drawn, merge
from ..panels.labels import keep_formulas
from ..quantities import label as quantity_label
from .layout import grid, is_bottom, is_left, layer_tick_budget, legend, title, variant_title
from .notes import alt_join, diverged_note, run_end_notes

NAME = "heatmap"
REQUIRES = ("grad_w_norm",)
TITLE = N_("{q}: layer × training step")
CAPTION = N_(
    "{q} for every layer (rows, first hidden layer at the bottom, output layer on top) and every "
    "recorded training step (columns), one panel per variant. Colour is log₁₀ of the value on one "
    "shared scale, so the same colour means the same value in every panel. {special}"
)
SPECIAL = N_("The scale is fixed for every scenario of the lesson and centred on the healthy value {mid}: "
             "blue cells vanish, red cells explode, the darkest ends are off the scale. Black cells are exactly "
             "0; magenta cells are NaN or Inf; hatched columns were never run.")
ALT = N_(
    "Heat map, one panel per variant, of log₁₀ {q} by layer (rows) and training step (columns); "
    "the shared colour scale runs from {lo} to {hi}. {items}"
)


@dataclass(frozen=True)
class Facts:
    q: str              # the quantity's label
    items: list         # (label, first layer, output layer) at the first record
    lo: float           # the colour scale's range
    hi: float
    drawn: Drawn
    mid: float = 1.0    # the healthy magnitude the scale is centred on


def compose(fig, rec, *, lang="en", quantity="grad_w_norm", vmin=None, vmax=None) -> Facts:
    """Layer × step heat map of log10(quantity), one locked colour scale for all
    panels. ``quantity``: any per-layer array; ``vmin``/``vmax``: log10 limits."""
    V = n_variants(rec)
    norm = heatmap_norm(rec, quantity, vmin=vmin, vmax=vmax)
    axs, rows, cols = grid(fig, V, sharex=True, sharey=True, stack=True)
    results = []
    for v, ax in enumerate(axs):
        drawn = draw_heatmap(ax, rec, v, quantity=quantity, norm=norm, lang=lang,
                             max_yticks=layer_tick_budget(fig, rows))
        variant_title(ax, rec, v, diverged_note(rec, v, lang))
        results.append(drawn)
        if is_left(v, cols):
            ax.set_ylabel(t("Layer", lang))
        if is_bottom(v, V, rows, cols):
            ax.set_xlabel(t("Training step", lang))
    merged = merge(results)
    qlabel = quantity_label(quantity, lang)
    arr = np.asarray(rec.get(quantity), dtype=float)
    below, above = off_scale(rec, quantity, norm)
    fig.colorbar(results[0].mesh, ax=axs, label=t("log₁₀ of {q}", lang, q=qlabel.split(",")[0]),
                 extend=colorbar_extend(below, above), shrink=0.95, aspect=30, pad=0.02)
    handles = heat_legend(lang, below=below, above=above, zeros=merged.zeros, nonfinite=merged.nonfinite,
                          not_run=merged.not_run, norm=norm)
    if handles:
        legend(fig, handles, loc="outside lower center", ncols=len(handles))
    if not any(d.mesh.get_array().count() for d in results):
        for ax in axs:
            empty_note(ax, t("all values are exactly 0", lang) if merged.zeros else t("no finite data", lang))
    keep_formulas(fig)
    title(fig, t(TITLE, lang, q=qlabel))
    items = [(label(rec, v), arr[v, 0, 0], arr[v, 0, -1]) for v in range(V)]
    return Facts(qlabel, items, 10 ** norm.vmin, 10 ** norm.vmax, merged, 10 ** (0.5 * (norm.vmin + norm.vmax)))


def caption(facts: Facts, lang: str) -> str:
    return t(CAPTION, lang, q=facts.q, special=t(SPECIAL, lang, mid=style.fmt_num(facts.mid, 2, lang)))


def alt(rec, facts: Facts, lang: str) -> str:
    items = [t("{label}: {first} at layer 1, {last} at the output layer", lang, label=lab,
               first=style.fmt_num(a, 2, lang), last=style.fmt_num(b, 2, lang)) for lab, a, b in facts.items]
    return t(ALT, lang, q=facts.q, lo=style.fmt_num(facts.lo, 2, lang), hi=style.fmt_num(facts.hi, 2, lang),
             items=alt_join(items + run_end_notes(rec, lang)))
