"""One declaration per recorded array: its name, axes, meaning, the label the
figures print for it, and where it is defined.

This table is the Recording's contract (design.md section 4) as data: the
README's quantity table is generated from it (:func:`table`,
``python -m gradviz.docs README.md``), the tests build their synthetic
Recordings from it and check the simulator against it, and
``tests/test_names.py`` ties it to the kernels' statistic names
(``kernels.LAYER_STATS``, ``STEP_STATS``, ``HISTS``).

Adding a statistic: compute it in ``kernels.py`` (append to ``LAYER_STATS``),
declare it here, and draw it with any per-layer figure option
(``heatmap``'s ``quantity``); README section "Extending gradviz".
"""
from __future__ import annotations

from dataclasses import dataclass

from .i18n import N_, t
from .names import ACTIVATIONS, DTYPES

SERIES = ("variant", "record")
LAYER = ("variant", "record", "layer")
HIST = ("variant", "record", "layer", "bin")
TRACE = ("variant", "step")
VARIANT = ("variant",)
EDGE = ("edge",)


@dataclass(frozen=True)
class Quantity:
    """One array of a Recording."""
    name: str
    axes: tuple[str, ...]
    meaning: str                                  # one line, for the README
    label: str | None = None                      # msgid printed on axes and colour bars
    activations: tuple[str, ...] = ACTIVATIONS    # where it is defined (NaN elsewhere)
    dtypes: tuple[str, ...] = DTYPES              # run formats where it is defined
    when: str = "training"                        # training | ensemble | boundary | weights | surface


def _q(name, axes, meaning, label=None, **kw) -> Quantity:
    return Quantity(name, axes, meaning, label, **kw)


_EMULATED = ("float16", "bfloat16")
_HIST_SIDES = (("under", "values below the first bin"), ("over", "values above the last bin"),
               ("nonfinite", "NaN/Inf values"))


def _histograms() -> list[Quantity]:
    out = []
    for name, what, label in (
            ("hist_act", "activations φ(u), bins over φ's image of [−6, 6]", N_("activations")),
            ("hist_pre", "pre-activations u, bins over [−6, 6]", N_("pre-activations")),
            ("hist_delta", "log10|∂L/∂z| of the back-propagated signal, bins over [−15, 3]",
             N_("back-propagated gradients |∂L/∂z|"))):
        out.append(_q(name, HIST, f"histogram counts of {what}", label))
        out.append(_q(f"{name}_edges", ("variant",) + EDGE, f"bin edges of `{name}`, per variant (its activation)"))
        for side, meaning in _HIST_SIDES:
            out.append(_q(f"{name}_{side}", LAYER, f"count of {meaning} of `{name}`"))
    out.append(_q("hist_delta_zero", LAYER, "count of exactly zero ∂L/∂z (no log10)"))
    return out


