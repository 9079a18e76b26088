"""Per-layer density curves of the recorded histograms (Glorot & Bengio 2010,
Figs. 6-7), with what falls outside the bins, exact zeros and NaN/Inf named."""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from .. import style
from ..i18n import t
from .axes import line_scale
from .markers import empty_note
from .recording import layer_name, pick_layers, pick_record
from .result import Drawn


@dataclass
class HistDrawn(Drawn):
    """:func:`draw_layer_hist`: one :class:`LayerMass` per layer drawn (``items``),
    the record drawn (a variant's last reached one), whether any curve has data,
    and the x positions of the overflow/underflow bars (``edge_bars``: layer -> (under x, over x))."""
    items: list = field(default_factory=list)
    record: int = 0
    any_curve: bool = False
    edge_bars: dict = field(default_factory=dict)
    zero_marks: dict = field(default_factory=dict)   # layer -> marker height of its exact zeros at x = 0
    note_lines: int = 0                              # lines of notes stacked top left


@dataclass(frozen=True)
class LayerMass:
    """Where one layer's values are, as a sighted reader sees the curve: the
    quartiles (in plotted units, |δ| for gradients), the shares below the first
    bin, above the last, exactly 0 and NaN/Inf (of all values)."""
    layer: int
    q25: float
    q50: float
    q75: float
    under: float
    over: float
    zero: float
    nonfinite: float


def bounded(rec, name: str, v: int) -> bool:
    """Activation histograms of tanh/sigmoid: values past the bins are saturated units."""
    from .recording import activation_name
    return name == "hist_act" and activation_name(rec, v) in ("tanh", "sigmoid")


def hist_curve(rec, name: str, v: int, r: int, l: int):
    """``(x, y, extra)`` for one layer's histogram as a density.

    Linear bins (``hist_act``, ``hist_pre``): density per unit of the value.
    ``hist_delta`` (bins over log10|δ|): x in |δ| (for a log axis) and density
    per decade. ``extra`` holds the fractions below/above the bins, exactly zero and
    NaN/Inf. Densities are relative to *all* values, so outside/zero shares are
    honestly missing from the curve rather than renormalized away.
    """
    counts = np.asarray(rec.get(name)[v, r, l], dtype=float)
    edges = variant_edges(rec, name, v)

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
    if name == "hist_act":
        c, zero = split_zeros(rec, v, r, l, edges, c, under + over + nonfin)
    total = c.sum() + under + over + nonfin + zero
    widths = np.diff(edges)
    y = c / (total * widths) if total > 0 else np.zeros_like(c)
    if not np.isfinite(counts).any():
        y = np.full_like(c, np.nan)
    centers = 0.5 * (edges[:-1] + edges[1:])
    x = 10.0 ** centers if name == "hist_delta" else centers
    frac = (lambda n: n / total) if total else (lambda n: 0.0)
    q_edges, q_counts = with_zero_bin(edges, c, zero) if name == "hist_act" else (edges, c)
    q = [hist_quantile(q_edges, q_counts, under, over, p) for p in (0.25, 0.5, 0.75)]
    q[0], q[2] = _bin_resolved(edges, q[0], q[2])
    if name == "hist_delta":
        q = [10.0 ** x_ if np.isfinite(x_) else x_ for x_ in q]
    extra = {"outside": frac(under + over), "under": frac(under), "over": frac(over),
             "zero": frac(zero), "nonfinite": nonfin, "total": total, "median": q[1],
             "mass": LayerMass(l, q[0], q[1], q[2], frac(under), frac(over), frac(zero), frac(nonfin))}
    return x, y, extra


def zero_bin(edges) -> int | None:
    """The bin the simulator counts an exact 0 in (its rule: ``int((x - lo) / width)``,
    the last bin closed), or None when 0 is outside the bins."""
    lo, hi = float(edges[0]), float(edges[-1])
    nb = edges.size - 1
    if not lo <= 0.0 <= hi or hi <= lo:
        return None
    return min(int((0.0 - lo) / ((hi - lo) / nb)), nb - 1)


def split_zeros(rec, v: int, r: int, l: int, edges, c, outside: float):
    """``(counts, zeros)``: the recorded share of activations exactly 0 (``dead``, of
    the same values as the histogram) taken out of the bin that counted them, so a
    ReLU layer's half of exact zeros is not drawn as density spread over 0..0.15."""
    if "dead" not in rec:
        return c, 0.0
    share = float(np.asarray(rec.get("dead"), dtype=float)[v, r, l])
    k = zero_bin(edges)
    if not np.isfinite(share) or share <= 0 or k is None:
        return c, 0.0
    zeros = min(float(np.rint(share * (c.sum() + outside))), float(c[k]))
    c = c.copy()
    c[k] -= zeros
    return c, zeros


