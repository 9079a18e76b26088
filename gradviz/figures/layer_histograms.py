"""What the two histogram figures share: one panel per variant, one density curve
per layer, one x-range for every panel (Glorot & Bengio 2010, Figs. 6-7)."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .. import style
from ..i18n import nt, t
from ..panels.histograms import draw_layer_hist, hist_edges_x, shade_float16_range
from ..panels.markers import special_handles
from ..panels.recording import activation_name, label, n_variants, pick_layers, pick_record, when_text
from ..panels.result import Drawn, merge
from ..quantities import label as quantity_label
from .layout import axis_labels, grid, legend, title, variant_title
from .notes import alt_join, run_end_notes


@dataclass(frozen=True)
class HistFacts:
    act: str            # the activation's name ("tanh"; "φ" when variants differ)
    when: str           # "step 0 (initialization)", "step 200"
    q: str              # the quantity's label
    items: list         # (label, median of the first layer shown, of the last)
    n_panels: int
    drawn: Drawn


def _x_label(hist: str, act: str, lang: str) -> str:
    if hist == "hist_act":
        return t("Activation value (output of {act})", lang, act=act)
    if hist == "hist_pre":
        return t("Pre-activation z = Wh + b (input of {act})", lang, act=act)
    return t("|∂L/∂z|, back-propagated gradient (log scale)", lang)


def _shared_limits(axs, rec, hist, layer_ids, shown) -> None:
    """One x-range for every panel: the bins any shown curve uses, plus two bins of margin."""
    V = len(axs)
    counts = np.nan_to_num(np.asarray(rec.get(hist), dtype=float)[np.arange(V), shown][:, layer_ids])
    used = np.nonzero(counts.reshape(-1, counts.shape[-1]).sum(0) > 0)[0]
    if used.size:
        xe = hist_edges_x(rec, hist)
        axs[0].set_xlim(xe[max(used[0] - 2, 0)], xe[min(used[-1] + 3, xe.size - 1)])
    axs[0].set_ylim(bottom=0)
    top = axs[0].get_ylim()[1]
    if not np.isfinite(top) or top <= 0:
        axs[0].set_ylim(0, 1)


def compose_histograms(fig, rec, lang, hist, step, layers, title_msgid) -> HistFacts:
    """The histogram figure of ``hist`` ("hist_act", "hist_pre", "hist_delta")."""
    V = n_variants(rec)
    layer_ids = pick_layers(rec, layers, hidden_only=True)
    axs, rows, cols = grid(fig, V, sharex=True, sharey=True)
    results = []
    r0 = pick_record(rec, step=step if step is not None else 0)
    for v, ax in enumerate(axs):
        drawn = draw_layer_hist(ax, rec, v, hist=hist, record=r0, layers=layer_ids, lang=lang)
        rv = drawn.record
        extra = t("stopped at step {n}", lang, n=int(rec.steps[rv])) if rv != r0 else None
        variant_title(ax, rec, v, extra)
        results.append(drawn)
    act = activation_name(rec)
    ylabel = t("Density per decade", lang) if hist == "hist_delta" else t("Density (normalized histogram)", lang)
    axis_labels(fig, axs, rows, cols, _x_label(hist, act, lang), ylabel)
    _shared_limits(axs, rec, hist, layer_ids, [d.record for d in results])
    merged = merge(results)
    handles = merged.handles + special_handles(merged, lang)
    if hist == "hist_delta":
        handles += shade_float16_range(axs, rec, [d.record for d in results], lang)
    legend(fig, handles)
    when = when_text(rec, r0, lang)
    title(fig, t(title_msgid, lang) + f" — {when}")
    items = [(label(rec, v), d.items[0], d.items[-1]) for v, d in enumerate(results) if d.items]
    return HistFacts(act, when, quantity_label(hist, lang), items, V, merged)


def alt_histograms(rec, facts: HistFacts, lang: str) -> str:
    items = [t("{label}: typical value {first} in the first layer shown and {last} in the last", lang,
               label=lab, first=style.fmt_num(a), last=style.fmt_num(b)) for lab, a, b in facts.items]
    return nt("{n} panel of overlaid histogram curves, one per variant, showing the distribution of {q} "
              "in each layer at {when}. {items}",
              "{n} panels of overlaid histogram curves, one per variant, showing the distribution of {q} "
              "in each layer at {when}. {items}",
              facts.n_panels, lang, n=facts.n_panels, q=facts.q, when=facts.when,
              items=alt_join(items + run_end_notes(rec, lang)))
