"""Accuracy during training: minibatch and validation accuracy per variant,
the chance level, and the events of the loss figure."""
from __future__ import annotations

from ..i18n import N_, t
from .training_curves import CurveFacts, alt_curve, compose_curves, shown_sentence

NAME = "accuracy"
BANDS = True         # over seeds: the median line and its interquartile band
REQUIRES = ("acc",)
TITLE = N_("Accuracy during training")
CAPTION = N_(
    "{shown} The dotted grey line is the accuracy of guessing. Markers show events: ■ early "
    "stopping, ★ best validation epoch, ✕ (magenta) the first step with NaN or Inf values."
)


def compose(fig, rec, *, lang="en", show="auto") -> CurveFacts:
    """Validation (and training) accuracy per variant, chance level and events. ``show``:
    "auto" (validation only with 4 or more variants), "validation", "training" or "both"."""
    return compose_curves(fig, rec, lang, "accuracy", False, None, TITLE, t("Accuracy", lang), show)


def caption(facts: CurveFacts, lang: str) -> str:
    return t(CAPTION, lang, shown=shown_sentence(facts, lang))


def alt(rec, facts: CurveFacts, lang: str) -> str:
    return alt_curve(rec, facts, lang, pct=True)
