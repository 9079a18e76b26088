"""Size of each update relative to the weights: log10(‖ΔW‖/‖W‖) per layer over
training, one panel per variant, with the 10⁻³ rule of thumb."""
from __future__ import annotations

import numpy as np
from matplotlib.lines import Line2D

from ..i18n import N_, t
from ..panels.markers import special_handles
from ..panels.recording import finite_range, label
from ..panels.result import merge
from ..quantities import label as quantity_label
from .layer_panels import PanelFacts, alt_panels, first_last_columns, layer_panels
from .layout import legend_in_slot, title

NAME = "update_ratio"
REQUIRES = ("update_ratio",)
#: With seeds each line is the median and its interquartile range is shaded.
BANDS = True
TITLE = N_("Size of each update relative to the weights")
CAPTION = N_(
    "How big each weight update is compared with the weights themselves, log₁₀(‖ΔW‖/‖W‖), for "
    "every layer (colour, first hidden layer dark) over training, one panel per variant. The "
    "dashed line at −3 is a common rule of thumb: far below it a layer hardly changes, far above "
    "it the updates are reckless."
)


def compose(fig, rec, *, lang="en", layers=None, reference=-3.0) -> PanelFacts:
    """log10(‖ΔW‖/‖W‖) per layer over training, one panel per variant, reference
    line at ``reference`` (−3). ``layers``: layer numbers as labelled."""
    axs, results = layer_panels(fig, rec, lang, "update_ratio", layers, "log10",
                                t("log₁₀(‖ΔW‖ / ‖W‖) per update", lang), False)
    r = finite_range(*[np.asarray(x) for d in results for x in d.values])
    lo, hi = (r if r else (reference - 1, reference + 1))
    lo, hi = min(lo, reference), max(hi, reference)
    pad = max(0.3, 0.08 * (hi - lo))
    for ax in axs:
        ax.axhline(reference, color="black", linestyle=(0, (5, 3)), linewidth=1.2, zorder=2)
    axs[0].set_ylim(lo - pad, hi + pad)
    merged = merge(results)
    ref = (Line2D([], [], color="black", linestyle=(0, (5, 3))), t("10⁻³ rule of thumb", lang))
    legend_in_slot(fig, merged.handles + [ref] + special_handles(merged, lang))
    title(fig, t(TITLE, lang))
    items = []
    for v, d in enumerate(results):
        ends = first_last_columns(d.values, np.nanmedian)
        if ends is not None:
            items.append((label(rec, v), 10 ** ends[0], 10 ** ends[1]))
    return PanelFacts(quantity_label("update_ratio", lang), items, merged)


def caption(facts: PanelFacts, lang: str) -> str:
    return t(CAPTION, lang)


alt = alt_panels
