"""What the loss and accuracy figures share: one axes with every variant's
training and validation curve, the epoch axis on top, event markers."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .. import style
from ..i18n import N_, t
from ..panels.axes import add_epoch_axis
from ..panels.labels import direct_labels, keep_formulas
from ..panels.recording import facet_names, facets, label, n_variants
from ..panels.curves import CurvesDrawn, draw_train_curves
from ..panels.markers import special_handles
from .layout import legend, panel_title, title
from .notes import alt_join, run_end_notes, scale_sentence

LOSS_CAP = 30.0  # the loss axis ends at this multiple of the largest initial loss


@dataclass(frozen=True)
class CurveFacts:
    scale: str          # the caption's sentence about the vertical axis
    q: str              # "Loss" or "Accuracy"
    items: list         # (label, start, end)
    drawn: CurvesDrawn


def cap_diverging(ax, rec, lang) -> None:
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
        ax.text(0.99, 0.98, t("↑ values above {v} are off the scale", lang, v=style.fmt_num(cap)),
                transform=ax.transAxes, ha="right", va="top", fontsize="x-small", color=style.TEXT_MUTED)


SHOWN = {
    "validation": N_("Validation {q} of each variant, labelled at its end (training curves are left out so "
                     "that the variants can be told apart; `show = \"both\"` draws them)."),
    "both": N_("Training {q} (solid, smoothed minibatch values; an averaged ensemble's own) and validation "
               "{q} (dashed, circles) of each variant."),
    "training": N_("Training {q} (smoothed minibatch values; an averaged ensemble's own) of each variant; "
                   "there is no validation split."),
}


def compose_curves(fig, rec, lang, metric, logy, smooth, title_msgid: str, q: str, show="auto") -> CurveFacts:
    """One axes of every variant's curves; the variants are named at the end of their lines.
    Variants that cross a categorical knob with a numeric one (BN/LN × batch size) get
    one panel per category instead, the numeric knob as a sequential hue (:func:`facets`)."""
    fc = facets(rec)
    groups = fc[0] if fc is not None else [(None, list(range(n_variants(rec))))]
    axs = fig.subplots(1, len(groups), sharey=True, squeeze=False)[0]
    drawn = None
    for ax, (_, vs) in zip(axs, groups):
        d = draw_train_curves(ax, rec, metric=metric, lang=lang, logy=logy, smooth=smooth, show=show,
                              variants=vs)
        if metric == "loss":
            cap_diverging(ax, rec, lang)
        add_epoch_axis(ax, rec, lang)
        if not d.has_val:
            ax.text(0.99, 0.02, t("no validation split", lang), transform=ax.transAxes, ha="right",
                    va="bottom", fontsize="x-small", color=style.TEXT_MUTED)
        # the validation end is the number a description quotes: label it whenever it is drawn
        ends = d.val_ends if d.show != "training" and d.has_val else d.ends
        if fc is not None:
            head, short = facet_names(rec, vs)
            names = dict(zip((label(rec, v) for v in vs), short))
            ends = [(x, y, names.get(txt, txt), c) for x, y, txt, c in ends]
            panel_title(ax, head)
            if ax is not axs[0]:
                ax.set_ylabel("")
        direct_labels(ax, ends)
        drawn = d if drawn is None else _merged(drawn, d)
    names = {label(rec, v) for v in range(n_variants(rec))}
    key = [h for h in drawn.handles if h[1] not in names]
    legend(fig, key + special_handles(drawn, lang), loc="outside lower center",
           ncols=max(1, min(4, len(key) + 1)))
    keep_formulas(fig)
    title(fig, t(title_msgid, lang))
    return CurveFacts(scale_sentence(drawn.log, lang), q, drawn.items, drawn)


def _merged(a: CurvesDrawn, b: CurvesDrawn) -> CurvesDrawn:
    """The facts of two panels as one (items, ends, counts; the style key once)."""
    a.items += b.items
    a.ends += b.ends
    a.val_ends += b.val_ends
    a.val_items += b.val_items
    a.nonfinite += b.nonfinite
    a.zeros += b.zeros
    a.diverged.update(b.diverged)
    a.events |= b.events
    a.not_run = a.not_run or b.not_run
    a.has_val = a.has_val or b.has_val
    seen = {h[1] for h in a.handles}
    a.handles += [h for h in b.handles if h[1] not in seen]
    return a


OVERFIT_SENTENCE = N_("Dotted: the training loss of each variant whose validation loss rises well above "
                      "its best; the gap between the two is overfitting.")


def shown_sentence(facts: CurveFacts, lang: str) -> str:
    """The caption's sentence about which lines are drawn."""
    text = t(SHOWN[facts.drawn.show], lang, q=facts.q.lower())
    if "overfit_training" in facts.drawn.events:
        text += " " + t(OVERFIT_SENTENCE, lang)
    return text


def alt_curve(rec, facts: CurveFacts, lang: str, pct: bool = False) -> str:
    f = style.fmt_pct if pct else style.fmt_num
    show = getattr(facts.drawn, "show", None)
    val = getattr(facts.drawn, "val_items", [])
    if show == "both" and val:      # both curves drawn: name each, validation (what claims quote) first
        tags = (t("validation", lang), t("training", lang))
        train = {x[0]: x for x in facts.items}
        pairs = []
        for x in val:
            pairs += [(tags[0], x)] + ([(tags[1], train[x[0]])] if x[0] in train else [])
    else:
        pairs = [("", x) for x in facts.items]
    items = [t("{label}: {start} at the start, {end} at the end", lang, label=lab + (f" ({tag})" if tag else ""),
               start=f(a), end=f(b)) for tag, (lab, a, b) in pairs]
    tag = t("validation", lang) if show == "validation" else (t("training", lang) if show == "training" else "")
    which = " (" + tag + ")" if tag else ""
    return t("{chart} of {q} against training step, one line per variant. {items}", lang,
             chart=t("Line chart", lang), q=facts.q.lower() + which,
             items=alt_join(items + run_end_notes(rec, lang)))
