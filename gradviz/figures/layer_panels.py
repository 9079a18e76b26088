"""What the per-layer series figures share: one panel per variant, one line per
layer of a per-layer quantity over training steps."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .. import style
from ..i18n import t
from ..panels.recording import n_variants, pick_layers
from ..panels.result import Drawn
from ..panels.series import draw_layer_series
from .layout import axis_labels, grid, variant_title
from .notes import alt_join, diverged_note, run_end_notes


@dataclass(frozen=True)
class PanelFacts:
    q: str              # the quantity's label
    items: list         # (label, start, end)
    drawn: Drawn


def layer_panels(fig, rec, lang, quantity, layers, transform, ylabel, hidden_only, notes=None):
    """One panel per variant of a per-layer quantity (a name, or one name per variant);
    returns the axes and each panel's :class:`~gradviz.panels.series.SeriesDrawn`."""
    V = n_variants(rec)
    layer_ids = pick_layers(rec, layers, hidden_only=hidden_only)
    axs, rows, cols = grid(fig, V, sharex=True, sharey=True)
    results = []
    for v, ax in enumerate(axs):
        q = quantity[v] if isinstance(quantity, (list, tuple)) else quantity
        drawn = draw_layer_series(ax, rec, v, quantity=q, layers=layer_ids, lang=lang, transform=transform)
        extra = diverged_note(rec, v, lang) or (notes[v] if notes else None)
        variant_title(ax, rec, v, extra)
        results.append(drawn)
    axis_labels(fig, axs, rows, cols, t("Training step", lang), ylabel)
    return axs, results


def first_last_columns(values, reduce) -> tuple | None:
    """``reduce`` over layers of the first and the last step with any finite value."""
    allv = np.array(values)
    fin = np.isfinite(allv)
    if not fin.any():
        return None
    cols = np.nonzero(fin.any(0))[0]
    return reduce(allv[:, cols[0]]), reduce(allv[:, cols[-1]])


def alt_panels(rec, facts: PanelFacts, lang: str, pct: bool = False) -> str:
    f = style.fmt_pct if pct else style.fmt_num
    items = [t("{label}: {start} at the start, {end} at the end", lang, label=lab, start=f(a), end=f(b))
             for lab, a, b in facts.items]
    return t("{chart}, one panel per variant, of {q} against training step. {items}", lang,
             chart=t("Line chart", lang), q=facts.q, items=alt_join(items + run_end_notes(rec, lang)))
