"""A per-layer quantity against layer index (the gradient norm profile of
Glorot & Bengio 2010): one line per variant at initialization, dashed at later steps."""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from matplotlib.lines import Line2D

from .. import style
from ..i18n import t
from ..quantities import label as quantity_label
from .axes import line_scale, set_layer_ticks
from .markers import empty_note
from .recording import classify, label, log_limits, pick_record, stop_text
from .result import Drawn
from .seeds import band
from .series import plot_log_series


@dataclass
class GradNormsDrawn(Drawn):
    """:func:`draw_grad_norms`: ``(label, first layer, output layer)`` at init per
    variant, and the later steps drawn dashed."""
    items: list = field(default_factory=list)
    later_steps: list = field(default_factory=list)
    ends: list = field(default_factory=list)    # (x, y, label, colour) of each line's last point


def _layer_band(ax, rec, quantity, v, r, xs, c) -> None:
    """The interquartile range over seeds of one profile (log axis: positive values only)."""
    b = band(rec, quantity)
    if b is None:
        return
    lo, hi = (np.asarray(a[v, r], dtype=float) for a in b)
    ok = np.isfinite(lo) & np.isfinite(hi) & (lo > 0)
    ax.fill_between(xs, np.where(ok, lo, np.nan), np.where(ok, hi, np.nan), color=c, alpha=0.18,
                    linewidth=0, zorder=1)


LATER_STYLES = [(0, (5, 2.5)), (0, (1.5, 1.8)), (0, (6, 2, 1.5, 2))]


def draw_grad_norms(ax, rec, *, steps=None, quantity: str = "grad_w_norm", lang: str = "en",
                    variants=None, which: str = "both") -> "GradNormsDrawn":
    """‖∂L/∂W‖ (or another per-layer quantity) against layer index, log y.

    One colour per variant; solid at step 0, dashed/faded at ``steps`` (default:
    the last record). ``which``: "both", "init" (step 0 only) or "later" (the later
    steps only, so a collapsed run at 10⁻⁴⁵ does not squeeze the step-0 comparison).
    Layer ticks are 1..depth+1 with the output layer marked.
    """
    arr = np.asarray(rec.get(quantity), dtype=float)
    V, R, L = arr.shape
    st = classify(rec, arr)
    xs = np.arange(1, L + 1)
    variants = range(V) if variants is None else variants
    later = [] if R <= 1 else [pick_record(rec, step=s) for s in (steps or [int(rec.steps[-1])])]
    later = [r for r in dict.fromkeys(later) if r != 0]
    drawn = GradNormsDrawn()
    ax.set_yscale("log")
    show_init = which in ("both", "init")
    if which == "init":
        later = []
    shown = [arr[v, r][st["pos"][v, r]] for v in variants for r in ([0] if show_init else []) + later]
    stopped = []
    for v in variants:
        c = style.variant_color(v)
        sv = {k: m[v, 0] for k, m in st.items()}
        if show_init:
            ln, nz, nn = plot_log_series(ax, xs, arr[v, 0], sv, color=c, marker="o",
                                         linewidth=2.2 * line_scale(ax), zorder=4)
            _layer_band(ax, rec, quantity, v, 0, xs, c)
            drawn.zeros += nz
            drawn.nonfinite += nn
            drawn.ends.append((xs[-1], arr[v, 0, -1], label(rec, v), c))
        drawn.handles.append((Line2D([], [], color=c, marker="o"), label(rec, v)))
        drawn.items.append((label(rec, v), arr[v, 0, 0], arr[v, 0, -1]))
        for k, r in enumerate(later):
            rr = pick_record(rec, record=r, variant=v)
            sv = {kk: m[v, rr] for kk, m in st.items()}
            ls = LATER_STYLES[k % len(LATER_STYLES)] if show_init or k else "-"
            _, nz, nn = plot_log_series(ax, xs, arr[v, rr], sv, color=c, linestyle=ls,
                                        alpha=0.75 if show_init else 1.0, marker=".",
                                        linewidth=(1.6 if show_init else 2.0) * line_scale(ax))
            if k == 0 and not show_init:
                drawn.ends.append((xs[-1], arr[v, rr, -1], label(rec, v), c))
                _layer_band(ax, rec, quantity, v, rr, xs, c)
            drawn.zeros += nz
            drawn.nonfinite += nn
            if rr != r:
                note = label(rec, v) + ": " + stop_text(rec, v, lang)
                if st["nonfinite"][v, rr].any():
                    note += " (" + t("NaN/Inf", lang) + ")"
                stopped.append((c, note))
    ax.set_ylim(*log_limits(*shown))
    for k, (c, txt) in enumerate(stopped):
        ax.text(0.015, 0.90 - 0.065 * k, txt, transform=ax.transAxes, color=c, fontsize="small",
                ha="left", va="top", bbox=dict(boxstyle="round,pad=0.15", fc="white", ec="none",
                                               alpha=0.85), zorder=8)
    set_layer_ticks(ax, rec, lang, 22 if which == "both" else 11)   # half-width panels: fewer ticks
    ax.set_xlim(0.6, L + 0.4)
    if L > 1:
        ax.axvspan(L - 0.5, L + 0.4, color="#F2F2F2", zorder=0, linewidth=0)
    # line-style key (only where one panel mixes steps)
    if which == "both":
        drawn.handles.append((Line2D([], [], color="#333333", linestyle="-"), t("step 0 (initialization)", lang)))
    for k, r in enumerate(later):
        if which == "both" or k:
            drawn.handles.append((Line2D([], [], color="#333333", linestyle=LATER_STYLES[k % 3],
                                           alpha=0.75), t("step {n}", lang, n=int(rec.steps[r]))))
        drawn.later_steps.append(int(rec.steps[r]))
    ax.set_xlabel(t("Layer (1 = first hidden layer, out = output layer)", lang))
    ax.set_ylabel(quantity_label(quantity, lang) + " (" + t("log scale", lang) + ")")
    if not (st["pos"].any()):
        empty_note(ax, t("all values are exactly 0", lang) if st["zero"].any() else t("no finite data", lang))
    return drawn

