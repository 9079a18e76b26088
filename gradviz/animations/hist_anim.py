"""Histograms over training: per-layer histograms (columns) of each variant
(rows), one frame per record, every panel and frame on one scale."""
from __future__ import annotations

from dataclasses import dataclass

import matplotlib as mpl
import numpy as np

from .. import style
from ..i18n import N_, t
from ..panels.histograms import hist_edges_x
from ..panels.recording import (activation_name, first_nonfinite, label, layer_name, n_variants, pick_layers,
                                reached, stop_steps)
from ..quantities import label as quantity_label
from ..figures.layout import title, wrap
from .scene import Scene, frame_indices, frame_text, last_reached, step_label

NAME = "hist_anim"
SEEDS = "one"        # one named seed (option ``seed``), never a median
REQUIRES = ("hist_delta", "hist_delta_edges")
TITLE = N_("{q} per layer during training")
CAPTION = N_(
    "Histograms of {q} in selected layers (columns) for each variant (rows), one frame per "
    "recorded training step. Every panel and every frame share one scale."
)
HISTS = {"delta": "hist_delta", "act": "hist_act", "pre": "hist_pre"}


@dataclass(frozen=True)
class Facts:
    q: str              # the quantity's label


@dataclass
class _Shares:
    """Every curve precomputed: share of all values per bin (%), and the counts beside it."""
    share: np.ndarray   # [variant, record, layer, bin]
    total: np.ndarray   # [variant, record, layer]
    nonfinite: np.ndarray
    zero: np.ndarray
    counts: np.ndarray
    under: np.ndarray   # share (%) below the first edge / above the last, per [v, r, l]
    over: np.ndarray


def _shares(rec, name: str) -> _Shares:
    def extra(key):
        return np.nan_to_num(np.asarray(rec.get(key), dtype=float)) if key in rec else None

    counts = np.nan_to_num(np.asarray(rec.get(name), dtype=float))
    total = counts.sum(-1)
    for k in ("under", "over", "nonfinite"):
        if f"{name}_{k}" in rec:
            total = total + extra(f"{name}_{k}")
    zero = extra("hist_delta_zero") if name == "hist_delta" else None
    if zero is not None:
        total = total + zero
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.where(total[..., None] > 0, 100.0 * counts / total[..., None], 0.0)
    nonfin = extra(f"{name}_nonfinite")
    beyond = []
    for k in ("under", "over"):
        c = extra(f"{name}_{k}")
        with np.errstate(invalid="ignore", divide="ignore"):
            beyond.append(np.where(total > 0, 100.0 * c / np.where(total > 0, total, 1), 0.0)
                          if c is not None else np.zeros(total.shape))
    return _Shares(share, total, nonfin if nonfin is not None else np.zeros(total.shape),
                   zero if zero is not None else np.zeros(total.shape), counts, *beyond)


def _edge_x(name, edges):
    """(left, right): the one-bin-wide slots just outside the first and last edge."""
    if name == "hist_delta":
        return edges[0] ** 2 / edges[1], edges[-1] ** 2 / edges[-2]
    return 2 * edges[0] - edges[1], 2 * edges[-1] - edges[-2]


def _layers(rec, quantity, layers) -> list[int]:
    """Default: up to 4 evenly spaced hidden layers plus the output for gradients, 5 otherwise."""
    if layers is not None:
        return pick_layers(rec, layers)
    hidden = pick_layers(rec, None, hidden_only=True, max_auto=4 if quantity == "delta" else 5)
    out = rec.n_layers - 1
    return hidden + ([out] if quantity == "delta" and out not in hidden else [])


def _x_range(name, s: _Shares, layer_ids, edges):
    """The bins in use (two of margin), plus the slot beyond an edge when values fall there
    (drawn as a hatched bar, as in the static histograms)."""
    left, right = _edge_x(name, edges)
    lo_beyond = s.under[..., layer_ids].max(initial=0) > 0.05
    hi_beyond = s.over[..., layer_ids].max(initial=0) > 0.05
    if name != "hist_delta":
        lo, hi = edges[0], edges[-1]
    else:
        used = np.nonzero(s.counts[..., layer_ids, :].reshape(-1, s.counts.shape[-1]).sum(0) > 0)[0]
        lo, hi = (edges[max(used[0] - 2, 0)], edges[min(used[-1] + 3, edges.size - 1)]) if used.size \
            else (edges[0], edges[-1])
    return (left if lo_beyond else lo), (right if hi_beyond else hi)


