"""The loss-scale figure and the lost-gradients figure draw what the Recording
holds: S per step on a log₂ axis with the skipped steps marked, the per-layer
share of exact zeros and its worst layer over training; their texts quote the
same numbers; no text collides in any language. One small real simulation
checks that the ✕ the figure draws means what the caption says (a skipped
step halves S)."""
from __future__ import annotations

import numpy as np
import pytest

from gradviz import figures
from gradviz.figures.collisions import collisions
from gradviz.figures.loss_scale import power_of_two, scaled_variants
from gradviz.figures.lost_gradients import worst_layer
from gradviz.i18n import LANGUAGES

TRACE = ("variant", "step")


def _dynamic(make_recording):
    """A synthetic Recording whose variant 1 scales dynamically: 2³⁰ halved at each of
    its first 5 steps (skipped), then 2²⁵ for good; variant 0 does not scale."""
    rec = make_recording("vanishing")
    S = np.array(rec.get("trace_loss_scale"), dtype=float)
    skipped = np.array(rec.get("trace_skipped"), dtype=float)
    n = S.shape[1]
    S[1] = 2.0 ** 25
    S[1, :5] = 2.0 ** (30 - np.arange(5))
    skipped[1] = 0.0
    skipped[1, :5] = 1.0
    rec.add("trace_loss_scale", S, TRACE)
    rec.add("trace_skipped", skipped, TRACE)
    assert n > 10
    return rec


def test_power_of_two_writes_exact_powers_with_superscripts():
    assert power_of_two(65536.0) == "2¹⁶"
    assert power_of_two(2.0 ** 30) == "2³⁰"
    assert power_of_two(0.125) == "2⁻³"
    assert power_of_two(1.0) == "2⁰"
    assert "⁰" not in power_of_two(3.0) and power_of_two(3.0).startswith("3")


def test_only_variants_that_scale_are_drawn_else_all(make_recording):
    S = np.ones((3, 5))
    assert scaled_variants(S) == [0, 1, 2]
    S[2, 3] = 4.0
    assert scaled_variants(S) == [2]
    S[1] = np.nan                      # a variant that never ran does not count as scaling
    assert scaled_variants(S) == [2]


def test_loss_scale_draws_log2_of_s_and_marks_each_skipped_step(make_recording):
    rec = _dynamic(make_recording)
    fig, built = figures.build(rec, "loss_scale")
    ax = fig.axes[0]
    lines = [ln for ln in ax.get_lines() if ln.get_linestyle() != "None"]
    marks = [ln for ln in ax.get_lines() if ln.get_linestyle() == "None"]
    assert len(lines) == 1                                     # variant 0 (S = 1) is not drawn
    S = rec.get("trace_loss_scale")[1]
    ok = np.isfinite(S)
    assert np.allclose(lines[0].get_ydata(), np.log2(S[ok]))
    assert len(marks) == 1 and np.allclose(marks[0].get_xdata(), np.arange(5))
    assert np.allclose(marks[0].get_ydata(), 30 - np.arange(5))
    ticks = [t.get_text() for t in ax.get_yticklabels() if t.get_text()]
    assert "2³⁰" in ticks and all(t.startswith("2") for t in ticks)
    (lab, first, last, n), = built.facts.items
    assert (first, last, n) == (2.0 ** 30, 2.0 ** 25, 5)
    assert "2³⁰" in built.caption and "2²⁵" in built.caption and ": 5" in built.caption
    assert lab in built.alt


def test_a_constant_scale_is_said_to_stay(make_recording):
    rec = _dynamic(make_recording)
    S = np.array(rec.get("trace_loss_scale"), dtype=float)
    skipped = np.array(rec.get("trace_skipped"), dtype=float)
    S[1] = np.where(np.isfinite(S[1]), 65536.0, np.nan)
    skipped[1] = np.where(np.isfinite(skipped[1]), 0.0, np.nan)
    rec.add("trace_loss_scale", S, TRACE)
    rec.add("trace_skipped", skipped, TRACE)
    _, built = figures.build(rec, "loss_scale")
    assert "S = 2¹⁶ at every step" in built.caption
    assert "step skipped" not in " ".join(t.get_text() for t in _.legends[0].get_texts())


@pytest.mark.parametrize("lang", LANGUAGES)
def test_no_text_collides_in_the_loss_scale_figure(make_recording, lang):
    fig, built = figures.build(_dynamic(make_recording), "loss_scale", lang=lang, dpi=40)
    assert not collisions(fig)
    assert "2³⁰" in built.caption


def test_worst_layer_is_the_largest_finite_share_per_record():
    a = np.array([[0.1, 0.7, np.nan], [np.nan, np.nan, np.nan], [0.0, 0.0, 0.2]])
    out = worst_layer(a)
    assert out[0] == 0.7 and np.isnan(out[1]) and out[2] == 0.2


def test_lost_gradients_draws_the_init_per_layer_and_the_worst_layer_over_steps(make_recording):
    rec = make_recording("vanishing")
    V, R, L = rec.get("grad_zero").shape
    rng = np.random.default_rng(3)
    gz = rng.uniform(0, 0.5, (V, R, L))
    gz[:, :, L // 2] += np.linspace(0.5, 0, R)   # the worst layer moves: middle early, anywhere late
    rec.add("grad_zero", gz, ("variant", "record", "layer"))
    fig, built = figures.build(rec, "lost_gradients")
    left, right = fig.axes[:2]
    for v, (ln_l, ln_r) in enumerate(zip(left.get_lines(), right.get_lines())):
        assert np.allclose(ln_l.get_ydata(), 100 * gz[v, 0], equal_nan=True)
        assert np.allclose(ln_r.get_ydata(), 100 * np.nanmax(gz[v], axis=-1), equal_nan=True)
        assert np.allclose(ln_r.get_xdata(), rec.steps)
    lab, first, last = built.facts.items[0]
    assert first == pytest.approx(100 * np.nanmax(gz[0, 0]))
    assert last == pytest.approx(100 * np.nanmax(gz[0, -1]))
    assert f"{first:.0f}%" in built.alt


def test_a_skipped_step_halves_the_dynamic_scale_in_a_real_run():
    """What the ✕ means, on a tiny simulation: started at 2³⁰ the scaler overflows,
    each skipped step halves S for the next one, and clean steps keep it."""
    from gradviz.engine.simulation import simulate
    from gradviz.scenario import load_scenario

    sc = load_scenario("""
title = "tiny"
[data]
kind = "moons"
samples = 128
[model]
depth = 4
width = 16
activation = "tanh"
init = "glorot"
init_gain = 0.35
dtype = "float16"
[train]
optimizer = "adam"
lr = 0.003
batch_size = 32
steps = 40
loss_scaling = "dynamic"
loss_scale = 1073741824.0
[record]
every = 10
""")
    rec = simulate(sc)
    S, skip = rec.get("trace_loss_scale")[0], rec.get("trace_skipped")[0]
    assert S[0] == 2.0 ** 30 and skip[0] == 1.0             # the start overflows
    assert 0 < skip.sum() < S.size                          # it searches, then trains
    for t in range(S.size - 1):
        assert S[t + 1] == (S[t] / 2 if skip[t] else S[t]), t
    fig, built = figures.build(rec, "loss_scale")
    (_, first, last, n), = built.facts.items
    assert (first, last, n) == (S[0], S[-1], int(skip.sum()))
