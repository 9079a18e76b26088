"""Size of each update relative to the weights: log10(‖ΔW‖/‖W‖) per layer over
training, one panel per variant, with the 10⁻³ rule of thumb."""
from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
from matplotlib.lines import Line2D

from .. import style
from ..i18n import N_, t
from ..panels.markers import special_handles
from ..panels.recording import finite_range, label, layer_name, n_variants
from ..panels.result import merge
from ..panels.labels import keep_formulas
from ..quantities import label as quantity_label
from .layer_panels import PanelFacts, alt_panels, first_last_columns, layer_panels
from .notes import alt_join
from .layout import legend_in_slot, title

NAME = "update_ratio"
REQUIRES = ("update_ratio",)
#: With seeds each line is the median and its interquartile range is shaded.
BANDS = True
TITLE = N_("Size of each update relative to the weights")
CAPTION = N_(
    "How big each weight update is compared with the weights themselves, log₁₀(‖ΔW‖/‖W‖), for "
    "every layer (colour, first hidden layer dark) over training, one panel per variant. The "
    "dashed line at −3 is a common rule of thumb: far below it a layer hardly changes, far above "
    "it the updates are reckless."
)
STEP_CAPTION = N_(
    "A panel's note gives the effective step ‖ΔW‖/‖∂L/∂W‖ of the output layer (the update per unit "
    "of gradient: η for plain SGD) at the first and the last update, where it changed by more than a "
    "factor of 2; the largest fall is in bold."
)
ADAGRAD_CAPTION = N_(
    "Adagrad divides each step by the root of the sum of all its squared gradients so far, a sum that "
    "only grows: its effective step shrinks as training goes on."
)
#: a panel's effective step is noted when it changed by more than this factor either way
STEP_FACTOR = 2.0


def effective_step(rec, v: int, layer: int):
    """‖ΔW‖/‖∂L/∂W‖ of ``layer`` at each record, from the recorded ``update_ratio`` ×
    ``w_norm`` / ``grad_w_norm`` (per seed, then the median over seeds); None without them."""
    src = getattr(rec, "source", None) or rec
    names = ("update_ratio", "w_norm", "grad_w_norm")
    if any(n not in src for n in names):
        return None
    u, w, g = (np.asarray(src.get(n), dtype=float) for n in names)
    with np.errstate(divide="ignore", invalid="ignore"):
        e = u * w / g
    e = e[v]
    axes = src.axes["update_ratio"]
    if "seed" in axes:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)      # all-NaN records: NaN, as drawn
            e = np.nanmedian(e, axis=axes.index("seed") - 1)
    e = e[:, layer]
    return np.where(np.isfinite(e) & (e > 0), e, np.nan)


def optimizer(rec, v: int) -> str | None:
    """Variant ``v``'s optimizer: its override, else the scenario's."""
    ov = rec.meta.get("variant_overrides") or []
    if v < len(ov) and isinstance(ov[v], dict) and "train.optimizer" in ov[v]:
        return ov[v]["train.optimizer"]
    sc = rec.meta.get("scenario")
    return (sc.get("train") or {}).get("optimizer") if isinstance(sc, dict) else None


def step_changes(rec) -> list:
    """``(variant, first, last)`` of the output layer's effective step at its first and
    last finite record, for every variant that has one."""
    out = []
    for v in range(n_variants(rec)):
        e = effective_step(rec, v, -1)
        fin = np.nonzero(np.isfinite(e))[0] if e is not None else []
        if len(fin) >= 2:
            out.append((v, float(e[fin[0]]), float(e[fin[-1]])))
    return out


def _factor_text(first, last, lang) -> str:
    r = last / first
    return "÷" + style.fmt_num(1 / r, 2, lang) if r < 1 else "×" + style.fmt_num(r, 2, lang)


def _emptiest_corner(ax, text):
    """Put ``text`` (drawn in axes fraction) in the corner whose box, as measured, covers
    the fewest drawn points (the lower left first on a tie)."""
    pts = [ax.transAxes.inverted().transform(ax.transData.transform(np.column_stack(ln.get_data())))
           for ln in ax.get_lines() if len(ln.get_xdata())]
    pts = np.concatenate(pts) if pts else np.zeros((0, 2))
    pts = pts[np.isfinite(pts).all(1)]
    renderer = ax.figure.canvas.get_renderer()
    best = None
    for x, y, ha, va in ((0.03, 0.04, "left", "bottom"), (0.97, 0.04, "right", "bottom"),
                         (0.97, 0.96, "right", "top"), (0.03, 0.96, "left", "top")):
        text.set_position((x, y))
        text.set_ha(ha)
        text.set_va(va)
        box = text.get_window_extent(renderer).transformed(ax.transAxes.inverted()).expanded(1.1, 1.2)
        n = int(np.sum((pts[:, 0] >= box.x0) & (pts[:, 0] <= box.x1) & (pts[:, 1] >= box.y0) & (pts[:, 1] <= box.y1)))
        if best is None or n < best[0]:
            best = (n, (x, y, ha, va))
    x, y, ha, va = best[1]
    text.set_position((x, y))
    text.set_ha(ha)
    text.set_va(va)


