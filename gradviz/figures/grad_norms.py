"""Gradient norm per layer: ‖∂L/∂W‖ against layer index at initialization
(solid) and later steps (dashed), log y (Glorot & Bengio 2010, Fig. 5)."""
from __future__ import annotations

from dataclasses import dataclass

from .. import style
from ..i18n import N_, t
from ..panels.layers import GradNormsDrawn, draw_grad_norms
from ..panels.markers import special_handles
from ..quantities import label as quantity_label
from ..panels import labels
from ..panels.labels import direct_labels
from ..panels.recording import label, n_variants
from .layout import legend, panel_title, title
from .notes import alt_join, run_end_notes

NAME = "grad_norms"
BANDS = True         # over seeds: the median line and its interquartile band
REQUIRES = ("grad_w_norm",)
TITLE = N_("Gradient norm per layer")
CAPTION = N_(
    "Norm of the loss gradient with respect to each layer's weights, ‖∂L/∂W‖, from the first "
    "hidden layer (left) to the output layer (right), at initialization (left panel) and at {later} "
    "(right panel, on its own scale). The vertical axes are logarithmic: each grid line is ten times "
    "the one below. A line "
    "that drops toward the left means the first layers barely learn (vanishing gradients); a line "
    "that climbs toward the left means exploding gradients."
)
ALT = N_("Line chart, log scale: gradient norm ‖∂L/∂W‖ for layers 1 to {n} at initialization. "
         "{items}")


@dataclass(frozen=True)
class Facts:
    later: str                 # the later steps drawn dashed ("step 200"), or the init text
    items: list                # (label, first layer, output layer) at initialization
    n_layers: int
    drawn: GradNormsDrawn


def compose(fig, rec, *, lang="en", steps=None, quantity="grad_w_norm") -> Facts:
    """Per-layer ‖∂L/∂W‖ vs layer index. ``steps``: later steps to draw dashed
    (default: the last record); ``quantity``: any per-layer array (``delta_rms``...)."""
    later = rec.steps.size > 1
    axs = fig.subplots(1, 2, sharey=False, squeeze=True) if later else [fig.add_subplot()]
    drawn = draw_grad_norms(axs[0], rec, steps=steps, quantity=quantity, lang=lang, which="init")
    panel_title(axs[0], t("step 0 (initialization)", lang))
    tags = direct_labels(axs[0], drawn.ends)
    if later:
        d2 = draw_grad_norms(axs[1], rec, steps=steps, quantity=quantity, lang=lang, which="later")
        panel_title(axs[1], ", ".join(t("step {n}", lang, n=s) for s in d2.later_steps))
        tags += direct_labels(axs[1], d2.ends)
        axs[1].set_ylabel("")
        fig.supxlabel(axs[0].get_xlabel(), fontsize="medium")     # one label under both panels
        axs[0].set_xlabel("")
        axs[1].set_xlabel("")
        drawn.later_steps = d2.later_steps
        drawn.zeros += d2.zeros
        drawn.nonfinite += d2.nonfinite
        drawn.handles += [h for h in d2.handles if h[1] not in {x[1] for x in drawn.handles}]
    special = special_handles(drawn, lang)
    if labels.too_wide(fig, tags):
        # long variant names would squeeze both panels to slivers: a key below instead
        labels.remove(tags)
        names = [h for h in drawn.handles if h[1] in {label(rec, v) for v in range(n_variants(rec))}]
        legend(fig, names + special, loc="outside lower center", ncols=min(3, len(names + special)))
        special = []
        if later:      # a figure legend below and a shared x label would overlap: one per panel
            fig._supxlabel.set_text("")
            for ax in axs:
                ax.set_xlabel(t("Layer (1 = first hidden layer, out = output layer)", lang))
    if special:
        # above the panels: a key on the right would take the width the direct labels need
        side = "left" if getattr(fig, "_gradviz_rtl", False) else "right"   # opposite the title
        legend(fig, special, loc=f"outside upper {side}", ncols=len(special))
    title(fig, t(TITLE, lang) if quantity == "grad_w_norm" else quantity_label(quantity, lang))
    later = drawn.later_steps
    later_txt = (", ".join(t("step {n}", lang, n=s) for s in later) if later
                 else t("step 0 (initialization)", lang))
    return Facts(later_txt, drawn.items, rec.n_layers, drawn)


def caption(facts: Facts, lang: str) -> str:
    return t(CAPTION, lang, later=facts.later)


def alt(rec, facts: Facts, lang: str) -> str:
    items = [t("{label}: {first} at layer 1, {last} at the output layer", lang, label=lab,
               first=style.fmt_num(a), last=style.fmt_num(b)) for lab, a, b in facts.items]
    return t(ALT, lang, n=facts.n_layers, items=alt_join(items + run_end_notes(rec, lang)))
