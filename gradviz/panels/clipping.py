"""The global gradient norm before (faint) and after (solid) clipping, with the threshold θ."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from matplotlib.lines import Line2D

from .. import style
from ..i18n import t
from .axes import few, line_scale, set_step_xlim
from .markers import mark_run_end
from .recording import classify, clip_threshold, trace_steps
from .result import Drawn
from .series import plot_log_series


@dataclass
class ClipDrawn(Drawn):
    """:func:`draw_grad_clip`: θ (None without clipping), the share of steps
    above it, and the ``(before, after)`` arrays drawn."""
    theta: float | None = None
    clipped_share: float | None = None
    arrays: tuple = ()


def draw_grad_clip(ax, rec, variant: int, *, lang: str = "en", ylim=None) -> "ClipDrawn":
    """Global gradient norm before (faint) and after (solid) clipping, log y."""
    dense = "trace_grad_norm" in rec and rec.get("trace_grad_norm").shape[1] > 1
    pre_name, post_name = ("trace_grad_norm", "trace_grad_norm_clipped") if dense else \
        ("grad_norm", "grad_norm_clipped")
    pre = np.asarray(rec.get(pre_name), dtype=float)
    post = np.asarray(rec.get(post_name), dtype=float) if post_name in rec else pre
    xs = trace_steps(rec, pre_name) if dense else rec.steps
    stp = classify(rec, pre, xs if dense else None)
    sto = classify(rec, post, xs if dense else None)
    c = style.variant_color(variant)
    ax.set_yscale("log")
    drawn = ClipDrawn()
    s = {k: m[variant] for k, m in stp.items()}
    mk = "o" if xs.size == 1 else ("." if few(xs.size) else None)
    _, nz1, nn1 = plot_log_series(ax, xs, pre[variant], s, color=c, alpha=0.35,
                                  linewidth=1.0 * line_scale(ax), marker=mk)
    s = {k: m[variant] for k, m in sto.items()}
    _, nz2, _ = plot_log_series(ax, xs, post[variant], s, color=c, linewidth=1.6 * line_scale(ax),
                                marker=mk)
    drawn.zeros += nz1 + nz2
    drawn.nonfinite += nn1
    theta = clip_threshold(rec, variant)
    if theta:
        ax.axhline(theta, color="#444444", linestyle=(0, (5, 3)), linewidth=1.0 * line_scale(ax), zorder=2.5)
        ax.annotate(t("threshold θ = {v}", lang, v=style.fmt_num(theta)), xy=(1.0, theta),
                    xycoords=("axes fraction", "data"), xytext=(-3, 3), textcoords="offset points",
                    ha="right", va="bottom", fontsize="x-small",
                    bbox=dict(boxstyle="round,pad=0.15", fc="white", ec="none", alpha=0.8))
        drawn.theta = theta
        with np.errstate(invalid="ignore"):
            drawn.clipped_share = float(np.mean(pre[variant][stp["finite"][variant]] > theta)) \
                if stp["finite"][variant].any() else 0.0
    mark_run_end(ax, rec, variant, xs, ~s["not_run"], drawn, lang, divergence="label", xspan=(xs[0], xs[-1]))
    set_step_xlim(ax, xs)
    drawn.handles = [
        (Line2D([], [], color="#333333", alpha=0.35, linewidth=1.2), t("before clipping", lang)),
        (Line2D([], [], color="#333333", linewidth=1.8), t("after clipping (used for the update)", lang)),
    ]
    drawn.arrays = (pre, post)
    return drawn

