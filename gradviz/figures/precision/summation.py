"""Summation: the relative error of naive, pairwise and Kahan summation of 0.1
against the number of terms, one panel per format."""
from __future__ import annotations

import numpy as np


from ... import numerics as nx
from ...i18n import N_, t
from .common import (FONT, INK, METHOD_COLORS, PrecisionFacts, align, axes_row, grouped, label_axes, log_ticks,
                     short_num, stall_value)

NAME = "summation"
REQUIRES = ()
CAPTION = N_(
    "Adding 0.1 n times with every operation rounded: the naive running sum drifts away from the "
    "exact value, and in float16 it stops growing at 256, where half the gap between numbers "
    "exceeds 0.1. Pairwise and Kahan summation stay near a single rounding error (dashed line)."
)
METHODS = (("naive", N_("naive running sum"), "o"), ("pairwise", N_("pairwise"), "s"),
           ("kahan", N_("Kahan (compensated)"), "^"))
ALT = N_(
    "Two log-log panels, float16 with n up to 100000 and float32 with n up to 10 million, showing "
    "the relative error of a sum of n copies of 0.1 against n. The error of the naive running sum "
    "climbs with n: in float16 it reaches nearly 100% because the sum stalls at 256, in float32 "
    "about 9% at n = 10 million. The pairwise and Kahan (compensated) errors stay around the "
    "dashed line u = eps/2 in both panels; points on the bottom edge are exact results."
)


def compose(fig, data: nx.SummationData, *, lang: str = "en") -> PrecisionFacts:
    """Relative error of naive, pairwise and Kahan summation of 0.1 against
    ``n``, one panel per format, with the unit roundoff as the floor any
    result stored in the format can reach. Exact zeros sit on the bottom edge."""
    axes = axes_row(fig, len(data.formats))
    any_zero = False
    for ax, fm in zip(axes, data.formats):
        f = nx.get_format(fm)
        n = data.n[fm]
        u = float(f.unit_roundoff)
        floor = u / 300
        for key, label, marker in METHODS:
            err = getattr(data, key + "_error")[fm]
            ok = np.isfinite(err)
            shown = np.where(err[ok] > 0, err[ok], floor)
            any_zero |= bool(np.any(err[ok] == 0))
            ax.plot(n[ok], shown, color=METHOD_COLORS[key], marker=marker, ms=3.2,
                    lw=1.3, label=t(label, lang), clip_on=False)
        ax.axhline(u, color=INK, lw=0.8, ls="--", label=t("u = eps/2 (one rounding)", lang))
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_ylim(floor, 3)
        ax.set_xlim(1, n[-1] * 1.5)
        log_ticks(ax)
        label_axes(ax, t("{fmt}: adding {value} n times", lang, fmt=fm, value=data.value),
                   t("n (number of terms)", lang),
                   t("relative error vs exact n * fl({value})", lang, value=data.value) if ax is axes[0] else "")
        # annotations
        naive = data.naive[fm]
        stall = stall_value(naive)
        if stall is not None:
            note = t("naive stalls at {stall}:\nhalf the gap there > {value}", lang, stall=short_num(stall, 6),
                     value=data.value)
        else:
            exact = data.stored[fm] * int(n[-1])
            note = t("n = {n}: naive = {naive}\nexact = {exact}", lang, n=grouped(int(n[-1])),
                      naive=short_num(naive[-1], 10), exact=short_num(exact, 12))
        ax.text(0.03, 0.97, note, transform=ax.transAxes, ha="left", va="top",
                multialignment=align(lang), fontsize=FONT - 1.5, color=METHOD_COLORS["naive"],
                bbox=dict(facecolor="white", edgecolor="none", alpha=0.85, pad=1.5))
        kmax = data.kahan_max_n[fm]
        if kmax < n[-1]:
            ax.axvline(kmax, color=METHOD_COLORS["kahan"], lw=0.7, ls=":")
    handles, labels = axes[0].get_legend_handles_labels()
    limited = [(fm, data.kahan_max_n[fm]) for fm in data.formats
               if data.kahan_max_n[fm] < data.n[fm][-1]]
    if limited:
        i = labels.index(t("Kahan (compensated)", lang))
        labels[i] += "; " + ", ".join(t("{fmt} only up to n = {n} (dotted line)", lang, fmt=fm,
                                        n=grouped(k))
                                      for fm, k in limited)
    fig.legend(handles, labels, loc="outside lower center", ncol=2,
               fontsize=FONT - 1.5, frameon=False,
               title=t("points at the bottom edge: error exactly 0", lang) if any_zero else None,
               title_fontsize=FONT - 2)
    return PrecisionFacts(tuple(data.formats))


def caption(facts: PrecisionFacts, lang: str) -> str:
    return t(CAPTION, lang)


def alt(data, facts: PrecisionFacts, lang: str) -> str:
    return t(ALT, lang)
