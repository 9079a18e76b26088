"""Animations from a Recording: one Figure, reused artists, one shared GIF palette.

Each animation builds a :class:`Scene` on a single
:class:`matplotlib.figure.Figure`: static parts (axes, labels, legends,
colour bars) are drawn once and cached as a background; the animated
artists are updated with ``set_data``/``set_array``/``set_text`` and blitted
per frame (design.md section 7: re-creating a figure per frame is ~100x
slower). Frames are read from the Agg buffer (``buffer_rgba``).

GIF writing uses ONE palette for every frame: an adaptive palette from a
composite of sample frames plus reserved exact colours (NaN/Inf magenta,
variant colours, black, white...), then every frame is mapped onto it without
dithering, so static text and lines never shimmer and the NaN colour is never
approximated. Pillow writes a single global colour table, transparent deltas
between frames, ``loop=0`` and durations of at least 20 ms. WebP (lossless)
and APNG are written on request.

Adding an animation is one entry in :data:`ANIMATIONS`.
"""
from __future__ import annotations

import textwrap
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import matplotlib as mpl
import numpy as np
from matplotlib import colors as mcolors
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from PIL import Image

from . import plots as P
from . import style
from .atomic import atomic_open
from .render import (Output, keyword_options, _axis_labels, _finalize_layout, _fit_title, _grid, _legend, _lookup,
                     _tidy_log_axes, _title, _variant_title, layer_tick_budget, missing_arrays)
from .style import t

GIF_MIN_MS = 20
ANIM_FORMATS = {"gif": ".gif", "webp": ".webp", "apng": ".png"}


@dataclass
class Scene:
    """What an animation needs per frame: the animated artists and an updater."""
    n_frames: int
    artists: list
    update: Callable[[int], None]
    facts: dict = field(default_factory=dict)


@dataclass(frozen=True)
class AnimationSpec:
    """``build(fig, rec, *, lang, **options) -> Scene``."""
    build: Callable
    caption: str
    title: str
    requires: tuple = ()

    @property
    def options(self) -> dict:
        return keyword_options(self.build)


# ---------------------------------------------------------------------------
# helpers
# ---------------------------------------------------------------------------

def frame_indices(n: int, frames: int | None) -> np.ndarray:
    """Evenly spaced indices into ``n`` items, at most ``frames`` of them."""
    if n <= 0:
        return np.zeros(0, dtype=int)
    if frames is None or frames >= n:
        return np.arange(n)
    frames = max(int(frames), 1)
    return np.unique(np.round(np.linspace(0, n - 1, frames)).astype(int))


def _frame_text(fig, lang, ax=None):
    """The animated "step N · epoch E" counter: top right of the figure, or inside ``ax``."""
    box = dict(boxstyle="round,pad=0.25", fc="white", ec="#CCCCCC", alpha=0.92)
    if ax is not None:
        return ax.text(0.02, 0.98, "", transform=ax.transAxes, ha="left", va="top",
                       fontsize="large", fontweight="bold", color="#222222", animated=True,
                       bbox=box, zorder=9)
    return fig.text(0.99, 0.995, "", ha="right", va="top", fontsize="large", fontweight="bold",
                    color="#222222", animated=True, bbox=box)


def _step_label(rec, step, lang):
    return P.step_epoch_text(rec, int(step), lang)


def _last_reached(run_row, r):
    """Index of the last reached record at or before ``r`` (or -1)."""
    idx = np.nonzero(run_row[: r + 1])[0]
    return int(idx[-1]) if idx.size else -1


# ---------------------------------------------------------------------------
# per-layer histograms over training
# ---------------------------------------------------------------------------

_HIST_NAMES = {"delta": "hist_delta", "act": "hist_act", "pre": "hist_pre"}


