"""Loss and accuracy over training: the dense training trace (faint raw and
smoothed), validation (dashed), and the events that explain a curve: early
stopping (■ at the stop step), the best validation epoch (★) and the first
non-finite step (a magenta ✕ and line)."""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from matplotlib.lines import Line2D
from matplotlib.transforms import blended_transform_factory

from .. import style
from ..i18n import t
from .axes import few, line_scale, set_step_xlim
from .markers import EARLY_STOP_GID, mark_run_end
from .recording import (classify, finite_range, first_last, label, log_limits, n_variants, per_variant,
                        pick_record, spans_decades, steps_per_epoch, stop_steps, trace_steps)
from .result import Drawn
from .seeds import band
from .series import ema, plot_log_series, plot_series

VALIDATION_DASH = (0, (4, 2))
LEGEND_DASH = (0.7, (2.8, 1.5))   # dashed like the curves, one dash centred under the legend circle, gaps beside it


@dataclass
class CurvesDrawn(Drawn):
    """:func:`draw_train_curves`: ``(label, start, end)`` per variant, whether y is
    logarithmic, whether a validation split exists, and the events marked."""
    items: list = field(default_factory=list)
    log: bool = False
    has_val: bool = False
    events: set = field(default_factory=set)
    ends: list = field(default_factory=list)       # (x, y, label, colour): last training point
    val_ends: list = field(default_factory=list)   # ... and last validation point
    val_items: list = field(default_factory=list)  # (label, start, end) of each validation curve
    show: str = "both"                             # "both", "validation" or "training"


@dataclass
class _Series:
    """The arrays of one metric and how they are drawn."""
    is_loss: bool
    scale: float                # 1 for the loss, 100 for accuracy in percent
    trace: np.ndarray | None    # dense [variant, step] training trace, if recorded
    tsteps: np.ndarray | None
    recorded: np.ndarray | None  # training values at the records
    val: np.ndarray | None
    has_val: bool
    log: bool
    n_smooth: int | None

    @property
    def arrays(self) -> list:
        return [a for a in (self.trace, self.recorded, self.val if self.has_val else None) if a is not None]

    def shown(self, show: str) -> list:
        """The arrays of the curves drawn (validation only: its limits ignore the hidden
        training curves, which can reach far lower)."""
        if show == "validation" and self.has_val:
            return [self.val]
        if show == "training" or not self.has_val:
            return [a for a in (self.trace, self.recorded) if a is not None] or self.arrays
        return self.arrays


