"""Cancellation: (1 + x) - 1 per format, and three float32 variance formulas
on data with a large mean."""
from __future__ import annotations

import numpy as np


from ... import numerics as nx
from ...i18n import N_, t
from .common import (FONT, FORMAT_COLORS, INK, METHOD_COLORS, PrecisionFacts, axes_row, label_axes,
                     log_ticks, pow2_label)

NAME = "cancellation"
REQUIRES = ()
CAPTION = N_(
    "Subtracting nearly equal numbers exposes the rounding that came before. Left: (1 + x) - 1 has "
    "a relative error of up to about eps/(2x), which reaches 100% once 1 absorbs x. Right: in "
    "float32 the one-pass variance E[x^2] - E[x]^2 of data with mean 10000 is off by 100% or more, "
    "while the two-pass and Welford algorithms stay accurate."
)
VARIANCE_METHODS = {"one-pass": N_("one-pass E[x^2] - E[x]^2"), "two-pass": N_("two-pass"),
                    "welford": N_("Welford")}
ALT = N_(
    "Two log-log panels. Left, the relative error of (1 + x) - 1 against x from 1e-20 to 1, one "
    "line per format: each is flat at 100% while 1 absorbs x, then falls steadily as x grows, "
    "starting near x = 1e-16 for float64, 1e-7 for float32 and 1e-3 for float16 and bfloat16; gaps "
    "in the lines are exact results. Right, the relative error of the float32 variance of 10000 + "
    "N(0, 1) against the number of samples, up to 100000: the one-pass formula stays between 1 and "
    "a few hundred, Welford near 1e-4, two-pass near 1e-7, next to the dashed line u = eps/2."
)


def compose(fig, data: nx.CancellationData, *, lang: str = "en") -> PrecisionFacts:
    """Left: relative error of ``(1 + x) - 1`` against ``x`` per format (1
    where ``x`` is absorbed). Right: the relative error of three float32
    variance formulas on data with a large mean, against ``n``."""
    ax, ax_v = axes_row(fig, 2)
    for fm in data.formats:
        err = data.rel_error[fm]
        shown = np.where(err > 0, err, np.nan)      # exact results (0) and underflow: gaps
        ax.plot(data.x, shown, color=FORMAT_COLORS[fm], lw=0.9,
                label=f"{fm} (eps/2 = {pow2_label(nx.get_format(fm).unit_roundoff)})")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_ylim(1e-17, 3e2)
    log_ticks(ax)
    ax.text(2e-20, 1.7, t("x absorbed by 1: result 0, error 100%", lang), fontsize=FONT - 1.5, va="bottom")
    label_axes(ax, t("(1 + x) - 1 in each format", lang), t("x", lang),
               t("relative error of (1 + x) - 1", lang))
    ax.legend(fontsize=FONT - 2, loc="lower left", framealpha=0.9,
              title=t("gaps: result exact (error 0)", lang), title_fontsize=FONT - 2.5)

    floor = 1e-9
    any_zero = False
    for key, label in VARIANCE_METHODS.items():
        err = data.var_rel_error[key]
        any_zero |= bool(np.any(err == 0))
        ax_v.plot(data.var_n, np.where(err > 0, err, floor), color=METHOD_COLORS[key],
                  marker="o", ms=3, lw=1.2, label=t(label, lang), clip_on=False)
    ax_v.axhline(2.0 ** -24, color=INK, lw=0.8, ls="--", label=t("u = eps/2 (one rounding)", lang))
    ax_v.set_xscale("log")
    ax_v.set_yscale("log")
    ax_v.set_ylim(floor, 1e4)
    log_ticks(ax_v)
    ax_v.text(0.97, 0.97, t("E[x^2] ~ 1e8, float32 gap there = 8,\nbut the variance is ~1", lang),
              transform=ax_v.transAxes, fontsize=FONT - 1.5, ha="right", va="top", color=METHOD_COLORS["one-pass"])
    label_axes(ax_v, t("Variance of {mean:g} + N(0, 1), float32", lang, mean=data.var_mean),
               t("n (samples)", lang), t("relative error of the variance", lang))
    legend_kw = dict(fontsize=FONT - 2, loc="center", bbox_to_anchor=(0.5, 0.555),
                     framealpha=0.9,
                     title=t("points at the bottom edge: error exactly 0", lang) if any_zero else None,
                     title_fontsize=FONT - 2.5)
    legend = ax_v.legend(ncol=2, **legend_kw)
    fig.draw_without_rendering()
    if legend.get_window_extent().width > ax_v.bbox.width:
        ax_v.legend(ncol=1, **legend_kw)            # long labels: one column, between the curves
    return PrecisionFacts(tuple(data.formats))


def caption(facts: PrecisionFacts, lang: str) -> str:
    return t(CAPTION, lang)


def alt(data, facts: PrecisionFacts, lang: str) -> str:
    return t(ALT, lang)