def _hist_anim(fig, rec, *, lang="en", quantity="delta", layers=None, frames=None):
    """Histograms per layer (columns) and variant (rows), one frame per record.

    ``quantity``: "delta" (|∂L/∂z|, log x), "act" or "pre"; ``layers``: layer
    numbers as labelled (default: up to 4 evenly spaced hidden layers + output
    for gradients); ``frames``: at most this many frames (records subsampled).
    """
    if quantity not in _HIST_NAMES:
        raise ValueError(f"hist_anim: quantity must be one of {', '.join(_HIST_NAMES)}")
    name = _HIST_NAMES[quantity]
    V = P.n_variants(rec)
    if layers is None:
        hidden = P.pick_layers(rec, None, hidden_only=True, max_auto=4 if quantity == "delta" else 5)
        layer_ids = hidden + ([rec.n_layers - 1] if quantity == "delta" and rec.n_layers - 1 not in hidden
                              else [])
    else:
        layer_ids = P.pick_layers(rec, layers)
    C = len(layer_ids)
    R = rec.steps.size
    fidx = frame_indices(R, frames)
    axs = np.atleast_2d(fig.subplots(V, C, sharex=True, sharey=True, squeeze=False))
    edges = P.hist_edges_x(rec, name)
    run = P.reached(rec)
    # precompute every curve: [variant, record, layer] -> share per bin (%)
    counts = np.nan_to_num(np.asarray(rec.get(name), dtype=float))
    total = counts.sum(-1)
    for k in ("under", "over", "nonfinite"):
        if f"{name}_{k}" in rec:
            total = total + np.nan_to_num(np.asarray(rec.get(f"{name}_{k}"), dtype=float))
    if name == "hist_delta" and "hist_delta_zero" in rec:
        total = total + np.nan_to_num(np.asarray(rec.get("hist_delta_zero"), dtype=float))
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.where(total[..., None] > 0, 100.0 * counts / total[..., None], 0.0)
    nonfin = np.nan_to_num(np.asarray(rec.get(f"{name}_nonfinite"), dtype=float)) \
        if f"{name}_nonfinite" in rec else np.zeros(total.shape)
    zero = np.nan_to_num(np.asarray(rec.get("hist_delta_zero"), dtype=float)) \
        if name == "hist_delta" and "hist_delta_zero" in rec else np.zeros(total.shape)
    ymax = float(np.max(share[..., layer_ids, :])) if share.size else 1.0
    ymax = ymax * 1.08 if ymax > 0 else 1.0
    if name == "hist_delta":
        used = np.nonzero(counts[..., layer_ids, :].reshape(-1, counts.shape[-1]).sum(0) > 0)[0]
        xlo, xhi = (edges[max(used[0] - 2, 0)], edges[min(used[-1] + 3, edges.size - 1)]) \
            if used.size else (edges[0], edges[-1])
    else:
        xlo, xhi = edges[0], edges[-1]
    cols = style.layer_colors(C)
    patches, notes, stops = [], [], []
    for v in range(V):
        for j, l in enumerate(layer_ids):
            ax = axs[v, j]
            sp = ax.stairs(share[v, 0, l], edges, fill=True, color=cols[j], alpha=0.75,
                           animated=True, linewidth=0)
            patches.append((sp, v, l))
            # notes top right; in the first column, below the variant's name
            nt = ax.text(0.97, 0.95 if j else 0.5, "", transform=ax.transAxes, ha="right", va="top",
                         fontsize="x-small", color=style.NONFINITE, fontweight="bold", animated=True)
            notes.append((nt, v, l))
            if name == "hist_delta":
                ax.set_xscale("log")
            ax.set_xlim(xlo, xhi)
            ax.set_ylim(0, ymax)
            ax.grid(True, axis="y")
            if v == 0:
                ax.set_title(P.layer_name(rec, l, lang), fontsize="small")
        # the variant's name inside its row's first panel (rotated y-labels collide)
        ax0 = axs[v, 0]
        font_px = mpl.rcParams["font.size"] * 0.8 * fig.dpi / 72
        chars = max(8, int(fig.bbox.width * 0.8 / C / (0.62 * font_px)))
        name_txt = ax0.text(0.03, 0.96, textwrap.fill(P.label(rec, v), chars), transform=ax0.transAxes,
                            ha="left", va="top", fontsize="small", fontweight="bold",
                            color=style.variant_color(v), zorder=5,
                            bbox=dict(boxstyle="round,pad=0.15", fc="white", ec="none", alpha=0.85))
        n_lines = name_txt.get_text().count("\n") + 1
        st = ax0.text(0.03, 0.96 - 0.13 * n_lines * (3.0 / max(V, 1)) ** 0.3, "", transform=ax0.transAxes,
                      ha="left", va="top", fontsize="x-small", fontweight="bold", animated=True,
                      bbox=dict(boxstyle="round,pad=0.15", fc="white", ec="none", alpha=0.85))
        stops.append(st)
    qlabel = style.quantity_label(name, lang)
    xlabel = (t("delta_value", lang) if name == "hist_delta" else
              t("act_value", lang, act=P.activation_name(rec)) if name == "hist_act" else
              t("pre_value", lang, act=P.activation_name(rec)))
    fig.supxlabel(xlabel, fontsize="medium")
    fig.supylabel(t("share_bin", lang), fontsize="medium")
    _title(fig, t("title_hist_anim", lang, q=qlabel[:1].upper() + qlabel[1:]))
    ftxt = _frame_text(fig, lang)
    fnf = P.first_nonfinite(rec)
    sstop = P.stop_steps(rec)

    def update(k):
        r = int(fidx[k])
        ftxt.set_text(_step_label(rec, rec.steps[r], lang))
        for sp, v, l in patches:
            rr = _last_reached(run[v], r)
            sp.set_data(share[v, rr, l] if rr >= 0 else np.zeros(edges.size - 1), edges)
        for nt, v, l in notes:
            rr = _last_reached(run[v], r)
            n = nonfin[v, rr, l] if rr >= 0 else 0
            z = zero[v, rr, l] / total[v, rr, l] if rr >= 0 and total[v, rr, l] > 0 else 0
            bits = []
            if n > 0:
                bits.append(t("nonfinite_n", lang, n=int(n)))
            if z > 0.0005:
                bits.append(t("exact_zero", lang, v=style.fmt_pct(z)))
            nt.set_text("\n".join(bits))
            nt.set_color(style.NONFINITE if n > 0 else style.TEXT_MUTED)
        for v, st in enumerate(stops):
            step = int(rec.steps[r])
            if fnf[v] >= 0 and step >= fnf[v]:
                st.set_text(t("diverged_at", lang, n=int(fnf[v])))
                st.set_color(style.NONFINITE)
            elif step > sstop[v]:
                st.set_text(t("stopped_at", lang, n=int(sstop[v])))
                st.set_color(style.TEXT_MUTED)
            else:
                st.set_text("")
    artists = [p for p, _, _ in patches] + [n for n, _, _ in notes] + stops + [ftxt]
    return Scene(len(fidx), artists, update, {"q": qlabel})


