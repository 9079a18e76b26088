"""The training loop and the Recording, against closed forms and invariants."""
import json
import os
import subprocess
import sys

import numpy as np
import pytest

import gradviz
from gradviz.engine import kernels as K
from gradviz.scenario import parse
from gradviz.engine.net import build_layout, init_theta
from gradviz.engine.simulation import simulate

SMALL = {"seed": 3, "data": {"kind": "spirals", "samples": 200},
         "model": {"depth": 3, "width": 8}, "train": {"epochs": 4, "batch_size": 32, "lr": 0.2},
         "record": {"every": 4}}


def _sim(**sections):
    raw = json.loads(json.dumps(SMALL))
    for k, v in sections.items():
        if isinstance(v, dict):
            raw.setdefault(k, {}).update(v)
        else:
            raw[k] = v
    return simulate(parse(raw))


def _second_moment(rec, v):
    return rec.get("act_mean")[v, 0, :-1] ** 2 + rec.get("act_std")[v, 0, :-1] ** 2


def test_relu_second_moment_at_init_he_constant_gaussian_halves():
    """E[h^2] of ReLU layers: He keeps it, std 1/sqrt(n) halves it per layer
    (Var z = n std^2 E[h^2]; E[relu(z)^2] = Var z / 2)."""
    rec = simulate(parse({
        "seed": 1, "data": {"kind": "gaussian", "features": 400, "samples": 500, "validation": 0.0},
        "model": {"depth": 20, "width": 400, "activation": "relu"},
        "train": {"steps": 1, "batch_size": 500}, "record": {"every": 1},
        "compare": {"key": "model.init", "values": ["he", "gaussian"]}}))
    he, gauss = _second_moment(rec, 0), _second_moment(rec, 1)
    ratios_he = he[1:] / he[:-1]
    ratios_gauss = gauss[1:] / gauss[:-1]
    # per layer the ratio fluctuates (finite width, one batch): ~0.1 here
    assert np.all(np.abs(ratios_he - 1) < 0.35), ratios_he
    assert np.all(np.abs(ratios_gauss / 0.5 - 1) < 0.35), ratios_gauss
    # over 19 layers the geometric mean is tight
    assert np.exp(np.mean(np.log(ratios_he))) == pytest.approx(1.0, abs=0.07)
    assert np.exp(np.mean(np.log(ratios_gauss))) == pytest.approx(0.5, abs=0.035)


def test_step_zero_is_before_any_update():
    rec = _sim()
    assert rec.steps[0] == 0
    assert rec.get("loss")[0, 0] == rec.get("trace_loss")[0, 0]
    # the loss at init equals an independent evaluation of the initial weights
    sc = parse(SMALL)
    from gradviz.data import make_dataset
    from gradviz.engine.simulation import NATURAL_CLASSES
    from gradviz.engine.variant import rng as _rng
    d = sc.data
    ds = make_dataset(d.kind, samples=d.samples, noise=d.noise, features=d.features,
                      classes=NATURAL_CLASSES[d.kind], path=None, scale=d.scale, validation=d.validation,
                      rng=_rng(sc.seed, 0))
    layout = build_layout(2, sc.widths, ds.classes, False)
    theta = init_theta(layout, sc.model, _rng(sc.seed, 0, 1), np.float64)
    x = ds.x_train[:32]
    probs = np.exp(np.tanh(np.tanh(np.tanh(x @ _w(theta, layout, 0) + _b(theta, layout, 0))
                                   @ _w(theta, layout, 1) + _b(theta, layout, 1))
                           @ _w(theta, layout, 2) + _b(theta, layout, 2)) @ _w(theta, layout, 3)
                   + _b(theta, layout, 3))
    probs /= probs.sum(1, keepdims=True)
    # same rows as the first minibatch?  The first batch is a permutation: compare the
    # validation loss at step 0 instead, computed fully independently here.
    pv = _numpy_forward(theta, layout, ds.x_val)
    expected = -np.mean(np.log(pv[np.arange(len(ds.y_val)), ds.y_val]))
    assert rec.get("val_loss")[0, 0] == pytest.approx(expected, rel=1e-12)
    assert np.all(np.isfinite(probs))


def _w(theta, layout, l):
    r = layout[l]
    return theta[r[K.W_OFF]:r[K.W_OFF] + r[K.N_IN] * r[K.N_OUT]].reshape(r[K.N_IN], r[K.N_OUT])


def _b(theta, layout, l):
    r = layout[l]
    return theta[r[K.B_OFF]:r[K.B_OFF] + r[K.N_OUT]]


def _numpy_forward(theta, layout, x):
    h = x
    for l in range(len(layout) - 1):
        h = np.tanh(h @ _w(theta, layout, l) + _b(theta, layout, l))
    z = h @ _w(theta, layout, len(layout) - 1) + _b(theta, layout, len(layout) - 1)
    z = z - z.max(1, keepdims=True)
    return np.exp(z) / np.exp(z).sum(1, keepdims=True)


