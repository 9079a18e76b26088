"""Layout helpers shared by every figure and animation: the panel grid, shared
axis labels, the figure legend, titles that fit, and the one layout pass.

:func:`finish` is what the build pipeline runs after ``compose``: tidy log
axes, fit the title beside the legend, lay out once and freeze.
"""
from __future__ import annotations

import re
import textwrap
from contextlib import contextmanager

import matplotlib as mpl
from matplotlib.text import Annotation
import numpy as np
from matplotlib.ticker import FixedLocator, Formatter, LogFormatterSciNotation, LogLocator, NullFormatter

from .. import style
from ..i18n import isolate_ltr
from ..panels.recording import label


def grid(fig, n, *, sharex=True, sharey=True, max_cols=3, stack=False):
    """Axes for ``n`` panels: a row (or a column when ``stack``), wrapping to a grid.

    In an incomplete last row, the panel above each empty slot keeps its
    x tick labels (it is the bottom of its column).
    """
    if stack:
        cols = 1 if n <= 4 else 2
    elif n in (7, 8) and max_cols >= 3:
        cols = 4                     # two rows of four, not three of three with two holes
    else:
        cols = min(n, max_cols) if n != 4 else 2
    rows = int(np.ceil(n / cols))
    axs = np.atleast_1d(fig.subplots(rows, cols, sharex=sharex, sharey=sharey, squeeze=False))
    flat = list(axs.flat)
    for ax in flat[n:]:
        ax.set_visible(False)
    for i in range(n):
        if i + cols >= n and i // cols < rows - 1:
            flat[i].xaxis.set_tick_params(which="both", labelbottom=True)
    return flat[:n], rows, cols


def layer_tick_budget(fig, rows) -> int:
    """Layer ticks that fit on one of ``rows`` stacked panels (about 4 per inch)."""
    h = fig.get_figheight() * 0.72 / max(rows, 1)
    return int(np.clip(round(h * 4.5), 3, 10))


def is_left(i, cols) -> bool:
    """Panel ``i`` of a grid with ``cols`` columns is in the first column."""
    return i % cols == 0


def is_bottom(i, n, rows, cols) -> bool:
    """Panel ``i`` of ``n`` is the lowest of its column (it shows the x labels)."""
    return i + cols >= n


def axis_labels(fig, axs, rows, cols, xlabel=None, ylabel=None, shared=True):
    """Per-panel labels for a single column/row; one shared label across several.

    Shared labels are re-centred on the panels (not the whole figure, which also
    holds the legend) by :func:`finalize_layout`.
    """
    n = len(axs)
    if xlabel:
        if cols > 1 and shared:
            fig.supxlabel(xlabel, fontsize="medium")
        else:
            for i, ax in enumerate(axs):
                if is_bottom(i, n, rows, cols):
                    ax.set_xlabel(xlabel)
    if ylabel:
        if rows > 1 and shared:
            fig.supylabel(ylabel, fontsize="medium")
        else:
            for i, ax in enumerate(axs):
                if is_left(i, cols):
                    ax.set_ylabel(ylabel)


def legend(fig, handles, *, title=None, loc="outside right upper", ncols=1):
    """A figure legend from ``[(artist, label), ...]``, one entry per label."""
    seen, hs, ls = set(), [], []
    for h, lab in handles:
        if lab in seen:
            continue
        seen.add(lab)
        hs.append(h)
        ls.append(lab)
    if not hs:
        return None
    rtl = getattr(fig, "_gradviz_rtl", False)
    ls = [isolate_ltr(x) for x in ls] if rtl else ls
    while True:
        leg = fig.legend(hs, ls, loc=loc, title=title, ncols=ncols, alignment="right" if rtl else "left",
                         markerfirst=not rtl)
        # a key in a row wider than the figure (long translations) takes fewer columns
        if ncols <= 1 or leg.get_window_extent(fig.canvas.get_renderer()).width <= 0.97 * fig.bbox.width:
            return leg
        leg.remove()
        ncols -= 1


