"""Figures for the float-precision lessons (data from :mod:`gradviz.numerics`).

Every figure function takes the experiment's data (computed with defaults
when ``None``) plus ``lang``, ``size`` (inches) and ``dpi``, and returns a
:class:`matplotlib.figure.Figure` on the Agg canvas; pyplot is never used, so
nothing here touches global GUI state. :data:`FIGURES` maps names to the
functions and :func:`render_precision` writes them to files.

All user-visible text is in :data:`STRINGS` (one dict per language; missing
keys fall back to English) so a translation pass only touches that dict.
"""
from __future__ import annotations

import math
from pathlib import Path

import matplotlib
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter, LogLocator, MaxNLocator, NullFormatter

from . import numerics as nx

__all__ = ["STRINGS", "FORMAT_COLORS", "METHOD_COLORS", "FIGURES",
           "fig_absorption", "fig_spacing", "fig_summation", "fig_cancellation",
           "fig_overflow", "render_precision"]

# ---------------------------------------------------------------------------
# Text (translate here) and colours
# ---------------------------------------------------------------------------

STRINGS: dict[str, dict[str, str]] = {
    "en": {
        # absorption
        "abs_title_table": "{a} + {b}, each format",
        "abs_col_format": "format",
        "abs_col_a": "a stored",
        "abs_col_b": "b stored",
        "abs_col_sum": "fl(a + b)",
        "abs_col_error": "error",
        "abs_absorbed": "b absorbed",
        "abs_partly": "partly",
        "abs_exact": "exact",
        "abs_overflow": "a = inf",
        "abs_note_rule": "Operands rounded to the format, exact sum rounded once.",
        "abs_note_absorbed": "{n_abs} of {n_fmt} formats return a unchanged: the error is all of b.",
        "abs_note_overflow": "{fmt}: {a} > {max} is stored as inf.",
        "abs_note_underflow": "{fmt}: {b} is stored as 0.",
        "abs_title_curve": "How small must t be to vanish in x + t?",
        "abs_xlabel": "magnitude x",
        "abs_ylabel": "half the gap above x: smaller t are lost",
        "abs_point": "{a} + {b}",
        "abs_rule": "t ~ x * eps/2",
        # spacing
        "sp_title_ulp": "Gap to the next number (ULP)",
        "sp_title_rel": "Relative gap ULP(x) / x",
        "sp_xlabel": "magnitude x",
        "sp_ylabel_ulp": "ULP(x)",
        "sp_ylabel_rel": "ULP(x) / x",
        "sp_subnormal": "smallest subnormal",
        "sp_normal": "smallest normal",
        "sp_max": "largest finite",
        "sp_eps": "eps = {eps}",
        "sp_subnormal_zone": "float16\nsubnormals",
        "sp_subnormal_flat": "float16 subnormals:\nfixed gap {ulp}",
        "sp_title_range": "Whole range (pale: subnormals)",
        # summation
        "sum_title": "{fmt}: adding {value} n times",
        "sum_xlabel": "n (number of terms)",
        "sum_ylabel": "relative error vs exact n * fl({value})",
        "sum_naive": "naive running sum",
        "sum_pairwise": "pairwise",
        "sum_kahan": "Kahan (compensated)",
        "sum_u": "u = eps/2 (one rounding)",
        "sum_note_stall": "naive stalls at {stall}:\nhalf the gap there > {value}",
        "sum_note_final": "n = {n}: naive = {naive}\nexact = {exact}",
        "sum_kahan_limit": "{fmt} only up to n = {n} (dotted line)",
        "sum_zero": "points at the bottom edge: error exactly 0",
        # cancellation
        "can_title_one": "(1 + x) - 1 in each format",
        "can_xlabel_one": "x",
        "can_ylabel_one": "relative error of (1 + x) - 1",
        "can_absorbed": "x absorbed by 1: result 0, error 100%",
        "can_gaps": "gaps: result exact (error 0)",
        "can_title_var": "Variance of {mean:g} + N(0, 1), float32",
        "can_xlabel_var": "n (samples)",
        "can_ylabel_var": "relative error of the variance",
        "can_one_pass": "one-pass E[x^2] - E[x]^2",
        "can_two_pass": "two-pass",
        "can_welford": "Welford",
        "can_var_note": "E[x^2] ~ 1e8, float32 gap there = 8,\nbut the variance is ~1",
        # overflow
        "ov_title_exp": "softmax(s, 0): naive exp overflows",
        "ov_xlabel_exp": "logit s (log scale); marks at ln(largest finite)",
        "ov_naive_row": "{fmt}\nnaive",
        "ov_stable_row": "any format,\nmax subtracted",
        "ov_finite": "finite result",
        "ov_nan": "NaN: exp(s) = inf, inf/inf",
        "ov_title_sig": "sigmoid saturates: 1 - sigma(x) becomes 0",
        "ov_xlabel_sig": "x",
        "ov_ylabel_sig": "1 - sigma(x), sigma rounded to the format",
        "ov_true": "exact 1 - sigma(x)",
        "ov_sat": "0 from x = {x}",
    },
}

