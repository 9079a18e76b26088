"""grad_clip (review: 'NaN/Inf from step 4' overprinted by the off-scale note in es/pt/bg/ro;
the diverged run a sliver at x = 0) and heat maps (x axis one record past the last step;
the animation drew seed 0 while the static figure drew the median)."""
import matplotlib
import numpy as np
import pytest

matplotlib.use("Agg")

import gradviz  # noqa: E402
from gradviz import animations, figures  # noqa: E402
from gradviz.panels.heatmap import step_edges, step_xlim  # noqa: E402


@pytest.fixture(scope="module")
def clipping():
    return gradviz.simulate(gradviz.load_scenario("gradient_clipping").with_overrides({"train.epochs": 3}))


@pytest.mark.parametrize("lang", ["en", "es", "pt", "bg", "ro"])
def test_nan_label_and_off_scale_note_do_not_overprint(clipping, lang):
    fig, _ = figures.build(clipping, "grad_clip", lang=lang, dpi=60)
    fig.canvas.draw()
    r = fig.canvas.get_renderer()
    ax = fig.axes[0]
    notes = [a for a in ax.texts if "↑" in a.get_text()]
    nan = [a for a in ax.texts if "NaN/Inf" in a.get_text()]
    assert notes and nan
    assert not notes[0].get_window_extent(r).overlaps(nan[0].get_window_extent(r))


def test_the_diverged_run_gets_its_own_steps_in_an_inset(clipping):
    fig, built = figures.build(clipping, "grad_clip", dpi=60)
    insets = [c for c in fig.axes[0].child_axes]
    assert len(insets) == 1
    (ln,) = [x for x in insets[0].get_lines() if x.get_marker() == "o"]
    xy = ln.get_xydata()
    assert len(xy) >= 3 and np.all(np.diff(xy[:, 0]) > 0)        # the steps before the NaN, readable
    assert insets[0].get_ylim()[1] >= np.nanmax(xy[:, 1])         # its own scale holds the off-scale values
    assert not fig.axes[1].child_axes                              # clipped runs need none


def test_heat_map_cells_are_centred_and_the_axis_ends_at_the_last_step():
    steps = np.array([0, 25, 50, 75, 100, 125, 150, 175, 200])
    e = step_edges(steps)
    np.testing.assert_allclose(0.5 * (e[1:] + e[:-1]), steps)
    assert step_xlim(steps, e) == (0.0, 200.0)


def test_heat_map_figures_end_at_the_last_step(recs):
    rec = recs("exploding")
    fig, _ = figures.build(rec, "heatmap", dpi=40)
    assert fig.axes[0].get_xlim()[1] == pytest.approx(float(rec.steps[-1]))
    fig, scene = animations.build(rec, "heatmap_anim", dpi=40)
    assert fig.axes[0].get_xlim()[1] == pytest.approx(float(rec.steps[-1]))


def test_heat_map_animation_draws_the_median_like_the_static_figure():
    from gradviz.animations import heatmap_anim
    assert heatmap_anim.SEEDS == "median"
    sc = gradviz.load_scenario("residual").with_overrides({"train.epochs": 1, "seeds": 3})
    rec = gradviz.simulate(sc)
    fig_s, _ = figures.build(rec, "heatmap", dpi=40)
    fig_a, scene = animations.build(rec, "heatmap_anim", dpi=40)
    scene.update(scene.n_frames - 1)
    static = fig_s.axes[0].collections[0].get_array()
    last = [a for a in scene.artists if hasattr(a, "get_array")][0].get_array()
    np.testing.assert_allclose(np.ma.filled(last, np.nan), np.ma.filled(static, np.nan), equal_nan=True)
