"""Sentences several figures share: a panel's divergence note, the run-end notes
of alt texts, the scale sentence of captions, joining alt-text items."""
from __future__ import annotations

from ..i18n import t
from ..panels.recording import first_nonfinite, label, per_variant


def diverged_note(rec, v, lang) -> str | None:
    """"NaN/Inf from step N" for a variant that diverged, else None."""
    fnf = first_nonfinite(rec)[v]
    return t("NaN/Inf from step {n}", lang, n=int(fnf)) if fnf >= 0 else None


def alt_join(items) -> str:
    """Alt-text items joined with semicolons, ending with a full stop."""
    return "; ".join(i for i in items if i) + ("." if items else "")


def run_end_notes(rec, lang) -> list[str]:
    """One note per variant that diverged or stopped early, for alt texts."""
    out = []
    for v, s in enumerate(first_nonfinite(rec)):
        if s >= 0:
            out.append(label(rec, v) + ": " + t("NaN/Inf from step {n}", lang, n=int(s)))
    best = per_variant(rec, "best_epoch", -1)
    for v, e in enumerate(per_variant(rec, "early_stop_epoch", -1)):
        if e >= 0 and best[v] >= 0:
            out.append(label(rec, v) + ": " + t("best epoch {best}, stopped at epoch {stop}", lang,
                                                best=int(best[v]), stop=int(e)))
        elif e >= 0:
            out.append(label(rec, v) + ": " + t("early stop, epoch {n}", lang, n=int(e)))
    return out


def scale_sentence(log: bool, lang: str) -> str:
    """The caption's sentence about the vertical axis."""
    return t("The vertical axis is logarithmic.", lang) if log else t("The vertical axis is linear.", lang)