FORMAT_COLORS = {"float16": "#E69F00", "bfloat16": "#56B4E9",
                 "float32": "#009E73", "float64": "#0072B2"}
METHOD_COLORS = {"naive": "#D55E00", "pairwise": "#CC79A7", "kahan": "#0072B2",
                 "one-pass": "#D55E00", "two-pass": "#009E73", "welford": "#CC79A7"}
_MARKERS = {"float16": "o", "bfloat16": "s", "float32": "^", "float64": "D"}
_INK = "#000000"
_FONT = 8.5

_RC = {"pdf.fonttype": 42, "ps.fonttype": 42, "svg.hashsalt": "gradviz-precision",
       "svg.fonttype": "path"}
_SAVE_METADATA = {"svg": {"Date": None}, "pdf": {"CreationDate": None, "ModDate": None},
                  "png": {"Software": None}}


def _t(key: str, lang: str, **kw) -> str:
    text = STRINGS.get(lang, {}).get(key, STRINGS["en"][key])
    return text.format(**kw) if kw else text


def _figure(size, dpi, ncols: int = 2, width_ratios=None) -> tuple[Figure, list]:
    fig = Figure(figsize=tuple(size), dpi=dpi, layout="constrained")
    FigureCanvasAgg(fig)
    axes = fig.subplots(1, ncols, width_ratios=width_ratios, squeeze=False)[0]
    for ax in axes:
        ax.tick_params(labelsize=_FONT - 1)
        ax.grid(True, which="major", color="#dddddd", linewidth=0.6)
        ax.set_axisbelow(True)
    return fig, list(axes)


def _style(ax, title, xlabel, ylabel):
    ax.set_title(title, fontsize=_FONT + 0.5)
    ax.set_xlabel(xlabel, fontsize=_FONT)
    ax.set_ylabel(ylabel, fontsize=_FONT)


def _log_ticks(ax, axis="both", numticks=7):
    for which in ("x", "y"):
        if axis in (which, "both"):
            a = ax.xaxis if which == "x" else ax.yaxis
            a.set_major_locator(LogLocator(base=10, numticks=numticks))
            a.set_minor_locator(LogLocator(base=10, subs="auto", numticks=numticks))
            a.set_minor_formatter(NullFormatter())


def _exponent_axis(ax, axis="both", nbins=6):
    """Label a linear axis that holds ``log10`` values as powers of ten.

    Used where data reach float64's extremes (1e-324 ... 1.8e308): a true log
    axis would overflow while computing its margins and ticks.
    """
    fmt = FuncFormatter(lambda v, _pos: f"$10^{{{int(round(v))}}}$")
    for which in ("x", "y"):
        if axis in (which, "both"):
            a = ax.xaxis if which == "x" else ax.yaxis
            a.set_major_locator(MaxNLocator(nbins=nbins, integer=True, steps=[1, 2, 2.5, 5, 10]))
            a.set_major_formatter(fmt)


def _lg(v):
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.log10(np.asarray(v, dtype=np.float64))


def _pow2_label(q) -> str:
    k = round(math.log2(q))
    return f"$2^{{{k}}}$"


def _num(v, sig: int = 4) -> str:
    """Short number for a plot label; ``~`` marks an approximation."""
    return nx.format_number(v, sig=sig, max_exact=sig + 2)


# ---------------------------------------------------------------------------
# Figures
# ---------------------------------------------------------------------------


