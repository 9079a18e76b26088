"""The global gradient norm before (faint) and after (solid) clipping, with the threshold θ."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from matplotlib.lines import Line2D
from matplotlib.ticker import LogLocator, MaxNLocator, NullLocator

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
    off_scale: float | None = None     # the largest value above the capped axis (see :func:`cap_axis`)
    variant: int = 0
    steps: np.ndarray = None           # the x of ``arrays`` (trace steps or record steps)
    inset: object = None               # the diverged run's own axes (:func:`divergence_inset`)


#: The capped axis ends this many times above the largest θ (and the largest norm at step 0).
CAP_FACTOR = 100.0


def clipped_share(rec, variant, pre, finite, theta, dense: bool) -> float:
    """Share of the steps run whose gradient was rescaled: from ``clip_scale`` (< 1) when
    recorded, else from the raw norm above θ."""
    name = "trace_clip_scale" if dense else "clip_scale"
    if name in rec:
        cs = np.asarray(rec.get(name), dtype=float)[variant]
        fin = np.isfinite(cs)
        return float(np.mean(cs[fin] < 1.0)) if fin.any() else 0.0
    with np.errstate(invalid="ignore"):
        return float(np.mean(pre[variant][finite] > theta)) if finite.any() else 0.0


def cap_axis(axs, results, lang: str):
    """One capped log axis: from the data's floor to CAP_FACTOR × max(θ, step-0 norm), so a
    run that explodes to 10⁵² does not flatten the clipped panels; each panel with values
    above the cap gets an ↑ and the largest off-scale value."""
    from .recording import log_limits
    pre0 = [r.arrays[0][:, 0] for r in results]
    thetas = [r.theta for r in results if r.theta]
    lo, hi = log_limits(*[r.arrays[0] for r in results], *[r.arrays[1] for r in results],
                        np.array(thetas or [np.nan]), pad=1.5)
    ref = max([*thetas, *[float(np.nanmax(p)) for p in pre0 if np.isfinite(p).any()]], default=hi)
    cap = min(hi, CAP_FACTOR * ref) if np.isfinite(ref) and ref > 0 and CAP_FACTOR * ref > lo else hi
    axs[0].set_ylim(lo, cap)
    for ax, r in zip(axs, results):
        v = r.variant
        pre = r.arrays[0][v]
        above = np.isfinite(pre) & (pre > cap)
        if above.any():
            r.off_scale = float(pre[above].max())
            # a diverged panel has its "NaN/Inf from step n" label at the top left: this
            # note goes to the top right, so the two never overprint (longer translations)
            side = 1.0 if v in r.diverged else 0.5
            ax.annotate(t("↑ up to {v}, off the scale", lang, v=style.fmt_num(r.off_scale)),
                        xy=(side, 1.0), xycoords="axes fraction", xytext=(-3 if side == 1.0 else 0, -3),
                        textcoords="offset points", ha="right" if side == 1.0 else "center", va="top",
                        fontsize="x-small", color=style.TEXT_MUTED,
                        bbox=dict(boxstyle="round,pad=0.15", fc="white", ec="none", alpha=0.85), zorder=7)
    return cap


#: A run that diverges within this share of the x range gets an inset of its own steps.
INSET_SHARE = 0.1


def divergence_inset(ax, xs, pre, stop: int, color):
    """The few steps a run made before it became NaN/Inf, on their own axes (linear steps,
    log norm over their whole range, off-scale values included) in the panel's empty,
    never-run area: on the shared axis they were a sliver at x = 0. Returns the inset."""
    xs = np.asarray(xs, dtype=float)
    # every finite value of the early window: a median over seeds stays finite a step or
    # two past the first seed's NaN (the off-scale value the note quotes is among them)
    keep = (xs <= xs[0] + INSET_SHARE * (xs[-1] - xs[0])) & np.isfinite(pre) & (pre > 0)
    if keep.sum() < 1:
        return None
    ins = ax.inset_axes([0.5, 0.1, 0.44, 0.52], zorder=6)
    ins.set_facecolor("white")
    ins.plot(xs[keep], pre[keep], color=color, marker="o", markersize=3 * line_scale(ax),
             linewidth=1.2 * line_scale(ax))
    ins.set_yscale("log")
    ins.set_xlim(xs[0] - 0.3, max(stop, xs[keep][-1]) + 0.3)
    ins.axvline(stop, color=style.NONFINITE, linewidth=1.0, linestyle=(0, (4, 2)))
    ins.xaxis.set_major_locator(MaxNLocator(integer=True, nbins=4))
    ins.yaxis.set_major_locator(LogLocator(numticks=4))
    ins.yaxis.set_minor_locator(NullLocator())
    ins.tick_params(labelsize="xx-small", length=2, pad=1)
    ins.grid(False)
    return ins


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
        drawn.clipped_share = clipped_share(rec, variant, pre, stp["finite"][variant], theta, dense)
        ax.annotate(t("θ = {v}: {share} of steps clipped", lang, v=style.fmt_num(theta),
                      share=style.fmt_pct(drawn.clipped_share)), xy=(1.0, theta),
                    xycoords=("axes fraction", "data"), xytext=(-3, 3), textcoords="offset points",
                    ha="right", va="bottom", fontsize="x-small",
                    bbox=dict(boxstyle="round,pad=0.15", fc="white", ec="none", alpha=0.8))
        drawn.theta = theta
    mark_run_end(ax, rec, variant, xs, ~s["not_run"], drawn, lang, divergence="label", xspan=(xs[0], xs[-1]))
    set_step_xlim(ax, xs)
    drawn.handles = [
        (Line2D([], [], color="#333333", alpha=0.35, linewidth=1.2), t("before clipping", lang)),
        (Line2D([], [], color="#333333", linewidth=1.8), t("after clipping (used for the update)", lang)),
    ]
    drawn.arrays = (pre, post)
    drawn.variant = variant
    drawn.steps = np.asarray(xs, dtype=float)
    return drawn

