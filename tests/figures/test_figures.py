"""Static figures on synthetic Recordings (no numba, no simulation).

Every figure type is rendered and checked (file, pixel size, not blank); the
NaN and degenerate recordings render with warnings as errors; SVG and PDF
output is byte-stable; every figure module has the declared shape; captions
and alt texts are translated (the catalogues themselves: tests/test_i18n.py).
"""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from gradviz import figures, style
from gradviz.figures.training_curves import LOSS_CAP
from gradviz.panels.markers import DIVERGENCE_GID, EARLY_STOP_GID, FLOOR_GID
from gradviz.panels.recording import first_nonfinite

pytestmark = pytest.mark.filterwarnings("error")

def _png_ok(path, size="web", dpi=style.DEFAULT_DPI):
    s = style.get_size(size)
    with Image.open(path) as im:
        assert im.size == (round(s.width * dpi), round(s.height * dpi))
        a = np.asarray(im.convert("RGB"), dtype=float)
    assert a.std() > 0, f"{path} is blank"
    return a


# -- every figure type ---------------------------------------------------------------

@pytest.mark.parametrize("name", list(figures.FIGURES))
def test_every_figure_renders(name, recs, tmp_path):
    kind = {"decision_boundary": "boundary", "surface": "surface"}.get(name, "exploding")
    outs = figures.render_figures(recs(kind), tmp_path, [name])
    assert [o.name for o in outs] == [name]
    o = outs[0]
    assert o.path == tmp_path / f"{name}.png" and o.path.exists()
    _png_ok(o.path)
    assert o.caption and "{" not in o.caption
    assert o.alt and "{" not in o.alt
    assert o.title


def test_registry_is_complete_and_every_module_has_the_figure_shape():
    expected = {"grad_norms", "activation_hist", "gradient_hist", "heatmap", "loss", "accuracy",
                "update_ratio", "saturation", "percentiles", "lr", "grad_clip",
                "decision_boundary", "surface", "lost_gradients"}
    assert expected <= set(figures.FIGURES)
    assert list(figures.FIGURES) == list(figures.MODULES)          # the registry is the one list
    for name, spec in figures.FIGURES.items():
        assert spec.module.__name__ == f"gradviz.figures.{name}" and spec.module.NAME == name
        assert spec.compose.__doc__ and spec.module.__doc__, name
        assert isinstance(spec.requires, tuple) and spec.requires, name
        assert isinstance(spec.module.TITLE if name != "saturation" else spec.module.TEXTS, (str, dict)), name
        assert "lang" in spec.compose.__code__.co_varnames, name


def test_a_module_without_the_figure_shape_is_rejected():
    import types

    from gradviz.figures.pipeline import registry
    bare = types.ModuleType("gradviz.figures.bare")
    bare.NAME, bare.REQUIRES = "bare", ()
    with pytest.raises(TypeError, match="lacks compose, caption, alt"):
        registry([bare])
    bare.compose = lambda fig, rec, *, lang="en": None
    bare.caption = bare.alt = lambda *a: ""
    with pytest.raises(TypeError, match="needs a docstring"):
        registry([bare])


def test_slide_size_and_dpi(recs, tmp_path):
    outs = figures.render_figures(recs("vanishing"), tmp_path, ["grad_norms"], size="slide", dpi=100)
    _png_ok(outs[0].path, "slide", 100)
    outs = figures.render_figures(recs("vanishing"), tmp_path / "c", ["loss"], size=(6, 4), dpi=80)
    with Image.open(outs[0].path) as im:
        assert im.size == (480, 320)


def test_available_figures(recs):
    assert "decision_boundary" not in figures.available_figures(recs("vanishing"))
    assert "decision_boundary" in figures.available_figures(recs("boundary"))
    surf = figures.available_figures(recs("surface"))
    assert "surface" in surf and "grad_norms" not in surf
    with pytest.raises(figures.FigureUnavailable, match="boundary_class"):
        figures.render_figures(recs("vanishing"), "/nonexistent", ["decision_boundary"])


def test_bad_names_and_options(recs, tmp_path):
    with pytest.raises(ValueError, match="unknown figure"):
        figures.render_figures(recs("vanishing"), tmp_path, ["nope"])
    with pytest.raises(ValueError, match="has no option 'colour'"):
        figures.render_figures(recs("vanishing"), tmp_path, ["heatmap"],
                              options={"heatmap": {"colour": "red"}})
    with pytest.raises(ValueError, match="unknown format"):
        figures.render_figures(recs("vanishing"), tmp_path, ["loss"], formats=["bmp"])
    with pytest.raises(ValueError, match="no array 'nope'"):
        figures.render_figures(recs("vanishing"), tmp_path, ["heatmap"],
                              options={"heatmap": {"quantity": "nope"}})
    with pytest.raises(ValueError, match="layer 12"):
        figures.render_figures(recs("vanishing"), tmp_path, ["percentiles"],
                              options={"percentiles": {"layer": 12}})


