"""An optimizer's path against the plot box: clipped where it leaves the box
and drawn again where it re-enters (leaving the view is not diverging), and
marked NaN/Inf only from its first really non-finite step."""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np


def clip_polyline(p, box):
    """The parts of the polyline ``p`` (n, 2) that lie inside ``box`` = (x0, x1, y0, y1),
    with the exact points where it leaves and re-enters the box, pieces separated
    by a NaN row (what matplotlib draws as a gap). A path that leaves the plot and
    comes back is drawn again from where it re-enters (never cut at its first exit)."""
    x0, x1, y0, y1 = box
    p = np.asarray(p, dtype=float).reshape(-1, 2)
    out, last = [], None
    if len(p) == 1 and _inside(p[0], box):
        return p.copy()
    for a, b in zip(p[:-1], p[1:]):
        seg = _clip_segment(a, b, x0, x1, y0, y1)
        if seg is None:
            continue
        s, e = seg
        if last is not None and not _close(last, s):
            out.append((np.nan, np.nan))
        if last is None or not _close(last, s):
            out.append(tuple(s))
        out.append(tuple(e))
        last = e
    return np.array(out, dtype=float).reshape(-1, 2)


def _close(a, b) -> bool:
    """``np.allclose(a, b)`` for two points, in plain floats (called once per segment
    and frame: numpy's version cost an animation most of its frame time)."""
    return all(abs(float(x) - float(y)) <= 1e-8 + 1e-5 * abs(float(y)) for x, y in zip(a, b))


def _inside(pt, box) -> bool:
    x0, x1, y0, y1 = box
    return bool(np.all(np.isfinite(pt)) and x0 <= pt[0] <= x1 and y0 <= pt[1] <= y1)


def _clip_segment(a, b, x0, x1, y0, y1):
    """Liang–Barsky: the part of segment a→b inside the box, or None."""
    d = b - a
    if not (math.isfinite(d[0]) and math.isfinite(d[1])):    # a jump beyond float range: nothing drawable
        return None
    lo, hi = 0.0, 1.0
    for p_, q_ in ((-d[0], a[0] - x0), (d[0], x1 - a[0]), (-d[1], a[1] - y0), (d[1], y1 - a[1])):
        if p_ == 0:
            if q_ < 0:
                return None
            continue
        r = q_ / p_
        if p_ < 0:
            lo = max(lo, r)
        else:
            hi = min(hi, r)
        if lo > hi:
            return None
    return a + lo * d, a + hi * d


@dataclass(frozen=True)
class PathState:
    """How one optimizer's path (its first ``n`` steps) relates to the plot box.

    ``finite``: steps before the first NaN/Inf (``n`` when none); ``outside_from``:
    the step from which a finite path stays outside the box to its end (None when
    its last finite point is inside); ``end``: where its end marker goes (the last
    finite point, or the point where it last left the box); ``drawn``: the clipped
    polyline (:func:`clip_polyline`).
    """
    n: int
    finite: int
    outside_from: int | None
    end: tuple | None
    drawn: np.ndarray

    @property
    def nonfinite(self) -> bool:
        return self.finite < self.n


def path_state(p, box) -> PathState:
    """Classify path ``p`` (n, 2): clipped to ``box``, NaN/Inf only when really non-finite."""
    p = np.asarray(p, dtype=float).reshape(-1, 2)
    n = len(p)
    fin = np.all(np.isfinite(p), 1)
    finite = int(np.argmin(fin)) if not fin.all() else n
    q = p[:finite]
    drawn = clip_polyline(q, box)
    if finite == 0:
        return PathState(n, 0, None, None, drawn)
    x0, x1, y0, y1 = box
    ins = (q[:, 0] >= x0) & (q[:, 0] <= x1) & (q[:, 1] >= y0) & (q[:, 1] <= y1)
    if ins[-1]:
        return PathState(n, finite, None, tuple(q[-1]), drawn)
    inside_idx = np.nonzero(ins)[0]
    out_from = int(inside_idx[-1]) + 1 if inside_idx.size else 0
    good = drawn[np.all(np.isfinite(drawn), 1)]
    end = tuple(good[-1]) if len(good) else (float(np.clip(q[0, 0], x0, x1)), float(np.clip(q[0, 1], y0, y1)))
    return PathState(n, finite, out_from, end, drawn)
