"""Review findings (notes/review_*.md) fixed in the figure files, each with the data it
must draw: saturation per layer and one definition of "saturated", zeros named by
layer, loss limits from the drawn curves and the chance level, the histogram
animation's values beyond the bins."""
from __future__ import annotations

import matplotlib as mpl
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


def test_quartiles_inside_one_bin_are_reported_as_that_bin():
    from gradviz.panels.histograms import _bin_resolved, hist_quantile
    edges = np.linspace(0.0, 6.0, 41)                 # ReLU bins 0.15 wide
    counts = np.zeros(40)
    counts[0] = 1000                                   # every value in the first bin
    q25, q75 = (hist_quantile(edges, counts, 0, 0, p) for p in (0.25, 0.75))
    assert 0 < q25 < q75 < 0.15                        # what interpolation invents
    assert _bin_resolved(edges, q25, q75) == (0.0, 0.15)
    counts[5] = 1000                                   # spread over two bins: kept as is
    q25, q75 = (hist_quantile(edges, counts, 0, 0, p) for p in (0.25, 0.75))
    assert _bin_resolved(edges, q25, q75) == (q25, q75)


def test_an_overfitting_variant_keeps_its_training_curve_dotted(make_recording):
    rec = make_recording("exploding")
    val = np.asarray(rec.get("val_loss"), dtype=float).copy()
    val[1] = np.linspace(1.0, 0.3, val.shape[1])
    val[1, 5:] = np.linspace(0.3, 0.9, val.shape[1] - 5)        # "he" overfits: ends at 3x its best
    rec.arrays["val_loss"] = val
    fig, built = figures.build(rec, "loss", dpi=40, show="validation")
    ax = fig.axes[0]
    dotted = [ln for ln in ax.get_lines() if ln.get_linestyle() not in ("-", "None", "none", "")
              and len(ln.get_xdata()) > 3]
    assert dotted and all(mpl.colors.to_hex(ln.get_color()) == mpl.colors.to_hex(style.variant_color(1)) for ln in dotted)
    assert "gap between the two is overfitting" in built.caption
    keys = {t.get_text() for leg in fig.legends for t in leg.get_texts()}
    assert "training, where validation rises (overfitting)" in keys


def test_five_panels_put_their_key_in_the_empty_slot(make_recording):
    specs = [dict(label=f"variant {k}", ratio=0.5 + 0.2 * k, stop_epoch=-1, diverge_record=-1, lr=0.05,
                  lr_decay=1.0, clip=None, loss_end=0.2, overfit=False, zero=False, batchnorm=False)
             for k in range(5)]
    rec = make_recording("vanishing", variants=specs)
    from gradviz.figures.collisions import collisions
    for name in ("gradient_hist", "saturation", "update_ratio"):
        fig, _ = figures.build(rec, name, dpi=40, lang="es")
        assert not fig.legends, name                         # no column of width taken from every panel
        slot = [ax for ax in fig.axes if ax.get_legend() is not None and not ax.axison]
        assert len(slot) == 1, name
        assert not collisions(fig), name


def test_best_epoch_star_sits_at_its_own_step_on_the_curve(make_recording):
    from gradviz.panels.recording import steps_per_epoch
    rec = make_recording("exploding", every=25)                  # records sparser than epochs
    fig, _ = figures.build(rec, "loss", dpi=40, show="validation")
    stars = [ln for ln in fig.axes[0].get_lines() if ln.get_marker() == "*"]
    best = int(rec.get("best_epoch")[2])
    assert stars and best >= 0
    x = stars[0].get_xdata()[0]
    assert np.isclose(x, best * steps_per_epoch(rec))
    val = np.asarray(rec.get("val_loss"), dtype=float)[2]
    ok = np.isfinite(val)
    assert np.isclose(stars[0].get_ydata()[0], np.interp(x, rec.steps[ok], val[ok]))
