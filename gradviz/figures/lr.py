"""Learning-rate schedule: η at every training step, one line per variant."""
from __future__ import annotations

from ..i18n import N_, t
from ..panels.axes import add_epoch_axis
from ..panels.markers import special_handles
from ..panels.series import draw_lr
from .layout import legend, title
from .notes import scale_sentence
from .training_curves import CurveFacts, alt_curve

NAME = "lr"
REQUIRES = (("trace_lr", "lr"),)
TITLE = N_("Learning-rate schedule")
CAPTION = N_("Learning rate η used at every training step, one line per variant. {scale}")


def compose(fig, rec, *, lang="en", logy=False) -> CurveFacts:
    """Learning rate at every step (``trace_lr``) per variant, held over each step.
    ``logy``: False (default: linear), True, or "auto" (log when it spans ≥ 10x)."""
    ax = fig.add_subplot()
    drawn = draw_lr(ax, rec, lang=lang, logy=logy)
    add_epoch_axis(ax, rec, lang)
    legend(fig, drawn.handles + special_handles(drawn, lang))
    title(fig, t(TITLE, lang))
    return CurveFacts(scale_sentence(drawn.log, lang), t("Learning rate η", lang), drawn.items, drawn)


def caption(facts: CurveFacts, lang: str) -> str:
    return t(CAPTION, lang, scale=facts.scale)


alt = alt_curve
