"""Pre-activation percentiles during training: the median and 15th-85th
percentile band of one layer's pre-activations, one panel per variant
(Ioffe & Szegedy 2015, Fig. 1)."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .. import style
from ..i18n import N_, t
from ..panels.markers import special_handles
from ..panels.percentiles import draw_percentiles
from ..panels.recording import finite_range, label, layer_name, n_variants, pick_layers
from ..panels.result import Drawn, merge
from ..panels.labels import keep_formulas
from .layout import axis_labels, grid, legend, title, variant_title
from .notes import alt_join, diverged_note, run_end_notes

NAME = "percentiles"
REQUIRES = ("pre_p15", "pre_p50", "pre_p85")
TITLE = N_("Pre-activation percentiles during training")
CAPTION = N_(
    "Input of the nonlinearity in {layer} over training: the median (line) and the 15th–85th "
    "percentile band, one panel per variant, as in Ioffe & Szegedy (2015, Fig. 1). A band that "
    "drifts or widens means the next layer keeps seeing a different distribution; batch "
    "normalization holds it steady."
)


@dataclass(frozen=True)
class Facts:
    layer: str          # "layer 9"
    q: str
    items: list         # (label, "median [p15, p85]" at the start, at the end)
    drawn: Drawn


def _band_text(p15, p50, p85, i) -> str:
    return f"{style.fmt_num(p50[i])} [{style.fmt_num(p15[i])}, {style.fmt_num(p85[i])}]"


def compose(fig, rec, *, lang="en", layer=None) -> Facts:
    """Ioffe & Szegedy Fig. 1: 15/50/85th percentiles of one layer's pre-activation
    over training, one panel per variant. ``layer``: number as labelled (default:
    the last hidden layer)."""
    depth = int(rec.meta.get("depth", rec.n_layers - 1))
    li = max(min(depth, rec.n_layers) - 1, 0) if layer is None else pick_layers(rec, [layer])[0]
    V = n_variants(rec)
    axs, rows, cols = grid(fig, V, sharex=True, sharey=True)
    results = []
    lname = layer_name(rec, li, lang)
    for v, ax in enumerate(axs):
        drawn = draw_percentiles(ax, rec, v, layer=li, lang=lang)
        variant_title(ax, rec, v, diverged_note(rec, v, lang))
        results.append(drawn)
    q = t("Pre-activation of {layer}", lang, layer=lname)
    axis_labels(fig, axs, rows, cols, t("Training step", lang), q)
    r = finite_range(*[y for d in results for y in d.series])
    if r is None or r[1] - r[0] < 1e-9 * max(1.0, abs(r[0])):
        mid = 0.0 if r is None else r[0]
        axs[0].set_ylim(mid - 1, mid + 1)
    merged = merge(results)
    legend(fig, merged.handles + special_handles(merged, lang))
    keep_formulas(fig)
    title(fig, t(TITLE, lang) + f" — {lname}")
    items = []
    for v, d in enumerate(results):
        p15, p50, p85 = d.series
        fin = np.nonzero(np.isfinite(p50))[0]
        if fin.size:
            items.append((label(rec, v), _band_text(p15, p50, p85, fin[0]),
                          _band_text(p15, p50, p85, fin[-1])))
    return Facts(lname, q, items, merged)


def caption(facts: Facts, lang: str) -> str:
    return t(CAPTION, lang, layer=facts.layer)


def alt(rec, facts: Facts, lang: str) -> str:
    items = [t("{label}: {start} at the start, {end} at the end", lang, label=lab, start=a, end=b)
             for lab, a, b in facts.items]
    return t("{chart}, one panel per variant, of {q} against training step. {items}", lang,
             chart=t("Line chart", lang), q=facts.q, items=alt_join(items + run_end_notes(rec, lang)))