def with_zero_bin(edges, c, zeros):
    """Edges and counts with the exact zeros as a zero-width bin at 0 (the bin that
    held 0 split at 0 in proportion to width), for quantiles that count them at 0."""
    k = zero_bin(edges)
    if zeros <= 0 or k is None:
        return edges, c
    lo, hi = float(edges[k]), float(edges[k + 1])
    left = c[k] * (0.0 - lo) / (hi - lo) if hi > lo else 0.0
    e2 = np.concatenate([edges[:k + 1], [0.0, 0.0], edges[k + 1:]])
    c2 = np.concatenate([c[:k], [left, zeros, c[k] - left], c[k + 1:]])
    return e2, c2


def _bin_resolved(edges, lo, hi):
    """Quartiles no finer than the bins: when both fall inside one bin, that bin's edges
    (a ReLU layer whose values all sit in the first 0..0.15 bin is "between 0 and 0.15",
    not an interpolated 0.04..0.12 the data never showed)."""
    if not (np.isfinite(lo) and np.isfinite(hi)):
        return lo, hi
    k = int(np.searchsorted(edges, lo, side="right")) - 1
    if 0 <= k < edges.size - 1 and edges[k] <= hi <= edges[k + 1]:
        return float(edges[k]), float(edges[k + 1])
    return lo, hi


def hist_quantile(edges, counts, under, over, p):
    """Quantile ``p`` of the binned values (linear inside a bin), counting the
    values below/above the bins at the edges; NaN without values."""
    full = np.concatenate([[under], counts, [over]])
    s = full.sum()
    if s <= 0:
        return np.nan
    cum = np.cumsum(full) / s
    k = int(np.searchsorted(cum, p))
    if k == 0:
        return float(edges[0])
    if k >= full.size - 1:
        return float(edges[-1])
    lo_cum = cum[k - 1]
    w = (p - lo_cum) / (full[k] / s) if full[k] > 0 else 0.0
    return float(edges[k - 1] + np.clip(w, 0, 1) * (edges[k] - edges[k - 1]))


def variant_edges(rec, name: str, v: int) -> np.ndarray:
    """Bin edges of histogram ``name`` for variant ``v``: ``("variant", "edge")``,
    or one shared ``("edge",)`` row in recordings made before edges were per variant."""
    edges = np.asarray(rec.get(name + "_edges"), dtype=float)
    return edges[v] if edges.ndim == 2 else edges


def hist_edges_x(rec, name, v: int = 0):
    """Variant ``v``'s bin edges on the plotted x axis (|δ| rather than log10|δ| for ``hist_delta``)."""
    edges = variant_edges(rec, name, v)
    return 10.0 ** edges if name == "hist_delta" else edges


def draw_limits(rec, name: str, v: int) -> tuple:
    """The x-range :func:`draw_layer_hist` gives variant ``v``: its bins and one
    bin-wide bar beyond each edge."""
    return _edge_bar_x(hist_edges_x(rec, name, v), name == "hist_delta")[2]


def _edge_bar_x(xe, log: bool):
    """Centres of the one-bin-wide bars just outside the first and last edge."""
    if log:
        r0, r1 = xe[1] / xe[0], xe[-1] / xe[-2]
        return xe[0] / np.sqrt(r0), xe[-1] * np.sqrt(r1), (xe[0] / r0, xe[-1] * r1)
    w0, w1 = xe[1] - xe[0], xe[-1] - xe[-2]
    return xe[0] - w0 / 2, xe[-1] + w1 / 2, (xe[0] - w0, xe[-1] + w1)


def _draw_edge_bars(ax, xe, log, color, extra, width_bins) -> tuple:
    """Values below/above the bins as hatched bars one bin wide outside the edges,
    at the density they would have in that bin (so 54% beyond 10³ is not an empty panel).
    Returns the bars' centres (NaN where nothing is beyond that edge)."""
    xu, xo, (left, right) = _edge_bar_x(xe, log)
    out = [np.nan, np.nan]
    for k, (share, x0, x1, centre, w) in enumerate(((extra["under"], left, xe[0], xu, width_bins[0]),
                                                     (extra["over"], xe[-1], right, xo, width_bins[1]))):
        if share > 0.001:       # under 0.1% a bar one bin wide would be invisible (and still keyed)
            ax.bar([x0], [share / w], width=x1 - x0, align="edge", color=color, alpha=0.35,
                   hatch="///", edgecolor=color, linewidth=0.6, zorder=1)
            out[k] = centre
    return tuple(out)


