"""claims.py: parsing errors name the key; evaluation against hand-computed
medians and seed shares on tiny hand-built Recordings; text and templating."""
from __future__ import annotations

import re

import numpy as np
import pytest

from gradviz.claims import ClaimError, as_markdown, as_text, evaluate, fill, of, parse_claims, summary, values
from gradviz.record import Recording
from gradviz.scenario import ScenarioError, load_scenario

LABELS = ["plain", "better"]


def _rec(seeds=5):
    """2 variants x `seeds` seeds x 3 records (steps 0, 10, 20) x 2 layers, values chosen by hand."""
    rec = Recording(meta={"labels": LABELS, "steps": [0, 10, 20]})
    # val_loss[v, s, r]: plain ends at 1.0..1.4, better ends at 0.5, 0.6, 0.7, 0.8 and 1.5 (seed 4 loses to plain's 1.4)
    plain = np.array([[2.0, 1.5, 1.0 + 0.1 * s] for s in range(seeds)])
    better = np.array([[2.0, 0.4, e] for e in (0.5, 0.6, 0.7, 0.8, 1.5)[:seeds]])
    better[1, 2] = np.nan  # seed 1 stopped early: its end is the last finite record, 0.4
    rec.add("val_loss", np.stack([plain, better]), ("variant", "seed", "record"))
    g = np.zeros((2, seeds, 3, 2))
    g[..., 0], g[..., 1] = 1e-4, 1.0  # layer 0 gets 1e-4 of the output layer's gradient
    g[1, ..., 0] = 0.5
    rec.add("grad_w_norm", g, ("variant", "seed", "record", "layer"))
    rec.add("best_epoch", np.array([[3, 4, 5, 6, 7][:seeds], [1, 1, 2, 2, 9][:seeds]]), ("variant", "seed"))
    return rec


def _claim(**kw):
    table = {"text": "t", "quantity": "val_loss", "variant": "better", "compare": "<", "than": "plain", **kw}
    return parse_claims([{k: v for k, v in table.items() if v is not None}], LABELS)[0]


def test_values_read_end_as_last_finite_init_best_and_step():
    rec = _rec()
    np.testing.assert_allclose(values(rec, "val_loss", 1, "end"), [0.5, 0.4, 0.7, 0.8, 1.5])
    np.testing.assert_allclose(values(rec, "val_loss", 1, "init"), [2.0] * 5)
    np.testing.assert_allclose(values(rec, "val_loss", 1, "best"), [0.4] * 5)
    np.testing.assert_allclose(values(rec, "val_loss", 0, 10), [1.5] * 5)
    np.testing.assert_allclose(values(rec, "grad_w_norm", 0, "end", "out"), [1.0] * 5)
    np.testing.assert_allclose(values(rec, "best_epoch", 1, "end"), [1, 1, 2, 2, 9])


def test_median_and_share_by_hand():
    v = evaluate(_claim(hold=0.8), _rec())
    # better: 0.5 0.4 0.7 0.8 1.5 -> median 0.7; plain: 1.0 .. 1.4 -> median 1.2
    assert v.median_a == pytest.approx(0.7) and v.median_b == pytest.approx(1.2)
    np.testing.assert_array_equal(v.held, [True, True, True, True, False])  # seed 4: 1.5 > 1.4
    assert v.share == pytest.approx(0.8) and v.passed


def test_a_claim_that_must_fail_on_share_and_on_median():
    rec = _rec()
    assert not evaluate(_claim(hold=1.0), rec).passed  # the median holds, 4/5 < 5/5 does not
    v = evaluate(_claim(compare=">"), rec)  # better is lower: only seed 4 holds, the median fails
    assert v.share == pytest.approx(0.2) and not v.median_holds and not v.passed
    v = evaluate(_claim(than=None, value=0.6, compare="<", hold=0.4), rec)  # 0.5, 0.4 hold: 2/5
    assert v.share == pytest.approx(0.4) and not v.median_holds and not v.passed  # median 0.7 ≥ 0.6


def test_share_counts_seed_against_same_seed():
    rec = _rec()
    rec.arrays["val_loss"][0, 4, 2] = 1.6  # plain seed 4 now above better seed 4 (1.5)
    rec.arrays["val_loss"][0, 0, 2] = 0.45  # ... and plain seed 0 below better seed 0 (0.5)
    v = evaluate(_claim(hold=0.8), rec)
    np.testing.assert_array_equal(v.held, [False, True, True, True, True])


