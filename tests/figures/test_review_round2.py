"""Review round 2 (review_a / review_b): each figure drawn from a synthetic Recording
whose recorded values are known, and the numbers it prints checked against them."""
from __future__ import annotations

import numpy as np
import pytest

from gradviz import animations, figures

pytestmark = pytest.mark.filterwarnings("error")


def _texts(fig):
    from matplotlib.text import Text
    return [a.get_text() for a in fig.findobj(Text)]


# -- 1. where a run stopped: the recorded stop, not the step of the record showing it -------------

def _stop_between_records(rec, v, stop_step, epoch=-1):
    """Variant ``v`` stops at ``stop_step`` (between two records); the first record at or
    after it is the last it shows (as the simulator writes an early-stopped run)."""
    for name, val in (("stop_step", stop_step), ("early_stop_epoch", epoch)):
        arr = rec.get(name).copy()
        arr[v] = val
        rec.add(name, arr, rec.axes[name])
    shown = int(np.searchsorted(rec.steps, stop_step))
    assert rec.steps[shown] != stop_step
    for name in ("boundary_conf",):
        if name in rec:
            arr = np.array(rec.get(name), dtype=float)
            arr[v, shown + 1:] = np.nan
            rec.add(name, arr, rec.axes[name])
    return int(rec.steps[shown])


@pytest.mark.parametrize("epoch,want", [(-1, "stopped at step 54"), (27, "stopped at epoch 27")])
def test_boundary_animation_says_the_recorded_stop(make_recording, epoch, want):
    rec = make_recording("boundary")
    slot = _stop_between_records(rec, 1, 54, epoch)
    fig, scene = animations.build(rec, "boundary_anim", dpi=40)
    scene.update(scene.n_frames - 1)
    texts = " | ".join(_texts(fig))
    assert want in texts
    assert f"stopped at step {slot}" not in texts


@pytest.mark.parametrize("epoch,want", [(-1, "stopped at step 54"), (27, "stopped at epoch 27")])
def test_grad_norms_panel_says_the_recorded_stop(make_recording, epoch, want):
    rec = make_recording("vanishing")
    for name in ("grad_w_norm",):
        arr = np.array(rec.get(name), dtype=float)
        arr[1, int(np.searchsorted(rec.steps, 54)) + 1:] = np.nan
        rec.add(name, arr, rec.axes[name])
    slot = _stop_between_records(rec, 1, 54, epoch)
    fig, _ = figures.build(rec, "grad_norms", dpi=40)
    texts = " | ".join(_texts(fig))
    assert want in texts
    assert f"stopped at step {slot}" not in texts


# -- 2. the dotted "overfitting" training curve: only for a rise with a real train/val gap ---------

def _curves(rec, v, train, val):
    """Variant v's recorded training loss, dense trace and validation loss set to the
    synthetic curves (records at rec.steps)."""
    for name, arr in (("loss", train), ("val_loss", val)):
        a = np.asarray(rec.get(name), dtype=float).copy()
        a[v] = arr
        rec.arrays[name] = a
    tr = np.asarray(rec.get("trace_loss"), dtype=float).copy()
    from gradviz.panels.recording import trace_steps
    tr[v] = np.interp(trace_steps(rec, "trace_loss"), rec.steps, train)
    rec.arrays["trace_loss"] = tr