def _step_notes(axs, rec, lang) -> list:
    """The effective-step note on each panel where it changed by more than STEP_FACTOR,
    the largest fall in bold and in its variant's colour; returns the changes noted."""
    changes = [c for c in step_changes(rec) if max(c[2] / c[1], c[1] / c[2]) > STEP_FACTOR]
    falls = [c for c in changes if c[2] < c[1]]
    most = min(falls, key=lambda c: c[2] / c[1])[0] if falls else None
    out_layer = layer_name(rec, rec.n_layers - 1, lang)
    for v, first, last in changes:
        ax = axs[v]
        txt = t("‖ΔW‖/‖∂L/∂W‖, {layer}:\n{first} → {last}, {factor}", lang, layer=out_layer,
                first=style.fmt_num(first, 2, lang), last=style.fmt_num(last, 2, lang),
                factor=_factor_text(first, last, lang))
        note = ax.text(0.03, 0.04, txt, transform=ax.transAxes, ha="left", va="bottom", fontsize="x-small",
                color=style.title_color(v) if v == most else style.TEXT_MUTED,
                fontweight="bold" if v == most else None, linespacing=1.15, zorder=6,
                bbox=dict(boxstyle="round,pad=0.2", fc="white", ec=style.title_color(v) if v == most else "none",
                          alpha=0.9))
        _emptiest_corner(ax, note)
    return changes


@dataclass(frozen=True)
class UpdateFacts(PanelFacts):
    steps: list = None       # (variant, first, last) effective steps noted on the panels
    adagrad: bool = False


def compose(fig, rec, *, lang="en", layers=None, reference=-3.0) -> UpdateFacts:
    """log10(‖ΔW‖/‖W‖) per layer over training, one panel per variant, reference
    line at ``reference`` (−3). ``layers``: layer numbers as labelled."""
    axs, results = layer_panels(fig, rec, lang, "update_ratio", layers, "log10",
                                t("log₁₀(‖ΔW‖ / ‖W‖) per update", lang), False)
    r = finite_range(*[np.asarray(x) for d in results for x in d.values])
    lo, hi = (r if r else (reference - 1, reference + 1))
    lo, hi = min(lo, reference), max(hi, reference)
    pad = max(0.3, 0.08 * (hi - lo))
    for ax in axs:
        ax.axhline(reference, color="black", linestyle=(0, (5, 3)), linewidth=1.2, zorder=2)
    axs[0].set_ylim(lo - pad, hi + pad)
    noted = _step_notes(axs, rec, lang)
    merged = merge(results)
    ref = (Line2D([], [], color="black", linestyle=(0, (5, 3))), t("10⁻³ rule of thumb", lang))
    legend_in_slot(fig, merged.handles + [ref] + special_handles(merged, lang))
    keep_formulas(fig)
    title(fig, t(TITLE, lang))
    items = []
    for v, d in enumerate(results):
        ends = first_last_columns(d.values, np.nanmedian)
        if ends is not None:
            items.append((label(rec, v), 10 ** ends[0], 10 ** ends[1]))
    adagrad = any(optimizer(rec, v) == "adagrad" for v in range(n_variants(rec)))
    return UpdateFacts(quantity_label("update_ratio", lang), items, merged, noted, adagrad)


def caption(facts: UpdateFacts, lang: str) -> str:
    text = t(CAPTION, lang)
    if facts.steps:
        text += " " + t(STEP_CAPTION, lang)
    if facts.adagrad:
        text += " " + t(ADAGRAD_CAPTION, lang)
    return text


def alt(rec, facts: UpdateFacts, lang: str) -> str:
    """The panels' start and end values, then each noted effective step."""
    steps = [t("{label}: effective step ‖ΔW‖/‖∂L/∂W‖ of the output layer from {first} to {last}", lang,
               label=label(rec, v), first=style.fmt_num(a, 2, lang), last=style.fmt_num(b, 2, lang))
             for v, a, b in facts.steps or []]
    text = alt_panels(rec, facts, lang)
    return text + (" " + alt_join(steps) if steps else "")

