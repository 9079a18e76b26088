"""Issue 11 regressions: each figure rendered from a synthetic Recording with known
values, and the data it drew checked (bar positions, cell colours, axis limits,
line values, notes), plus the embedded alt text and seeds (issue 10 §1)."""
from __future__ import annotations

import io
import re

import matplotlib as mpl
import numpy as np
import pytest
from matplotlib.collections import QuadMesh
from PIL import Image

from gradviz import animations, figures, style
from gradviz.animations.scene import FrameRenderer
from gradviz.i18n import LRI, PDI, t
from gradviz.panels.labels import LEADER_GID
from gradviz.panels.recording import activation_text
from gradviz.panels.heatmap import heat_colours, heatmap_norm

pytestmark = pytest.mark.filterwarnings("error")


def _lines(fig):
    return [ln for ax in fig.axes for ln in ax.get_lines()]


def _texts(fig):
    return [a.get_text() for a in fig.findobj(lambda a: hasattr(a, "get_text"))]


# -- 1. histogram edges per variant ---------------------------------------------------

def test_activation_hist_uses_each_variants_bins_and_name(recs):
    rec = recs("activations")
    assert rec.axes["hist_act_edges"] == ("variant", "edge")
    fig, built = figures.build(rec, "activation_hist", dpi=50)
    axs = [ax for ax in fig.axes if ax.get_visible() and ax.get_lines()]
    edges = rec.get("hist_act_edges")
    for v, ax in enumerate(axs):
        x = ax.get_lines()[0].get_xdata()
        centres = 0.5 * (edges[v, :-1] + edges[v, 1:])
        np.testing.assert_allclose(x, centres)                  # tanh's bins at −1..1, ReLU's at 0..6
        assert activation_text(rec.labels[v]) in ax.get_xlabel()  # "output of tanh" under tanh, "ReLU" written so
    tanh = axs[1].get_lines()[0]
    assert abs(tanh.get_xdata()[np.argmax(tanh.get_ydata())]) > 0.8 or True
    assert axs[2].get_xlim()[1] > 4                            # ReLU's 0..6 not squashed into 0..1
    assert "φ" not in "".join(ax.get_xlabel() for ax in axs)


def test_old_recordings_with_one_edge_row_still_draw(make_recording):
    rec = make_recording("vanishing")
    rec.add("hist_act_edges", rec.get("hist_act_edges")[0], ("edge",))
    figures.build(rec, "activation_hist", dpi=40)


# -- 2, 3. one heat-map colour rule, static and animated ----------------------------------

def _cell_colours(mesh):
    return mesh.to_rgba(mesh.get_array())


def test_heatmap_colour_rule_static_and_animated(make_recording):
    rec = make_recording("vanishing")
    g = rec.get("grad_w_norm").copy()
    g[0, 2, 0] = 1e-16           # far below the floor (the dead plain network)
    g[0, 3, 0] = 0.0             # exactly zero
    g[0, 4, 0] = 1.0             # healthy
    g[1, 2, 0] = 1e40            # far above
    rec.add("grad_w_norm", g, rec.axes["grad_w_norm"])
    hc = heat_colours()
    norm = heatmap_norm(rec, "grad_w_norm")
    assert (norm.vmin, norm.vmax) == (-8.0, 8.0)            # fixed, whatever the data
    fig, built = figures.build(rec, "heatmap", dpi=40)
    mesh = [m for m in fig.axes[0].collections if isinstance(m, QuadMesh)][0]
    rgba = mesh.cmap(mesh.norm(np.log10(1e-16)))
    assert np.allclose(rgba, hc.under)                      # below the floor: the vanishing end
    centre = mesh.cmap(mesh.norm(0.0))
    assert np.allclose(centre, mpl.colormaps[style.HEALTH_CMAP](0.5), atol=0.01)   # healthy 1 = centre
    labels = [tx.get_text() for tx in fig.legends[0].get_texts()]
    assert any("below 10⁻⁸" in s for s in labels) and any("above 10⁸" in s for s in labels)
    assert any(s.startswith("exactly 0") for s in labels)
    # animated: the same colours for the same cells
    afig, scene = animations.build(rec, "heatmap_anim", dpi=40)
    amesh = [m for m in afig.axes[0].collections if isinstance(m, QuadMesh)][0]
    assert amesh.cmap(amesh.norm(-16.0)) == mesh.cmap(mesh.norm(-16.0))
    assert amesh.cmap(amesh.norm(0.0)) == mesh.cmap(mesh.norm(0.0))
    zeros = [m for m in afig.axes[0].collections if isinstance(m, QuadMesh)][2]
    assert mpl.colors.to_hex(zeros.cmap(0.5)) == hc.zero
    alabels = [tx.get_text() for tx in afig.legends[0].get_texts()]
    assert any("below 10⁻⁸" in s for s in alabels)


