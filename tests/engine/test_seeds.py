"""Seeds: independent repetitions of every variant along a `seed` axis."""
import json

import numpy as np
import pytest

from gradviz.scenario import parse
from gradviz.engine.simulation import simulate

SMALL = {"seed": 5, "data": {"kind": "moons", "samples": 120},
         "model": {"depth": 2, "width": 6, "dropout": 0.2},
         "train": {"epochs": 2, "batch_size": 24, "lr": 0.3, "ensemble": 2},
         "record": {"every": 3, "boundary": 6, "weights": True},
         "compare": {"key": "train.lr", "values": [0.3, 0.1]}}


def _scenario(**top):
    raw = json.loads(json.dumps(SMALL))
    raw.update(top)
    return parse(raw)


@pytest.fixture(scope="module")
def three():
    return simulate(_scenario(seeds=3))


@pytest.fixture(scope="module")
def single():
    return simulate(_scenario())


def test_seed_axis_sits_right_after_variant(three, single):
    assert three.n_seeds == 3 and single.n_seeds == 1
    assert not any("seed" in ax for ax in single.axes.values())
    for name, ax in three.axes.items():
        one = single.axes[name]
        if one[:1] == ("variant",) and not name.endswith("_edges"):
            assert ax == ("variant", "seed", *one[1:]), name
            assert three.get(name).shape == (2, 3, *single.get(name).shape[1:]), name
        else:
            assert ax == one, name
            np.testing.assert_array_equal(three.get(name), single.get(name), err_msg=name)


def test_seed_zero_of_n_is_the_single_seed_run(three, single):
    for name in single.arrays:
        np.testing.assert_array_equal(three.get_seed(name, 0), single.get(name), err_msg=name)
        assert three.axes_of(name, seed=0) == single.axes[name]


@pytest.mark.parametrize("k", [1, 2])
def test_seed_k_is_reproduced_alone(three, k):
    alone = simulate(_scenario(), first_seed=k)
    assert alone.arrays.keys() == three.arrays.keys()
    for name in alone.arrays:
        np.testing.assert_array_equal(three.get_seed(name, k), alone.get(name), err_msg=name)


def test_seeds_draw_independently_but_share_the_data(three):
    w = three.get("weights_0")[:, :, 0]  # (variant, seed, in, out) at step 0
    assert not np.array_equal(w[0, 0], w[0, 1]) and not np.array_equal(w[0, 1], w[0, 2])
    np.testing.assert_array_equal(w[0], w[1])  # variants of a seed start from the same draw
    loss = three.get("trace_loss")[0]
    assert not np.array_equal(loss[0], loss[1])
    # the batches differ too: same init (variant 0 vs 1 share it) yet a different step-0 batch loss per seed
    assert len({float(x) for x in loss[:, 0]}) == 3


def test_over_seeds_on_a_real_recording(three):
    q = three.over_seeds("val_loss", (0.0, 50.0, 100.0))
    arr = three.get("val_loss")
    assert three.axes_of("val_loss", seed=0) == ("variant", "record")
    assert q.shape == (3, *arr[:, 0].shape)
    np.testing.assert_allclose(q[1], np.median(arr, axis=1))
    np.testing.assert_array_equal(q[0], arr.min(axis=1))
    np.testing.assert_array_equal(q[2], arr.max(axis=1))


def test_seeds_key_is_validated():
    from gradviz.scenario import ScenarioError
    with pytest.raises(ScenarioError, match=r"\$\.seeds"):
        _scenario(seeds=0)
    assert "seeds = 4" in _scenario(seeds=4).to_toml()
    assert parse(json.loads(json.dumps({**SMALL, "seeds": 4}))).seeds == 4
