"""Panel functions: each draws one thing on one Axes from a Recording.

``draw_<name>(ax, rec, ...)`` never creates figures, never saves and never
touches pyplot; :mod:`gradviz.render` composes panels into figures and
:mod:`gradviz.animate` reuses the data helpers here for its frames.

Every draw function returns a dict ``info`` with

* ``"handles"``: ``[(artist, label), ...]`` for a figure-level legend,
* ``"nonfinite"``: how many plotted values were NaN/Inf (drawn in
  :data:`gradviz.style.NONFINITE`, never silently dropped),
* ``"zeros"``: how many values were exactly 0 on a log axis (drawn on a floor
  marker in :data:`gradviz.style.FLOOR`),

plus facts used for captions and alt text.

Conventions shared with the simulator (design.md section 4): arrays are
indexed ``[variant, record, layer]``; layers ``0..depth-1`` are hidden and
``depth`` is the output layer; records after a variant's ``stop_step`` are NaN
(not run). Here a NaN *inside* the run counts as non-finite only from the
variant's ``first_nonfinite_step`` on; other NaNs inside the run (the final
record's ``update_ratio``, saturation of the output layer) are "not defined"
and left blank. Inf always counts as non-finite.
"""
from __future__ import annotations

import numpy as np
from matplotlib import colors as mcolors
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.transforms import blended_transform_factory

from . import style
from .style import t

# ---------------------------------------------------------------------------
# generic helpers
# ---------------------------------------------------------------------------

DIVERGENCE_GID = "divergence-marker"
EARLY_STOP_GID = "early-stop-marker"
FLOOR_GID = "zero-floor-marker"


def n_variants(rec) -> int:
    return max(len(rec.labels), 1)


def label(rec, v: int) -> str:
    labels = rec.labels
    return labels[v] if v < len(labels) else f"#{v}"


def record_steps(rec) -> np.ndarray:
    return rec.steps


def meta_value(rec, key: str, variant: int | None = None, default=None):
    """A metadata value that may be stored once or per variant (a list of length V).

    With ``variant``: that variant's value. Without: the common value, or
    ``default`` when the variants differ (e.g. ``steps_per_epoch``,
    ``clip_norm``, ``activation`` or ``total_steps`` in a comparison).
    """
    val = rec.meta.get(key, default)
    if isinstance(val, (list, tuple)) and len(val) == n_variants(rec):
        if variant is not None:
            return val[variant]
        first = val[0]
        return first if all(x == first for x in val) else default
    return val


def activation_name(rec, variant: int | None = None) -> str:
    """The activation function's name ("tanh"...), or "φ" when variants differ."""
    return str(meta_value(rec, "activation", variant, "φ") or "φ")


def steps_per_epoch(rec) -> float | None:
    spe = meta_value(rec, "steps_per_epoch")
    try:
        spe = float(spe)
    except (TypeError, ValueError):
        return None
    return spe if spe > 0 else None


def _per_variant(rec, name, default):
    if name in rec:
        return np.asarray(rec.get(name)).astype(np.int64)
    return np.full(n_variants(rec), default, dtype=np.int64)


def stop_steps(rec) -> np.ndarray:
    """Last step each variant ran.

    ``stop_step`` when recorded; otherwise the last step, or the first
    non-finite step for a variant that diverged (runs stop there).
    """
    if "stop_step" in rec:
        return np.asarray(rec.get("stop_step")).astype(np.int64)
    steps = rec.steps
    total = rec.meta.get("total_steps", 0)
    total = max(total) if isinstance(total, (list, tuple)) and total else total
    last = int(steps[-1]) if steps.size else int(total or 0)
    out = np.full(n_variants(rec), last, dtype=np.int64)
    fnf = first_nonfinite(rec)
    return np.where(fnf >= 0, np.minimum(fnf, last), out)


def first_nonfinite(rec) -> np.ndarray:
    return _per_variant(rec, "first_nonfinite_step", -1)


def reached(rec) -> np.ndarray:
    """``[variant, record]`` True where the variant actually ran to that record."""
    return rec.steps[None, :] <= stop_steps(rec)[:, None]


def classify(rec, arr, step_axis: np.ndarray | None = None) -> dict:
    """Masks ``pos``, ``zero``, ``neg``, ``nonfinite``, ``undefined``, ``not_run``.

    ``arr`` is indexed ``[variant, record or step, ...]``; ``step_axis`` gives the
    training step of axis 1 (the record steps by default).
    """
    arr = np.asarray(arr, dtype=float)
    steps = rec.steps if step_axis is None else np.asarray(step_axis)
    extra = (1,) * (arr.ndim - 2)
    run = (steps[None, :] <= stop_steps(rec)[:, None]).reshape(arr.shape[:2] + extra)
    fnf = first_nonfinite(rec)
    after_nf = ((fnf[:, None] >= 0) & (steps[None, :] >= fnf[:, None])).reshape(arr.shape[:2] + extra)
    run = np.broadcast_to(run, arr.shape)
    after_nf = np.broadcast_to(after_nf, arr.shape)
    isnan = np.isnan(arr)
    isinf = np.isinf(arr)
    fin = np.isfinite(arr)
    nonfinite = run & (isinf | (isnan & after_nf))
    return {
        "finite": fin & run,
        "pos": fin & run & (arr > 0),
        "zero": fin & run & (arr == 0),
        "neg": fin & run & (arr < 0),
        "nonfinite": nonfinite,
        "undefined": run & isnan & ~after_nf,
        "not_run": ~run,
    }


def finite_range(*arrays, positive: bool = False):
    """(min, max) over finite (and optionally positive) values, or None."""
    lo, hi = np.inf, -np.inf
    for a in arrays:
        a = np.asarray(a, dtype=float)
        m = np.isfinite(a)
        if positive:
            m &= a > 0
        if m.any():
            lo = min(lo, float(a[m].min()))
            hi = max(hi, float(a[m].max()))
    if lo > hi:
        return None
    return lo, hi


def log_limits(*arrays, pad: float = 1.6, default=(1e-1, 1e1)):
    """Log-axis limits covering every positive finite value, with a little room."""
    r = finite_range(*arrays, positive=True)
    if r is None:
        return default
    lo, hi = r
    if hi / lo < 10:           # show at least one decade so ticks are readable
        mid = np.sqrt(lo * hi)
        lo, hi = min(lo, mid / 10 ** 0.5), max(hi, mid * 10 ** 0.5)
    return lo / pad, hi * pad


def spans_decades(*arrays, threshold: float = 30.0) -> bool:
    r = finite_range(*arrays, positive=True)
    return r is not None and r[1] / r[0] >= threshold


def pick_layers(rec, layers=None, *, hidden_only: bool = False, max_auto: int = 8) -> list[int]:
    """0-based layer indices from a user choice.

    ``layers``: None (automatic: all, or about ``max_auto`` evenly spaced when
    deep), ``"all"``, ``"hidden"``, or a list of layer numbers *as shown on the
    plots* (1 = first hidden layer; ``"out"`` or ``-1`` = output layer).
    """
    L = rec.n_layers
    depth = int(rec.meta.get("depth", L - 1))
    pool = list(range(min(depth, L))) if hidden_only else list(range(L))
    if not pool:                       # no hidden layer (depth 0): use the output layer
        pool = list(range(L))
    if layers is None:
        if len(pool) <= max_auto:
            return pool
        idx = np.unique(np.round(np.linspace(0, len(pool) - 1, max_auto)).astype(int))
        return [pool[i] for i in idx]
    if isinstance(layers, str):
        if layers == "all":
            return list(range(L))
        if layers == "hidden":
            return pool
        layers = [layers]
    out = []
    for x in layers:
        if x in ("out", "output", -1):
            i = L - 1
        else:
            i = int(x) - 1
        if not 0 <= i < L:
            raise ValueError(f"layer {x!r} does not exist: this network has layers 1..{L - 1} "
                             "and 'out'" if L > 1 else f"layer {x!r} does not exist: only 'out'")
        if i not in out:
            out.append(i)
    return out


