"""Review findings (notes/review_*.md) fixed in the figure files, each with the data it
must draw: saturation per layer and one definition of "saturated", zeros named by
layer, loss limits from the drawn curves and the chance level, the histogram
animation's values beyond the bins."""
from __future__ import annotations

import numpy as np

from gradviz import animations, figures, style
from gradviz.panels.recording import layer_name


def test_saturation_alt_text_gives_layer_one_not_an_average(recs):
    rec = recs("vanishing")
    fig, built = figures.build(rec, "saturation", dpi=30)
    sat = np.asarray(rec.get("saturation"), dtype=float)
    first = style.fmt_pct(sat[0, 0, 0])
    assert f"{rec.labels[0]}, {layer_name(rec, 0, 'en')}: {first} at the start" in built.alt
    assert "|tanh| > 0.97" in built.caption


def test_tanh_histogram_note_uses_the_saturation_the_saturation_figure_draws(make_recording):
    rec = make_recording("activations")            # sigmoid, tanh, relu
    sat = np.asarray(rec.get("saturation"), dtype=float)
    fig, built = figures.build(rec, "activation_hist", dpi=30)
    tanh = fig.axes[1]
    worst = int(np.nanargmax(sat[1, 0, :rec.n_layers - 1]))
    want = f"saturated, {layer_name(rec, worst, 'en')}: {style.fmt_pct(sat[1, 0, worst])}"
    assert want in [t.get_text() for t in tanh.texts]


def test_exact_zero_note_names_its_layer(make_recording):
    rec = make_recording("relu")
    zero = np.asarray(rec.get("hist_delta_zero"), dtype=float).copy()
    counts = np.asarray(rec.get("hist_delta"), dtype=float)
    zero[0, 0, 2] = counts[0, 0, 2].sum()              # half of layer 3's values exactly 0
    rec.arrays["hist_delta_zero"] = zero
    fig, built = figures.build(rec, "gradient_hist", dpi=30)
    notes = [t.get_text() for t in fig.axes[0].texts if t.get_text().startswith("exactly 0")]
    assert notes and notes[0].startswith("exactly 0, layer 3: ")


def test_loss_limits_follow_the_drawn_validation_curves_and_mark_chance(recs):
    rec = recs("exploding")
    fig, built = figures.build(rec, "loss", dpi=30, show="validation", logy=True)
    ax = fig.axes[0]
    val = np.asarray(rec.get("val_loss"), dtype=float)
    low = np.nanmin(val[val > 0])
    assert ax.get_ylim()[0] > low / 2          # not stretched to the (hidden) training minimum
    chance = np.log(rec.meta["classes"])
    if ax.get_ylim()[0] < chance < ax.get_ylim()[1]:
        assert any(np.allclose(ln.get_ydata(), chance) for ln in ax.get_lines())


def test_histogram_animation_draws_values_beyond_the_bins(recs):
    rec = recs("exploding")
    fig, scene = animations.build(rec, "hist_anim", dpi=30)
    over = np.asarray(rec.get("hist_delta_over"), dtype=float)
    scene.update(0)
    bars = [a for a in scene.artists if a.__class__.__name__ == "Rectangle"]
    assert bars
    heights = sorted(b.get_height() for b in bars)
    if over[:, 0].sum() > 0:
        assert heights[-1] > 0
        notes = [a.get_text() for a in scene.artists if hasattr(a, "get_text") and "beyond the bins" in a.get_text()]
        assert notes
