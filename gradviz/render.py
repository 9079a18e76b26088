"""Static figures from a Recording: registry, captions, alt text and file output.

Figures are built on :class:`matplotlib.figure.Figure` with the Agg canvas
(never pyplot): no global figure state; rcParams are set only inside
:func:`gradviz.style.style_context` (so render from one thread at a time).

Adding a figure is one entry in :data:`FIGURES`::

    FIGURES["my_fig"] = FigureSpec(compose=_my_fig, caption="cap_my_fig",
                                   alt=_alt_my_fig, title="title_my_fig",
                                   requires=("grad_w_norm",))

``compose(fig, rec, *, lang, **options) -> facts`` draws everything (using the
panel functions of :mod:`gradviz.plots`) and returns a dict of facts; the
caption is ``t(caption, lang, **facts["caption"])`` and the alt text is
``alt(rec, facts, lang)``. Keyword-only parameters of ``compose`` are the
figure's options (``options={"heatmap": {"quantity": "delta_rms"}}``).

Entry points: :func:`render_figures` (files), :func:`build_figure` (a Figure
to inspect in tests), :func:`available_figures`, :func:`write_readme`.
"""
from __future__ import annotations

import inspect
import os
import textwrap
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from . import plots as P
from .atomic import atomic_open
from . import style
from .style import t

FORMATS = ("png", "svg", "pdf")


class FigureUnavailable(ValueError):
    """The Recording lacks the arrays a requested figure needs."""


@dataclass(frozen=True)
class FigureSpec:
    """One figure type. ``compose(fig, rec, *, lang, **options) -> facts``."""
    compose: Callable
    caption: str
    alt: Callable
    title: str
    requires: tuple = ()

    @property
    def options(self) -> dict:
        return keyword_options(self.compose)


def keyword_options(fn) -> dict:
    """Option name -> default: the keyword-only parameters of a figure's or an
    animation's function (all but ``lang``)."""
    sig = inspect.signature(fn)
    return {n: p.default for n, p in sig.parameters.items() if p.kind is p.KEYWORD_ONLY and n != "lang"}


@dataclass
class Output:
    """One written file with what a lesson needs to show it."""
    name: str
    path: Path
    format: str
    caption: str
    alt: str
    title: str = ""
    kind: str = "figure"          # or "animation"
    extra: dict = field(default_factory=dict)


# ---------------------------------------------------------------------------
# layout helpers
# ---------------------------------------------------------------------------

def _grid(fig, n, *, sharex=True, sharey=True, max_cols=3, stack=False):
    """Axes for ``n`` panels: a row (or a column when ``stack``), wrapping to a grid.

    In an incomplete last row, the panel above each empty slot keeps its
    x tick labels (it is the bottom of its column).
    """
    if stack:
        cols = 1 if n <= 4 else 2
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


def _is_left(i, cols):
    return i % cols == 0


def _is_bottom(i, n, rows, cols):
    return i + cols >= n


def _axis_labels(fig, axs, rows, cols, xlabel=None, ylabel=None, shared=True):
    """Per-panel labels for a single column/row; one shared label across several.

    Shared labels are re-centred on the panels (not the whole figure, which also
    holds the legend) by :func:`_finalize_layout`.
    """
    n = len(axs)
    if xlabel:
        if cols > 1 and shared:
            fig.supxlabel(xlabel, fontsize="medium")
        else:
            for i, ax in enumerate(axs):
                if _is_bottom(i, n, rows, cols):
                    ax.set_xlabel(xlabel)
    if ylabel:
        if rows > 1 and shared:
            fig.supylabel(ylabel, fontsize="medium")
        else:
            for i, ax in enumerate(axs):
                if _is_left(i, cols):
                    ax.set_ylabel(ylabel)


def _legend(fig, handles, *, title=None, loc="outside right upper", ncols=1):
    seen, hs, ls = set(), [], []
    for h, lab in handles:
        if lab in seen:
            continue
        seen.add(lab)
        hs.append(h)
        ls.append(lab)
    if not hs:
        return None
    return fig.legend(hs, ls, loc=loc, title=title, ncols=ncols, alignment="left")


def _title(fig, text):
    fig._gradviz_title = fig.suptitle(text, x=0.01, ha="left")


def _fit_title(fig):
    """Wrap the title so it never runs under a legend placed outside on the right."""
    st = getattr(fig, "_gradviz_title", None)
    if st is None or not st.get_text():
        return
    renderer = fig.canvas.get_renderer()
    right = sum(leg.get_window_extent(renderer).width for leg in fig.legends
                if "right" in str(getattr(leg, "_outside_loc", "") or ""))
    for txt in fig.texts:       # e.g. the frame counter of an animation, top right
        if txt.get_ha() == "right" and txt.get_position()[1] > 0.9:
            right = max(right, txt.get_window_extent(renderer).width + 0.01 * fig.bbox.width)
    avail = fig.bbox.width * 0.985 - right - 0.01 * fig.bbox.width
    text = st.get_text()
    if st.get_window_extent(renderer).width <= avail:
        return
    for width in range(len(text) - 1, 12, -2):
        st.set_text(textwrap.fill(text, width))
        if st.get_window_extent(renderer).width <= avail:
            return


