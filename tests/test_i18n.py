"""Translations (gradviz.i18n, gradviz/locale): the catalogues are complete and
current, the compiled .mo files match their .po, one lookup with English
fallback and plural forms, the languages come from the catalogues.

When a test here fails: ``python -m gradviz.catalogues extract``, then
``update``, translate what is new or fuzzy (Poedit), then ``compile``
(README, "Translating gradviz")."""
from __future__ import annotations

import ast
import unicodedata
from pathlib import Path

import pytest

from gradviz import catalogues, i18n
from gradviz.i18n import LANGUAGES, N_, nt, t

PACKAGE = Path(i18n.__file__).resolve().parent
OTHER = [lang for lang in LANGUAGES if lang != "en"]


def test_languages_are_the_catalogues_present():
    assert LANGUAGES[0] == "en"
    assert list(LANGUAGES[1:]) == catalogues.catalogue_languages()
    assert {"ro", "he", "bg", "pt", "es"} <= set(LANGUAGES)              # the lesson's languages
    from gradviz.names import LANGUAGES as names_languages
    from gradviz.scenario import SCHEMA
    lang_key = next(k for k in SCHEMA["render"] if k.name == "lang")
    assert names_languages == LANGUAGES and lang_key.choices == LANGUAGES


def test_the_pot_lists_every_message_id_in_the_code_and_nothing_else():
    assert catalogues.stale_pot() == {"missing from the .pot": [], "in the .pot, not in the code": []}


def _lookups_in_code():
    """Every t/nt/N_ call in the package, found with ast (it sees inside f-strings, Babel does not)."""
    for path in PACKAGE.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        in_fstring = {id(n) for js in ast.walk(tree) if isinstance(js, ast.JoinedStr) for n in ast.walk(js)}
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("t", "nt", "N_"):
                yield path.relative_to(PACKAGE.parent), node, id(node) in in_fstring


def test_no_lookup_hides_inside_an_fstring():
    # the extractor cannot see a message id inside an f-string: it would never be translated
    assert [f"{p}:{n.lineno}" for p, n, hidden in _lookups_in_code() if hidden] == []


def test_every_literal_message_id_is_in_the_pot():
    pot = {m.id if isinstance(m.id, str) else m.id[0] for m in catalogues.read_po(catalogues.POT) if m.id}
    literal = {n.args[0].value for _, n, _ in _lookups_in_code()
               if n.args and isinstance(n.args[0], ast.Constant) and isinstance(n.args[0].value, str)}
    assert len(literal) > 150 and literal - pot == set()


@pytest.mark.parametrize("lang", OTHER)
def test_catalogue_is_complete_current_and_compiled(lang):
    # no missing, obsolete, fuzzy or untranslated entry; placeholders as in English; .mo == .po
    assert catalogues.problems(lang) == []


def test_a_stale_catalogue_is_reported(tmp_path, monkeypatch):
    po = catalogues.read_po(catalogues.po_path("ro"))
    msg = po["Layer"]
    po.delete("Layer")
    po.add("Layer (old wording)", msg.string)
    monkeypatch.setattr(catalogues, "LOCALE_DIR", tmp_path)
    target = catalogues.po_path("ro")
    catalogues._write_po(po, target)
    found = catalogues.problems("ro")
    assert "missing: 'Layer'" in found and "not in the .pot (obsolete): 'Layer (old wording)'" in found
    assert any("is missing: run python -m gradviz.catalogues compile" in p for p in found)


def test_a_mo_that_differs_from_its_po_is_reported(tmp_path, monkeypatch):
    from babel.messages.mofile import write_mo

    po = catalogues.read_po(catalogues.po_path("bg"))
    monkeypatch.setattr(catalogues, "LOCALE_DIR", tmp_path)
    catalogues._write_po(po, catalogues.po_path("bg"))
    po["Layer"].string = "Пласт"                 # the .mo says something the .po does not
    with open(catalogues.po_path("bg").with_suffix(".mo"), "wb") as fh:
        write_mo(fh, po)
    assert catalogues.stale_mo("bg") == [".mo differs from .po: 'Layer'"]


def test_lookup_falls_back_to_english():
    assert t("Layer", "ro") == "Strat"
    assert t("Layer", "xx") == "Layer"                     # unknown language
    assert t("No such message {n}", "ro", n=3) == "No such message 3"   # not in the catalogue
    assert t("step {n}", "he", n=5) == "צעד 5"
    assert N_("Layer") == "Layer"


def test_a_translation_with_broken_placeholders_falls_back_to_english(monkeypatch):
    class Broken:
        def gettext(self, msgid):
            return "pasul {m}"

    monkeypatch.setattr(i18n, "translation", lambda lang: Broken())
    assert t("step {n}", "ro", n=4) == "step 4"
    with pytest.raises(KeyError):
        t("step {n}", "en")                                # a broken English id is a bug