def skipped_at(rec, variant: int, record: int) -> bool:
    """True where the recorded ``skipped`` says the step of this record was skipped (a
    dynamic loss scale that overflowed float16): its gradients were never used."""
    if "skipped" not in rec:
        return False
    return bool(np.nan_to_num(np.asarray(rec.get("skipped"), dtype=float)[variant, record]) > 0)


def _saturated(rec, variant, record, masses):
    """``(layer, share)`` of the most saturated layer shown, from the recorded
    ``saturation`` (the definition the saturation figure draws), or None."""
    if "saturation" not in rec:
        return None
    sat = np.asarray(rec.get("saturation"), dtype=float)[variant, record]
    layers = [m.layer for m in masses if np.isfinite(sat[m.layer])]
    if not layers:
        return None
    worst = max(layers, key=lambda l: sat[l])
    return worst, float(sat[worst])


def _beyond_note(rec, hist, variant, worst, lang) -> str:
    """The layer with most values beyond the bins, naming the edge they are past
    ("above 6, layer 26: 0.2%") when they are all on one side."""
    from .recording import layer_name
    xe = hist_edges_x(rec, hist, variant)
    name, share = layer_name(rec, worst.layer, lang), style.fmt_pct(worst.under + worst.over, lang)
    if worst.under <= 0:
        return t("above {x}, {layer}: {v}", lang, x=style.fmt_num(xe[-1], 2, lang), layer=name, v=share)
    if worst.over <= 0:
        return t("below {x}, {layer}: {v}", lang, x=style.fmt_num(xe[0], 2, lang), layer=name, v=share)
    return t("beyond the bins, {layer}: {v}", lang, layer=name, v=share)


def _finer_than_bins(rec, hist, variant, record, masses, lang):
    """For ReLU activations: the layer whose 85th percentile (ReLU of the recorded
    ``pre_p85``, exact since ReLU is monotone) lies inside the first bin, the smallest such
    (signal fading at depth), as a note; None when every layer is resolved by the bins."""
    from .recording import activation_name, layer_name
    if hist != "hist_act" or activation_name(rec, variant) != "relu" or "pre_p85" not in rec or not masses:
        return None
    e = variant_edges(rec, hist, variant)
    w = float(e[1] - e[0])
    p85 = np.asarray(rec.get("pre_p85"), dtype=float)[variant, record]
    fine = [(float(p85[m.layer]), m.layer) for m in masses
            if np.isfinite(p85[m.layer]) and 0.0 < p85[m.layer] < e[0] + w]
    if not fine:
        return None
    v, layer = min(fine)
    return t("{layer}: 85% ≤ {v},\nfiner than the bins ({w} wide)", lang,
             layer=layer_name(rec, layer, lang), v=style.fmt_num(v, 2, lang), w=style.fmt_num(w, 2, lang))


def _notes(masses, rec, hist, variant, lang, record=0):
    """Per-layer notes: the layer with most values beyond the bins (its own share,
    not an average over layers, and past which edge) or, for tanh/sigmoid, the most
    saturated layer as the saturation figure counts it; the layer with most exact
    zeros; a ReLU layer whose values the bins cannot resolve; NaN/Inf."""
    from .recording import layer_name
    notes = []
    if masses:
        worst = max(masses, key=lambda m: m.under + m.over)
        layer, share = worst.layer, worst.under + worst.over
        sat = _saturated(rec, variant, record, masses) if bounded(rec, hist, variant) else None
        if sat is not None:
            layer, share = sat
        if share > 0.0005:
            msg = t("saturated, {layer}: {v}", lang, layer=layer_name(rec, layer, lang), v=style.fmt_pct(share, lang)) \
                if bounded(rec, hist, variant) else _beyond_note(rec, hist, variant, worst, lang)
            notes.append((msg, style.TEXT_MUTED))
        most = max(masses, key=lambda m: m.zero)
        if most.zero > 0.0005:
            notes.append((t("exactly 0, {layer}: {v}", lang, layer=layer_name(rec, most.layer, lang),
                            v=style.fmt_pct(most.zero, lang)), style.TEXT_MUTED))
        fine = _finer_than_bins(rec, hist, variant, record, masses, lang)
        if fine:
            notes.append((fine, style.TEXT_MUTED))
    return notes


def _label_edge_bars(ax, drawn, masses, widths, lang) -> None:
    """Each edge's largest bar gets its share written above it: 0.2% beyond 6 is a
    bar too low to see, and the number says what the bar cannot."""
    for k, side in enumerate(("under", "over")):
        placed = [(getattr(m, side), drawn.edge_bars[m.layer][k]) for m in masses
                  if np.isfinite(drawn.edge_bars.get(m.layer, (np.nan, np.nan))[k])]
        if not placed:
            continue
        share, x = max(placed)
        ax.annotate(style.fmt_pct(share, lang), (x, share / widths[k]),
                    xytext=(0, 2), textcoords="offset points", ha="center", va="bottom",
                    fontsize="x-small", color=style.TEXT_MUTED, zorder=5)


