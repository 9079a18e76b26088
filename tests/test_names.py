"""The one list of names (gradviz.names) against the kernels' integer codes and
the modules that keep their own tables: reordering a tuple fails here, loudly,
instead of silently remapping every later code."""
from __future__ import annotations

import pytest

from gradviz.engine import kernels as K
from gradviz import names, quantities


@pytest.mark.parametrize("name", names.ACTIVATIONS)
def test_activation_codes(name):
    assert getattr(K, name.upper()) == names.ACTIVATIONS.index(name)


@pytest.mark.parametrize("name", names.OPTIMIZERS)
def test_optimizer_codes(name):
    assert getattr(K, name.upper()) == names.OPTIMIZERS.index(name)


@pytest.mark.parametrize("name", names.NORMS)
def test_norm_codes(name):
    assert getattr(K, f"NORM_{name.upper()}") == names.NORMS.index(name)


def test_every_code_has_a_name():
    # a kernel code without a name (or a name added without its kernel) fails too
    assert (K.LINEAR, K.GELU) == (0, len(names.ACTIVATIONS) - 1)
    assert (K.SGD, K.NORMALIZED) == (0, len(names.OPTIMIZERS) - 1)
    assert K.NORM_WEIGHT == len(names.NORMS) - 1


def test_kernel_statistics_are_declared_quantities():
    layer = {q.name for q in quantities.QUANTITIES if q.axes == quantities.LAYER and q.when in ("training", "clipping")}
    stats = set(K.LAYER_STATS) | {f"{h}_{e}" for h in K.HISTS for e in K.HIST_EXTRA if e != "zero"} | \
        {"hist_delta_zero"}
    assert stats == layer
    for i, name in enumerate(K.LAYER_STATS):         # the S_* codes index LAYER_STATS
        assert quantities.get(name).axes == quantities.LAYER, name
    assert K.LAYER_STATS[K.S_GRAD_W_NORM] == "grad_w_norm" and K.LAYER_STATS[K.S_UPDATE_LOST] == "update_lost"
    for name in K.STEP_STATS:
        assert quantities.get(name).axes == quantities.SERIES
        assert quantities.get(f"trace_{name}").axes == quantities.TRACE
    assert K.STEP_STATS[K.T_LOSS_SCALE] == "loss_scale"
    for i, h in enumerate(K.HISTS):
        assert quantities.get(h).axes == quantities.HIST and quantities.get(f"{h}_edges").axes == ("variant", "edge")
    assert K.HISTS[K.HX_DELTA] == "hist_delta" and K.HIST_EXTRA[K.E_ZERO] == "zero"


def test_modules_with_their_own_tables_agree():
    from gradviz import data, inits
    from gradviz.engine import surfaces
    from gradviz.figures.precision import FIGURES as PRECISION
    from gradviz.engine.net import EMULATED

    assert tuple(inits.SCHEMES) == names.INITS
    assert data.KINDS == names.DATA_KINDS and data.SCALES == names.SCALES
    assert set(surfaces.SURFACES) == set(names.SURFACES)
    assert tuple(PRECISION) == names.PRECISION_EXPERIMENTS
    assert set(EMULATED) <= set(names.DTYPES)
    from gradviz import style
    assert set(style.SIZES) == set(names.SIZES)


def test_the_scenario_schema_reads_the_names():
    from gradviz.scenario import SCHEMA

    choices = {f"{s}.{k.name}" if s else k.name: k.choices for s, keys in SCHEMA.items() for k in keys}
    assert choices["model.activation"] == names.ACTIVATIONS
    assert choices["model.norm"] == names.NORMS
    assert choices["train.optimizer"] == names.OPTIMIZERS
    assert choices["model.init"] == names.INITS
    assert choices["data.kind"] == names.DATA_KINDS
    assert choices["data.scale"] == names.SCALES
    assert choices["model.dtype"] == names.DTYPES
    assert choices["render.lang"] == names.LANGUAGES