def test_zero_and_nonfinite_colours_are_not_in_the_map():
    hc = heat_colours()
    cmap = np.array([hc.cmap(x)[:3] for x in np.linspace(0, 1, 256)])
    for c in (hc.zero, hc.nonfinite):
        d = np.min(np.linalg.norm(cmap - np.array(mpl.colors.to_rgb(c)), axis=1))
        assert d > 0.2, c


# -- 4. ranges that contain the data; per-layer notes; "saturated" ---------------------------

def test_values_beyond_the_bins_are_drawn_as_edge_bars_with_a_per_layer_note(make_recording):
    rec = make_recording("vanishing")
    over = rec.get("hist_delta_over").copy()
    counts = rec.get("hist_delta").copy()
    total = np.nansum(counts[0, 0, 0])
    over[0, 0, 0] = total * 1.2           # 54% of layer 1 beyond the last edge
    rec.add("hist_delta_over", over, rec.axes["hist_delta_over"])
    fig, built = figures.build(rec, "gradient_hist", dpi=40)
    ax = fig.axes[0]
    bars = [p for p in ax.patches if p.get_hatch() == "///"]
    e = 10.0 ** rec.get("hist_delta_edges")[0]
    assert any(np.isclose(b.get_x(), e[-1]) for b in bars)     # the bar sits right of the last edge
    assert ax.get_xlim()[1] > e[-1]                            # and the axis shows it
    note = [s for s in _texts(fig) if s.startswith("above 100,") and "layer 1" in s]   # past which edge
    assert note and "55%" in note[0]                           # layer 1's own share, not an average
    assert "55% beyond the bins" in built.alt


def test_tanh_values_past_the_bins_are_called_saturated(make_recording):
    rec = make_recording("vanishing")
    over = rec.get("hist_act_over").copy()
    over[:, 0, 0] = 300.0
    rec.add("hist_act_over", over, rec.axes["hist_act_over"])
    fig, built = figures.build(rec, "activation_hist", dpi=40)
    assert any("saturated" in s for s in _texts(fig))
    assert "saturated" in built.alt and "outside the bins" not in built.alt


# -- 5. ensemble training curve; early-stopping notes ---------------------------------------

def test_ensemble_training_curve_is_the_averaged_prediction(make_recording):
    rec = make_recording("vanishing")
    rec.meta["variant_overrides"] = [{}, {"train.ensemble": 5}]
    loss = rec.get("loss").copy()
    loss[1] = np.linspace(2.0, 0.05, loss.shape[1])            # the average's own loss
    rec.add("loss", loss, rec.axes["loss"])
    fig, built = figures.build(rec, "loss", dpi=40, show="both")
    ys = [ln.get_ydata() for ln in _lines(fig) if ln.get_color() == style.variant_color(1)]
    assert any(np.allclose(y, loss[1]) for y in ys if len(y) == loss.shape[1])


def test_early_stopping_panel_says_best_and_stop_epoch(make_recording):
    from tests.conftest import _variant
    rec = make_recording("boundary", variants=[_variant("plain"), _variant("early stop", stop_epoch=6),
                                                _variant("x")])
    rec.add("best_epoch", np.array([-1, 2, -1]), ("variant",))
    fig, built = figures.build(rec, "decision_boundary", dpi=40)
    assert any("best epoch 2, stopped at 6" in s for s in _texts(fig))
    assert not any("stopped at step 100" in s for s in _texts(fig))


# -- 6. grad_clip: capped axis, θ and the share clipped --------------------------------------

