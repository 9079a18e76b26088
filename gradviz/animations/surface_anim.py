"""Optimizers racing on a loss surface; each frame advances every path by the
same number of steps (kind = "surface")."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from matplotlib import transforms as mtransforms
from matplotlib.lines import Line2D

from .. import style
from ..figures.layout import legend, title
from ..i18n import N_, t
from ..panels.axes import line_scale
from ..panels.markers import DIVERGENCE_GID
from ..panels.recording import label
from ..panels.repel import place_tags
from ..panels.paths import path_state
from ..panels.surface import busy_paths, draw_order, draw_surface, race_colors, surface_colorbar, surface_name
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
    with style.palette_context(race_colors(rec)):
        return _compose(fig, rec, lang, frames, tail, levels)


def _compose(fig, rec, lang, frames, tail, levels):
    ax = fig.add_subplot()
    drawn = draw_surface(ax, rec, lang=lang, paths=False, levels=levels)
    cb = surface_colorbar(fig, ax, drawn.contour)
    cb.set_label(t("loss surface (log-spaced contours)", lang))
    ax.set_aspect("equal", adjustable="box")
    Pth = np.asarray(rec.get("path"), dtype=float)
    V, S, _ = Pth.shape
    fidx = frame_indices(S, frames)
    xs = np.asarray(rec.get("surface_xs"), dtype=float)
    ys = np.asarray(rec.get("surface_ys"), dtype=float)
    box = (xs[0], xs[-1], ys[0], ys[-1])
    states = [path_state(Pth[v], box) for v in range(V)]
    busy = busy_paths(states, box)
    order = draw_order(states)
    lines, heads, xmarks, halos, tags = [], [], [], [], []
    cols = [style.variant_color(v) for v in range(V)]     # update() runs outside the palette context
    for v in range(V):
        c = style.variant_color(v)
        width, dash = trail_style(v, V)
        alpha = 0.6 if busy[v] else 1.0
        width = min(width, 1.6) if busy[v] else width
        p = Pth[v]
        (halo,) = ax.plot([], [], color="white", linewidth=(width + 1.6) * line_scale(ax),
                          alpha=0.25 if busy[v] else 0.55, zorder=2 + 0.01 * order[v], animated=True)
        (ln,) = ax.plot([], [], color=c, linewidth=width * line_scale(ax), linestyle=dash, alpha=alpha,
                        zorder=3 + 0.01 * order[v], animated=True)
        tag = ax.annotate(label(rec, v), xy=(p[0, 0], p[0, 1]), xytext=(8, 8),
                          textcoords="offset points", fontsize="x-small", fontweight="bold",
                          color=style.title_color(v), zorder=8, animated=True,
                          bbox=dict(boxstyle="round,pad=0.12", fc="white", ec="none", alpha=0.75))
        tags.append(tag)
        (hd,) = ax.plot([], [], marker="o", color=c, markeredgecolor="black", markersize=9,
                        zorder=6 + 0.01 * order[v], linestyle="none", animated=True, clip_on=False)
        (xm,) = ax.plot([], [], marker="X", color=style.NONFINITE, markeredgecolor="white",
                        markersize=12, zorder=7, linestyle="none", animated=True, clip_on=False)
        xm.set_gid(DIVERGENCE_GID)
        lines.append(ln)
        heads.append(hd)
        xmarks.append(xm)
        halos.append(halo)
        ax.plot(p[0, 0], p[0, 1], marker="o", color="white", markeredgecolor="black", markersize=8,
                zorder=4, linestyle="none")
    legend(fig, _handles(rec, states, V, lang) + drawn.handles)
    name = str(rec.meta.get("surface", ""))
    title(fig, t(TITLE, lang) + (f" — {surface_name(name, lang)}" if name else ""))
    ftxt = frame_text(fig, lang, ax)
    free_corner(ftxt, ax, Pth, box)
    leaders = [ax.plot([], [], color=style.title_color(v), linewidth=0.8, zorder=7.5, animated=True,
                       transform=mtransforms.IdentityTransform())[0] for v in range(V)]
    start = Pth[:, 0, :]

    def update(k):
        s = int(fidx[k])
        ftxt.set_text(t("step {n}", lang, n=s))
        shown = []
        for v in range(V):
            lo = 0 if tail is None else max(0, s + 1 - int(tail))
            st = path_state(Pth[v, lo:s + 1], box)
            lines[v].set_data(st.drawn[:, 0], st.drawn[:, 1])
            halos[v].set_data(st.drawn[:, 0], st.drawn[:, 1])
            shown.append(st.drawn)
            if st.end is not None:
                out = st.outside_from is not None
                heads[v].set_data([st.end[0]], [st.end[1]])
                heads[v].set_markerfacecolor("none" if out else cols[v])
                heads[v].set_markeredgecolor(cols[v] if out else "black")
                heads[v].set_markeredgewidth(2.5 if out else 1.0)
                tags[v].xy = (float(st.end[0]), float(st.end[1]))
            else:
                heads[v].set_data([], [])
            if st.nonfinite and st.end is not None:
                xmarks[v].set_data([st.end[0]], [st.end[1]])
            else:
                xmarks[v].set_data([], [])
        _place(ax, tags, shown, start, leaders)
    artists = halos + lines + heads + xmarks + leaders + tags + [ftxt]
    return Scene(len(fidx), artists, update, Facts(surface_name(name, lang)))


def _handles(rec, states, V, lang) -> list:
    """One legend entry per trail, plus NaN/Inf and "left the plot" when a path does so."""
    hs = [(Line2D([], [], color=style.variant_color(v), linewidth=trail_style(v, V)[0],
                  linestyle=trail_style(v, V)[1]), label(rec, v)) for v in range(V)]
    if any(st.nonfinite for st in states):
        hs.append((Line2D([], [], marker="X", color=style.NONFINITE, linestyle="none",
                          markeredgecolor="white", markersize=9), t("NaN/Inf", lang)))
    if any(_ever_outside(st, rec, v) for v, st in enumerate(states)):
        hs.append((Line2D([], [], marker="o", markerfacecolor="none", markeredgecolor=style.TEXT_MUTED,
                          markeredgewidth=2.5, linestyle="none", markersize=8), t("left the plot", lang)))
    return hs


def _ever_outside(st, rec, v) -> bool:
    """Does the finite part of path ``v`` ever lie outside the plot box?"""
    p = np.asarray(rec.get("path"), dtype=float)[v, : st.finite]
    xs = np.asarray(rec.get("surface_xs"), dtype=float)
    ys = np.asarray(rec.get("surface_ys"), dtype=float)
    return bool(np.any((p[:, 0] < xs[0]) | (p[:, 0] > xs[-1]) | (p[:, 1] < ys[0]) | (p[:, 1] > ys[-1])))


def free_corner(ftxt, ax, paths, box) -> None:
    """Put the step counter in the corner of the axes that the paths cross least
    (top left when tied), so it never covers the start or a name tag."""
    x0, x1, y0, y1 = box
    p = paths.reshape(-1, 2)
    p = p[np.all(np.isfinite(p), 1)]
    fx, fy = (p[:, 0] - x0) / (x1 - x0), (p[:, 1] - y0) / (y1 - y0)
    best = None
    for cx, cy, ha, va in ((0, 1, "left", "top"), (1, 1, "right", "top"), (0, 0, "left", "bottom"),
                           (1, 0, "right", "bottom")):
        near = np.abs(fx - cx) < 0.3
        near &= np.abs(fy - cy) < 0.3
        score = int(near.sum())
        if best is None or score < best[0]:
            best = (score, cx, cy, ha, va)
    _, cx, cy, ha, va = best
    ftxt.set_position((0.02 + 0.96 * cx, 0.02 + 0.96 * cy))
    ftxt.set_ha(ha)
    ftxt.set_va(va)


def _place(ax, tags, drawn, start, leaders) -> None:
    """Every tag beside its marker, clear of the other tags and the markers; a tag
    pushed out of its marker's ring (every race starts at one point) gets a thin
    leader line to it, so each name is tied to its marker."""
    tr = ax.transData
    anchors = [tr.transform(tag.xy) if len(q) else None for tag, q in zip(tags, drawn)]
    markers = [a for a in anchors if a is not None] + list(tr.transform(start[np.all(np.isfinite(start), 1)]))
    # trails are not passed: avoiding them pushed tags 60-80 px from their markers
    # where paths bunch at a minimum; a tag's white box may cover a bit of trail
    boxes = place_tags(ax, tags, anchors, markers, None)
    pt = ax.figure.dpi / 72.0
    for ln, tag, a, b in zip(leaders, tags, anchors, boxes):
        if a is None or b is None or np.hypot(*tag.xyann) <= 10:
            ln.set_data([], [])
            continue
        near = (np.clip(a[0], b[0], b[2]), np.clip(a[1], b[1], b[3]))
        d = np.hypot(near[0] - a[0], near[1] - a[1])
        if d <= 6 * pt:
            ln.set_data([], [])
            continue
        k = 5 * pt / d                       # stop just short of the marker
        ln.set_data([a[0] + k * (near[0] - a[0]), near[0]], [a[1] + k * (near[1] - a[1]), near[1]])


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
