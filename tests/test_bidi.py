"""Hebrew bidi: which parts of a right-to-left message isolate_ltr wraps in LRI … PDI
(review_ro_he_bg rules a–d and the number ranges), against the expected strings."""
import re

import pytest

from gradviz import catalogues
from gradviz.i18n import LRI, PDI, isolate_ltr, t


def show(s: str) -> str:
    return s.replace(LRI, "⟦").replace(PDI, "⟧")


CASES = [
    # (a) an unpaired "(" at the end of a run stays outside, with the Hebrew it opens
    ("מתחת ל־10⁻⁸ (מחוץ לסקאלה)", "מתחת ל־⟦10⁻⁸⟧ (מחוץ לסקאלה)"),
    ("סכימת Kahan (מפוצה)", "סכימת ⟦Kahan⟧ (מפוצה)"),
    ("קדם-אקטיבציה z = Wh + b (קלט של tanh)", "קדם-אקטיבציה ⟦z = Wh + b⟧ (קלט של ⟦tanh⟧)"),
    # (b) the hyphen after a Hebrew prefix letter belongs to the Hebrew word
    ("float16: מתחת ל-2⁻²⁴/S, מתעגל ל-0", "⟦float16⟧: מתחת ל-⟦2⁻²⁴/S⟧, מתעגל ל-0"),
    ("ה-a השמור", "ה-⟦a⟧ השמור"),
    ("נשמר כ-inf.", "נשמר כ-⟦inf⟧."),
    ("השונות של 10000 + N(0, 1) ב-float32", "השונות של ⟦10000 + N(0, 1)⟧ ב-⟦float32⟧"),
    # (c) lone operators and plain numbers are left to the bidi algorithm
    ("ReLU + אתחול He", "⟦ReLU⟧ + אתחול ⟦He⟧"),
    ("שכבה (1 = השכבה הנסתרת הראשונה, פלט = שכבת הפלט)", "שכבה (1 = השכבה הנסתרת הראשונה, פלט = שכבת הפלט)"),
    # (d) a leading ": " / "= " and a spaced dash are the sentence's
    ("עיגול אחד: u = eps/2", "עיגול אחד: ⟦u = eps/2⟧"),
    ("עבור n = 10000000: נאיבי = 1087937", "עבור ⟦n = 10000000⟧: נאיבי = 1087937"),
    ("בביטים: 1e10 + 1e-10 — b מוזז", "בביטים: ⟦1e10 + 1e-10⟧ — ⟦b⟧ מוזז"),
    ("הסיגמואיד ברוויה: 1 - sigma(x) הופך ל-0", "הסיגמואיד ברוויה: ⟦1 - sigma(x)⟧ הופך ל-0"),
    # ranges and negative numbers keep their order
    ("סימטרי [-1, 1]", "סימטרי ⟦[-1, 1]⟧"),
    ("טווח יחידה [0, 1]", "טווח יחידה ⟦[0, 1]⟧"),
    ("גולמי 0..16", "גולמי ⟦0..16⟧"),
    # a list is two runs; leading sentence punctuation stays out; brackets keep their commas
    ("ב-float64, 1e-7 ב-float32", "ב-⟦float64⟧, ⟦1e-7⟧ ב-⟦float32⟧"),
    ("בצירים לוגריתמיים, float16 עם n", "בצירים לוגריתמיים, ⟦float16⟧ עם ⟦n⟧"),
    ("של softmax(s, 0) ו-N(0, 1)", "של ⟦softmax(s, 0)⟧ ו-⟦N(0, 1)⟧"),
    # formulas stay whole
    ("אחיד ±1/√n_in", "אחיד ⟦±1/√n_in⟧"),
    ("f(x) = 1 בדיוק", "⟦f(x) = 1⟧ בדיוק"),
    # review_b: a bracket whose partner is in the Hebrew text ends the isolate before it
    ("כמו אצל Glorot & Bengio (2010, איור 6). הצבע", "כמו אצל ⟦Glorot & Bengio⟧ (2010, איור 6). הצבע"),
    ("{q} (log₁₀ של", "⟦{q}⟧ (⟦log₁₀⟧ של"),
    # a quotation mark whose partner is Hebrew belongs to the sentence
    ('הירחים" (moons): האות', 'הירחים" ⟦(moons)⟧: האות'),
    ('מ"[-1, 1] או [0, 1]": ל', 'מ"⟦[-1, 1]⟧ או ⟦[0, 1]⟧": ל'),
    # RLM (U+200F) before a formula is a right-to-left mark: never inside the isolate
    ("של Glorot, \u200f√(2/(n_in+n_out)), שומרת", "של ⟦Glorot⟧, \u200f⟦√(2/(n_in+n_out))⟧, שומרת"),
    # a point's coordinates keep their order; a plain list of numbers is the sentence's
    ("מתחיל ב־(1.5, 0.001), כמעט", "מתחיל ב־⟦(1.5, 0.001)⟧, כמעט"),
    ("של 0, 0.2, 0.5 ו-0.8", "של 0, 0.2, 0.5 ו-0.8"),
]


@pytest.mark.parametrize("text,expected", CASES)
def test_isolate_ltr_rule(text, expected):
    assert show(isolate_ltr(text)) == expected


def test_isolating_twice_changes_nothing():
    for text, _ in CASES:
        once = isolate_ltr(text)
        assert isolate_ltr(once) == once


def _isolates(s):
    return re.findall(f"{LRI}([^{PDI}]*){PDI}", s)