# ---------------------------------------------------------------------------
# heat map filling in
# ---------------------------------------------------------------------------

def _heatmap_anim(fig, rec, *, lang="en", quantity="grad_w_norm", frames=None):
    """The layer × step heat map of log10(quantity) filling in, one locked colour scale."""
    V = P.n_variants(rec)
    arr = np.asarray(rec.get(quantity), dtype=float)
    R, L = arr.shape[1], arr.shape[2]
    fidx = frame_indices(R, frames)
    norm = P.heatmap_norm(rec, quantity)
    axs, rows, cols = _grid(fig, V, sharex=True, sharey=True, stack=True)
    xe = P.step_edges(rec.steps)
    ye = np.arange(L + 1) + 0.5
    cm = P.mpl_cmap(style.MAGNITUDE_CMAP, under=style.FLOOR)
    meshes, cursors = [], []
    data = []
    nan_cmap = mcolors.ListedColormap([style.NONFINITE])
    zero_cmap = mcolors.ListedColormap([style.FLOOR])
    any_nonf = any_zero = False
    for v, ax in enumerate(axs):
        lg, nonf, zero, st = P.heatmap_layers(rec, arr, v)
        any_nonf |= bool(nonf.any())
        any_zero |= bool(zero.any())
        m = ax.pcolormesh(xe, ye, lg, cmap=cm, norm=norm, shading="flat", animated=True)
        mn = ax.pcolormesh(xe, ye, np.ma.masked_where(~nonf, np.ones(nonf.shape)), cmap=nan_cmap,
                           shading="flat", animated=True)
        mz = ax.pcolormesh(xe, ye, np.ma.masked_where(~zero, np.ones(zero.shape)), cmap=zero_cmap,
                           shading="flat", animated=True)
        meshes.append((m, mn, mz, lg, nonf, zero))
        cur = ax.axvline(rec.steps[0], color="black", linewidth=1.2, animated=True)
        cursors.append(cur)
        ax.set_xlim(xe[0], xe[-1])
        ax.set_ylim(ye[0], ye[-1])
        P.set_layer_yticks(ax, rec, lang, layer_tick_budget(fig, rows))
        ax.grid(False)
        _variant_title(ax, rec, v)
        if v % cols == 0:
            ax.set_ylabel(t("Layer", lang))
        if v + cols >= V:
            ax.set_xlabel(t("step", lang))
        data.append(st)
    qlabel = style.quantity_label(quantity, lang)
    cb = fig.colorbar(meshes[0][0], ax=axs, label=t("log10_of", lang, q=qlabel.split(",")[0]),
                      extend="min" if any_zero else "neither", shrink=0.95, aspect=30, pad=0.02)
    handles = []
    if any_nonf:
        handles.append((Patch(facecolor=style.NONFINITE), t("nonfinite", lang)))
    if any_zero:
        handles.append((Patch(facecolor=style.FLOOR), t("zero_floor", lang)))
    if handles:
        _legend(fig, handles, loc="outside lower center", ncols=len(handles))
    _title(fig, t("title_heatmap", lang, q=qlabel))
    ftxt = _frame_text(fig, lang)

    def update(k):
        r = int(fidx[k])
        ftxt.set_text(_step_label(rec, rec.steps[r], lang))
        hide = np.zeros((L, R), bool)
        hide[:, r + 1:] = True
        for (m, mn, mz, lg, nonf, zero), cur in zip(meshes, cursors):
            m.set_array(np.ma.masked_where(hide | np.ma.getmaskarray(lg), lg.filled(np.nan)))
            mn.set_array(np.ma.masked_where(hide | ~nonf, np.ones(nonf.shape)))
            mz.set_array(np.ma.masked_where(hide | ~zero, np.ones(zero.shape)))
            cur.set_xdata([xe[r + 1], xe[r + 1]])
    artists = [a for m in meshes for a in m[:3]] + cursors + [ftxt]
    return Scene(len(fidx), artists, update, {"q": qlabel})


