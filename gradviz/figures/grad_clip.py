"""Gradient clipping: the global gradient norm before and after clipping at
every step, log y, one panel per variant, with the threshold θ."""
from __future__ import annotations

import numpy as np
from matplotlib.lines import Line2D

from ..i18n import N_, t
from dataclasses import dataclass

from .. import style
from ..panels.clipping import INSET_SHARE, cap_axis, divergence_inset, draw_grad_clip
from ..panels.markers import special_handles
from ..panels.recording import label, n_variants
from ..panels.result import merge
from ..panels.labels import keep_formulas
from .layer_panels import PanelFacts, alt_panels
from .notes import alt_join
from .layout import axis_labels, grid, legend, title, variant_title

NAME = "grad_clip"
REQUIRES = (("trace_grad_norm", "grad_norm"),)
TITLE = N_("Gradient clipping")
CAPTION = N_(
    "Global gradient norm ‖∇L‖ at every training step before clipping (faint) and after clipping "
    "(solid), one panel per variant, on a logarithmic axis. When the norm exceeds the threshold θ "
    "(dashed), the gradient is rescaled to length θ, so the solid line never rises above it."
)


def compose(fig, rec, *, lang="en") -> PanelFacts:
    """Global gradient norm before and after clipping per step, log y, one panel per
    variant, threshold θ from meta ``clip_norm`` (or a variant's ``train.clip_norm``)."""
    V = n_variants(rec)
    axs, rows, cols = grid(fig, V, sharex=True, sharey=True, stack=V <= 3)
    results = []
    for v, ax in enumerate(axs):
        results.append(draw_grad_clip(ax, rec, v, lang=lang))
        variant_title(ax, rec, v)
    pre, post = results[0].arrays
    thetas = [d.theta for d in results if d.theta]
    cap = cap_axis(axs, results, lang)
    for ax, d in zip(axs, results):
        stop = d.diverged.get(d.variant)
        xs = d.steps
        if stop is not None and xs.size > 1 and stop - xs[0] <= INSET_SHARE * (xs[-1] - xs[0]):
            d.inset = divergence_inset(ax, xs, d.arrays[0][d.variant], stop, style.variant_color(d.variant))
    axis_labels(fig, axs, rows, cols, t("Training step", lang), t("Global gradient norm ‖∇L‖", lang))
    merged = merge(results)
    extra = [(Line2D([], [], color="#444444", linestyle=(0, (5, 3))), "θ")] if thetas else []
    legend(fig, merged.handles + extra + special_handles(merged, lang))
    keep_formulas(fig)
    title(fig, t(TITLE, lang))
    items = []
    for v in range(V):
        fin = pre[v][np.isfinite(pre[v])]
        if fin.size:
            items.append((label(rec, v), fin[0], fin[-1]))
    clips = [(label(rec, v), d.theta, d.clipped_share, d.off_scale) for v, d in enumerate(results)]
    return ClipFacts(t("Global gradient norm ‖∇L‖", lang), items, merged, cap, clips)


@dataclass(frozen=True)
class ClipFacts(PanelFacts):
    cap: float = np.inf          # the top of the capped axis
    clips: list = None           # (label, θ or None, share of steps clipped, largest off-scale value)


def caption(facts: PanelFacts, lang: str) -> str:
    return t(CAPTION, lang) + " " + t("The axis ends at {v}; larger values are marked ↑ at the top.", lang,
                                      v=style.fmt_num(facts.cap))


def alt(rec, facts: ClipFacts, lang: str) -> str:
    extra = []
    for lab, theta, share, off in facts.clips:
        bits = []
        if theta:
            bits.append(t("θ = {v}: {share} of steps clipped", lang, v=style.fmt_num(theta),
                          share=style.fmt_pct(share)))
        if off:
            bits.append(t("↑ up to {v}, off the scale", lang, v=style.fmt_num(off)))
        if bits:
            extra.append(f"{lab}: " + ", ".join(bits))
    return alt_panels(rec, facts, lang) + (" " + alt_join(extra) if extra else "")