def fig_absorption(data: nx.AbsorptionData | None = None, *, lang: str = "en",
                   size=(8, 4.5), dpi: int = 150) -> Figure:
    """Left: ``a + b`` (default 1e10 + 1e-10) in the four formats as a table.
    Right: the absorption boundary against ``x`` (log-log), with the case
    marked: half the gap from ``x`` to the next number. Any ``t`` below it
    vanishes in ``x + t``; exactly at it, the tie goes to the even neighbour.
    (The largest absorbed power of two, ``data.largest_absorbed``, is this or
    half of it depending on that last bit, which only makes the line jagged.)"""
    data = data if data is not None else nx.absorption()
    fig, (ax_t, ax) = _figure(size, dpi, 2, width_ratios=[1.05, 1])

    # -- table ---------------------------------------------------------------
    ax_t.axis("off")
    ax_t.grid(False)
    head = [_t(k, lang) for k in ("abs_col_format", "abs_col_a", "abs_col_b",
                                  "abs_col_sum", "abs_col_error")]
    cells, colours = [], []
    for fm in data.formats:
        r = data.table[fm]
        if r.a_overflow or r.b_overflow:
            err = _t("abs_overflow", lang)
        elif r.absorbed or r.b_underflow:
            err = _num(r.abs_error) + "\n" + _t("abs_absorbed", lang)
        elif r.abs_error == 0:
            err = _t("abs_exact", lang)
        else:
            err = _num(r.abs_error) + "\n" + _t("abs_partly", lang)
        cells.append([fm, _num(r.a, 10), _num(r.b), _num(r.rounded, 10), err])
        colours.append(FORMAT_COLORS.get(fm, "#ffffff"))
    table = ax_t.table(cellText=cells, colLabels=head, loc="upper center",
                       cellLoc="center", colWidths=[0.15, 0.23, 0.21, 0.23, 0.18],
                       bbox=[0.0, 0.27, 1.0, 0.68])
    table.auto_set_font_size(False)
    table.set_fontsize(_FONT - 1)
    for (row, col), cell in table.get_celld().items():
        cell.set_edgecolor("#999999")
        cell.set_linewidth(0.5)
        if row == 0:
            cell.set_text_props(weight="bold")
            cell.set_facecolor("#eeeeee")
        elif col == 0:
            cell.set_facecolor(colours[row - 1])
            cell.set_alpha(0.55)
    ax_t.set_title(_t("abs_title_table", lang, a=data.a, b=data.b), fontsize=_FONT + 0.5)
    notes = [_t("abs_note_rule", lang)]
    n_absorbed = sum(bool(data.table[fm].absorbed) for fm in data.formats)
    if n_absorbed:
        notes.append(_t("abs_note_absorbed", lang, n_abs=n_absorbed, n_fmt=len(data.formats)))
    for fm in data.formats:
        r = data.table[fm]
        if r.a_overflow:
            notes.append(_t("abs_note_overflow", lang, fmt=fm, a=data.a,
                            max=_num(nx.get_format(fm).largest_finite)))
        if r.b_underflow:
            notes.append(_t("abs_note_underflow", lang, fmt=fm, b=data.b))
    ax_t.text(0.0, 0.22, "\n".join(notes), transform=ax_t.transAxes, fontsize=_FONT - 1,
              va="top", ha="left", linespacing=1.5, wrap=True)

    # -- boundary curve ------------------------------------------------------
    for fm in data.formats:
        ax.plot(data.x[fm], data.half_gap[fm], drawstyle="steps-post",
                color=FORMAT_COLORS[fm], lw=1.4,
                label=f"{fm}  (eps = {_pow2_label(nx.get_format(fm).eps)})")
    a_v, b_v = float(nx.to_fraction(data.a)), float(nx.to_fraction(data.b))
    ax.plot([a_v], [b_v], marker="*", ms=11, color=_INK, ls="none",
            label=_t("abs_point", lang, a=data.a, b=data.b))
    ax.annotate(_t("abs_point", lang, a=data.a, b=data.b), (a_v, b_v),
                xytext=(0, -16), textcoords="offset points", ha="center", va="top",
                fontsize=_FONT - 1)
    ax.set_xscale("log")
    ax.set_yscale("log")
    _log_ticks(ax)
    _style(ax, _t("abs_title_curve", lang), _t("abs_xlabel", lang), _t("abs_ylabel", lang))
    ax.legend(fontsize=_FONT - 1.5, loc="upper left", frameon=True, framealpha=0.9)
    return fig