# ---------------------------------------------------------------------------
# decision boundary over training
# ---------------------------------------------------------------------------

def _boundary_anim(fig, rec, *, lang="en", frames=None, points=True, conf_levels=8):
    """Each variant's decision boundary (panels) over the recorded steps.

    ``conf_levels``: confidence is shown in this many shades (fewer = smaller GIF).
    """
    V = P.n_variants(rec)
    bc = rec.get("boundary_class")
    bf = rec.get("boundary_conf")
    R = bc.shape[1]
    classes = int(rec.meta.get("classes") or (int(np.nanmax(bc)) + 1))
    fidx = frame_indices(R, frames)
    fig.set_layout_engine("compressed")
    axs, rows, cols = _grid(fig, V, sharex=True, sharey=True, max_cols=3)
    imgs, accs, scats = [], [], []
    for v, ax in enumerate(axs):
        info = P.draw_boundary(ax, rec, v, record=0, lang=lang, points=points)
        info["image"].set_animated(True)
        imgs.append(info["image"])
        if "scatter" in info:
            info["scatter"].set_animated(True)
            scats.append(info["scatter"])
        _variant_title(ax, rec, v)
        accs.append(ax.text(0.03, 0.04, "", transform=ax.transAxes, ha="left", va="bottom",
                            fontsize="small", fontweight="bold", animated=True,
                            bbox=dict(boxstyle="round,pad=0.2", fc="white", ec="none", alpha=0.9)))
    _axis_labels(fig, axs, rows, cols, t("feature_1", lang), t("feature_2", lang), shared=False)
    hs = [(Patch(facecolor=P.class_color(k), edgecolor="black", linewidth=0.4),
           t("class_n", lang, n=k + 1)) for k in range(classes)]
    hs.append((Patch(facecolor="white", edgecolor="none"), t("confidence_note", lang)))
    _legend(fig, hs, loc="outside lower center", ncols=len(hs))
    _title(fig, t("title_decision_boundary", lang))
    ftxt = _frame_text(fig, lang)
    # pre-render the images, quantizing confidence a little so GIF deltas stay small
    conf_ok = np.isfinite(bf).reshape(V, R, -1).any(-1)
    fnf = P.first_nonfinite(rec)
    has_steps = rec.steps.size == R

    def update(k):
        r = int(fidx[k])
        if has_steps:
            ftxt.set_text(_step_label(rec, rec.steps[r], lang))
        else:
            ftxt.set_text(f"{r + 1}/{R}")
        for v in range(V):
            rr = _last_reached(conf_ok[v], r)
            rr = max(rr, 0)
            conf = np.round(np.asarray(bf[v, rr], dtype=float) * conf_levels) / conf_levels
            imgs[v].set_data(P.boundary_rgb(bc[v, rr], conf, classes))
            a = P.accuracy_at(rec, v, rr) if has_steps else np.nan
            txt = t("acc_short", lang, v=style.fmt_pct(a)) if np.isfinite(a) else ""
            col = "black"
            if has_steps and fnf[v] >= 0 and rec.steps[r] >= fnf[v]:
                txt = t("diverged_at", lang, n=int(fnf[v]))
                col = style.NONFINITE
            elif rr < r:
                txt = (txt + "\n" if txt else "") + t("stopped_at", lang, n=int(rec.steps[rr]))
            accs[v].set_text(txt)
            accs[v].set_color(col)
            accs[v].set_visible(bool(txt))
    artists = imgs + scats + accs + [ftxt]
    return Scene(len(fidx), artists, update, {})