def _row(fig, axs, rec, v, layer_ids, name, s: _Shares, edges, limits, lang, patches, notes, edge_bars):
    """Variant ``v``'s row of panels; returns its animated stop note."""
    C = len(layer_ids)
    cols = style.layer_colors(C)
    for j, l in enumerate(layer_ids):
        ax = axs[v, j]
        sp = ax.stairs(s.share[v, 0, l], edges, fill=True, color=cols[j], alpha=0.75, animated=True,
                       linewidth=0)
        patches.append((sp, v, l))
        left, right = _edge_x(name, edges)
        for x0, x1, side in ((left, edges[0], "under"), (edges[-1], right, "over")):
            bar = ax.bar([x0], [0.0], width=x1 - x0, align="edge", color=cols[j], alpha=0.35, hatch="///",
                         edgecolor=cols[j], linewidth=0.6).patches[0]
            bar.set_animated(True)
            edge_bars.append((bar, v, l, side))
        # notes top right; in the first column, below the variant's name
        nt = ax.text(0.97, 0.95 if j else 0.5, "", transform=ax.transAxes, ha="right", va="top",
                     fontsize="x-small", color=style.NONFINITE, fontweight="bold", animated=True)
        notes.append((nt, v, l))
        if name == "hist_delta":
            ax.set_xscale("log")
        ax.set_xlim(*limits[:2])
        ax.set_ylim(0, limits[2])
        ax.grid(True, axis="y")
        if v == 0:
            ax.set_title(layer_name(rec, l, lang), fontsize="small")
    # the variant's name inside its row's first panel (rotated y-labels collide)
    ax0 = axs[v, 0]
    font_px = mpl.rcParams["font.size"] * 0.8 * fig.dpi / 72
    chars = max(8, int(fig.bbox.width * 0.8 / C / (0.62 * font_px)))
    name_txt = ax0.text(0.03, 0.96, wrap(label(rec, v), chars), transform=ax0.transAxes,
                        ha="left", va="top", fontsize="small", fontweight="bold",
                        color=style.variant_color(v), zorder=5,
                        bbox=dict(boxstyle="round,pad=0.15", fc="white", ec="none", alpha=0.85))
    n_lines = name_txt.get_text().count("\n") + 1
    V = axs.shape[0]
    return ax0.text(0.03, 0.96 - 0.13 * n_lines * (3.0 / max(V, 1)) ** 0.3, "", transform=ax0.transAxes,
                    ha="left", va="top", fontsize="x-small", fontweight="bold", animated=True,
                    bbox=dict(boxstyle="round,pad=0.15", fc="white", ec="none", alpha=0.85))


def _x_label(rec, name, lang) -> str:
    if name == "hist_delta":
        return t("|∂L/∂z|, back-propagated gradient (log scale)", lang)
    if name == "hist_act":
        return t("Activation value (output of {act})", lang, act=activation_name(rec))
    return t("Pre-activation z = Wh + b (input of {act})", lang, act=activation_name(rec))


def _note_text(s: _Shares, v, rr, l, lang):
    n = s.nonfinite[v, rr, l] if rr >= 0 else 0
    z = s.zero[v, rr, l] / s.total[v, rr, l] if rr >= 0 and s.total[v, rr, l] > 0 else 0
    bits = []
    beyond = (s.under[v, rr, l] + s.over[v, rr, l]) / 100 if rr >= 0 else 0
    if beyond > 0.0005:
        bits.append(t("beyond the bins: {v}", lang, v=style.fmt_pct(beyond)))
    if n > 0:
        bits.append(t("NaN/Inf (n = {n})", lang, n=int(n)))
    if z > 0.0005:
        bits.append(t("exactly 0: {v}", lang, v=style.fmt_pct(z)))
    return "\n".join(bits), (style.NONFINITE if n > 0 else style.TEXT_MUTED)


