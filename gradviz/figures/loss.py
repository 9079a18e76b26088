"""Loss during training: the smoothed dense training trace and the validation
loss per variant, with early stopping, best epoch and divergence marked."""
from __future__ import annotations

from ..i18n import N_, t
from .training_curves import CurveFacts, alt_curve, compose_curves, shown_sentence

NAME = "loss"
BANDS = True         # over seeds: the median line and its interquartile band
REQUIRES = ("loss",)
TITLE = N_("Loss during training")
CAPTION = N_(
    "{shown} {scale} Markers show events: ■ early stopping, ★ best validation epoch, ✕ (magenta) "
    "the first step with NaN or Inf values."
)


def compose(fig, rec, *, lang="en", logy="auto", smooth=None, show="auto") -> CurveFacts:
    """Validation loss per variant (and the smoothed training trace) with event
    markers. ``logy``: "auto" (log when the values span ≥ 30x), True or False;
    ``smooth``: EMA span in steps (default: 1/20 of the run); ``show``: "auto"
    (validation only with 4 or more variants), "validation", "training" or "both"."""
    return compose_curves(fig, rec, lang, "loss", logy, smooth, TITLE, t("Loss", lang), show)


def caption(facts: CurveFacts, lang: str) -> str:
    return t(CAPTION, lang, scale=facts.scale, shown=shown_sentence(facts, lang))


alt = alt_curve