def test_ratio_between_layers_of_one_variant():
    rec = _rec()
    c = parse_claims([{"text": "vanishing", "quantity": "grad_w_norm", "variant": "plain", "layer": 0,
                       "than_layer": "out", "compare": "ratio<", "value": 1e-3}], LABELS)[0]
    v = evaluate(c, rec)
    assert v.median_ratio == pytest.approx(1e-4) and v.passed
    c2 = parse_claims([{"text": "x", "quantity": "grad_w_norm", "variant": "better", "layer": 0,
                        "than_layer": "out", "compare": "ratio<", "value": 1e-3}], LABELS)[0]
    assert evaluate(c2, rec).median_ratio == pytest.approx(0.5) and not evaluate(c2, rec).passed


def test_summary_numbers_layers_as_the_figures_do():
    """`layer = 0` is the first layer, which every figure calls "layer 1"."""
    c = parse_claims([{"text": "vanishing", "quantity": "grad_w_norm", "variant": "plain", "layer": 0,
                       "than_layer": "out", "compare": "ratio<", "value": 1e-3}], LABELS)[0]
    text = summary(evaluate(c, _rec()), LABELS)
    assert "layer 1)" in text and "layer 0" not in text and "output layer" in text


def test_nan_never_holds():
    rec = _rec()
    rec.arrays["val_loss"][1, 0, :] = np.nan
    v = evaluate(_claim(hold=1.0), rec)
    assert not v.held[0] and not v.passed


def test_recording_without_seed_axis_is_one_seed():
    rec = Recording(meta={"labels": LABELS, "steps": [0, 5]})
    rec.add("val_loss", np.array([[1.0, 0.9], [1.0, 0.3]]), ("variant", "record"))
    v = evaluate(_claim(hold=1.0), rec)
    assert v.held.tolist() == [True] and v.median_a == pytest.approx(0.3) and v.passed


@pytest.mark.parametrize("table, path", [
    ({"than": "nobody"}, "$.claims[0].than"),
    ({"variant": 7}, "$.claims[0].variant"),
    ({"compare": "=="}, "$.claims[0].compare"),
    ({"quantity": "val_los"}, "$.claims[0].quantity"),
    ({"quantity": "grad_w_norm"}, "$.claims[0].layer"),
    ({"at": "last"}, "$.claims[0].at"),
    ({"hold": 1.5}, "$.claims[0].hold"),
    ({"value": 0.3}, "$.claims[0].than"),            # both than and value
    ({"compare": "ratio<"}, "$.claims[0].value"),
    ({"layer": 0}, "$.claims[0].layer"),              # val_loss has no layer
    ({"colour": "red"}, "$.claims[0].colour"),
])
def test_parse_errors_name_the_key(table, path):
    base = {"text": "t", "quantity": "val_loss", "variant": "better", "compare": "<", "than": "plain"}
    with pytest.raises(ClaimError) as exc:
        parse_claims([{**base, **table}], LABELS)
    assert exc.value.path == path


def test_missing_key_and_scenario_error_path():
    with pytest.raises(ClaimError, match=r"\$\.claims\[0\]\.compare"):
        parse_claims([{"text": "t", "quantity": "loss", "variant": 0}], LABELS)
    toml = '''
[compare]
key = "train.lr"
values = [0.1, 0.2]
labels = ["a", "b"]
[[claims]]
text = "ok"
quantity = "val_loss"
variant = "a"
compare = "<"
than = "b"
[[claims]]
text = "ok"
quantity = "val_loss"
variant = "a"
compare = "<"
[[claims]]
text = "bad"
quantity = "val_loss"
variant = "a"
compare = "<"
than = "c"
'''
    with pytest.raises(ScenarioError) as exc:
        load_scenario(toml)
    assert exc.value.path == "$.claims[1].than"


def test_scenario_round_trip_keeps_claims_and_hash_ignores_them():
    toml = 'seeds = 2\n[compare]\nkey = "train.lr"\nvalues = [0.1, 0.2]\nlabels = ["a", "b"]\n' \
           '[[claims]]\ntext = "a"\nquantity = "val_acc"\nat = "best"\nvariant = "a"\ncompare = ">"\nvalue = 0.5\n'
    sc = load_scenario(toml)
    again = load_scenario(sc.to_toml())
    assert again.claims == sc.claims and len(of(again)) == 1
    assert load_scenario(toml.split("[[claims]]")[0]).simulation_hash() == sc.simulation_hash()