def compose(fig, rec, *, lang="en", quantity="delta", layers=None, frames=None) -> Scene:
    """Histograms per layer (columns) and variant (rows), one frame per record.

    ``quantity``: "delta" (|∂L/∂z|, log x), "act" or "pre"; ``layers``: layer
    numbers as labelled (default: up to 4 evenly spaced hidden layers + output
    for gradients); ``frames``: at most this many frames (records subsampled).
    """
    if quantity not in HISTS:
        raise ValueError(f"hist_anim: quantity must be one of {', '.join(HISTS)}")
    name = HISTS[quantity]
    V = n_variants(rec)
    layer_ids = _layers(rec, quantity, layers)
    fidx = frame_indices(rec.steps.size, frames)
    axs = np.atleast_2d(fig.subplots(V, len(layer_ids), sharex=True, sharey=True, squeeze=False))
    edges = hist_edges_x(rec, name, 0)   # same bins in every row: see _same_bins below
    run = reached(rec)
    s = _shares(rec, name)
    ymax = float(max(np.max(s.share[..., layer_ids, :]), s.under[..., layer_ids].max(initial=0),
                     s.over[..., layer_ids].max(initial=0))) if s.share.size else 1.0
    # headroom above the tallest bar for the variant's name and notes in the first column
    # (drawn over the bars otherwise); the y axis is shared, so every panel gets it
    limits = (*_x_range(name, s, layer_ids, edges), (ymax * 1.08 if ymax > 0 else 1.0) / 0.62)
    patches, notes, edge_bars = [], [], []
    stops = [_row(fig, axs, rec, v, layer_ids, name, s, edges, limits, lang, patches, notes, edge_bars)
             for v in range(V)]
    qlabel = quantity_label(name, lang)
    fig.supxlabel(_x_label(rec, name, lang), fontsize="medium")
    fig.supylabel(t("Share of values per bin (%)", lang), fontsize="medium")
    title(fig, t(TITLE, lang, q=qlabel[:1].upper() + qlabel[1:]))
    ftxt = frame_text(fig, lang)
    fnf = first_nonfinite(rec)
    sstop = stop_steps(rec)
    small = mpl.font_manager.FontProperties(size="x-small").get_size_in_points()
    note_chars = max(10, int(0.8 * fig.get_figwidth() / len(layer_ids) * 72 / (0.62 * small)))

    def update(k):
        r = int(fidx[k])
        ftxt.set_text(step_label(rec, rec.steps[r], lang))
        reach = [last_reached(run[v], r) for v in range(V)]     # once per variant, not per panel
        for sp, v, l in patches:
            rr = reach[v]
            sp.set_data(s.share[v, rr, l] if rr >= 0 else np.zeros(edges.size - 1), edges)
        for bar, v, l, side in edge_bars:
            rr = reach[v]
            h = getattr(s, side)[v, rr, l] if rr >= 0 else 0.0
            bar.set_height(h)
            bar.set_visible(bool(h > 0))     # an empty hatched slot costs a frame ~1 ms to draw
        for nt, v, l in notes:
            text, colour = _note_text(s, v, reach[v], l, lang)
            nt.set_text("\n".join(wrap(line, note_chars) for line in text.split("\n")))   # inside the panel
            nt.set_color(colour)
        for v, st in enumerate(stops):
            step = int(rec.steps[r])
            if fnf[v] >= 0 and step >= fnf[v]:
                st.set_text(t("NaN/Inf from step {n}", lang, n=int(fnf[v])))
                st.set_color(style.NONFINITE)
            elif step > sstop[v]:
                st.set_text(t("stopped at step {n}", lang, n=int(sstop[v])))
                st.set_color(style.TEXT_MUTED)
            else:
                st.set_text("")
    artists = [p for p, _, _ in patches] + [b for b, *_ in edge_bars] + [n for n, _, _ in notes] + stops + [ftxt]
    return Scene(len(fidx), artists, update, Facts(qlabel))


def caption(facts: Facts, lang: str) -> str:
    return t(CAPTION, lang, q=facts.q)


CHANGES = N_("From step 0 to step {last}, each panel's histogram of {q} moves as training changes the "
             "network; the counter at the top right gives the step and epoch.")


def changes(rec, facts: Facts, lang: str) -> str:
    """What changes from frame to frame (for the alt text)."""
    return t(CHANGES, lang, last=int(rec.steps[-1]) if rec.steps.size else 0, q=facts.q)
