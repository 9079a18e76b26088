"""The notebook API (gradviz.api): load_scenario by bundled name, with_overrides,
simulate for every kind, figure and animation objects that display inline."""
from __future__ import annotations

import base64
import io
import subprocess
import sys

import numpy as np
import pytest
from PIL import Image

import gradviz
from gradviz import figures
from gradviz.animations import render_animations
from gradviz.figures.pipeline import FigureUnavailable
from gradviz.scenario import ScenarioError


# -- load_scenario and with_overrides ----------------------------------------------------------

def test_load_scenario_accepts_bundled_names():
    sc = gradviz.load_scenario("initialization")
    assert sc.name == "initialization" and len(sc.variants) == 5
    with pytest.raises(ScenarioError, match=r"did you mean 'initialization'\?"):
        gradviz.load_scenario("initializaton")


def test_load_scenario_prefers_your_edited_copy(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    text = gradviz.load_scenario("initialization").with_overrides({"model.depth": 3}).to_toml()
    (tmp_path / "initialization.toml").write_text(text, encoding="utf-8")
    assert gradviz.load_scenario("initialization").model.depth == 3
    assert "initialization: using ./initialization.toml rather than the bundled " in capsys.readouterr().err


def test_with_overrides_returns_a_new_validated_scenario():
    sc = gradviz.load_scenario("initialization")
    new = sc.with_overrides({"model.depth": 4, "train.lr": 0.1, "seeds": 2})
    assert (new.model.depth, new.train.lr, new.seeds) == (4, 0.1, 2)
    assert sc.model.depth != 4 and sc.seeds != 2            # the original is untouched
    assert [v.label for v in new.variants] == [v.label for v in sc.variants]
    assert new.with_overrides({}).to_dict() == new.to_dict()
    with pytest.raises(ScenarioError, match=r"\$\.model\.depth: expected a value ≥ 1"):
        sc.with_overrides({"model.depth": 0})
    with pytest.raises(ScenarioError, match="did you mean 'model.depth'"):
        sc.with_overrides({"model.dpth": 3})
    with pytest.raises(ScenarioError, match=r"\$\.model\.init: set by the variant"):
        sc.with_overrides({"model.init": "he"})   # every variant sets it: the override would do nothing


# -- simulate: every kind ------------------------------------------------------------------------

def test_simulate_precision_runs_the_experiments():
    data = gradviz.simulate("float_precision", progress=False)
    sc = gradviz.load_scenario("float_precision")
    assert list(data) == list(sc.precision.experiments)
    fig = gradviz.figure(data, "absorption")
    assert fig.gradviz_caption and fig.gradviz_alt
    with pytest.raises(ValueError, match="unknown precision figure"):
        gradviz.figure(data, "no_such")


def test_simulate_surface_runs_the_race():
    sc = gradviz.load_scenario("optimizer_race").with_overrides({"train.steps": 30})
    calls = []
    rec = gradviz.simulate(sc, progress=lambda done, total: calls.append((done, total)))
    assert rec.meta["kind"] == "surface" and rec.axes["path"] == ("variant", "step", "coord")
    assert rec.get("path").shape[0] == len(sc.variants) and rec.get("path").shape[1] in (30, 31)
    assert calls[-1] == (len(sc.variants), len(sc.variants))


def test_simulate_refuses_an_unknown_kind():
    sc = gradviz.load_scenario("initialization")
    import dataclasses

    with pytest.raises(ScenarioError, match=r"\$\.kind: expected one of training, surface, precision"):
        gradviz.simulate(dataclasses.replace(sc, kind="nope"))


def test_simulate_refuses_what_render_refuses_before_training():
    from gradviz.limits import LimitError

    sc = gradviz.load_scenario("initialization").with_overrides({"model.width": 10**7})
    with pytest.raises(LimitError, match=r"model\.width|memory"):
        gradviz.simulate(sc, progress=False)


def test_simulate_refuses_a_batch_larger_than_the_training_set():
    """The engine no longer caps batch_size at the training set (engine/simulation._plan):
    gradviz.simulate refuses it first, one line naming the key, with force=True too."""
    raw = {"title": "t", "data": {"kind": "moons", "samples": 120}, "model": {"depth": 2, "width": 4},
           "train": {"steps": 2, "batch_size": 97}, "record": {"every": 1}}  # 120 - 24 = 96 train
    for force in (False, True):
        with pytest.raises(ScenarioError) as info:
            gradviz.simulate(raw, progress=False, force=force)
        assert info.value.path == "$.train.batch_size"
        assert str(info.value).startswith("$.train.batch_size: expected at most 96 ") and "\n" not in str(info.value)
    raw["train"]["batch_size"] = 16
    raw["variants"] = [{"label": "a"}, {"label": "b", "train.batch_size": 97}]
    with pytest.raises(ScenarioError) as info:
        gradviz.simulate(gradviz.load_scenario(raw), progress=False)
    assert info.value.path == '$.variants[1]."train.batch_size"'
    raw["variants"][1]["train.batch_size"] = 96  # full batch: the largest allowed, and it runs
    assert gradviz.simulate(raw, progress=False).get("loss").shape == (2, 3)


# -- figure ----------------------------------------------------------------------------------------

def test_figure_is_the_cli_figure_and_shows_inline(recs, tmp_path):
    rec = recs("vanishing")
    fig = gradviz.figure(rec, "grad_norms", lang="ro")
    _, built = figures.build(rec, "grad_norms", lang="ro")
    assert isinstance(fig, gradviz.GradvizFigure)
    assert (fig.gradviz_caption, fig.gradviz_alt, fig.gradviz_title) == (built.caption, built.alt, built.title)
    # byte-identical to the file `gradviz render` writes, in each format
    cli = figures.render_figures(rec, tmp_path / "cli", ["grad_norms"], formats=("png", "svg"), lang="ro")
    for out in cli:
        mine = fig.save(tmp_path / f"api.{out.format}")
        assert mine.read_bytes() == out.path.read_bytes(), out.format
    png = fig._repr_png_()
    assert png == (tmp_path / "api.png").read_bytes()
    assert Image.open(io.BytesIO(png)).size[0] > 100


def test_figure_options_and_errors(recs):
    fig = gradviz.figure(recs("vanishing"), "heatmap", quantity="grad_w_norm")
    assert fig.gradviz_caption
    with pytest.raises(ValueError, match="has no option 'nope'"):
        gradviz.figure(recs("vanishing"), "loss", nope=1)
    with pytest.raises(FigureUnavailable):
        gradviz.figure(recs("vanishing"), "decision_boundary")


def test_figure_uses_the_recorded_translations(recs):
    rec = recs("vanishing")
    raw = {"title": "t", "kind": "training", "model": {"init": "normal"},
           "translations": {"es": {"labels": ["gaussiana", "glorot-es"]}},
           "variants": [{"label": "a", "model.init": "gaussian"}, {"label": "b", "model.init": "glorot"}]}
    from gradviz.scenario import parse

    rec = gradviz.Recording(rec.arrays, rec.axes, {**rec.meta, "scenario": parse(raw, "x").to_dict()})
    fig = gradviz.figure(rec, "loss", lang="es")
    from matplotlib.text import Text

    texts = [t.get_text() for t in fig.findobj(Text)]
    assert "gaussiana" in texts


def test_no_pyplot_imported():
    code = ("import sys, gradviz; sys.path.insert(0, 'tests'); from conftest import make; "
            "gradviz.figure(make('vanishing'), 'loss')._repr_png_(); "
            "print('matplotlib.pyplot' in sys.modules, 'pandas' in sys.modules, 'xarray' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "False", "False"]


# -- animation -------------------------------------------------------------------------------------

def test_animation_is_the_cli_gif_and_shows_inline(recs, tmp_path):
    rec = recs("vanishing")
    anim = gradviz.animation(rec, "hist_anim")
    (cli,) = render_animations(rec, tmp_path, ["hist_anim"], fmt="gif", fps=8)
    assert anim.data == cli.path.read_bytes()
    assert (anim.caption, anim.alt, anim.frames) == (cli.caption, cli.alt, cli.extra["frames"])
    bundle = anim._repr_mimebundle_()
    assert base64.b64decode(bundle["image/gif"]) == anim.data
    assert 'src="data:image/gif;base64,' in bundle["text/html"] and "<figcaption>" in bundle["text/html"]
    saved = anim.save(tmp_path / "a.gif")
    assert saved.read_bytes() == anim.data
    with Image.open(saved) as im:
        assert im.n_frames == anim.frames
    with pytest.raises(ValueError, match=r"saved as \*\.gif"):
        anim.save(tmp_path / "a.png")
    assert "hist_anim" in repr(anim) and "frames" in repr(anim)


def test_animation_alt_is_escaped_in_html(recs):
    anim = gradviz.animation(recs("vanishing"), "heatmap_anim", format="webp")
    anim.alt, anim.caption = 'x" onerror="alert(1)', "<script>"
    page = anim._repr_html_()
    assert 'onerror="' not in page and "<script>" not in page
    assert "image/webp" in anim._repr_mimebundle_()


# -- Recording: repr, DataFrame, xarray -------------------------------------------------------------

def test_to_dataframe_against_the_arrays(recs):
    pd = pytest.importorskip("pandas")
    rec = recs("vanishing")
    df = rec.to_dataframe("grad_w_norm")
    arr = rec.get("grad_w_norm")
    assert len(df) == arr.size and list(df.columns) == ["variant", "label", "record", "step", "layer",
                                                        "quantity", "value"]
    row = df[(df.variant == 1) & (df.record == 3) & (df.layer == 2)]
    assert row.value.item() == arr[1, 3, 2] and row.step.item() == rec.steps[3]
    assert row.label.item() == rec.labels[1]
    both = rec.to_dataframe(["loss", "grad_w_norm"])
    assert set(both.quantity) == {"loss", "grad_w_norm"} and both.layer.isna().sum() == rec.get("loss").size
    assert isinstance(both, pd.DataFrame)


def test_to_xarray_keeps_axes_and_bin_edges(recs):
    pytest.importorskip("xarray")
    rec = recs("vanishing")
    ds = rec.to_xarray()
    assert ds["grad_w_norm"].dims == rec.axes["grad_w_norm"]
    np.testing.assert_array_equal(ds["grad_w_norm"].values, rec.get("grad_w_norm"))
    assert "hist_act_edges" in ds.coords and "hist_act_edges" not in ds.data_vars
    np.testing.assert_array_equal(ds.coords["hist_act_edges"].values, rec.get("hist_act_edges"))
    assert ds.sizes["edge"] == ds.sizes["bin"] + 1
    assert list(ds.coords["label"].values) == rec.labels
    np.testing.assert_array_equal(ds.coords["record_step"].values, rec.steps)


def test_seed_axis_in_repr_and_dataframe():
    pytest.importorskip("pandas")
    rng = np.random.default_rng(1)
    rec = gradviz.Recording(meta={"labels": ["a", "b"], "steps": [0, 10, 20]})
    rec.add("loss", rng.random((2, 3, 3)), ("variant", "seed", "record"))
    assert "3 seeds>" in repr(rec) and "3 records" in repr(rec)
    df = rec.to_dataframe("loss")
    assert list(df.columns) == ["variant", "label", "seed", "record", "step", "quantity", "value"]
    row = df[(df.variant == 1) & (df.seed == 2) & (df.record == 1)]
    assert row.value.item() == rec.get("loss")[1, 2, 1] and row.step.item() == 10 and row.label.item() == "b"
