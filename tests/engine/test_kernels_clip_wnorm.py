"""Gradient statistics under clipping are of the raw loss gradient (issue 8
§6), with the clipped norms beside them; weight normalisation's
initialisation reproduces the un-normalised network."""
import numpy as np
import pytest

import gradviz
from gradviz.engine import kernels as K
from gradviz.engine.net import Net, build_layout, hist_ranges, init_theta
from gradviz.names import ACTIVATIONS

D_IN, WIDTHS, CLASSES, BATCH = 3, (5, 4), 3, 8


def _net(clip_norm=0.0, clip_value=0.0, seed=0):
    rng = np.random.default_rng(seed)
    layout = build_layout(D_IN, WIDTHS, CLASSES, False)
    model = gradviz.load_scenario({}).model
    theta = init_theta(layout, model, rng, np.float64) * 3  # large: a gradient worth clipping
    cfg = np.zeros(K.N_CFG, dtype=np.int64)
    cfg[K.C_ACT] = ACTIVATIONS.index("tanh")
    hp = np.zeros(K.N_HP)
    hp[K.H_KEEP_SCALE] = 1.0
    hp[K.H_CLIP_NORM], hp[K.H_CLIP_VALUE] = clip_norm, clip_value
    x = rng.standard_normal((BATCH, D_IN))
    y = rng.integers(0, CLASSES, BATCH).astype(np.int64)
    return Net(theta, layout, cfg, hp, BATCH), x, y


def _one_recorded_step(net, x, y):
    nl = len(net.layout)

    class Out:
        step_stats = np.full((1, len(K.STEP_STATS)), np.nan)
        layer_stats = np.full((1, nl, len(K.LAYER_STATS)), np.nan)
        hist = np.zeros((1, nl, len(K.HISTS), 10), dtype=np.int64)
        hist_extra = np.zeros((1, nl, len(K.HISTS), len(K.HIST_EXTRA)), dtype=np.int64)
        hist_range = hist_ranges(net.layout, "tanh")
        trace = np.full((2, len(K.STEP_STATS)), np.nan)

    net.train(x, y, np.arange(BATCH)[None, :], np.zeros((1, 0), dtype=np.uint8), np.array([0.1]),
              np.array([0]), 0, False, Out)
    return Out


def _raw_layer_norms(net, x, y):
    """Reference: per-layer ‖dL/dW‖ of loss_and_grad's gradient (FD-checked in test_gradients)."""
    g = np.zeros_like(net.theta)
    K.loss_and_grad(net.theta, net.layout, net.cfg, net.hp, x, y, np.zeros(0, np.uint8), net.running, g)
    return g, np.array([np.linalg.norm(g[r[K.W_OFF]:r[K.B_OFF]]) for r in net.layout])


@pytest.mark.parametrize("clip_norm,clip_value", [(0.05, 0.0), (0.0, 0.01), (0.0, 0.0)])
def test_layer_gradient_norms_are_raw_and_clipped_beside(clip_norm, clip_value):
    net, x, y = _net(clip_norm, clip_value)
    g, raw = _raw_layer_norms(net, x, y)
    out = _one_recorded_step(net, x, y)
    st = out.layer_stats[0]
    np.testing.assert_allclose(st[:, K.S_GRAD_W_NORM], raw, rtol=1e-12)
    gc = np.clip(g, -clip_value, clip_value) if clip_value else g.copy()
    if clip_norm and np.linalg.norm(gc) > clip_norm:
        gc *= clip_norm / np.linalg.norm(gc)
    clipped = np.array([np.linalg.norm(gc[r[K.W_OFF]:r[K.B_OFF]]) for r in net.layout])
    np.testing.assert_allclose(st[:, K.S_GRAD_W_NORM_CLIPPED], clipped, rtol=1e-12)
    scale = out.step_stats[0, K.T_CLIP_SCALE]
    assert scale == pytest.approx(np.linalg.norm(gc) / np.linalg.norm(g), rel=1e-12)
    if clip_norm or clip_value:
        assert scale < 0.9 and np.all(clipped < raw)  # the case really clips
    else:
        assert scale == 1.0


def _sim(**train):
    raw = {"data": {"kind": "spirals", "samples": 80}, "model": {"depth": 2, "width": 6},
           "train": {"steps": 4, "batch_size": 16, **train}, "record": {"every": 1}}
    if not train:
        raw["variants"] = [{"label": "off"}, {"label": "on", "train.clip_norm": 0.01}]
    return gradviz.simulate(gradviz.load_scenario(raw))


def test_clipping_quantities_recorded_only_when_clipping():
    assert not {"clip_scale", "grad_w_norm_clipped", "trace_clip_scale"} & set(_sim(lr=0.1).arrays)
    rec = _sim()
    off, on = rec.get("grad_w_norm_clipped")
    raw = rec.get("grad_w_norm")
    np.testing.assert_array_equal(off, raw[0])            # not clipped: the clipped norm is the raw one
    assert np.all(on[0] < raw[1, 0]) and np.all(rec.get("clip_scale")[1] < 1)
    assert np.all(rec.get("clip_scale")[0] == 1)
    assert rec.axes["grad_w_norm_clipped"] == ("variant", "record", "layer")


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_weight_norm_init_is_the_unnormalised_net(dtype):
    sc = gradviz.load_scenario({"model": {"norm": "weight"}})
    layout_w = build_layout(D_IN, WIDTHS, CLASSES, "weight")
    layout_0 = build_layout(D_IN, WIDTHS, CLASSES, "none")
    assert (layout_w[:-1, K.G_OFF] >= 0).all() and (layout_w[:, K.BE_OFF] == -1).all()
    tw = init_theta(layout_w, sc.model, np.random.default_rng(4), dtype)
    t0 = init_theta(layout_0, sc.model, np.random.default_rng(4), dtype)
    rng = np.random.default_rng(5)
    x = rng.standard_normal((BATCH, D_IN)).astype(dtype)
    y = rng.integers(0, CLASSES, BATCH).astype(np.int64)
    cfg = np.zeros(K.N_CFG, dtype=np.int64)
    cfg[K.C_ACT] = ACTIVATIONS.index("tanh")
    hp = np.zeros(K.N_HP, dtype=dtype)
    run = np.zeros((2, 2, 8), dtype=dtype)
    loss0 = K.loss_and_grad(t0, layout_0, cfg, hp, x, y, np.zeros(0, np.uint8), run, np.zeros_like(t0))
    cfg[K.C_NORM] = K.NORM_WEIGHT
    lossw = K.loss_and_grad(tw, layout_w, cfg, hp, x, y, np.zeros(0, np.uint8), run, np.zeros_like(tw))
    assert lossw == pytest.approx(loss0, rel=1e-12 if dtype == np.float64 else 1e-6)
    weff = K.effective_weights(tw, layout_w, cfg, np.empty_like(tw))
    for r0, rw in zip(layout_0, layout_w):
        np.testing.assert_allclose(weff[rw[K.W_OFF]:rw[K.B_OFF]], t0[r0[K.W_OFF]:r0[K.B_OFF]],
                                   rtol=1e-12 if dtype == np.float64 else 1e-6)


def test_weight_norm_trains():
    sc = gradviz.load_scenario({"data": {"kind": "spirals", "samples": 200}, "model": {"depth": 3, "width": 16,
                                "norm": "weight"}, "train": {"epochs": 10, "batch_size": 20, "lr": 0.3}})
    loss = gradviz.simulate(sc).get("loss")[0]
    assert np.isfinite(loss).all() and loss[-1] < 0.9 * loss[0]
