"""Per-layer density curves of the recorded histograms (Glorot & Bengio 2010,
Figs. 6-7), with what falls outside the bins, exact zeros and NaN/Inf named."""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from matplotlib.patches import Patch

from .. import style
from ..i18n import t
from .axes import line_scale
from .markers import empty_note
from .recording import layer_name, pick_layers, pick_record
from .result import Drawn


@dataclass
class HistDrawn(Drawn):
    """:func:`draw_layer_hist`: the median of each layer's curve (``items``), the
    record drawn (a variant's last reached one), whether any curve has data."""
    items: list = field(default_factory=list)
    record: int = 0
    any_curve: bool = False


def hist_curve(rec, name: str, v: int, r: int, l: int):
    """``(x, y, extra)`` for one layer's histogram as a density.

    Linear bins (``hist_act``, ``hist_pre``): density per unit of the value.
    ``hist_delta`` (bins over log10|δ|): x in |δ| (for a log axis) and density
    per decade. ``extra`` holds the fractions outside the bins, exactly zero and
    NaN/Inf. Densities are relative to *all* values, so outside/zero shares are
    honestly missing from the curve rather than renormalized away.
    """
    counts = np.asarray(rec.get(name)[v, r, l], dtype=float)
    edges = np.asarray(rec.get(name + "_edges"), dtype=float)

    def side(k):
        key = f"{name}_{k}"
        if key in rec:
            val = float(rec.get(key)[v, r, l])
            return val if np.isfinite(val) else 0.0
        return 0.0

    under, over, nonfin = side("under"), side("over"), side("nonfinite")
    zero = float(np.nan_to_num(rec.get("hist_delta_zero")[v, r, l])) \
        if name == "hist_delta" and "hist_delta_zero" in rec else 0.0
    c = np.nan_to_num(counts, nan=0.0)
    total = c.sum() + under + over + nonfin + zero
    widths = np.diff(edges)
    y = c / (total * widths) if total > 0 else np.zeros_like(c)
    if not np.isfinite(counts).any():
        y = np.full_like(c, np.nan)
    centers = 0.5 * (edges[:-1] + edges[1:])
    x = 10.0 ** centers if name == "hist_delta" else centers
    extra = {"outside": (under + over) / total if total else 0.0,
             "zero": zero / total if total else 0.0,
             "nonfinite": nonfin, "total": total,
             "median": hist_median(centers, c)}
    if name == "hist_delta" and np.isfinite(extra["median"]):
        extra["median"] = 10.0 ** extra["median"]
    return x, y, extra


def hist_median(centers, counts):
    s = counts.sum()
    if s <= 0:
        return np.nan
    cum = np.cumsum(counts) / s
    return float(centers[min(np.searchsorted(cum, 0.5), centers.size - 1)])


def hist_edges_x(rec, name):
    """Bin edges on the plotted x axis (|δ| rather than log10|δ| for ``hist_delta``)."""
    edges = np.asarray(rec.get(name + "_edges"), dtype=float)
    return 10.0 ** edges if name == "hist_delta" else edges


def draw_layer_hist(ax, rec, variant: int, *, hist: str = "hist_act", record: int = 0,
                    layers=None, lang: str = "en", fill: bool = False) -> "HistDrawn":
    """One density curve per layer for one variant at one record (Glorot & Bengio style)."""
    layer_ids = layers if layers is not None else pick_layers(rec, None, hidden_only=True)
    cols = style.layer_colors(len(layer_ids))
    drawn = HistDrawn()
    r = pick_record(rec, record=record, variant=variant)
    outside = zero = nonfin = 0.0
    any_curve = False
    medians = []
    for c, l in zip(cols, layer_ids):
        x, y, extra = hist_curve(rec, hist, variant, r, l)
        if np.isfinite(y).any() and np.nansum(y) > 0:
            any_curve = True
        ln, = ax.plot(x, y, color=c, linewidth=1.7 * line_scale(ax), drawstyle="default")
        if fill:
            ax.fill_between(x, 0, np.nan_to_num(y), color=c, alpha=0.12, linewidth=0)
        drawn.handles.append((ln, layer_name(rec, l, lang)))
        outside += extra["outside"]
        zero += extra["zero"]
        nonfin += extra["nonfinite"]
        medians.append(extra["median"])
    n = max(len(layer_ids), 1)
    drawn.items = medians
    notes = []
    if outside / n > 0.0005:
        notes.append((t("outside the bins: {v}", lang, v=style.fmt_pct(outside / n)), style.TEXT_MUTED))
    if zero / n > 0.0005:
        notes.append((t("exactly 0: {v}", lang, v=style.fmt_pct(zero / n)), style.TEXT_MUTED))
    if nonfin > 0:
        notes.append((t("NaN/Inf (n = {n})", lang, n=int(nonfin)), style.NONFINITE))
        drawn.nonfinite += int(nonfin)
    for k, (txt, col) in enumerate(notes):
        ax.text(0.02, 0.97 - 0.075 * k, txt, transform=ax.transAxes, ha="left", va="top",
                fontsize="x-small", color=col, fontweight="bold" if col == style.NONFINITE else None,
                bbox=dict(boxstyle="round,pad=0.15", fc="white", ec="none", alpha=0.8))
    if not any_curve:
        empty_note(ax, t("all values are exactly 0", lang) if zero > 0 else t("no finite data", lang))
    if hist == "hist_delta":
        ax.set_xscale("log")
    xe = hist_edges_x(rec, hist)
    ax.set_xlim(xe[0], xe[-1])
    drawn.record = r
    drawn.any_curve = any_curve
    return drawn


F16_SMALLEST = 2.0 ** -24  # smallest float16 subnormal
F16_MIN_NORMAL = 2.0 ** -14


def shade_float16_range(axs, rec, records, lang: str) -> list:
    """On the gradient histograms of float16 variants, shade the magnitudes
    float16 cannot hold (below 2^-24, rounded to 0) and its subnormal range,
    both divided by the variant's loss scale S (the histogram is in unscaled
    units); returns legend entries (none if no variant is float16)."""
    dtypes = rec.meta.get("dtypes") or []
    if "loss_scale" not in rec:
        return []
    scale = np.asarray(rec.get("loss_scale"), dtype=float)
    shaded = False
    for v, (ax, r) in enumerate(zip(axs, records)):
        if v >= len(dtypes) or dtypes[v] != "float16":
            continue
        s = scale[v, r] if np.isfinite(scale[v, r]) and scale[v, r] > 0 else 1.0
        lo = ax.get_xlim()[0]
        ax.axvspan(min(lo, F16_SMALLEST / s), F16_SMALLEST / s, color="#D55E00", alpha=0.16, lw=0, zorder=0)
        ax.axvspan(F16_SMALLEST / s, F16_MIN_NORMAL / s, color="#D55E00", alpha=0.07, lw=0, zorder=0)
        ax.set_xlim(left=lo)
        shaded = True
    if not shaded:
        return []
    return [(Patch(facecolor="#D55E00", alpha=0.16), t("float16: below 2⁻²⁴/S, rounds to 0", lang)),
            (Patch(facecolor="#D55E00", alpha=0.07), t("float16: subnormal, few significant bits", lang))]
