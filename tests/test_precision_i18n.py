"""Translations of the precision figures: every language has every English
string with the same placeholders, captions and alt texts exist for every
figure, and every figure renders in every language to PNG with all glyphs
present and its text inside the figure."""
from __future__ import annotations

import logging
import string
import unicodedata

import numpy as np
import pytest
from matplotlib.legend import Legend
from matplotlib.text import Text
from PIL import Image

from gradviz import precision_figures as pf

LANGS = ("ro", "he", "bg", "pt", "es")
NAMES = ("absorption", "spacing", "summation", "cancellation", "overflow")
EN = pf.STRINGS["en"]

from test_precision_figures import SMALL  # noqa: E402  (same small data, one definition)

# One translated string per figure that must show up in that figure.
SHOWN = {"absorption": "abs_title_curve", "spacing": "sp_title_ulp", "summation": "sum_xlabel",
         "cancellation": "can_title_one", "overflow": "ov_title_sig"}


@pytest.fixture(scope="module")
def small_data():
    return {name: make() for name, make in SMALL.items()}


def _fields(text: str) -> set:
    """``{(name, format_spec, conversion)}`` of the ``str.format`` fields in ``text``."""
    return {(name, spec, conv) for _, name, spec, conv in string.Formatter().parse(text)
            if name is not None}


# ---------------------------------------------------------------------------
# The strings
# ---------------------------------------------------------------------------


def test_figure_registry_matches():
    assert set(pf.FIGURES) == set(NAMES) == set(SMALL) == set(SHOWN)


@pytest.mark.parametrize("lang", LANGS)
def test_every_language_has_every_english_key(lang):
    text = pf.STRINGS[lang]
    assert sorted(set(EN) - set(text)) == []          # missing
    assert sorted(set(text) - set(EN)) == []          # unknown to English: never used
    assert all(isinstance(v, str) and v.strip() for v in text.values())


@pytest.mark.parametrize("lang", LANGS)
def test_placeholders_are_the_english_ones(lang):
    bad = {key: (sorted(_fields(EN[key])), sorted(_fields(text)))
           for key, text in pf.STRINGS[lang].items() if _fields(text) != _fields(EN[key])}
    assert bad == {}


@pytest.mark.parametrize("lang", ("en",) + LANGS)
def test_captions_and_alt_texts_for_every_figure(lang):
    text = pf.STRINGS[lang]
    for name in NAMES:
        for kind in ("caption", "alt"):
            value = text[f"{kind}_{name}"]
            # gradviz.outputs uses them as they are: no fields to fill in
            assert "{" not in value and "}" not in value, (kind, name)
            if lang != "en":
                assert value != EN[f"{kind}_{name}"], (kind, name)
        assert len(text[f"alt_{name}"]) > len(text[f"caption_{name}"]) / 2


def test_no_mathtext_in_strings():
    # a "$...$" pair would switch a label to mathtext, which lays Hebrew out backwards
    assert [(lang, key) for lang, text in pf.STRINGS.items() for key, v in text.items()
            if "$" in v] == []


def test_hebrew_lines_start_right_to_left():
    """Each line holding Hebrew must begin (first strong character) with a
    Hebrew letter, or the whole line is laid out left to right."""
    wrong = []
    for key, value in pf.STRINGS["he"].items():
        for line in value.split("\n"):
            strong = [c for c in line if unicodedata.bidirectional(c) in ("L", "R", "AL")]
            if any(unicodedata.bidirectional(c) == "R" for c in strong) and \
                    unicodedata.bidirectional(strong[0]) != "R":
                wrong.append((key, line))
    assert wrong == []


def test_translations_format_with_the_figures_fields():
    fields = dict(a="1e10", b="1e-10", n_abs=3, n_fmt=4, fmt="float16", max="65504",
                  eps="2^-10", ulp="2^-24", value="0.1", stall="256", n="10000000",
                  naive="1087937", exact="~1000000.0149", mean=10000.0, x="8.32")
    for lang in LANGS:
        for key in EN:
            pf._t(key, lang, **{k: fields[k] for k, _, _ in _fields(EN[key])})