def layer_name(rec, i: int, lang: str = "en") -> str:
    """``"layer 3"`` or ``"output layer"`` (``i`` is 0-based)."""
    if i == rec.n_layers - 1:
        return t("output layer", lang)
    return t("layer_n", lang, n=i + 1)


def layer_tick(rec, i: int, lang: str = "en") -> str:
    return t("out", lang) if i == rec.n_layers - 1 else str(i + 1)


def set_layer_ticks(ax, rec, lang: str = "en", max_ticks: int = 22) -> None:
    """x ticks 1..depth and "out" at positions 1..depth+1; with many layers
    every k-th layer is labelled (the first and the output layer always)."""
    L = rec.n_layers
    need = -(-L // max_ticks)
    step = next(n for n in (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000) if n >= need)
    idx = sorted({0, L - 1, *range(step - 1, L - 1, step)})  # layers 1, step, 2 step, ..., out
    if len(idx) > 2 and idx[-2] > L - 1 - step / 2:  # keep the last labels apart
        idx.pop(-2)
    ax.set_xticks([i + 1 for i in idx], [layer_tick(rec, i, lang) for i in idx])


def pick_record(rec, *, step=None, record=None, variant: int | None = None) -> int:
    """Record index from a training ``step`` (nearest) or a ``record`` index.

    Without either: the last record. With ``variant``, a record that variant
    never reached falls back to its last reached record.
    """
    steps = rec.steps
    R = steps.size
    if R == 0:
        raise ValueError("this Recording has no records")
    if step is not None:
        r = int(np.argmin(np.abs(steps - int(step))))
    elif record is not None:
        r = int(record)
        if r < 0:
            r += R
        if not 0 <= r < R:
            raise ValueError(f"record {record} out of range 0..{R - 1}")
    else:
        r = R - 1
    if variant is not None:
        run = reached(rec)[variant]
        if not run[r] and run.any():
            r = int(np.nonzero(run)[0][-1])
    return r


def when_text(rec, r: int, lang: str) -> str:
    """Localized "step N" (with "initialization" for step 0)."""
    s = int(rec.steps[r])
    return t("init", lang) if s == 0 else t("step_n", lang, n=s)


def step_epoch_text(rec, step: int, lang: str) -> str:
    spe = steps_per_epoch(rec)
    if spe:
        return t("step_epoch", lang, step=int(step), epoch=style.fmt_num(step / spe, 3))
    return t("step_n", lang, n=int(step))


def add_epoch_axis(ax, rec, lang: str = "en"):
    """Secondary x-axis on top in epochs (when ``steps_per_epoch`` is known)."""
    spe = steps_per_epoch(rec)
    if not spe:
        return None
    sec = ax.secondary_xaxis("top", functions=(lambda s: s / spe, lambda e: e * spe))
    sec.set_xlabel(t("epoch", lang), color=style.TEXT_MUTED)
    sec.tick_params(colors=style.TEXT_MUTED, labelsize="small")
    return sec


def floor_markers(ax, x, *, top: bool = False, color=None, marker=None, gid=None, size=None):
    """Markers pinned to the bottom (zeros) or top (Inf/NaN) edge of the axes.

    Zeros: a grey ▼ (:data:`style.FLOOR`) outlined in the series' ``color``;
    NaN/Inf: a magenta ✕ (:data:`style.NONFINITE`).
    """
    x = np.atleast_1d(np.asarray(x, dtype=float))
    if x.size == 0:
        return None
    tr = blended_transform_factory(ax.transData, ax.transAxes)
    y = np.full(x.shape, 0.985 if top else 0.015)
    face = style.NONFINITE if top else style.FLOOR
    edge = "white" if top else (color or style.FLOOR)
    marker = marker or ("X" if top else "v")
    ms = size or (7.5 if top else 7.0) * _scale(ax)
    (ln,) = ax.plot(x, y, linestyle="none", marker=marker, color=face, markersize=ms,
                    markeredgecolor=edge, markeredgewidth=0.6 if top else 1.4,
                    transform=tr, clip_on=False, zorder=6)
    ln.set_gid(gid or (DIVERGENCE_GID if top else FLOOR_GID))
    return ln


def _scale(ax) -> float:
    import matplotlib as mpl
    return mpl.rcParams["font.size"] / 10.0


def mark_divergence(ax, step, lang="en", *, text: bool = True, color=None, xspan=None):
    """Vertical line + ✕ at the first step with NaN/Inf; returns the marker artist.

    ``xspan``: the (min, max) step of the axis, to put the label on the side
    with room (default: the current x-limits).
    """
    tr = blended_transform_factory(ax.transData, ax.transAxes)
    lo, hi = xspan if xspan is not None else ax.get_xlim()
    right_side = hi > lo and (step - lo) / (hi - lo) < 0.5
    ax.axvline(step, color=style.NONFINITE, linewidth=1.2 * _scale(ax), linestyle=(0, (4, 2)),
               zorder=4, alpha=0.9)
    (m,) = ax.plot([step], [1.0], marker="X", markersize=10 * _scale(ax), color=style.NONFINITE,
                   markeredgecolor=color or "white", markeredgewidth=1.2, transform=tr,
                   clip_on=False, zorder=7, linestyle="none")
    m.set_gid(DIVERGENCE_GID)
    if text:
        ax.annotate(t("diverged_at", lang, n=int(step)), xy=(step, 1.0), xycoords=tr,
                    xytext=(6 if right_side else -4, -4), textcoords="offset points",
                    ha="left" if right_side else "right", va="top",
                    color=style.NONFINITE, fontsize="small", fontweight="bold", zorder=7,
                    bbox=dict(boxstyle="round,pad=0.2", fc="white", ec="none", alpha=0.85))
    return m


def mark_not_run(ax, start, end):
    """Hatched band for steps a variant never reached."""
    if end <= start:
        return None
    return ax.axvspan(start, end, facecolor="none", edgecolor=style.NOT_RUN, hatch="//",
                      linewidth=0, zorder=0.5)


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
    return [(Patch(facecolor="#D55E00", alpha=0.16), t("f16_zero", lang)),
            (Patch(facecolor="#D55E00", alpha=0.07), t("f16_subnormal", lang))]


def special_handles(info: dict, lang: str) -> list:
    """Legend entries for NaN/Inf, zeros and not-run areas found while drawing."""
    out = []
    if info.get("nonfinite"):
        out.append((Line2D([], [], marker="X", linestyle="none", color=style.NONFINITE,
                           markersize=8, markeredgecolor="white"),
                    t("nonfinite_n", lang, n=int(info["nonfinite"]))))
    if info.get("zeros"):
        out.append((Line2D([], [], marker="v", linestyle="none", color=style.FLOOR, markersize=7),
                    t("zero_floor_n", lang, n=int(info["zeros"]))))
    if info.get("not_run"):
        out.append((Patch(facecolor="white", edgecolor=style.NOT_RUN, hatch="//"),
                    t("not_run", lang)))
    return out


def merge_info(infos) -> dict:
    out = {"handles": [], "nonfinite": 0, "zeros": 0, "not_run": False, "diverged": {}}
    seen = set()
    for info in infos:
        for h, lab in info.get("handles", []):
            if lab not in seen:
                seen.add(lab)
                out["handles"].append((h, lab))
        out["nonfinite"] += int(info.get("nonfinite", 0))
        out["zeros"] += int(info.get("zeros", 0))
        out["not_run"] = out["not_run"] or bool(info.get("not_run"))
        out["diverged"].update(info.get("diverged", {}))
    return out


def set_step_xlim(ax, xs):
    """x-limits for a step axis; a single step is centred instead of sitting on the spine."""
    from matplotlib.ticker import MaxNLocator
    xs = np.asarray(xs, dtype=float)
    lo, hi = float(xs[0]), float(xs[-1])
    if hi <= lo:
        lo, hi = lo - 1, lo + 1
    ax.set_xlim(lo, hi)
    ax.xaxis.set_major_locator(MaxNLocator(nbins="auto", integer=True, steps=[1, 2, 2.5, 5, 10]))


def _few(n) -> bool:
    return n <= 40


def _empty_note(ax, text):
    ax.text(0.5, 0.5, text, transform=ax.transAxes, ha="center", va="center",
            color=style.TEXT_MUTED, fontsize="small",
            bbox=dict(boxstyle="round,pad=0.3", fc="white", ec=style.GRID))


def plot_series(ax, x, y, status, info, *, log, color, scale=1.0, **kw) -> None:
    """One variant's series, log or linear: finite values as a line, NaN/Inf on
    the top edge (and, on log axes, zeros on the floor); counts go into
    ``info["zeros"]``/``info["nonfinite"]``."""
    if log:
        _, nz, nn = plot_log_series(ax, x, y, status, color=color, **kw)
    else:
        ax.plot(x, np.where(status["finite"], y, np.nan) * scale, color=color,
                zorder=kw.get("zorder", 3), marker=kw.get("marker"), linewidth=kw.get("linewidth"))
        nz, nn = 0, int(status["nonfinite"].sum())
        if nn:
            floor_markers(ax, x[status["nonfinite"]], top=True)
    info["zeros"] += nz
    info["nonfinite"] += nn


def first_last(values) -> tuple[float, float]:
    """First and last finite value (NaN when there is none)."""
    fin = np.asarray(values, dtype=float)
    fin = fin[np.isfinite(fin)]
    return (fin[0], fin[-1]) if fin.size else (np.nan, np.nan)


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


def _ema(y, n):
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


# ---------------------------------------------------------------------------
# per-layer gradient norms (vs layer index)
# ---------------------------------------------------------------------------

LATER_STYLES = [(0, (5, 2.5)), (0, (1.5, 1.8)), (0, (6, 2, 1.5, 2))]


def draw_grad_norms(ax, rec, *, steps=None, quantity: str = "grad_w_norm", lang: str = "en",
                    variants=None) -> dict:
    """‖∂L/∂W‖ (or another per-layer quantity) against layer index, log y.

    One colour per variant; solid at step 0, dashed/faded at ``steps`` (default:
    the last record). Layer ticks are 1..depth+1 with the output layer marked.
    """
    arr = np.asarray(rec.get(quantity), dtype=float)
    V, R, L = arr.shape
    st = classify(rec, arr)
    xs = np.arange(1, L + 1)
    variants = range(V) if variants is None else variants
    later = [] if R <= 1 else [pick_record(rec, step=s) for s in (steps or [int(rec.steps[-1])])]
    later = [r for r in dict.fromkeys(later) if r != 0]
    info = {"handles": [], "nonfinite": 0, "zeros": 0, "items": [], "later_steps": [],
            "diverged": {}}
    ax.set_yscale("log")
    shown = [arr[v, r][st["pos"][v, r]] for v in variants for r in [0, *later]]
    stopped = []
    for v in variants:
        c = style.variant_color(v)
        sv = {k: m[v, 0] for k, m in st.items()}
        ln, nz, nn = plot_log_series(ax, xs, arr[v, 0], sv, color=c, marker="o",
                                     linewidth=2.2 * _scale(ax), zorder=4)
        info["zeros"] += nz
        info["nonfinite"] += nn
        info["handles"].append((Line2D([], [], color=c, marker="o"), label(rec, v)))
        info["items"].append((label(rec, v), arr[v, 0, 0], arr[v, 0, -1]))
        for k, r in enumerate(later):
            rr = pick_record(rec, record=r, variant=v)
            sv = {kk: m[v, rr] for kk, m in st.items()}
            ls = LATER_STYLES[k % len(LATER_STYLES)]
            _, nz, nn = plot_log_series(ax, xs, arr[v, rr], sv, color=c, linestyle=ls, alpha=0.75,
                                        marker=".", linewidth=1.6 * _scale(ax))
            info["zeros"] += nz
            info["nonfinite"] += nn
            if rr != r:
                stopped.append((c, f"{label(rec, v)}: {t('stopped_at', lang, n=int(rec.steps[rr]))}"
                                + (f" ({t('nonfinite', lang)})" if st["nonfinite"][v, rr].any() else "")))
    ax.set_ylim(*log_limits(*shown))
    for k, (c, txt) in enumerate(stopped):
        ax.text(0.015, 0.90 - 0.065 * k, txt, transform=ax.transAxes, color=c, fontsize="small",
                ha="left", va="top", bbox=dict(boxstyle="round,pad=0.15", fc="white", ec="none",
                                               alpha=0.85), zorder=8)
    set_layer_ticks(ax, rec, lang)
    ax.set_xlim(0.6, L + 0.4)
    if L > 1:
        ax.axvspan(L - 0.5, L + 0.4, color="#F2F2F2", zorder=0, linewidth=0)
    # line-style key
    info["handles"].append((Line2D([], [], color="#333333", linestyle="-"), t("init", lang)))
    for k, r in enumerate(later):
        info["handles"].append((Line2D([], [], color="#333333", linestyle=LATER_STYLES[k % 3],
                                       alpha=0.75), t("step_n", lang, n=int(rec.steps[r]))))
        info["later_steps"].append(int(rec.steps[r]))
    ax.set_xlabel(t("layer_axis", lang))
    ax.set_ylabel(f"{style.quantity_label(quantity, lang)} ({t('logscale', lang)})")
    if not (st["pos"].any()):
        _empty_note(ax, t("all_zero", lang) if st["zero"].any() else t("no_data", lang))
    return info


# ---------------------------------------------------------------------------
# histograms
# ---------------------------------------------------------------------------

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
             "median": _hist_median(centers, c)}
    if name == "hist_delta" and np.isfinite(extra["median"]):
        extra["median"] = 10.0 ** extra["median"]
    return x, y, extra


