"""Reading a Recording for drawing: variants, layers, records, and which values
are finite, zero, non-finite or never reached (:func:`classify`)."""
from __future__ import annotations

import numpy as np

from ..i18n import is_rtl, isolate_ltr, t
from .. import style


def n_variants(rec) -> int:
    return max(len(rec.labels), 1)


def label(rec, v: int) -> str:
    """Variant ``v``'s label; in a right-to-left figure its formulas isolated ("±1/√n_in")."""
    labels = rec.labels
    text = labels[v] if v < len(labels) else f"#{v}"
    return isolate_ltr(text) if is_rtl(style.current_language()) else text


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


def _variant_activation(rec, v: int):
    """A variant's activation from its overrides (the meta ``activation`` of a
    comparison may hold variant 0's only), else None."""
    ov = rec.meta.get("variant_overrides") or []
    if v < len(ov) and isinstance(ov[v], dict):
        for k in ("model.activation", "activation"):
            if k in ov[v]:
                return ov[v][k]
    return None


def activation_name(rec, variant: int | None = None) -> str:
    """The activation function's name ("tanh"...) of one variant, or of every
    variant ("φ" when they differ)."""
    if variant is None:
        names = {activation_name(rec, v) for v in range(n_variants(rec))}
        return names.pop() if len(names) == 1 else "φ"
    own = _variant_activation(rec, variant)
    if own:
        return str(own)
    return str(meta_value(rec, "activation", variant, "φ") or "φ")


#: How an activation's name is written in figure text ("ReLU", not the key "relu").
ACTIVATION_TEXT = {"relu": "ReLU", "leaky_relu": "leaky ReLU", "elu": "ELU", "selu": "SELU", "gelu": "GELU"}


def activation_text(name: str) -> str:
    """An activation key as figure text (``relu`` → ``ReLU``; tanh, sigmoid unchanged)."""
    return ACTIVATION_TEXT.get(name, name)


def steps_per_epoch(rec) -> float | None:
    spe = meta_value(rec, "steps_per_epoch")
    try:
        spe = float(spe)
    except (TypeError, ValueError):
        return None
    return spe if spe > 0 else None


def per_variant(rec, name, default) -> np.ndarray:
    """The per-variant integer array ``name``, or ``default`` for every variant."""
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


def stop_text(rec, v: int, lang: str) -> str:
    """Where variant ``v`` stopped, from the recording: "stopped at epoch 27" when early
    stopping ended it (``early_stop_epoch``), else "stopped at step 54" (``stop_step``),
    never the step of the record that happens to show it."""
    epoch = per_variant(rec, "early_stop_epoch", -1)[v]
    if epoch >= 0:
        return t("stopped at epoch {n}", lang, n=int(epoch))
    return t("stopped at step {n}", lang, n=int(stop_steps(rec)[v]))


def first_nonfinite(rec) -> np.ndarray:
    return per_variant(rec, "first_nonfinite_step", -1)


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


def first_last(values) -> tuple[float, float]:
    """First and last finite value (NaN when there is none)."""
    fin = np.asarray(values, dtype=float)
    fin = fin[np.isfinite(fin)]
    return (fin[0], fin[-1]) if fin.size else (np.nan, np.nan)


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
        return _with_claimed_layers(rec, [pool[i] for i in idx], pool)
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


def claimed_layers(rec) -> list[int]:
    """0-based layers the scenario's claims read (``layer`` of a ``[[claims]]`` entry)."""
    sc = rec.meta.get("scenario")
    claims = sc.get("claims") if isinstance(sc, dict) else None
    out = []
    for c in claims if isinstance(claims, list) else []:
        layer = c.get("layer") if isinstance(c, dict) else None
        if layer == "out":
            layer = rec.n_layers - 1
        if isinstance(layer, int) and not isinstance(layer, bool):
            i = layer + rec.n_layers if layer < 0 else layer
            if 0 <= i < rec.n_layers and i not in out:
                out.append(i)
    return out


def _with_claimed_layers(rec, chosen: list[int], pool: list[int]) -> list[int]:
    """The evenly spaced ``chosen`` layers with every claimed layer of ``pool`` kept: each
    takes the place of the nearest chosen layer that is neither claimed nor the first or last."""
    claimed = [i for i in claimed_layers(rec) if i in pool]
    for i in claimed:
        if i in chosen:
            continue
        free = [c for c in chosen[1:-1] if c not in claimed] or [c for c in chosen if c not in claimed]
        if free:
            chosen[chosen.index(min(free, key=lambda c: abs(c - i)))] = i
        else:
            chosen.append(i)
    return sorted(chosen)