def test_plural_forms_follow_each_language():
    frames = ("Animation with {n} frame. {caption}", "Animation with {n} frames. {caption}")
    assert [nt(*frames, n, "en", n=n, caption="")for n in (1, 2)] == ["Animation with 1 frame. ",
                                                                      "Animation with 2 frames. "]
    # Romanian has three forms: 1, 2..19 (and 0, 101..119), 20 and more with "de"
    assert [nt(*frames, n, "ro", n=n, caption="") for n in (1, 3, 20, 101)] == [
        "Animație cu 1 cadru. ", "Animație cu 3 cadre. ", "Animație cu 20 de cadre. ", "Animație cu 101 cadre. "]
    assert nt(*frames, 1, "xx", n=1, caption="") == "Animation with 1 frame. "


def test_hebrew_is_stored_in_logical_order():
    # matplotlib >= 3.11 shapes right-to-left text itself: strings are not pre-reversed
    assert t("Layer", "he") == "שכבה"
    assert t("Loss", "he").startswith("ה")
    assert i18n.is_rtl("he") and not i18n.is_rtl("ro")


def test_hebrew_lines_of_the_precision_figures_start_right_to_left():
    """Each line holding Hebrew must begin (first strong character) with a Hebrew
    letter, or the whole line is laid out left to right (precision figures draw
    multi-line notes)."""
    wrong = []
    for m in catalogues.read_po(catalogues.po_path("he")):
        if not m.id or not any("precision" in loc for loc, _ in m.locations):
            continue
        for value in (m.string if isinstance(m.string, tuple) else (m.string,)):
            for line in value.split("\n"):
                strong = [c for c in line if unicodedata.bidirectional(c) in ("L", "R", "AL")]
                if any(unicodedata.bidirectional(c) == "R" for c in strong) and \
                        unicodedata.bidirectional(strong[0]) != "R":
                    wrong.append(line)
    assert wrong == []


def _all_translations():
    for lang in OTHER:
        for m in catalogues.read_po(catalogues.po_path(lang)):
            if m.id:
                yield from (m.string if isinstance(m.string, tuple) else (m.string,))


def test_no_mathtext_in_translations():
    # a "$...$" pair would switch a label to mathtext, which lays Hebrew out backwards
    assert [s for s in _all_translations() if "$" in s] == []


def test_font_covers_every_language():
    from matplotlib import font_manager
    from matplotlib.ft2font import FT2Font

    from gradviz import style
    cmap = FT2Font(font_manager.findfont(style.FONT_FAMILY, fallback_to_default=False)).get_charmap()
    text = "".join(_all_translations())
    missing = sorted({ch for ch in text if ord(ch) > 32 and ord(ch) not in cmap})
    assert not missing, missing


def test_an_unpaired_closing_bracket_keeps_its_space_outside_the_isolate():
    # the README's measured column in Hebrew: "label (סוף) 1 [0.9..1] < 100"
    from gradviz.i18n import LRI, PDI, isolate_ltr
    assert isolate_ltr("בסיס (סוף) 1 [0.9..1] < 100") == f"בסיס (סוף) {LRI}1 [0.9..1] < 100{PDI}"


def test_hebrew_absorption_table_reads_right_to_left(precision_data):
    """issue 11: in Hebrew the table's first column (the format) is at the right, and every
    number and format name in it is a left-to-right run of its own (LRI … PDI)."""
    from gradviz.figures import precision
    from gradviz.i18n import LRI, PDI

    def grid(lang):
        fig, _ = precision.build(precision_data["absorption"], "absorption", dpi=40, lang=lang)
        cells = fig.axes[0].tables[0].get_celld()
        n_rows, n_cols = max(r for r, _ in cells) + 1, max(c for _, c in cells) + 1
        return [[cells[r, c].get_text().get_text() for c in range(n_cols)] for r in range(n_rows)]

    en, he = grid("en"), grid("he")
    assert en[0][0] == "format" and he[0][-1] == t("format", "he") != "format"
    for row_en, row_he in zip(en[1:], he[1:]):
        assert row_he[-1] == f"{LRI}{row_en[0]}{PDI}"                      # float16 ... at the right
        for cell_en, cell_he in zip(row_en[1:4], row_he[-2:0:-1]):        # a, b, fl(a + b)
            assert cell_he.replace(LRI, "").replace(PDI, "") == cell_en
            assert cell_he == cell_en if cell_en.isdigit() else cell_he == f"{LRI}{cell_en}{PDI}"
