"""Loss scale S at every training step, log₂ axis, one line per variant that
scales its loss; the steps a dynamic scaler skipped (its scaled gradient
overflowed float16) marked ✕. Shows a dynamic scaler searching for S."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from matplotlib.lines import Line2D
from matplotlib.ticker import FuncFormatter, MultipleLocator, NullLocator

from .. import style
from ..i18n import N_, t
from ..panels.axes import add_epoch_axis, set_step_xlim
from ..panels.recording import label, n_variants
from .layout import legend, title
from .notes import alt_join

NAME = "loss_scale"
REQUIRES = ("trace_loss_scale", "trace_skipped")
#: Skipped steps are events of one run: one seed is drawn, not a median.
SEEDS = "one"
TITLE = N_("Loss scale S at every training step")
CAPTION = N_(
    "The loss scale S of every training step, on a logarithmic axis of powers of two, for each "
    "variant that scales its loss. A static scale stays where it was set. A dynamic scale is "
    "halved whenever the scaled gradient overflows float16 (a value above 65504 becomes "
    "infinite); that step is skipped (✕) and the weights keep their values; after a long run of "
    "clean steps S is doubled again. {items}"
)
ALT = N_("Step chart of the loss scale S per training step: {items}")
ITEM = N_("{label}: S from {start} to {end}, skipped steps: {n}")
ITEM_FIXED = N_("{label}: S = {start} at every step")


@dataclass(frozen=True)
class Facts:
    items: list         # (label, first S, last S, skipped steps)


def power_of_two(x: float) -> str:
    """2ᵏ for an exact power of two (2¹⁶, 2⁻³), else the number as gradviz prints numbers."""
    if x > 0 and np.isfinite(x):
        k = float(np.log2(x))
        if k == round(k):
            return "2" + _sup(int(k))
    return style.fmt_num(x)


def _sup(k: int) -> str:
    return str(k).translate(str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻"))


def scaled_variants(scale: np.ndarray) -> list[int]:
    """Variants whose S is not 1 at some step (all variants when none scales)."""
    vs = [v for v in range(scale.shape[0]) if np.any(np.isfinite(scale[v]) & (scale[v] != 1.0))]
    return vs or list(range(scale.shape[0]))


def compose(fig, rec, *, lang="en") -> Facts:
    """S at every step (``trace_loss_scale``) for each variant whose S is not 1
    somewhere (every variant when none scales), held over each step; ✕ where
    ``trace_skipped`` is 1. Log₂ axis labelled 2ᵏ."""
    ax = fig.add_subplot()
    scale = np.asarray(rec.get("trace_loss_scale"), dtype=float)
    skipped = np.asarray(rec.get("trace_skipped"), dtype=float)
    steps = np.arange(scale.shape[1])
    handles, items, ks = [], [], []
    for v in scaled_variants(scale):
        c = style.variant_color(v)
        s = scale[v]
        ok = np.isfinite(s) & (s > 0)
        if not ok.any():
            continue
        k = np.log2(s[ok])  # drawn in log₂ units on a linear axis, labelled 2ᵏ
        (ln,) = ax.step(steps[ok], k, where="post", color=c, lw=2)
        handles.append((ln, label(rec, v)))
        skip = ok & (skipped[v] > 0.5)
        if skip.any():
            ax.plot(steps[skip], np.log2(s[skip]), linestyle="none", marker="x", color=c, markersize=7,
                    markeredgewidth=1.8, zorder=4)
        first, last = s[ok][0], s[ok][-1]
        items.append((label(rec, v), float(first), float(last), int(skip.sum())))
        ks.extend(np.log2(s[ok]))
    if ks:
        lo, hi = int(np.floor(min(ks))), int(np.ceil(max(ks)))
        lo, hi = (lo - 1, hi + 1) if lo == hi else (lo, hi)
        ax.yaxis.set_major_locator(MultipleLocator(max(1, -(-(hi - lo) // 8))))
        ax.yaxis.set_minor_locator(NullLocator())
        ax.set_ylim(lo - 0.7, hi + 0.7)
    ax.yaxis.set_major_formatter(FuncFormatter(lambda k, pos=None: power_of_two(2.0 ** round(k))))
    set_step_xlim(ax, steps)
    add_epoch_axis(ax, rec, lang)
    ax.set_xlabel(t("Training step", lang))
    ax.set_ylabel(t("Loss scale S", lang))
    skip_key = (Line2D([], [], linestyle="none", marker="x", color="#444444", markeredgewidth=1.8),
                t("step skipped (overflow)", lang))
    legend(fig, handles + ([skip_key] if any(i[3] for i in items) else []))
    title(fig, t(TITLE, lang))
    return Facts(items)


def _item_texts(facts: Facts, lang: str) -> list[str]:
    return [t(ITEM_FIXED, lang, label=lab, start=power_of_two(a)) if a == b and not n else
            t(ITEM, lang, label=lab, start=power_of_two(a), end=power_of_two(b), n=n)
            for lab, a, b, n in facts.items]


def caption(facts: Facts, lang: str) -> str:
    return t(CAPTION, lang, items=alt_join(_item_texts(facts, lang)))


def alt(rec, facts: Facts, lang: str) -> str:
    return t(ALT, lang, items=alt_join(_item_texts(facts, lang)))
