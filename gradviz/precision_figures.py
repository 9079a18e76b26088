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
        "abs_table_note": ("Operands rounded to the format, exact sum rounded once.\n"
                           "{n_abs} of {n_fmt} formats return a unchanged; the error is the\n"
                           "whole stored b. In float16, 1e10 > 65504 overflows to inf."),
        "abs_title_curve": "Largest t that vanishes in x + t",
        "abs_xlabel": "magnitude x",
        "abs_ylabel": "largest power of two t with fl(x + t) = x",
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
        "sp_subnormal_zone": "float16 subnormals:\nfewer digits",
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
        "sum_kahan_limit": "Kahan: Python loop,\nrun up to n = {n}",
        "sum_zero": "points at the bottom edge: error exactly 0",
        # cancellation
        "can_title_one": "(1 + x) - 1 in each format",
        "can_xlabel_one": "x",
        "can_ylabel_one": "relative error of (1 + x) - 1",
        "can_absorbed": "x absorbed by 1:\nresult 0, error 100%",
        "can_title_var": "Variance of {mean:g} + N(0, 1), float32",
        "can_xlabel_var": "n (samples)",
        "can_ylabel_var": "relative error of the variance",
        "can_one_pass": "one-pass E[x^2] - E[x]^2",
        "can_two_pass": "two-pass",
        "can_welford": "Welford",
        "can_var_note": "E[x^2] ~ 1e8, float32 gap there = 8,\nbut the variance is ~1",
        # overflow
        "ov_title_exp": "exp(s) overflows: naive softmax breaks",
        "ov_xlabel_exp": "logit s  (softmax of (s, 0))",
        "ov_ylabel_exp": "exp(s) in the format",
        "ov_threshold": "{fmt}: inf for s > {x}",
        "ov_softmax_note": ("naive exp(s) / (exp(s) + 1) = inf/inf = NaN\n"
                            "past the mark; log-sum-exp (subtract max z\n"
                            "first) stays finite in every format"),
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
    Right: the absorption boundary, the largest power of two ``t`` with
    ``fl(x + t) = x``, against ``x`` (log-log), with the case marked."""
    data = data if data is not None else nx.absorption()
    fig, (ax_t, ax) = _figure(size, dpi, 2, width_ratios=[1.05, 1])

    # -- table ---------------------------------------------------------------
    ax_t.axis("off")
    ax_t.grid(False)
    head = [_t(k, lang) for k in ("abs_col_format", "abs_col_a", "abs_col_b",
                                  "abs_col_sum", "abs_col_error")]
    cells, colours = [], []
    n_abs = 0
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
        n_abs += bool(r.rounded == r.a)
        cells.append([fm, _num(r.a, 10), _num(r.b), _num(r.rounded, 10), err])
        colours.append(FORMAT_COLORS.get(fm, "#ffffff"))
    table = ax_t.table(cellText=cells, colLabels=head, loc="upper center",
                       cellLoc="center", colWidths=[0.19, 0.22, 0.19, 0.22, 0.20],
                       bbox=[0.0, 0.30, 1.0, 0.62])
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
    ax_t.text(0.0, 0.25, _t("abs_table_note", lang, n_abs=n_abs, n_fmt=len(data.formats)),
              transform=ax_t.transAxes, fontsize=_FONT - 1, va="top", ha="left",
              linespacing=1.4)

    # -- boundary curve ------------------------------------------------------
    for fm in data.formats:
        ax.plot(data.x[fm], data.largest_absorbed[fm], drawstyle="steps-post",
                color=FORMAT_COLORS[fm], lw=1.4,
                label=f"{fm}  (eps = {_pow2_label(nx.get_format(fm).eps)})")
    a_v, b_v = float(nx.to_fraction(data.a)), float(nx.to_fraction(data.b))
    ax.plot([a_v], [b_v], marker="*", ms=11, color=_INK, ls="none",
            label=_t("abs_point", lang, a=data.a, b=data.b))
    ax.annotate(_t("abs_point", lang, a=data.a, b=data.b), (a_v, b_v),
                xytext=(-10, 8), textcoords="offset points", ha="right",
                fontsize=_FONT - 1)
    ax.set_xscale("log")
    ax.set_yscale("log")
    _log_ticks(ax)
    _style(ax, _t("abs_title_curve", lang), _t("abs_xlabel", lang), _t("abs_ylabel", lang))
    ax.legend(fontsize=_FONT - 1.5, loc="upper left", frameon=True, framealpha=0.9)
    return fig


def fig_spacing(data: nx.SpacingData | None = None, *, lang: str = "en",
                size=(8, 4.5), dpi: int = 150) -> Figure:
    """Left: ULP against magnitude over each format's whole range, with the
    smallest subnormal, smallest normal and largest finite value marked.
    Right: the relative gap ULP(x)/x, a sawtooth between eps/2 and eps in the
    normal range that climbs to 1 among the subnormals (zoomed in)."""
    data = data if data is not None else nx.spacing()
    fig, (ax, ax_r) = _figure(size, dpi, 2)
    marks = (("smallest_subnormal", "o", "sp_subnormal"),
             ("smallest_normal", "s", "sp_normal"),
             ("largest_finite", "^", "sp_max"))
    for fm in data.formats:
        c = FORMAT_COLORS[fm]
        ax.plot(_lg(data.x[fm]), _lg(data.ulp[fm]), color=c, lw=1.4, label=fm)
        for key, marker, _ in marks:
            xv = data.constants[fm][key]
            ax.plot(_lg(xv), _lg(nx.ulp(xv, fm)), marker=marker, color=c, ms=5,
                    mec=_INK, mew=0.5, ls="none")
    for key, marker, label in marks:                 # legend entries for markers
        ax.plot([], [], marker=marker, color="#bbbbbb", mec=_INK, mew=0.5, ls="none",
                label=_t(label, lang))
    _exponent_axis(ax)
    _style(ax, _t("sp_title_ulp", lang), _t("sp_xlabel", lang), _t("sp_ylabel_ulp", lang))
    ax.legend(fontsize=_FONT - 1.5, loc="upper left", ncol=1, framealpha=0.9)

    lo, hi = 1e-9, 1e6
    for fm in data.formats:
        c = FORMAT_COLORS[fm]
        x, rel = data.x[fm], data.relative[fm]
        keep = (x >= lo / 2) & (x <= hi * 2)
        ax_r.plot(x[keep], rel[keep], color=c, lw=1.0)
        eps = data.constants[fm]["eps"]
        ax_r.axhline(eps, color=c, lw=0.8, ls=":")
        ax_r.text(hi * 0.8, eps * 1.25,
                  _t("sp_eps", lang, eps=_pow2_label(eps)) + f"  ({fm})",
                  color=c, fontsize=_FONT - 1.5, ha="right", va="bottom")
    sub = data.constants["float16"]["smallest_normal"] if "float16" in data.formats else None
    if sub is not None:
        ax_r.axvspan(lo, sub, color=FORMAT_COLORS["float16"], alpha=0.08, lw=0)
        ax_r.text(lo * 2, 3e-2, _t("sp_subnormal_zone", lang), fontsize=_FONT - 1.5,
                  color="#7a5200", va="center")
    ax_r.set_xscale("log")
    ax_r.set_yscale("log")
    ax_r.set_xlim(lo, hi)
    ax_r.set_ylim(3e-17, 3)
    _log_ticks(ax_r, numticks=8)
    _style(ax_r, _t("sp_title_rel", lang), _t("sp_xlabel", lang), _t("sp_ylabel_rel", lang))
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
            ax.text(0.97, 0.62, _t("sum_note_stall", lang, stall=_num(stall, 6),
                                   value=data.value),
                    transform=ax.transAxes, ha="right", va="top", fontsize=_FONT - 1.5,
                    color=METHOD_COLORS["naive"])
        else:
            exact = data.stored[fm] * int(n[-1])
            ax.text(0.97, 0.62, _t("sum_note_final", lang, n=_num(int(n[-1]), 10),
                                   naive=_num(naive[-1], 10), exact=_num(exact, 10)),
                    transform=ax.transAxes, ha="right", va="top", fontsize=_FONT - 1.5,
                    color=METHOD_COLORS["naive"])
        kmax = data.kahan_max_n[fm]
        if kmax < n[-1]:
            ax.axvline(kmax, color=METHOD_COLORS["kahan"], lw=0.7, ls=":")
            ax.text(kmax * 0.85, floor * 8, _t("sum_kahan_limit", lang, n=_num(kmax, 8)),
                    ha="right", va="bottom", fontsize=_FONT - 2, color=METHOD_COLORS["kahan"])
    axes[0].legend(fontsize=_FONT - 1.5, loc="upper left", framealpha=0.9)
    if any_zero:
        fig.text(0.5, 0.005, _t("sum_zero", lang), ha="center", va="bottom",
                 fontsize=_FONT - 2, color="#555555")
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
        floor = 1e-17
        ax.plot(data.x, np.where(err > 0, err, floor), color=FORMAT_COLORS[fm], lw=1.1,
                label=f"{fm} (eps/2 = {_pow2_label(nx.get_format(fm).unit_roundoff)})")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_ylim(1e-17, 8)
    _log_ticks(ax)
    ax.text(1.5e-20, 2.2, _t("can_absorbed", lang), fontsize=_FONT - 1.5, va="bottom")
    _style(ax, _t("can_title_one", lang), _t("can_xlabel_one", lang), _t("can_ylabel_one", lang))
    ax.legend(fontsize=_FONT - 2, loc="lower left", framealpha=0.9)

    labels = {"one-pass": "can_one_pass", "two-pass": "can_two_pass", "welford": "can_welford"}
    floor = 1e-9
    for key, label in labels.items():
        err = data.var_rel_error[key]
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
    ax_v.legend(fontsize=_FONT - 1.5, loc="center right", framealpha=0.9)
    return fig


def fig_overflow(data: nx.OverflowData | None = None, *, lang: str = "en",
                 size=(8, 4.5), dpi: int = 150) -> Figure:
    """Left: ``exp(s)`` in each format, which ends (becomes inf) at
    ``ln(largest finite)``; beyond it naive softmax gives NaN. Right: ``1 -
    sigma(x)`` with sigma rounded to each format, which drops to exactly 0."""
    data = data if data is not None else nx.overflow()
    fig, (ax, ax_s) = _figure(size, dpi, 2)
    for fm in data.formats:
        c = FORMAT_COLORS[fm]
        e = data.exp_s[fm]
        ok = np.isfinite(e)
        ax.plot(data.s[ok], _lg(e[ok]), color=c, lw=1.6 if fm != "float32" else 1.1,
                ls="-" if fm != "float32" else "--")
        thr = data.ln_max[fm]
        top = _lg(float(nx.get_format(fm).largest_finite))
        ax.plot([thr], [top], marker="X", color=c, mec=_INK, mew=0.6, ms=8, ls="none",
                clip_on=False)
        ax.plot([], [], color=c, lw=1.6, marker="X", mec=_INK,
                label=_t("ov_threshold", lang, fmt=fm, x=f"{thr:.2f}"))
    ax.set_xscale("log")
    ax.set_ylim(-5, 330)
    _exponent_axis(ax, "y")
    ax.text(0.03, 0.60, _t("ov_softmax_note", lang), transform=ax.transAxes,
            fontsize=_FONT - 1.8, va="top")
    _style(ax, _t("ov_title_exp", lang), _t("ov_xlabel_exp", lang), _t("ov_ylabel_exp", lang))
    ax.legend(fontsize=_FONT - 1.8, loc="upper left", framealpha=0.9)

    floor = 1e-20
    ax_s.plot(data.x, data.one_minus_sigmoid_true, color=_INK, lw=1.0, ls=":",
              label=_t("ov_true", lang))
    for fm in data.formats:
        c = FORMAT_COLORS[fm]
        v = data.one_minus_sigmoid[fm]
        pos = v > 0
        ax_s.plot(data.x[pos], v[pos], color=c, lw=1.3, drawstyle="steps-post",
                  label=f"{fm}: " + _t("ov_sat", lang, x=f"{data.sigmoid_saturation[fm]:.2f}"))
        sat = data.sigmoid_saturation[fm]
        ax_s.plot([sat], [floor], marker="v", color=c, mec=_INK, mew=0.5, ms=7,
                  ls="none", clip_on=False)
        ax_s.axvline(sat, color=c, lw=0.6, ls=":")
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
                     size=(8, 4.5), lang: str = "en") -> list[Path]:
    """Render figures to ``out_dir/<name>.<fmt>``; returns the paths written.

    ``names``: figure names from :data:`FIGURES` (a string, a list, or None
    for all). Files are byte-stable across reruns: SVGs carry no date and a
    fixed hash salt, PDFs no creation date and TrueType (type 42) fonts.
    The experiments run with their defaults (about 2 s in total).
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
        fig = FIGURES[name](lang=lang, size=size, dpi=dpi)
        for ext in formats:
            ext = ext.lower().lstrip(".")
            path = out / f"{name}.{ext}"
            with matplotlib.rc_context(_RC):
                fig.savefig(path, format=ext, dpi=dpi,
                            metadata=_SAVE_METADATA.get(ext))
            written.append(path)
    return written