def _series(rec, metric: str, logy, smooth) -> _Series:
    is_loss = metric == "loss"
    tr_name, rec_name, val_name = ("trace_loss", "loss", "val_loss") if is_loss else \
        ("trace_acc", "acc", "val_acc")
    use_trace = tr_name in rec and rec.get(tr_name).shape[1] > 1
    trace = np.asarray(rec.get(tr_name), dtype=float) if use_trace else None
    tsteps = trace_steps(rec, tr_name) if use_trace else None
    recorded = np.asarray(rec.get(rec_name), dtype=float) if rec_name in rec else None
    val = np.asarray(rec.get(val_name), dtype=float) if val_name in rec else None
    has_val = val is not None and np.isfinite(val).any()
    series = [a for a in (trace, recorded, val if has_val else None) if a is not None]
    log = False
    if is_loss:
        log = spans_decades(*series, threshold=30.0) if logy == "auto" else bool(logy)
        if finite_range(*series, positive=True) is None:
            log = False
    n_smooth = smooth
    if use_trace and n_smooth is None:
        n_smooth = max(1, tsteps.size // 20)
    return _Series(is_loss, 1.0 if is_loss else 100.0, trace, tsteps, recorded, val, has_val, log, n_smooth)


def ensemble_size(rec, v: int) -> int:
    """Members averaged by variant ``v`` (1 = a single network)."""
    ov = rec.meta.get("variant_overrides") or []
    if v < len(ov) and isinstance(ov[v], dict) and "train.ensemble" in ov[v]:
        return int(ov[v]["train.ensemble"] or 1)
    sc = rec.meta.get("scenario")
    if isinstance(sc, dict):
        return int((sc.get("train") or {}).get("ensemble", 1) or 1)
    return 1


def _band(ax, rec, name, v, x, c, scale, smooth=None) -> None:
    """The interquartile range over seeds of ``name`` for variant ``v``, shaded."""
    b = band(rec, name)
    if b is None:
        return
    lo, hi = (np.asarray(a[v], dtype=float) for a in b)
    if smooth and smooth > 1:
        lo, hi = ema(lo, smooth), ema(hi, smooth)
    ax.fill_between(x, lo * scale, hi * scale, color=c, alpha=0.18, linewidth=0, zorder=1)


def _draw_training(ax, rec, v, c, d: _Series, drawn: CurvesDrawn, raw: bool) -> None:
    if d.trace is not None and ensemble_size(rec, v) > 1 and d.recorded is not None:
        # the dense trace is member 0's minibatch loss: an ensemble's own training curve
        # is its averaged prediction's, recorded at the records
        steps = rec.steps
        st = {k: m[v] for k, m in classify(rec, d.recorded).items()}
        plot_series(ax, steps, d.recorded[v], st, drawn, log=d.log, color=c, scale=d.scale, zorder=3,
                    marker="." if steps.size < 60 else None)
        _band(ax, rec, "loss" if d.is_loss else "acc", v, steps, c, d.scale)
        y = np.where(st["finite"], d.recorded[v], np.nan)
        drawn.items.append((label(rec, v), *first_last(y)))
        drawn.ends.append((steps[-1], first_last(y)[1] * d.scale, label(rec, v), c))
        return
    if d.trace is not None:
        y = d.trace[v]
        st = {k: m[v] for k, m in classify(rec, d.trace, d.tsteps).items()}
        if raw and d.n_smooth > 1:
            ax.plot(d.tsteps, np.where(st["finite"], y, np.nan) * d.scale, color=c, alpha=0.22,
                    linewidth=0.8 * line_scale(ax), zorder=2)
        ys = ema(np.where(st["finite"], y, np.nan), d.n_smooth)
        tmk = "o" if d.tsteps.size == 1 else ("." if few(d.tsteps.size) else None)
        plot_series(ax, d.tsteps, ys, {**st, "pos": st["pos"] & np.isfinite(ys), "finite": np.isfinite(ys)},
                    drawn, log=d.log, color=c, scale=d.scale, zorder=3, marker=tmk)
        _band(ax, rec, "trace_loss" if d.is_loss else "trace_acc", v, d.tsteps, c, d.scale, d.n_smooth)
        drawn.items.append((label(rec, v), ys[0] if ys.size else np.nan, first_last(ys)[1]))
        drawn.ends.append((d.tsteps[-1], first_last(ys)[1] * d.scale, label(rec, v), c))
    elif d.recorded is not None:
        steps = rec.steps
        st = {k: m[v] for k, m in classify(rec, d.recorded).items()}
        plot_series(ax, steps, d.recorded[v], st, drawn, log=d.log, color=c, scale=d.scale,
                    marker="." if steps.size < 60 else None)
        _band(ax, rec, "loss" if d.is_loss else "acc", v, steps, c, d.scale)
        y = np.where(st["finite"], d.recorded[v], np.nan)
        drawn.items.append((label(rec, v), *first_last(y)))
        drawn.ends.append((steps[-1], first_last(y)[1] * d.scale, label(rec, v), c))


#: Validation loss ending this many times above its minimum: it rises well above its best.
OVERFIT = 1.3
#: ... while over the last quarter of the records the (median) validation loss is at least
#: this many times the (median) training loss: training stays clearly below validation.
OVERFIT_GAP = 2.0
OVERFIT_DOTS = (0, (1.2, 1.6))


def overfits(val, train=None) -> bool:
    """Overfitting, over the arrays drawn (the seeds' medians): the validation loss ends
    ≥ OVERFIT × its best, and over the last quarter of the records its median is
    ≥ OVERFIT_GAP × the training loss's median. A noisy rise of a variant whose training
    loss lies on or above its validation loss is not overfitting; without a training
    curve there is no gap to show."""
    y = np.asarray(val, dtype=float)
    if train is None:
        return False
    x = np.asarray(train, dtype=float)
    both = np.isfinite(y) & np.isfinite(x)
    y, x = y[both], x[both]
    if y.size < 3 or y.min() <= 0 or y[-1] < OVERFIT * y.min():
        return False
    q = max(1, y.size // 4)
    return bool(np.median(y[-q:]) >= OVERFIT_GAP * np.median(x[-q:]))


def _draw_overfit_training(ax, rec, v, c, d: _Series, drawn: CurvesDrawn) -> None:
    """With validation curves only, the training loss of a variant that overfits, dotted:
    the gap between the two is what overfitting is."""
    n = len(ax.get_lines())
    scratch = CurvesDrawn(log=d.log, has_val=d.has_val, show="both")
    _draw_training(ax, rec, v, c, d, scratch, raw=False)
    for ln in ax.get_lines()[n:]:
        ln.set_linestyle(OVERFIT_DOTS)
    drawn.nonfinite += scratch.nonfinite
    drawn.zeros += scratch.zeros
    drawn.events.add("overfit_training")


def _draw_validation(ax, rec, v, c, d: _Series, drawn: CurvesDrawn, only: bool = False) -> None:
    steps = rec.steps
    st = {k: m[v] for k, m in classify(rec, d.val).items()}
    mk = ("o" if steps.size <= 60 else None) if not only else ("." if steps.size <= 60 else None)
    dash = "-" if only else VALIDATION_DASH
    _band(ax, rec, "val_loss" if d.is_loss else "val_acc", v, steps, c, d.scale)
    y = np.where(st["finite"], d.val[v], np.nan)
    if only:
        drawn.items.append((label(rec, v), *first_last(y)))
    drawn.val_items.append((label(rec, v), *first_last(y)))
    drawn.val_ends.append((steps[-1] if not np.isfinite(y).any() else steps[np.nonzero(np.isfinite(y))[0][-1]],
                           first_last(y)[1] * d.scale, label(rec, v), c))
    if d.log:
        _, nz, nn = plot_log_series(ax, steps, d.val[v], st, color=c, linestyle=dash,
                                    marker=mk, linewidth=1.5 * line_scale(ax))
    else:
        ax.plot(steps, np.where(st["finite"], d.val[v], np.nan) * d.scale, color=c,
                linestyle=dash, marker=mk, linewidth=1.5 * line_scale(ax),
                markersize=4 * line_scale(ax), zorder=3)
        nz, nn = 0, int(st["nonfinite"].sum())
    drawn.zeros += nz
    drawn.nonfinite += nn


def _mark_early_stop(ax, rec, v, c, d: _Series, drawn: CurvesDrawn, mark_best: bool) -> None:
    """■ where early stopping ended variant ``v`` (on its curve, else at the top), ★ at its best epoch."""
    s_stop = int(stop_steps(rec)[v])
    ax.axvline(s_stop, color=c, linestyle=":", linewidth=1.2 * line_scale(ax), zorder=2)
    src = d.val if d.has_val else d.recorded
    yv = np.nan
    if src is not None:
        yv = src[v, pick_record(rec, step=s_stop)] * d.scale
    if np.isfinite(yv) and (not d.log or yv > 0):
        (m,) = ax.plot([s_stop], [yv], marker="s", color=c, markeredgecolor="black",
                       markersize=8 * line_scale(ax), zorder=6, linestyle="none")
    else:
        top = blended_transform_factory(ax.transData, ax.transAxes)
        (m,) = ax.plot([s_stop], [0.97], marker="s", color=c, markeredgecolor="black",
                       markersize=8 * line_scale(ax), zorder=6, transform=top, clip_on=False,
                       linestyle="none")
    m.set_gid(EARLY_STOP_GID)
    drawn.events.add("early_stop")
    best = per_variant(rec, "best_epoch", -1)
    epochs = np.asarray(rec.meta.get("epochs", []), dtype=float)
    if mark_best and d.has_val and best[v] >= 0 and epochs.size:
        # at the best epoch's own step, on the drawn curve: snapping to the nearest record put
        # the ★ on step 0 (the worst loss) when records are sparser than epochs
        fin = np.isfinite(d.val[v]) & (d.val[v] > 0 if d.log else True)
        spe = steps_per_epoch(rec)
        xb = float(best[v]) * spe if spe else float(rec.steps[int(np.argmin(np.abs(epochs - best[v])))])
        if fin.sum() >= 1:
            xs, ys = rec.steps[fin].astype(float), d.val[v][fin]
            yb = float(np.interp(xb, xs, np.log(ys) if d.log else ys))
            yb = (np.exp(yb) if d.log else yb) * d.scale
            ax.plot([xb], [yb], marker="*", color=c, markeredgecolor="black",
                    markersize=13 * line_scale(ax), zorder=6, linestyle="none")
            drawn.events.add("best")


def _finish_axes(ax, rec, d: _Series, drawn: CurvesDrawn, lang: str, xmax: int) -> None:
    set_step_xlim(ax, [0, xmax])
    ax.set_xlabel(t("Training step", lang))
    if d.is_loss:
        ax.set_ylabel(t("Loss (cross-entropy)", lang))
        arrays = d.shown(drawn.show)
        if d.log:
            lo, hi = log_limits(*[np.where(np.isfinite(s), s, np.nan) for s in arrays], pad=1.3)
            ax.set_ylim(lo, hi)
        else:
            r = finite_range(*arrays)
            if r is not None:
                ax.set_ylim(min(0.0, r[0]), r[1] * 1.08 if r[1] > 0 else 1.0)
        _chance_loss(ax, rec, drawn, lang)
        return
    ax.set_ylabel(t("Accuracy (%)", lang))
    ax.set_ylim(0, 102)
    classes = rec.meta.get("classes")
    if classes:
        ax.axhline(100.0 / classes, color="#999999", linestyle=":", linewidth=1.2 * line_scale(ax), zorder=1)
        drawn.handles.append((Line2D([], [], color="#999999", linestyle=":"), t("chance level", lang)))


def _chance_loss(ax, rec, drawn: CurvesDrawn, lang: str) -> None:
    """The loss of a uniform guess, ln(classes): a run flat at 1.1 with 3 classes has
    learnt nothing, and the dotted line says so at a glance."""
    classes = rec.meta.get("classes")
    if not classes or int(classes) < 2:
        return
    lo, hi = ax.get_ylim()
    level = float(np.log(int(classes)))
    if lo < level < hi:
        ax.axhline(level, color="#999999", linestyle=":", linewidth=1.2 * line_scale(ax), zorder=1)
        drawn.handles.append((Line2D([], [], color="#999999", linestyle=":"),
                              t("chance level", lang) + f" (ln {int(classes)})"))


def _style_key(rec, d: _Series, drawn: CurvesDrawn, lang: str) -> list:
    """Legend entries for the line styles and event markers in use."""
    smoothed = d.trace is not None and d.n_smooth and d.n_smooth > 1
    key = []
    if drawn.show != "validation":
        key.append((Line2D([], [], color="#333333"),
                    t("training (minibatch, smoothed)", lang) if smoothed else t("training (minibatch)", lang)))
    if d.has_val and drawn.show == "validation":
        key.append((Line2D([], [], color="#333333"), t("validation", lang)))
    elif d.has_val:    # dashes short enough that the gaps show beside the circle in a legend handle
        key.append((Line2D([], [], color="#333333", linestyle=LEGEND_DASH,
                           marker="o" if rec.steps.size <= 60 else None, markersize=4),
                    t("validation", lang)))
    if "overfit_training" in drawn.events:
        key.append((Line2D([], [], color="#333333", linestyle=OVERFIT_DOTS),
                    t("training, where validation rises (overfitting)", lang)))
    if "early_stop" in drawn.events:
        key.append((Line2D([], [], marker="s", color="#BBBBBB", markeredgecolor="black",
                           linestyle="none", markersize=7), t("early stopping", lang)))
    if "best" in drawn.events:
        key.append((Line2D([], [], marker="*", color="#BBBBBB", markeredgecolor="black",
                           linestyle="none", markersize=10), t("best validation epoch", lang)))
    if drawn.diverged and not drawn.nonfinite:
        key.append((Line2D([], [], marker="X", color=style.NONFINITE, linestyle=VALIDATION_DASH,
                           markeredgecolor="white", markersize=9), t("NaN/Inf", lang)))
    return key


def curves_shown(rec, show: str, has_val: bool) -> str:
    """"auto": validation only when there is a split and 4 or more variants (no spaghetti of
    raw, smoothed and validation lines), else both; "training" without a split."""
    if not has_val:
        return "training"
    if show == "auto":
        return "validation" if n_variants(rec) >= 4 else "both"
    return show


def draw_train_curves(ax, rec, *, metric: str = "loss", lang: str = "en", logy="auto",
                      smooth: int | None = None, raw: bool = True, variants=None,
                      mark_best: bool = True, show: str = "auto") -> CurvesDrawn:
    """Training (solid) and validation (dashed) curves per variant with event markers.

    ``metric``: ``"loss"`` or ``"accuracy"``. Loss uses the dense
    ``trace_loss`` (faint raw + smoothed) when present, else the recorded
    ``loss``. ``logy``: "auto" (log when the values span ≥ 30x), True or False;
    ``smooth``: EMA span in steps (default: 1/20 of the trace).
    """
    variants = range(n_variants(rec)) if variants is None else variants
    d = _series(rec, metric, logy, smooth)
    shown = curves_shown(rec, show, d.has_val)
    if d.is_loss and logy == "auto":      # log only if what is drawn spans the decades
        d.log = spans_decades(*d.shown(shown), threshold=30.0) and \
            finite_range(*d.shown(shown), positive=True) is not None
    drawn = CurvesDrawn(log=d.log, has_val=d.has_val, show=shown)
    if d.log:
        ax.set_yscale("log")
    steps = rec.steps
    xmax = max(int(steps[-1]) if steps.size else 0, int(d.tsteps[-1]) if d.trace is not None else 0)
    esteps = per_variant(rec, "early_stop_epoch", -1)
    label_divergence = len(list(variants)) <= 3
    for v in variants:
        c = style.variant_color(v)
        over = d.is_loss and d.has_val and overfits(d.val[v], None if d.recorded is None else d.recorded[v])
        if drawn.show != "validation":
            n = len(ax.get_lines())
            _draw_training(ax, rec, v, c, d, drawn, raw and drawn.show == "training")
            if over and drawn.show == "both":     # dotted as in the validation-only view
                for ln in ax.get_lines()[n:]:
                    ln.set_linestyle(OVERFIT_DOTS)
                drawn.events.add("overfit_training")
        elif over:
            _draw_overfit_training(ax, rec, v, c, d, drawn)
        if d.has_val and drawn.show != "training":
            _draw_validation(ax, rec, v, c, d, drawn, only=drawn.show == "validation")
        drawn.handles.append((Line2D([], [], color=c, linewidth=2.5), label(rec, v)))
        if esteps[v] >= 0:
            _mark_early_stop(ax, rec, v, c, d, drawn, mark_best)
        mark_run_end(ax, rec, v, None, None, drawn, lang, divergence="label" if label_divergence else "line",
                     xspan=(0, xmax))
    _finish_axes(ax, rec, d, drawn, lang, xmax)
    drawn.handles.extend(_style_key(rec, d, drawn, lang))
    return drawn