def _hist_median(centers, counts):
    s = counts.sum()
    if s <= 0:
        return np.nan
    cum = np.cumsum(counts) / s
    return float(centers[min(np.searchsorted(cum, 0.5), centers.size - 1)])


def hist_edges_x(rec, name):
    edges = np.asarray(rec.get(name + "_edges"), dtype=float)
    return 10.0 ** edges if name == "hist_delta" else edges


def draw_layer_hist(ax, rec, variant: int, *, hist: str = "hist_act", record: int = 0,
                    layers=None, lang: str = "en", fill: bool = False) -> dict:
    """One density curve per layer for one variant at one record (Glorot & Bengio style)."""
    layer_ids = layers if layers is not None else pick_layers(rec, None, hidden_only=True)
    cols = style.layer_colors(len(layer_ids))
    info = {"handles": [], "nonfinite": 0, "zeros": 0, "items": [], "diverged": {}}
    r = pick_record(rec, record=record, variant=variant)
    outside = zero = nonfin = 0.0
    any_curve = False
    medians = []
    for c, l in zip(cols, layer_ids):
        x, y, extra = hist_curve(rec, hist, variant, r, l)
        if np.isfinite(y).any() and np.nansum(y) > 0:
            any_curve = True
        ln, = ax.plot(x, y, color=c, linewidth=1.7 * _scale(ax), drawstyle="default")
        if fill:
            ax.fill_between(x, 0, np.nan_to_num(y), color=c, alpha=0.12, linewidth=0)
        info["handles"].append((ln, layer_name(rec, l, lang)))
        outside += extra["outside"]
        zero += extra["zero"]
        nonfin += extra["nonfinite"]
        medians.append(extra["median"])
    n = max(len(layer_ids), 1)
    info["items"] = medians
    notes = []
    if outside / n > 0.0005:
        notes.append((t("outside_bins", lang, v=style.fmt_pct(outside / n)), style.TEXT_MUTED))
    if zero / n > 0.0005:
        notes.append((t("exact_zero", lang, v=style.fmt_pct(zero / n)), style.TEXT_MUTED))
    if nonfin > 0:
        notes.append((t("nonfinite_n", lang, n=int(nonfin)), style.NONFINITE))
        info["nonfinite"] += int(nonfin)
    for k, (txt, col) in enumerate(notes):
        ax.text(0.02, 0.97 - 0.075 * k, txt, transform=ax.transAxes, ha="left", va="top",
                fontsize="x-small", color=col, fontweight="bold" if col == style.NONFINITE else None,
                bbox=dict(boxstyle="round,pad=0.15", fc="white", ec="none", alpha=0.8))
    if not any_curve:
        _empty_note(ax, t("all_zero", lang) if zero > 0 else t("no_data", lang))
    if hist == "hist_delta":
        ax.set_xscale("log")
    xe = hist_edges_x(rec, hist)
    ax.set_xlim(xe[0], xe[-1])
    info["record"] = r
    info["any_curve"] = any_curve
    return info


