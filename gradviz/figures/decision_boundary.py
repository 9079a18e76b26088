"""Decision boundary: the class each variant's network predicts on the input
plane, one panel per variant, paler where it is less confident, with the
training points on top (2-D data with ``record.boundary`` > 0)."""
from __future__ import annotations

from dataclasses import dataclass

import matplotlib as mpl
import numpy as np
from matplotlib.patches import Patch

from .. import style
from ..i18n import N_, nt, t
from ..panels.boundary import draw_boundary
from ..panels.recording import accuracy_at, label, n_variants, per_variant, pick_record, stop_steps, when_text
from ..panels.result import Drawn, merge
from ..panels.seeds import n_seeds
from ..panels.labels import keep_formulas
from .layout import axis_labels, grid, legend, title, variant_title, wrap
from .notes import alt_join, diverged_note, run_end_notes

NAME = "decision_boundary"
SEEDS = "one"        # one named seed (option ``seed``), never a median
REQUIRES = ("boundary_class", "boundary_conf", "boundary_xs", "boundary_ys")
TITLE = N_("Decision boundary")
CAPTION = N_(
    "Class predicted by the network at every point of the input plane at {when}, one panel per "
    "variant, with the training points on top. Paler colour means the network is less confident "
    "(lower top softmax probability)."
)


@dataclass(frozen=True)
class Facts:
    when: str
    items: list         # (label, accuracy at the record drawn)
    n_panels: int
    drawn: Drawn


def _panel_notes(ax, lines, cols: int) -> None:
    """Notes stacked upwards from the bottom-left corner of a panel, each wrapped to the
    panel's width and kept out of the layout: a long note ("best epoch 5, stopped at 15
    (best weights shown)") must not push the next panel to the figure's edge."""
    fig = ax.figure
    size = mpl.font_manager.FontProperties(size="small").get_size_in_points()
    chars = max(12, int(0.7 * fig.get_figwidth() / max(cols, 1) * 72 / (0.62 * size)))
    renderer = fig.canvas.get_renderer()
    up = 0.0                                   # points above the corner (layout-independent)
    for txt, col in reversed(lines):
        txt = wrap(txt, chars)
        note = ax.annotate(txt, xy=(0.03, 0.03), xycoords="axes fraction", xytext=(0, up),
                           textcoords="offset points", color=col, fontsize="small", fontweight="bold",
                           ha="left", va="bottom", zorder=6,
                           bbox=dict(boxstyle="round,pad=0.2", fc="white", ec="none", alpha=0.8))
        note.set_in_layout(False)
        up += note.get_window_extent(renderer).height * 72 / fig.dpi + 0.6 * size


def early_stop_note(rec, v: int, lang: str):
    """"best epoch 5, stopped at 15 (best weights shown)" for a variant early stopping ended
    (``best_epoch`` and ``early_stop_epoch`` as recorded), else None."""
    stop = per_variant(rec, "early_stop_epoch", -1)[v]
    if stop < 0:
        return None
    best = per_variant(rec, "best_epoch", -1)[v]
    if best >= 0:
        return t("best epoch {best}, stopped at {stop} (best weights shown)", lang, best=int(best), stop=int(stop))
    return t("stopped at epoch {n}", lang, n=int(stop))


def compose(fig, rec, *, lang="en", step=None, points=True) -> Facts:
    """Predicted class on the input plane, one panel per variant, at ``step``
    (default: each variant's last record); paler = less confident. ``points``:
    draw the training points."""
    V = n_variants(rec)
    fig.set_layout_engine("compressed")
    axs, rows, cols = grid(fig, V, sharex=True, sharey=True, max_cols=3)
    results, items = [], []
    R = rec.get("boundary_class").shape[1]
    rq = None if step is None else pick_record(rec, step=step)
    for v, ax in enumerate(axs):
        drawn = draw_boundary(ax, rec, v, record=rq, lang=lang, points=points)
        r = drawn.record
        acc = accuracy_at(rec, v, r) if rec.steps.size == R else np.nan
        variant_title(ax, rec, v)
        lines = []
        if np.isfinite(acc):
            lines.append((t("acc. {v}", lang, v=style.fmt_pct(acc)), "black"))
        stop_note = early_stop_note(rec, v, lang)
        if stop_note:
            lines.append((stop_note, style.TEXT_MUTED))
        elif rec.steps.size == R and r != R - 1 and rq is None:
            lines.append((t("stopped at step {n}", lang, n=int(stop_steps(rec)[v])), style.TEXT_MUTED))
        note = diverged_note(rec, v, lang)
        if note:
            lines.append((note, style.NONFINITE))
        _panel_notes(ax, lines, cols)
        results.append(drawn)
        items.append((label(rec, v), acc))
    axis_labels(fig, axs, rows, cols, t("Feature x₁", lang), t("Feature x₂", lang), shared=False)
    merged = merge(results)
    note = (Patch(facecolor="white", edgecolor="none"), t("paler = less confident", lang))
    legend(fig, merged.handles + [note], loc="outside lower center", ncols=len(merged.handles) + 1)
    r0 = R - 1 if rq is None else rq
    when = when_text(rec, r0, lang) if rec.steps.size == R else ""
    k, n = rec.meta.get("_seed_summary"), n_seeds(rec)
    seed = t("seed {k} of {n}", lang, k=k, n=n) if n > 1 and isinstance(k, int) else ""
    keep_formulas(fig)
    title(fig, t(TITLE, lang) + "".join(f" — {x}" for x in (when, seed) if x))   # events are this seed's
    return Facts(when, items, V, merged)


def caption(facts: Facts, lang: str) -> str:
    return t(CAPTION, lang, when=facts.when)


def alt(rec, facts: Facts, lang: str) -> str:
    items = [lab + ": " + t("acc. {v}", lang, v=style.fmt_pct(a)) if np.isfinite(a) else lab
             for lab, a in facts.items]
    return nt("{n} map of the input plane, one per variant, coloured by predicted class at {when}, "
              "with training points on top. {items}",
              "{n} maps of the input plane, one per variant, coloured by predicted class at {when}, "
              "with training points on top. {items}",
              facts.n_panels, lang, n=facts.n_panels, when=facts.when,
              items=alt_join(items + run_end_notes(rec, lang)))
