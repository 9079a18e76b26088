"""Weight gradients lost: the share of ∂L/∂W entries that are exactly zero,
per layer, one line per variant (float16 without loss scaling loses the
smallest gradients)."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .. import style
from ..i18n import N_, t
from ..panels.axes import set_layer_ticks
from ..panels.recording import label, pick_record, when_text
from .layout import legend, title
from .notes import alt_join

NAME = "lost_gradients"
REQUIRES = ("grad_zero",)
TITLE = N_("Weight gradients lost: exact zeros per layer")
CAPTION = N_(
    "Share of weight-gradient entries that are exactly zero in each layer ({when}). In float16 "
    "without loss scaling, gradients smaller than 2⁻²⁴ round to zero and those weights learn "
    "nothing from that step."
)
ALT = N_("Line chart of the share of exactly-zero weight gradients per layer ({when}): {items}.")


@dataclass(frozen=True)
class Facts:
    when: str
    items: list        # (label, largest share in %)


def compose(fig, rec, *, lang="en", step=0) -> Facts:
    """Share of ∂L/∂W entries that are exactly zero, per layer, one line per
    variant, at ``step`` (nearest record, default 0 = init)."""
    ax = fig.add_subplot()
    arr = np.asarray(rec.get("grad_zero"), dtype=float)
    r = pick_record(rec, step=step)
    xs = np.arange(1, arr.shape[2] + 1)
    handles, items = [], []
    for v in range(arr.shape[0]):
        c = style.variant_color(v)
        (ln,) = ax.plot(xs, 100 * arr[v, r], marker="o", color=c, lw=2)
        handles.append((ln, label(rec, v)))
        items.append((label(rec, v), 100 * float(np.nanmax(arr[v, r]))))
    set_layer_ticks(ax, rec, lang)
    ax.set_xlabel(t("Layer (1 = first hidden layer, out = output layer)", lang))
    ax.set_ylabel(t("∂L/∂W entries exactly 0 (%)", lang))
    ax.set_ylim(-3, 103)
    legend(fig, handles)
    when = when_text(rec, r, lang)
    title(fig, t(TITLE, lang) + f" — {when}")
    return Facts(when, items)


def caption(facts: Facts, lang: str) -> str:
    return t(CAPTION, lang, when=facts.when)


def alt(rec, facts: Facts, lang: str) -> str:
    items = [t("{label} up to {pct}%", lang, label=lab, pct=f"{p:.0f}") for lab, p in facts.items]
    return t(ALT, lang, when=facts.when, items=alt_join(items))
