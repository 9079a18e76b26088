"""Spacing: the gap to the next number (ULP) against magnitude, the relative
gap, and each format's whole range with its subnormals."""
from __future__ import annotations

import math
from matplotlib.ticker import LogLocator, NullFormatter

from ... import numerics as nx
from ...i18n import N_, is_rtl, t
from .common import (FONT, FORMAT_COLORS, INK, MARKERS, PrecisionFacts, align, exponent_axis, label_axes,
                     log_ticks, pow2_label, short_num)

NAME = "spacing"
REQUIRES = ()
CAPTION = N_(
    "The gap between neighbouring numbers (ULP) grows in proportion to their magnitude, so the "
    "relative gap stays between eps/2 and eps in every format, except among the subnormals, where "
    "the gap is fixed. Compare the formats at x = 1 (markers) and the length of each range at the "
    "bottom right."
)
ALT = N_(
    "Three panels. Left, ULP(x) against x from 1e-9 to 1e6 on log scales: four parallel "
    "staircases, float64 lowest (eps = 2^-52 at x = 1), then float32 (2^-23), float16 (2^-10) and "
    "bfloat16 (2^-7); the float16 line is flat at 2^-24 among its subnormals and stops at its "
    "largest finite value, 65504. Top right, the relative gap ULP(x)/x: a sawtooth band near eps "
    "for each format, rising across the float16 subnormal zone. Bottom right, horizontal bars with "
    "the whole range of each format, from the smallest subnormal to the largest finite value: "
    "about 2^-24 to 65504 for float16, 2^-133 to 3.39e38 for bfloat16, 2^-149 to 3.40e38 for "
    "float32 and 2^-1074 to 1.80e308 for float64."
)


def _ulp_panel(ax, data, lang, lo, hi) -> None:
    """ULP against x (log-log, zoomed): parallel staircases, float16's subnormals and its end."""
    for fm in data.formats:
        c = FORMAT_COLORS[fm]
        x, u = data.x[fm], data.ulp[fm]
        keep = (x >= lo / 4) & (x <= hi * 4)
        eps = data.constants[fm]["eps"]
        ax.plot(x[keep], u[keep], color=c, lw=1.3, drawstyle="steps-post",
                label=f"{fm}:  ULP(1) = eps = {pow2_label(eps)}")
        ax.plot([1.0], [eps], marker=MARKERS[fm], color=c, mec=INK, mew=0.5, ms=5)
    if "float16" in data.formats:
        c16 = data.constants["float16"]
        top = c16["largest_finite"]
        ax.plot([top], [nx.ulp(top, "float16")], marker="^", color=FORMAT_COLORS["float16"],
                mec=INK, mew=0.5, ms=6)
        ax.annotate(t("largest finite", lang) + f" {short_num(top)}", (top, nx.ulp(top, "float16")),
                    xytext=(1e-1, 3e3), textcoords="data", ha="center", va="bottom",
                    fontsize=FONT - 1.8,
                    arrowprops=dict(arrowstyle="->", color="#555555", lw=0.7))
        sub = c16["smallest_subnormal"]
        ax.annotate(t("float16 subnormals:\nfixed gap {ulp}", lang, ulp=pow2_label(sub, plain=is_rtl(lang))),
                    (3e-7, sub), xytext=(2e-9, 1e-1), textcoords="data", ha="left", va="bottom",
                    multialignment=align(lang), fontsize=FONT - 1.8,
                    arrowprops=dict(arrowstyle="->", color="#555555", lw=0.7))
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlim(lo, hi)
    ax.set_ylim(1e-26, 1e6)
    log_ticks(ax, numticks=8)
    label_axes(ax, t("Gap to the next number (ULP)", lang), t("magnitude x", lang), t("ULP(x)", lang))
    ax.legend(fontsize=FONT - 1.8, loc="lower right", framealpha=0.9)