QUANTITIES: tuple[Quantity, ...] = (
    # -- per recorded step (kernels.STEP_STATS, then validation and epoch) ---------
    _q("loss", SERIES, "cross-entropy of the minibatch, training mode (ensembles: of the averaged prediction "
       "on the whole training split, evaluation mode)"),
    _q("acc", SERIES, "accuracy on the minibatch, training mode (ensembles: as `loss`)"),
    _q("grad_norm", SERIES, "global gradient norm ‖∇L‖, before clipping"),
    _q("grad_norm_clipped", SERIES, "global gradient norm after clipping"),
    _q("clip_scale", SERIES, "clip factor of the step, ‖clipped g‖/‖g‖ (1 = not clipped)", when="clipping"),
    _q("lr", SERIES, "learning rate η of the step"),
    _q("loss_scale", SERIES, "loss scale S of the step"),
    _q("skipped", SERIES, "1 where dynamic loss scaling skipped the step"),
    _q("val_loss", SERIES, "validation loss, evaluation mode (the averaged prediction of an ensemble)"),
    _q("val_acc", SERIES, "validation accuracy, evaluation mode"),
    _q("epoch", SERIES, "epoch of the record (step / steps per epoch)"),
    # -- per layer (kernels.LAYER_STATS, in its order) ---------------------------
    _q("act_mean", LAYER, "mean of the activations a = φ(u)"),
    _q("act_std", LAYER, "standard deviation of the activations", N_("std of activations")),
    _q("pre_mean", LAYER, "mean of the pre-activations u (input of φ)"),
    _q("pre_std", LAYER, "standard deviation of the pre-activations", N_("std of pre-activations")),
    _q("pre_p15", LAYER, "15th percentile of the pre-activations"),
    _q("pre_p50", LAYER, "median of the pre-activations"),
    _q("pre_p85", LAYER, "85th percentile of the pre-activations"),
    _q("saturation", LAYER, "share of saturated units (tanh: |a| > 0.97; sigmoid: outside [0.03, 0.97])",
       N_("share of saturated units"), activations=("sigmoid", "tanh")),
    _q("dead", LAYER, "share of units whose output is exactly 0", N_("share of dead units")),
    _q("delta_rms", LAYER, "RMS of ∂L/∂z, z = W h + b: the back-propagated signal",
       N_("RMS of ∂L/∂z, back-propagated signal")),
    _q("grad_w_norm", LAYER, "Frobenius norm ‖∂L/∂W‖_F of the weight gradient, before clipping",
       N_("‖∂L/∂W‖, weight-gradient norm")),
    _q("grad_w_norm_clipped", LAYER, "Frobenius norm of the weight gradient after clipping (the step's)",
       when="clipping"),
    _q("w_norm", LAYER, "Frobenius norm of the weights", N_("‖W‖, weight norm")),
    _q("update_ratio", LAYER, "‖ΔW‖/‖W‖ of that step's update (NaN at the final record)",
       N_("‖ΔW‖ / ‖W‖, relative update")),
    _q("nonfinite", LAYER, "NaN/Inf count in z, u, a, ∂L/∂z, ∂L/∂W"),
    _q("grad_zero", LAYER, "share of exactly zero entries of ∂L/∂W"),
    _q("grad_underflow", LAYER, "share of ∂L/∂W entries that rounding turned from non-zero to 0",
       dtypes=_EMULATED),
    _q("grad_overflow", LAYER, "share of ∂L/∂W entries that rounding turned from finite to ±inf",
       dtypes=_EMULATED),
    _q("delta_underflow", LAYER, "share of ∂L/∂z entries that rounding turned from non-zero to 0",
       dtypes=_EMULATED),
    _q("update_lost", LAYER,
       "share of weights whose non-zero update was lost to rounding (w + Δw stored as w)",
       dtypes=_EMULATED),
    # -- histograms ---------------------------------------------------------------
    *_histograms(),
    # -- every training step (trace_ + each per-step statistic) -------------------
    *(_q(f"trace_{n}", TRACE, f"`{n}` at every training step")
      for n in ("loss", "acc", "grad_norm", "grad_norm_clipped", "lr", "loss_scale", "skipped")),
    _q("trace_clip_scale", TRACE, "`clip_scale` at every training step", when="clipping"),
    # -- per variant ----------------------------------------------------------------
    _q("first_nonfinite_step", VARIANT, "first step whose loss or gradient norm is not finite (−1: none)"),
    _q("stop_step", VARIANT, "last step the variant ran: the total, the first non-finite step, or the step "
       "at which early stopping ended it (ensembles: of member 0)"),
    _q("early_stop_epoch", VARIANT, "epoch at which early stopping ended the run (−1: none); the best weights "
       "are restored and the first record at or after `stop_step` shows them"),
    _q("best_epoch", VARIANT, "early stopping: the epoch (≥ 1, checked at each epoch's end) of the best "
       "validation loss, whose weights are restored (−1: no early stopping, or never finite)"),
    # -- optional ---------------------------------------------------------------------
    _q("member_loss", ("variant", "record", "member"),
       "loss of each ensemble member on the whole training split, evaluation mode", when="ensemble"),
    _q("member_val_loss", ("variant", "record", "member"), "validation loss of each ensemble member",
       when="ensemble"),
    _q("member_val_acc", ("variant", "record", "member"), "validation accuracy of each ensemble member",
       when="ensemble"),
    _q("boundary_class", ("variant", "record", "gy", "gx"), "predicted class on a grid of the input plane",
       when="boundary"),
    _q("boundary_conf", ("variant", "record", "gy", "gx"), "top softmax probability on that grid",
       when="boundary"),
    _q("boundary_xs", ("gx",), "x coordinates of the boundary grid", when="boundary"),
    _q("boundary_ys", ("gy",), "y coordinates of the boundary grid", when="boundary"),
    _q("train_x", ("sample", "feature"), "training inputs (2-D data with a boundary grid)", when="boundary"),
    _q("train_y", ("sample",), "training labels", when="boundary"),
    _q("weights_<l>", ("variant", "record", "in", "out"), "weights W of layer l (member 0) in the run's dtype "
       "(bfloat16 as float32; variants of different dtypes: the widest); with weight normalisation the "
       "direction v (the layer uses g·v/‖v‖)", when="weights"),
    _q("bias_<l>", ("variant", "record", "out"), "biases b of layer l, as `weights_<l>`", when="weights"),
    _q("gamma_<l>", ("variant", "record", "out"), "normalisation scale γ of hidden layer l, as `weights_<l>`",
       when="weights"),
    _q("beta_<l>", ("variant", "record", "out"), "normalisation shift β of hidden layer l, as `weights_<l>`",
       when="weights"),
    _q("g_<l>", ("variant", "record", "out"), "weight-normalisation scale g of hidden layer l, as `weights_<l>`",
       when="weights"),
    # -- optimizer races (kind = "surface") -------------------------------------------
    _q("path", ("variant", "step", "coord"), "optimizer position (w₁, w₂) at every step", when="surface"),
    _q("path_loss", TRACE, "surface value along the path", when="surface"),
    _q("surface_xs", ("gx",), "x coordinates of the surface grid", when="surface"),
    _q("surface_ys", ("gy",), "y coordinates of the surface grid", when="surface"),
    _q("surface_z", ("gy", "gx"), "surface value on the grid", when="surface"),
)

