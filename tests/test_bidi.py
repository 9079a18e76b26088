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