def test_options_change_the_figure(recs):
    rec = recs("vanishing")
    opts = {"heatmap": {"quantity": "delta_rms"}, "activation_hist": {"step": 200, "layers": [1, "out"]},
            "percentiles": {"layer": 2}, "grad_norms": {"steps": [100, 200]},
            "loss": {"logy": True, "smooth": 1}, "saturation": {"quantity": "dead"}}
    by = {}
    for name, o in opts.items():
        by[name] = figures.build(rec, name, dpi=40, **o)[1]
    assert "RMS" in by["heatmap"].caption
    assert "step 200" in by["activation_hist"].title
    assert "layer 2" in by["percentiles"].caption
    cap = by["grad_norms"].caption
    assert "step 100" in cap and "step 200" in cap
    assert "logarithmic" in by["loss"].caption
    assert "dead" in by["saturation"].caption.lower()


# -- NaN, divergence and events are visible -----------------------------------------------

def _gids(fig):
    return {a.get_gid() for a in fig.findobj() if a.get_gid()}


@pytest.mark.parametrize("name", ["loss", "grad_norms", "heatmap", "grad_clip", "update_ratio"])
def test_divergence_is_marked(name, recs):
    rec = recs("nan")
    assert first_nonfinite(rec)[1] == 120
    fig, facts = figures.build(rec, name, dpi=50)
    assert DIVERGENCE_GID in _gids(fig), f"{name}: no NaN/Inf marker"
    texts = [tx.get_text() for tx in fig.findobj(lambda a: hasattr(a, "get_text"))]
    assert any("NaN/Inf" in tx for tx in texts), f"{name}: NaN/Inf not named"
    if name in ("loss", "grad_norms", "heatmap", "grad_clip"):
        assert any(re.search(r"NaN/Inf \(n = \d+\)", tx) for tx in texts), f"{name}: NaN/Inf not counted"
    assert "step 120" in facts.alt


def test_nan_colour_is_used_in_the_heatmap(recs, tmp_path):
    outs = figures.render_figures(recs("nan"), tmp_path, ["heatmap"])
    a = _png_ok(outs[0].path).astype(np.uint8)
    magenta = np.array([int(style.NONFINITE[i:i + 2], 16) for i in (1, 3, 5)])
    assert (np.abs(a - magenta).sum(-1) == 0).sum() > 100


def test_early_stop_and_best_epoch_marked(recs):
    fig, facts = figures.build(recs("exploding"), "loss", dpi=50)
    assert EARLY_STOP_GID in _gids(fig)
    legend_texts = [tx.get_text() for leg in fig.legends for tx in leg.get_texts()]
    assert "early stopping" in legend_texts and "best validation epoch" in legend_texts
    best = int(recs("exploding").get("best_epoch")[2])
    assert f"best epoch {best}, stopped at epoch 6" in facts.alt      # both epochs, as recorded


def test_zeros_sit_on_the_floor(recs):
    fig, _ = figures.build(recs("zeros"), "grad_norms", dpi=50)
    assert FLOOR_GID in _gids(fig)
    texts = [tx.get_text() for tx in fig.findobj(lambda a: hasattr(a, "get_text"))]
    assert any("exactly 0" in tx for tx in texts)


# -- degenerate recordings: no error, no warning ----------------------------------------------

# each figure meets each degenerate case at least once where it could plausibly break
DEGENERATE = {
    "zeros": ["grad_norms", "gradient_hist", "heatmap", "update_ratio", "lr", "grad_clip"],
    "one_record": ["grad_norms", "heatmap", "loss", "update_ratio", "percentiles", "grad_clip"],
    "one_layer": ["activation_hist", "heatmap", "saturation"],
    "one_variant": ["gradient_hist", "update_ratio"],
    "relu": ["saturation"],
    "nan": ["activation_hist", "gradient_hist", "lr"],
}


@pytest.mark.parametrize("kind", list(DEGENERATE))
def test_degenerate_recordings_render(kind, recs, tmp_path):
    rec = recs(kind)
    names = [n for n in DEGENERATE[kind] if n in figures.available_figures(rec)]
    assert names
    outs = figures.render_figures(rec, tmp_path, names, dpi=40)
    for o in outs:
        _png_ok(o.path, dpi=40)


def test_no_validation_split(make_recording, tmp_path):
    rec = make_recording("one_variant", validation=False)
    outs = figures.render_figures(rec, tmp_path, ["loss", "accuracy"], dpi=40)
    assert len(outs) == 2


# -- byte-stable vector output ------------------------------------------------------------