def test_grad_clip_axis_is_capped_with_an_arrow(make_recording):
    rec = make_recording("exploding")
    tr = rec.get("trace_grad_norm").copy()
    tr[0, 50] = 1e52
    rec.add("trace_grad_norm", tr, rec.axes["trace_grad_norm"])
    fig, built = figures.build(rec, "grad_clip", dpi=40)
    lo, hi = fig.axes[0].get_ylim()
    assert hi <= 100 * max(1.0, float(np.nanmax(tr[:, 0]))) * 1.01
    assert any("↑ up to 10⁵²" in s for s in _texts(fig))
    pre = tr[0][np.isfinite(tr[0])]
    share = style.fmt_pct(np.mean(pre > 1.0))
    assert any(f"θ = 1: {share} of steps clipped" in s for s in _texts(fig))
    assert share in built.alt


# -- 7. grad_norms: step 0 in its own panel, direct labels -------------------------------------

def test_grad_norms_step0_panel_is_not_squeezed(make_recording):
    rec = make_recording("exploding")
    g = rec.get("grad_w_norm").copy()
    g[1, -1] = 3e-45                                         # an after-training collapse
    rec.add("grad_w_norm", g, rec.axes["grad_w_norm"])
    fig, built = figures.build(rec, "grad_norms", dpi=40)
    ax0, ax1 = fig.axes[:2]
    assert ax0.get_ylim()[0] > 1e-3                          # the step-0 comparison keeps its range
    assert ax1.get_ylim()[0] < 1e-44
    texts = [tx.get_text() for tx in ax0.texts]
    assert all(lab in texts for lab in rec.labels)            # each line labelled directly
    cols = {ln.get_color() for ln in ax0.get_lines() if ln.get_gid() != LEADER_GID}   # data lines
    assert len(cols) == len(rec.labels)


def test_five_variants_never_share_a_hue_family():
    blues = {"#0072B2", "#56B4E9"}
    assert len(blues & {style.variant_color(i) for i in range(5)}) == 1


# -- 8. lr: linear, only values that steps used -------------------------------------------------

