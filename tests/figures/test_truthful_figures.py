"""Issue 11 (figure correctness), second round: each figure drawn from a synthetic
Recording with known values, and what it drew checked against them."""
from __future__ import annotations

import numpy as np
import pytest

from gradviz import figures, style
from gradviz.i18n import t

pytestmark = pytest.mark.filterwarnings("error")


def _texts(fig):
    return [a.get_text() for a in fig.findobj(lambda a: hasattr(a, "get_text"))]


# -- 1. ReLU activation histograms: exact zeros apart, values finer than the bins named ---------

def _relu_layer(rec, v, r, l, sample, pre):
    """Put ``sample`` (the activations) as layer l's recorded histogram, its exact-zero
    share and the percentiles of ``pre`` (its pre-activations), as the simulator does."""
    edges = rec.get("hist_act_edges")[v]
    for name, val in (("hist_act", np.histogram(sample[sample <= edges[-1]], edges)[0]),
                      ("hist_act_over", np.sum(sample > edges[-1])), ("hist_act_under", 0.0),
                      ("dead", np.mean(sample == 0)), ("pre_p85", np.percentile(pre, 85)),
                      ("pre_p50", np.percentile(pre, 50)), ("pre_p15", np.percentile(pre, 15))):
        arr = rec.get(name).copy()
        arr[v, r, l] = val
        rec.add(name, arr, rec.axes[name])


def test_relu_exact_zeros_are_a_marker_at_0_not_density_in_the_first_bin(make_recording):
    rec = make_recording("relu")
    rng = np.random.default_rng(1)
    n = 1000
    pre = np.concatenate([-rng.uniform(0.1, 1, 600), rng.uniform(1e-5, 1e-4, 298), [7.0, 7.5],
                          rng.uniform(1, 5, 100)])
    act = np.maximum(pre, 0.0)                  # 60% exactly 0, 30% below 10⁻⁴, 0.2% above 6
    _relu_layer(rec, 0, 0, 0, act, pre)
    fig, built = figures.build(rec, "activation_hist", dpi=40, step=0)
    ax = fig.axes[0]
    edges = rec.get("hist_act_edges")[0]
    w = edges[1] - edges[0]
    layer1 = ax.get_lines()[0]
    # the curve: the first bin without the 600 zeros, 298/1000 of the values over one bin
    assert np.isclose(layer1.get_ydata()[0], 298 / (n * w))
    # the zeros: a marker at x = 0 in layer 1's colour, 0.6 of the values as one bin's density
    marks = [ln for ln in ax.get_lines() if ln.get_marker() == "D" and np.allclose(ln.get_xdata(), 0)]
    assert any(np.isclose(m.get_ydata()[0], 0.6 / w) and m.get_color() == layer1.get_color() for m in marks)
    assert ax.get_xlim()[0] < 0                 # the marker at 0 is not cut in half by the axis
    texts = _texts(fig)
    assert "exactly 0, layer 1: 60%" in texts
    p85 = style.fmt_num(np.percentile(pre, 85), 2, "en")    # ReLU of the recorded pre_p85, below 10⁻⁴
    assert f"layer 1: 85% ≤ {p85},\nfiner than the bins (0.15 wide)" in texts
    assert "above 6, layer 1: 0.2%" in texts     # which edge, not just "beyond the bins"
    assert "0.2%" in texts                       # written over the bar too low to see
    assert "exactly 0 (◆ at x = 0)" in texts     # keyed in the legend
    # the alt text: the recorded percentile, not the first bin's edges as if they were quartiles
    assert f"layer 1: 85% ≤ {p85}, finer than the bins (0.15 wide)" in built.alt and "60% exactly 0" in built.alt
    assert "middle half between 0 and 0.15" not in built.alt


def test_tanh_histogram_is_unchanged_by_the_zero_split(make_recording):
    rec = make_recording("vanishing")           # tanh: no exact zeros recorded
    fig, _ = figures.build(rec, "activation_hist", dpi=40)
    assert not [ln for ax in fig.axes for ln in ax.get_lines() if ln.get_marker() == "D"]
    c = rec.get("hist_act")[0, 0, 0]
    e = rec.get("hist_act_edges")[0]
    total = c.sum() + rec.get("hist_act_over")[0, 0, 0] + rec.get("hist_act_under")[0, 0, 0]
    np.testing.assert_allclose(fig.axes[0].get_lines()[0].get_ydata(), c / (total * np.diff(e)))


# -- 2. update_ratio: Adagrad's shrinking effective step, measured and singled out ------------------