BY_NAME: dict[str, Quantity] = {q.name: q for q in QUANTITIES}


def get(name: str) -> Quantity:
    """The declaration of ``name`` (``weights_3`` finds ``weights_<l>``)."""
    stem, _, layer = name.rpartition("_")
    if layer.isdigit() and f"{stem}_<l>" in BY_NAME:
        return BY_NAME[f"{stem}_<l>"]
    try:
        return BY_NAME[name]
    except KeyError:
        raise KeyError(f"no recorded quantity {name!r}") from None


def label(name: str, lang: str = "en") -> str:
    """What figures print for ``name`` ("‖∂L/∂W‖, weight-gradient norm"), else the name itself."""
    q = BY_NAME.get(name)
    return t(q.label, lang) if q is not None and q.label else name


def declared(when: str = "training") -> tuple[Quantity, ...]:
    """The quantities present in every Recording of this kind (``when``)."""
    return tuple(q for q in QUANTITIES if q.when == when)


def table() -> str:
    """The README's quantity table (Markdown), one row per array."""
    rows = ["| array | axes | meaning |", "|---|---|---|"]
    for q in QUANTITIES:
        notes = []
        if q.activations != ACTIVATIONS:
            notes.append(f"{'/'.join(q.activations)} only, NaN otherwise")
        if q.dtypes != DTYPES:
            notes.append(f"{'/'.join(q.dtypes)} runs only, NaN otherwise")
        if q.when != "training":
            notes.append({"ensemble": "ensembles", "boundary": "2-D data with `record.boundary` > 0",
                          "weights": "`record.weights`", "surface": "optimizer races",
                          "clipping": "`train.clip_norm` or `clip_value` set"}[q.when])
        extra = f" ({'; '.join(notes)})" if notes else ""
        meaning = f"{q.meaning}{extra}".replace("|", "\\|")      # a bar inside a cell ends it
        rows.append(f"| `{q.name}` | {', '.join(q.axes)} | {meaning} |")
    return "\n".join(rows)
