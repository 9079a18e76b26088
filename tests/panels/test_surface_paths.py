"""Race paths against the plot box (review: beale_race cut SGD η = 0.04 and momentum at
their first exit and drew them as failures): clipped, re-entries drawn, ✕ only for NaN/Inf;
ordered γ gets the sequential palette; surfaces are named for readers."""
import matplotlib
import numpy as np
import pytest

matplotlib.use("Agg")

import gradviz  # noqa: E402
from gradviz import animations, figures, style  # noqa: E402
from gradviz.panels.markers import DIVERGENCE_GID  # noqa: E402
from gradviz.panels.paths import clip_polyline, path_state  # noqa: E402
from gradviz.style import sequential_colors  # noqa: E402
from gradviz.panels.surface import race_colors, surface_name  # noqa: E402

BOX = (0.0, 1.0, 0.0, 1.0)


def test_a_path_that_leaves_and_comes_back_is_drawn_again_from_its_re_entry():
    p = [[0.5, 0.5], [2.0, 0.5], [2.0, 2.0], [0.5, 0.7], [0.6, 0.6]]
    d = clip_polyline(p, BOX)
    gaps = np.nonzero(~np.all(np.isfinite(d), 1))[0]
    assert len(gaps) == 1                                   # one exit, one re-entry
    np.testing.assert_allclose(d[1], [1.0, 0.5])            # leaves through the right edge
    np.testing.assert_allclose(d[gaps[0] + 1], [2.0 - 1.5 * (1.0 / 1.3), 1.0])  # re-enters the top edge
    np.testing.assert_allclose(d[-1], [0.6, 0.6])           # and is drawn to its last step
    st = path_state(p, BOX)
    assert not st.nonfinite and st.outside_from is None and st.end == (0.6, 0.6)


def test_only_a_non_finite_path_is_marked_nan_and_an_outside_end_is_not():
    st = path_state([[0.5, 0.5], [3.0, 0.5], [np.inf, 0.0], [np.nan, np.nan]], BOX)
    assert st.nonfinite and st.finite == 2
    np.testing.assert_allclose(st.end, [1.0, 0.5])           # where it was last seen
    st = path_state([[0.5, 0.5], [0.2, 0.2], [3.0, 0.5], [4.0, 0.5]], BOX)
    assert not st.nonfinite and st.outside_from == 2


@pytest.fixture(scope="module")
def beale():
    return gradviz.simulate(gradviz.load_scenario("beale_race"))


def _lines_of(fig, color):
    ax = fig.axes[0]
    return [ln for ln in ax.get_lines() if ln.get_color() == color and ln.get_linestyle() != "None"]   # solid or dashed


def test_beale_draws_the_converging_sgd_and_momentum_paths_whole(beale):
    fig = gradviz.figure(beale, "surface")
    labels = list(beale.labels)
    for name in ("SGD η = 0.04", "momentum"):
        v = labels.index(name)
        (ln,) = _lines_of(fig, style.variant_color(v))[:1]
        xy = np.asarray(ln.get_xydata(), dtype=float)
        drawn = xy[np.all(np.isfinite(xy), 1)]
        assert len(drawn) >= 250, name                      # ≈301 steps, not the 1–6 before the first exit
        np.testing.assert_allclose(drawn[-1], beale.get("path")[v, -1], atol=1e-9)
    xs = [a for a in fig.axes[0].get_lines() if a.get_gid() == DIVERGENCE_GID]
    assert len(xs) == 1                                     # only SGD η = 0.045 is NaN/Inf
    legend = [t.get_text() for lg in fig.legends for t in lg.get_texts()]
    assert "NaN/Inf" in legend and "last step" in legend
    assert "left the plot" not in fig.gradviz_alt and "SGD η = 0.045: NaN/Inf from step" in fig.gradviz_alt


def test_surface_titles_name_the_function_not_the_key(beale):
    fig = gradviz.figure(beale, "surface")
    assert fig.gradviz_title.endswith("— Beale function")
    assert surface_name("quadratic", "en") == "narrow quadratic valley"
    assert surface_name("no_such", "en") == "no_such"


def test_momentum_gamma_gets_a_sequential_palette_in_order():
    sc = gradviz.load_scenario("momentum").with_overrides({"train.steps": 20})
    rec = gradviz.simulate(sc)
    cols = race_colors(rec)
    gam = [0.0, 0.5, 0.9, 0.99]
    lum = [style.relative_luminance(cols[i]) for i in range(4)]
    assert lum == sorted(lum) and len(set(cols)) == len(cols)   # dark = small γ, Adagrad its own hue
    assert cols[4] not in sequential_colors(range(len(gam)))


def test_momentum_counter_box_does_not_cover_the_start_or_a_tag_in_frame_0():
    sc = gradviz.load_scenario("momentum").with_overrides({"train.steps": 20})
    rec = gradviz.simulate(sc)
    fig, scene = animations.build(rec, "surface_anim", dpi=60, frames=5)
    scene.update(0)
    fig.canvas.draw()
    r = fig.canvas.get_renderer()
    counter = scene.artists[-1].get_window_extent(r)
    tags = [a for a in scene.artists if hasattr(a, "xy") and a.get_text() in rec.labels]
    assert tags and not any(counter.overlaps(tg.get_window_extent(r)) for tg in tags)
    start = fig.axes[0].transData.transform(rec.get("path")[0, 0])
    assert not counter.contains(*start)


def test_race_tags_sit_by_their_markers_or_have_a_leader_line(beale):
    fig, scene = animations.build(beale, "surface_anim", dpi=100, frames=20)
    ax = fig.axes[0]
    tags = [a for a in scene.artists if hasattr(a, "xyann") and a.get_text() in beale.labels]
    leaders = [a for a in scene.artists if hasattr(a, "get_xydata") and a.get_transform().is_affine
               and a.get_linewidth() == 0.8]
    assert len(leaders) == len(tags)
    for k in (0, 10, 19):
        scene.update(k)
        fig.canvas.draw()
        r = fig.canvas.get_renderer()
        for tag, ln in zip(tags, leaders):
            b = tag.get_window_extent(r)
            p = ax.transData.transform(tag.xy)
            gap = np.hypot(max(b.x0 - p[0], 0, p[0] - b.x1), max(b.y0 - p[1], 0, p[1] - b.y1))
            if gap > 30:                                   # far: a line must tie it to its marker
                xy = np.asarray(ln.get_xydata(), dtype=float)
                assert len(xy) == 2, (k, tag.get_text(), gap)
                assert np.hypot(*(xy[0] - p)) < 10 and min(
                    np.hypot(xy[1, 0] - x, xy[1, 1] - y) for x in (b.x0, b.x1) for y in (b.y0, b.y1)) < b.width + b.height


def test_both_saddle_minima_are_marked_and_no_other_surface_gains_one():
    from gradviz.panels.surface import mirrored_minima
    xs = ys = np.linspace(-2, 2, 81)
    X, Y = np.meshgrid(xs, ys)
    saddle = X ** 2 + Y ** 4 / 4 - Y ** 2 / 2          # minima at (0, ±1)
    assert mirrored_minima(xs, ys, saddle, 0.0, 1.0) == [(0.0, -1.0)]
    rosen = (1 - X) ** 2 + 100 * (Y - X ** 2) ** 2       # one minimum at (1, 1)
    assert mirrored_minima(xs, ys, rosen, 1.0, 1.0) == []