# ---------------------------------------------------------------------------
# optimizer race on a surface
# ---------------------------------------------------------------------------

def _surface_anim(fig, rec, *, lang="en", frames=100, tail=None, levels=16):
    """Optimizers moving on the loss surface; each frame advances every path
    by the same number of steps. ``frames``: number of frames (≤ steps);
    ``tail``: draw only the last ``tail`` steps of each path (None = whole path)."""
    ax = fig.add_subplot()
    info = P.draw_surface(ax, rec, lang=lang, paths=False, levels=levels)
    cb = fig.colorbar(info["contour"], ax=ax, pad=0.02, aspect=30)
    cb.set_label(t("surface_z", lang))
    ax.set_aspect("equal", adjustable="box")
    Pth = np.asarray(rec.get("path"), dtype=float)
    V, S, _ = Pth.shape
    fidx = frame_indices(S, frames)
    xs = np.asarray(rec.get("surface_xs"), dtype=float)
    ys = np.asarray(rec.get("surface_ys"), dtype=float)
    x0, x1, y0, y1 = xs[0], xs[-1], ys[0], ys[-1]
    lines, heads, xmarks, halos = [], [], [], []
    bad_at = []
    for v in range(V):
        c = style.variant_color(v)
        p = Pth[v]
        fin = np.all(np.isfinite(p), 1)
        inside = fin & (p[:, 0] >= x0) & (p[:, 0] <= x1) & (p[:, 1] >= y0) & (p[:, 1] <= y1)
        bad = np.nonzero(~inside)[0]
        bad_at.append(int(bad[0]) if bad.size else S)
        (halo,) = ax.plot([], [], color="white", linewidth=3.6 * P._scale(ax),
                          alpha=0.55, zorder=2, animated=True)
        (ln,) = ax.plot([], [], color=c, linewidth=2.0, zorder=3, animated=True)
        (hd,) = ax.plot([], [], marker="o", color=c, markeredgecolor="black", markersize=9,
                        zorder=6, linestyle="none", animated=True)
        (xm,) = ax.plot([], [], marker="X", color=style.NONFINITE, markeredgecolor="white",
                        markersize=12, zorder=7, linestyle="none", animated=True)
        xm.set_gid(P.DIVERGENCE_GID)
        lines.append(ln)
        heads.append(hd)
        xmarks.append(xm)
        halos.append(halo)
        ax.plot(p[0, 0], p[0, 1], marker="o", color="white", markeredgecolor="black", markersize=8,
                zorder=4, linestyle="none")
    hs = [(Line2D([], [], color=style.variant_color(v), linewidth=2.5), P.label(rec, v))
          for v in range(V)]
    hs += info["handles"]
    if any(b < S for b in bad_at):
        hs.append((Line2D([], [], marker="X", color=style.NONFINITE, linestyle="none",
                          markeredgecolor="white", markersize=9),
                   t("nonfinite", lang) + " / " + t("left_plot_short", lang)))
    _legend(fig, hs)
    name = str(rec.meta.get("surface", ""))
    _title(fig, t("title_surface", lang) + (f" — {name}" if name else ""))
    ftxt = _frame_text(fig, lang, ax)

    def update(k):
        s = int(fidx[k])
        ftxt.set_text(t("step_n", lang, n=s))
        for v in range(V):
            stop = min(s + 1, bad_at[v])
            lo = 0 if tail is None else max(0, stop - int(tail))
            q = Pth[v, lo:stop]
            lines[v].set_data(q[:, 0], q[:, 1])
            halos[v].set_data(q[:, 0], q[:, 1])
            if len(q):
                heads[v].set_data([q[-1, 0]], [q[-1, 1]])
            if s >= bad_at[v] and len(q):
                xmarks[v].set_data([np.clip(q[-1, 0], x0, x1)], [np.clip(q[-1, 1], y0, y1)])
            else:
                xmarks[v].set_data([], [])
    artists = halos + lines + heads + xmarks + [ftxt]
    return Scene(len(fidx), artists, update, {"surface": name})


