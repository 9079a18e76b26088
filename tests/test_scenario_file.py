"""gradviz.scenario_file: reading scenario files as text, TOML values."""
import pytest

from gradviz.scenario import load_scenario
from gradviz.scenario_file import (UnreadableFile, read_scenario_file, read_scenario_text, resolve_data_paths,
                                   toml_value)


def test_bom_dropped(tmp_path):
    p = tmp_path / "s.toml"
    p.write_bytes(b"\xef\xbb\xbftitle = 'x'\n")
    assert read_scenario_text(p) == "title = 'x'\n"


@pytest.mark.parametrize("data,match", [(b"\xff\xfe", "not UTF-8"), (b"", "empty"), (b"# c\n", "empty"),
                                        (b"a = " + b"[" * 3000 + b"]" * 3000, "nested|syntax")])
def test_unreadable(tmp_path, data, match):
    p = tmp_path / "s.toml"
    p.write_bytes(data)
    with pytest.raises(UnreadableFile, match=match):
        read_scenario_file(p)


def test_relative_data_paths_resolved(tmp_path):
    raw = {"data": {"path": "d.npz"}, "variants": [{"data.path": "e.npz"}, {"data": {"path": "/abs.npz"}}],
           "compare": {"key": "data.path", "values": ["f.npz"]}}
    out = resolve_data_paths(raw, tmp_path)
    assert out["data"]["path"] == str(tmp_path / "d.npz")
    assert out["variants"][0]["data.path"] == str(tmp_path / "e.npz")
    assert out["variants"][1]["data"]["path"] == "/abs.npz"
    assert out["compare"]["values"] == [str(tmp_path / "f.npz")]
    assert raw["data"]["path"] == "d.npz"  # the input is not modified


def test_load_scenario_resolves_against_its_folder(tmp_path, monkeypatch):
    (tmp_path / "p").mkdir()
    (tmp_path / "p" / "s.toml").write_text('[data]\nkind = "file"\npath = "d.npz"\n')
    monkeypatch.chdir(tmp_path)
    assert load_scenario("p/s.toml").data.path == str(tmp_path / "p" / "d.npz")


@pytest.mark.parametrize("v,text", [(True, "true"), (1, "1"), (float("inf"), "inf"), ("a\"b", '"a\\"b"'),
                                    ((1, 2.5), "[1, 2.5]")])
def test_toml_value(v, text):
    assert toml_value(v) == text
