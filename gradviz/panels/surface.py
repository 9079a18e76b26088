"""Loss surfaces of an optimizer race: log-spaced filled contours, the minimum,
and every optimizer's path clipped to the plot (re-entries drawn), up to where it
became non-finite."""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from matplotlib import colors as mcolors
from matplotlib.lines import Line2D
from matplotlib.ticker import FuncFormatter, LogFormatterSciNotation, LogLocator, NullLocator

from .. import style
from ..i18n import N_, t
from .axes import line_scale, mpl_cmap
from .markers import DIVERGENCE_GID
from .paths import PathState, path_state
from .recording import first_nonfinite, label
from .result import Drawn


@dataclass
class SurfaceDrawn(Drawn):
    """:func:`draw_surface`: the contour set (for a colour bar), the value
    subtracted before the log scale, ``(label, final loss, kind, step)`` per path
    (kind "" = ends inside the plot, "nonfinite" = NaN/Inf from ``step``,
    "outside" = outside the plot from ``step`` to its end), and the path and
    head artists."""
    contour: object = None
    zmin: float = 0.0
    items: list = field(default_factory=list)
    path_nonfinite: bool = False
    path_outside: bool = False
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
    cf.gradviz_shift = zmin      # the colour scale is log10(loss − zmin): its bar labels loss values
    ax.contour(xs, ys, zz - zmin, levels=lv - zmin, colors="#5A5A5A", linewidths=0.35 * line_scale(ax),
               alpha=0.5, zorder=1)
    return cf


def _minimum(ax, rec, xs, ys, z):
    """A + at the surface's minimum (the declared one, else the grid's) and at its mirror
    images that are minima as low (the saddle's (0, −1) beside (0, 1)); returns the first."""
    mn = rec.meta.get("surface_minimum")
    if mn is not None and len(mn) == 2 and np.all(np.isfinite(np.asarray(mn, dtype=float))):
        mx, my = float(mn[0]), float(mn[1])
    else:
        gi = np.unravel_index(np.nanargmin(z), z.shape)
        mx, my = xs[gi[1]], ys[gi[0]]
    pts = [(mx, my)] + mirrored_minima(xs, ys, z, mx, my)
    px, py = np.array(pts, dtype=float).T
    # above the end markers: runs that converge pile their ▲ on the minimum
    ax.plot(px, py, marker="+", color="white", markersize=14 * line_scale(ax),
            markeredgewidth=2.5 * line_scale(ax), zorder=6.5, linestyle="none")
    (mk,) = ax.plot(px, py, marker="+", color="black", markersize=12 * line_scale(ax),
                    markeredgewidth=1.2 * line_scale(ax), zorder=6.6, linestyle="none")
    return mk


def mirrored_minima(xs, ys, z, mx, my, tol: float = 1e-3) -> list:
    """Mirror images of the minimum (mx, my) in the axes that lie in the plot, are a local
    minimum of the grid and as low as the minimum's own cell (within ``tol`` of the range)."""
    xs, ys, z = np.asarray(xs, float), np.asarray(ys, float), np.asarray(z, float)
    if not np.isfinite(z).any() or len(xs) < 3 or len(ys) < 3:
        return []
    span = float(np.nanmax(z) - np.nanmin(z)) or 1.0

    def cell(x, y):
        return int(np.argmin(np.abs(ys - y))), int(np.argmin(np.abs(xs - x)))
    ref = z[cell(mx, my)]
    out = []
    for x, y in ((-mx, my), (mx, -my), (-mx, -my)):
        if (x, y) == (mx, my) or any(np.hypot(x - a, y - b) < 1e-9 for a, b in out) \
                or not (xs[0] <= x <= xs[-1] and ys[0] <= y <= ys[-1]):
            continue
        j, i = cell(x, y)
        nb = z[max(j - 1, 0):j + 2, max(i - 1, 0):i + 2]
        if np.isfinite(z[j, i]) and z[j, i] <= np.nanmin(nb) + tol * span and abs(z[j, i] - ref) <= tol * span:
            out.append((float(x), float(y)))
    return out


#: Display names of the surfaces (names.SURFACES keys), translated in titles and captions.
SURFACE_NAMES = {"beale": N_("Beale function"), "rosenbrock": N_("Rosenbrock function"),
                 "saddle": N_("saddle point"), "quadratic": N_("narrow quadratic valley")}


def surface_name(key: str, lang: str) -> str:
    """The surface's name as a reader should see it ("Beale function"), not the scenario key."""
    return t(SURFACE_NAMES[key], lang) if key in SURFACE_NAMES else key