ANIMATIONS: dict[str, AnimationSpec] = {
    "hist_anim": AnimationSpec(_hist_anim, "cap_hist_anim", "title_hist_anim",
                               ("hist_delta", "hist_delta_edges")),
    "heatmap_anim": AnimationSpec(_heatmap_anim, "cap_heatmap_anim", "title_heatmap",
                                  ("grad_w_norm",)),
    "boundary_anim": AnimationSpec(_boundary_anim, "cap_boundary_anim", "title_decision_boundary",
                                   ("boundary_class", "boundary_conf", "boundary_xs", "boundary_ys")),
    "surface_anim": AnimationSpec(_surface_anim, "cap_surface_anim", "title_surface",
                                  ("path", "surface_xs", "surface_ys", "surface_z")),
}


def available_animations(rec) -> list[str]:
    out = []
    for name, spec in ANIMATIONS.items():
        if missing_arrays(rec, spec.requires):
            continue
        if name in ("hist_anim", "heatmap_anim") and rec.steps.size == 0:
            continue
        out.append(name)
    return out


# ---------------------------------------------------------------------------
# frames and writers
# ---------------------------------------------------------------------------

def build_scene(rec, name: str, *, size="web", dpi: int = style.DEFAULT_DPI, lang: str = "en",
                **options):
    """``(Figure, Scene)`` for one registry entry (static parts drawn, layout frozen)."""
    from .render import FigureUnavailable, check_options
    spec = _lookup(ANIMATIONS, name, "animation")
    missing = missing_arrays(rec, spec.requires)
    if missing:
        raise FigureUnavailable(f"animation {name!r} needs {', '.join(missing)}, which this "
                                "Recording does not have")
    check_options(name, spec, options)
    s = style.get_size(size)
    fig = Figure(figsize=(s.width, s.height), dpi=dpi, layout="constrained")
    FigureCanvasAgg(fig)
    scene = spec.build(fig, rec, lang=lang, **options)
    if scene.n_frames < 1:
        raise ValueError(f"animation {name!r}: this Recording gives no frames")
    scene.update(scene.n_frames - 1)      # widest counter text, for fitting the title
    _tidy_log_axes(fig)
    _fit_title(fig)
    _finalize_layout(fig)
    scene.update(0)
    return fig, scene


