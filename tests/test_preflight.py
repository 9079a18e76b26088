"""gradviz.preflight: what render would fail on, found before training."""
import numpy as np
import pytest

from gradviz.limits import LimitError
from gradviz.preflight import check_mathtext, preflight
from gradviz.scenario import ScenarioError, load_scenario

BASE = {"data": {"kind": "moons", "samples": 120}, "model": {"depth": 2, "width": 4},
        "train": {"steps": 20, "batch_size": 16}, "record": {"every": 5, "bins": 8}}


def _sc(**over):
    raw = {k: dict(v) for k, v in BASE.items()}
    for k, v in over.items():
        if isinstance(v, dict):
            raw.setdefault(k, {}).update(v)
        else:
            raw[k] = v
    return load_scenario(raw)


def test_ok_returns_estimate():
    est = preflight(_sc())
    assert est.records == 20 // 5 + 2 and est.flops > 0


def test_batch_size_against_training_set():
    with pytest.raises(ScenarioError) as info:
        preflight(_sc(train={"batch_size": 97}))  # 120 - 24 = 96
    assert info.value.path == "$.train.batch_size" and "96" in str(info.value)
    preflight(_sc(train={"batch_size": 96}))


def test_an_absurd_batch_size_is_the_batch_size_error_not_a_memory_estimate():
    """The estimate runs before the data are made (limits caps its batch at the training
    set for that): batch_size = 10**9 on 120 samples is not 'estimated peak memory 808 GB'."""
    for force in (False, True):
        with pytest.raises(ScenarioError) as info:
            preflight(_sc(train={"batch_size": 10 ** 9}), force=force)
        assert info.value.path == "$.train.batch_size" and "at most 96" in str(info.value)


def test_data_file_errors_name_data_path(tmp_path):
    p = tmp_path / "d.npz"
    np.savez(p, X=np.zeros((10, 2)), y=np.arange(9) % 2)
    with pytest.raises(ScenarioError) as info:
        preflight(_sc(data={"kind": "file", "path": str(p)}))
    assert info.value.path == "$.data.path" and "disagree" in str(info.value)


def test_unequal_ensembles():
    sc = _sc(compare={"key": "train.ensemble", "values": [2, 3]})
    with pytest.raises(ScenarioError, match="same size"):
        preflight(sc)
    preflight(_sc(compare={"key": "train.ensemble", "values": [1, 3]}))


@pytest.mark.parametrize("text,ok", [("plain", True), ("$x^2$", True), (r"costs \$5", True), ("one $ sign", True),
                                     ("$x^$", False), (r"$\frac{1}{$", False), (r"$\nosuch$", False)])
def test_mathtext(text, ok):
    if ok:
        check_mathtext(text, "$.title")
    else:
        with pytest.raises(ScenarioError, match="mathtext"):
            check_mathtext(text, "$.title")


def test_long_label_refused_unless_forced():
    sc = _sc(variants=[{"label": "x" * 10_000}])
    with pytest.raises(LimitError, match="10,000 characters"):
        preflight(sc)
    preflight(sc, force=True)


def test_precision_inputs():
    with pytest.raises(ScenarioError, match=r"\$\.precision\.a"):
        preflight(load_scenario({"kind": "precision", "precision": {"a": "abc"}}))
    with pytest.raises(LimitError):
        preflight(load_scenario({"kind": "precision", "precision": {"b": "1e-999999999"}}))
    preflight(load_scenario({"kind": "precision"}))
