"""Labels that follow moving markers without touching each other (issue 11 §10).

A race's name tags sit next to their markers; when paths bunch (every race
starts at one point) fixed offsets pile the tags on top of each other and over
the trails. :func:`place_tags` puts each tag, one after the other, at the
candidate offset around its marker with the most clearance from the tags
already placed, every marker and the drawn trails, staying inside the axes.
Clearance beyond :data:`ENOUGH` pixels counts as plenty, so a tag stays close
to its marker when nothing is near (and does not jump between frames).
"""
from __future__ import annotations

import numpy as np

#: Directions of the candidate offsets (x, y), tried at each radius in RADII.
DIRECTIONS = ((1, 1), (1, -1), (-1, 1), (-1, -1), (0, 1), (0, -1), (1, 0), (-1, 0))
#: Distances from the marker in points: close first, farther out when crowded.
RADII = (8.0, 20.0, 34.0, 50.0)
#: Clearance (pixels) that is as good as any more.
ENOUGH = 6.0


def _anchor(dx, dy) -> tuple[str, str]:
    ha = "left" if dx > 0 else ("right" if dx < 0 else "center")
    va = "bottom" if dy > 0 else ("top" if dy < 0 else "center")
    return ha, va


def _box(px, py, dx, dy, w, h):
    """(x0, y0, x1, y1) of a w × h box anchored at (px, py) on the side (dx, dy)."""
    x0 = px if dx > 0 else (px - w if dx < 0 else px - w / 2)
    y0 = py if dy > 0 else (py - h if dy < 0 else py - h / 2)
    return np.array([x0, y0, x0 + w, y0 + h])


def box_gap(a, b) -> float:
    """Distance between two boxes (negative: the depth of their overlap)."""
    gx = max(b[0] - a[2], a[0] - b[2])
    gy = max(b[1] - a[3], a[1] - b[3])
    if gx < 0 and gy < 0:
        return max(gx, gy)
    return float(np.hypot(max(gx, 0.0), max(gy, 0.0)))


def _point_gap(box, pts) -> float:
    """Smallest distance from ``box`` to any of ``pts`` (n, 2), negative inside."""
    if pts is None or len(pts) == 0:
        return np.inf
    dx = np.maximum(box[0] - pts[:, 0], pts[:, 0] - box[2])
    dy = np.maximum(box[1] - pts[:, 1], pts[:, 1] - box[3])
    inside = (dx < 0) & (dy < 0)
    d = np.where(inside, np.maximum(dx, dy), np.hypot(np.maximum(dx, 0), np.maximum(dy, 0)))
    return float(d.min())


def place_tags(ax, tags, anchors, markers, trails=None, renderer=None) -> list:
    """Move each annotation in ``tags`` (``textcoords="offset points"``) to its best offset.

    ``anchors``: each tag's marker in display pixels (None: tag hidden);
    ``markers``: display pixels of every marker (n, 2) a tag must not cover;
    ``trails``: display pixels of drawn trail points (m, 2), avoided when possible.
    Returns the chosen boxes (display pixels, None for hidden tags).
    """
    fig = ax.figure
    renderer = renderer or fig.canvas.get_renderer()
    pt = fig.dpi / 72.0
    frame = ax.bbox
    markers = np.asarray(markers, dtype=float).reshape(-1, 2)
    trails = None if trails is None or len(trails) == 0 else np.asarray(trails, dtype=float).reshape(-1, 2)
    placed, out = [], []
    for tag, anchor in zip(tags, anchors):
        if anchor is None:
            out.append(None)
            continue
        ext = tag.get_window_extent(renderer)
        w, h = ext.width + 4 * pt, ext.height + 3 * pt          # the white box around the text
        best, best_score = None, -np.inf
        for r in RADII:
            for dx, dy in DIRECTIONS:
                b = _box(anchor[0] + dx * r * pt, anchor[1] + dy * r * pt, dx, dy, w, h)
                clear = min([box_gap(b, p) for p in placed] + [_point_gap(b, markers) - 5 * pt])
                outside = max(frame.x0 - b[0], b[2] - frame.x1, frame.y0 - b[1], b[3] - frame.y1, 0.0)
                trail = _point_gap(b, trails)
                score = (min(clear, ENOUGH) - 4 * outside + 0.25 * min(trail, ENOUGH)
                         - 0.02 * r)                          # near the marker when all else is equal
                if score > best_score:
                    best, best_score = (r, dx, dy, b), score
        r, dx, dy, b = best
        ha, va = _anchor(dx, dy)
        tag.set_ha(ha)
        tag.set_va(va)
        tag.xyann = (dx * r, dy * r)
        placed.append(b)
        out.append(b)
    return out