class FrameRenderer:
    """Blit frames of a Scene: static background once, animated artists per frame."""

    def __init__(self, fig, scene):
        self.fig, self.scene = fig, scene
        self.canvas = fig.canvas
        for a in scene.artists:
            a.set_animated(True)
        self.canvas.draw()                       # runs the layout, draws the static parts
        fig.set_layout_engine("none")            # freeze: every frame has identical geometry
        self.background = self.canvas.copy_from_bbox(fig.bbox)
        self.size = self.canvas.get_width_height()

    def rgba(self, k: int) -> np.ndarray:
        """Frame ``k`` as a ``(height, width, 4)`` uint8 view of the canvas buffer."""
        self.canvas.restore_region(self.background)
        self.scene.update(k)
        for a in sorted(self.scene.artists, key=lambda a: a.get_zorder()):
            if not a.get_visible():
                continue
            if a.axes is not None:
                a.axes.draw_artist(a)
            else:
                self.fig.draw_artist(a)
        return np.asarray(self.canvas.buffer_rgba())

    def rgb(self, k: int) -> Image.Image:
        """Frame ``k`` as an RGB image (a copy)."""
        return Image.fromarray(np.ascontiguousarray(self.rgba(k)[..., :3]))


def reserved_colors() -> list[tuple[int, int, int]]:
    """Colours that must survive quantization exactly."""
    cols = ["#FFFFFF", "#000000", style.NONFINITE, style.FLOOR, style.NOT_RUN, style.TEXT_MUTED,
            *style.VARIANT_ORDER, *P.CLASS_COLORS]
    out = []
    for c in cols:
        rgb = tuple(int(round(255 * x)) for x in mcolors.to_rgb(c))
        if rgb not in out:
            out.append(rgb)
    return out


