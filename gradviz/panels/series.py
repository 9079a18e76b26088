"""Lines over training steps: one series (log or linear, with its NaN/Inf and
zero marks), one line per layer of a per-layer quantity, the learning rate."""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from matplotlib.lines import Line2D

from .. import style
from ..i18n import t
from .axes import few, line_scale, set_step_xlim
from .markers import empty_note, floor_markers, mark_run_end
from .recording import (classify, finite_range, first_last, label, layer_name, log_limits, pick_layers,
                        spans_decades, trace_steps)
from .result import Drawn
from .seeds import band


@dataclass
class SeriesDrawn(Drawn):
    """:func:`draw_layer_series`: the plotted (transformed) values, one array per layer,
    and how many interquartile bands over seeds were shaded."""
    values: list = field(default_factory=list)
    bands: int = 0


@dataclass
class LrDrawn(Drawn):
    """:func:`draw_lr`: ``(label, first, last)`` per variant, and whether y is logarithmic."""
    items: list = field(default_factory=list)
    log: bool = False


def plot_series(ax, x, y, status, drawn: Drawn, *, log, color, scale=1.0, **kw) -> None:
    """One variant's series, log or linear: finite values as a line, NaN/Inf on
    the top edge (and, on log axes, zeros on the floor); counts go into
    ``drawn.zeros``/``drawn.nonfinite``."""
    if log:
        _, nz, nn = plot_log_series(ax, x, y, status, color=color, **kw)
    else:
        ax.plot(x, np.where(status["finite"], y, np.nan) * scale, color=color,
                zorder=kw.get("zorder", 3), marker=kw.get("marker"), linewidth=kw.get("linewidth"))
        nz, nn = 0, int(status["nonfinite"].sum())
        if nn:
            floor_markers(ax, x[status["nonfinite"]], top=True)
    drawn.zeros += nz
    drawn.nonfinite += nn


def plot_log_series(ax, x, y, status, *, color, linestyle="-", alpha=1.0, marker=None,
                    linewidth=None, label=None, zorder=3):
    """Line of the positive values; zeros on the floor, NaN/Inf on the top edge.

    ``status``: the masks of :func:`classify` for this series (1-D).
    Returns ``(line, n_zero, n_nonfinite)``.
    """
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    yy = np.where(status["pos"], y, np.nan)
    (ln,) = ax.plot(x, yy, color=color, linestyle=linestyle, alpha=alpha, marker=marker,
                    linewidth=linewidth, label=label, zorder=zorder)
    nz = int(status["zero"].sum())
    nn = int(status["nonfinite"].sum())
    if nz:
        floor_markers(ax, x[status["zero"]], color=color)
    if nn:
        floor_markers(ax, x[status["nonfinite"]], top=True)
    return ln, nz, nn


def ema(y, n):
    """Exponential moving average that restarts after gaps and stops at non-finite values."""
    y = np.asarray(y, dtype=float)
    out = np.full_like(y, np.nan)
    if n <= 1:
        return np.where(np.isfinite(y), y, np.nan)
    a = 2.0 / (n + 1)
    acc = np.nan
    for i, v in enumerate(y):
        if not np.isfinite(v):
            acc = np.nan
            continue
        acc = v if not np.isfinite(acc) else acc + a * (v - acc)
        out[i] = acc
    return out


def _transformed(y, s, transform):
    """``y`` as plotted: log10 of the positive values, percent or as is (finite only)."""
    if transform == "log10":
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(s["pos"], np.log10(np.where(s["pos"], y, 1.0)), np.nan)
    if transform == "percent":
        return np.where(s["finite"], 100 * y, np.nan)
    return np.where(s["finite"], y, np.nan)


def _series_band(ax, rec, quantity, variant, layer, steps, transform, c) -> bool:
    """The interquartile range over seeds of one layer's series, shaded (False: no seeds)."""
    b = band(rec, quantity)
    if b is None:
        return False
    lo, hi = (np.asarray(a[variant, :, layer], dtype=float) for a in b)
    ok = np.isfinite(lo) & np.isfinite(hi) & ((lo > 0) if transform == "log10" else True)
    st = {"pos": ok, "finite": ok}
    ax.fill_between(steps, _transformed(lo, st, transform), _transformed(hi, st, transform), color=c,
                    alpha=0.16, linewidth=0, zorder=1)
    return True


