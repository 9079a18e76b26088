"""Loss surfaces of an optimizer race: log-spaced filled contours, the minimum,
and every optimizer's path up to where it left the plot or became non-finite."""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from matplotlib import colors as mcolors
from matplotlib.lines import Line2D

from .. import style
from ..i18n import t
from .axes import line_scale, mpl_cmap
from .markers import DIVERGENCE_GID
from .recording import label
from .result import Drawn


@dataclass
class SurfaceDrawn(Drawn):
    """:func:`draw_surface`: the contour set (for a colour bar), the value
    subtracted before the log scale, ``(label, final loss, left the plot, stop)``
    per path, and the path and head artists."""
    contour: object = None
    zmin: float = 0.0
    items: list = field(default_factory=list)
    lines: list = field(default_factory=list)
    heads: list = field(default_factory=list)


def surface_levels(z, n: int = 16, zmin=None):
    """Log-spaced contour levels from near the minimum to the maximum of ``z``
    (``zmin``: the surface's true minimum value when known, else the grid's)."""
    z = np.asarray(z, dtype=float)
    fin = z[np.isfinite(z)]
    if fin.size == 0:
        return np.array([0.0, 1.0]), 0.0
    zmax = float(fin.max())
    zmin = float(fin.min()) if zmin is None else min(float(zmin), float(fin.min()))
    span = zmax - zmin
    if span <= 0:
        return np.array([zmin - 0.5, zmin + 0.5]), zmin
    lo = span * 1e-4
    above = fin[fin - zmin > 0] - zmin
    if above.size:
        lo = max(lo, float(above.min()))
    return zmin + np.logspace(np.log10(lo), np.log10(span), n), zmin


def _contours(ax, xs, ys, z, lv, zmin):
    norm = mcolors.LogNorm(vmin=lv[0] - zmin, vmax=lv[-1] - zmin) if lv[0] > zmin else None
    zz = np.clip(z, lv[0], None)
    cmap = mpl_cmap(style.MAGNITUDE_CMAP)
    if norm is None:
        return ax.contourf(xs, ys, zz, levels=lv, cmap=cmap, zorder=0)
    cf = ax.contourf(xs, ys, zz - zmin, levels=lv - zmin, norm=norm, cmap=cmap, alpha=0.5,
                     extend="neither", zorder=0)
    ax.contour(xs, ys, zz - zmin, levels=lv - zmin, colors="#5A5A5A", linewidths=0.35 * line_scale(ax),
               alpha=0.5, zorder=1)
    return cf


def _minimum(ax, rec, xs, ys, z):
    """A + at the surface's minimum (the declared one, else the grid's); returns its artist."""
    mn = rec.meta.get("surface_minimum")
    if mn is not None and len(mn) == 2 and np.all(np.isfinite(np.asarray(mn, dtype=float))):
        mx, my = float(mn[0]), float(mn[1])
    else:
        gi = np.unravel_index(np.nanargmin(z), z.shape)
        mx, my = xs[gi[1]], ys[gi[0]]
    ax.plot(mx, my, marker="+", color="white", markersize=14 * line_scale(ax),
            markeredgewidth=2.5 * line_scale(ax), zorder=5, linestyle="none")
    (mk,) = ax.plot(mx, my, marker="+", color="black", markersize=12 * line_scale(ax),
                    markeredgewidth=1.2 * line_scale(ax), zorder=5, linestyle="none")
    return mk


