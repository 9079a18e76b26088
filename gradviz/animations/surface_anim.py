"""Optimizers racing on a loss surface; each frame advances every path by the
same number of steps (kind = "surface")."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from matplotlib.lines import Line2D

from .. import style
from ..figures.layout import legend, title
from ..i18n import N_, t
from ..panels.axes import line_scale
from ..panels.markers import DIVERGENCE_GID
from ..panels.recording import label
from ..panels.repel import place_tags
from ..panels.surface import draw_surface
from .scene import Scene, frame_indices, frame_text

NAME = "surface_anim"
SEEDS = "one"        # one named seed (option ``seed``), never a median
REQUIRES = ("path", "surface_xs", "surface_ys", "surface_z")
TITLE = N_("Optimizers on a loss surface, step by step")
CAPTION = N_(
    "Optimizers racing on the {surface} loss surface, one colour per optimizer; each frame "
    "advances every optimizer by the same number of steps."
)


@dataclass(frozen=True)
class Facts:
    surface: str        # the surface's name


def compose(fig, rec, *, lang="en", frames=100, tail=None, levels=16):
    """Optimizers moving on the loss surface; each frame advances every path
    by the same number of steps. ``frames``: number of frames (≤ steps);
    ``tail``: draw only the last ``tail`` steps of each path (None = whole path)."""
    ax = fig.add_subplot()
    drawn = draw_surface(ax, rec, lang=lang, paths=False, levels=levels)
    cb = fig.colorbar(drawn.contour, ax=ax, pad=0.02, aspect=30)
    cb.set_label(t("loss surface (log-spaced contours)", lang))
    ax.set_aspect("equal", adjustable="box")
    Pth = np.asarray(rec.get("path"), dtype=float)
    V, S, _ = Pth.shape
    fidx = frame_indices(S, frames)
    xs = np.asarray(rec.get("surface_xs"), dtype=float)
    ys = np.asarray(rec.get("surface_ys"), dtype=float)
    x0, x1, y0, y1 = xs[0], xs[-1], ys[0], ys[-1]
    lines, heads, xmarks, halos, tags = [], [], [], [], []
    bad_at = []
    for v in range(V):
        c = style.variant_color(v)
        width, dash = trail_style(v, V)
        p = Pth[v]
        fin = np.all(np.isfinite(p), 1)
        inside = fin & (p[:, 0] >= x0) & (p[:, 0] <= x1) & (p[:, 1] >= y0) & (p[:, 1] <= y1)
        bad = np.nonzero(~inside)[0]
        bad_at.append(int(bad[0]) if bad.size else S)
        (halo,) = ax.plot([], [], color="white", linewidth=(width + 1.6) * line_scale(ax),
                          alpha=0.55, zorder=2, animated=True)
        (ln,) = ax.plot([], [], color=c, linewidth=width * line_scale(ax), linestyle=dash,
                        zorder=3 + 0.01 * v, animated=True)
        tag = ax.annotate(label(rec, v), xy=(p[0, 0], p[0, 1]), xytext=(8, 8),
                          textcoords="offset points", fontsize="x-small", fontweight="bold",
                          color=style.title_color(v), zorder=8, animated=True,
                          bbox=dict(boxstyle="round,pad=0.12", fc="white", ec="none", alpha=0.75))
        tags.append(tag)
        (hd,) = ax.plot([], [], marker="o", color=c, markeredgecolor="black", markersize=9,
                        zorder=6, linestyle="none", animated=True)
        (xm,) = ax.plot([], [], marker="X", color=style.NONFINITE, markeredgecolor="white",
                        markersize=12, zorder=7, linestyle="none", animated=True)
        xm.set_gid(DIVERGENCE_GID)
        lines.append(ln)
        heads.append(hd)
        xmarks.append(xm)
        halos.append(halo)
        ax.plot(p[0, 0], p[0, 1], marker="o", color="white", markeredgecolor="black", markersize=8,
                zorder=4, linestyle="none")
    hs = [(Line2D([], [], color=style.variant_color(v), linewidth=trail_style(v, V)[0],
                  linestyle=trail_style(v, V)[1]), label(rec, v)) for v in range(V)]
    hs += drawn.handles
    if any(b < S for b in bad_at):
        hs.append((Line2D([], [], marker="X", color=style.NONFINITE, linestyle="none",
                          markeredgecolor="white", markersize=9),
                   t("NaN/Inf", lang) + " / " + t("left the plot", lang)))
    legend(fig, hs)
    name = str(rec.meta.get("surface", ""))
    title(fig, t(TITLE, lang) + (f" — {name}" if name else ""))
    ftxt = frame_text(fig, lang, ax)

    start = Pth[:, 0, :]

    def update(k):
        s = int(fidx[k])
        ftxt.set_text(t("step {n}", lang, n=s))
        drawn = []
        for v in range(V):
            stop = min(s + 1, bad_at[v])
            lo = 0 if tail is None else max(0, stop - int(tail))
            q = Pth[v, lo:stop]
            lines[v].set_data(q[:, 0], q[:, 1])
            halos[v].set_data(q[:, 0], q[:, 1])
            drawn.append(q)
            if len(q):
                heads[v].set_data([q[-1, 0]], [q[-1, 1]])
                tags[v].xy = (float(np.clip(q[-1, 0], x0, x1)), float(np.clip(q[-1, 1], y0, y1)))
            if s >= bad_at[v] and len(q):
                xmarks[v].set_data([np.clip(q[-1, 0], x0, x1)], [np.clip(q[-1, 1], y0, y1)])
            else:
                xmarks[v].set_data([], [])
        _place(ax, tags, drawn, start)
    artists = halos + lines + heads + xmarks + tags + [ftxt]
    return Scene(len(fidx), artists, update, Facts(name))


def _place(ax, tags, drawn, start) -> None:
    """Every tag beside its marker, clear of the other tags, the markers and the trails."""
    tr = ax.transData
    anchors = [tr.transform(tag.xy) if len(q) else None for tag, q in zip(tags, drawn)]
    markers = [a for a in anchors if a is not None] + list(tr.transform(start[np.all(np.isfinite(start), 1)]))
    pts = [q[np.all(np.isfinite(q), 1)][:: max(1, len(q) // 150)] for q in drawn if len(q)]
    trails = tr.transform(np.concatenate(pts)) if pts and sum(map(len, pts)) else None
    place_tags(ax, tags, anchors, markers, trails)


#: Trails that start together must not hide each other: the first drawn is the
#: widest and solid, later ones thinner with their own dash pattern on top.
DASHES = ("-", (0, (5, 2)), (0, (1.5, 1.5)), (0, (6, 2, 1.5, 2)), (0, (3, 1)), (0, (8, 3)))


def trail_style(v: int, n: int) -> tuple[float, object]:
    """Line width (points at the web size) and dash pattern of trail ``v`` of ``n``."""
    width = 4.2 - 2.6 * v / max(n - 1, 1)
    return width, DASHES[v % len(DASHES)]


def caption(facts: Facts, lang: str) -> str:
    return t(CAPTION, lang, surface=facts.surface)


CHANGES = N_("Each optimizer's marker moves along its path across the contour map, leaving a labelled "
             "trail; the counter gives the step.")


def changes(rec, facts: Facts, lang: str) -> str:
    """What changes from frame to frame (for the alt text)."""
    return t(CHANGES, lang)