@pytest.mark.parametrize("show", ["validation", "both"])
def test_overfitting_overlay_needs_the_rise_and_the_gap(make_recording, show):
    from gradviz.panels.curves import OVERFIT_DOTS
    import matplotlib as mpl
    rec = make_recording("exploding")                  # three variants, no divergence drawn below
    R = rec.steps.size
    best = np.r_[np.linspace(1.0, 0.05, R // 2), np.full(R - R // 2, 0.05)]
    rising = np.r_[np.linspace(1.0, 0.05, R // 2), np.linspace(0.05, 0.1, R - R // 2)]   # ends 2× its best
    # variant 0: validation rises, training far below it (a real gap): overfitting
    _curves(rec, 0, rising / 10, rising)
    # variant 1: validation rises the same way, but training lies ABOVE it (noise, not overfitting)
    _curves(rec, 1, rising * 1.1, rising)
    # variant 2: training far below validation, but validation never rises above its best
    _curves(rec, 2, best / 10, best)
    rec.arrays["first_nonfinite_step"] = np.full_like(rec.get("first_nonfinite_step"), -1)
    rec.arrays["stop_step"] = np.full_like(rec.get("stop_step"), int(rec.steps[-1]))
    fig, built = figures.build(rec, "loss", dpi=40, show=show)
    ax = fig.axes[0]
    dotted = {mpl.colors.to_hex(ln.get_color()) for ln in ax.get_lines()
              if isinstance(ln.get_linestyle(), str) and ln.get_linestyle() in ("--", ":", "-.")
              and tuple(np.round(np.asarray(ln._unscaled_dash_pattern[1]), 3)) == OVERFIT_DOTS[1]}
    from gradviz import style
    assert dotted == {mpl.colors.to_hex(style.variant_color(0))}
    keys = {t.get_text() for leg in fig.legends for t in leg.get_texts()} | \
        {t.get_text() for leg in [ax.get_legend()] if leg for t in leg.get_texts()}
    assert "training, where validation rises (overfitting)" in keys
    assert "gap between the two is overfitting" in built.caption


# -- 3. one name per definition: "saturated" (|tanh| > 0.97) is not "beyond the bins" -------------

def test_saturated_and_beyond_the_bins_never_share_a_name(make_recording):
    from gradviz.panels.recording import layer_name
    from gradviz import style
    rec = make_recording("vanishing")                       # tanh
    sat = np.asarray(rec.get("saturation"), dtype=float).copy()
    over = np.asarray(rec.get("hist_act_over"), dtype=float).copy()
    under = np.asarray(rec.get("hist_act_under"), dtype=float).copy()
    counts = np.asarray(rec.get("hist_act"), dtype=float)
    last = rec.n_layers - 2                                  # the last hidden layer
    sat[0, 0, :] = 0.1
    sat[0, 0, last] = 0.79                                   # |tanh| > 0.97: 79% (recorded)
    n = counts[0, 0, last].sum()
    over[0, 0, last] = under[0, 0, last] = 0.5 * n * 0.45 / 0.55   # beyond the bins: 45% in all
    for name, arr in (("saturation", sat), ("hist_act_over", over), ("hist_act_under", under)):
        rec.add(name, arr, rec.axes[name])
    fig, built = figures.build(rec, "activation_hist", dpi=40)
    name = layer_name(rec, last, "en")
    texts = _texts(fig)
    assert f"saturated, {name}: 79%" in texts                # the note: the recorded rule
    assert "beyond the bins (bar at the edge)" in texts      # the bars: their own name
    assert "saturated (beyond the bins)" not in texts
    assert f"{name}: middle half" in built.alt and "79% saturated, 45% beyond the bins" in built.alt
    assert "45% saturated" not in built.alt
    assert "|tanh| > 0.97" in built.caption


# -- 4. ReLU activations finer than the bins: the alt text gives the data, not the bin edges -------

def test_relu_alt_text_gives_recorded_percentile_when_finer_than_the_bins(make_recording):
    rec = make_recording("relu")
    edges = rec.get("hist_act_edges")[0]
    counts = np.asarray(rec.get("hist_act"), dtype=float).copy()
    dead = np.asarray(rec.get("dead"), dtype=float).copy()
    p85 = np.asarray(rec.get("pre_p85"), dtype=float).copy()
    layers = np.arange(rec.n_layers - 1)
    for l in layers:                                         # every value inside the first bin
        counts[0, 0, l] = 0.0
        counts[0, 0, l, 0] = 1000.0
        dead[0, 0, l] = 0.0
        p85[0, 0, l] = 0.065 * 0.5 ** l                      # halving per layer, far below 0.15
    for name, arr in (("hist_act", counts), ("dead", dead), ("pre_p85", p85)):
        rec.add(name, arr, rec.axes[name])
    for name in ("hist_act_over", "hist_act_under"):
        a = np.asarray(rec.get(name), dtype=float).copy()
        a[0, 0] = 0.0
        rec.add(name, a, rec.axes[name])
    fig, built = figures.build(rec, "activation_hist", dpi=40, step=0)
    alt = built.alt.split("; uniform")[0]                    # variant 0's part
    w = f"{edges[1] - edges[0]:.2f}"
    assert f"middle half between 0 and {w}" not in alt
    assert f"layer 1: 85% ≤ 0.065, finer than the bins ({w} wide)" in alt
    from gradviz import style
    last = rec.n_layers - 2
    assert f"85% ≤ {style.fmt_num(0.065 * 0.5 ** last, 2, 'en')}, finer than the bins" in alt


# -- 5. gradient histograms: no "NaN and NaN" quartiles; a skipped step is named -------------------

def test_gradient_hist_names_empty_layers_and_skipped_steps(make_recording):
    rec = make_recording("vanishing")
    counts = np.asarray(rec.get("hist_delta"), dtype=float).copy()
    zero = np.asarray(rec.get("hist_delta_zero"), dtype=float).copy()
    skipped = np.asarray(rec.get("skipped"), dtype=float).copy()
    zero[0, 0, 0] = counts[0, 0, 0].sum()                   # variant 0, layer 1: every value exactly 0
    counts[0, 0, 0] = 0.0
    counts[1, 0] = 0.0                                      # variant 1: step 0 skipped, nothing recorded
    zero[1, 0] = 0.0
    skipped[1, 0] = 1.0
    for name, arr in (("hist_delta", counts), ("hist_delta_zero", zero), ("skipped", skipped)):
        rec.add(name, arr, rec.axes[name])
    fig, built = figures.build(rec, "gradient_hist", dpi=40, step=0)
    assert "NaN and NaN" not in built.alt
    assert f"{rec.labels[0]}: layer 1: 100% exactly 0;" in built.alt
    assert f"{rec.labels[1]}: step skipped (overflow)" in built.alt
    assert "step skipped (overflow)" in [t.get_text() for t in fig.axes[1].texts]
    assert "step skipped (overflow)" not in [t.get_text() for t in fig.axes[0].texts]


# -- 6. surface: the NaN/Inf step is the recording's first_nonfinite_step -------------------------

def test_surface_nonfinite_note_uses_the_recorded_step(make_recording):
    rec = make_recording("surface")
    fnf = np.asarray(rec.get("first_nonfinite_step")).copy()
    v = int(np.flatnonzero(fnf >= 0)[0])
    path = np.asarray(rec.get("path"), dtype=float)
    first_nan = int(np.argmin(np.all(np.isfinite(path[v]), 1)))
    fnf[v] = first_nan - 1          # as the engine records it: the step whose loss was Inf; NaN weights follow
    rec.add("first_nonfinite_step", fnf, rec.axes["first_nonfinite_step"])
    fig, built = figures.build(rec, "surface", dpi=40)
    lab = rec.labels[v]
    texts = _texts(fig)
    assert f"{lab}: NaN/Inf from step {first_nan - 1}" in texts
    assert f"{lab}: NaN/Inf from step {first_nan}" not in texts
    assert f"{lab}: NaN/Inf from step {first_nan - 1}" in built.alt


# -- 7. show = both: the alt text names each curve; the validation key is visibly dashed -----------

@pytest.mark.parametrize("name,pct", [("loss", False), ("accuracy", True)])
def test_both_curves_alt_text_names_validation_and_training(make_recording, name, pct):
    from gradviz import style
    rec = make_recording("exploding")
    fig, built = figures.build(rec, name, dpi=40, show="both")
    val = np.asarray(rec.get("val_loss" if name == "loss" else "val_acc"), dtype=float)
    f = style.fmt_pct if pct else style.fmt_num
    for v, lab in enumerate(rec.labels):
        y = val[v][np.isfinite(val[v])]
        if y.size:
            assert f"{lab} (validation): {f(y[0])} at the start, {f(y[-1])} at the end" in built.alt
        assert f"{lab} (training): " in built.alt


def test_validation_legend_handle_shows_its_dashes_beside_the_circle(make_recording):
    rec = make_recording("exploding")
    fig, _ = figures.build(rec, "loss", dpi=40, show="both")
    fig.canvas.draw()
    leg = fig.legends[0]
    texts = [t.get_text() for t in leg.get_texts()]
    handle = leg.legend_handles[texts.index("validation")]
    assert handle.get_linestyle() == "--"
    # the handle as the legend draws it: its line, the circle in the middle
    length = leg.handlelength * leg.prop.get_size_in_points()
    offset, pattern = handle._dash_pattern
    gaps, x, k = [], -offset, 0
    while x < length:
        on, off = pattern[k % len(pattern)], pattern[(k + 1) % len(pattern)]
        gaps.append((x + on, x + on + off))
        x, k = x + on + off, k + 2
    r = handle.get_markersize() / 2
    mid = length / 2
    left = [g for g in gaps if 0 < g[0] and g[1] < mid - r]
    right = [g for g in gaps if g[0] > mid + r and g[1] < length]
    assert left and right, (length, pattern, r)


# -- 8. automatic layer choice keeps the layers the scenario's claims read -------------------------

def test_auto_layers_keep_the_claimed_layer(make_recording):
    from gradviz.panels.recording import pick_layers
    rec = make_recording("vanishing", depth=8)               # 9 layers: 8 shown automatically
    assert rec.n_layers == 9
    plain = pick_layers(rec)
    assert 4 not in plain and len(plain) == 8                # the evenly spaced choice drops layer 5
    rec.meta["scenario"] = {"claims": [{"quantity": "update_ratio", "layer": 4, "text": "a middle layer"},
                                       {"quantity": "grad_w_norm", "layer": "out", "text": "output"}]}
    kept = pick_layers(rec)
    assert 4 in kept and rec.n_layers - 1 in kept and len(kept) == 8 and kept == sorted(kept)
    assert kept[0] == 0
    fig, built = figures.build(rec, "update_ratio", dpi=40)
    assert "layer 5" in " | ".join(_texts(fig))


def test_histogram_panel_title_says_the_recorded_stop(make_recording):
    rec = make_recording("vanishing")
    slot = _stop_between_records(rec, 1, 54)
    fig, _ = figures.build(rec, "activation_hist", dpi=40, step=int(rec.steps[-1]))
    texts = " | ".join(_texts(fig))
    assert "stopped at step 54" in texts and f"stopped at step {slot}" not in texts