def fig_spacing(data: nx.SpacingData | None = None, *, lang: str = "en",
                size=(8, 4.5), dpi: int = 150) -> Figure:
    """Left: ULP against magnitude (log-log, 1e-9 ... 1e6): parallel
    staircases, ``eps`` apart at 1, float16's flattening into subnormals and
    its end at 65504. Right top: the relative gap ULP(x)/x, a sawtooth between
    eps/2 and eps that climbs among subnormals. Right bottom: each format's
    whole range (subnormals pale), with its extreme values."""
    data = data if data is not None else nx.spacing()
    fig = Figure(figsize=tuple(size), dpi=dpi, layout="constrained")
    FigureCanvasAgg(fig)
    gs = fig.add_gridspec(2, 2, width_ratios=[1, 1.1], height_ratios=[1.25, 1])
    ax = fig.add_subplot(gs[:, 0])
    ax_r = fig.add_subplot(gs[0, 1])
    ax_b = fig.add_subplot(gs[1, 1])
    for a in (ax, ax_r, ax_b):
        a.tick_params(labelsize=_FONT - 1)
        a.grid(True, which="major", color="#dddddd", linewidth=0.6)
        a.set_axisbelow(True)
    lo, hi = 1e-9, 1e6

    # -- ULP vs x (zoomed) ---------------------------------------------------
    for fm in data.formats:
        c = FORMAT_COLORS[fm]
        x, u = data.x[fm], data.ulp[fm]
        keep = (x >= lo / 4) & (x <= hi * 4)
        eps = data.constants[fm]["eps"]
        ax.plot(x[keep], u[keep], color=c, lw=1.3, drawstyle="steps-post",
                label=f"{fm}:  ULP(1) = eps = {_pow2_label(eps)}")
        ax.plot([1.0], [eps], marker=_MARKERS[fm], color=c, mec=_INK, mew=0.5, ms=5)
    if "float16" in data.formats:
        c16 = data.constants["float16"]
        top = c16["largest_finite"]
        ax.plot([top], [nx.ulp(top, "float16")], marker="^", color=FORMAT_COLORS["float16"],
                mec=_INK, mew=0.5, ms=6)
        ax.annotate(_t("sp_max", lang) + f" {_num(top)}", (top, nx.ulp(top, "float16")),
                    xytext=(1e-1, 3e3), textcoords="data", ha="center", va="bottom",
                    fontsize=_FONT - 1.8,
                    arrowprops=dict(arrowstyle="->", color="#555555", lw=0.7))
        sub = c16["smallest_subnormal"]
        ax.annotate(_t("sp_subnormal_flat", lang, ulp=_pow2_label(sub)), (3e-7, sub),
                    xytext=(2e-9, 1e-1), textcoords="data", ha="left", va="bottom",
                    fontsize=_FONT - 1.8,
                    arrowprops=dict(arrowstyle="->", color="#555555", lw=0.7))
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlim(lo, hi)
    ax.set_ylim(1e-26, 1e6)
    _log_ticks(ax, numticks=8)
    _style(ax, _t("sp_title_ulp", lang), _t("sp_xlabel", lang), _t("sp_ylabel_ulp", lang))
    ax.legend(fontsize=_FONT - 1.8, loc="lower right", framealpha=0.9)

    # -- relative gap (zoomed) -------------------------------------------------
    for fm in data.formats:
        c = FORMAT_COLORS[fm]
        x, rel = data.x[fm], data.relative[fm]
        keep = (x >= lo / 2) & (x <= hi * 2)
        ax_r.plot(x[keep], rel[keep], color=c, lw=0.9)
    if "float16" in data.formats:
        nrm = data.constants["float16"]["smallest_normal"]
        ax_r.axvspan(lo, nrm, color=FORMAT_COLORS["float16"], alpha=0.10, lw=0)
        ax_r.text(lo * 1.6, 1e-6, _t("sp_subnormal_zone", lang), fontsize=_FONT - 2,
                  color="#7a5200", va="center")
    ax_r.set_xscale("log")
    ax_r.set_yscale("log")
    ax_r.set_xlim(lo, hi)
    ax_r.set_ylim(1e-17, 3)
    _log_ticks(ax_r, "x", numticks=8)
    ax_r.yaxis.set_major_locator(LogLocator(base=10, numticks=5))
    ax_r.yaxis.set_minor_formatter(NullFormatter())
    _style(ax_r, _t("sp_title_rel", lang), "", _t("sp_ylabel_rel", lang))

    # -- ranges (whole range, exponent axis) --------------------------------
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
        ax_b.text(lsub - 8, y, _pow2_label(f.smallest_subnormal), ha="right", va="center",
                  fontsize=_FONT - 2)
        ax_b.text(lmax + 8, y, _num(f.largest_finite, 3), ha="left", va="center",
                  fontsize=_FONT - 2)
    ax_b.set_yticks(range(len(names)), list(reversed(names)), fontsize=_FONT - 1.5)
    ax_b.set_xlim(-440, 480)
    ax_b.set_ylim(-0.6, len(names) - 0.4)
    _exponent_axis(ax_b, "x", nbins=7)
    ax_b.grid(False, axis="y")
    _style(ax_b, _t("sp_title_range", lang), _t("sp_xlabel", lang), "")
    return fig


