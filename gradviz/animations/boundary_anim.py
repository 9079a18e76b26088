"""Each variant's decision boundary (panels) changing over training, one frame
per recorded step."""
from __future__ import annotations

import matplotlib as mpl
import numpy as np
from matplotlib.patches import Patch

from .. import style
from ..figures.layout import axis_labels, grid, legend, title, variant_title, wrap
from ..i18n import N_, t
from ..panels.boundary import boundary_rgb, class_color, draw_boundary
from ..panels.recording import accuracy_at, first_nonfinite, n_variants, stop_text
from .scene import Scene, frame_indices, frame_text, last_reached, step_label

NAME = "boundary_anim"
SEEDS = "one"        # one named seed (option ``seed``), never a median
REQUIRES = ("boundary_class", "boundary_conf", "boundary_xs", "boundary_ys")
TITLE = N_("Decision boundary during training")
CAPTION = N_(
    "The decision boundary of each variant (panels) changing over training, one frame per recorded "
    "step. Paler colour means less confident."
)


def compose(fig, rec, *, lang="en", frames=None, points=True, conf_levels=8):
    """Each variant's decision boundary (panels) over the recorded steps.

    ``conf_levels``: confidence is shown in this many shades (fewer = smaller GIF).
    """
    V = n_variants(rec)
    bc = rec.get("boundary_class")
    bf = rec.get("boundary_conf")
    R = bc.shape[1]
    classes = int(rec.meta.get("classes") or (int(np.nanmax(bc)) + 1))
    fidx = frame_indices(R, frames)
    fig.set_layout_engine("compressed")
    axs, rows, cols = grid(fig, V, sharex=True, sharey=True, max_cols=3)
    imgs, accs, scats = [], [], []
    for v, ax in enumerate(axs):
        drawn = draw_boundary(ax, rec, v, record=0, lang=lang, points=points)
        drawn.image.set_animated(True)
        imgs.append(drawn.image)
        if drawn.scatter is not None:
            drawn.scatter.set_animated(True)
            scats.append(drawn.scatter)
        variant_title(ax, rec, v)
        accs.append(ax.text(0.03, 0.04, "", transform=ax.transAxes, ha="left", va="bottom",
                            fontsize="small", fontweight="bold", animated=True,
                            bbox=dict(boxstyle="round,pad=0.2", fc="white", ec="none", alpha=0.75)))
    axis_labels(fig, axs, rows, cols, t("Feature x₁", lang), t("Feature x₂", lang), shared=False)
    hs = [(Patch(facecolor=class_color(k), edgecolor="black", linewidth=0.4),
           t("class {n}", lang, n=k + 1)) for k in range(classes)]
    hs.append((Patch(facecolor="white", edgecolor="none"), t("paler = less confident", lang)))
    legend(fig, hs, loc="outside lower center", ncols=len(hs))
    title(fig, t(TITLE, lang))
    ftxt = frame_text(fig, lang)
    size = mpl.font_manager.FontProperties(size="small").get_size_in_points()
    chars = max(12, int(0.7 * fig.get_figwidth() / max(cols, 1) * 72 / (0.62 * size)))
    # pre-render the images, quantizing confidence a little so GIF deltas stay small
    conf_ok = np.isfinite(bf).reshape(V, R, -1).any(-1)
    fnf = first_nonfinite(rec)
    has_steps = rec.steps.size == R

    def update(k):
        r = int(fidx[k])
        if has_steps:
            ftxt.set_text(step_label(rec, rec.steps[r], lang))
        else:
            ftxt.set_text(f"{r + 1}/{R}")
        for v in range(V):
            rr = last_reached(conf_ok[v], r)
            rr = max(rr, 0)
            conf = np.round(np.asarray(bf[v, rr], dtype=float) * conf_levels) / conf_levels
            imgs[v].set_data(boundary_rgb(bc[v, rr], conf, classes))
            a = accuracy_at(rec, v, rr) if has_steps else np.nan
            txt = t("acc. {v}", lang, v=style.fmt_pct(a)) if np.isfinite(a) else ""
            col = "black"
            if has_steps and fnf[v] >= 0 and rec.steps[r] >= fnf[v]:
                txt = t("NaN/Inf from step {n}", lang, n=int(fnf[v]))
                col = style.NONFINITE
            elif rr < r:
                txt = (txt + "\n" if txt else "") + stop_text(rec, v, lang)
            accs[v].set_text("\n".join(wrap(line, chars) for line in txt.split("\n")))   # inside its panel
            accs[v].set_color(col)
            accs[v].set_visible(bool(txt))
    artists = imgs + scats + accs + [ftxt]
    return Scene(len(fidx), artists, update, None)


def caption(facts, lang: str) -> str:
    return t(CAPTION, lang)


CHANGES = N_("From step 0 to step {last}, the coloured class regions of each panel change shape as the "
             "network learns; the training points stay fixed.")


def changes(rec, facts, lang: str) -> str:
    """What changes from frame to frame (for the alt text)."""
    return t(CHANGES, lang, last=int(rec.steps[-1]) if rec.steps.size else 0)