def test_update_ratio_notes_the_effective_step_and_bolds_the_largest_fall(make_recording):
    from gradviz.figures.update_ratio import effective_step
    rec = make_recording("exploding")                # three variants
    rec.meta["variant_overrides"] = [{"train.optimizer": "sgd"}, {"train.optimizer": "adagrad"},
                                     {"train.optimizer": "momentum"}]
    w, g = rec.get("w_norm"), rec.get("grad_w_norm")
    R = w.shape[1]
    eff = np.empty_like(w)
    eff[0] = 0.05                                    # plain SGD: ‖ΔW‖ = η‖∂L/∂W‖
    eff[1] = (3.0 * np.geomspace(1, 1 / 30, R))[:, None]   # Adagrad: falls 30-fold
    eff[2] = (0.02 * np.geomspace(1, 1.5, R))[:, None]     # momentum: ×1.5, under the factor 2
    u = eff * g / w
    u[:, -1] = np.nan                                # no update after the final record, as recorded
    rec.add("update_ratio", u, rec.axes["update_ratio"])
    np.testing.assert_allclose(effective_step(rec, 0, -1)[:-1], 0.05)   # η back from the recorded ratio
    fig, built = figures.build(rec, "update_ratio", dpi=40)
    axs = [ax for ax in fig.axes if ax.get_visible() and ax.get_lines()]
    notes = [[tx for tx in ax.texts if "‖∂L/∂W‖" in tx.get_text()] for ax in axs[:3]]
    assert not notes[0] and not notes[2]             # SGD's step constant, momentum's within ×2
    (note,) = notes[1]
    last = 3.0 * (1 / 30) ** ((R - 2) / (R - 1))      # the last record with an update
    assert note.get_text() == ("‖ΔW‖/‖∂L/∂W‖, output layer:\n3 → "
                               f"{style.fmt_num(last, 2, 'en')}, ÷{style.fmt_num(3.0 / last, 2, 'en')}")
    assert note.get_fontweight() == "bold"           # the largest fall is singled out
    assert "Adagrad divides each step" in built.caption
    assert "effective step ‖ΔW‖/‖∂L/∂W‖ of the output layer from 3 to" in built.alt
    # the note sits where it covers none of the drawn points
    r = fig.canvas.get_renderer()
    box = note.get_window_extent(r)
    for ln in axs[1].get_lines():
        xy = axs[1].transData.transform(np.column_stack(ln.get_data()))
        xy = xy[np.isfinite(xy).all(1)]
        assert not any(box.contains(x, y) for x, y in xy)


def test_update_ratio_without_adagrad_has_no_adagrad_sentence(make_recording):
    rec = make_recording("vanishing")
    fig, built = figures.build(rec, "update_ratio", dpi=40)
    assert "Adagrad" not in built.caption


# -- 4. a wrapped panel title breaks before or after a formula, never inside it ----------------------

@pytest.mark.parametrize("lang", ["en", "bg", "he"])
def test_wrapped_panel_titles_keep_each_formula_on_one_line(make_recording, lang):
    rec = make_recording("exploding")               # three variants, one panel each
    rec.meta["labels"] = ["early stopping, patience 10 epochs", "разпадане на теглата λ = 0.5 (AdamW)",
                          "momentum γ = 0.9, η = 0.02 and Nesterov"]
    fig, _ = figures.build(rec, "update_ratio", dpi=60, lang=lang, size="web")
    titles = [ax.get_title(loc="left") or ax.get_title(loc="right") for ax in fig.axes if ax.get_visible()]
    titles = [x.replace("\u2066", "").replace("\u2069", "") for x in titles if x]
    assert sum("\n" in x for x in titles) >= 2, titles      # the long labels did wrap in these panels
    for formula in ("λ = 0.5", "γ = 0.9", "η = 0.02"):
        (holder,) = [x for x in titles if formula.split()[0] in x]
        assert any(formula in line for line in holder.split("\n")), holder


# -- 5. a shifted log colour scale labels its ticks with loss values, no "(+ 0.25)" offset --------------

@pytest.mark.parametrize("lang", ["en", "he"])
def test_surface_colour_bar_ticks_are_loss_values_without_offset(make_recording, lang):
    rec = make_recording("surface")
    z = rec.get("surface_z").copy()
    rec.add("surface_z", z - z.min() - 0.25, rec.axes["surface_z"])   # a saddle-like minimum of −0.25
    rec.meta["surface_min_value"] = -0.25
    fig, _ = figures.build(rec, "surface", dpi=50, lang=lang)
    (cax,) = [c for ax in fig.axes for c in ax.child_axes
              if c.get_ylabel().startswith(t("loss surface (log-spaced contours)", lang))]
    assert "0.25" not in cax.get_ylabel() and "+" not in cax.get_ylabel()
    ticks = [(tk.get_loc(), tk.label1.get_text()) for tk in cax.yaxis.get_major_ticks()
             if cax.get_ylim()[0] <= tk.get_loc() <= cax.get_ylim()[1]]
    assert len(ticks) >= 2
    for s, text in ticks:                           # the tick at loss + 0.25 = s reads as that loss
        assert float(text.replace("−", "-")) == pytest.approx(s - 0.25, abs=0.5 * s)
    assert not cax.yaxis.get_offset_text().get_visible() or not cax.yaxis.get_offset_text().get_text()