def surface_colorbar(fig, ax, contour):
    """The colour bar beside the plot box itself (an inset of ``ax``): an equal-aspect
    surface (momentum's 10 × 4 valley) is a strip, and a bar as tall as the whole figure
    stood twice its height. Decade ticks, as on the log-spaced contours."""
    cb = fig.colorbar(contour, cax=ax.inset_axes([1.03, 0.0, 0.035, 1.0]))
    if isinstance(contour.norm, mcolors.LogNorm):
        cb.ax.yaxis.set_major_locator(LogLocator(base=10))
        shift = float(getattr(contour, "gradviz_shift", 0.0))
        if shift and np.isfinite(shift):   # ticks at loss − zmin = 10^k, labelled with the loss there
            cb.ax.yaxis.set_major_formatter(FuncFormatter(lambda s, pos: value_tick(s, shift)))
        else:
            cb.ax.yaxis.set_major_formatter(LogFormatterSciNotation(base=10))
        cb.ax.yaxis.set_minor_locator(NullLocator())
        cb.ax.yaxis.get_offset_text().set_visible(False)
    return cb


def value_tick(s: float, shift: float) -> str:
    """The loss ``shift + s`` at a decade tick ``s`` of the shifted log scale, with the
    decimals that tell it from its neighbours (−0.15, −0.24, −0.249 for a minimum of −0.25)."""
    if not (np.isfinite(s) and s > 0):
        return ""
    decimals = max(2, 1 - int(np.floor(np.log10(s) + 1e-9)))
    text = f"{shift + s:.{decimals}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace("-", "−")


def race_colors(rec):
    """Variant colours of a race: when three or more variants are plain SGD / momentum
    with different γ (an ordered knob), those get the sequential palette (dark = small γ)
    and the other optimizers categorical hues away from it; else None (categorical)."""
    vs = (rec.meta.get("scenario") or {}).get("variants") or []
    default = float(((rec.meta.get("scenario") or {}).get("train") or {}).get("momentum", 0.9))
    gam = {}
    for i, v in enumerate(vs):
        opt = v.get("train.optimizer")
        if opt == "sgd" and "train.momentum" not in v:
            gam[i] = 0.0
        elif opt == "momentum":
            gam[i] = float(v.get("train.momentum", default))
    if len(gam) < 3 or len(set(gam.values())) != len(gam):
        return None
    idx = sorted(gam, key=gam.get)
    seq = style.sequential_colors(range(len(idx)))
    others = iter(("#D55E00", "#CC79A7", "#E69F00", "#000000", "#56B4E9"))
    out = []
    for i in range(len(vs)):
        out.append(seq[idx.index(i)] if i in gam else next(others, "#000000"))
    return tuple(out)


def path_length(st: PathState, box) -> float:
    """Length of the drawn (clipped) path in box diagonals."""
    d = st.drawn[np.all(np.isfinite(st.drawn), 1)]
    diag = np.hypot(box[1] - box[0], box[3] - box[2])
    seg = np.diff(st.drawn, axis=0)
    ok = np.all(np.isfinite(seg), 1)
    return float(np.hypot(seg[ok, 0], seg[ok, 1]).sum() / diag) if len(d) > 1 else 0.0


def busy_paths(states, box, limit: float = 4.0) -> list:
    """Paths that swing back and forth (drawn length > ``limit`` box diagonals): drawn
    thin and translucent, below the others, so they do not hide them."""
    return [path_length(st, box) > limit for st in states]


def draw_order(states) -> list:
    """Rank per path for its z-order: the longest path at the bottom (0)."""
    lens = [len(st.drawn) and float(np.nansum(np.hypot(*np.diff(st.drawn, axis=0).T))) for st in states]
    ranks = np.argsort(np.argsort(-np.asarray(lens, dtype=float)))
    return [int(r) for r in ranks]


#: dash patterns for paths that run along one drawn below them (whose colour then shows
#: through their gaps)
DASHES = ((0, (6, 3)), (0, (1.5, 2.5)), (0, (9, 3, 2, 3)))


def _samples(d: np.ndarray, step: float) -> np.ndarray:
    """Points every ``step`` along the finite segments of polyline ``d``."""
    out = []
    for a, b in zip(d[:-1], d[1:]):
        if not (np.all(np.isfinite(a)) and np.all(np.isfinite(b))):
            continue
        k = max(int(np.hypot(*(b - a)) / step), 1)
        out.append(a + np.linspace(0, 1, k, endpoint=False)[:, None] * (b - a))
    return np.concatenate(out) if out else np.zeros((0, 2))


