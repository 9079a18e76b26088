"""Every gradient of the kernels against central finite differences (float64).

The reference is independent of the backward pass: it only evaluates the
loss of the forward pass at theta +- h e_i.
"""
import itertools

import numpy as np
import pytest

from gradviz.engine import kernels as K
from gradviz.names import ACTIVATIONS, NORMS
from gradviz.engine.net import build_layout

D_IN, WIDTHS, CLASSES, BATCH = 4, (4, 4, 5), 3, 6  # layers 0, 1 get a skip; layer 2 (4 -> 5) not


def _setup(activation, norm, residual, dropout, seed=0):
    rng = np.random.default_rng(seed)
    layout = build_layout(D_IN, WIDTHS, CLASSES, norm)
    n = int(layout[-1, K.B_OFF] + layout[-1, K.N_OUT])
    theta = rng.normal(0, 0.7, n)
    for row in layout:  # gamma around 1, beta around 0, but not exactly (a generic point)
        if row[K.G_OFF] >= 0:
            theta[row[K.G_OFF]:row[K.G_OFF] + row[K.N_OUT]] = 1 + 0.2 * rng.normal(size=row[K.N_OUT])
    x = rng.normal(size=(BATCH, D_IN))
    y = rng.integers(0, CLASSES, BATCH)
    cfg = np.zeros(K.N_CFG, dtype=np.int64)
    cfg[[K.C_ACT, K.C_NORM, K.C_RESIDUAL, K.C_DROPOUT]] = (ACTIVATIONS.index(activation),
                                                            NORMS.index(norm),
                                                            int(residual), int(dropout > 0))
    hp = np.zeros(K.N_HP)
    hp[K.H_KEEP_SCALE] = 1 / (1 - dropout) if dropout else 1.0
    mask = (rng.random(BATCH * int(layout[-1, K.COL])) >= dropout).astype(np.uint8)
    running = np.zeros((len(WIDTHS), 2, 8))
    running[:, 1] = 1
    return theta, layout, cfg, hp, x, y, mask, running


def _fd_check(theta, layout, cfg, hp, x, y, mask, running, h=1e-5):
    grad = np.zeros_like(theta)
    K.loss_and_grad(theta, layout, cfg, hp, x, y, mask, running, grad)
    fd = np.empty_like(theta)
    g_dummy = np.zeros_like(theta)
    for i in range(theta.size):
        tp = theta.copy()
        tp[i] += h
        lp = K.loss_and_grad(tp, layout, cfg, hp, x, y, mask, running, g_dummy)
        tp[i] -= 2 * h
        lm = K.loss_and_grad(tp, layout, cfg, hp, x, y, mask, running, g_dummy)
        fd[i] = (lp - lm) / (2 * h)
    rel = np.linalg.norm(grad - fd) / max(np.linalg.norm(grad) + np.linalg.norm(fd), 1e-300)
    return grad, fd, rel


CASES = list(itertools.product(ACTIVATIONS, NORMS, (False, True), (0.0, 0.4)))


@pytest.mark.parametrize("activation,norm,residual,dropout", CASES)
def test_gradient_matches_finite_differences(activation, norm, residual, dropout):
    args = _setup(activation, norm, residual, dropout)
    grad, fd, rel = _fd_check(*args)
    assert np.all(np.isfinite(grad))
    assert np.linalg.norm(grad) > 1e-3  # a real gradient, not a vacuous zero
    assert rel < 1e-6, f"relative error {rel:.2e}"
    # every single entry too (absolute, scaled by the largest entry)
    assert np.max(np.abs(grad - fd)) <= 1e-6 * np.max(np.abs(fd)) + 1e-9


def test_finite_difference_check_can_fail():
    """Sanity of the harness itself: a wrong gradient is caught."""
    theta, layout, cfg, hp, x, y, mask, running = _setup("tanh", "none", False, 0.0)
    grad, fd, rel = _fd_check(theta, layout, cfg, hp, x, y, mask, running)
    wrong = grad.copy()
    wrong[3] *= 1.01
    rel_wrong = np.linalg.norm(wrong - fd) / (np.linalg.norm(wrong) + np.linalg.norm(fd))
    assert rel < 1e-6 < rel_wrong


def test_dropout_mask_zeroes_units_and_scales_survivors():
    theta, layout, cfg, hp, x, y, mask, running = _setup("linear", "none", False, 0.5)
    mask[:] = 1
    mask[: BATCH * WIDTHS[0]] = 0  # drop every unit of layer 0: the output is independent of x
    grad = np.zeros_like(theta)
    l1 = K.loss_and_grad(theta, layout, cfg, hp, x, y, mask, running, grad)
    l2 = K.loss_and_grad(theta, layout, cfg, hp, x * 3 + 1, y, mask, running, grad)
    assert l1 == l2
    w0 = grad[layout[0, K.W_OFF]:layout[0, K.B_OFF]]
    assert np.all(w0 == 0)


@pytest.mark.parametrize("norm", NORMS)
def test_skip_connections_and_norms_change_the_function(norm):
    """The residual and norm paths are really taken (else the FD cases above
    would test the plain network twice)."""
    plain = _setup("tanh", norm, False, 0.0)
    skip = _setup("tanh", norm, True, 0.0)
    g = np.zeros_like(plain[0])
    assert K.loss_and_grad(*plain, g) != K.loss_and_grad(*skip, g)
    if norm != "none":
        bare = _setup("tanh", "none", False, 0.0)
        gb = np.zeros_like(bare[0])
        # same seed, different parameter count: compare the layer-0 output scale instead
        assert K.loss_and_grad(*bare, gb) != K.loss_and_grad(*plain, g)
