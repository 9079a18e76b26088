"""Absorption: a + b in float16, bfloat16, float32 and float64 (a table), and
half the gap above x for every magnitude x: any smaller t vanishes in x + t."""
from __future__ import annotations

from ... import numerics as nx
from ...i18n import N_, is_rtl, isolate_ltr, nt, t
from .common import (FONT, FORMAT_COLORS, INK, PrecisionFacts, align, axes_row, fit_table, label_axes,
                     log_ticks, pow2_label, short_num)

NAME = "absorption"
REQUIRES = ()
CAPTION = N_(
    "Left: a + b in float16, bfloat16, float32 and float64, with both operands rounded to the "
    "format and the exact sum rounded once. Right: half the gap from x to the next number, for "
    "every magnitude x: any smaller t vanishes in x + t. When the star (a, b) lies below a "
    "format's line, b is absorbed in that format."
)
COLUMNS = (N_("format"), N_("a stored"), N_("b stored"), N_("fl(a + b)"), N_("error"))
ALT = N_(
    "Two panels. Left, a table with one row per format (float16, bfloat16, float32, float64) "
    "giving the stored a, the stored b, the rounded sum fl(a + b) and its error, followed by notes "
    "on operands that are absorbed, too large (stored as inf) or rounded to 0. Right, a log-log "
    "chart of half the gap above x against the magnitude x: one rising staircase per format, lower "
    "for the more precise formats, and a star at the point (a, b)."
)


def compose(fig, data: nx.AbsorptionData, *, lang: str = "en") -> PrecisionFacts:
    """Left: ``a + b`` (default 1e10 + 1e-10) in the four formats as a table.
    Right: the absorption boundary against ``x`` (log-log), with the case
    marked: half the gap from ``x`` to the next number. Any ``t`` below it
    vanishes in ``x + t``; exactly at it, the tie goes to the even neighbour.
    (The largest absorbed power of two, ``data.largest_absorbed``, is this or
    half of it depending on that last bit, which only makes the line jagged.)"""
    ax_t, ax = axes_row(fig, 2, width_ratios=[1.05, 1])

    # -- table ---------------------------------------------------------------
    ax_t.axis("off")
    ax_t.grid(False)
    rtl = is_rtl(lang)
    head, cells, colours, widths = _table_rows(data, lang)
    format_col = len(COLUMNS) - 1 if rtl else 0
    table = ax_t.table(cellText=cells, colLabels=head, loc="upper center",
                       cellLoc="center", colWidths=widths,
                       bbox=[0.0, 0.27, 1.0, 0.68])
    table.auto_set_font_size(False)
    table.set_fontsize(FONT - 1)
    for (row, col), cell in table.get_celld().items():
        cell.set_edgecolor("#999999")
        cell.set_linewidth(0.5)
        if row == 0:
            cell.set_text_props(weight="bold")
            cell.set_facecolor("#eeeeee")
        elif col == format_col:
            cell.set_facecolor(colours[row - 1])
            cell.set_alpha(0.55)
    ax_t.set_title(t("{a} + {b}, each format", lang, a=data.a, b=data.b), fontsize=FONT + 0.5)
    notes = [t("Operands rounded to the format, exact sum rounded once.", lang)]
    n_absorbed = sum(bool(data.table[fm].absorbed) for fm in data.formats)
    if n_absorbed:
        notes.append(nt("{n_abs} of {n_fmt} formats returns a unchanged: the error is all of b.",
                        "{n_abs} of {n_fmt} formats return a unchanged: the error is all of b.",
                        n_absorbed, lang, n_abs=n_absorbed, n_fmt=len(data.formats)))
    for fm in data.formats:
        r = data.table[fm]
        if r.a_overflow:
            notes.append(t("{fmt}: {a} > {max} is stored as inf.", lang, fmt=fm, a=data.a,
                            max=short_num(nx.get_format(fm).largest_finite)))
        if r.b_underflow:
            notes.append(t("{fmt}: {b} is stored as 0.", lang, fmt=fm, b=data.b))
    ax_t.text(1.0 if rtl else 0.0, 0.22, "\n".join(notes), transform=ax_t.transAxes,
              fontsize=FONT - 1, va="top", ha=align(lang), linespacing=1.5, wrap=True)

    # -- boundary curve ------------------------------------------------------
    for fm in data.formats:
        ax.plot(data.x[fm], data.half_gap[fm], drawstyle="steps-post",
                color=FORMAT_COLORS[fm], lw=1.4,
                label=f"{fm}  (eps = {pow2_label(nx.get_format(fm).eps)})")
    a_v, b_v = float(nx.to_fraction(data.a)), float(nx.to_fraction(data.b))
    ax.plot([a_v], [b_v], marker="*", ms=11, color=INK, ls="none",
            label=t("{a} + {b}", lang, a=data.a, b=data.b))
    ax.annotate(t("{a} + {b}", lang, a=data.a, b=data.b), (a_v, b_v),
                xytext=(0, -16), textcoords="offset points", ha="center", va="top",
                fontsize=FONT - 1)
    ax.set_xscale("log")
    ax.set_yscale("log")
    log_ticks(ax)
    label_axes(ax, t("How small must t be to vanish in x + t?", lang), t("magnitude x", lang),
               t("half the gap above x: smaller t are lost", lang))
    ax.legend(fontsize=FONT - 1.5, loc="upper left", frameon=True, framealpha=0.9)
    fit_table(fig, table)
    return PrecisionFacts(tuple(data.formats))


def _table_rows(data: nx.AbsorptionData, lang: str):
    """``(header, rows, row colours, column widths)`` of the table, in reading order:
    right to left the columns read from the right (the format at the right edge) and
    every number or format name in a cell is a left-to-right run of its own."""
    rtl = is_rtl(lang)
    ltr = isolate_ltr if rtl else str
    order = (lambda row: row[::-1]) if rtl else list
    cells, colours = [], []
    for fm in data.formats:
        r = data.table[fm]
        if r.a_overflow or r.b_overflow:
            err = t("a = inf", lang)
        elif r.absorbed or r.b_underflow:
            err = ltr(short_num(r.abs_error)) + "\n" + t("b absorbed", lang)
        elif r.abs_error == 0:
            err = t("exact", lang)
        else:
            err = ltr(short_num(r.abs_error)) + "\n" + t("partly", lang)
        cells.append(order([ltr(fm), ltr(short_num(r.a, 10)), ltr(short_num(r.b)),
                            ltr(short_num(r.rounded, 10)), err]))
        colours.append(FORMAT_COLORS.get(fm, "#ffffff"))
    return order([t(k, lang) for k in COLUMNS]), cells, colours, order([0.15, 0.22, 0.21, 0.22, 0.20])


def caption(facts: PrecisionFacts, lang: str) -> str:
    return t(CAPTION, lang)


def alt(data, facts: PrecisionFacts, lang: str) -> str:
    return t(ALT, lang)