def _distance_to(pts: np.ndarray, d: np.ndarray) -> np.ndarray:
    """Distance of each point to the nearest finite segment of polyline ``d``."""
    a, b = d[:-1], d[1:]
    ok = np.all(np.isfinite(a), 1) & np.all(np.isfinite(b), 1)
    a, b = a[ok], b[ok]
    if not len(a) or not len(pts):
        return np.full(len(pts), np.inf)
    ab = b - a
    den = np.maximum((ab ** 2).sum(1), 1e-300)
    tt = np.clip(((pts[:, None, :] - a[None]) * ab[None]).sum(2) / den[None], 0, 1)
    near = a[None] + tt[..., None] * ab[None]
    return np.sqrt(((pts[:, None, :] - near) ** 2).sum(2)).min(1)


def overlap_shares(states, box, tol: float = 0.012) -> np.ndarray:
    """``share[i, j]``: the part of path i's drawn length that lies within ``tol`` box
    diagonals of path j (0 on the diagonal)."""
    diag = np.hypot(box[1] - box[0], box[3] - box[2])
    n = len(states)
    share = np.zeros((n, n))
    pts = [_samples(st.drawn, 0.004 * diag) for st in states]
    for i in range(n):
        for j in range(n):
            if i != j and len(pts[i]):
                share[i, j] = float(np.mean(_distance_to(pts[i], states[j].drawn) <= tol * diag))
    return share


def line_styles(states, box, order, threshold: float = 0.3) -> list:
    """A line style per path: solid, except a path that runs along a path drawn below it for
    more than ``threshold`` of its length, which would hide that one: it gets dashes (distinct
    in drawing order), so the colour beneath shows through its gaps. Positions are exact;
    only the stroke differs."""
    share = overlap_shares(states, box)
    n = len(states)
    hides = [i for i in range(n) if any(share[i, j] > threshold for j in range(n) if order[j] < order[i])]
    styles = ["solid"] * n
    for k, i in enumerate(sorted(hides, key=lambda i: order[i])):
        near = {str(styles[j]) for j in range(n) if j != i and max(share[i, j], share[j, i]) > threshold}
        free = [d for d in DASHES if str(d) not in near]     # not the stroke of a path it runs along
        styles[i] = free[0] if free else DASHES[k % len(DASHES)]
    return styles


def _path(ax, rec, v, p, final_loss, box, drawn: SurfaceDrawn, lang, *, busy=False, order=0, linestyle="solid"):
    """One optimizer's path ``p`` clipped to ``box`` = (x0, x1, y0, y1): drawn in full
    (again after every re-entry), its end ▲ at the last finite point or where it
    last left the box, a ✕ only when it became NaN/Inf."""
    c = style.variant_color(v)
    st = path_state(p, box)
    lw = line_scale(ax)
    z = 0.01 * order
    (ln,) = ax.plot(st.drawn[:, 0], st.drawn[:, 1], color=c, linewidth=(1.1 if busy else 1.8) * lw,
                    zorder=3 + z, alpha=0.6 if busy else 1.0, solid_capstyle="round", linestyle=linestyle)
    if linestyle == "solid":     # a dashed path has no halo: its gaps show the path beneath
        ax.plot(st.drawn[:, 0], st.drawn[:, 1], color="white", linewidth=(2.4 if busy else 3.6) * lw,
                zorder=2 + z, alpha=0.25 if busy else 0.55)
    steps = p[: st.finite]
    x0, x1, y0, y1 = box
    inside = (steps[:, 0] >= x0) & (steps[:, 0] <= x1) & (steps[:, 1] >= y0) & (steps[:, 1] <= y1)
    if st.finite <= 60 and inside.any():            # few steps: each one visible as a dot
        ax.plot(steps[inside, 0], steps[inside, 1], linestyle="none", marker=".", color=c,
                markersize=3 * lw, zorder=3)
    drawn.lines.append(ln)
    lab = label(rec, v)
    if st.finite:
        ax.plot(p[0, 0], p[0, 1], marker="o", color="white", markeredgecolor="black",
                markersize=8 * lw, zorder=4, linestyle="none")
    if st.end is not None:
        (hd,) = ax.plot(*st.end, marker="^", color=c if st.outside_from is None else "white",
                        markeredgecolor="black" if st.outside_from is None else c,
                        markeredgewidth=1.0 if st.outside_from is None else 2.0,
                        markersize=9 * lw, zorder=6, linestyle="none", clip_on=False)
        drawn.heads.append(hd)
    drawn.handles.append((Line2D([], [], color=c, linewidth=2.5, linestyle=linestyle), lab))
    final = final_loss[st.finite - 1] if final_loss is not None and st.finite > 0 else np.nan
    kind = "nonfinite" if st.nonfinite else ("outside" if st.outside_from is not None else "")
    # NaN/Inf: the recording's first_nonfinite_step (the step whose loss or gradient was
    # NaN/Inf; the path's first NaN point comes one step later), as the claims read it
    fnf = int(first_nonfinite(rec)[v])
    at_step = (fnf if fnf >= 0 else st.finite) if st.nonfinite else st.outside_from
    drawn.items.append((lab, final, kind, at_step))
    if kind:
        _end_note(ax, st, lab, kind, at_step, lang)
    if st.nonfinite:
        drawn.diverged[v] = at_step
        drawn.path_nonfinite = True
    if kind == "outside":
        drawn.path_outside = True