def fig_summation(data: nx.SummationData | None = None, *, lang: str = "en",
                  size=(8, 4.5), dpi: int = 150) -> Figure:
    """Relative error of naive, pairwise and Kahan summation of 0.1 against
    ``n``, one panel per format, with the unit roundoff as the floor any
    result stored in the format can reach. Exact zeros sit on the bottom edge."""
    data = data if data is not None else nx.summation()
    fig, axes = _figure(size, dpi, len(data.formats))
    methods = (("naive", "sum_naive", "o"), ("pairwise", "sum_pairwise", "s"),
               ("kahan", "sum_kahan", "^"))
    any_zero = False
    for ax, fm in zip(axes, data.formats):
        f = nx.get_format(fm)
        n = data.n[fm]
        u = float(f.unit_roundoff)
        floor = u / 300
        for key, label, marker in methods:
            err = getattr(data, key + "_error")[fm]
            ok = np.isfinite(err)
            shown = np.where(err[ok] > 0, err[ok], floor)
            any_zero |= bool(np.any(err[ok] == 0))
            ax.plot(n[ok], shown, color=METHOD_COLORS[key], marker=marker, ms=3.2,
                    lw=1.3, label=_t(label, lang), clip_on=False)
        ax.axhline(u, color=_INK, lw=0.8, ls="--", label=_t("sum_u", lang))
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_ylim(floor, 3)
        ax.set_xlim(1, n[-1] * 1.5)
        _log_ticks(ax)
        _style(ax, _t("sum_title", lang, fmt=fm, value=data.value), _t("sum_xlabel", lang),
               _t("sum_ylabel", lang, value=data.value) if ax is axes[0] else "")
        # annotations
        naive = data.naive[fm]
        stall = _stall_value(naive)
        if stall is not None:
            note = _t("sum_note_stall", lang, stall=_num(stall, 6), value=data.value)
        else:
            exact = data.stored[fm] * int(n[-1])
            note = _t("sum_note_final", lang, n=_num(int(n[-1]), 10),
                      naive=_num(naive[-1], 10), exact=_num(exact, 12))
        ax.text(0.03, 0.97, note, transform=ax.transAxes, ha="left", va="top",
                fontsize=_FONT - 1.5, color=METHOD_COLORS["naive"],
                bbox=dict(facecolor="white", edgecolor="none", alpha=0.85, pad=1.5))
        kmax = data.kahan_max_n[fm]
        if kmax < n[-1]:
            ax.axvline(kmax, color=METHOD_COLORS["kahan"], lw=0.7, ls=":")
    handles, labels = axes[0].get_legend_handles_labels()
    limited = [(fm, data.kahan_max_n[fm]) for fm in data.formats
               if data.kahan_max_n[fm] < data.n[fm][-1]]
    if limited:
        i = labels.index(_t("sum_kahan", lang))
        labels[i] += "; " + ", ".join(_t("sum_kahan_limit", lang, fmt=fm, n=_num(k, 8))
                                      for fm, k in limited)
    fig.legend(handles, labels, loc="outside lower center", ncol=2,
               fontsize=_FONT - 1.5, frameon=False,
               title=_t("sum_zero", lang) if any_zero else None, title_fontsize=_FONT - 2)
    return fig


def _stall_value(values: np.ndarray):
    """The value a running sum got stuck at (last two checkpoints equal), or None."""
    v = values[np.isfinite(values)]
    if len(v) >= 3 and v[-1] == v[-2] == v[-3]:
        return float(v[-1])
    return None


