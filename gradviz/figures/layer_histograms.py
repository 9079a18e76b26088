"""What the two histogram figures share: one panel per variant, one density curve
per layer, one x-range for every panel (Glorot & Bengio 2010, Figs. 6-7)."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .. import style
from ..i18n import nt, t
from ..panels.histograms import (draw_layer_hist, draw_limits, hist_edges_x, shade_float16_range, skipped_at,
                                variant_edges)
from ..panels.markers import special_handles
from ..panels.recording import (activation_name, activation_text, label, layer_name, n_variants, pick_layers,
                                pick_record, stop_text, when_text)
from ..panels.result import Drawn, merge
from ..panels.labels import keep_formulas
from ..quantities import label as quantity_label
from .layout import axis_labels, grid, legend_in_slot, title, variant_title
from .notes import alt_join, run_end_notes


@dataclass(frozen=True)
class HistFacts:
    act: str            # the activation's name ("tanh"; "φ" when variants differ)
    when: str           # "step 0 (initialization)", "step 200"
    q: str              # the quantity's label
    items: list         # (variant, [LayerMass per layer shown])
    n_panels: int
    drawn: Drawn
    hist: str = "hist_act"
    acts: list = None   # each variant's activation
    record: int = 0     # the record drawn


def _x_label(hist: str, act: str, lang: str) -> str:
    act = activation_text(act)
    if hist == "hist_act":
        return t("Activation value (output of {act})", lang, act=act)
    if hist == "hist_pre":
        return t("Pre-activation z = Wh + b (input of {act})", lang, act=act)
    return t("|∂L/∂z|, back-propagated gradient (log scale)", lang)


def _limits(axs, rec, hist, layer_ids, shown, shared: bool, zero_marks=None, note_lines=None) -> None:
    """Each panel's x-range: the bins any shown curve of that variant uses, two bins
    of margin, and the bars beyond the edges when values fall there (the union over
    panels when they share x). One y-range."""
    ranges = []
    zero_marks = zero_marks or [False] * len(axs)
    for v, ax in enumerate(axs):
        xe = hist_edges_x(rec, hist, v)
        counts = np.nan_to_num(np.asarray(rec.get(hist), dtype=float)[v, shown[v]][layer_ids])
        used = np.nonzero(counts.reshape(-1, counts.shape[-1]).sum(0) > 0)[0]
        lo, hi = ax.get_xlim() if not shared else draw_limits(rec, hist, v)
        if used.size:
            beyond = [np.nan_to_num(np.asarray(rec.get(f"{hist}_{k}"), dtype=float)[v, shown[v]][layer_ids]).sum()
                      if f"{hist}_{k}" in rec else 0.0 for k in ("under", "over")]
            lo = lo if beyond[0] > 0 else xe[max(used[0] - 2, 0)]
            hi = hi if beyond[1] > 0 else xe[min(used[-1] + 3, xe.size - 1)]
        ranges.append((lo, hi))
    if shared:
        ranges = [(min(r[0] for r in ranges), max(r[1] for r in ranges))] * len(axs)
    # room left of 0 for the exact-zero markers (ReLU's left edge is 0 itself)
    marks = [any(zero_marks)] * len(axs) if shared else zero_marks
    ranges = [(min(lo, -0.03 * (hi - lo)) if zeros else lo, hi) for (lo, hi), zeros in zip(ranges, marks)]
    for ax, (lo, hi) in zip(axs, ranges):
        ax.set_xlim(lo, hi)
    axs[0].set_ylim(bottom=0)
    top = axs[0].get_ylim()[1]
    if not np.isfinite(top) or top <= 0:
        axs[0].set_ylim(0, 1)
        return
    # headroom for the notes stacked top left (0.085 of the axes each): no note over a bar or peak
    n_notes = max(note_lines or [0])
    if n_notes:
        axs[0].set_ylim(0, top / (1.0 - (0.06 + 0.085 * n_notes)))


def _same_edges(rec, hist, V) -> bool:
    e = np.asarray(rec.get(hist + "_edges"), dtype=float)
    return e.ndim == 1 or all(np.array_equal(e[0], e[v]) for v in range(V))


def compose_histograms(fig, rec, lang, hist, step, layers, title_msgid) -> HistFacts:
    """The histogram figure of ``hist`` ("hist_act", "hist_pre", "hist_delta"):
    panels share x only when every variant has the same bins (one activation)."""
    V = n_variants(rec)
    layer_ids = pick_layers(rec, layers, hidden_only=True)
    same = _same_edges(rec, hist, V)
    axs, rows, cols = grid(fig, V, sharex=same, sharey=True)
    results = []
    r0 = pick_record(rec, step=step if step is not None else 0)
    own_act = activation_name(rec) == "φ" and hist != "hist_delta"
    for v, ax in enumerate(axs):
        drawn = draw_layer_hist(ax, rec, v, hist=hist, record=r0, layers=layer_ids, lang=lang)
        rv = drawn.record
        extra = stop_text(rec, v, lang) if rv != r0 else None     # the recorded stop, not rec.steps[rv]
        variant_title(ax, rec, v, extra)
        if own_act:
            ax.set_xlabel(_x_label(hist, activation_name(rec, v), lang), fontsize="small")
        results.append(drawn)
    act = activation_name(rec)
    ylabel = t("Density per decade", lang) if hist == "hist_delta" else t("Density (normalized histogram)", lang)
    axis_labels(fig, axs, rows, cols, None if own_act else _x_label(hist, act, lang), ylabel)
    _limits(axs, rec, hist, layer_ids, [d.record for d in results], same,
            [bool(d.zero_marks) for d in results], [d.note_lines for d in results])
    merged = merge(results)
    handles = merged.handles + special_handles(merged, lang)
    if hist == "hist_delta":
        handles += shade_float16_range(axs, rec, [d.record for d in results], lang)
    legend_in_slot(fig, handles)
    when = when_text(rec, r0, lang)
    keep_formulas(fig)
    title(fig, t(title_msgid, lang) + f" — {when}")
    items = [(v, d.items) for v, d in enumerate(results) if d.items]
    return HistFacts(act, when, quantity_label(hist, lang), items, V, merged, hist,
                     [activation_name(rec, v) for v in range(V)], r0)


def _finer_than_bins(rec, m, facts: HistFacts, v: int, lang: str):
    """A ReLU layer whose middle half lies inside one bin: its quartiles would only be
    that bin's edges ("between 0 and 0.15"), so say it is finer than the bins and give
    its recorded 85th percentile (ReLU of ``pre_p85``, exact: ReLU is monotone); else None."""
    if facts.hist != "hist_act" or not facts.acts or facts.acts[v] != "relu" or "pre_p85" not in rec:
        return None
    e = variant_edges(rec, "hist_act", v)
    k = int(np.searchsorted(e, m.q25, side="right")) - 1
    if not (0 <= k < e.size - 1 and m.q25 == e[k] and m.q75 == e[k + 1]):
        return None
    p85 = float(np.asarray(rec.get("pre_p85"), dtype=float)[v, pick_record(rec, record=facts.record, variant=v),
                                                               m.layer])
    if not np.isfinite(p85):
        return None
    return t("{layer}: 85% ≤ {v},\nfiner than the bins ({w} wide)", lang, layer=layer_name(rec, m.layer, lang),
             v=style.fmt_num(max(p85, 0.0), 2, lang), w=style.fmt_num(e[k + 1] - e[k], 2, lang)).replace("\n", " ")


def _mass_text(rec, m, facts: HistFacts, v: int, lang: str) -> str:
    """One layer as a sighted reader sees it: where the middle half of the values
    is, the share saturated or beyond the bins, exactly 0."""
    f = lambda x: style.fmt_num(x, 2, lang)   # noqa: E731
    bits = [_finer_than_bins(rec, m, facts, v, lang) or
            t("{layer}: middle half between {lo} and {hi}", lang, layer=layer_name(rec, m.layer, lang),
              lo=f(m.q25), hi=f(m.q75))]
    beyond = m.under + m.over
    if facts.hist == "hist_act" and facts.acts and facts.acts[v] in ("tanh", "sigmoid") and "saturation" in rec:
        # the recorded share (|tanh| > 0.97), as the panel's note and the saturation figure say
        sat = float(np.asarray(rec.get("saturation"), dtype=float)[
            v, pick_record(rec, record=facts.record, variant=v), m.layer])
        if np.isfinite(sat) and sat > 0.0005:
            bits.append(t("{v} saturated", lang, v=style.fmt_pct(sat, lang)))
    if beyond > 0.0005:     # the hatched bars: past the outer bins, a narrower set
        bits.append(t("{v} beyond the bins", lang, v=style.fmt_pct(beyond, lang)))
    if m.zero > 0.0005:
        bits.append(t("{v} exactly 0", lang, v=style.fmt_pct(m.zero, lang)))
    if not (np.isfinite(m.q25) and np.isfinite(m.q75)):   # no finite nonzero value: no middle half
        return layer_name(rec, m.layer, lang) + ": " + (", ".join(bits[1:]) or t("no finite value", lang))
    return ", ".join(bits)


def alt_histograms(rec, facts: HistFacts, lang: str) -> str:
    """Per variant: the first and last layer shown (the layer-1 share where claims are about
    layer 1), and for gradients how many decades the layers' medians span."""
    items = []
    for v, masses in facts.items:
        shown = [masses[0]] if len(masses) == 1 else [masses[0], masses[-1]]
        if skipped_at(rec, v, pick_record(rec, record=facts.record, variant=v)):
            items.append(label(rec, v) + ": " + t("step skipped (overflow)", lang))
            continue
        text = label(rec, v) + ": " + "; ".join(_mass_text(rec, m, facts, v, lang) for m in shown)
        if facts.hist == "hist_delta":
            med = np.array([m.q50 for m in masses], dtype=float)
            med = med[np.isfinite(med) & (med > 0)]
            if med.size > 1:
                text += "; " + t("layer medians span {d} decades", lang,
                                 d=style.fmt_num(np.log10(med.max() / med.min()), 2, lang))
        items.append(text)
    return nt("{n} panel of overlaid histogram curves, one per variant, showing the distribution of {q} "
              "in each layer at {when}. {items}",
              "{n} panels of overlaid histogram curves, one per variant, showing the distribution of {q} "
              "in each layer at {when}. {items}",
              facts.n_panels, lang, n=facts.n_panels, q=facts.q, when=facts.when,
              items=alt_join(items + run_end_notes(rec, lang)))
