"""Optimizers, clipping and schedules against their formulas, computed by hand."""
import math

import numpy as np
import pytest

from gradviz.engine import kernels as K
from gradviz.scenario import OPTIMIZERS, parse
from gradviz.engine.net import build_layout
from gradviz.engine.simulation import lr_at

LR, GAMMA, B1, B2, EPS, ALPHA, WD = 0.1, 0.9, 0.8, 0.95, 1e-8, 0.9, 0.01
GRADS = [np.array([0.5, -1.0, 2.0, 0.0, 0.25, -0.75]),
         np.array([0.4, -0.5, 1.0, 0.1, 0.25, 0.75]),
         np.array([-0.3, 1.5, 0.5, -0.2, 0.0, 0.5])]
THETA0 = np.array([1.0, -2.0, 0.5, 0.3, -0.1, 0.0])


def _hand(opt, wd):
    """Three steps of `opt` written out from the textbook/lesson formulas."""
    w = THETA0.copy()
    v = np.zeros_like(w)
    s = np.zeros_like(w)
    out = []
    for t, g0 in enumerate(GRADS, start=1):
        g = g0 + (wd * w if opt != "adamw" else 0)
        if opt == "sgd":
            w = w - LR * g
        elif opt == "momentum":  # lesson: v <- gamma v - eta grad; w <- w + v
            v = GAMMA * v - LR * g
            w = w + v
        elif opt == "nesterov":  # PyTorch form: buf = gamma buf + g; w -= lr (g + gamma buf)
            s = GAMMA * s + g
            w = w - LR * (g + GAMMA * s)
        elif opt == "adagrad":
            s = s + g * g
            w = w - LR * g / (np.sqrt(s) + EPS)
        elif opt == "rmsprop":
            s = ALPHA * s + (1 - ALPHA) * g * g
            w = w - LR * g / (np.sqrt(s) + EPS)
        elif opt in ("adam", "adamw"):
            if opt == "adamw":
                w = w * (1 - LR * wd)  # decoupled decay, applied first (PyTorch order)
            v = B1 * v + (1 - B1) * g
            s = B2 * s + (1 - B2) * g * g
            w = w - LR * (v / (1 - B1 ** t)) / (np.sqrt(s / (1 - B2 ** t)) + EPS)
        elif opt == "normalized":  # the lesson's simplified rule: w <- w - eta g / ||g||
            w = w - LR * g / np.linalg.norm(g)
        out.append(w.copy())
    return out


def _kernel(opt, wd, dtype=np.float64):
    layout = build_layout(2, (), 2, False)  # one 2x2 layer + bias: 6 parameters
    cfg = np.zeros(K.N_CFG, dtype=np.int64)
    cfg[K.C_OPT] = OPTIMIZERS.index(opt)
    hp = np.zeros(K.N_HP, dtype=dtype)
    hp[K.H_MOMENTUM], hp[K.H_BETA1], hp[K.H_BETA2] = GAMMA, B1, B2
    hp[K.H_EPS], hp[K.H_ALPHA], hp[K.H_WD] = EPS, ALPHA, wd
    theta = THETA0.astype(dtype)
    s1, s2 = np.zeros_like(theta), np.zeros_like(theta)
    stats = np.zeros((1, len(K.LAYER_STATS)))
    out = []
    for t, g in enumerate(GRADS, start=1):
        K.update(theta, g.astype(dtype), s1, s2, layout, cfg, hp, dtype(LR), t, stats, True)
        out.append(theta.astype(np.float64))
    return out, stats


@pytest.mark.parametrize("wd", [0.0, WD])
@pytest.mark.parametrize("opt", OPTIMIZERS)
def test_first_three_steps_match_the_formula(opt, wd):
    got, _ = _kernel(opt, wd)
    for step, (a, b) in enumerate(zip(got, _hand(opt, wd)), start=1):
        np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-14, err_msg=f"{opt} step {step}")


@pytest.mark.parametrize("opt", OPTIMIZERS)
def test_float32_runs_stay_close(opt):
    got, _ = _kernel(opt, WD, np.float32)
    np.testing.assert_allclose(got[-1], _hand(opt, WD)[-1], rtol=2e-5, atol=2e-6)


def test_update_ratio_is_norm_of_weight_change_over_weight_norm():
    _, stats = _kernel("sgd", 0.0)
    w_before = _hand("sgd", 0.0)[1][:4]
    w_after = _hand("sgd", 0.0)[2][:4]
    expected = np.linalg.norm(w_after - w_before) / np.linalg.norm(w_before)
    assert stats[0, K.S_UPDATE_RATIO] == pytest.approx(expected, rel=1e-12)


def test_momentum_lesson_form_equals_pytorch_form_at_constant_lr():
    """With a constant learning rate, v <- gamma v - lr g; w += v is PyTorch's
    buf <- gamma buf + g; w -= lr buf (v = -lr buf)."""
    got, _ = _kernel("momentum", 0.0)
    w, buf = THETA0.copy(), np.zeros(6)
    for g in GRADS:
        buf = GAMMA * buf + g
        w = w - LR * buf
    np.testing.assert_allclose(got[-1], w, rtol=1e-12)


@pytest.mark.parametrize("theta_c", [1.0, 10.0])
def test_clip_by_global_norm(theta_c):
    g = np.array([3.0, 4.0, 12.0])  # norm 13
    hp = np.zeros(K.N_HP)
    hp[K.H_CLIP_NORM] = theta_c
    out = g.copy()
    after = K.clip(out, hp, 13.0)
    np.testing.assert_allclose(out, g * theta_c / 13.0, rtol=1e-15)
    assert after == pytest.approx(theta_c)


def test_clip_leaves_small_gradients_alone_and_clips_by_value():
    hp = np.zeros(K.N_HP)
    hp[K.H_CLIP_NORM] = 100.0
    g = np.array([3.0, 4.0])
    assert K.clip(g, hp, 5.0) == 5.0 and list(g) == [3.0, 4.0]
    hp[K.H_CLIP_VALUE] = 3.5
    g = np.array([3.0, -4.0, 10.0])
    after = K.clip(g, hp, math.sqrt(125.0))
    assert list(g) == [3.0, -3.5, 3.5]
    assert after == pytest.approx(math.sqrt(9 + 2 * 3.5 ** 2))


def _train(**kw):
    return parse({"train": {"lr": 0.5, "lr_decay": 0.98, "lr_step": 3, "warmup": 0, **kw}}).train


def test_schedules_by_hand():
    spe, total = 10, 100
    assert lr_at(_train(), 57, spe, total) == 0.5
    assert lr_at(_train(lr_schedule="exponential"), 57, spe, total) == pytest.approx(0.5 * 0.98 ** 5)
    assert lr_at(_train(lr_schedule="step"), 57, spe, total) == pytest.approx(0.5 * 0.98 ** 1)
    assert lr_at(_train(lr_schedule="step"), 29, spe, total) == 0.5
    cos = _train(lr_schedule="cosine")
    assert lr_at(cos, 0, spe, total) == pytest.approx(0.5)
    assert lr_at(cos, 50, spe, total) == pytest.approx(0.25)
    assert lr_at(cos, 100, spe, total) == pytest.approx(0.0, abs=1e-15)
    warm = _train(warmup=4)
    assert [lr_at(warm, s, spe, total) for s in range(5)] == pytest.approx([0.125, 0.25, 0.375, 0.5, 0.5])