# ---------------------------------------------------------------------------
# layer x step heat map
# ---------------------------------------------------------------------------

def centers_to_edges(c) -> np.ndarray:
    """Cell edges around centres ``c`` (midpoints; the ends mirrored)."""
    c = np.asarray(c, dtype=float)
    if c.size == 1:
        return np.array([c[0] - 0.5, c[0] + 0.5])
    mid = 0.5 * (c[1:] + c[:-1])
    return np.concatenate([[c[0] - (mid[0] - c[0])], mid, [c[-1] + (c[-1] - mid[-1])]])


def step_edges(steps) -> np.ndarray:
    """Heat-map column edges: record ``r`` covers ``[steps[r], steps[r+1])``.

    A record is the state at its step, shown until the next record; the last
    column gets the width of the one before it (1 step for a single record),
    so the axis never shows negative steps.
    """
    s = np.asarray(steps, dtype=float)
    if s.size == 0:
        return np.array([0.0, 1.0])
    last = s[-1] + (s[-1] - s[-2] if s.size > 1 else 1.0)
    return np.concatenate([s, [last]])


HEATMAP_DECADES = 12  # default colour range below the maximum; lower values get the "under" end


def heatmap_norm(rec, quantity: str, *, vmin=None, vmax=None):
    """One colour scale (log10 of the positive finite values) shared by all panels.

    By default it spans at most HEATMAP_DECADES below the largest value, so one
    collapsed variant (1e-50) does not flatten the differences between the others;
    the colour bar then shows an arrow for the clipped values."""
    arr = np.asarray(rec.get(quantity), dtype=float)
    st = classify(rec, arr)
    r = finite_range(np.where(st["pos"], arr, np.nan), positive=True)
    if r is None:
        lo, hi = -1.0, 1.0
    else:
        lo, hi = np.log10(r[0]), np.log10(r[1])
        lo = max(lo, hi - HEATMAP_DECADES)
        if hi - lo < 1e-9:
            lo, hi = lo - 0.5, hi + 0.5
    return mcolors.Normalize(vmin=lo if vmin is None else vmin, vmax=hi if vmax is None else vmax)


def heatmap_layers(rec, arr, v):
    """``(log10 values masked, nonfinite mask, zero mask)`` arranged ``[layer, record]``."""
    st = classify(rec, arr)
    with np.errstate(divide="ignore", invalid="ignore"):
        lg = np.log10(np.where(st["pos"][v], arr[v], np.nan)).T
    return (np.ma.masked_invalid(lg), st["nonfinite"][v].T, st["zero"][v].T, st)


def draw_heatmap(ax, rec, variant: int, *, quantity: str = "grad_w_norm", norm=None,
                 lang: str = "en", cmap=None, max_yticks: int = 10) -> dict:
    """``log10(quantity)`` as a layer x step mesh; NaN/Inf, zeros and not-run marked."""
    arr = np.asarray(rec.get(quantity), dtype=float)
    V, R, L = arr.shape
    norm = norm or heatmap_norm(rec, quantity)
    xe = step_edges(rec.steps)
    ye = np.arange(L + 1) + 0.5
    lg, nonf, zero, st = heatmap_layers(rec, arr, variant)
    cm = mpl_cmap(cmap or style.MAGNITUDE_CMAP)  # clipped values: the darkest colour (bar arrow)
    mesh = ax.pcolormesh(xe, ye, lg, cmap=cm, norm=norm, shading="flat", rasterized=True)
    info = {"handles": [], "nonfinite": int(nonf.sum()), "zeros": int(zero.sum()),
            "mesh": mesh, "diverged": {}}
    if nonf.any():
        m = ax.pcolormesh(xe, ye, np.ma.masked_where(~nonf, np.ones(nonf.shape)),
                          cmap=mcolors.ListedColormap([style.NONFINITE]), shading="flat",
                          rasterized=True)
        m.set_gid(DIVERGENCE_GID)
    if zero.any():
        ax.pcolormesh(xe, ye, np.ma.masked_where(~zero, np.ones(zero.shape)),
                      cmap=mcolors.ListedColormap([style.FLOOR]), shading="flat", rasterized=True)
    run = ~st["not_run"][variant, :, 0]
    if not run.all():
        first = int(np.argmin(run))
        mark_not_run(ax, xe[first], xe[-1])
        info["not_run"] = True
    fnf = first_nonfinite(rec)[variant]
    if fnf >= 0:
        info["diverged"][variant] = int(fnf)
    ax.set_xlim(xe[0], xe[-1])
    from matplotlib.ticker import MaxNLocator
    ax.xaxis.set_major_locator(MaxNLocator(nbins="auto", integer=True, steps=[1, 2, 2.5, 5, 10]))
    ax.set_ylim(ye[0], ye[-1])
    set_layer_yticks(ax, rec, lang, max_yticks)
    ax.grid(False)
    return info


def set_layer_yticks(ax, rec, lang, max_ticks: int = 10):
    """Layer ticks 1..L on y ("out" for the output layer), thinned to ``max_ticks``."""
    ticks = pick_layers(rec, None, max_auto=max(2, int(max_ticks)))
    ax.set_yticks([i + 1 for i in ticks], [layer_tick(rec, i, lang) for i in ticks])


