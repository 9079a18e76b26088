"""Scenario loading: defaults, variants, and errors that name the key."""
import pytest

from gradviz.preview import quick
from gradviz.scenario import SCHEMA, ScenarioError, load_scenario, parse, reference_table


def test_defaults_fill_every_key():
    sc = parse({})
    for section, keys in SCHEMA.items():
        for key in keys:
            holder = sc if not section else getattr(sc, section)
            assert getattr(holder, key.name) == key.default
    assert [v.label for v in sc.variants] == ["baseline"]


def test_compare_expands_to_one_scenario_per_value():
    sc = parse({"compare": {"key": "model.init", "values": ["he", "glorot"], "labels": ["He", "Glorot"]}})
    expanded = sc.expand()
    assert [label for label, _ in expanded] == ["He", "Glorot"]
    assert [s.model.init for _, s in expanded] == ["he", "glorot"]


def test_variants_accept_quoted_and_nested_dotted_keys():
    text = '''
[[variants]]
label = "a"
"train.lr" = 0.5
[[variants]]
label = "b"
train.lr = 0.25
model.norm = "batch"
'''
    sc = load_scenario(text)
    (_, a), (_, b) = sc.expand()
    assert (a.train.lr, b.train.lr, b.model.norm, a.model.norm) == (0.5, 0.25, "batch", "none")


def test_width_list_and_to_toml_round_trip():
    sc = parse({"model": {"depth": 3, "width": [8, 6, 4]}, "train": {"betas": [0.8, 0.9]}})
    assert sc.widths == (8, 6, 4)
    again = load_scenario(sc.to_toml())
    assert again.to_dict() == sc.to_dict()
    assert again.simulation_hash() == sc.simulation_hash()


def test_render_keys_do_not_change_the_simulation_hash():
    a = parse({"render": {"lang": "es"}})
    b = parse({"render": {"lang": "ro", "dpi": 300}})
    c = parse({"model": {"depth": 3}})
    assert a.simulation_hash() == b.simulation_hash() != c.simulation_hash()


def test_quick_shrinks_but_keeps_depth_and_knobs():
    sc = parse({"model": {"depth": 30, "width": 256}, "train": {"epochs": 50},
                "compare": {"key": "model.width", "values": [64, 512]}})
    q = quick(sc)
    assert q.model.depth == 30 and q.train.epochs == 3
    assert [s.model.width for _, s in q.expand()] == [16, 16]


MALFORMED = [
    ({"model": {"depth": -3}}, "$.model.depth", "≥ 1"),
    ({"model": {"depth": 2.5}}, "$.model.depth", "integer"),
    ({"model": {"depht": 3}}, "$.model.depht", "did you mean 'depth'"),
    ({"model": {"activation": "tahn"}}, "$.model.activation", "did you mean 'tanh'"),
    ({"model": {"width": [8, 8], "depth": 3}}, "$.model.width", "one width per hidden layer"),
    ({"model": {"dropout": 1.0}}, "$.model.dropout", "< 1"),
    ({"model": {"dtype": "float8"}}, "$.model.dtype", "one of float64"),
    ({"train": {"loss_scaling": "auto"}}, "$.train.loss_scaling", "one of static, dynamic"),
    ({"train": {"lr": 0}}, "$.train.lr", "> 0"),
    ({"train": {"lr": "fast"}}, "$.train.lr", "expected a number"),
    ({"train": {"betas": [0.9]}}, "$.train.betas", "2 values"),
    ({"train": {"epochs": 3, "steps": 10}}, "$.train.steps", "not both"),
    ({"train": {"early_stopping": 3}, "data": {"validation": 0.0}}, "$.train.early_stopping", "validation"),
    ({"data": {"kind": "moons", "classes": 3}}, "$.data.classes", "expected 2"),
    ({"data": {"kind": "file"}}, "$.data.path", ".npz"),
    ({"data": {"validation": 1.5}}, "$.data.validation", "< 1"),
    ({"model": "deep"}, "$.model", "expected a table"),
    ({"modle": {}}, "$.modle", "did you mean 'model'"),
    ({"compare": {"key": "model.inti", "values": ["he"]}}, "$.compare.key", "did you mean 'model.init'"),
    ({"compare": {"key": "model.init", "values": ["he", "xavier"]}}, "$.compare.values[1]", "one of"),
    ({"variants": [{"label": "a", "train.lr": -1}]}, '$.variants[0]."train.lr"', "> 0"),
    ({"variants": [{"label": "a"}], "compare": {"key": "model.init", "values": ["he"]}}, "$.compare", "not both"),
    ({"render": {"formats": ["png", "gif"]}}, "$.render.formats[1]", "one of png, svg, pdf"),
    ({"record": {"layers": [99]}}, "$.record.layers", "0..10"),
]


@pytest.mark.parametrize("raw,path,fragment", MALFORMED)
def test_malformed_scenarios_name_the_key(raw, path, fragment):
    with pytest.raises(ScenarioError) as info:
        parse(raw)
    assert info.value.path == path
    assert str(info.value).startswith(path + ":")
    assert fragment in str(info.value)


def test_toml_syntax_error_gives_line_and_column(tmp_path):
    p = tmp_path / "bad.toml"
    p.write_text('title = "x"\n[model]\ndepth = = 3\n')
    with pytest.raises(ScenarioError) as info:
        load_scenario(p)
    msg = str(info.value)
    assert str(p) in msg and "line 3" in msg and "column" in msg


def test_missing_file_is_a_scenario_error(tmp_path):
    with pytest.raises(ScenarioError, match="no scenario file"):
        load_scenario(tmp_path / "nope.toml")


def test_error_in_file_names_the_file(tmp_path):
    p = tmp_path / "s.toml"
    p.write_text("[model]\ndepth = 0\n")
    with pytest.raises(ScenarioError) as info:
        load_scenario(p)
    assert str(info.value).startswith(f"{p}: $.model.depth:")


def test_reference_table_lists_every_key():
    table = reference_table()
    for section, keys in SCHEMA.items():
        for key in keys:
            assert f"`{section + '.' if section else ''}{key.name}`" in table


def test_translations_give_title_description_and_labels_per_language():
    sc = parse({"title": "Init", "compare": {"key": "model.init", "values": ["he", "glorot"]},
                "translations": {"ro": {"title": "Inițializare", "labels": ["He", "Xavier"]}}})
    assert sc.localized("ro") == ("Inițializare", "", ["He", "Xavier"])
    assert sc.localized("es") == ("Init", "", ["he", "glorot"])
    again = load_scenario(sc.to_toml())
    assert again.localized("ro") == sc.localized("ro")
    plain = parse({"title": "Init", "compare": {"key": "model.init", "values": ["he", "glorot"]}})
    assert plain.simulation_hash() == sc.simulation_hash()  # text is not simulation


@pytest.mark.parametrize("raw,path", [
    ({"translations": {"fr": {"title": "x"}}}, "$.translations.fr"),
    ({"translations": {"ro": {"titel": "x"}}}, "$.translations.ro.titel"),
    ({"translations": {"ro": {"labels": ["a", "b"]}}}, "$.translations.ro.labels"),
    ({"translations": {"ro": {"description": 3}}}, "$.translations.ro.description"),
])
def test_bad_translations_name_the_key(raw, path):
    with pytest.raises(ScenarioError) as info:
        parse(raw)
    assert info.value.path == path