def test_placeholder_out_of_range_is_an_error():
    toml = 'description = "see {claim:2}"\n[[claims]]\ntext = "a"\nquantity = "loss"\nvariant = 0\n' \
           'compare = "<"\nvalue = 1.0\n'
    with pytest.raises(ScenarioError, match=r"\$\.description"):
        load_scenario(toml)


def test_placeholder_out_of_range_in_a_translation_is_an_error():
    toml = 'description = "see {claim:1}"\n[[claims]]\ntext = "a"\nquantity = "loss"\nvariant = 0\n' \
           'compare = "<"\nvalue = 1.0\n[translations.ro]\ndescription = "vezi {claim:1} și {claim:3.a}"\n'
    with pytest.raises(ScenarioError, match=r"\$\.translations\.ro\.description: \{claim:3\.a\}"):
        load_scenario(toml)
    assert len(load_scenario(toml.replace("{claim:3.a}", "{claim:1.a}")).claims) == 1


def test_fill_and_formats():
    rec = _rec()
    vs = [evaluate(_claim(), rec), evaluate(_claim(compare=">"), rec)]
    assert fill("got {claim:1} ({claim:1.share} of seeds), b={claim:1.b}", vs) == "got 0.7 vs 1.2 (80% of seeds), b=1.2"
    text = as_text(vs, LABELS)
    assert "[PASS] 1." in text and "[FAIL] 2." in text and "4/5 seeds hold (need 4)" in text
    assert "better (end) 0.7 [0.4..1.5]" in text
    md = as_markdown(vs, LABELS)
    assert md.startswith("## Claims") and md.count("\n| ") == 3 and "**FAIL**" in md
    assert as_markdown([], LABELS) == ""


TINY = '''title = "tiny"
description = "loss ends at {claim:1.a}"
seeds = 2
[data]
samples = 60
[model]
depth = 2
width = 4
[train]
steps = 6
batch_size = 16
[record]
every = 3
[render]
figures = ["loss"]
[[claims]]
text = "the loss is finite and below 100"
quantity = "loss"
variant = 0
compare = "<"
value = 100.0
hold = 1.0
[[claims]]
text = "an impossible claim: a negative validation loss"
quantity = "val_loss"
variant = 0
compare = "<"
value = 0.0
'''


def test_verify_and_render_report_a_failing_claim(tmp_path):
    from click.testing import CliRunner

    from gradviz.cli import main

    path = tmp_path / "tiny.toml"
    path.write_text(TINY, encoding="utf-8")
    runner = CliRunner()
    res = runner.invoke(main, ["verify", str(path)])
    assert res.exit_code == 1, res.output
    assert "[PASS] 1. the loss is finite" in res.stdout and "[FAIL] 2. an impossible claim" in res.stdout
    assert "0/2 seeds hold" in res.stdout and "claims failed in: tiny" in res.stderr
    # one seed for the render: this test is about the verdicts, not the seed-band figures
    path.write_text(TINY.replace("seeds = 2", "seeds = 1"), encoding="utf-8")
    res = runner.invoke(main, ["render", str(path), "--out", str(tmp_path / "out")])
    assert res.exit_code == 0, res.output
    assert "warning: claim failed: an impossible claim" in res.stderr
    readme = (tmp_path / "out" / "tiny" / "README.md").read_text(encoding="utf-8")
    assert "## Claims checked on this recording" in readme and "| **FAIL** | an impossible claim" in readme
    assert "{claim:" not in readme and "loss ends at " in readme


def test_verify_passes_when_every_claim_holds(tmp_path):
    from click.testing import CliRunner

    from gradviz.cli import main

    path = tmp_path / "ok.toml"
    path.write_text(TINY.split("[[claims]]\ntext = \"an impossible")[0], encoding="utf-8")
    res = CliRunner().invoke(main, ["verify", str(path)])
    assert res.exit_code == 0 and "ok: PASS" in res.stdout


def test_verify_quick_reads_a_step_claim_the_preview_does_not_record(tmp_path):
    """`verify --quick` shrinks the run; a claim at step 150 is read at the preview's last record
    (and said so on stderr) instead of ending in a traceback."""
    from click.testing import CliRunner

    from gradviz.cli import main

    res = CliRunner().invoke(main, ["verify", "beale_race", "--quick"])
    assert res.exception is None or isinstance(res.exception, SystemExit), res.output
    assert "Traceback" not in res.output
    assert "read at the preview's last record" in res.stderr
    assert "beale_race: PASS" in res.stdout or "beale_race: FAIL" in res.stdout


