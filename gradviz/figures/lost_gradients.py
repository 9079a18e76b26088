"""Weight gradients lost: the share of ∂L/∂W entries that are exactly zero,
per layer at one step (left), and in the worst layer at every recorded step
(right), one line per variant. float16 without loss scaling loses the
smallest gradients; the right panel shows how long that lasts."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .. import style
from ..i18n import N_, t
from ..panels.axes import set_layer_ticks, set_step_xlim
from ..panels.recording import label, pick_record, when_text
from .layout import legend, panel_title, title
from .notes import alt_join

NAME = "lost_gradients"
REQUIRES = ("grad_zero",)
TITLE = N_("Weight gradients lost: exact zeros per layer")
LEFT = N_("Per layer, {when}")
RIGHT = N_("Worst layer, over training")
CAPTION = N_(
    "Share of weight-gradient entries that are exactly zero: left, in each layer ({when}); right, "
    "in the layer that loses most, at every recorded step. In float16 without loss scaling, "
    "gradients smaller than 2⁻²⁴ round to zero and those weights learn nothing from that step."
)
ALT = N_("Line charts of the share of exactly-zero weight gradients, per layer ({when}) and in the "
         "worst layer over training: {items}.")
ITEM = N_("{label} up to {pct}% at {when}, {last}% at the last step")


@dataclass(frozen=True)
class Facts:
    when: str
    items: list        # (label, largest share in % at the step drawn left, worst-layer share in % at the end)
    steps: list = None  # the recorded steps of the right panel


def worst_layer(a: np.ndarray) -> np.ndarray:
    """Per record (rows of ``a``, one column per layer) the largest finite share; NaN where none is."""
    a = np.where(np.isfinite(a), a, -np.inf)
    out = a.max(axis=-1) if a.size else np.full(a.shape[:-1], -np.inf)
    return np.where(np.isfinite(out), out, np.nan)


def compose(fig, rec, *, lang="en", step=0) -> Facts:
    """Left: share of ∂L/∂W entries that are exactly zero, per layer, one line per
    variant, at ``step`` (nearest record, default 0 = init). Right: the largest
    share over the layers at every recorded step."""
    ax, ax2 = fig.subplots(1, 2, width_ratios=(1.15, 1))
    arr = np.asarray(rec.get("grad_zero"), dtype=float)
    r = pick_record(rec, step=step)
    xs = np.arange(1, arr.shape[2] + 1)
    steps = np.asarray(rec.steps, dtype=float)[: arr.shape[1]]
    handles, items = [], []
    for v in range(arr.shape[0]):
        c = style.variant_color(v)
        (ln,) = ax.plot(xs, 100 * arr[v, r], marker="o", color=c, lw=2)
        worst = 100 * worst_layer(arr[v])
        ax2.plot(steps, worst, marker="o" if steps.size <= 40 else None, markersize=4, color=c, lw=2)
        handles.append((ln, label(rec, v)))
        fin = worst[np.isfinite(worst)]
        items.append((label(rec, v), 100 * float(np.nanmax(arr[v, r])) if np.isfinite(arr[v, r]).any()
                      else float("nan"), float(fin[-1]) if fin.size else float("nan")))
    set_layer_ticks(ax, rec, lang, max_ticks=12)
    ax.set_xlabel(t("Layer (1 = first hidden layer, out = output layer)", lang))
    ax.set_ylabel(t("∂L/∂W entries exactly 0 (%)", lang))
    when = when_text(rec, r, lang)
    panel_title(ax, t(LEFT, lang, when=when))
    panel_title(ax2, t(RIGHT, lang))
    ax2.set_xlabel(t("Training step", lang))
    if steps.size:
        set_step_xlim(ax2, steps)
    for a in (ax, ax2):
        a.set_ylim(-3, 103)
    ax2.sharey(ax)
    ax2.tick_params(labelleft=False)
    legend(fig, handles)
    title(fig, t(TITLE, lang))
    return Facts(when, items, [int(s) for s in steps])


def caption(facts: Facts, lang: str) -> str:
    return t(CAPTION, lang, when=facts.when)


def alt(rec, facts: Facts, lang: str) -> str:
    items = [t(ITEM, lang, label=lab, pct=f"{p:.0f}", when=facts.when, last=f"{q:.0f}")
             for lab, p, q in facts.items]
    return t(ALT, lang, when=facts.when, items=alt_join(items).rstrip("."))