def test_training_reduces_the_loss_and_records_every_array():
    rec = _sim()
    loss = rec.get("trace_loss")[0]
    assert np.nanmean(loss[-5:]) < np.nanmean(loss[:5])
    R, L = len(rec.steps), 4
    for name in K.LAYER_STATS:
        if name in K.CLIP_ONLY:  # recorded only when the run clips
            assert name not in rec, name
            continue
        assert rec.get(name).shape == (1, R, L), name
    assert rec.get("hist_delta").shape == (1, R, L, 40)
    counts = (rec.get("hist_act").sum(-1) + rec.get("hist_act_under") + rec.get("hist_act_over")
              + rec.get("hist_act_nonfinite"))
    assert np.all(counts[0, :, :-1] == 32 * 8)  # batch x units, every value accounted for
    assert np.isnan(rec.get("update_ratio")[0, -1]).all()  # the last record makes no update
    assert np.all(rec.get("update_ratio")[0, :-1] > 0)
    assert rec.steps[-1] == rec.get("stop_step")[0] == 4 * (160 // 32)


def test_same_seed_bit_identical_and_thread_count_independent(tmp_path):
    a, b = _sim(), _sim()
    for name in a.arrays:
        np.testing.assert_array_equal(a.get(name), b.get(name), err_msg=name)
    code = ("import sys, json, gradviz; from gradviz.scenario import parse; "
            "from gradviz.engine.simulation import simulate; "
            f"simulate(parse(json.loads({json.dumps(json.dumps(SMALL))}))).save(sys.argv[1])")
    paths = []
    for threads in ("1", "2"):
        p = tmp_path / f"t{threads}.npz"
        env = dict(os.environ, NUMBA_NUM_THREADS=threads, OMP_NUM_THREADS=threads,
                   OPENBLAS_NUM_THREADS=threads)
        subprocess.run([sys.executable, "-c", code, str(p)], check=True, env=env)
        paths.append(p)
    r1, r2 = gradviz.load_recording(paths[0]), gradviz.load_recording(paths[1])
    for name in a.arrays:
        np.testing.assert_array_equal(r1.get(name), a.get(name), err_msg=name)
        np.testing.assert_array_equal(r2.get(name), a.get(name), err_msg=name)


def test_variants_share_draws_so_only_the_knob_differs():
    rec = _sim(compare={"key": "train.lr", "values": [0.2, 0.2]})
    np.testing.assert_array_equal(rec.get("trace_loss")[0], rec.get("trace_loss")[1])


def test_divergence_is_recorded_not_raised():
    rec = _sim(model={"init": "normal", "activation": "relu", "depth": 6, "width": 32},
               train={"lr": 1e6, "epochs": 10})
    first = rec.get("first_nonfinite_step")[0]
    assert first >= 0
    assert rec.get("stop_step")[0] == first
    # the divergent step sits in the next record slot (here its gradient norm
    # overflows although every entry is still finite: nonfinite counts 0)
    slot = int(np.searchsorted(rec.steps, first))
    assert rec.get("grad_norm")[0, slot] == rec.get("trace_grad_norm")[0, first] == np.inf
    assert np.isinf(rec.get("grad_w_norm")[0, slot]).any()
    assert np.isfinite(rec.get("grad_norm")[0, :slot]).all()
    assert np.isnan(rec.get("grad_norm")[0, slot + 1:]).all()
    assert np.isnan(rec.get("trace_loss")[0, first + 1:]).all()


def test_early_stopping_stops_after_patience_and_restores_best():
    rec = _sim(data={"samples": 120, "noise": 0.6, "validation": 0.5},
               model={"depth": 2, "width": 64, "activation": "relu"},
               train={"optimizer": "adam", "lr": 0.02, "epochs": 300, "batch_size": 60, "early_stopping": 5},
               record={"every": 1})
    stop, best = rec.get("early_stop_epoch")[0], rec.get("best_epoch")[0]
    assert 0 <= best < stop < 300
    assert stop - best == 5
    # the recorded validation loss at the best epoch is the minimum of those recorded
    val = rec.get("val_loss")[0]
    steps_per_epoch = rec.meta["steps_per_epoch"][0]
    assert val[best * steps_per_epoch] == pytest.approx(np.nanmin(val))


def test_ensemble_average_beats_the_average_member():
    """Cross-entropy is convex in the probabilities: the loss of the averaged
    prediction is at most the members' mean loss (Jensen)."""
    rec = _sim(train={"ensemble": 3, "epochs": 3})
    members = rec.get("member_val_loss")[0]
    assert members.shape[1] == 3
    assert np.all(rec.get("val_loss")[0] <= members.mean(axis=1) + 1e-12)
    assert not np.allclose(members[-1, 0], members[-1, 1])  # different seeds


def test_float32_run_is_float32_and_close_to_float64_at_init():
    r64 = _sim()
    r32 = _sim(model={"dtype": "float32"})
    g64, g32 = r64.get("grad_w_norm")[0, 0], r32.get("grad_w_norm")[0, 0]
    np.testing.assert_allclose(g32, g64, rtol=1e-4)


def test_recording_round_trip_and_csv(tmp_path):
    rec = _sim(model={"dropout": 0.3}, record={"weights": True, "layers": [0, 3]})
    path = rec.save(tmp_path / "r.npz")
    back = gradviz.load_recording(path)
    assert back.meta == rec.meta and back.axes == rec.axes
    for name in rec.arrays:
        np.testing.assert_array_equal(back.get(name), rec.get(name))
    assert sorted(n for n in back.arrays if n.startswith("weights_")) == ["weights_0", "weights_3"]
    assert back.get("weights_0").shape == (1, len(rec.steps), 2, 8)
    csv = back.to_csv()
    lines = csv["layers.csv"].splitlines()
    assert lines[0] == "variant,label,record,step,layer,quantity,value"
    assert len(lines) == 1 + len(back.names(("variant", "record", "layer"))) * len(rec.steps) * 4
    assert "baseline" in lines[1]
    assert not list(tmp_path.glob("*.partial"))