# -- numbers and names as the figures print them (review_a/review_b) --------------------
def _formatted_rec():
    rec = _rec()
    acc = np.array([[[0.5, 0.6, 0.70 + 0.01 * s] for s in range(5)], [[0.5, 0.8, 0.867] for _ in range(5)]])
    rec.add("val_acc", acc, ("variant", "seed", "record"))
    rec.add("first_nonfinite_step", np.array([[5, 5, 6, 5, 5], [-1] * 5]), ("variant", "seed"))
    rec.add("path_loss", np.array([[[-0.25, -0.251]] * 5, [[-0.00122, -0.00123]] * 5]), ("variant", "seed", "step"))
    return rec


def _verdict(quantity, **kw):
    table = {"text": "t", "quantity": quantity, "variant": "better", "compare": "<", **kw}
    return evaluate(parse_claims([table], LABELS)[0], _formatted_rec())


def test_summary_names_the_quantity_in_the_language_not_its_array():
    from gradviz.i18n import t

    v = evaluate(_claim(), _rec())
    assert summary(v, LABELS).startswith("validation loss: ")
    assert summary(v, LABELS, "es").startswith("pérdida de validación: ")
    assert "val_loss" not in summary(v, LABELS, "he") and summary(v, LABELS, "he").startswith(t("validation loss", "he"))
    g = _verdict("grad_w_norm", layer=0, than="plain")
    assert summary(g, LABELS, "bg").startswith(t("‖∂L/∂W‖, weight-gradient norm", "bg") + ":")   # the figures' label


def test_accuracy_is_a_percentage_and_decimals_follow_the_language():
    v = _verdict("val_acc", compare=">", value=0.5)
    assert summary(v, LABELS) .split(";")[0] == "validation accuracy: better (end) 86.7% [86.7%] > 50%"
    es = summary(v, LABELS, "es")
    assert "86,7\u00a0% [86,7\u00a0%] > 50\u00a0%" in es and "0.867" not in es and "86.7" not in es
    plain = _verdict("val_acc", variant="plain", compare=">", value=0.5)
    assert "72% [70%..74%]" in summary(plain, LABELS)
    assert fill("{claim:1.a} ({claim:1.b})", [v], "es") == "86,7\u00a0% (50\u00a0%)"


def test_never_for_the_minus_one_of_first_nonfinite_step():
    v = _verdict("first_nonfinite_step", compare="<", value=0)
    assert "better (end) never [never] < 0" in summary(v, LABELS) and "-1" not in summary(v, LABELS)
    assert "nunca [nunca]" in summary(v, LABELS, "es")
    diverged = _verdict("first_nonfinite_step", variant="plain", compare=">=", value=0)
    assert "plain (end) 5 [5..6] >= 0" in summary(diverged, LABELS)
    assert fill("at step {claim:1.a}, {claim:2.a}", [diverged, v]) == "at step 5, never"


def test_negative_numbers_use_the_minus_sign_and_exponents_as_in_figures():
    v = _verdict("path_loss", than="plain", at="end")
    text = summary(v, LABELS)
    assert "−0.00123" in text and "−0.251" in text and "-0." not in text
    assert fill("{claim:1.a} vs {claim:1.b}; {claim:1}", [v], "es") == "−0,00123 vs −0,251; −0,00123 frente a −0,251"
    tiny = _verdict("grad_w_norm", layer=0, than="plain", at="init")
    assert "plain (init, layer 1) 10⁻⁴ [10⁻⁴]" in summary(tiny, LABELS)   # not 1e-04, not 1.00×10⁻⁴
    assert fill("{claim:1.b}", [tiny], "he") == "10⁻⁴"


def test_claims_table_in_spanish_has_no_decimal_point_or_array_name():
    md = as_markdown([_verdict("val_acc", compare=">", value=0.5), evaluate(_claim(), _rec())], LABELS, "es")
    rows = md.splitlines()[4:]
    assert "exactitud de validación" in rows[0] and "pérdida de validación" in rows[1]
    assert not re.search(r"\d\.\d|val_acc|val_loss", md), md
