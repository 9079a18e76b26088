"""Text that collides: what a reader would see as two words run together.

:func:`collisions` lists, for a drawn figure, every pair of text artists whose
window extents overlap (tick label on tick label, axis label on tick label,
note on legend ...), every text drawn across a visible spine, every text over a
bar, and every text that sticks out of the figure (it would be clipped). Used
by the test that renders every figure in every language (tests/figures/
test_text_collisions.py) and usable on any Figure a notebook builds.

A text meant to sit on a bar (a value printed inside it) carries the gid
:data:`ON_BAR`; texts of one legend are laid out by matplotlib and count as one
box (the legend's).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from matplotlib.patches import Rectangle
from matplotlib.text import Text
from matplotlib.transforms import Bbox

#: gid of a text deliberately drawn on a bar (the check lets it overlap bars).
ON_BAR = "gradviz-on-bar"
#: Overlap (pixels, both directions) below which two boxes only touch.
TOLERANCE = 0.5


@dataclass(frozen=True)
class Collision:
    kind: str       # "text/text", "text/spine", "text/bar", "clipped"
    a: str
    b: str

    def __str__(self) -> str:
        return f"{self.kind}: {self.a!r} / {self.b!r}"


def _shown(a) -> bool:
    while a is not None:
        if not a.get_visible() or (a.get_alpha() is not None and a.get_alpha() == 0):
            return False
        a = getattr(a, "axes", None) if a is not getattr(a, "axes", None) else None
    return True


def _tick_labels(axis, renderer):
    """The tick labels the last draw showed: ticks placed inside the view whose label
    sits within the axes' span along its axis (a tick left over from an earlier
    draw keeps its text but is not drawn)."""
    ax = axis.axes
    horiz = axis is ax.xaxis
    vlo, vhi = sorted(axis.get_view_interval())
    tol = 1e-9 * max(vhi - vlo, abs(vhi), 1e-300)
    lo, hi = (ax.bbox.x0, ax.bbox.x1) if horiz else (ax.bbox.y0, ax.bbox.y1)
    out = []
    for tick in axis.get_major_ticks() + axis.get_minor_ticks():
        loc = tick.get_loc()
        if loc is None or not (vlo - tol <= loc <= vhi + tol) or not tick.get_visible():
            continue
        for lab in (tick.label1, tick.label2):
            if not (lab.get_visible() and lab.get_text().strip()):
                continue
            bb = lab.get_window_extent(renderer)
            mid = 0.5 * (bb.x0 + bb.x1) if horiz else 0.5 * (bb.y0 + bb.y1)
            if lo - 1 <= mid <= hi + 1:
                out.append(lab)
    return out


def _all_axes(fig):
    axes = [ax for ax in fig.axes if ax.get_visible()]
    for ax in list(axes):
        axes += [c for c in ax.child_axes if c.get_visible()]
    return axes


def texts(fig, renderer) -> list[tuple[str, object]]:
    """``(owner, artist)`` of every visible, non-empty text (a legend as one box)."""
    out = []
    for ax in _all_axes(fig):
        for axis in (ax.xaxis, ax.yaxis) if ax.axison else ():      # axis("off"): none drawn
            out += [("tick", t) for t in _tick_labels(axis, renderer)]
            out += [("label", t) for t in (axis.label, axis.get_offset_text())]
        out += [("title", t) for t in (ax.title, ax._left_title, ax._right_title)]
        out += [("note", t) for t in ax.texts]
        if ax.get_legend() is not None:
            out.append(("legend", ax.get_legend()))
    out += [("figtext", t) for t in fig.texts]
    out += [("figtext", t) for t in (fig._suptitle, fig._supxlabel, fig._supylabel) if t is not None]
    out += [("legend", leg) for leg in fig.legends]
    keep, seen = [], set()
    for owner, a in out:
        if id(a) in seen or not _shown(a) or a.get_animated():
            continue
        seen.add(id(a))
        if isinstance(a, Text) and not a.get_text().strip():
            continue
        keep.append((owner, a))
    return keep


def _name(a) -> str:
    if isinstance(a, Text):
        return a.get_text()
    return type(a).__name__


def _overlap(a, b, tol=TOLERANCE) -> bool:
    return (min(a.x1, b.x1) - max(a.x0, b.x0) > tol) and (min(a.y1, b.y1) - max(a.y0, b.y0) > tol)


def _bars(fig, renderer):
    """Window boxes of the bars (``bar``/``barh``), clipped to their axes."""
    out = []
    for ax in _all_axes(fig):
        for cont in ax.containers:
            for p in getattr(cont, "patches", ()) or ():
                if not isinstance(p, Rectangle) or not p.get_visible() or not p.get_fill():
                    continue
                bb = p.get_window_extent(renderer)
                if p.get_clip_on():
                    bb = Bbox.intersection(bb, ax.bbox)
                if bb is not None and bb.width > 0 and bb.height > 0:
                    out.append(bb)
    return out


def _spines(fig, renderer):
    out = []
    for ax in _all_axes(fig):
        for name, sp in ax.spines.items() if ax.axison else ():
            if sp.get_visible():
                out.append((f"{name} spine", sp.get_window_extent(renderer)))
    return out


def collisions(fig, renderer=None) -> list[Collision]:
    """Every collision of the drawn ``fig`` (drawn once here if it was not)."""
    if renderer is None:
        fig.canvas.draw()
        renderer = fig.canvas.get_renderer()
    items = [(owner, a, a.get_window_extent(renderer)) for owner, a in texts(fig, renderer)]
    out = []
    W, H = fig.bbox.width, fig.bbox.height
    for i, (own, a, bb) in enumerate(items):
        if bb.x0 < -1 or bb.y0 < -1 or bb.x1 > W + 1 or bb.y1 > H + 1:
            out.append(Collision("clipped", _name(a), f"figure {W:.0f}×{H:.0f}"))
        for own2, b, bb2 in items[i + 1:]:
            if _overlap(bb, bb2):
                out.append(Collision("text/text", _name(a), _name(b)))
    notes = [(a, bb) for own, a, bb in items if own in ("note", "figtext", "legend", "title")]
    for a, bb in notes:
        for name, sp in _spines(fig, renderer):
            if _overlap(bb, sp, tol=0.0):
                out.append(Collision("text/spine", _name(a), name))
    bars = _bars(fig, renderer)
    for own, a, bb in items:
        if getattr(a, "get_gid", lambda: None)() == ON_BAR or own == "legend":
            continue
        for bar in bars:
            if _overlap(bb, bar, tol=1.0):
                out.append(Collision("text/bar", _name(a), "bar"))
                break
    return out

