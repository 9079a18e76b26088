"""Catalogue wording the reviewers asked for (review_ro_he_bg, review_en_es_pt): one
term per quantity, the lessons' own words, Brazilian Portuguese as the pt lesson."""
import re

import pytest

from gradviz import catalogues
from gradviz.i18n import t

#: (language, pattern that must not appear in any msgstr, why)
FORBIDDEN = [
    ("ro", r"\bponderi(lor)?\b", "the lesson says greutăți for weights"),
    ("ro", r"\bper actualizare\b", "pe actualizare"),
    ("ro", r"în afara intervalelor", "outside the histogram, not 'the intervals'"),
    ("bg", r"извън интервалите", "outside the histogram"),
    ("he", r"אופטימייזר", "the lesson spells אופטימיזר"),
    ("es", r"\bPrecisión\b|\bprec\. ", "accuracy is exactitud, precision is another metric"),
    ("pt", r"\bPrecisão\b|\bexatidão\b|\bprec\. ", "accuracy is acurácia"),
    ("pt", r"\bparagem\b|\btreino\b|\bregistad[oa]s?\b|\bcinzent[oa]\b|\bem baixo\b|\bgrelha\b|\brasto\b"
           r"|\bpartilh|\bficheiro|\bFicheiro|\bfotograma|\ba (mudar|preencher)|\bestá a \w+r\b|\bperde-se\b"
           r"|\bdesloca-se\b|\bmostram-se\b|\bdesenha-as\b|\bno piso\b", "pt-PT form in a pt-BR catalogue"),
]


def _strings(lang):
    for m in catalogues.read_po(catalogues.po_path(lang)):
        if m.id:
            yield from (s for s in (m.string if isinstance(m.string, tuple) else (m.string,)) if s)


@pytest.mark.parametrize("lang,pattern,why", FORBIDDEN)
def test_catalogue_avoids(lang, pattern, why):
    hits = [s for s in _strings(lang) if re.search(pattern, s)]
    assert hits == [], why


def test_accuracy_is_one_term_in_es_and_pt():
    assert t("Accuracy", "es") == "Exactitud" and "exactitud" in t(
        "{shown} The dotted grey line is the accuracy of guessing. Markers show events: ■ early stopping, "
        "★ best validation epoch, ✕ (magenta) the first step with NaN or Inf values.", "es", shown="")
    assert t("Accuracy", "pt") == "Acurácia"


@pytest.mark.parametrize("lang,pattern,why", FORBIDDEN)
def test_translated_claim_texts_avoid(lang, pattern, why):
    # the README's "Claims checked" table shows [translations.LANG] claims: the same wording rules
    import gradviz
    from gradviz.bundled import bundled_scenarios

    texts = [s for name in bundled_scenarios()
             for s in (dict(gradviz.load_scenario(name).translations).get(lang).claims or ())]
    assert len(texts) > 50
    assert [s for s in texts if re.search(pattern, s)] == [], why