def test_missing_key_and_unknown_language_fall_back_to_english(monkeypatch, small_data):
    monkeypatch.delitem(pf.STRINGS["ro"], "sp_title_ulp")
    assert pf._t("sp_title_ulp", "ro") == EN["sp_title_ulp"]
    assert pf._t("sp_title_rel", "ro") == pf.STRINGS["ro"]["sp_title_rel"] != EN["sp_title_rel"]
    assert pf._t("abs_point", "xx", a="1", b="2") == "1 + 2"
    fig = pf.fig_spacing(small_data["spacing"], lang="ro")
    titles = [ax.get_title() for ax in fig.axes]
    assert EN["sp_title_ulp"] in titles and pf.STRINGS["ro"]["sp_title_rel"] in titles


def test_outputs_use_translated_caption_and_alt(tmp_path):
    from gradviz.outputs import _precision_outputs
    from gradviz.scenario import load_scenario

    sc = load_scenario({"kind": "precision", "precision": {"experiments": ["overflow"]},
                        "render": {"lang": "bg", "dpi": 50}})
    (out,) = _precision_outputs(sc, tmp_path)
    assert out.path == tmp_path / "overflow.png" and out.path.is_file()
    assert out.caption == pf.STRINGS["bg"]["caption_overflow"]
    assert out.alt == pf.STRINGS["bg"]["alt_overflow"]


# ---------------------------------------------------------------------------
# Rendering
# ---------------------------------------------------------------------------


def _layout_problems(fig) -> list[str]:
    """Text outside the figure, legends wider than their axes, table text
    wider than its cell (the figure must have been drawn)."""
    renderer = fig.canvas.get_renderer()
    box = fig.bbox
    tick_labels = {id(t) for ax in fig.axes for axis in (ax.xaxis, ax.yaxis)
                   for tick in axis.get_major_ticks() + axis.get_minor_ticks()
                   for t in (tick.label1, tick.label2)}
    problems = []
    for t in fig.findobj(Text):
        if id(t) in tick_labels or not t.get_visible() or not t.get_text().strip():
            continue
        b = t.get_window_extent(renderer)
        if b.x0 < box.x0 - 1 or b.x1 > box.x1 + 1 or b.y0 < box.y0 - 1 or b.y1 > box.y1 + 1:
            problems.append(f"outside the figure: {t.get_text()!r}")
    for legend in fig.findobj(Legend):
        parent = legend.axes.bbox if legend.axes is not None else box
        b = legend.get_window_extent(renderer)
        if b.x0 < parent.x0 - 1 or b.x1 > parent.x1 + 1:
            problems.append(f"legend wider than its axes: {[t.get_text() for t in legend.texts]}")
    for ax in fig.axes:
        for table in ax.tables:
            for cell in table.get_celld().values():
                if cell.get_text().get_window_extent(renderer).width > \
                        cell.get_window_extent(renderer).width:
                    problems.append(f"table cell overflows: {cell.get_text().get_text()!r}")
    return problems


@pytest.mark.filterwarnings("error:Glyph .* missing:UserWarning")
@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("lang", LANGS)
def test_figure_renders_in_language(lang, name, small_data, tmp_path, monkeypatch, caplog):
    figures, draw = [], pf.FIGURES[name]

    def keep(data, **kw):                     # render_precision's figure, to inspect it
        figures.append(draw(data, **kw))
        return figures[-1]

    monkeypatch.setitem(pf.FIGURES, name, keep)
    with caplog.at_level(logging.WARNING, logger="matplotlib"):
        (path,) = pf.render_precision([name], tmp_path, dpi=60, lang=lang,
                                      data={name: small_data[name]})
    # mathtext reports missing glyphs through logging, not warnings
    assert not [r for r in caplog.records if "glyph" in r.getMessage().lower()]
    with Image.open(path) as im:
        assert im.format == "PNG" and im.size == (480, 270)
        assert np.asarray(im.convert("RGB"), dtype=float).std() > 0

    (fig,) = figures
    shown = {t.get_text() for t in fig.findobj(Text)}
    assert pf.STRINGS[lang][SHOWN[name]] in shown     # translated, not English
    assert _layout_problems(fig) == []
