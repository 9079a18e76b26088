"""One (variant, seed) job: minibatch orders, chunking, early stopping,
ensembles, recorded parameters, and the run formats with a boundary grid."""
import time

import numpy as np
import pytest

from gradviz.engine import variant as V
from gradviz.engine.net import build_layout, init_theta
from gradviz.engine.simulation import simulate
from gradviz.scenario import parse

SMALL = {"seed": 4, "data": {"kind": "spirals", "samples": 150},
         "model": {"depth": 3, "width": 8}, "train": {"epochs": 3, "batch_size": 30, "lr": 0.2},
         "record": {"every": 2}}


def _sc(**sections):
    return parse({**SMALL, **{k: {**SMALL.get(k, {}), **v} for k, v in sections.items()}})


def _same(a, b):
    assert a.arrays.keys() == b.arrays.keys()
    for name in a.arrays:
        assert a.get(name).tobytes() == b.get(name).tobytes(), name


@pytest.mark.parametrize("spe,batch", [(5, 3), (1, 4), (7, 2)])
def test_orders_are_the_concatenated_epoch_permutations(spe, batch):
    n = spe * batch + 1  # the last partial batch of an epoch is dropped
    gen_a, gen_b = np.random.default_rng(1), np.random.default_rng(1)
    flat = np.concatenate([gen_a.permutation(n)[:spe * batch] for _ in range(100)])
    orders = V.Orders(gen_b, n, spe, batch)
    start = 0
    for count in (1, 3, 1, 12, 2, 30, 1, 5, 9):
        np.testing.assert_array_equal(orders.rows(start, count), flat[start * batch:(start + count) * batch]
                                      .reshape(count, batch))
        start += count
    assert len(orders.perms) <= (count - 1) // spe + 2  # only the epochs in use are kept


def test_chunk_length_never_changes_a_result(monkeypatch):
    sc = _sc(model={"dropout": 0.2}, train={"optimizer": "adam", "ensemble": 2})
    default = simulate(sc, workers=1)
    monkeypatch.setattr(V, "CHUNK_SECONDS", 0.0)  # every call one step
    _same(default, simulate(sc, workers=1))
    monkeypatch.setattr(V, "CHUNK_SECONDS", 1e9)
    monkeypatch.setattr(V, "FIRST_CHUNK", 10 ** 6)  # every call as long as the records allow
    _same(default, simulate(sc, workers=1))


def test_chunks_adapt_to_about_a_quarter_second():
    run = V.VariantRun(_sc(), *_job_parts(_sc()))
    run.adapt(200, 2.0)  # 10 ms per step: 25 steps per call
    assert run.chunk == 25
    run.adapt(25, 25 * 1e-6)  # fast: grows at most 8x per call
    assert run.chunk == 200
    run.adapt(1, 5.0)  # one step is slower than the target: still one step
    assert run.chunk == 1


def _job_parts(sc):
    from gradviz.data import make_dataset
    from gradviz.engine.simulation import NATURAL_CLASSES, _plan
    d = sc.data
    ds = make_dataset(d.kind, samples=d.samples, noise=d.noise, features=d.features,
                      classes=NATURAL_CLASSES[d.kind], path=None, scale=d.scale, validation=d.validation,
                      rng=V.rng(sc.seed, V.DATA))
    plan = _plan(sc, len(ds.y_train))
    return ds, plan, sorted(plan["records"])


def test_a_long_run_progresses_linearly():
    """Per-step Python work is O(1): the last quarter of 10^5 steps takes about
    as long as the first (a growing concatenation made it ~7x). CPU time of
    this process, so the other load on the machine does not enter."""
    sc = parse({"data": {"kind": "spirals", "samples": 100}, "model": {"depth": 3, "width": 8},
                "train": {"steps": 100_000, "batch_size": 16}, "record": {"every": 50_000}})
    stamps = {}

    def progress(done, total):
        for q in (1, 3, 4):
            if done >= q * total // 4 and q not in stamps:
                stamps[q] = time.process_time()
    t0 = time.process_time()
    simulate(sc, progress, workers=1)
    first = stamps[1] - t0
    last = stamps[4] - stamps[3]
    assert last < 3 * first, (first, last)


@pytest.mark.parametrize("dtype", ["float32", "float16", "bfloat16"])
def test_every_run_format_draws_a_boundary(dtype):
    rec = simulate(_sc(model={"dtype": dtype}, record={"boundary": 6}), workers=1)
    conf = rec.get("boundary_conf")
    assert conf.shape == (1, len(rec.steps), 6, 6) and np.isfinite(conf).all()
    assert set(np.unique(rec.get("boundary_class"))) <= {0, 1, 2}


