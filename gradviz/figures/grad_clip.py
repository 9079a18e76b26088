"""Gradient clipping: the global gradient norm before and after clipping at
every step, log y, one panel per variant, with the threshold θ."""
from __future__ import annotations

import numpy as np
from matplotlib.lines import Line2D

from ..i18n import N_, t
from ..panels.clipping import draw_grad_clip
from ..panels.markers import special_handles
from ..panels.recording import label, log_limits, n_variants
from ..panels.result import merge
from .layer_panels import PanelFacts, alt_panels
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
    lo, hi = log_limits(pre, post, np.array(thetas or [np.nan]), pad=1.5)
    axs[0].set_ylim(lo, hi)
    axis_labels(fig, axs, rows, cols, t("Training step", lang), t("Global gradient norm ‖∇L‖", lang))
    merged = merge(results)
    extra = [(Line2D([], [], color="#444444", linestyle=(0, (5, 3))), "θ")] if thetas else []
    legend(fig, merged.handles + extra + special_handles(merged, lang))
    title(fig, t(TITLE, lang))
    items = []
    for v in range(V):
        fin = pre[v][np.isfinite(pre[v])]
        if fin.size:
            items.append((label(rec, v), fin[0], fin[-1]))
    return PanelFacts(t("Global gradient norm ‖∇L‖", lang), items, merged)


def caption(facts: PanelFacts, lang: str) -> str:
    return t(CAPTION, lang)


alt = alt_panels
