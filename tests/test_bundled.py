"""Scenario names (gradviz.bundled): the one resolution of NAME that the CLI and
gradviz.load_scenario share."""
from pathlib import Path

import pytest

import gradviz
from gradviz.bundled import bundled_scenarios, resolve
from gradviz.names import did_you_mean
from gradviz.scenario import ScenarioError


def test_a_bare_name_is_your_copy_then_the_bundled_one(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    said = []
    assert resolve("dropout", said.append) == bundled_scenarios()["dropout"]
    assert said == [f"dropout: using the bundled scenario {bundled_scenarios()['dropout']}"]
    Path("dropout.toml").write_text('title = "mine"\n', encoding="utf-8")
    assert resolve("dropout", said.append) == Path("dropout.toml")
    assert said[-1] == f"dropout: using ./dropout.toml rather than the bundled {bundled_scenarios()['dropout']}"


def test_paths_stay_paths_and_a_folder_of_that_name_is_not_a_scenario(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert resolve("sub/x.toml") == Path("sub/x.toml") and resolve("y.toml") == Path("y.toml")
    Path("initialization").mkdir()      # e.g. the output folder of `render --out .`
    assert resolve("initialization") == bundled_scenarios()["initialization"]
    # the notebook API resolves the same way
    assert gradviz.load_scenario("initialization").title == gradviz.load_scenario(
        str(bundled_scenarios()["initialization"])).title


def test_an_unknown_name_is_one_line_with_a_suggestion(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ScenarioError, match=r"no bundled scenario of that name \(did you mean 'dropout'\?\); "):
        resolve("dropuot")
    assert did_you_mean("zzzz", bundled_scenarios()) == ""
