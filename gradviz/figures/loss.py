"""Loss during training: the smoothed dense training trace and the validation
loss per variant, with early stopping, best epoch and divergence marked."""
from __future__ import annotations

from ..i18n import N_, t
from .training_curves import CurveFacts, alt_curve, compose_curves

NAME = "loss"
REQUIRES = ("loss",)
TITLE = N_("Loss during training")
CAPTION = N_(
    "Training loss (solid: minibatch loss, smoothed; faint: raw) and validation loss (dashed, "
    "circles) for each variant. {scale} Markers show events: ■ early stopping, ★ best validation "
    "epoch, ✕ (magenta) the first step with NaN or Inf values."
)


def compose(fig, rec, *, lang="en", logy="auto", smooth=None) -> CurveFacts:
    """Training (smoothed dense trace) and validation loss per variant with event
    markers. ``logy``: "auto" (log when the values span ≥ 30x), True or False;
    ``smooth``: EMA span in steps (default: 1/20 of the run)."""
    return compose_curves(fig, rec, lang, "loss", logy, smooth, TITLE, t("Loss", lang))


def caption(facts: CurveFacts, lang: str) -> str:
    return t(CAPTION, lang, scale=facts.scale)


alt = alt_curve