def draw_layer_series(ax, rec, variant: int, *, quantity: str, layers=None, lang: str = "en",
                      transform: str = "log10", colors=None) -> SeriesDrawn:
    """One line per layer of ``quantity`` over the recorded steps; with seeds (a
    median view) each line is the median and its interquartile range is shaded.

    ``transform``: ``"log10"`` (zeros sit on a floor marker), ``"percent"``
    (share × 100) or ``"none"``.
    """
    arr = np.asarray(rec.get(quantity), dtype=float)
    steps = rec.steps
    layer_ids = layers if layers is not None else pick_layers(rec, None)
    cols = colors or style.layer_colors(len(layer_ids))
    st = classify(rec, arr)
    drawn = SeriesDrawn()
    mk = "o" if steps.size == 1 else ("." if few(steps.size) else None)
    for c, l in zip(cols, layer_ids):
        y = arr[variant, :, l]
        s = {k: m[variant, :, l] for k, m in st.items()}
        yy = _transformed(y, s, transform)
        nz = int(s["zero"].sum()) if transform == "log10" else 0
        if nz:
            floor_markers(ax, steps[s["zero"]], color=c)
        drawn.bands += _series_band(ax, rec, quantity, variant, l, steps, transform, c)
        ln, = ax.plot(steps, yy, color=c, marker=mk, linewidth=1.6 * line_scale(ax))
        nn = int(s["nonfinite"].sum())
        if nn:
            floor_markers(ax, steps[s["nonfinite"]], top=True)
        drawn.zeros += nz
        drawn.nonfinite += nn
        drawn.handles.append((ln, layer_name(rec, l, lang)))
        drawn.values.append(yy)
    run = ~st["not_run"][variant, :, 0]
    mark_run_end(ax, rec, variant, steps, run if steps.size > 1 else None, drawn, lang)
    set_step_xlim(ax, steps)
    if not any(np.isfinite(v).any() for v in drawn.values):
        empty_note(ax, t("no finite data", lang))
    return drawn


def draw_lr(ax, rec, *, lang: str = "en", logy=False) -> LrDrawn:
    """The learning-rate schedule per variant (``trace_lr``, else recorded ``lr``) on a
    linear axis by default (a cosine ending near 0 is not stretched over decades).

    The dense trace holds η for steps 0..T; the update of step s uses η(s), so the
    value stored at T (after the last update) was never used: each line is drawn as a
    staircase (η held over [s, s+1)) of the values of steps 0..T−1 only.
    """
    dense = "trace_lr" in rec and rec.get("trace_lr").shape[1] > 1
    if dense:
        arr = np.asarray(rec.get("trace_lr"), dtype=float)
        xs = trace_steps(rec, "trace_lr")
        arr = np.concatenate([arr[:, :-1], arr[:, -2:-1]], axis=1)   # η(T) was never used
        st = classify(rec, arr, xs)
    else:
        arr = np.asarray(rec.get("lr"), dtype=float)
        xs = rec.steps
        st = classify(rec, arr)
    V = arr.shape[0]
    log = spans_decades(arr, threshold=10.0) if logy == "auto" else bool(logy)
    if finite_range(arr, positive=True) is None:
        log = False
    drawn = LrDrawn(log=log)
    if log:
        ax.set_yscale("log")
    for v in range(V):
        c = style.variant_color(v)
        s = {k: m[v] for k, m in st.items()}
        # offset identical schedules slightly in line width so all stay visible
        lw = (2.6 - 0.5 * min(v, 3)) * line_scale(ax)
        y = np.where(s["finite"], arr[v], np.nan)
        ax.plot(xs, y, color=c, linewidth=lw, drawstyle="steps-post" if dense else "default",
                marker="o" if xs.size == 1 else None, zorder=3)
        drawn.nonfinite += int(s["nonfinite"].sum())
        used = y[:-1] if dense and y.size > 1 else y
        drawn.items.append((label(rec, v), *first_last(used)))
        drawn.handles.append((Line2D([], [], color=c, linewidth=2.5), label(rec, v)))
        mark_run_end(ax, rec, v, xs, None, drawn, lang, divergence=None)
    if log:
        ax.set_ylim(*log_limits(arr, pad=1.4))
    else:
        r = finite_range(arr)
        hi = r[1] if r and r[1] > 0 else 1.0
        ax.set_ylim(0, hi * 1.1)
    set_step_xlim(ax, xs)
    ax.set_xlabel(t("Training step", lang))
    ax.set_ylabel(t("Learning rate η", lang))
    return drawn