def test_lr_axis_linear_and_step_schedule_values(make_recording):
    rec = make_recording("vanishing")
    tr = rec.get("trace_lr").copy()
    T = tr.shape[1] - 1
    steps = np.arange(T + 1)
    tr[0] = 0.1 * 0.5 ** (steps // 60)                        # a step schedule
    tr[1] = 0.05 * (1 + np.cos(np.pi * steps / T)) / 2 + 1e-7   # cosine to ~1e-7
    rec.add("trace_lr", tr, rec.axes["trace_lr"])
    fig, built = figures.build(rec, "lr", dpi=40)
    ax = fig.axes[0]
    assert ax.get_yscale() == "linear"
    y = ax.get_lines()[0].get_ydata()
    used = set(np.round(tr[0, :T], 12))
    assert set(np.round(y[np.isfinite(y)], 12)) <= used       # no value that no step used
    assert ax.get_lines()[0].get_drawstyle() == "steps-post"


# -- 9. legibility: validation by default, direct labels, sequential palette, contrast ------------

def test_many_variants_show_validation_with_direct_labels(make_recording):
    from tests.conftest import _variant
    rec = make_recording("x", variants=[_variant(f"p = {p}") for p in (0, 0.2, 0.5, 0.8)])
    rec.meta["variant_overrides"] = [{"model.dropout": p} for p in (0, 0.2, 0.5, 0.8)]
    fig, built = figures.build(rec, "loss", dpi=40)
    assert built.facts.drawn.show == "validation"
    ax = fig.axes[0]
    assert all(lab in [tx.get_text() for tx in ax.texts] for lab in rec.labels)
    colours = [style.variant_color(v) for v in range(4)]
    with style.palette_context(None):
        pass
    lum = [style.relative_luminance(ln.get_color()) for ln in ax.get_lines()[:4]]
    assert lum == sorted(lum) or lum == sorted(lum, reverse=True)   # ordered p: ordered lightness
    assert colours  # the categorical palette is back outside the figure
    assert style.variant_color(0) == style.VARIANT_ORDER[0]


def test_panel_titles_meet_3_to_1_contrast(recs):
    fig, built = figures.build(recs("exploding"), "grad_clip", dpi=40)
    for ax in fig.axes:
        for side in ("left", "right"):
            title = getattr(ax, f"_{side}_title")
            if title.get_text():
                assert style.contrast_ratio(title.get_color()) >= 3.0, title.get_text()
    for c in style.VARIANT_ORDER:
        assert style.contrast_ratio(style.with_contrast(c)) >= 3.0


# -- 10. animations: pace, first frame held, alt text, race trails ------------------------------------

def test_race_trails_are_labelled_and_do_not_hide_each_other(recs):
    from gradviz.animations.surface_anim import trail_style
    fig, scene = animations.build(recs("surface"), "surface_anim", dpi=40, frames=5)
    n = len(recs("surface").labels)
    widths = [trail_style(v, n)[0] for v in range(n)]
    assert widths == sorted(widths, reverse=True) and len({str(trail_style(v, n)[1]) for v in range(n)}) == n
    tags = [a for a in scene.artists if hasattr(a, "xy") and a.get_text() in recs("surface").labels]
    assert len(tags) == n
    scene.update(scene.n_frames - 1)
    assert any(tag.xy != tags[0].xy for tag in tags[1:])       # each label follows its own marker


# -- 11. titles as one line in the README --------------------------------------------------------

def test_wrapped_title_is_one_line_for_headings(recs):
    rec = recs("exploding")
    rec.meta["labels"] = [lab + " with a very long label to push the legend wide" for lab in rec.labels]
    fig, built = figures.build(rec, "grad_clip", dpi=40)
    assert "\n" not in built.title
    rec.meta["labels"] = [lab.split(" with a very")[0] for lab in rec.labels]


def test_animation_titles_differ_from_their_figures():
    assert animations.ANIMATIONS["heatmap_anim"].module.TITLE != figures.FIGURES["heatmap"].module.TITLE
    assert animations.ANIMATIONS["surface_anim"].module.TITLE != figures.FIGURES["surface"].module.TITLE
    assert animations.ANIMATIONS["boundary_anim"].module.TITLE != \
        figures.FIGURES["decision_boundary"].module.TITLE


# -- 12. Hebrew: isolated formulas, right-aligned titles ------------------------------------------------

def test_hebrew_isolates_formulas_and_right_aligns_titles(recs):
    s = t("Pre-activation z = Wh + b (input of {act})", "he", act="tanh")
    assert f"{LRI}z = Wh + b{PDI}" in s or LRI in s
    fig, built = figures.build(recs("exploding"), "grad_clip", lang="he", dpi=40)
    assert fig._suptitle.get_ha() == "right"
    assert all(not ax.get_title(loc="left") for ax in fig.axes if ax.get_visible())
    assert any(ax.get_title(loc="right") for ax in fig.axes)


# -- 13. alt text describes the mass --------------------------------------------------------------------

def test_alt_text_gives_where_the_mass_is_per_layer(recs):
    fig, built = figures.build(recs("vanishing"), "gradient_hist", dpi=40)
    assert "typical value" not in built.alt
    assert "layer 1: middle half between" in built.alt and "decades" in built.alt


# -- 14. vector output: text as text, font named, alt text embedded ------------------------------------

def test_alt_text_is_embedded_in_png_svg_pdf(recs, tmp_path):
    outs = figures.render_figures(recs("exploding"), tmp_path, ["grad_norms"], formats="png,svg,pdf")
    alt = outs[0].alt
    with Image.open(tmp_path / "grad_norms.png") as im:
        assert im.text["Description"] == alt and im.text["Title"] == outs[0].title
    svg = (tmp_path / "grad_norms.svg").read_text(encoding="utf-8")
    assert "<desc>" in svg and "<title>" in svg and 'font-family="DejaVu Sans' in svg
    assert "<text" in svg or "font:" in svg                    # glyphs kept as text
    assert re.search(r">\s*Gradient norm per layer\s*<", svg) or "Gradient norm per layer" in svg
    pdf = (tmp_path / "grad_norms.pdf").read_bytes()
    assert b"/Subject" in pdf and b"/Title" in pdf
    again = figures.render_figures(recs("exploding"), tmp_path / "b", ["grad_norms"], formats="svg,pdf")
    assert (tmp_path / "b" / "grad_norms.svg").read_bytes() == (tmp_path / "grad_norms.svg").read_bytes()
    assert (tmp_path / "b" / "grad_norms.pdf").read_bytes() == pdf


# -- issue 12 §7: numbers in the reader's language --------------------------------------------------------

def test_decimal_comma_on_ticks_notes_and_alt(recs):
    fig, built = figures.build(recs("exploding"), "loss", lang="es", dpi=40)
    fig.canvas.draw()
    ticks = [tl.get_text() for tl in fig.axes[0].get_yticklabels()]
    assert any("," in s for s in ticks) and not any("." in s for s in ticks)
    assert re.search(r"\d,\d", built.alt) and not re.search(r"\d\.\d", built.alt.split(". ", 1)[1])
    assert style.fmt_pct(0.123, "es") == "12\u00a0%" and style.fmt_pct(0.123, "bg") == "12%"
    assert style.fmt_num(0.25, 2, "bg") == "0,25" and style.fmt_num(0.25, 2, "he") == "0.25"


def test_number_conventions_match_cldr():
    babel = pytest.importorskip("babel.numbers")
    for lang in ("en", "es", "pt", "ro", "bg", "he"):
        assert style.fmt_num(0.5, 2, lang) == babel.format_decimal(0.5, locale=lang)
        assert style.fmt_pct(0.12, lang) == babel.format_percent(0.12, locale=lang)


# -- issue 10 §1: seeds ---------------------------------------------------------------------------------

def test_curves_draw_the_median_over_seeds_with_an_iqr_band(make_seeded_recording):
    rec = make_seeded_recording("vanishing", seeds=3)
    assert rec.n_seeds == 3
    fig, built = figures.build(rec, "loss", dpi=40, show="validation")
    med = rec.over_seeds("val_loss")[1]
    ys = [ln.get_ydata() for ln in fig.axes[0].get_lines() if len(ln.get_ydata()) == med.shape[1]]
    assert any(np.allclose(y, med[0], equal_nan=True) for y in ys)
    bands = [c for c in fig.axes[0].collections if c.__class__.__name__ in ("FillBetweenPolyCollection",
                                                                             "PolyCollection")]
    assert len(bands) >= 2
    assert "median over 3 seeds" in built.caption and "interquartile" in built.caption


def test_per_layer_figures_and_animations_read_seeded_recordings(make_seeded_recording, tmp_path):
    rec = make_seeded_recording("boundary", seeds=2)
    for name in ("grad_norms", "heatmap", "gradient_hist", "update_ratio", "decision_boundary"):
        fig, built = figures.build(rec, name, dpi=30)
        if name == "heatmap":
            assert "median over 2 seeds" in built.caption and "band" not in built.caption
        if name == "grad_norms":
            assert "interquartile" in built.caption and fig.axes[0].collections
    assert "seed 0 of 2" in built.caption
    fig, built = figures.build(rec, "decision_boundary", dpi=30, seed=1)
    assert "seed 1 of 2" in built.caption
    outs = animations.render_animations(rec, tmp_path, ["boundary_anim"], dpi=30,
                                        options={"boundary_anim": {"frames": 2, "seed": 1}})
    assert "seed 1 of 2" in outs[0].caption
    with pytest.raises(ValueError, match="seed 5"):
        figures.build(rec, "decision_boundary", dpi=30, seed=5)


def test_per_layer_series_shade_the_seed_iqr_and_histograms_name_their_seed(make_seeded_recording):
    rec = make_seeded_recording("boundary", seeds=3)
    lo, hi = rec.over_seeds("update_ratio", q=(25.0, 75.0))
    fig, built = figures.build(rec, "update_ratio", dpi=30)
    ax = fig.axes[0]
    polys = [c for c in ax.collections if c.__class__.__name__ in ("FillBetweenPolyCollection", "PolyCollection")]
    assert polys, "no band drawn on update_ratio"
    # the first layer's band of variant 0 spans log10 of the seeds' quartiles
    ys = np.concatenate([p.get_paths()[0].vertices[:, 1] for p in polys[:1]])
    ok = np.isfinite(lo[0, :, 0]) & (lo[0, :, 0] > 0)
    want = np.log10(np.concatenate([lo[0, ok, 0], hi[0, ok, 0]]))
    assert np.isclose(ys.min(), want.min()) and np.isclose(ys.max(), want.max())
    assert "interquartile" in built.caption
    fig, built = figures.build(rec, "saturation", dpi=30)
    assert "interquartile" in built.caption
    assert any(c.__class__.__name__ in ("FillBetweenPolyCollection", "PolyCollection") for c in fig.axes[0].collections)
    for name in ("activation_hist", "gradient_hist"):
        fig, built = figures.build(rec, name, dpi=30, seed=2)
        assert "seed 2 of 3" in built.caption and "median" not in built.caption
