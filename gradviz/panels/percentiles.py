"""Percentiles of one layer's pre-activations over training (Ioffe & Szegedy 2015, Fig. 1)."""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from .. import style
from ..i18n import t
from .axes import few, line_scale, set_step_xlim
from .markers import empty_note, floor_markers, mark_run_end
from .recording import classify
from .result import Drawn


@dataclass
class PercentilesDrawn(Drawn):
    """:func:`draw_percentiles`: the (p15, p50, p85) series drawn."""
    series: list = field(default_factory=list)


def draw_percentiles(ax, rec, variant: int, *, layer: int, lang: str = "en") -> "PercentilesDrawn":
    """Median line and 15th-85th percentile band of one layer's pre-activations over steps."""
    steps = rec.steps
    c = style.variant_color(variant)
    arrs = [np.asarray(rec.get(n), dtype=float)[:, :, layer] for n in
            ("pre_p15", "pre_p50", "pre_p85")]
    sts = [classify(rec, a) for a in arrs]
    ys = [np.where(s["finite"][variant], a[variant], np.nan) for a, s in zip(arrs, sts)]
    drawn = PercentilesDrawn()
    ax.fill_between(steps, ys[0], ys[2], color=c, alpha=0.22, linewidth=0, zorder=2)
    ax.plot(steps, ys[0], color=c, linewidth=0.9 * line_scale(ax), alpha=0.8, zorder=3)
    ax.plot(steps, ys[2], color=c, linewidth=0.9 * line_scale(ax), alpha=0.8, zorder=3)
    ax.plot(steps, ys[1], color=c, linewidth=2.2 * line_scale(ax), zorder=4,
            marker="o" if steps.size == 1 else ("." if few(steps.size) else None))
    nonf = np.zeros(steps.size, bool)
    for s in sts:
        nonf |= s["nonfinite"][variant]
    if nonf.any():
        floor_markers(ax, steps[nonf], top=True)
        drawn.nonfinite += int(nonf.sum())
    run = ~sts[1]["not_run"][variant]
    mark_run_end(ax, rec, variant, steps, run if steps.size > 1 else None, drawn, lang)
    ax.axhline(0, color="#999999", linewidth=0.8 * line_scale(ax), zorder=1)
    set_step_xlim(ax, steps)
    if not any(np.isfinite(y).any() for y in ys):
        empty_note(ax, t("no finite data", lang))
    drawn.handles = [
        (Line2D([], [], color="#333333", linewidth=2.2), t("median (50th percentile)", lang)),
        (Patch(facecolor="#333333", alpha=0.22), t("15th–85th percentile", lang)),
    ]
    drawn.series = ys
    return drawn

