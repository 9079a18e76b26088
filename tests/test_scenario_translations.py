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