def legend_in_slot(fig, handles):
    """The key in the grid's first empty slot (5 panels in a 2×3 grid leave one), so it does
    not take a column of width from every panel; a figure legend when no slot is free."""
    free = [ax for ax in fig.axes if not ax.get_visible() and ax.get_subplotspec() is not None]
    if not free:
        return legend(fig, handles)
    seen, hs, ls = set(), [], []
    for h, lab in handles:
        if lab not in seen:
            seen.add(lab)
            hs.append(h)
            ls.append(lab)
    rtl = getattr(fig, "_gradviz_rtl", False)
    ls = [isolate_ltr(x) for x in ls] if rtl else ls
    slot = free[0]
    slot.set_visible(True)
    slot.set_axis_off()
    ncols = 2 if len(hs) > 6 else 1
    size = mpl.font_manager.FontProperties(size="small").get_size_in_points() * fig.dpi / 72
    chars = int(slot.get_position().width * fig.bbox.width / ncols / (0.52 * size)) - 4
    ls = [wrap(x, max(chars, 10)) for x in ls]          # long key entries wrapped to the slot's width
    leg = slot.legend(hs, ls, loc="upper left", bbox_to_anchor=(0.0, 1.0), alignment="right" if rtl else "left",
                      markerfirst=not rtl, frameon=False, fontsize="small", ncols=ncols,
                      handlelength=1.6, columnspacing=1.0)
    leg.set_in_layout(False)      # the slot's column keeps the panels' width
    return leg


def title(fig, text):
    """The figure title, left-aligned (right-aligned in right-to-left languages);
    :func:`fit_title` wraps it when a legend needs the room."""
    if getattr(fig, "_gradviz_rtl", False):
        fig._gradviz_title = fig.suptitle(text, x=0.99, ha="right")
    else:
        fig._gradviz_title = fig.suptitle(text, x=0.01, ha="left")


def wrap(text: str, width: int) -> str:
    """``textwrap.fill`` that never breaks inside a word, between a word and its number
    ("paso 0", "camada 8") or inside a right-to-left isolate (a formula in Hebrew)."""
    keep = re.sub(r"(?<=\w) (?=\d)", "\u00a0", text)
    whole = re.sub(r"\u2066[^\u2069]*\u2069", lambda m: m.group(0).replace(" ", "\u00a0"), keep)
    out = textwrap.fill(whole, width, break_long_words=False, break_on_hyphens=False)
    if max(map(len, out.split("\n"))) > width:      # an isolate longer than a line: break it after all
        out = textwrap.fill(keep, width, break_long_words=False, break_on_hyphens=False)
    return out.replace("\u00a0", " ")


def fit_title(fig):
    """Wrap the title so it never runs under a legend placed outside on the right."""
    st = getattr(fig, "_gradviz_title", None)
    if st is None or not st.get_text():
        return
    renderer = fig.canvas.get_renderer()
    right = sum(leg.get_window_extent(renderer).width for leg in fig.legends
                if "right" in str(getattr(leg, "_outside_loc", "") or ""))
    for txt in fig.texts:       # e.g. the frame counter of an animation, top right
        if txt is not st and txt.get_ha() == "right" and txt.get_position()[1] > 0.9:
            right = max(right, txt.get_window_extent(renderer).width + 0.01 * fig.bbox.width)
    avail = fig.bbox.width * 0.985 - right - 0.01 * fig.bbox.width
    for txt in fig.texts:       # right to left: the frame counter sits top left
        if txt is not st and txt.get_ha() == "left" and txt.get_position()[1] > 0.9 and txt.get_animated():
            avail -= txt.get_window_extent(renderer).width + 0.01 * fig.bbox.width
    if getattr(fig, "_gradviz_rtl", False):      # right-aligned: end where the legend begins
        st.set_x((avail + 0.01 * fig.bbox.width) / fig.bbox.width)
    text = st.get_text()
    if st.get_window_extent(renderer).width <= avail:
        return
    for width in range(len(text) - 1, 12, -2):
        st.set_text(wrap(text, width))
        if st.get_window_extent(renderer).width <= avail:
            return