# -- 6. race paths that run along each other are told apart by their strokes, at exact positions -------

def test_overlapping_race_paths_get_distinct_dashes_and_exact_positions(make_recording):
    from gradviz.panels.paths import path_state
    from gradviz.panels.surface import draw_order, line_styles
    rec = make_recording("surface")                 # four variants
    P = rec.get("path").copy()
    S = P.shape[1]
    k = np.arange(S)
    P[0] = np.column_stack([1.5 - 1.5 * k / S, np.full(S, 0.5)])                         # along y = 0.5
    P[1] = np.column_stack([1.5 * np.cos(np.pi * k / 20) * 0.98 ** k, np.full(S, 0.5)])   # to and fro on it
    P[2] = np.column_stack([1.5 - 1.0 * k / S, 0.5 + 2.0 * k / S])                       # away from it
    P[3] = np.column_stack([np.where(k % 2, -1.2, 1.2) * 0.99 ** k, np.full(S, 0.5)])     # η too large, on it
    rec.add("path", P, rec.axes["path"])
    rec.add("path_loss", np.ones(P.shape[:2]), rec.axes["path_loss"])
    xs, ys = rec.get("surface_xs"), rec.get("surface_ys")
    box = (xs[0], xs[-1], ys[0], ys[-1])
    states = [path_state(P[v], box) for v in range(4)]
    styles = line_styles(states, box, draw_order(states))
    assert styles[2] == "solid"                                 # alone: solid
    assert len({str(styles[v]) for v in (0, 1, 3)}) == 3        # the three on one line: three strokes
    fig, _ = figures.build(rec, "surface", dpi=50)
    ax = fig.axes[0]
    colours = [style.variant_color(v) for v in range(4)]
    lines = {colours.index(ln.get_color()): ln for ln in ax.get_lines()
             if ln.get_color() in colours and ln.get_marker() in ("None", "") and len(ln.get_xdata()) > 2}
    assert sorted(lines) == [0, 1, 2, 3]
    assert [lines[v].get_linestyle() for v in range(4)] == ["-" if styles[v] == "solid" else "--" for v in range(4)]
    for v in range(4):                              # drawn where recorded
        np.testing.assert_allclose(lines[v].get_xydata()[:5], P[v, :5])
    leg = fig.legends[0]
    keyed = {tx.get_text(): h for h, tx in zip(leg.legend_handles, leg.texts)}
    for v in range(4):                              # the key shows each path's stroke
        assert keyed[rec.labels[v]].get_linestyle() == lines[v].get_linestyle()


# -- 8. an ordered parameter's palette rises in lightness in even, visible steps -------------------------

def _lightness(colour) -> float:
    """CIE L* from the WCAG relative luminance (CIE Y of sRGB)."""
    y = style.relative_luminance(colour)
    return 116 * y ** (1 / 3) - 16 if y > 0.008856 else 903.3 * y


@pytest.mark.parametrize("ps", [[0.0, 0.2, 0.5, 0.8], [0.0, 0.1, 0.2, 0.3, 0.5]])
def test_dropout_lines_step_evenly_in_lightness_and_stay_readable(make_recording, ps):
    from gradviz.panels.recording import palette
    base = dict(ratio=0.9, stop_epoch=-1, diverge_record=-1, lr=0.05, lr_decay=1.0, clip=None,
                overfit=False, zero=False, batchnorm=False)
    rec = make_recording("vanishing", variants=[dict(base, label=f"dropout {p}", loss_end=0.2 + p) for p in ps])
    rec.meta["variant_overrides"] = [{"model.dropout": p} for p in ps]
    cols = list(palette(rec))
    fig, _ = figures.build(rec, "loss", dpi=40)
    drawn = {ln.get_color() for ln in fig.axes[0].get_lines()}
    assert set(cols) <= drawn                       # the curves are drawn in these colours
    L = [_lightness(c) for c in cols]
    steps = np.diff(L)
    assert (steps >= 10).all(), (cols, L)           # dark = small p, each step visibly lighter
    assert steps.max() - steps.min() <= 4, L        # even steps
    assert all(style.contrast_ratio(c) >= 3.0 - 1e-9 for c in cols)   # every line readable on white
