"""Accuracy during training: minibatch and validation accuracy per variant,
the chance level, and the events of the loss figure."""
from __future__ import annotations

from ..i18n import N_, t
from .training_curves import CurveFacts, alt_curve, compose_curves

NAME = "accuracy"
REQUIRES = ("acc",)
TITLE = N_("Accuracy during training")
CAPTION = N_(
    "Training accuracy on the current minibatch (solid) and validation accuracy (dashed, circles) "
    "for each variant; the dotted grey line is the accuracy of guessing. Markers show events: ■ "
    "early stopping, ★ best validation epoch, ✕ (magenta) the first step with NaN or Inf values."
)


def compose(fig, rec, *, lang="en") -> CurveFacts:
    """Training (minibatch) and validation accuracy per variant, chance level and events."""
    return compose_curves(fig, rec, lang, "accuracy", False, None, TITLE, t("Accuracy", lang))


def caption(facts: CurveFacts, lang: str) -> str:
    return t(CAPTION, lang)


def alt(rec, facts: CurveFacts, lang: str) -> str:
    return alt_curve(rec, facts, lang, pct=True)