def finalize_layout(fig):
    """Lay out once, wrap overlong panel titles, centre shared labels, then freeze.

    Freezing (layout engine "none") keeps the computed positions and spares
    ``savefig`` a second layout pass and a dry-run draw: it halves render time.
    Figures are always saved at the dpi they were laid out for.
    """
    renderer = fig.canvas.get_renderer()
    engine = fig.get_layout_engine()
    if engine is not None:
        engine.execute(fig)
    changed = False
    for ax in fig.axes:
        side = "left" if ax.get_title(loc="left") else "right"
        if not (ax.get_visible() and ax.get_title(loc=side)):
            continue
        title = ax._left_title if side == "left" else ax._right_title
        avail = ax.get_window_extent(renderer).width * 0.98
        text = title.get_text()
        if title.get_window_extent(renderer).width <= avail:
            continue
        changed = True
        for width in range(len(text) - 1, 8, -2):
            title.set_text(wrap(text, width))
            if title.get_window_extent(renderer).width <= avail:
                break
    # an axis label longer than its axes (long translations) goes onto two lines
    shown = [ax for ax in fig.axes if ax.get_visible()]
    for label, ax, along in ([(ax.yaxis.label, ax, "height") for ax in shown]
                             + [(ax.xaxis.label, ax, "width") for ax in shown]
                             + [(fig._supylabel, None, "height")]):
        if label is None or not label.get_text() or "\n" in label.get_text():
            continue
        owner = getattr(ax.get_window_extent(renderer), along) if ax is not None else fig.bbox.height * 0.9
        if getattr(label.get_window_extent(renderer), along) > owner:
            text = label.get_text()
            label.set_text(wrap(text, (len(text) + 1) // 2 + 2))
            changed = True
    if changed and engine is not None:
        engine.execute(fig)
    thin_crowded_ticks(fig, renderer)
    unstack_notes(fig, renderer)
    panels = [ax for ax in fig.axes if ax.get_visible() and ax.get_label() != "<colorbar>"
              and ax.get_subplotspec() is not None]
    if panels:
        x0 = min(ax.get_position().x0 for ax in panels)
        x1 = max(ax.get_position().x1 for ax in panels)
        y0 = min(ax.get_position().y0 for ax in panels)
        y1 = max(ax.get_position().y1 for ax in panels)
        if fig._supxlabel is not None:
            fig._supxlabel.set_x(0.5 * (x0 + x1))
        if fig._supylabel is not None:
            fig._supylabel.set_y(0.5 * (y0 + y1))
    if engine is not None:
        with mpl.rc_context({"figure.autolayout": False, "figure.constrained_layout.use": False}):
            fig.set_layout_engine(None)    # None (not "none"): savefig skips its dry-run draw


def _shift_down(txt, dy, fig) -> bool:
    """Move a note ``dy`` pixels down (False: its position cannot be shifted)."""
    if isinstance(txt, Annotation):
        coords = txt.anncoords if isinstance(txt.anncoords, str) else ""
        if coords not in ("offset points", "offset pixels"):
            return False
        x, y = txt.xyann
        txt.xyann = (x, y - dy * (72.0 / fig.dpi if coords == "offset points" else 1.0))
        return True
    tr = txt.get_transform()
    X, Y = tr.transform(txt.get_position())
    txt.set_position(tr.inverted().transform((X, Y - dy)))
    return True


def unstack_notes(fig, renderer) -> None:
    """Notes of one panel that landed on each other (a NaN/Inf mark beside an
    off-scale arrow): each later note moves down below the ones before it."""
    gap = 2.0 * fig.dpi / 72
    for ax in fig.axes:
        placed = []
        for txt in ax.texts:
            if not txt.get_visible() or txt.get_animated() or not txt.get_text().strip():
                continue
            bb = txt.get_window_extent(renderer)
            for _ in range(8):
                hit = [b for b in placed if min(b.x1, bb.x1) > max(b.x0, bb.x0) and min(b.y1, bb.y1) > max(b.y0, bb.y0)]
                if not hit or not _shift_down(txt, bb.y1 - min(b.y0 for b in hit) + gap, fig):
                    break
                bb = txt.get_window_extent(renderer)
            placed.append(bb)


def _crowded(boxes, horiz, gap) -> bool:
    """Neighbouring labels (in tick order) closer than ``gap`` pixels."""
    for a, b in zip(boxes, boxes[1:]):
        lo, hi = sorted((a, b), key=lambda bb: bb.x0 if horiz else bb.y0)
        if ((hi.x0 - lo.x1) if horiz else (hi.y0 - lo.y1)) < gap:
            return True
    return False


def thin_crowded_ticks(fig, renderer) -> None:
    """Fixed tick labels (layer numbers, names) that run together once the panels
    have their final size ("20salida"): keep the first and the last, drop every
    other one between them until neighbours are a few pixels apart."""
    for ax in fig.axes:
        if not ax.get_visible():
            continue
        for axis, horiz in ((ax.xaxis, True), (ax.yaxis, False)):
            if not isinstance(axis.get_major_locator(), FixedLocator):
                continue
            lo, hi = sorted(axis.get_view_interval())
            labels = [lab for lab in axis.get_majorticklabels() if lab.get_text()]
            locs = [tk.get_loc() for tk in axis.get_major_ticks()[:len(axis.get_majorticklocs())]]
            pairs = [(loc, lab) for loc, lab in zip(locs, axis.get_majorticklabels())
                     if lab.get_text() and lo <= loc <= hi]
            if len(pairs) < 3 or len(labels) < 3:
                continue
            boxes = [lab.get_window_extent(renderer) for _, lab in pairs]
            gap = 0.5 * labels[0].get_fontsize() * fig.dpi / 72
            keep = list(range(len(pairs)))
            while len(keep) > 2 and _crowded([boxes[i] for i in keep], horiz, gap):
                last = keep[-1]
                if _crowded([boxes[keep[-2]], boxes[last]], horiz, gap):
                    keep = keep[:-2] + [last]          # the one before the last yields first
                else:
                    keep = keep[:-1:2] + [last]
            if len(keep) < len(pairs):
                axis.set_ticks([pairs[i][0] for i in keep], [pairs[i][1].get_text() for i in keep])


def tidy_log_axes(fig):
    """Hide minor tick labels on log axes spanning at least a decade (no 2×10⁻¹ clutter)."""
    for ax in fig.axes:
        for axis, scale, lim in ((ax.xaxis, ax.get_xscale(), ax.get_xlim()),
                                 (ax.yaxis, ax.get_yscale(), ax.get_ylim())):
            if scale != "log":
                continue
            lo, hi = sorted(lim)
            if lo > 0 and np.log10(hi / lo) >= 0.95:
                decades = np.log10(hi / lo)
                # under two decades one or two powers of ten are labelled: label 2× and 5× too
                axis.set_minor_formatter(LogFormatterSciNotation(labelOnlyBase=False, minor_thresholds=(2, 0.5))
                                         if decades < 2 and axis is ax.yaxis else NullFormatter())
                # a labelled tick at every power of ten on y (x labels are wider)
                if axis is ax.yaxis and decades <= 7.5:
                    axis.set_major_locator(LogLocator(base=10, numticks=int(decades) + 3))


def panel_title(ax, text, color=None):
    """A bold panel title (left-aligned; right-aligned in right-to-left languages), its
    colour darkened to ≥ 3:1 contrast on white."""
    rtl = getattr(ax.figure, "_gradviz_rtl", False)
    text = isolate_ltr(text) if rtl else text     # a variant label's formula keeps its order
    c = style.with_contrast(color) if color else "black"
    ax.set_title(text, loc="right" if rtl else "left", fontsize="medium", color=c, fontweight="bold")


def variant_title(ax, rec, v, extra=None):
    """The panel title of variant ``v``: its label in its colour (`` · extra`` after it)."""
    txt = label(rec, v)
    if extra:
        txt = f"{txt}  ·  {extra}"
    panel_title(ax, txt, style.variant_color(v))   # darkened to 3:1 in panel_title


class LocalizedFormatter(Formatter):
    """Another tick formatter's labels with the decimal separator of ``lang`` (0,5 in es)."""

    def __init__(self, inner, lang: str):
        self.inner, self.lang = inner, lang

    def set_axis(self, axis):
        super().set_axis(axis)
        self.inner.set_axis(axis)

    def set_locs(self, locs):
        self.inner.set_locs(locs)

    def __call__(self, x, pos=None):
        return style.localize_number(self.inner(x, pos), self.lang)

    def format_ticks(self, values):
        return [style.localize_number(s, self.lang) for s in self.inner.format_ticks(values)]

    def get_offset(self):
        return style.localize_number(self.inner.get_offset(), self.lang)


def localize_ticks(fig) -> None:
    """Tick labels of every axis (colour bars and secondary axes too) in the figure's
    language: a decimal comma where the language writes one."""
    lang = getattr(fig, "_gradviz_lang", "en")
    if lang not in style.DECIMAL_COMMA:
        return
    axes = list(fig.axes)
    for ax in fig.axes:
        axes += [c for c in ax.child_axes]
    for ax in axes:
        for axis in (ax.xaxis, ax.yaxis):
            for get, put in ((axis.get_major_formatter, axis.set_major_formatter),
                             (axis.get_minor_formatter, axis.set_minor_formatter)):
                f = get()
                if not isinstance(f, LocalizedFormatter):
                    put(LocalizedFormatter(f, lang))


def _tick_state(axis) -> tuple:
    """Everything an axis's tick update reads: the locators and formatters (the objects
    themselves, so a replaced one can never pass for the old), the view interval, the
    axes' size in pixels (tick counts follow it), the scale and the tick parameters."""
    return (axis.major.locator, axis.minor.locator, axis.major.formatter, axis.minor.formatter,
            tuple(axis.get_view_interval()), tuple(axis.axes.bbox.bounds), axis.get_scale(),
            repr(axis._major_tick_kw), repr(axis._minor_tick_kw), axis.get_figure(root=True).dpi)


def _same(a: tuple, b: tuple) -> bool:
    return len(a) == len(b) and all(x is y for x, y in zip(a[:4], b[:4])) and a[4:] == b[4:]


@contextmanager
def steady_ticks(fig):
    """While the figure is laid out, drawn or saved, each axis updates its ticks once
    per state instead of once per query.

    matplotlib recomputes every axis's ticks (locator, formatter, every tick's position
    and label) whenever anything asks for the axis's extent: each spine, the axis label,
    each panel title and the tight box of each layout pass ask again, about ten times
    per axis per pass, and drawing asks again. Inside this block an axis whose
    :func:`_tick_state` is unchanged returns the ticks it computed last time. Only the
    figure's own axes are touched, and only until the block ends.
    """
    axes = list(fig.get_axes())
    axes += [c for ax in fig.get_axes() for c in ax.child_axes]
    patched = []
    for ax in axes:
        for axis in (ax.xaxis, ax.yaxis):
            if "_update_ticks" in vars(axis):      # already steady (a nested block)
                continue
            compute = axis._update_ticks
            memo = {}

            def update(compute=compute, axis=axis, memo=memo):
                state = _tick_state(axis)
                if "state" not in memo or not _same(memo["state"], state):
                    memo["ticks"] = compute()
                    memo["state"] = state
                return list(memo["ticks"])
            axis._update_ticks = update
            patched.append(axis)
    try:
        yield
    finally:
        for axis in patched:
            del axis._update_ticks


def finish(fig) -> None:
    """Tidy log axes, localize the ticks, fit the title, lay out once and freeze (after ``compose``)."""
    tidy_log_axes(fig)
    localize_ticks(fig)
    with steady_ticks(fig):
        fit_title(fig)
        finalize_layout(fig)