def test_early_stopping_when_the_validation_loss_is_never_finite():
    rec = simulate(_sc(model={"init_std": 1e30}, train={"early_stopping": 2, "epochs": 10}),
                   workers=1)
    assert not np.isfinite(rec.get("val_loss")[0]).any()
    assert rec.get("best_epoch")[0] == -1  # nothing to restore: the weights stay as they are
    assert rec.get("early_stop_epoch")[0] == 2 and rec.get("stop_step")[0] == 2 * rec.meta["steps_per_epoch"][0]


def test_early_stopping_records_the_restored_best_weights():
    rec = simulate(_sc(data={"samples": 120, "noise": 0.6, "validation": 0.5},
                       model={"depth": 2, "width": 64, "activation": "relu"},
                       train={"optimizer": "adam", "lr": 0.02, "epochs": 300, "batch_size": 60, "early_stopping": 5},
                       record={"every": 1, "weights": True}), workers=1)
    stop, best, stop_step = rec.get("early_stop_epoch")[0], rec.get("best_epoch")[0], rec.get("stop_step")[0]
    assert 1 <= best < stop and stop - best == 5 and stop_step == stop * rec.meta["steps_per_epoch"][0]
    slot = int(np.searchsorted(rec.steps, stop_step))
    best_slot = int(np.searchsorted(rec.steps, best * rec.meta["steps_per_epoch"][0]))
    assert rec.get("val_loss")[0, slot] == rec.get("val_loss")[0, best_slot]
    for name in ("weights_0", "bias_0", "weights_2"):
        np.testing.assert_array_equal(rec.get(name)[0, slot], rec.get(name)[0, best_slot], err_msg=name)
    assert np.isnan(rec.get("val_loss")[0, slot + 1:]).all()


def test_ensemble_training_curve_is_the_averaged_prediction():
    rec = simulate(_sc(train={"ensemble": 3}), workers=1)
    loss, members = rec.get("loss")[0], rec.get("member_loss")[0]
    assert rec.axes["member_loss"] == ("variant", "record", "member") and members.shape[1] == 3
    assert np.all(loss <= members.mean(axis=1) + 1e-12)  # Jensen: CE is convex in the probabilities
    assert not np.array_equal(loss, members[:, 0])
    assert not np.array_equal(loss, rec.get("trace_loss")[0, rec.steps])  # not member 0's minibatch
    single = simulate(_sc(), workers=1)
    assert "member_loss" not in single and np.array_equal(single.get("loss")[0], single.get("trace_loss")[0, single.steps])


@pytest.mark.parametrize("dtype,stored", [("float64", np.float64), ("float32", np.float32),
                                          ("float16", np.float16), ("bfloat16", np.float32)])
def test_every_parameter_is_recorded_in_the_runs_dtype(dtype, stored):
    sc = _sc(model={"dtype": dtype, "norm": "batch"}, record={"weights": True})
    rec = simulate(sc, workers=1)
    names = {n for n in rec.arrays if n.split("_")[0] in ("weights", "bias", "gamma", "beta")}
    assert names == {f"{p}_{l}" for l in range(4) for p in ("weights", "bias")} | \
        {f"{p}_{l}" for l in range(3) for p in ("gamma", "beta")}
    assert all(rec.get(n).dtype == stored for n in names)
    # step 0 holds the initial draw of member 0
    layout = build_layout(2, sc.widths, 3, True)
    theta = init_theta(layout, sc.model, V.stream(sc.seed, 0, V.INIT, 0), np.float64)
    r = layout[1]
    w = theta[r[0]:r[0] + r[4] * r[5]].reshape(r[4], r[5])
    np.testing.assert_allclose(rec.get("weights_1")[0, 0], w, rtol={"float64": 0, "float32": 1e-7}.get(dtype, 1e-2))
    assert np.all(rec.get("gamma_0")[0, 0] == 1) and np.all(rec.get("beta_0")[0, 0] == 0)


def test_weight_normalisation_records_g_and_v():
    rec = simulate(_sc(model={"norm": "weight"}, record={"weights": True}), workers=1)
    assert {n for n in rec.arrays if n.startswith(("g_", "gamma_", "beta_"))} == {"g_0", "g_1", "g_2"}
    assert rec.axes["g_1"] == ("variant", "record", "out")
    v = rec.get("weights_1")[0, 0]
    np.testing.assert_allclose(rec.get("g_1")[0, 0], np.sqrt((v ** 2).sum(axis=0)), rtol=1e-12)  # g = ‖v‖ at init