def _relative_panel(ax_r, data, lang, lo, hi) -> None:
    """The relative gap ULP(x)/x, a sawtooth between eps/2 and eps that climbs among subnormals."""
    for fm in data.formats:
        c = FORMAT_COLORS[fm]
        x, rel = data.x[fm], data.relative[fm]
        keep = (x >= lo / 2) & (x <= hi * 2)
        ax_r.plot(x[keep], rel[keep], color=c, lw=0.9)
    if "float16" in data.formats:
        nrm = data.constants["float16"]["smallest_normal"]
        ax_r.axvspan(lo, nrm, color=FORMAT_COLORS["float16"], alpha=0.10, lw=0)
        ax_r.text(lo * 1.6, 1e-6, t("float16\nsubnormals", lang), fontsize=FONT - 2,
                  color="#7a5200", va="center", multialignment=align(lang))
    ax_r.set_xscale("log")
    ax_r.set_yscale("log")
    ax_r.set_xlim(lo, hi)
    ax_r.set_ylim(1e-17, 3)
    log_ticks(ax_r, "x", numticks=8)
    ax_r.yaxis.set_major_locator(LogLocator(base=10, numticks=5))
    ax_r.yaxis.set_minor_formatter(NullFormatter())
    label_axes(ax_r, t("Relative gap ULP(x) / x", lang), "", t("ULP(x) / x", lang))


def _ranges_panel(ax_b, data, lang) -> None:
    """Each format's whole range on an exponent axis, subnormals pale."""
    names = list(data.formats)
    for i, fm in enumerate(names):
        c = FORMAT_COLORS[fm]
        k = data.constants[fm]
        y = len(names) - 1 - i
        lsub, lnorm, lmax = (math.log10(k["smallest_subnormal"]),
                             math.log10(k["smallest_normal"]), math.log10(k["largest_finite"]))
        ax_b.barh(y, lnorm - lsub, left=lsub, height=0.6, color=c, alpha=0.35, lw=0)
        ax_b.barh(y, lmax - lnorm, left=lnorm, height=0.6, color=c, lw=0)
        f = nx.get_format(fm)
        ax_b.text(lsub - 8, y, pow2_label(f.smallest_subnormal), ha="right", va="center",
                  fontsize=FONT - 2)
        ax_b.text(lmax + 8, y, short_num(f.largest_finite, 3), ha="left", va="center",
                  fontsize=FONT - 2)
    ax_b.set_yticks(range(len(names)), list(reversed(names)), fontsize=FONT - 1.5)
    ax_b.set_xlim(-440, 480)
    ax_b.set_ylim(-0.6, len(names) - 0.4)
    exponent_axis(ax_b, "x", nbins=7)
    ax_b.grid(False, axis="y")
    label_axes(ax_b, t("Whole range (pale: subnormals)", lang), t("magnitude x", lang), "")


def compose(fig, data: nx.SpacingData, *, lang: str = "en") -> PrecisionFacts:
    """Left: ULP against magnitude (log-log, 1e-9 ... 1e6): parallel
    staircases, ``eps`` apart at 1, float16's flattening into subnormals and
    its end at 65504. Right top: the relative gap ULP(x)/x, a sawtooth between
    eps/2 and eps that climbs among subnormals. Right bottom: each format's
    whole range (subnormals pale), with its extreme values."""
    gs = fig.add_gridspec(2, 2, width_ratios=[1, 1.1], height_ratios=[1.25, 1])
    ax = fig.add_subplot(gs[:, 0])
    ax_r = fig.add_subplot(gs[0, 1])
    ax_b = fig.add_subplot(gs[1, 1])
    for a in (ax, ax_r, ax_b):
        a.tick_params(labelsize=FONT - 1)
        a.grid(True, which="major", color="#dddddd", linewidth=0.6)
        a.set_axisbelow(True)
    lo, hi = 1e-9, 1e6
    _ulp_panel(ax, data, lang, lo, hi)
    _relative_panel(ax_r, data, lang, lo, hi)
    _ranges_panel(ax_b, data, lang)
    return PrecisionFacts(tuple(data.formats))


def caption(facts: PrecisionFacts, lang: str) -> str:
    return t(CAPTION, lang)


def alt(data, facts: PrecisionFacts, lang: str) -> str:
    return t(ALT, lang)
