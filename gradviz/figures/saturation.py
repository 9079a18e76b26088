"""Saturated or dead units per hidden layer over training, one panel per variant:
saturation where the activation defines it (tanh, sigmoid), dead units (output
exactly 0) for the ReLU family."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..i18n import N_, t
from ..panels.markers import empty_note, special_handles
from ..panels.recording import activation_name, label, layer_name, n_variants, pick_layers
from ..panels.result import Drawn, merge
from ..quantities import label as quantity_label
from .layer_panels import alt_panels, first_last_columns, layer_panels
from .layout import legend_in_slot, title

NAME = "saturation"
REQUIRES = ("dead",)
#: With seeds each line is the median and its interquartile range is shaded.
BANDS = True
#: Title, y label and caption for each case: every variant saturating, every one dying, a mix.
TEXTS = {
    "saturation": (N_("Saturated units per layer"), N_("Saturated units (%)"), N_(
        "Share of saturated units (|{act}| in its flat region, where its derivative is almost 0) "
        "in each hidden layer over training, one panel per variant. A saturated unit passes almost "
        "no gradient back."
    )),
    "dead": (N_("Dead units per layer"), N_("Dead units, output exactly 0 (%)"), N_(
        "Share of dead units (output exactly 0) in each hidden layer over training, one panel per "
        "variant. A dead {act} unit passes no gradient back."
    )),
    "mixed": (N_("Saturated and dead units per layer"), N_("Saturated or dead units (%)"), N_(
        "Share of units that pass almost no gradient back, in each hidden layer over training, one "
        "panel per variant: saturated units (tanh or sigmoid in its flat region) or dead units "
        "(ReLU family, output exactly 0), as named on each panel."
    )),
}
MIXED_LABEL = N_("share of saturated or dead units")
#: What "saturated" means, as the simulator counts it (the histogram notes use the same count).
RULE = N_("A unit counts as saturated when |tanh| > 0.97, or when a sigmoid is below 0.03 or above 0.97.")


@dataclass(frozen=True)
class Facts:
    case: str           # "saturation", "dead" or "mixed": which caption applies
    act: str
    q: str
    items: list         # (label, mean share at the start, at the end)
    drawn: Drawn


def _per_variant_quantity(rec, quantity: str) -> list[str]:
    V = n_variants(rec)
    if quantity not in ("auto", "saturation", "dead"):
        raise ValueError(f"saturation: quantity must be 'auto', 'saturation' or 'dead', not {quantity!r}")
    if quantity != "auto":
        return [quantity] * V
    sat = np.asarray(rec.get("saturation"), dtype=float) if "saturation" in rec else None
    return ["saturation" if sat is not None and np.isfinite(sat[v]).any() else "dead" for v in range(V)]


def compose(fig, rec, *, lang="en", quantity="auto", layers=None) -> Facts:
    """Share of saturated (tanh/sigmoid) or dead (ReLU family) units per hidden layer
    over training. ``quantity``: "auto" (per variant: saturation where defined,
    else dead units), "saturation" or "dead"."""
    act = activation_name(rec)
    per = _per_variant_quantity(rec, quantity)
    kinds = set(per)
    case = per[0] if len(kinds) == 1 else "mixed"
    title_msgid, ylabel, _ = TEXTS[case]
    notes = [quantity_label(q, lang) for q in per] if len(kinds) > 1 else None
    axs, results = layer_panels(fig, rec, lang, per, layers, "percent", t(ylabel, lang), True, notes=notes)
    for v, ax in enumerate(axs):
        if per[v] in rec and not np.isfinite(np.asarray(rec.get(per[v]), dtype=float)[v]).any():
            empty_note(ax, t("not defined for {act}", lang, act=activation_name(rec, v)))
    axs[0].set_ylim(-3, 103)
    merged = merge(results)
    legend_in_slot(fig, merged.handles + special_handles(merged, lang))
    title(fig, t(title_msgid, lang))
    items = []
    shown = pick_layers(rec, layers, hidden_only=True)
    for v, d in enumerate(results):
        # per layer, first and last shown: the claim is about layer 1, and an average over
        # layers (20% where layer 1 is at 78%) describes no line of the figure
        for k in sorted({0, len(d.values) - 1}):
            ends = first_last_columns(np.array(d.values[k:k + 1]) / 100, np.nanmean)
            if ends is not None:
                items.append((f"{label(rec, v)}, {layer_name(rec, shown[k], lang)}", *ends))
    q = quantity_label(per[0], lang) if len(kinds) == 1 else t(MIXED_LABEL, lang)
    return Facts(case, act, q, items, merged)


def caption(facts: Facts, lang: str) -> str:
    text = t(TEXTS[facts.case][2], lang, act=facts.act)
    return text + (" " + t(RULE, lang) if facts.case != "dead" else "")


def alt(rec, facts: Facts, lang: str) -> str:
    return alt_panels(rec, facts, lang, pct=True)