def fig_cancellation(data: nx.CancellationData | None = None, *, lang: str = "en",
                     size=(8, 4.5), dpi: int = 150) -> Figure:
    """Left: relative error of ``(1 + x) - 1`` against ``x`` per format (1
    where ``x`` is absorbed). Right: the relative error of three float32
    variance formulas on data with a large mean, against ``n``."""
    data = data if data is not None else nx.cancellation()
    fig, (ax, ax_v) = _figure(size, dpi, 2)
    for fm in data.formats:
        err = data.rel_error[fm]
        shown = np.where(err > 0, err, np.nan)      # exact results (0) and underflow: gaps
        ax.plot(data.x, shown, color=FORMAT_COLORS[fm], lw=0.9,
                label=f"{fm} (eps/2 = {_pow2_label(nx.get_format(fm).unit_roundoff)})")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_ylim(1e-17, 3e2)
    _log_ticks(ax)
    ax.text(2e-20, 1.7, _t("can_absorbed", lang), fontsize=_FONT - 1.5, va="bottom")
    _style(ax, _t("can_title_one", lang), _t("can_xlabel_one", lang), _t("can_ylabel_one", lang))
    ax.legend(fontsize=_FONT - 2, loc="lower left", framealpha=0.9,
              title=_t("can_gaps", lang), title_fontsize=_FONT - 2.5)

    labels = {"one-pass": "can_one_pass", "two-pass": "can_two_pass", "welford": "can_welford"}
    floor = 1e-9
    any_zero = False
    for key, label in labels.items():
        err = data.var_rel_error[key]
        any_zero |= bool(np.any(err == 0))
        ax_v.plot(data.var_n, np.where(err > 0, err, floor), color=METHOD_COLORS[key],
                  marker="o", ms=3, lw=1.2, label=_t(label, lang), clip_on=False)
    ax_v.axhline(2.0 ** -24, color=_INK, lw=0.8, ls="--", label=_t("sum_u", lang))
    ax_v.set_xscale("log")
    ax_v.set_yscale("log")
    ax_v.set_ylim(floor, 1e4)
    _log_ticks(ax_v)
    ax_v.text(0.97, 0.97, _t("can_var_note", lang), transform=ax_v.transAxes,
              fontsize=_FONT - 1.5, ha="right", va="top", color=METHOD_COLORS["one-pass"])
    _style(ax_v, _t("can_title_var", lang, mean=data.var_mean), _t("can_xlabel_var", lang),
           _t("can_ylabel_var", lang))
    ax_v.legend(fontsize=_FONT - 2, loc="center", bbox_to_anchor=(0.5, 0.555), ncol=2,
                framealpha=0.9, title=_t("sum_zero", lang) if any_zero else None,
                title_fontsize=_FONT - 2.5)
    return fig


