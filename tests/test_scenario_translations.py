"""Every bundled scenario speaks every lesson language.

A course author renders a scenario in the lesson's language; a missing
[translations.<lang>] table silently falls back to English text under
translated figures. The numbers in a translated description come from the
same claims as the English one, so its placeholders must exist there too.
"""
from __future__ import annotations

import re

import pytest

import gradviz
from gradviz.bundled import bundled_scenarios
from gradviz.catalogues import catalogue_languages

LANGUAGES = sorted(catalogue_languages())
PLACEHOLDER = re.compile(r"\{claim:[^}]+\}")


@pytest.mark.parametrize("name", sorted(bundled_scenarios()))
def test_every_bundled_scenario_is_translated_into_every_language(name):
    sc = gradviz.load_scenario(name)
    translations = dict(sc.translations)
    assert sorted(translations) == LANGUAGES, f"{name}: translated into {sorted(translations)}"
    english = set(PLACEHOLDER.findall(sc.description))
    for lang, tr in translations.items():
        assert tr.title and tr.title != sc.title or sc.kind == "precision", f"{name} [{lang}]: title not translated"
        assert tr.description.strip(), f"{name} [{lang}]: no description"
        assert len(tr.labels) == len(sc.variants), f"{name} [{lang}]: {len(tr.labels)} labels"
        extra = set(PLACEHOLDER.findall(tr.description)) - english
        assert not extra, f"{name} [{lang}]: placeholders {sorted(extra)} that the English text does not use"


def test_the_language_list_is_the_lessons():
    assert LANGUAGES == ["bg", "es", "he", "pt", "ro"]


_SUPERSCRIPTS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁻", "0123456789-")
NUMBER = re.compile(r"\d+(?:\.\d+)?")


def _numbers(text: str) -> list[str]:
    return sorted(NUMBER.findall(text.translate(_SUPERSCRIPTS)))


@pytest.mark.parametrize("name", sorted(bundled_scenarios()))
def test_every_bundled_claim_text_is_translated_into_every_language(name):
    """The README's "Claims checked" table shows [translations.LANG] claims; a missing
    list, an English text left in it, or a number that differs from the English claim
    (a threshold changed in [[claims]] but not in the translation) fails here."""
    from gradviz.claims import texts

    sc = gradviz.load_scenario(name)
    english = [c["text"] for c in sc.claims]
    for lang in LANGUAGES:
        tr = dict(sc.translations).get(lang)
        if not english:
            assert tr is None or not tr.claims, f"{name} [{lang}]: claims translated, but there is no [[claims]]"
            continue
        assert tr is not None and tr.claims, f"{name} [{lang}]: no claims = [...] in [translations.{lang}]"
        shown = texts(sc, lang)
        assert len(shown) == len(english)
        for k, (en, text) in enumerate(zip(english, shown), 1):
            assert text.strip() and text != en, f"{name} [{lang}] claim {k}: not translated: {en!r}"
            assert _numbers(text) == _numbers(en), (
                f"{name} [{lang}] claim {k}: numbers {_numbers(text)} instead of {_numbers(en)} "
                f"(English: {en!r}; is the translation stale?)")


CLAIM = '[[claims]]\ntext = "a"\nquantity = "loss"\nvariant = 0\ncompare = "<"\nvalue = 1.0\n'


@pytest.mark.parametrize("claims,where,match", [
    ('["a", "b"]', "$.translations.ro.claims", "expected 1 texts"),
    ('"a"', "$.translations.ro.claims", "expected a list of non-empty strings"),
    ('[""]', "$.translations.ro.claims", "expected a list of non-empty strings"),
])
def test_translated_claims_are_one_non_empty_text_per_claim(claims, where, match):
    from gradviz.scenario import ScenarioError

    with pytest.raises(ScenarioError, match=re.escape(where) + ": " + match):
        gradviz.load_scenario(f'title = "x"\n{CLAIM}[translations.ro]\nclaims = {claims}\n')
    with pytest.raises(ScenarioError, match=re.escape("$.translations.ro.claims")):
        gradviz.load_scenario('title = "x"\n[translations.ro]\nclaims = ["a"]\n')   # no [[claims]] at all
    sc = gradviz.load_scenario(f'title = "x"\n{CLAIM}[translations.ro]\nclaims = ["b"]\n')
    from gradviz.claims import texts
    assert texts(sc, "ro") == ["b"] and texts(sc, "he") == ["a"] and texts(sc, "en") == ["a"]
    assert gradviz.load_scenario(sc.to_toml()).translations == sc.translations   # round trip