def mpl_cmap(name, under=None):
    """A copy of colormap ``name`` with transparent bad values (and an ``under`` colour)."""
    import matplotlib as mpl
    cm = mpl.colormaps[name] if isinstance(name, str) else name
    kw = {"bad": (0.0, 0.0, 0.0, 0.0)}
    if under is not None:
        kw["under"] = under
    return cm.with_extremes(**kw)


# ---------------------------------------------------------------------------
# loss / accuracy curves
# ---------------------------------------------------------------------------

def _trace_steps(rec, name):
    n = rec.get(name).shape[1]
    return np.arange(n)


def draw_train_curves(ax, rec, *, metric: str = "loss", lang: str = "en", logy="auto",
                      smooth: int | None = None, raw: bool = True, variants=None,
                      mark_best: bool = True) -> dict:
    """Training (solid) and validation (dashed) curves per variant with event markers.

    ``metric``: ``"loss"`` or ``"accuracy"``. Loss uses the dense
    ``trace_loss`` (faint raw + smoothed) when present, else the recorded
    ``loss``. Early stopping (■ at the stop step), best validation epoch (★)
    and the first non-finite step (magenta ✕ and line) are marked.
    """
    is_loss = metric == "loss"
    V = n_variants(rec)
    variants = range(V) if variants is None else variants
    steps = rec.steps
    info = {"handles": [], "nonfinite": 0, "zeros": 0, "items": [], "diverged": {},
            "events": set()}
    tr_name, rec_name, val_name = ("trace_loss", "loss", "val_loss") if is_loss else \
        ("trace_acc", "acc", "val_acc")
    use_trace = tr_name is not None and tr_name in rec and rec.get(tr_name).shape[1] > 1
    scale = 1.0 if is_loss else 100.0
    series = []
    if use_trace:
        tr = np.asarray(rec.get(tr_name), dtype=float)
        tsteps = _trace_steps(rec, tr_name)
        series.append(tr)
    recv = np.asarray(rec.get(rec_name), dtype=float) if rec_name in rec else None
    valv = np.asarray(rec.get(val_name), dtype=float) if val_name in rec else None
    has_val = valv is not None and np.isfinite(valv).any()
    if recv is not None:
        series.append(recv)
    if has_val:
        series.append(valv)
    if is_loss:
        log = spans_decades(*series, threshold=30.0) if logy == "auto" else bool(logy)
        if finite_range(*series, positive=True) is None:
            log = False
    else:
        log = False
    info["log"] = log
    if log:
        ax.set_yscale("log")
    n_smooth = smooth
    if use_trace and n_smooth is None:
        n_smooth = max(1, tsteps.size // 20)
    esteps = _per_variant(rec, "early_stop_epoch", -1)
    best = _per_variant(rec, "best_epoch", -1)
    sstop = stop_steps(rec)
    fnf = first_nonfinite(rec)
    epochs = np.asarray(rec.meta.get("epochs", []), dtype=float)
    for v in variants:
        c = style.variant_color(v)
        if use_trace:
            y = tr[v]
            st = {k: m[v] for k, m in classify(rec, tr, tsteps).items()}
            if raw and n_smooth > 1:
                ax.plot(tsteps, np.where(st["finite"], y, np.nan) * scale, color=c, alpha=0.22,
                        linewidth=0.8 * _scale(ax), zorder=2)
            ys = _ema(np.where(st["finite"], y, np.nan), n_smooth)
            tmk = "o" if tsteps.size == 1 else ("." if _few(tsteps.size) else None)
            plot_series(ax, tsteps, ys, {**st, "pos": st["pos"] & np.isfinite(ys),
                                         "finite": np.isfinite(ys)},
                        info, log=log, color=c, scale=scale, zorder=3, marker=tmk)
            info["items"].append((label(rec, v), ys[0] if ys.size else np.nan, first_last(ys)[1]))
        elif recv is not None:
            st = {k: m[v] for k, m in classify(rec, recv).items()}
            plot_series(ax, steps, recv[v], st, info, log=log, color=c, scale=scale,
                        marker="." if steps.size < 60 else None)
            info["items"].append((label(rec, v), *first_last(np.where(st["finite"], recv[v], np.nan))))
        if has_val:
            st = {k: m[v] for k, m in classify(rec, valv).items()}
            mk = "o" if steps.size <= 60 else None
            if log:
                _, nz, nn = plot_log_series(ax, steps, valv[v], st, color=c, linestyle=(0, (4, 2)),
                                            marker=mk, linewidth=1.5 * _scale(ax))
            else:
                ax.plot(steps, np.where(st["finite"], valv[v], np.nan) * scale, color=c,
                        linestyle=(0, (4, 2)), marker=mk, linewidth=1.5 * _scale(ax),
                        markersize=4 * _scale(ax), zorder=3)
                nz, nn = 0, int(st["nonfinite"].sum())
            info["zeros"] += nz
            info["nonfinite"] += nn
        info["handles"].append((Line2D([], [], color=c, linewidth=2.5), label(rec, v)))
        # events
        if esteps[v] >= 0:
            s_stop = int(sstop[v])
            ax.axvline(s_stop, color=c, linestyle=":", linewidth=1.2 * _scale(ax), zorder=2)
            src = valv if has_val else recv
            yv = np.nan
            if src is not None:
                r = pick_record(rec, step=s_stop)
                yv = src[v, r] * scale
            if np.isfinite(yv) and (not log or yv > 0):
                (m,) = ax.plot([s_stop], [yv], marker="s", color=c, markeredgecolor="black",
                               markersize=8 * _scale(ax), zorder=6, linestyle="none")
            else:
                tr_ = blended_transform_factory(ax.transData, ax.transAxes)
                (m,) = ax.plot([s_stop], [0.97], marker="s", color=c, markeredgecolor="black",
                               markersize=8 * _scale(ax), zorder=6, transform=tr_, clip_on=False,
                               linestyle="none")
            m.set_gid(EARLY_STOP_GID)
            info["events"].add("early_stop")
            if mark_best and has_val and best[v] >= 0 and epochs.size:
                rb = int(np.argmin(np.abs(epochs - best[v])))
                yb = valv[v, rb] * scale
                if np.isfinite(yb) and (not log or yb > 0):
                    ax.plot([steps[rb]], [yb], marker="*", color=c, markeredgecolor="black",
                            markersize=13 * _scale(ax), zorder=6, linestyle="none")
                    info["events"].add("best")
        if fnf[v] >= 0:
            mark_divergence(ax, int(fnf[v]), lang, text=len(list(variants)) <= 3,
                            xspan=(0, max(int(steps[-1]) if steps.size else 0,
                                          int(tsteps[-1]) if use_trace else 0)))
            info["diverged"][v] = int(fnf[v])
    # axes cosmetics
    xmax = max(int(steps[-1]) if steps.size else 0, int(tsteps[-1]) if use_trace else 0)
    set_step_xlim(ax, [0, xmax])
    ax.set_xlabel(t("step", lang))
    if is_loss:
        ax.set_ylabel(t("loss_axis", lang))
        if log:
            lo, hi = log_limits(*[np.where(np.isfinite(s), s, np.nan) for s in series], pad=1.3)
            ax.set_ylim(lo, hi)
        else:
            r = finite_range(*series)
            if r is not None:
                lo = min(0.0, r[0])
                ax.set_ylim(lo, r[1] * 1.08 if r[1] > 0 else 1.0)
    else:
        ax.set_ylabel(t("accuracy_axis", lang))
        ax.set_ylim(0, 102)
        classes = rec.meta.get("classes")
        if classes:
            ax.axhline(100.0 / classes, color="#999999", linestyle=":", linewidth=1.2 * _scale(ax),
                       zorder=1)
            info["handles"].append((Line2D([], [], color="#999999", linestyle=":"),
                                    t("chance", lang)))
    # style key
    key = []
    key.append((Line2D([], [], color="#333333"),
                t("train_smooth", lang) if use_trace and n_smooth and n_smooth > 1 else t("train", lang)))
    if has_val:
        key.append((Line2D([], [], color="#333333", linestyle=(0, (4, 2)),
                           marker="o" if steps.size <= 60 else None, markersize=4),
                    t("validation", lang)))
    if "early_stop" in info["events"]:
        key.append((Line2D([], [], marker="s", color="#BBBBBB", markeredgecolor="black",
                           linestyle="none", markersize=7), t("early_stop", lang)))
    if "best" in info["events"]:
        key.append((Line2D([], [], marker="*", color="#BBBBBB", markeredgecolor="black",
                           linestyle="none", markersize=10), t("best_epoch", lang)))
    if info["diverged"] and not info["nonfinite"]:
        key.append((Line2D([], [], marker="X", color=style.NONFINITE, linestyle=(0, (4, 2)),
                           markeredgecolor="white", markersize=9), t("nonfinite", lang)))
    info["handles"].extend(key)
    info["has_val"] = has_val
    return info


# ---------------------------------------------------------------------------
# per-layer quantity over steps (update ratio, saturation)
# ---------------------------------------------------------------------------

def draw_layer_series(ax, rec, variant: int, *, quantity: str, layers=None, lang: str = "en",
                      transform: str = "log10", colors=None) -> dict:
    """One line per layer of ``quantity`` over the recorded steps.

    ``transform``: ``"log10"`` (zeros sit on a floor marker), ``"percent"``
    (share × 100) or ``"none"``.
    """
    arr = np.asarray(rec.get(quantity), dtype=float)
    steps = rec.steps
    layer_ids = layers if layers is not None else pick_layers(rec, None)
    cols = colors or style.layer_colors(len(layer_ids))
    st = classify(rec, arr)
    info = {"handles": [], "nonfinite": 0, "zeros": 0, "diverged": {}, "values": []}
    mk = "o" if steps.size == 1 else ("." if _few(steps.size) else None)
    for c, l in zip(cols, layer_ids):
        y = arr[variant, :, l]
        s = {k: m[variant, :, l] for k, m in st.items()}
        if transform == "log10":
            with np.errstate(divide="ignore", invalid="ignore"):
                yy = np.where(s["pos"], np.log10(np.where(s["pos"], y, 1.0)), np.nan)
            nz = int(s["zero"].sum())
            if nz:
                floor_markers(ax, steps[s["zero"]], color=c)
        elif transform == "percent":
            yy = np.where(s["finite"], 100 * y, np.nan)
            nz = 0
        else:
            yy = np.where(s["finite"], y, np.nan)
            nz = 0
        ln, = ax.plot(steps, yy, color=c, marker=mk, linewidth=1.6 * _scale(ax))
        nn = int(s["nonfinite"].sum())
        if nn:
            floor_markers(ax, steps[s["nonfinite"]], top=True)
        info["zeros"] += nz
        info["nonfinite"] += nn
        info["handles"].append((ln, layer_name(rec, l, lang)))
        info["values"].append(yy)
    run = ~st["not_run"][variant, :, 0]
    if not run.all() and steps.size > 1:
        first = int(np.argmin(run))
        mark_not_run(ax, steps[max(first - 1, 0)] if first > 0 else steps[0], steps[-1])
        info["not_run"] = True
    fnf = first_nonfinite(rec)[variant]
    if fnf >= 0:
        mark_divergence(ax, int(fnf), lang, text=False)
        info["diverged"][variant] = int(fnf)
    set_step_xlim(ax, steps)
    if not any(np.isfinite(v).any() for v in info["values"]):
        _empty_note(ax, t("no_data", lang))
    return info


# ---------------------------------------------------------------------------
# percentiles of one layer's pre-activations (Ioffe & Szegedy 2015, Fig. 1)
# ---------------------------------------------------------------------------

def draw_percentiles(ax, rec, variant: int, *, layer: int, lang: str = "en") -> dict:
    steps = rec.steps
    c = style.variant_color(variant)
    arrs = [np.asarray(rec.get(n), dtype=float)[:, :, layer] for n in
            ("pre_p15", "pre_p50", "pre_p85")]
    sts = [classify(rec, a) for a in arrs]
    ys = [np.where(s["finite"][variant], a[variant], np.nan) for a, s in zip(arrs, sts)]
    info = {"handles": [], "nonfinite": 0, "zeros": 0, "diverged": {}}
    ax.fill_between(steps, ys[0], ys[2], color=c, alpha=0.22, linewidth=0, zorder=2)
    ax.plot(steps, ys[0], color=c, linewidth=0.9 * _scale(ax), alpha=0.8, zorder=3)
    ax.plot(steps, ys[2], color=c, linewidth=0.9 * _scale(ax), alpha=0.8, zorder=3)
    ax.plot(steps, ys[1], color=c, linewidth=2.2 * _scale(ax), zorder=4,
            marker="o" if steps.size == 1 else ("." if _few(steps.size) else None))
    nonf = np.zeros(steps.size, bool)
    for s in sts:
        nonf |= s["nonfinite"][variant]
    if nonf.any():
        floor_markers(ax, steps[nonf], top=True)
        info["nonfinite"] += int(nonf.sum())
    run = ~sts[1]["not_run"][variant]
    if not run.all() and steps.size > 1:
        first = int(np.argmin(run))
        mark_not_run(ax, steps[max(first - 1, 0)], steps[-1])
        info["not_run"] = True
    fnf = first_nonfinite(rec)[variant]
    if fnf >= 0:
        mark_divergence(ax, int(fnf), lang, text=False)
        info["diverged"][variant] = int(fnf)
    ax.axhline(0, color="#999999", linewidth=0.8 * _scale(ax), zorder=1)
    set_step_xlim(ax, steps)
    if not any(np.isfinite(y).any() for y in ys):
        _empty_note(ax, t("no_data", lang))
    info["handles"] = [
        (Line2D([], [], color="#333333", linewidth=2.2), t("p50", lang)),
        (Patch(facecolor="#333333", alpha=0.22), t("p15_85", lang)),
    ]
    info["series"] = ys
    return info


# ---------------------------------------------------------------------------
# learning rate, gradient clipping
# ---------------------------------------------------------------------------

def draw_lr(ax, rec, *, lang: str = "en", logy="auto") -> dict:
    """The learning-rate schedule per variant (``trace_lr``, else recorded ``lr``)."""
    if "trace_lr" in rec and rec.get("trace_lr").shape[1] > 1:
        arr = np.asarray(rec.get("trace_lr"), dtype=float)
        xs = _trace_steps(rec, "trace_lr")
        st = classify(rec, arr, xs)
    else:
        arr = np.asarray(rec.get("lr"), dtype=float)
        xs = rec.steps
        st = classify(rec, arr)
    V = arr.shape[0]
    log = spans_decades(arr, threshold=10.0) if logy == "auto" else bool(logy)
    if finite_range(arr, positive=True) is None:
        log = False
    info = {"handles": [], "nonfinite": 0, "zeros": 0, "items": [], "diverged": {}, "log": log}
    if log:
        ax.set_yscale("log")
    for v in range(V):
        c = style.variant_color(v)
        s = {k: m[v] for k, m in st.items()}
        # offset identical schedules slightly in line width so all stay visible
        lw = (2.6 - 0.5 * min(v, 3)) * _scale(ax)
        plot_series(ax, xs, arr[v], s, info, log=log, color=c, linewidth=lw,
                    marker="o" if xs.size == 1 else None)
        info["items"].append((label(rec, v), *first_last(np.where(s["finite"], arr[v], np.nan))))
        info["handles"].append((Line2D([], [], color=c, linewidth=2.5), label(rec, v)))
        fnf = first_nonfinite(rec)[v]
        if fnf >= 0:
            info["diverged"][v] = int(fnf)
    if log:
        ax.set_ylim(*log_limits(arr, pad=1.4))
    else:
        r = finite_range(arr)
        hi = r[1] if r and r[1] > 0 else 1.0
        ax.set_ylim(0, hi * 1.1)
    set_step_xlim(ax, xs)
    ax.set_xlabel(t("step", lang))
    ax.set_ylabel(t("learning_rate", lang))
    return info


def clip_threshold(rec, variant: int):
    """The gradient-clipping norm θ of a variant (override, then meta), or None."""
    ov = rec.meta.get("variant_overrides") or []
    if variant < len(ov) and isinstance(ov[variant], dict):
        for k in ("train.clip_norm", "clip_norm"):
            if k in ov[variant]:
                val = ov[variant][k]
                return float(val) if val else None
    val = meta_value(rec, "clip_norm", variant)
    if val is None and isinstance(rec.meta.get("scenario"), dict):
        val = (rec.meta["scenario"].get("train") or {}).get("clip_norm")
    try:
        val = float(val)
    except (TypeError, ValueError):
        return None
    return val if val > 0 and np.isfinite(val) else None


def draw_grad_clip(ax, rec, variant: int, *, lang: str = "en", ylim=None) -> dict:
    """Global gradient norm before (faint) and after (solid) clipping, log y."""
    dense = "trace_grad_norm" in rec and rec.get("trace_grad_norm").shape[1] > 1
    pre_name, post_name = ("trace_grad_norm", "trace_grad_norm_clipped") if dense else \
        ("grad_norm", "grad_norm_clipped")
    pre = np.asarray(rec.get(pre_name), dtype=float)
    post = np.asarray(rec.get(post_name), dtype=float) if post_name in rec else pre
    xs = _trace_steps(rec, pre_name) if dense else rec.steps
    stp = classify(rec, pre, xs if dense else None)
    sto = classify(rec, post, xs if dense else None)
    c = style.variant_color(variant)
    ax.set_yscale("log")
    info = {"handles": [], "nonfinite": 0, "zeros": 0, "diverged": {}}
    s = {k: m[variant] for k, m in stp.items()}
    mk = "o" if xs.size == 1 else ("." if _few(xs.size) else None)
    _, nz1, nn1 = plot_log_series(ax, xs, pre[variant], s, color=c, alpha=0.35,
                                  linewidth=1.0 * _scale(ax), marker=mk)
    s = {k: m[variant] for k, m in sto.items()}
    _, nz2, _ = plot_log_series(ax, xs, post[variant], s, color=c, linewidth=1.6 * _scale(ax),
                                marker=mk)
    info["zeros"] += nz1 + nz2
    info["nonfinite"] += nn1
    theta = clip_threshold(rec, variant)
    if theta:
        ax.axhline(theta, color="#444444", linestyle=(0, (5, 3)), linewidth=1.0 * _scale(ax), zorder=2.5)
        ax.annotate(t("clip_threshold", lang, v=style.fmt_num(theta)), xy=(1.0, theta),
                    xycoords=("axes fraction", "data"), xytext=(-3, 3), textcoords="offset points",
                    ha="right", va="bottom", fontsize="x-small",
                    bbox=dict(boxstyle="round,pad=0.15", fc="white", ec="none", alpha=0.8))
        info["theta"] = theta
        with np.errstate(invalid="ignore"):
            info["clipped_share"] = float(np.mean(pre[variant][stp["finite"][variant]] > theta)) \
                if stp["finite"][variant].any() else 0.0
    run = ~s["not_run"]
    if not run.all():
        first = int(np.argmin(run))
        mark_not_run(ax, xs[max(first - 1, 0)], xs[-1])
        info["not_run"] = True
    fnf = first_nonfinite(rec)[variant]
    if fnf >= 0:
        mark_divergence(ax, int(fnf), lang, text=True, xspan=(xs[0], xs[-1]))
        info["diverged"][variant] = int(fnf)
    set_step_xlim(ax, xs)
    info["handles"] = [
        (Line2D([], [], color="#333333", alpha=0.35, linewidth=1.2), t("before_clip", lang)),
        (Line2D([], [], color="#333333", linewidth=1.8), t("after_clip", lang)),
    ]
    info["arrays"] = (pre, post)
    return info


# ---------------------------------------------------------------------------
# decision boundary
# ---------------------------------------------------------------------------

CLASS_COLORS = ("#E69F00", "#56B4E9", "#009E73", "#CC79A7", "#D55E00", "#0072B2",
                "#F0E442", "#000000")


def class_color(k: int) -> str:
    return CLASS_COLORS[k % len(CLASS_COLORS)]


def boundary_rgb(cls, conf, classes: int) -> np.ndarray:
    """RGB image: class colour, paler where the top softmax probability is low."""
    cls = np.asarray(cls)
    conf = np.asarray(conf, dtype=float)
    pal = np.array([mcolors.to_rgb(class_color(k)) for k in range(max(classes, int(cls.max()) + 1, 1))])
    base = pal[np.clip(cls, 0, len(pal) - 1)]
    chance = 1.0 / max(classes, 2)
    a = np.clip((np.nan_to_num(conf, nan=chance) - chance) / (1 - chance), 0, 1)
    a = (0.18 + 0.62 * a)[..., None]
    img = 1.0 - a * (1.0 - base)
    img[~np.isfinite(conf)] = mcolors.to_rgb(style.NOT_RUN)
    return img


def draw_boundary(ax, rec, variant: int, *, record=None, lang: str = "en", points: bool = True,
                  max_points: int = 600) -> dict:
    bc = rec.get("boundary_class")
    bf = rec.get("boundary_conf")
    xs = np.asarray(rec.get("boundary_xs"), dtype=float)
    ys = np.asarray(rec.get("boundary_ys"), dtype=float)
    classes = int(rec.meta.get("classes") or (int(np.nanmax(bc)) + 1))
    R = bc.shape[1]
    r = R - 1 if record is None else (record + R if record < 0 else record)
    conf_ok = np.isfinite(bf[variant]).reshape(R, -1).any(1)
    if not conf_ok[r] and conf_ok.any():
        r = int(np.nonzero(conf_ok)[0][-1])
    dx = (xs[1] - xs[0]) / 2 if xs.size > 1 else 0.5
    dy = (ys[1] - ys[0]) / 2 if ys.size > 1 else 0.5
    extent = (xs[0] - dx, xs[-1] + dx, ys[0] - dy, ys[-1] + dy)
    img = ax.imshow(boundary_rgb(bc[variant, r], bf[variant, r], classes), origin="lower",
                    extent=extent, interpolation="nearest", aspect="auto", zorder=1)
    info = {"handles": [], "nonfinite": 0, "zeros": 0, "diverged": {}, "record": r, "image": img}
    if points and "train_x" in rec:
        X = np.asarray(rec.get("train_x"), dtype=float)
        y = np.asarray(rec.get("train_y")).astype(int) if "train_y" in rec else np.zeros(len(X), int)
        if len(X) > max_points:
            idx = np.random.default_rng(0).choice(len(X), max_points, replace=False)
            X, y = X[idx], y[idx]
        cols = [class_color(k) for k in y]
        info["scatter"] = ax.scatter(X[:, 0], X[:, 1], c=cols, s=11 * _scale(ax) ** 2,
                                     edgecolors="black", linewidths=0.4, zorder=3)
    ax.set_xlim(extent[0], extent[1])
    ax.set_ylim(extent[2], extent[3])
    ax.set_aspect("equal", adjustable="box")
    ax.grid(False)
    info["handles"] = [(Patch(facecolor=class_color(k), edgecolor="black", linewidth=0.4),
                        t("class_n", lang, n=k + 1)) for k in range(classes)]
    stop = stop_steps(rec)[variant]
    fnf = first_nonfinite(rec)[variant]
    if fnf >= 0:
        info["diverged"][variant] = int(fnf)
    if rec.steps.size and int(rec.steps[r]) < int(rec.steps[-1]) and record is None:
        info["stopped"] = int(stop)
    return info


def accuracy_at(rec, v: int, r: int):
    for name in ("val_acc", "acc"):
        if name in rec:
            a = float(rec.get(name)[v, r])
            if np.isfinite(a):
                return a
    return np.nan


# ---------------------------------------------------------------------------
# loss surface and optimizer paths
# ---------------------------------------------------------------------------

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


def draw_surface(ax, rec, *, lang: str = "en", upto=None, levels: int = 16, paths: bool = True,
                 colorbar_ax=None) -> dict:
    """Filled log-spaced contours of ``surface_z`` and every optimizer path."""
    xs = np.asarray(rec.get("surface_xs"), dtype=float)
    ys = np.asarray(rec.get("surface_ys"), dtype=float)
    z = np.asarray(rec.get("surface_z"), dtype=float)
    lv, zmin = surface_levels(z, levels, rec.meta.get("surface_min_value"))
    norm = mcolors.LogNorm(vmin=lv[0] - zmin, vmax=lv[-1] - zmin) if lv[0] > zmin else None
    zz = np.clip(z, lv[0], None)
    cmap = mpl_cmap(style.MAGNITUDE_CMAP)
    if norm is not None:
        cf = ax.contourf(xs, ys, zz - zmin, levels=lv - zmin, norm=norm, cmap=cmap, alpha=0.5,
                         extend="neither", zorder=0)
        ax.contour(xs, ys, zz - zmin, levels=lv - zmin, colors="#5A5A5A", linewidths=0.35 * _scale(ax),
                   alpha=0.5, zorder=1)
    else:
        cf = ax.contourf(xs, ys, zz, levels=lv, cmap=cmap, zorder=0)
    mn = rec.meta.get("surface_minimum")
    if mn is not None and len(mn) == 2 and np.all(np.isfinite(np.asarray(mn, dtype=float))):
        mx, my = float(mn[0]), float(mn[1])
    else:
        gi = np.unravel_index(np.nanargmin(z), z.shape)
        mx, my = xs[gi[1]], ys[gi[0]]
    ax.plot(mx, my, marker="+", color="white", markersize=14 * _scale(ax),
            markeredgewidth=2.5 * _scale(ax), zorder=5, linestyle="none")
    (mk,) = ax.plot(mx, my, marker="+", color="black", markersize=12 * _scale(ax),
                    markeredgewidth=1.2 * _scale(ax), zorder=5, linestyle="none")
    info = {"handles": [], "nonfinite": 0, "zeros": 0, "diverged": {},
            "contour": cf, "zmin": zmin, "items": [], "lines": [], "heads": []}
    if paths and "path" in rec:
        P = np.asarray(rec.get("path"), dtype=float)
        PL = np.asarray(rec.get("path_loss"), dtype=float) if "path_loss" in rec else None
        V, S, _ = P.shape
        n = S if upto is None else min(int(upto) + 1, S)
        x0, x1, y0, y1 = xs[0], xs[-1], ys[0], ys[-1]
        for v in range(V):
            c = style.variant_color(v)
            p = P[v, :n]
            fin = np.all(np.isfinite(p), 1)
            inside = fin & (p[:, 0] >= x0) & (p[:, 0] <= x1) & (p[:, 1] >= y0) & (p[:, 1] <= y1)
            # draw up to the first point that left the plot or became non-finite
            bad = np.nonzero(~inside)[0]
            stop = int(bad[0]) if bad.size else n
            q = p[:stop]
            (ln,) = ax.plot(q[:, 0], q[:, 1], color=c, linewidth=1.8 * _scale(ax), zorder=3,
                            marker="." if stop <= 60 else None, markersize=3 * _scale(ax),
                            solid_capstyle="round")
            ax.plot(q[:, 0], q[:, 1], color="white", linewidth=3.6 * _scale(ax), zorder=2,
                    alpha=0.55)
            info["lines"].append(ln)
            if len(q):
                ax.plot(q[0, 0], q[0, 1], marker="o", color="white", markeredgecolor="black",
                        markersize=8 * _scale(ax), zorder=4, linestyle="none")
                (hd,) = ax.plot(q[-1, 0], q[-1, 1], marker="^", color=c, markeredgecolor="black",
                                markersize=9 * _scale(ax), zorder=6, linestyle="none")
                info["heads"].append(hd)
            info["handles"].append((Line2D([], [], color=c, linewidth=2.5), label(rec, v)))
            final = PL[v, stop - 1] if PL is not None and stop > 0 else np.nan
            info["items"].append((label(rec, v), final, stop < n, stop))
            if stop < n:
                nonfin = not fin[stop]
                last = q[-1] if len(q) else p[0]
                (m,) = ax.plot(np.clip(last[0], x0, x1), np.clip(last[1], y0, y1), marker="X",
                               color=style.NONFINITE, markeredgecolor="white",
                               markersize=11 * _scale(ax), zorder=7, linestyle="none")
                m.set_gid(DIVERGENCE_GID)
                msg = t("diverged_at", lang, n=stop) if nonfin else t("left_plot", lang, n=stop)
                ax.annotate(msg, xy=(np.clip(last[0], x0, x1), np.clip(last[1], y0, y1)),
                            xytext=(8, -10), textcoords="offset points", color=style.NONFINITE,
                            fontsize="x-small", fontweight="bold", zorder=8,
                            bbox=dict(boxstyle="round,pad=0.15", fc="white", ec="none", alpha=0.85))
                info["diverged"][v] = stop
                if nonfin:
                    info["nonfinite"] += int((~fin[stop:]).sum())
    info["handles"].append((Line2D([], [], marker="o", color="white", markeredgecolor="black",
                                   linestyle="none", markersize=8), t("start", lang)))
    info["handles"].append((mk, t("minimum", lang)))
    ax.set_xlim(xs[0], xs[-1])
    ax.set_ylim(ys[0], ys[-1])
    ax.set_xlabel("w₁")
    ax.set_ylabel("w₂")
    ax.grid(False)
    return info