def shared_palette(samples: list[Image.Image], colors: int = 255) -> np.ndarray:
    """One adaptive palette (``(n, 3)`` uint8, n ≤ 255) for every frame.

    A median-cut of a composite of sample frames, plus the
    :func:`reserved_colors` added exactly. At most 255 entries, leaving an index
    free for the transparent deltas Pillow writes between frames.
    """
    reserved = reserved_colors()
    w = max(im.width for im in samples)
    comp = Image.new("RGB", (w, sum(im.height for im in samples)), "white")
    y = 0
    for im in samples:
        comp.paste(im, (0, y))
        y += im.height
    k = colors - len(reserved)
    q = comp.quantize(colors=k, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    n_used = len(q.getcolors(maxcolors=256) or [])
    pal = q.getpalette()[: 3 * max(n_used, 1)]
    entries = list(reserved)
    for i in range(0, len(pal), 3):
        c = tuple(pal[i:i + 3])
        if c not in entries:
            entries.append(c)
    return np.array(entries[:colors], dtype=np.uint8)


class PaletteMapper:
    """Exact nearest-colour mapping of RGB frames onto a fixed palette.

    Pillow's ``quantize(palette=...)`` looks colours up in a coarse cache and
    can map pure white to a near-white or the NaN magenta to a neighbour; this
    mapper keeps a lazily filled 24-bit lookup table, so colours present in the
    palette map to themselves and others to their true nearest entry.
    """

    def __init__(self, palette: np.ndarray):
        self.palette = np.asarray(palette, dtype=np.uint8)
        self.flat = self.palette.reshape(-1).tolist()
        self.lut = np.full(1 << 24, -1, dtype=np.int16)
        self._pal = self.palette.astype(np.int32)

    def _fill(self, keys: np.ndarray) -> None:
        rgb = np.stack([(keys >> 16) & 255, (keys >> 8) & 255, keys & 255], 1).astype(np.int32)
        for i in range(0, len(rgb), 4096):
            chunk = rgb[i:i + 4096]
            d = ((chunk[:, None, :] - self._pal[None, :, :]) ** 2).sum(-1)
            self.lut[keys[i:i + 4096]] = d.argmin(1).astype(np.int16)

    def __call__(self, im) -> Image.Image:
        """Map an RGB(A) image or ``(h, w, 3|4)`` uint8 array onto the palette ("P" image)."""
        a = np.asarray(im if isinstance(im, np.ndarray) else im.convert("RGB"))
        keys = (a[..., 0].astype(np.uint32) << 16) | (a[..., 1].astype(np.uint32) << 8) | a[..., 2]
        idx = self.lut[keys]
        if (idx < 0).any():
            self._fill(np.unique(keys[idx < 0]))
            idx = self.lut[keys]
        out = Image.fromarray(idx.astype(np.uint8), mode="P")
        out.putpalette(self.flat)
        return out


def render_frames(fig, scene, *, samples: int = 5, quantize: bool = True):
    """All frames: "P" images on one shared palette (or RGB if not ``quantize``).

    Returns ``(frames, palette)`` with ``palette`` the ``(n, 3)`` uint8 array.
    """
    fr = FrameRenderer(fig, scene)
    n = scene.n_frames
    if not quantize:
        return [fr.rgb(k) for k in range(n)], None
    picks = sorted(set(frame_indices(n, samples).tolist()))
    pal = shared_palette([fr.rgb(k) for k in picks])
    mapper = PaletteMapper(pal)
    frames = [mapper(fr.rgba(k)) for k in range(n)]
    return frames, pal


def durations_ms(n: int, fps: float, hold_last_ms: int = 1500) -> list[int]:
    """Per-frame durations: 1000/fps rounded to the 10 ms GIF tick, at least 20 ms."""
    d = max(GIF_MIN_MS, int(round(1000.0 / max(fps, 0.1) / 10.0)) * 10)
    out = [d] * n
    if n > 1 and hold_last_ms:
        out[-1] = max(d, int(hold_last_ms))
    return out


def write_gif(frames, palette, path, durations) -> Path:
    """Write a looping GIF whose frames all use the one global palette."""
    pal_bytes = bytes(np.asarray(palette, dtype=np.uint8).reshape(-1))
    with atomic_open(path) as fh:
        frames[0].save(fh, format="GIF", save_all=True, append_images=frames[1:], loop=0,
                       duration=list(durations), palette=pal_bytes, optimize=True, disposal=1)
    return Path(path)


def write_webp(frames, path, durations) -> Path:
    rgb = [f.convert("RGB") for f in frames]
    with atomic_open(path) as fh:
        rgb[0].save(fh, format="WEBP", save_all=True, append_images=rgb[1:], loop=0,
                    duration=list(durations), lossless=True, quality=80, method=4)
    return Path(path)


def write_apng(frames, path, durations) -> Path:
    with atomic_open(path) as fh:
        frames[0].save(fh, format="PNG", save_all=True, append_images=frames[1:], loop=0,
                       duration=list(durations), default_image=False, optimize=False)
    return Path(path)


def render_animations(rec, out_dir, names=None, fmt="gif", fps: float = 8, size="web",
                      dpi: int = style.DEFAULT_DPI, lang: str = "en", options=None,
                      hold_last_ms: int = 1500) -> list[Output]:
    """Render animations to ``out_dir/<name>.<ext>`` (``fmt``: gif, webp, apng or a list).

    ``names``: registry names (None = every animation the Recording has data for).
    ``options``: ``{name: {option: value}}``. Returns one :class:`Output` per file.
    """
    out_dir = Path(out_dir)
    fmts = [fmt] if isinstance(fmt, str) else list(fmt)
    fmts = [f.strip().lower() for f0 in fmts for f in f0.split(",") if f.strip()]
    for f in fmts:
        if f not in ANIM_FORMATS:
            raise ValueError(f"unknown animation format {f!r}; choose from {', '.join(ANIM_FORMATS)}")
    names = available_animations(rec) if names is None else list(names)
    options = options or {}
    outputs = []
    for name in names:
        spec = _lookup(ANIMATIONS, name, "animation")
        with style.style_context(size):
            fig, scene = build_scene(rec, name, size=size, dpi=dpi, lang=lang,
                                     **options.get(name, {}))
            frames, pal = render_frames(fig, scene)
        durs = durations_ms(len(frames), fps, hold_last_ms)
        title = fig.get_suptitle() or name
        caption = t(spec.caption, lang, **scene.facts)
        alt = t("alt_anim", lang, n=len(frames), caption=caption)
        for f in fmts:
            path = out_dir / f"{name}{ANIM_FORMATS[f]}"
            if f == "gif":
                write_gif(frames, pal, path, durs)
            elif f == "webp":
                write_webp(frames, path, durs)
            else:
                write_apng(frames, path, durs)
            outputs.append(Output(name=name, path=path, format=f, caption=caption, alt=alt,
                                  title=title, kind="animation",
                                  extra={"frames": len(frames), "durations_ms": durs}))
    return outputs