def _finalize_layout(fig):
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
        if not (ax.get_visible() and ax.get_title(loc="left")):
            continue
        title = ax._left_title
        avail = ax.get_window_extent(renderer).width * 0.98
        text = title.get_text()
        if title.get_window_extent(renderer).width <= avail:
            continue
        changed = True
        for width in range(len(text) - 1, 8, -2):
            title.set_text(textwrap.fill(text, width))
            if title.get_window_extent(renderer).width <= avail:
                break
    # a y label longer than its axes (long translations) goes onto two lines
    for label in [ax.yaxis.label for ax in fig.axes if ax.get_visible()] + [fig._supylabel]:
        if label is None or not label.get_text() or "\n" in label.get_text():
            continue
        owner = label.axes.get_window_extent(renderer).height if label.axes else fig.bbox.height * 0.9
        if label.get_window_extent(renderer).height > owner:
            text = label.get_text()
            label.set_text(textwrap.fill(text, (len(text) + 1) // 2 + 2))
            changed = True
    if changed and engine is not None:
        engine.execute(fig)
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
        import matplotlib as mpl
        with mpl.rc_context({"figure.autolayout": False, "figure.constrained_layout.use": False}):
            fig.set_layout_engine(None)    # None (not "none"): savefig skips its dry-run draw


def _tidy_log_axes(fig):
    """Hide minor tick labels on log axes spanning at least a decade (no 2×10⁻¹ clutter)."""
    from matplotlib.ticker import LogLocator, NullFormatter
    for ax in fig.axes:
        for axis, scale, lim in ((ax.xaxis, ax.get_xscale(), ax.get_xlim()),
                                 (ax.yaxis, ax.get_yscale(), ax.get_ylim())):
            if scale != "log":
                continue
            lo, hi = sorted(lim)
            if lo > 0 and np.log10(hi / lo) >= 0.95:
                axis.set_minor_formatter(NullFormatter())
                decades = np.log10(hi / lo)
                # a labelled tick at every power of ten on y (x labels are wider)
                if axis is ax.yaxis and decades <= 7.5:
                    axis.set_major_locator(LogLocator(base=10, numticks=int(decades) + 3))


def _panel_title(ax, text, color=None):
    ax.set_title(text, loc="left", fontsize="medium", color=color or "black", fontweight="bold")


def _variant_title(ax, rec, v, extra=None):
    txt = P.label(rec, v)
    if extra:
        txt = f"{txt}  ·  {extra}"
    _panel_title(ax, txt, style.variant_color(v))


def _diverged_note(rec, v, lang):
    fnf = P.first_nonfinite(rec)[v]
    return t("diverged_at", lang, n=int(fnf)) if fnf >= 0 else None


def _alt_join(items):
    return "; ".join(i for i in items if i) + ("." if items else "")


def _div_notes(rec, lang):
    out = []
    for v, s in enumerate(P.first_nonfinite(rec)):
        if s >= 0:
            out.append(f"{P.label(rec, v)}: {t('diverged_at', lang, n=int(s))}")
    es = P._per_variant(rec, "early_stop_epoch", -1)
    for v, e in enumerate(es):
        if e >= 0:
            out.append(f"{P.label(rec, v)}: {t('early_stop_at', lang, n=int(e))}")
    return out


# ---------------------------------------------------------------------------
# figures
# ---------------------------------------------------------------------------

def _grad_norms(fig, rec, *, lang="en", steps=None, quantity="grad_w_norm"):
    """Per-layer ‖∂L/∂W‖ vs layer index. ``steps``: later steps to draw dashed
    (default: the last record); ``quantity``: any per-layer array (``delta_rms``...)."""
    ax = fig.add_subplot()
    info = P.draw_grad_norms(ax, rec, steps=steps, quantity=quantity, lang=lang)
    _legend(fig, info["handles"] + P.special_handles(info, lang))
    _title(fig, t("title_grad_norms", lang) if quantity == "grad_w_norm"
           else style.quantity_label(quantity, lang))
    later = info["later_steps"]
    later_txt = ", ".join(t("step_n", lang, n=s) for s in later) if later else t("init", lang)
    return {"caption": {"later": later_txt}, "items": info["items"], "n": rec.n_layers,
            "info": info}


def _alt_grad_norms(rec, facts, lang):
    items = [t("alt_first_last", lang, label=lab, first=style.fmt_num(a), last=style.fmt_num(b))
             for lab, a, b in facts["items"]]
    return t("alt_grad_norms", lang, n=facts["n"], items=_alt_join(items + _div_notes(rec, lang)))


def _lost_gradients(fig, rec, *, lang="en", step=0):
    """Share of ∂L/∂W entries that are exactly zero, per layer, one line per
    variant (float16 without loss scaling loses the smallest gradients)."""
    ax = fig.add_subplot()
    arr = np.asarray(rec.get("grad_zero"), dtype=float)
    r = P.pick_record(rec, step=step)
    xs = np.arange(1, arr.shape[2] + 1)
    handles, items = [], []
    for v in range(arr.shape[0]):
        c = style.variant_color(v)
        (ln,) = ax.plot(xs, 100 * arr[v, r], marker="o", color=c, lw=2)
        handles.append((ln, P.label(rec, v)))
        items.append((P.label(rec, v), 100 * float(np.nanmax(arr[v, r]))))
    P.set_layer_ticks(ax, rec, lang)
    ax.set_xlabel(t("layer_axis", lang))
    ax.set_ylabel(t("grad_zero_axis", lang))
    ax.set_ylim(-3, 103)
    _legend(fig, handles)
    when = P.when_text(rec, r, lang)
    _title(fig, f"{t('title_lost_gradients', lang)} — {when}")
    return {"caption": {"when": when}, "items": items, "n": arr.shape[0]}


def _alt_lost_gradients(rec, facts, lang):
    items = [t("alt_lost_item", lang, label=lab, pct=f"{p:.0f}") for lab, p in facts["items"]]
    return t("alt_lost", lang, when=facts["caption"]["when"], items=_alt_join(items))


def _hist_figure(fig, rec, lang, hist, step, layers, title_key):
    V = P.n_variants(rec)
    layer_ids = P.pick_layers(rec, layers, hidden_only=True)
    axs, rows, cols = _grid(fig, V, sharex=True, sharey=True)
    infos = []
    r0 = P.pick_record(rec, step=step if step is not None else 0)
    for v, ax in enumerate(axs):
        info = P.draw_layer_hist(ax, rec, v, hist=hist, record=r0, layers=layer_ids, lang=lang)
        rv = info["record"]
        extra = t("stopped_at", lang, n=int(rec.steps[rv])) if rv != r0 else None
        _variant_title(ax, rec, v, extra)
        infos.append(info)
    act = P.activation_name(rec)
    xlabel = (t("act_value", lang, act=act) if hist == "hist_act" else
              t("pre_value", lang, act=act) if hist == "hist_pre" else t("delta_value", lang))
    _axis_labels(fig, axs, rows, cols, xlabel,
                 t("density_decade", lang) if hist == "hist_delta" else t("density", lang))
    # one x-range for every panel: the bins any shown curve uses, plus two bins of margin
    recs_shown = [i["record"] for i in infos]
    counts = np.nan_to_num(np.asarray(rec.get(hist), dtype=float)[np.arange(V), recs_shown][:, layer_ids])
    used = np.nonzero(counts.reshape(-1, counts.shape[-1]).sum(0) > 0)[0]
    if used.size:
        xe = P.hist_edges_x(rec, hist)
        axs[0].set_xlim(xe[max(used[0] - 2, 0)], xe[min(used[-1] + 3, xe.size - 1)])
    axs[0].set_ylim(bottom=0)
    top = axs[0].get_ylim()[1]
    if not np.isfinite(top) or top <= 0:
        axs[0].set_ylim(0, 1)
    merged = P.merge_info(infos)
    handles = merged["handles"] + P.special_handles(merged, lang)
    if hist == "hist_delta":
        handles += P.shade_float16_range(axs, rec, [i["record"] for i in infos], lang)
    _legend(fig, handles)
    when = P.when_text(rec, r0, lang)
    _title(fig, f"{t(title_key, lang)} — {when}")
    items = []
    for v, info in enumerate(infos):
        med = info["items"]
        if med:
            items.append((P.label(rec, v), med[0], med[-1]))
    return {"caption": {"act": act, "when": when}, "items": items, "n": V, "when": when,
            "q": style.quantity_label(hist, lang), "info": merged}


def _activation_hist(fig, rec, *, lang="en", step=0, layers=None):
    """Glorot & Bengio Fig. 6: density of each hidden layer's activations, one panel
    per variant. ``step``: training step (nearest record, default 0 = init);
    ``layers``: list of layer numbers as labelled (1 = first hidden, "out")."""
    return _hist_figure(fig, rec, lang, "hist_act", step, layers, "title_activation_hist")


def _gradient_hist(fig, rec, *, lang="en", step=0, layers=None):
    """Glorot & Bengio Fig. 7: density of log10|∂L/∂z| per layer, one panel per variant."""
    return _hist_figure(fig, rec, lang, "hist_delta", step, layers, "title_gradient_hist")


def _alt_hist(rec, facts, lang):
    items = [t("alt_spread", lang, label=lab, first=style.fmt_num(a), last=style.fmt_num(b))
             for lab, a, b in facts["items"]]
    return t("alt_hist", lang, n=facts["n"], q=facts["q"], when=facts["when"],
             items=_alt_join(items + _div_notes(rec, lang)))


def _heatmap(fig, rec, *, lang="en", quantity="grad_w_norm", vmin=None, vmax=None):
    """Layer × step heat map of log10(quantity), one locked colour scale for all
    panels. ``quantity``: any per-layer array; ``vmin``/``vmax``: log10 limits."""
    V = P.n_variants(rec)
    norm = P.heatmap_norm(rec, quantity, vmin=vmin, vmax=vmax)
    axs, rows, cols = _grid(fig, V, sharex=True, sharey=True, stack=True)
    infos = []
    for v, ax in enumerate(axs):
        info = P.draw_heatmap(ax, rec, v, quantity=quantity, norm=norm, lang=lang,
                              max_yticks=layer_tick_budget(fig, rows))
        note = _diverged_note(rec, v, lang)
        _variant_title(ax, rec, v, note)
        infos.append(info)
        if _is_left(v, cols):
            ax.set_ylabel(t("Layer", lang))
        if _is_bottom(v, V, rows, cols):
            ax.set_xlabel(t("step", lang))
    merged = P.merge_info(infos)
    qlabel = style.quantity_label(quantity, lang)
    arr = np.asarray(rec.get(quantity), dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        clipped = bool(np.any(np.log10(arr[np.isfinite(arr) & (arr > 0)]) < norm.vmin))
    extend = "min" if merged["zeros"] or clipped else "neither"
    cb = fig.colorbar(infos[0]["mesh"], ax=axs, label=t("log10_of", lang, q=qlabel.split(",")[0]),
                      extend=extend, shrink=0.95, aspect=30, pad=0.02)
    handles = []
    if merged["nonfinite"]:
        handles.append((Patch(facecolor=style.NONFINITE),
                        t("nonfinite_n", lang, n=merged["nonfinite"])))
    if merged["zeros"]:
        handles.append((Patch(facecolor=style.FLOOR), t("zero_floor_n", lang, n=merged["zeros"])))
    if merged["not_run"]:
        handles.append((Patch(facecolor="white", edgecolor=style.NOT_RUN, hatch="//"),
                        t("not_run", lang)))
    if handles:
        _legend(fig, handles, loc="outside lower center", ncols=len(handles))
    if not any(i["mesh"].get_array().count() for i in infos):
        for ax in axs:
            P._empty_note(ax, t("all_zero", lang) if merged["zeros"] else t("no_data", lang))
    _title(fig, t("title_heatmap", lang, q=qlabel))
    special = t("cap_heatmap_special", lang)
    arr = np.asarray(rec.get(quantity), dtype=float)
    items = [(P.label(rec, v), arr[v, 0, 0], arr[v, 0, -1]) for v in range(V)]
    return {"caption": {"q": qlabel, "special": special}, "q": qlabel, "items": items,
            "lo": 10 ** norm.vmin, "hi": 10 ** norm.vmax, "info": merged}


def _alt_heatmap(rec, facts, lang):
    items = [t("alt_first_last", lang, label=lab, first=style.fmt_num(a), last=style.fmt_num(b))
             for lab, a, b in facts["items"]]
    return t("alt_heatmap", lang, q=facts["q"], lo=style.fmt_num(facts["lo"]),
             hi=style.fmt_num(facts["hi"]), items=_alt_join(items + _div_notes(rec, lang)))


def _curves(fig, rec, lang, metric, logy, smooth):
    ax = fig.add_subplot()
    info = P.draw_train_curves(ax, rec, metric=metric, lang=lang, logy=logy, smooth=smooth)
    if metric == "loss":
        _cap_diverging(ax, rec, lang)
    P.add_epoch_axis(ax, rec, lang)
    if not info["has_val"]:
        ax.text(0.99, 0.02, t("no_validation", lang), transform=ax.transAxes, ha="right",
                va="bottom", fontsize="x-small", color=style.TEXT_MUTED)
    _legend(fig, info["handles"] + P.special_handles(info, lang))
    _title(fig, t("title_loss" if metric == "loss" else "title_accuracy", lang))
    scale = t("cap_scale_log" if info.get("log") else "cap_scale_lin", lang)
    return {"caption": {"scale": scale}, "items": info["items"], "info": info,
            "q": t("loss" if metric == "loss" else "accuracy", lang)}


LOSS_CAP = 30.0  # the loss axis ends at this multiple of the largest initial loss


def _cap_diverging(ax, rec, lang):
    """A run that blows up (loss 1e50) would flatten every other curve: end the
    axis at LOSS_CAP times the largest loss at step 0 and say what is above it."""
    start = np.asarray(rec.get("loss"), dtype=float)[:, 0]
    start = start[np.isfinite(start)]
    if not start.size:
        return
    cap = LOSS_CAP * float(start.max())
    lo, hi = ax.get_ylim()
    if hi > cap > lo:
        ax.set_ylim(lo, cap)
        ax.text(0.99, 0.98, t("off_scale", lang, v=style.fmt_num(cap)), transform=ax.transAxes,
                ha="right", va="top", fontsize="x-small", color=style.TEXT_MUTED)


def _loss(fig, rec, *, lang="en", logy="auto", smooth=None):
    """Training (smoothed dense trace) and validation loss per variant with event
    markers. ``logy``: "auto" (log when the values span ≥ 30x), True or False;
    ``smooth``: EMA span in steps (default: 1/40 of the run)."""
    return _curves(fig, rec, lang, "loss", logy, smooth)


def _accuracy(fig, rec, *, lang="en"):
    """Training (minibatch) and validation accuracy per variant, chance level and events."""
    return _curves(fig, rec, lang, "accuracy", False, None)


def _alt_curve(rec, facts, lang, pct=False):
    f = (lambda x: style.fmt_pct(x)) if pct else style.fmt_num
    items = [t("alt_start_end", lang, label=lab, start=f(a), end=f(b)) for lab, a, b in facts["items"]]
    return t("alt_curve", lang, chart=t("alt_line_chart", lang), q=facts["q"].lower(),
             items=_alt_join(items + _div_notes(rec, lang)))


def _layer_panels(fig, rec, lang, quantity, layers, transform, ylabel, hidden_only, notes=None):
    """One panel per variant of a per-layer quantity (a name, or one name per variant)."""
    V = P.n_variants(rec)
    layer_ids = P.pick_layers(rec, layers, hidden_only=hidden_only)
    axs, rows, cols = _grid(fig, V, sharex=True, sharey=True)
    infos = []
    for v, ax in enumerate(axs):
        q = quantity[v] if isinstance(quantity, (list, tuple)) else quantity
        info = P.draw_layer_series(ax, rec, v, quantity=q, layers=layer_ids, lang=lang,
                                   transform=transform)
        extra = _diverged_note(rec, v, lang) or (notes[v] if notes else None)
        _variant_title(ax, rec, v, extra)
        infos.append(info)
    _axis_labels(fig, axs, rows, cols, t("step", lang), ylabel)
    return axs, infos, layer_ids


def _update_ratio(fig, rec, *, lang="en", layers=None, reference=-3.0):
    """log10(‖ΔW‖/‖W‖) per layer over training, one panel per variant, reference
    line at ``reference`` (−3). ``layers``: layer numbers as labelled."""
    axs, infos, layer_ids = _layer_panels(fig, rec, lang, "update_ratio", layers, "log10",
                                          t("update_axis", lang), False)
    vals = [i["values"] for i in infos]
    r = P.finite_range(*[np.asarray(x) for vv in vals for x in vv])
    lo, hi = (r if r else (reference - 1, reference + 1))
    lo, hi = min(lo, reference), max(hi, reference)
    pad = max(0.3, 0.08 * (hi - lo))
    for ax in axs:
        ax.axhline(reference, color="black", linestyle=(0, (5, 3)), linewidth=1.2, zorder=2)
    axs[0].set_ylim(lo - pad, hi + pad)
    merged = P.merge_info(infos)
    ref = (Line2D([], [], color="black", linestyle=(0, (5, 3))), t("ref_1e3", lang))
    _legend(fig, merged["handles"] + [ref] + P.special_handles(merged, lang))
    _title(fig, t("title_update_ratio", lang))
    items = []
    for v, info in enumerate(infos):
        allv = np.array(info["values"])
        fin = np.isfinite(allv)
        if fin.any():
            cols = np.nonzero(fin.any(0))[0]
            a = np.nanmedian(allv[:, cols[0]])
            b = np.nanmedian(allv[:, cols[-1]])
            items.append((P.label(rec, v), 10 ** a, 10 ** b))
    return {"caption": {}, "items": items, "q": t("q_update_ratio", lang), "info": merged}


def _alt_panels(rec, facts, lang, pct=False):
    f = (lambda x: style.fmt_pct(x)) if pct else style.fmt_num
    items = [t("alt_start_end", lang, label=lab, start=f(a), end=f(b)) for lab, a, b in facts["items"]]
    return t("alt_panels", lang, chart=t("alt_line_chart", lang), q=facts["q"],
             items=_alt_join(items + _div_notes(rec, lang)))


def _saturation(fig, rec, *, lang="en", quantity="auto", layers=None):
    """Share of saturated (tanh/sigmoid) or dead (ReLU family) units per hidden layer
    over training. ``quantity``: "auto" (per variant: saturation where defined,
    else dead units), "saturation" or "dead"."""
    V = P.n_variants(rec)
    act = P.activation_name(rec)
    if quantity not in ("auto", "saturation", "dead"):
        raise ValueError(f"saturation: quantity must be 'auto', 'saturation' or 'dead', not {quantity!r}")
    if quantity == "auto":
        sat = np.asarray(rec.get("saturation"), dtype=float) if "saturation" in rec else None
        per = ["saturation" if sat is not None and np.isfinite(sat[v]).any() else "dead"
               for v in range(V)]
    else:
        per = [quantity] * V
    kinds = set(per)
    if kinds == {"saturation"}:
        ylabel, title_key, cap_key = "saturated_pct", "title_saturation_sat", "cap_saturation_sat"
    elif kinds == {"dead"}:
        ylabel, title_key, cap_key = "dead_pct", "title_saturation_dead", "cap_saturation_dead"
    else:
        ylabel, title_key, cap_key = "sat_or_dead_pct", "title_saturation_mixed", "cap_saturation_mixed"
    notes = [style.quantity_label(q, lang) for q in per] if len(kinds) > 1 else None
    axs, infos, _ = _layer_panels(fig, rec, lang, per, layers, "percent", t(ylabel, lang), True,
                                  notes=notes)
    for v, ax in enumerate(axs):
        if per[v] in rec and not np.isfinite(np.asarray(rec.get(per[v]), dtype=float)[v]).any():
            P._empty_note(ax, t("not_applicable", lang, act=P.activation_name(rec, v)))
    axs[0].set_ylim(-3, 103)
    merged = P.merge_info(infos)
    _legend(fig, merged["handles"] + P.special_handles(merged, lang))
    _title(fig, t(title_key, lang))
    items = []
    for v, info in enumerate(infos):
        allv = np.array(info["values"]) / 100
        fin = np.isfinite(allv)
        if fin.any():
            cols = np.nonzero(fin.any(0))[0]
            items.append((P.label(rec, v), np.nanmean(allv[:, cols[0]]), np.nanmean(allv[:, cols[-1]])))
    q = per[0] if len(kinds) == 1 else "sat_or_dead"
    return {"caption": {"act": act}, "items": items, "q": style.quantity_label(q, lang),
            "caption_key": cap_key, "info": merged}


def _percentiles(fig, rec, *, lang="en", layer=None):
    """Ioffe & Szegedy Fig. 1: 15/50/85th percentiles of one layer's pre-activation
    over training, one panel per variant. ``layer``: number as labelled (default:
    the last hidden layer)."""
    depth = int(rec.meta.get("depth", rec.n_layers - 1))
    if layer is None:
        li = max(min(depth, rec.n_layers) - 1, 0)
    else:
        li = P.pick_layers(rec, [layer])[0]
    V = P.n_variants(rec)
    axs, rows, cols = _grid(fig, V, sharex=True, sharey=True)
    infos = []
    lname = P.layer_name(rec, li, lang)
    for v, ax in enumerate(axs):
        info = P.draw_percentiles(ax, rec, v, layer=li, lang=lang)
        _variant_title(ax, rec, v, _diverged_note(rec, v, lang))
        infos.append(info)
    _axis_labels(fig, axs, rows, cols, t("step", lang), t("percentile_axis", lang, layer=lname))
    r = P.finite_range(*[y for i in infos for y in i["series"]])
    if r is None or r[1] - r[0] < 1e-9 * max(1.0, abs(r[0])):
        mid = 0.0 if r is None else r[0]
        axs[0].set_ylim(mid - 1, mid + 1)
    merged = P.merge_info(infos)
    _legend(fig, merged["handles"] + P.special_handles(merged, lang))
    _title(fig, f"{t('title_percentiles', lang)} — {lname}")
    items = []
    for v, info in enumerate(infos):
        p15, p50, p85 = info["series"]
        fin = np.nonzero(np.isfinite(p50))[0]
        if fin.size:
            a, b = fin[0], fin[-1]
            items.append((P.label(rec, v),
                          f"{style.fmt_num(p50[a])} [{style.fmt_num(p15[a])}, {style.fmt_num(p85[a])}]",
                          f"{style.fmt_num(p50[b])} [{style.fmt_num(p15[b])}, {style.fmt_num(p85[b])}]"))
    return {"caption": {"layer": lname}, "items": items,
            "q": t("percentile_axis", lang, layer=lname), "info": merged}


def _alt_percentiles(rec, facts, lang):
    items = [t("alt_start_end", lang, label=lab, start=a, end=b) for lab, a, b in facts["items"]]
    return t("alt_panels", lang, chart=t("alt_line_chart", lang), q=facts["q"],
             items=_alt_join(items + _div_notes(rec, lang)))


def _lr(fig, rec, *, lang="en", logy="auto"):
    """Learning rate at every step (``trace_lr``) per variant. ``logy``: "auto"
    (log when it spans ≥ 10x), True or False."""
    ax = fig.add_subplot()
    info = P.draw_lr(ax, rec, lang=lang, logy=logy)
    P.add_epoch_axis(ax, rec, lang)
    _legend(fig, info["handles"] + P.special_handles(info, lang))
    _title(fig, t("title_lr", lang))
    scale = t("cap_scale_log" if info["log"] else "cap_scale_lin", lang)
    return {"caption": {"scale": scale}, "items": info["items"], "q": t("learning_rate", lang),
            "info": info}


def _grad_clip(fig, rec, *, lang="en"):
    """Global gradient norm before and after clipping per step, log y, one panel per
    variant, threshold θ from meta ``clip_norm`` (or a variant's ``train.clip_norm``)."""
    V = P.n_variants(rec)
    axs, rows, cols = _grid(fig, V, sharex=True, sharey=True, stack=V <= 3)
    infos = []
    for v, ax in enumerate(axs):
        info = P.draw_grad_clip(ax, rec, v, lang=lang)
        _variant_title(ax, rec, v)
        infos.append(info)
    pre, post = infos[0]["arrays"]
    thetas = [i.get("theta") for i in infos if i.get("theta")]
    lo, hi = P.log_limits(pre, post, np.array(thetas or [np.nan]), pad=1.5)
    axs[0].set_ylim(lo, hi)
    _axis_labels(fig, axs, rows, cols, t("step", lang), t("grad_norm_axis", lang))
    merged = P.merge_info(infos)
    extra = [(Line2D([], [], color="#444444", linestyle=(0, (5, 3))), "θ")] if thetas else []
    _legend(fig, merged["handles"] + extra + P.special_handles(merged, lang))
    _title(fig, t("title_grad_clip", lang))
    items = []
    for v in range(V):
        fin = pre[v][np.isfinite(pre[v])]
        if fin.size:
            items.append((P.label(rec, v), fin[0], fin[-1]))
    return {"caption": {}, "items": items, "q": t("grad_norm_axis", lang), "info": merged}


def _decision_boundary(fig, rec, *, lang="en", step=None, points=True):
    """Predicted class on the input plane, one panel per variant, at ``step``
    (default: each variant's last record); paler = less confident."""
    V = P.n_variants(rec)
    fig.set_layout_engine("compressed")
    axs, rows, cols = _grid(fig, V, sharex=True, sharey=True, max_cols=3)
    infos = []
    R = rec.get("boundary_class").shape[1]
    rq = None if step is None else P.pick_record(rec, step=step)
    items = []
    for v, ax in enumerate(axs):
        info = P.draw_boundary(ax, rec, v, record=rq, lang=lang, points=points)
        r = info["record"]
        acc = P.accuracy_at(rec, v, r) if rec.steps.size == R else np.nan
        _variant_title(ax, rec, v)
        lines = []
        if np.isfinite(acc):
            lines.append((t("acc_short", lang, v=style.fmt_pct(acc)), "black"))
        if rec.steps.size == R and r != R - 1 and rq is None:
            lines.append((t("stopped_at", lang, n=int(rec.steps[r])), style.TEXT_MUTED))
        note = _diverged_note(rec, v, lang)
        if note:
            lines.append((note, style.NONFINITE))
        for k, (txt, col) in enumerate(reversed(lines)):
            ax.text(0.03, 0.03 + 0.11 * k, txt, transform=ax.transAxes, color=col, fontsize="small",
                    fontweight="bold", ha="left", va="bottom", zorder=6,
                    bbox=dict(boxstyle="round,pad=0.2", fc="white", ec="none", alpha=0.9))
        infos.append(info)
        items.append((P.label(rec, v), acc))
    _axis_labels(fig, axs, rows, cols, t("feature_1", lang), t("feature_2", lang), shared=False)
    merged = P.merge_info(infos)
    note = (Patch(facecolor="white", edgecolor="none"), t("confidence_note", lang))
    _legend(fig, merged["handles"] + [note], loc="outside lower center",
            ncols=len(merged["handles"]) + 1)
    r0 = R - 1 if rq is None else rq
    when = P.when_text(rec, r0, lang) if rec.steps.size == R else ""
    _title(fig, f"{t('title_decision_boundary', lang)}" + (f" — {when}" if when else ""))
    return {"caption": {"when": when}, "items": items, "n": V, "when": when, "info": merged}


def _alt_boundary(rec, facts, lang):
    items = [f"{lab}: {t('acc_short', lang, v=style.fmt_pct(a))}" if np.isfinite(a) else lab
             for lab, a in facts["items"]]
    return t("alt_boundary", lang, n=facts["n"], when=facts["when"],
             items=_alt_join(items + _div_notes(rec, lang)))


def _surface(fig, rec, *, lang="en", levels=16):
    """Contours of ``surface_z`` (log-spaced ``levels``) with every optimizer's path."""
    ax = fig.add_subplot()
    info = P.draw_surface(ax, rec, lang=lang, levels=levels)
    cb = fig.colorbar(info["contour"], ax=ax, pad=0.02, aspect=30)
    zmin = info["zmin"]
    cb.set_label(t("surface_z", lang) + (f"  (− {style.fmt_num(zmin)})" if zmin != 0 else ""))
    ax.set_aspect("equal", adjustable="box")
    _legend(fig, info["handles"] + P.special_handles({"nonfinite": info["nonfinite"]}, lang),
            loc="outside right upper")
    name = str(rec.meta.get("surface", ""))
    _title(fig, t("title_surface", lang) + (f" — {name}" if name else ""))
    return {"caption": {"surface": name}, "items": info["items"], "surface": name, "info": info}


def _alt_surface(rec, facts, lang):
    items = []
    for lab, final, left, stop in facts["items"]:
        s = t("alt_final_loss", lang, label=lab, v=style.fmt_num(final))
        if left:
            s = f"{lab}: {t('left_plot', lang, n=stop)}"
        items.append(s)
    return t("alt_surface", lang, surface=facts["surface"], n=len(facts["items"]),
             items=_alt_join(items))


FIGURES: dict[str, FigureSpec] = {
    "grad_norms": FigureSpec(_grad_norms, "cap_grad_norms", _alt_grad_norms, "title_grad_norms",
                             ("grad_w_norm",)),
    "activation_hist": FigureSpec(_activation_hist, "cap_activation_hist", _alt_hist,
                                  "title_activation_hist", ("hist_act", "hist_act_edges")),
    "gradient_hist": FigureSpec(_gradient_hist, "cap_gradient_hist", _alt_hist,
                                "title_gradient_hist", ("hist_delta", "hist_delta_edges")),
    "heatmap": FigureSpec(_heatmap, "cap_heatmap", _alt_heatmap, "title_heatmap", ("grad_w_norm",)),
    "loss": FigureSpec(_loss, "cap_loss", _alt_curve, "title_loss", ("loss",)),
    "accuracy": FigureSpec(_accuracy, "cap_accuracy",
                           lambda rec, f, lang: _alt_curve(rec, f, lang, pct=True),
                           "title_accuracy", ("acc",)),
    "update_ratio": FigureSpec(_update_ratio, "cap_update_ratio", _alt_panels, "title_update_ratio",
                               ("update_ratio",)),
    "saturation": FigureSpec(_saturation, "cap_saturation_sat",
                             lambda rec, f, lang: _alt_panels(rec, f, lang, pct=True),
                             "title_saturation_sat", ("dead",)),
    "percentiles": FigureSpec(_percentiles, "cap_percentiles", _alt_percentiles, "title_percentiles",
                              ("pre_p15", "pre_p50", "pre_p85")),
    "lr": FigureSpec(_lr, "cap_lr", _alt_curve, "title_lr", (("trace_lr", "lr"),)),
    "grad_clip": FigureSpec(_grad_clip, "cap_grad_clip", _alt_panels, "title_grad_clip",
                            (("trace_grad_norm", "grad_norm"),)),
    "decision_boundary": FigureSpec(_decision_boundary, "cap_decision_boundary", _alt_boundary,
                                    "title_decision_boundary",
                                    ("boundary_class", "boundary_conf", "boundary_xs", "boundary_ys")),
    "surface": FigureSpec(_surface, "cap_surface", _alt_surface, "title_surface",
                          ("surface_xs", "surface_ys", "surface_z")),
    "lost_gradients": FigureSpec(_lost_gradients, "cap_lost_gradients", _alt_lost_gradients,
                                 "title_lost_gradients", ("grad_zero",)),
}


# ---------------------------------------------------------------------------
# entry points
# ---------------------------------------------------------------------------

def missing_arrays(rec, requires) -> list[str]:
    """Required names absent from ``rec``; a tuple item means "any one of these"."""
    out = []
    for n in requires:
        alts = n if isinstance(n, tuple) else (n,)
        if not any(a in rec for a in alts):
            out.append(" or ".join(alts))
    return out


def available_figures(rec) -> list[str]:
    """Figure names whose required arrays are all in ``rec`` (registry order)."""
    out = []
    for name, spec in FIGURES.items():
        if missing_arrays(rec, spec.requires):
            continue
        first = spec.requires[0] if spec.requires else None
        if isinstance(first, str) and "record" in rec.axes.get(first, ()) and rec.steps.size == 0:
            continue
        out.append(name)
    return out


def check_options(name: str, spec, opts: dict) -> None:
    allowed = spec.options
    bad = sorted(set(opts) - set(allowed))
    if bad:
        raise ValueError(f"figure {name!r} has no option {', '.join(map(repr, bad))}; "
                         f"its options are: {', '.join(allowed) or '(none)'}")


def _lookup(registry, name, kind="figure"):
    try:
        return registry[name]
    except KeyError:
        raise ValueError(f"unknown {kind} {name!r}; known: {', '.join(registry)}") from None


def build_figure(rec, name: str, *, size="web", dpi: int = style.DEFAULT_DPI, lang: str = "en",
                 **options):
    """``(Figure, facts)`` for one registry entry, drawn but not saved.

    Call inside :func:`gradviz.style.style_context` when saving yourself (fonts
    and SVG/PDF settings come from it); :func:`render_figures` does this.
    """
    spec = _lookup(FIGURES, name)
    missing = missing_arrays(rec, spec.requires)
    if missing:
        raise FigureUnavailable(f"figure {name!r} needs {', '.join(missing)}, which this "
                                "Recording does not have")
    check_options(name, spec, options)
    s = style.get_size(size)
    fig = Figure(figsize=(s.width, s.height), dpi=dpi, layout="constrained")
    FigureCanvasAgg(fig)
    try:
        facts = spec.compose(fig, rec, lang=lang, **options)
    except KeyError as e:             # e.g. options={"heatmap": {"quantity": "no_such_array"}}
        raise ValueError(f"figure {name!r}: {e.args[0] if e.args else e}") from None
    _tidy_log_axes(fig)
    _fit_title(fig)
    _finalize_layout(fig)
    caption_key = facts.get("caption_key", spec.caption)
    facts["caption_text"] = t(caption_key, lang, **facts.get("caption", {}))
    facts["alt_text"] = spec.alt(rec, facts, lang)
    facts["title_text"] = fig.get_suptitle() or name
    return fig, facts


def save_figure(fig, path, fmt: str, dpi: int) -> Path:
    """Write ``fig`` atomically with byte-stable metadata."""
    with atomic_open(path) as fh:
        fig.savefig(fh, format=fmt, dpi=dpi, metadata=style.save_metadata(fmt))
    return Path(path)


def render_figures(rec, out_dir, names=None, formats=("png",), size="web",
                   dpi: int = style.DEFAULT_DPI, lang: str = "en", options=None) -> list[Output]:
    """Render figures to ``out_dir/<name>.<format>``; returns one :class:`Output` per file.

    ``names``: registry names (None = every figure :func:`available_figures`
    finds data for; an explicitly requested figure without its data raises
    :class:`FigureUnavailable`). ``options``: ``{name: {option: value}}``.
    """
    out_dir = Path(out_dir)
    if isinstance(formats, str):
        formats = [f.strip() for f in formats.split(",") if f.strip()]
    for f in formats:
        if f not in FORMATS:
            raise ValueError(f"unknown format {f!r}; choose from {', '.join(FORMATS)}")
    names = available_figures(rec) if names is None else list(names)
    options = options or {}
    for k in options:
        if k not in FIGURES:
            from . import animate  # noqa: F401  (options may also target animations)
            if k not in animate.ANIMATIONS:
                raise ValueError(f"options given for unknown figure {k!r}")
    outputs = []
    for name in names:
        _lookup(FIGURES, name)
        with style.style_context(size):
            fig, facts = build_figure(rec, name, size=size, dpi=dpi, lang=lang,
                                      **options.get(name, {}))
            for fmt in formats:
                path = save_figure(fig, out_dir / f"{name}.{fmt}", fmt, dpi)
                outputs.append(Output(name=name, path=path, format=fmt,
                                      caption=facts["caption_text"], alt=facts["alt_text"],
                                      title=facts["title_text"], kind="figure"))
    return outputs


def _md_escape(text: str) -> str:
    return text.replace("[", "\\[").replace("]", "\\]").replace("\n", " ")


def write_readme(out_dir, outputs, title: str = "", description: str = "", lang: str = "en") -> Path:
    """``out_dir/README.md``: every figure with caption, alt text and a Markdown snippet.

    Outputs of one name (several formats) are listed together; the snippet uses
    the PNG (figures) or the GIF (animations) when present.
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    groups: dict[str, list[Output]] = {}
    for o in outputs:
        groups.setdefault(o.name, []).append(o)
    lines = [f"# {title or 'gradviz outputs'}", ""]
    if description:
        lines += [description.strip(), ""]
    pref = ("png", "gif", "webp", "apng", "svg", "pdf")
    for name, outs in groups.items():
        outs_sorted = sorted(outs, key=lambda o: pref.index(o.format) if o.format in pref else 99)
        main = outs_sorted[0]
        rel = os.path.relpath(main.path, out_dir) if Path(main.path).is_absolute() else str(main.path)
        rel = rel.replace(os.sep, "/")
        lines += [f"## {main.title or name}", ""]
        if main.format != "pdf":
            lines += [f"![{_md_escape(main.alt)}]({rel})", ""]
        lines += [f"**{t('readme_caption', lang)}:** {main.caption}", "",
                  f"**{t('readme_alt', lang)}:** {main.alt}", ""]
        files = ", ".join(f"[`{os.path.basename(o.path)}`]({os.path.basename(o.path)})" for o in outs_sorted)
        lines += [f"**{t('readme_files', lang)}:** {files}", ""]
        lines += [f"{t('readme_snippet', lang)}:", "", "```markdown",
                  f"![{_md_escape(main.alt)}]({rel})", "", f"*{main.caption}*", "```", ""]
    path = out_dir / "README.md"
    with atomic_open(path, "w", encoding="utf-8") as fh:
        fh.write("\n".join(lines))
    return path