def fig_overflow(data: nx.OverflowData | None = None, *, lang: str = "en",
                 size=(8, 4.5), dpi: int = 150) -> Figure:
    """Left: where naive softmax of the logits ``(s, 0)`` is finite in each
    format: ``exp(s)`` overflows at ``ln(largest finite)`` and the result
    becomes inf/inf = NaN; with the maximum subtracted first (the
    log-sum-exp trick) it stays finite everywhere. Right: ``1 - sigma(x)``
    with sigma rounded to each format, which drops to exactly 0."""
    data = data if data is not None else nx.overflow()
    fig, (ax, ax_s) = _figure(size, dpi, 2)

    # -- naive vs stable softmax: where is the result finite? ---------------
    s = data.s
    rows = list(data.formats)
    n_rows = len(rows) + 1
    for i, fm in enumerate(rows):
        y = n_rows - 1 - i
        c = FORMAT_COLORS[fm]
        bad = ~np.isfinite(data.softmax_naive[fm])
        first_bad = s[np.argmax(bad)] if bad.any() else None
        end = first_bad if first_bad is not None else s[-1]
        ax.barh(y, end - s[0], left=s[0], height=0.62, color=c, lw=0)
        if first_bad is not None:
            ax.barh(y, s[-1] - first_bad, left=first_bad, height=0.62, color="#e6e6e6",
                    hatch="////", edgecolor="#999999", lw=0)
            thr = data.ln_max[fm]
            ax.plot([thr, thr], [y - 0.42, y + 0.42], color=_INK, lw=1.0)
            ax.text(thr / 1.12, y, f"{thr:.2f}", va="center", ha="right",
                    fontsize=_FONT - 1.5, color=_INK)
    stable_ok = all(np.isfinite(data.softmax_stable[fm]).all() for fm in rows)
    ax.barh(0, s[-1] - s[0], left=s[0], height=0.62,
            color="#bbbbbb" if stable_ok else "#e6e6e6", lw=0)
    ax.set_yticks(range(n_rows), [_t("ov_stable_row", lang)]
                  + [_t("ov_naive_row", lang, fmt=fm) for fm in reversed(rows)],
                  fontsize=_FONT - 1.5)
    ax.set_xscale("log")
    ax.set_xlim(s[0], s[-1])
    ax.set_ylim(-0.6, n_rows - 0.4)
    ax.grid(False, axis="y")
    _log_ticks(ax, "x")
    handles = [Patch(facecolor="#777777", label=_t("ov_finite", lang)),
               Patch(facecolor="#e6e6e6", hatch="////", edgecolor="#999999",
                     label=_t("ov_nan", lang))]
    ax.legend(handles=handles, fontsize=_FONT - 1.8, loc="upper center",
              bbox_to_anchor=(0.5, -0.14), ncol=2, frameon=False)
    _style(ax, _t("ov_title_exp", lang), _t("ov_xlabel_exp", lang), "")

    # -- sigmoid saturation --------------------------------------------------
    floor = 1e-20
    widths = [4.5, 3.3, 2.2, 1.1]
    for i, fm in enumerate(data.formats):
        c = FORMAT_COLORS[fm]
        v = data.one_minus_sigmoid[fm]
        pos = v > 0
        sat = data.sigmoid_saturation[fm]
        ax_s.plot(data.x[pos], v[pos], color=c, lw=widths[i % len(widths)],
                  drawstyle="steps-post", zorder=2 + i, solid_capstyle="butt",
                  label=f"{fm}: " + _t("ov_sat", lang, x=f"{sat:.2f}"))
        ax_s.plot([sat], [floor], marker="v", color=c, mec=_INK, mew=0.5, ms=7,
                  ls="none", clip_on=False, zorder=10)
        ax_s.axvline(sat, color=c, lw=0.7, ls=":", zorder=1)
    ax_s.plot(data.x, data.one_minus_sigmoid_true, color=_INK, lw=0.8, ls=":",
              label=_t("ov_true", lang), zorder=9)
    ax_s.set_yscale("log")
    ax_s.set_ylim(floor, 2)
    ax_s.set_xlim(data.x[0], data.x[-1])
    _log_ticks(ax_s, "y", numticks=8)
    _style(ax_s, _t("ov_title_sig", lang), _t("ov_xlabel_sig", lang), _t("ov_ylabel_sig", lang))
    ax_s.legend(fontsize=_FONT - 1.8, loc="upper right", framealpha=0.9)
    return fig


FIGURES = {
    "absorption": fig_absorption,
    "spacing": fig_spacing,
    "summation": fig_summation,
    "cancellation": fig_cancellation,
    "overflow": fig_overflow,
}


def render_precision(names=None, out_dir=".", formats=("png",), dpi: int = 150,
                     size=(8, 4.5), lang: str = "en", data=None) -> list[Path]:
    """Render figures to ``out_dir/<name>.<fmt>``; returns the paths written.

    ``names``: figure names from :data:`FIGURES` (a string, a list, or None
    for all). Files are byte-stable across reruns: SVGs carry no date and a
    fixed hash salt, PDFs no creation date and TrueType (type 42) fonts.
    The experiments run with their defaults (about 2 s in total) unless
    ``data`` maps a figure name to precomputed experiment data.
    """
    if names is None:
        names = list(FIGURES)
    elif isinstance(names, str):
        names = [names]
    unknown = [n for n in names if n not in FIGURES]
    if unknown:
        raise ValueError(f"unknown precision figure(s) {unknown}; known: {', '.join(FIGURES)}")
    if isinstance(formats, str):
        formats = (formats,)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name in names:
        fig = FIGURES[name]((data or {}).get(name), lang=lang, size=size, dpi=dpi)
        for ext in formats:
            ext = ext.lower().lstrip(".")
            path = out / f"{name}.{ext}"
            with matplotlib.rc_context(_RC):
                fig.savefig(path, format=ext, dpi=dpi,
                            metadata=_SAVE_METADATA.get(ext))
            written.append(path)
    return written