def test_svg_and_pdf_are_byte_identical(recs, tmp_path):
    rec = recs("nan")
    a = figures.render_figures(rec, tmp_path / "a", ["loss"], formats=("svg", "pdf"))
    b = figures.render_figures(rec, tmp_path / "b", ["loss"], formats=("svg", "pdf"))
    assert len(a) == 2
    for x, y in zip(a, b):
        assert x.path.read_bytes() == y.path.read_bytes(), x.path.name
    svg = (tmp_path / "a" / "loss.svg").read_text()
    assert "<dc:date>" not in svg
    pdf = (tmp_path / "a" / "loss.pdf").read_bytes()
    assert b"/CreationDate" not in pdf
    assert b"/FontFile2" in pdf          # TrueType embedded (pdf.fonttype 42)


# -- languages (the catalogues themselves: tests/test_i18n.py) -----------------------------

@pytest.mark.parametrize("lang,name", [("ro", "loss"), ("he", "heatmap"), ("bg", "grad_norms"),
                                       ("pt", "activation_hist"), ("es", "update_ratio")])
def test_languages_render_without_missing_glyphs(lang, name, recs, tmp_path):
    # a missing glyph is a warning, which this module turns into an error
    o = figures.render_figures(recs("nan"), tmp_path, [name], lang=lang, dpi=40)[0]
    _png_ok(o.path, dpi=40)
    english_template = figures.FIGURES[name].module.CAPTION
    assert o.caption.split()[-1] not in english_template      # the caption is translated
    assert "{" not in o.caption and "{" not in o.alt
    script = {"he": (0x0590, 0x05FF), "bg": (0x0400, 0x04FF)}.get(lang)
    if script:
        assert any(script[0] <= ord(c) <= script[1] for c in o.caption + o.title)


def test_alt_texts_count_with_plural_forms(make_recording):
    one = make_recording("one_variant")
    _, built = figures.build(one, "activation_hist", dpi=30)
    assert built.alt.startswith("1 panel of ")
    _, built = figures.build(one, "activation_hist", dpi=30, lang="ro")
    assert built.alt.startswith("1 panou ")
    _, built = figures.build(make_recording("vanishing"), "activation_hist", dpi=30, lang="ro")
    assert built.alt.startswith("2 panouri ")


# -- style -----------------------------------------------------------------------------------

def test_style_constants():
    assert style.OKABE_ITO == ("#E69F00", "#56B4E9", "#009E73", "#0072B2",
                               "#D55E00", "#CC79A7", "#F0E442", "#000000")
    assert style.NONFINITE not in style.OKABE_ITO
    rc = style.rc_params("web")
    assert rc["pdf.fonttype"] == 42 and rc["svg.hashsalt"]
    assert style.save_metadata("svg") == {"Date": None}
    assert style.fmt_num(3.1e-8) == "3.1×10⁻⁸"
    assert style.fmt_num(float("nan")) == "NaN" and style.fmt_num(0) == "0"
    with pytest.raises(ValueError):
        style.get_size("poster")


# -- render code never imports the simulator ---------------------------------------------------

def test_render_does_not_import_numba():
    code = ("import sys, gradviz.figures, gradviz.animations, gradviz.figures.precision, gradviz.readme; "
            "bad = [m for m in ('numba', 'gradviz.engine', 'gradviz.simulate') "
            "if m in sys.modules]; print(bad); sys.exit(1 if bad else 0)")
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=Path(__file__).resolve().parents[2])
    assert res.returncode == 0, res.stdout + res.stderr


def test_float16_variants_get_their_representable_range_shaded(recs, tmp_path):
    rec = recs("vanishing")
    rec.meta["dtypes"] = ["float16"] + ["float64"] * (len(rec.labels) - 1)
    fig, facts = figures.build(rec, "gradient_hist")
    spans = [[p for p in ax.patches if p.get_alpha() in (0.16, 0.07)] for ax in fig.axes]
    assert len(spans[0]) == 2  # rounds-to-zero and subnormal ranges, on the float16 panel
    assert not any(spans[1:len(rec.labels)])
    rec.meta["dtypes"] = ["float64"] * len(rec.labels)
    fig, _ = figures.build(rec, "gradient_hist")
    assert not any(p.get_alpha() in (0.16, 0.07) for ax in fig.axes for p in ax.patches)


def test_loss_axis_ends_above_a_blown_up_run(recs):
    rec = recs("vanishing")
    loss = np.asarray(rec.get("loss"), dtype=float).copy()
    trace = np.asarray(rec.get("trace_loss"), dtype=float).copy()
    loss[0, 2:] = 1e50
    trace[0, 40:] = 1e50
    rec.add("loss", loss, rec.axes["loss"])
    rec.add("trace_loss", trace, rec.axes["trace_loss"])
    fig, _ = figures.build(rec, "loss")
    ax = fig.axes[0]
    cap = LOSS_CAP * np.nanmax(loss[:, 0])
    assert ax.get_ylim()[1] == pytest.approx(cap)
    assert any("off the scale" in t.get_text() for t in ax.texts)