def layer_name(rec, i: int, lang: str = "en") -> str:
    """``"layer 3"`` or ``"output layer"`` (``i`` is 0-based)."""
    if i == rec.n_layers - 1:
        return t("output layer", lang)
    return t("layer {n}", lang, n=i + 1)


def layer_tick(rec, i: int, lang: str = "en") -> str:
    return t("out", lang) if i == rec.n_layers - 1 else str(i + 1)


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
    return t("step 0 (initialization)", lang) if s == 0 else t("step {n}", lang, n=s)


def step_epoch_text(rec, step: int, lang: str) -> str:
    spe = steps_per_epoch(rec)
    if spe:
        return t("step {step} · epoch {epoch}", lang, step=int(step), epoch=style.fmt_num(step / spe, 3))
    return t("step {n}", lang, n=int(step))


def trace_steps(rec, name) -> np.ndarray:
    """Step of every entry of a dense ``trace_*`` array (0, 1, 2, ...)."""
    n = rec.get(name).shape[1]
    return np.arange(n)


def accuracy_at(rec, v: int, r: int):
    for name in ("val_acc", "acc"):
        if name in rec:
            a = float(rec.get(name)[v, r])
            if np.isfinite(a):
                return a
    return np.nan


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


def ordered_parameter(rec):
    """``(key, values)`` when the variants differ in one numeric knob only (dropout p,
    clipping θ, momentum γ...), whose order a sequential palette should show; else None."""
    ov = rec.meta.get("variant_overrides") or []
    V = n_variants(rec)
    if V < 3 or len(ov) != V or not all(isinstance(o, dict) and len(o) == 1 for o in ov):
        return None
    keys = {next(iter(o)) for o in ov}
    if len(keys) != 1:
        return None
    vals = [next(iter(o.values())) for o in ov]
    if not all(isinstance(x, (int, float)) and not isinstance(x, bool) for x in vals) or len(set(vals)) != V:
        return None
    return keys.pop(), [float(x) for x in vals]


def _is_number(x) -> bool:
    return isinstance(x, (int, float)) and not isinstance(x, bool)


def facets(rec):
    """``(groups, hue)`` when the variants cross one categorical knob (2 or 3 values,
    e.g. ``model.norm``) with one numeric knob (e.g. ``train.batch_size``): ``groups``
    is ``[(value, [variant, ...]), ...]`` in first-seen order, each group's variants
    sorted by the numeric knob, ``hue`` each variant's numeric value. Else None."""
    ov = rec.meta.get("variant_overrides") or []
    V = n_variants(rec)
    if V < 4 or len(ov) != V or not all(isinstance(o, dict) and len(o) == 2 for o in ov):
        return None
    keys = set(ov[0])
    if any(set(o) != keys for o in ov):
        return None
    num = [k for k in keys if all(_is_number(o[k]) for o in ov)]
    cat = [k for k in keys if all(isinstance(o[k], str) for o in ov)]
    if len(num) != 1 or len(cat) != 1:
        return None
    hue = [float(o[num[0]]) for o in ov]
    order = list(dict.fromkeys(o[cat[0]] for o in ov))
    groups = [(g, sorted((v for v in range(V) if ov[v][cat[0]] == g), key=lambda v: hue[v])) for g in order]
    if not 2 <= len(order) <= 3 or any(len(vs) < 2 for _, vs in groups):
        return None
    if len({(ov[v][cat[0]], hue[v]) for v in range(V)}) != V:
        return None
    return groups, hue


def facet_names(rec, variants) -> tuple[str, list[str]]:
    """A group's panel title and each variant's short name: the labels' common part
    up to a separator ("BN" of "BN, batch 2") and what follows it ("batch 2")."""
    labs = [label(rec, v) for v in variants]
    common = labs[0]
    for lab in labs[1:]:
        while not lab.startswith(common):
            common = common[:-1]
    for sep in (", ", " · ", " - ", ": ", " "):      # the strongest separator in the common part
        cut = common.rfind(sep)
        if cut > 0:
            rest = [lab[cut + len(sep):] for lab in labs]
            return common[:cut].strip(" ,:-·"), [r or lab for r, lab in zip(rest, labs)]
    return common.strip(" ,:-·") or labs[0], labs


def palette(rec):
    """The variant colours of ``rec``'s figures: sequential for an ordered parameter (or
    the numeric knob of :func:`facets`, equal values in equal colours), else None (the
    categorical Okabe-Ito order)."""
    fc = facets(rec)
    if fc is not None:
        uniq = sorted(set(fc[1]))
        return style.sequential_colors([uniq.index(h) for h in fc[1]])
    op = ordered_parameter(rec)
    if op is None:
        return None
    ranks = np.argsort(np.argsort(op[1]))
    return style.sequential_colors(ranks)