def _draw_zero_marks(ax, drawn, cols, layer_ids) -> None:
    """Exact zeros (ReLU's inactive half) as one marker per layer at x = 0, at the
    density they would have in one bin, on a thin stem: a point mass, not a curve."""
    marks = [(c, drawn.zero_marks[l]) for c, l in zip(cols, layer_ids) if l in drawn.zero_marks]
    if not marks:
        return
    ax.vlines(0.0, 0.0, max(h for _, h in marks), color=style.FLOOR, linewidth=1.0 * line_scale(ax), zorder=3)
    for c, h in marks:
        ax.plot([0.0], [h], marker="D", markersize=5.5 * line_scale(ax), color=c, markeredgecolor="white",
                markeredgewidth=0.6, linestyle="none", zorder=4)


def draw_layer_hist(ax, rec, variant: int, *, hist: str = "hist_act", record: int = 0,
                    layers=None, lang: str = "en", fill: bool = False) -> "HistDrawn":
    """One density curve per layer for one variant at one record (Glorot & Bengio
    style), values beyond the bins as hatched bars outside the edges."""
    layer_ids = layers if layers is not None else pick_layers(rec, None, hidden_only=True)
    cols = style.layer_colors(len(layer_ids))
    drawn = HistDrawn()
    r = pick_record(rec, record=record, variant=variant)
    xe = hist_edges_x(rec, hist, variant)
    log = hist == "hist_delta"
    e = variant_edges(rec, hist, variant)
    bin_w = (e[1] - e[0], e[-1] - e[-2])
    nonfin = 0.0
    any_curve = False
    kz = zero_bin(e) if hist == "hist_act" else None
    for c, l in zip(cols, layer_ids):
        x, y, extra = hist_curve(rec, hist, variant, r, l)
        if (np.isfinite(y).any() and np.nansum(y) > 0) or extra["under"] + extra["over"] > 0:
            any_curve = True
        if kz is not None and extra["zero"] > 0.001:
            drawn.zero_marks[l] = extra["zero"] / float(e[kz + 1] - e[kz])
        ln, = ax.plot(x, y, color=c, linewidth=1.7 * line_scale(ax), drawstyle="default")
        if fill:
            ax.fill_between(x, 0, np.nan_to_num(y), color=c, alpha=0.12, linewidth=0)
        drawn.edge_bars[l] = _draw_edge_bars(ax, xe, log, c, extra, bin_w)
        drawn.handles.append((ln, layer_name(rec, l, lang)))
        nonfin += extra["nonfinite"]
        drawn.items.append(extra["mass"])
    notes = _notes(drawn.items, rec, hist, variant, lang, r)
    if skipped_at(rec, variant, r):       # an empty panel says why: the step was skipped
        notes.insert(0, (t("step skipped (overflow)", lang), style.NONFINITE))
    _draw_zero_marks(ax, drawn, cols, layer_ids)
    _label_edge_bars(ax, drawn, drawn.items, bin_w, lang)
    if drawn.zero_marks:
        drawn.handles.append((Line2D([], [], marker="D", color=style.FLOOR, linestyle="none", markeredgecolor="white"),
                              t("exactly 0 (◆ at x = 0)", lang)))
    if any(np.isfinite(b).any() for b in drawn.edge_bars.values()):
        drawn.handles.append((Patch(facecolor="#999999", alpha=0.35, hatch="///", edgecolor="#666666"),
                              t("beyond the bins (bar at the edge)", lang)))   # not "saturated": that is |tanh| > 0.97
    if nonfin > 0:
        notes.append((t("NaN/Inf (n = {n})", lang, n=int(nonfin)), style.NONFINITE))
        drawn.nonfinite += int(nonfin)
    for txt, col in notes:   # stacked top left, 0.085 of the axes per line
        ax.text(0.03, 0.95 - 0.085 * drawn.note_lines, txt, transform=ax.transAxes, ha="left", va="top",
                fontsize="x-small", color=col, fontweight="bold" if col == style.NONFINITE else None,
                linespacing=1.1, bbox=dict(boxstyle="round,pad=0.15", fc="white", ec="none", alpha=0.85),
                zorder=5)
        drawn.note_lines += txt.count("\n") + 1
    if not any_curve:
        zero = max((m.zero for m in drawn.items), default=0.0)
        empty_note(ax, t("all values are exactly 0", lang) if zero > 0 else t("no finite data", lang))
    if log:
        ax.set_xscale("log")
    ax.set_xlim(*_edge_bar_x(xe, log)[2])
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