def _path(ax, rec, v, p, final_loss, n, box, drawn: SurfaceDrawn, lang):
    """One optimizer's path ``p`` (first ``n`` steps) inside ``box`` = (x0, x1, y0, y1)."""
    x0, x1, y0, y1 = box
    c = style.variant_color(v)
    fin = np.all(np.isfinite(p), 1)
    inside = fin & (p[:, 0] >= x0) & (p[:, 0] <= x1) & (p[:, 1] >= y0) & (p[:, 1] <= y1)
    # draw up to the first point that left the plot or became non-finite
    bad = np.nonzero(~inside)[0]
    stop = int(bad[0]) if bad.size else n
    q = p[:stop]
    (ln,) = ax.plot(q[:, 0], q[:, 1], color=c, linewidth=1.8 * line_scale(ax), zorder=3,
                    marker="." if stop <= 60 else None, markersize=3 * line_scale(ax),
                    solid_capstyle="round")
    ax.plot(q[:, 0], q[:, 1], color="white", linewidth=3.6 * line_scale(ax), zorder=2,
            alpha=0.55)
    drawn.lines.append(ln)
    if len(q):
        ax.plot(q[0, 0], q[0, 1], marker="o", color="white", markeredgecolor="black",
                markersize=8 * line_scale(ax), zorder=4, linestyle="none")
        (hd,) = ax.plot(q[-1, 0], q[-1, 1], marker="^", color=c, markeredgecolor="black",
                        markersize=9 * line_scale(ax), zorder=6, linestyle="none")
        drawn.heads.append(hd)
    drawn.handles.append((Line2D([], [], color=c, linewidth=2.5), label(rec, v)))
    final = final_loss[stop - 1] if final_loss is not None and stop > 0 else np.nan
    drawn.items.append((label(rec, v), final, stop < n, stop))
    if stop < n:
        nonfin = not fin[stop]
        last = q[-1] if len(q) else p[0]
        at = (np.clip(last[0], x0, x1), np.clip(last[1], y0, y1))
        (m,) = ax.plot(*at, marker="X", color=style.NONFINITE, markeredgecolor="white",
                       markersize=11 * line_scale(ax), zorder=7, linestyle="none")
        m.set_gid(DIVERGENCE_GID)
        msg = (t("NaN/Inf from step {n}", lang, n=stop) if nonfin
               else t("left the plot at step {n}", lang, n=stop))
        ax.annotate(msg, xy=at, xytext=(8, -10), textcoords="offset points", color=style.NONFINITE,
                    fontsize="x-small", fontweight="bold", zorder=8,
                    bbox=dict(boxstyle="round,pad=0.15", fc="white", ec="none", alpha=0.85))
        drawn.diverged[v] = stop
        if nonfin:
            drawn.nonfinite += int((~fin[stop:]).sum())


def draw_surface(ax, rec, *, lang: str = "en", upto=None, levels: int = 16, paths: bool = True,
                 colorbar_ax=None) -> SurfaceDrawn:
    """Filled log-spaced contours of ``surface_z`` and every optimizer path (first ``upto`` steps)."""
    xs = np.asarray(rec.get("surface_xs"), dtype=float)
    ys = np.asarray(rec.get("surface_ys"), dtype=float)
    z = np.asarray(rec.get("surface_z"), dtype=float)
    lv, zmin = surface_levels(z, levels, rec.meta.get("surface_min_value"))
    cf = _contours(ax, xs, ys, z, lv, zmin)
    mk = _minimum(ax, rec, xs, ys, z)
    drawn = SurfaceDrawn(contour=cf, zmin=zmin)
    if paths and "path" in rec:
        P = np.asarray(rec.get("path"), dtype=float)
        PL = np.asarray(rec.get("path_loss"), dtype=float) if "path_loss" in rec else None
        V, S, _ = P.shape
        n = S if upto is None else min(int(upto) + 1, S)
        for v in range(V):
            _path(ax, rec, v, P[v, :n], None if PL is None else PL[v], n, (xs[0], xs[-1], ys[0], ys[-1]),
                  drawn, lang)
    drawn.handles.append((Line2D([], [], marker="o", color="white", markeredgecolor="black",
                                 linestyle="none", markersize=8), t("start", lang)))
    drawn.handles.append((mk, t("minimum", lang)))
    ax.set_xlim(xs[0], xs[-1])
    ax.set_ylim(ys[0], ys[-1])
    ax.set_xlabel("w₁")
    ax.set_ylabel("w₂")
    ax.grid(False)
    return drawn