def _top_level_comma(run):
    depth = 0
    for k, c in enumerate(run):
        depth += (c in "([{") - (c in ")]}")
        if depth == 0 and run[k:k + 2] in (", ", "; "):
            return True
    return False


def test_no_hebrew_catalogue_string_isolates_sentence_punctuation():
    """Every he message, as drawn: no isolate starts with a hyphen, ':' '=' or an
    unpaired bracket, none ends with '(' or a lone operator, none is a bare number."""
    bad = []
    for m in catalogues.read_po(catalogues.po_path("he")):
        for value in (m.string if isinstance(m.string, tuple) else (m.string,)):
            if not m.id or not value:
                continue
            for run in _isolates(isolate_ltr(value)):
                if (run[:1] in "-:=),;" or run.endswith(("(", " +", " =", " -")) or _top_level_comma(run)
                        or re.fullmatch(r"[\d.,%\s]+", run) or (run[:1] == "(" and ")" not in run)):
                    bad.append((value, run))
    assert bad == []


def test_ranges_in_hebrew_labels_are_isolated():
    s = t("raw 0..16", "he") if t("raw 0..16", "he") != "raw 0..16" else isolate_ltr("גולמי 0..16")
    assert any(".." in r for r in _isolates(s))


# -- the output README's title and description, as a bidi renderer shows them ----------
def _fribidi():
    import ctypes
    import ctypes.util

    name = ctypes.util.find_library("fribidi")
    if not name:
        pytest.skip("libfribidi not installed")
    return ctypes.CDLL(name)


def visual(text: str) -> str:
    """``text`` in a right-to-left paragraph as drawn, left to right (libfribidi's
    fribidi_log2vis, the reference the reviewer checked with), isolates removed."""
    import ctypes

    lib, n = _fribidi(), len(text)
    src, out = (ctypes.c_uint32 * n)(*map(ord, text)), (ctypes.c_uint32 * n)()
    base = ctypes.c_uint32(0x111)          # FRIBIDI_PAR_RTL
    lib.fribidi_log2vis(src, n, ctypes.byref(base), out, None, None, None)
    return "".join(chr(c) for c in out if c not in (0x2066, 0x2067, 0x2068, 0x2069, 0x200F))


#: review_b's findings: formulas of the Hebrew descriptions that the README showed reversed
FORMULAS = {
    "initialization": ["U[±1/√n_in]", "1/√(3 n_in)", "√(2/(n_in+n_out))", "√(2/n_in)", "N(0,1)"],
    "relu_depth": ["√(2/(n_in+n_out))", "√(2/n_in)"],
    "batch_norm": ["[0, 1]", "(η = 0.05)"],
    "weight_norm": ["w = g·v/‖v‖", "v/‖v‖", "[0, 1]"],
    "optimizers": ["(w ← w − η∇/‖∇‖)", "‖ΔW‖/‖W‖"],
    "momentum": ["(x² + 200 y²)/2", "2/200 = 0.01", "η/(1 − γ)"],
    "saddle_race": ["f(x, y) = x² + y⁴/4 − y²/2", "(0, ±1)", "(1.5, 0.001)", "f = −1/4", "(−0.25)"],
    "beale_race": ["(1.5−x+xy)² + (2.25−x+xy²)² + (2.625−x+xy³)²", "(3, 0.5)", "η = 10^(k/4)"],
    "float_precision": ["1e10 + 1e-10 == 1e10"],
}


@pytest.mark.parametrize("name", sorted(FORMULAS))
def test_hebrew_readme_title_and_description_keep_formulas_in_order(name):
    """The README writes the scenario's title and description paragraphs through
    readme.bidi_paragraphs: every formula the reviewer found reversed reads left to right
    in the drawn right-to-left paragraph (before the fix: "n_in√/1", "[1 ,0]", "(±1 ,0)")."""
    from gradviz.cli import bundled_scenarios
    from gradviz.readme import bidi_paragraphs
    from gradviz.scenario import load_scenario

    title, description, _ = load_scenario(bundled_scenarios()[name]).localized("he")
    # the placeholders as claims.fill puts them in: a number with its minus sign
    text = re.sub(r"\{claim:[^}]*\}", "−0.25", f"{title}\n\n{description}")
    shown = " ".join(visual(p) for p in bidi_paragraphs(text, "he"))
    missing = [f for f in FORMULAS[name] if f not in shown]
    assert missing == []
    assert bidi_paragraphs(text, "en") == [p for p in re.split(r"\n\s*\n", text.strip())]


def test_readme_writes_the_isolated_title_and_description(tmp_path):
    from gradviz.readme import md_escape, write_readme

    title, desc = "אתחול U[±1/√n_in]", "בטווח [0, 1] ו-(0, ±1).\n\nפסקה שנייה: w = g·v/‖v‖"
    text = (write_readme(tmp_path, [], title, desc, lang="he")).read_text(encoding="utf-8")
    assert text.startswith(f"# {md_escape(isolate_ltr(title))}\n")
    assert md_escape(f"בטווח {LRI}[0, 1]{PDI} ו-{LRI}(0, ±1){PDI}.") in text
    assert md_escape(f"פסקה שנייה: {LRI}w = g·v/‖v‖{PDI}") in text
    en = write_readme(tmp_path / "en", [], "x [0, 1]", "a (0, ±1)", lang="en").read_text(encoding="utf-8")
    assert LRI not in en and PDI not in en
