"""One declaration per recorded array (gradviz.quantities) against what the
simulator writes and what the test recordings hold."""
from __future__ import annotations

import pytest

from gradviz import quantities
from gradviz.quantities import declared


@pytest.mark.parametrize("kind", ["vanishing", "nan", "one_layer", "relu", "boundary"])
def test_synthetic_recordings_hold_exactly_the_declared_quantities(kind, recs):
    rec = recs(kind)
    want = {q.name: q.axes for q in declared("training")}
    if kind == "boundary":
        want.update({q.name: q.axes for q in declared("boundary")})
    assert rec.axes == want


def test_the_simulator_writes_exactly_the_declared_quantities():
    import gradviz

    sc = gradviz.load_scenario({"data": {"kind": "spirals", "samples": 60}, "model": {"depth": 2, "width": 4},
                                "train": {"steps": 3, "batch_size": 16, "ensemble": 2},
                                "record": {"every": 1, "boundary": 5, "weights": True}})
    rec = gradviz.simulate(sc)
    for name, axes in rec.axes.items():
        assert quantities.get(name).axes == axes, name
    expected = {q.name for q in quantities.QUANTITIES if q.when in ("training", "ensemble", "boundary")}
    assert expected <= set(rec.axes)
    assert any(n.startswith("weights_") for n in rec.axes)


def test_optimizer_races_write_declared_quantities():
    from gradviz.scenario import load_scenario
    from gradviz.engine.surfaces import race

    rec = race(load_scenario({"kind": "surface", "train": {"steps": 5}}), grid=8)
    for name, axes in rec.axes.items():
        assert quantities.get(name).axes == axes, name
    assert {q.name for q in declared("surface")} <= set(rec.axes)


def test_labels_are_translated_and_fall_back_to_the_name():
    assert quantities.label("grad_w_norm") == "‖∂L/∂W‖, weight-gradient norm"
    assert quantities.label("grad_w_norm", "es") == "‖∂L/∂W‖, norma del gradiente de los pesos"
    assert quantities.label("act_mean", "ro") == "act_mean"           # no label declared: the name
    assert quantities.get("weights_3") is quantities.get("weights_<l>")
    with pytest.raises(KeyError, match="no recorded quantity 'nope'"):
        quantities.get("nope")


def test_saturation_is_declared_for_the_saturating_activations_only():
    assert quantities.get("saturation").activations == ("sigmoid", "tanh")
    assert "tanh/sigmoid" not in quantities.table() and "sigmoid/tanh only, NaN otherwise" in quantities.table()
    assert "float16/bfloat16 runs only" in quantities.table()