def _end_note(ax, st, lab, kind, at_step, lang):
    """The ✕ (NaN/Inf) and a note naming the optimizer, or a note for a path that ends outside."""
    at = st.end if st.end is not None else (ax.get_xlim()[0], ax.get_ylim()[0])
    if kind == "nonfinite":
        (m,) = ax.plot(*at, marker="X", color=style.NONFINITE, markeredgecolor="white",
                       markersize=11 * line_scale(ax), zorder=7, linestyle="none", clip_on=False)
        m.set_gid(DIVERGENCE_GID)
        msg = lab + ": " + t("NaN/Inf from step {n}", lang, n=at_step)
        color = style.NONFINITE
    else:
        msg = lab + ": " + t("left the plot at step {n}", lang, n=at_step)
        color = style.TEXT_MUTED
    ax.annotate(msg, xy=at, xytext=(8, -10), textcoords="offset points", color=color,
                fontsize="x-small", fontweight="bold", zorder=8, annotation_clip=False,
                bbox=dict(boxstyle="round,pad=0.15", fc="white", ec="none", alpha=0.85))


def separate_heads(heads, span: float, near: float = 0.03) -> None:
    """End markers that fall on one spot (races converge to one minimum) stay visible:
    the first drawn of a cluster is the largest, each later one smaller on top, so
    every colour shows as a rim (positions stay exact)."""
    pts = [np.asarray(h.get_xydata()[0], dtype=float) for h in heads]
    done = set()
    for i, a in enumerate(pts):
        if i in done:
            continue
        group = [j for j in range(i, len(pts)) if j not in done and np.hypot(*(pts[j] - a)) <= near * span]
        done.update(group)
        if len(group) < 2:
            continue
        base = heads[group[-1]].get_markersize()
        for rank, j in enumerate(group):
            heads[j].set_markersize(base * (1 + 0.4 * (len(group) - 1 - rank)))
            heads[j].set_zorder(6 + 0.01 * rank)


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
        box = (xs[0], xs[-1], ys[0], ys[-1])
        states = [path_state(P[v, :n], box) for v in range(V)]
        busy, order = busy_paths(states, box), draw_order(states)
        styles = line_styles(states, box, order)
        for v in range(V):
            _path(ax, rec, v, P[v, :n], None if PL is None else PL[v], box, drawn, lang,
                  busy=busy[v], order=order[v], linestyle=styles[v])
        separate_heads(drawn.heads, max(xs[-1] - xs[0], ys[-1] - ys[0]))
    drawn.handles.append((Line2D([], [], marker="o", color="white", markeredgecolor="black",
                                 linestyle="none", markersize=8), t("start", lang)))
    if drawn.heads:
        drawn.handles.append((Line2D([], [], marker="^", color="white", markeredgecolor="black",
                                     linestyle="none", markersize=9), t("last step", lang)))
    drawn.handles.append((mk, t("minimum", lang)))
    if drawn.path_nonfinite:
        drawn.handles.append((Line2D([], [], marker="X", linestyle="none", color=style.NONFINITE,
                                     markersize=9, markeredgecolor="white"), t("NaN/Inf", lang)))
    ax.set_xlim(xs[0], xs[-1])
    ax.set_ylim(ys[0], ys[-1])
    ax.set_xlabel("w₁")
    ax.set_ylabel("w₂")
    ax.grid(False)
    return drawn
