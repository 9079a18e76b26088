"""Every numba-jitted function of gradviz, and only those.

Why one module: numba's disk cache (``cache=True``) checks only the source file
of a function, so a kernel calling a jitted function from another file would
keep running a stale compiled copy after that file changed.

Rules (design.md section 6): lazy compilation (no signatures, so importing
this module compiles nothing), ``error_model="numpy"`` (no zero-division
checks that block SIMD), never fastmath (NaN/Inf must stay visible), no
randomness inside (every random draw comes in as an array), hyperparameters
arrive in an array of the run's dtype so float32 runs stay float32.

Parameters live in one flat vector ``theta``. ``layout[l]`` says where layer
``l``'s pieces are: W (n_in x n_out, row-major), b, and for normalised hidden
layers gamma and beta. Layers ``0..L-2`` are hidden, ``L-1`` is the output.
Activations of layer ``l`` for a batch of ``n`` rows live in flat buffers at
``n * layout[l, COL]``, so the same layout serves any number of rows.
"""
import math

import numpy as np
from numba import njit

JIT = dict(cache=True, error_model="numpy", nogil=True)

# activation codes (order = scenario.ACTIVATIONS)
LINEAR, SIGMOID, TANH, RELU, LEAKY_RELU, ELU, SELU, GELU = range(8)
NORM_NONE, NORM_BATCH, NORM_LAYER, NORM_WEIGHT = range(4)
# optimizer codes (order = scenario.OPTIMIZERS)
SGD, MOMENTUM, NESTEROV, ADAGRAD, RMSPROP, ADAM, ADAMW, NORMALIZED = range(8)

LEAKY_SLOPE = 0.01
SELU_LAMBDA = 1.0507009873554804934193349852946
SELU_ALPHA = 1.6732632423543772848170429916717
NORM_EPS = 1e-5
BN_MOMENTUM = 0.1  # running = (1 - m) running + m batch, as PyTorch
SATURATION = 0.97  # |tanh| > 0.97, sigmoid outside [0.03, 0.97]

# layout columns
W_OFF, B_OFF, G_OFF, BE_OFF, N_IN, N_OUT, COL = range(7)

# emulated storage formats (float16/bfloat16 are not numba types: the run
# computes in float32 and rounds at the points listed in round_array's doc)
NO_ROUND, ROUND_F16, ROUND_BF16 = range(3)
F16_MIN_NORMAL = 6.103515625e-05  # 2**-14
F16_MAX = 65504.0

# cfg (int64) entries
C_ACT, C_NORM, C_RESIDUAL, C_OPT, C_DROPOUT, C_ROUND, C_MASTER, C_DYNAMIC = range(8)
N_CFG = 8
DYNAMIC_WINDOW = 2000  # clean steps before a dynamic loss scale doubles (PyTorch's GradScaler)
# hp (run dtype) entries
H_MOMENTUM, H_BETA1, H_BETA2, H_EPS, H_ALPHA, H_WD, H_CLIP_NORM, H_CLIP_VALUE, H_KEEP_SCALE = range(9)
N_HP = 9

# per-layer statistics, in this order (simulate.py names the arrays from it)
LAYER_STATS = ("act_mean", "act_std", "pre_mean", "pre_std", "pre_p15", "pre_p50", "pre_p85",
               "saturation", "dead", "delta_rms", "grad_w_norm", "w_norm", "update_ratio", "nonfinite",
               "grad_zero", "grad_underflow", "grad_overflow", "delta_underflow", "update_lost",
               "grad_w_norm_clipped")
(S_ACT_MEAN, S_ACT_STD, S_PRE_MEAN, S_PRE_STD, S_P15, S_P50, S_P85, S_SATURATION, S_DEAD,
 S_DELTA_RMS, S_GRAD_W_NORM, S_W_NORM, S_UPDATE_RATIO, S_NONFINITE,
 S_GRAD_ZERO, S_GRAD_UNDERFLOW, S_GRAD_OVERFLOW, S_DELTA_UNDERFLOW, S_UPDATE_LOST,
 S_GRAD_W_NORM_CLIPPED) = range(len(LAYER_STATS))
# rounding counters per layer and step (emulated formats)
EMU = ("grad_underflow", "grad_overflow", "delta_underflow")
# per-step statistics
STEP_STATS = ("loss", "acc", "grad_norm", "grad_norm_clipped", "lr", "loss_scale", "skipped", "clip_scale")
T_LOSS, T_ACC, T_GRAD_NORM, T_GRAD_NORM_CLIPPED, T_LR, T_LOSS_SCALE, T_SKIPPED, T_CLIP_SCALE = range(len(STEP_STATS))
# recorded only when a variant clips (clip_norm or clip_value set)
CLIP_ONLY = ("grad_w_norm_clipped", "clip_scale")
# histograms: which quantity, and the extra counts kept beside each
HISTS = ("hist_act", "hist_pre", "hist_delta")
HX_ACT, HX_PRE, HX_DELTA = range(3)
HIST_EXTRA = ("under", "over", "nonfinite", "zero")
E_UNDER, E_OVER, E_NONFINITE, E_ZERO = range(4)


# ---------------------------------------------------------------------------
# emulated float16 / bfloat16: round-to-nearest-even on float32 bit patterns
# ---------------------------------------------------------------------------
@njit(**JIT)
def round_scalar(x, fmt):
    """x (float32) rounded to float16 or bfloat16, returned as float32.

    bfloat16: the upper 16 bits of float32, rounded on the dropped 16 bits.
    float16: normal range by rounding float32's mantissa to 10 bits (a carry
    moves into the exponent, as it should), overflow to inf above 65504;
    below 2**-14 the grid is multiples of 2**-24 (subnormals), rounded with
    rint, exact here since x * 2**24 is exact in float64. NaN/Inf pass.
    """
    if fmt == NO_ROUND or not math.isfinite(x):
        return x
    b = np.float32(x).view(np.uint32)
    if fmt == ROUND_BF16:
        c = (np.uint64(b) + np.uint64(0x7FFF) + np.uint64((b >> np.uint32(16)) & np.uint32(1)))
        return np.uint32(c & np.uint64(0xFFFF0000)).view(np.float32)
    if abs(x) >= F16_MIN_NORMAL:
        c = (np.uint64(b) + np.uint64(0xFFF) + np.uint64((b >> np.uint32(13)) & np.uint32(1)))
        r = np.uint32(c & np.uint64(0xFFFFE000)).view(np.float32)
        if abs(r) > F16_MAX:
            return np.float32(math.copysign(np.inf, x))
        return r
    return np.float32(np.rint(np.float64(x) * 16777216.0) / 16777216.0)


@njit(**JIT)
def round_array(v, fmt):
    """Round a flat float32 array in place; return (underflows, overflows):
    entries that were non-zero and became 0, finite and became +-inf.

    Rounding points of an emulated run: every layer's z = hW + b (products
    accumulate in float32, as on tensor cores), the normalised u, the
    activation a, the layer output h; in the backward pass the scaled
    dL/dlogits, every dL/dz, dL/dh, dL/dW and dL/db; and the stored weights
    after each update (or the working copy of float32 master weights).
    Softmax and the loss are computed in float32.
    """
    under = 0
    over = 0
    if fmt == NO_ROUND:
        return under, over
    for i in range(v.size):
        x = v[i]
        r = round_scalar(x, fmt)
        if r == 0 and x != 0:
            under += 1
        elif math.isinf(r) and math.isfinite(x):
            over += 1
        v[i] = r
    return under, over


# ---------------------------------------------------------------------------
# activations
# ---------------------------------------------------------------------------
# float32 tanh as a rational function (the [13/6] minimax form Eigen uses for
# its vectorised float tanh): libm's tanhf is one call per element and stops
# the loop from vectorising. Odd numerator, even denominator, inputs clamped
# to +-TANH32_CLAMP where float32 tanh is 1 to within an ulp; NaN passes
# (comparisons with NaN are false) and +-inf gives +-1. Maximum error against
# numpy's tanh: TANH32_MAX_ERROR (tests/engine/test_kernels_tanh.py measures
# it over every float32 in [-9, 9] step 2**-13 and the edge cases). float64
# runs keep libm's tanh.
TANH32_CLAMP = np.float32(7.90531110763549805)
TANH32_MAX_ERROR = 4e-7  # absolute; measured 3.63e-7, i.e. at most 6.1 ulp of float32 tanh (near |x| = 5.9)
TANH32_MAX_ULP = 6.5
_T_A = tuple(np.float32(c) for c in (4.89352455891786e-03, 6.37261928875436e-04, 1.48572235717979e-05,
                                      5.12229709037114e-08, -8.60467152213735e-11, 2.00018790482477e-13,
                                      -2.76076847742355e-16))
_T_B = tuple(np.float32(c) for c in (4.89352518554385e-03, 2.26843463243900e-03, 1.18534705686654e-04,
                                      1.19825839466702e-06))
A1, A3, A5, A7, A9, A11, A13 = _T_A
B0, B2, B4, B6 = _T_B
TANH32_TINY = np.float32(0.0004)
ONE32 = np.float32(1.0)


@njit(**JIT)
def tanh32(u, a):
    """a = tanh(u) for float32 arrays, vectorisable (see TANH32_MAX_ERROR)."""
    for i in range(u.size):
        x0 = u[i]
        x = min(max(x0, -TANH32_CLAMP), TANH32_CLAMP) if not math.isnan(x0) else x0
        x2 = x * x
        p = x2 * A13 + A11
        p = p * x2 + A9
        p = p * x2 + A7
        p = p * x2 + A5
        p = p * x2 + A3
        p = p * x2 + A1
        p = p * x
        q = x2 * B6 + B4
        q = q * x2 + B2
        q = q * x2 + B0
        r = p / q
        r = min(max(r, -ONE32), ONE32)
        a[i] = x if abs(x) < TANH32_TINY else r


@njit(**JIT)
def activate(u, a, kind):
    """a = phi(u) elementwise on flat arrays; one loop per kind so each vectorises."""
    n = u.size
    if kind == LINEAR:
        for i in range(n):
            a[i] = u[i]
    elif kind == SIGMOID:
        for i in range(n):
            x = u[i]
            if x >= 0:
                a[i] = 1.0 / (1.0 + math.exp(-x))
            else:
                e = math.exp(x)
                a[i] = e / (1.0 + e)
    elif kind == TANH:
        if u.itemsize == 4 and a.itemsize == 4:  # float32 (and emulated) runs
            tanh32(u, a)
        else:
            for i in range(n):
                a[i] = math.tanh(u[i])
    elif kind == RELU:
        for i in range(n):
            a[i] = u[i] if u[i] > 0 else 0.0
    elif kind == LEAKY_RELU:
        for i in range(n):
            a[i] = u[i] if u[i] > 0 else LEAKY_SLOPE * u[i]
    elif kind == ELU:
        for i in range(n):
            a[i] = u[i] if u[i] > 0 else math.expm1(u[i])
    elif kind == SELU:
        for i in range(n):
            a[i] = SELU_LAMBDA * u[i] if u[i] > 0 else SELU_LAMBDA * SELU_ALPHA * math.expm1(u[i])
    else:  # GELU, exact: x * Phi(x)
        for i in range(n):
            a[i] = 0.5 * u[i] * (1.0 + math.erf(u[i] / math.sqrt(2.0)))


@njit(**JIT)
def activate_backward(u, a, d, kind):
    """d <- d * phi'(u), in place (phi' from u or from the stored output a)."""
    n = u.size
    if kind == SIGMOID:
        for i in range(n):
            d[i] *= a[i] * (1.0 - a[i])
    elif kind == TANH:
        for i in range(n):
            d[i] *= 1.0 - a[i] * a[i]
    elif kind == RELU:
        for i in range(n):
            if not u[i] > 0:
                d[i] = 0.0
    elif kind == LEAKY_RELU:
        for i in range(n):
            if not u[i] > 0:
                d[i] *= LEAKY_SLOPE
    elif kind == ELU:
        for i in range(n):
            if not u[i] > 0:
                d[i] *= a[i] + 1.0
    elif kind == SELU:
        for i in range(n):
            d[i] *= SELU_LAMBDA if u[i] > 0 else a[i] + SELU_LAMBDA * SELU_ALPHA
    elif kind == GELU:
        c = 1.0 / math.sqrt(2.0 * math.pi)
        for i in range(n):
            x = u[i]
            d[i] *= 0.5 * (1.0 + math.erf(x / math.sqrt(2.0))) + x * c * math.exp(-0.5 * x * x)


# ---------------------------------------------------------------------------
# forward and backward passes
# ---------------------------------------------------------------------------
@njit(**JIT)
def _w(theta, layout, l):
    off = layout[l, W_OFF]
    return theta[off:off + layout[l, N_IN] * layout[l, N_OUT]].reshape((layout[l, N_IN], layout[l, N_OUT]))


@njit(**JIT)
def _vec(theta, layout, l, off):
    """The n_out entries of layer l at theta[off:], off = layout[l, B_OFF|G_OFF|BE_OFF]
    (an offset, not the column constant: a literal argument would compile once per column)."""
    return theta[off:off + layout[l, N_OUT]]


@njit(**JIT)
def _flat(buf, layout, l, n):
    base = n * layout[l, COL]
    return buf[base:base + n * layout[l, N_OUT]]


@njit(**JIT)
def _buf(buf, layout, l, n):
    return _flat(buf, layout, l, n).reshape((n, layout[l, N_OUT]))


@njit(**JIT)
def _residual(cfg, layout, l):
    return cfg[C_RESIDUAL] != 0 and layout[l, N_IN] == layout[l, N_OUT]


@njit(**JIT)
def forward(theta, layout, cfg, hp, x, mask, training, running, Z, U, A, H, XH, MU, RS):
    """Forward pass for the n rows of x; fills the flat buffers.

    Z = h W + b, U = input of the nonlinearity (after the norm), A = phi(U),
    H = layer output after dropout and residual. For the output layer U holds
    the logits and A the softmax probabilities. XH, MU, RS keep the norm's
    x-hat, mean and 1/std for the backward pass. In training mode batch norm
    uses batch statistics and updates ``running``; otherwise it uses ``running``.
    """
    n = x.shape[0]
    nl = layout.shape[0]
    act = cfg[C_ACT]
    norm = cfg[C_NORM]
    fmt = cfg[C_ROUND]
    h = x
    for l in range(nl):
        z = _buf(Z, layout, l, n)
        np.dot(h, _w(theta, layout, l), z)
        b = _vec(theta, layout, l, layout[l, B_OFF])
        m = layout[l, N_OUT]
        for r in range(n):
            for j in range(m):
                z[r, j] += b[j]
        round_array(_flat(Z, layout, l, n), fmt)
        u = _buf(U, layout, l, n)
        a = _buf(A, layout, l, n)
        if l == nl - 1:  # output: logits -> softmax
            u[:, :] = z
            for r in range(n):
                mx = u[r, 0]
                for j in range(1, m):
                    if u[r, j] > mx:
                        mx = u[r, j]
                s = 0.0
                for j in range(m):
                    a[r, j] = math.exp(u[r, j] - mx)
                    s += a[r, j]
                for j in range(m):
                    a[r, j] /= s
            break
        if norm == NORM_NONE or norm == NORM_WEIGHT:  # weight norm acts on W (effective_weights)
            u[:, :] = z
        else:
            _norm_forward(z, u, _buf(XH, layout, l, n), _vec(theta, layout, l, layout[l, G_OFF]),
                          _vec(theta, layout, l, layout[l, BE_OFF]), norm, training, running[l], MU[l], RS[l])
            round_array(_flat(U, layout, l, n), fmt)
        activate(u.ravel(), a.ravel(), act)
        round_array(_flat(A, layout, l, n), fmt)
        hl = _buf(H, layout, l, n)
        if cfg[C_DROPOUT] != 0 and training:
            ms = mask[n * layout[l, COL]:n * layout[l, COL] + n * m].reshape((n, m))
            keep = hp[H_KEEP_SCALE]
            for r in range(n):
                for j in range(m):
                    hl[r, j] = a[r, j] * keep if ms[r, j] else 0.0
        else:
            hl[:, :] = a
        if _residual(cfg, layout, l):
            for r in range(n):
                for j in range(m):
                    hl[r, j] += h[r, j]
        round_array(_flat(H, layout, l, n), fmt)
        h = hl


@njit(**JIT)
def _norm_forward(z, u, xh, gamma, beta, norm, training, running, mu, rs):
    n, m = z.shape
    if norm == NORM_BATCH:
        if training:
            for j in range(m):
                s = 0.0
                for r in range(n):
                    s += z[r, j]
                mean = s / n
                v = 0.0
                for r in range(n):
                    v += (z[r, j] - mean) ** 2
                var = v / n
                mu[j] = mean
                rs[j] = 1.0 / math.sqrt(var + NORM_EPS)
                # running variance is unbiased, as PyTorch's
                running[0, j] = (1 - BN_MOMENTUM) * running[0, j] + BN_MOMENTUM * mean
                running[1, j] = (1 - BN_MOMENTUM) * running[1, j] + BN_MOMENTUM * (v / max(n - 1, 1))
        else:
            for j in range(m):
                mu[j] = running[0, j]
                rs[j] = 1.0 / math.sqrt(running[1, j] + NORM_EPS)
        for r in range(n):
            for j in range(m):
                xh[r, j] = (z[r, j] - mu[j]) * rs[j]
                u[r, j] = gamma[j] * xh[r, j] + beta[j]
    else:  # layer norm: statistics over the units of each row
        for r in range(n):
            s = 0.0
            for j in range(m):
                s += z[r, j]
            mean = s / m
            v = 0.0
            for j in range(m):
                v += (z[r, j] - mean) ** 2
            mu[r] = mean
            rs[r] = 1.0 / math.sqrt(v / m + NORM_EPS)
            for j in range(m):
                xh[r, j] = (z[r, j] - mean) * rs[r]
                u[r, j] = gamma[j] * xh[r, j] + beta[j]


@njit(**JIT)
def softmax_cross_entropy(U, A, layout, y, n, D, scale):
    """Mean cross-entropy of the logits, correct count, and dL/dlogits into D,
    multiplied by the loss scale (the backward pass rounds it)."""
    l = layout.shape[0] - 1
    logits = _buf(U, layout, l, n)
    p = _buf(A, layout, l, n)
    d = _buf(D, layout, l, n)
    m = layout[l, N_OUT]
    loss = 0.0
    correct = 0
    for r in range(n):
        mx = logits[r, 0]
        best = 0
        for j in range(1, m):
            if logits[r, j] > mx:
                mx = logits[r, j]
                best = j
        s = 0.0
        for j in range(m):
            s += math.exp(logits[r, j] - mx)
        loss += math.log(s) + mx - logits[r, y[r]]  # log-sum-exp - logit_y
        if best == y[r]:
            correct += 1
        for j in range(m):
            d[r, j] = p[r, j] / n
        d[r, y[r]] -= 1.0 / n
        for j in range(m):
            d[r, j] *= scale
    return loss / n, correct


@njit(**JIT)
def backward(theta, layout, cfg, hp, x, mask, Z, U, A, H, XH, MU, RS, D, grad, scratch, D32, emu):
    """Back-propagate from dL/dlogits (already in D's output block).

    D receives dL/dz for every layer (z = W h + b, the signal whose RMS is
    delta_rms); grad receives dL/dtheta in theta's layout. scratch is two
    flat blocks of n * (widest layer) that hold dL/dh, alternating by layer.
    Emulated formats: D32 keeps dL/dz before rounding, emu[l] counts what
    rounding lost (EMU order).
    """
    n = x.shape[0]
    nl = layout.shape[0]
    act = cfg[C_ACT]
    norm = cfg[C_NORM]
    fmt = cfg[C_ROUND]
    for l in range(nl - 1, -1, -1):
        m = layout[l, N_OUT]
        k = layout[l, N_IN]
        dz = _buf(D, layout, l, n)
        if l < nl - 1:
            # dh holds dL/d(output of layer l); turn it into dL/dz
            dh = scratch[l % 2, :n * m].reshape((n, m))
            u = _buf(U, layout, l, n)
            for r in range(n):
                for j in range(m):
                    dz[r, j] = dh[r, j]
            if cfg[C_DROPOUT] != 0:
                ms = mask[n * layout[l, COL]:n * layout[l, COL] + n * m].reshape((n, m))
                keep = hp[H_KEEP_SCALE]
                for r in range(n):
                    for j in range(m):
                        dz[r, j] = dz[r, j] * keep if ms[r, j] else 0.0
            activate_backward(u.ravel(), _buf(A, layout, l, n).ravel(), dz.ravel(), act)
            if norm == NORM_BATCH or norm == NORM_LAYER:
                _norm_backward(dz, _buf(XH, layout, l, n), _vec(theta, layout, l, layout[l, G_OFF]),
                               _vec(grad, layout, l, layout[l, G_OFF]), _vec(grad, layout, l, layout[l, BE_OFF]), norm, RS[l])
                round_array(_vec(grad, layout, l, layout[l, G_OFF]), fmt)
                round_array(_vec(grad, layout, l, layout[l, BE_OFF]), fmt)
        if fmt != NO_ROUND:
            _flat(D32, layout, l, n)[:] = _flat(D, layout, l, n)
            emu[l, 2] = round_array(_flat(D, layout, l, n), fmt)[0]
        h = x if l == 0 else _buf(H, layout, l - 1, n)
        gw = _w(grad, layout, l)
        np.dot(h.T, dz, gw)
        emu[l, 0], emu[l, 1] = round_array(gw.ravel(), fmt)
        gb = _vec(grad, layout, l, layout[l, B_OFF])
        for j in range(m):
            s = 0.0
            for r in range(n):
                s += dz[r, j]
            gb[j] = s
        round_array(gb, fmt)
        if l > 0:
            dprev = scratch[(l - 1) % 2, :n * k].reshape((n, k))
            np.dot(dz, _w(theta, layout, l).T, dprev)
            if l < nl - 1 and _residual(cfg, layout, l):
                cur = scratch[l % 2, :n * m].reshape((n, m))
                for r in range(n):
                    for j in range(k):
                        dprev[r, j] += cur[r, j]
            round_array(scratch[(l - 1) % 2, :n * k], fmt)


@njit(**JIT)
def _norm_backward(d, xh, gamma, ggamma, gbeta, norm, rs):
    """d: dL/du in, dL/dz out. Standard batch/layer-norm backward."""
    n, m = d.shape
    for j in range(m):
        sg = 0.0
        sb = 0.0
        for r in range(n):
            sg += d[r, j] * xh[r, j]
            sb += d[r, j]
        ggamma[j] = sg
        gbeta[j] = sb
    if norm == NORM_BATCH:
        for j in range(m):
            mean_d = gamma[j] * gbeta[j] / n
            mean_dx = gamma[j] * ggamma[j] / n
            for r in range(n):
                d[r, j] = rs[j] * (gamma[j] * d[r, j] - mean_d - xh[r, j] * mean_dx)
    else:
        for r in range(n):
            s1 = 0.0
            s2 = 0.0
            for j in range(m):
                g = gamma[j] * d[r, j]
                s1 += g
                s2 += g * xh[r, j]
            s1 /= m
            s2 /= m
            for j in range(m):
                d[r, j] = rs[r] * (gamma[j] * d[r, j] - s1 - xh[r, j] * s2)


@njit(**JIT)
def effective_weights(theta, layout, cfg, weff):
    """The parameters the passes use. Weight normalisation (Salimans & Kingma
    2016) keeps v in W's slot and g in gamma's: hidden layer l's column j
    (output unit j) is w_j = g_j v_j / ||v_j||; weff receives theta with those
    columns in place. Other runs return theta itself (no copy)."""
    if cfg[C_NORM] != NORM_WEIGHT:
        return theta
    weff[:] = theta
    for l in range(layout.shape[0] - 1):
        v = _w(theta, layout, l)
        w = _w(weff, layout, l)
        g = theta[layout[l, G_OFF]:layout[l, G_OFF] + layout[l, N_OUT]]
        for j in range(v.shape[1]):
            c = g[j] / math.sqrt(_colsq(v, j))
            for i in range(v.shape[0]):
                w[i, j] = v[i, j] * c
    return weff


@njit(**JIT)
def _colsq(v, j):
    s = 0.0
    for i in range(v.shape[0]):
        s += v[i, j] * v[i, j]
    return s


@njit(**JIT)
def weight_norm_backward(theta, layout, cfg, grad):
    """Turn dL/dw (in W's slot, from the passes on the effective weights)
    into dL/dv and dL/dg of weight normalisation, in place:
    dL/dg_j = <dL/dw_j, v_j>/||v_j||, dL/dv_j = (g_j/||v_j||)(dL/dw_j - dL/dg_j v_j/||v_j||)."""
    if cfg[C_NORM] != NORM_WEIGHT:
        return
    for l in range(layout.shape[0] - 1):
        v = _w(theta, layout, l)
        gw = _w(grad, layout, l)
        g = theta[layout[l, G_OFF]:layout[l, G_OFF] + layout[l, N_OUT]]
        gg = grad[layout[l, G_OFF]:layout[l, G_OFF] + layout[l, N_OUT]]
        for j in range(v.shape[1]):
            nv = math.sqrt(_colsq(v, j))
            d = 0.0
            for i in range(v.shape[0]):
                d += gw[i, j] * v[i, j]
            d /= nv
            gg[j] = d
            c = g[j] / nv
            for i in range(v.shape[0]):
                gw[i, j] = c * (gw[i, j] - d * v[i, j] / nv)


# ---------------------------------------------------------------------------
# statistics (fused: computed from the buffers of the step being recorded)
#
# Byte-identity rule: every mean and sum keeps the left-to-right order of the
# plain loops it replaced (float addition is not associative), so the fused
# passes below only share one loop between independent accumulators.
# ---------------------------------------------------------------------------
@njit(**JIT)
def _sumsq(v):
    s = 0.0
    for x in v:
        s += x * x
    return s


@njit(inline="always", **JIT)
def _bin(x, lo, hi, nb, width, counts, extra):
    """One finite value into counts on nb equal bins over [lo, hi].
    Inlined: a call per element would pay reference counting of the arrays."""
    if x < lo:
        extra[E_UNDER] += 1
    elif x > hi:
        extra[E_OVER] += 1
    else:
        i = int((x - lo) / width)
        counts[min(i, nb - 1)] += 1


@njit(**JIT)
def histogram(v, lo, hi, counts, extra, log_abs, log_shift):
    """Add v to counts on len(counts) equal bins over [lo, hi]; values outside
    go to extra[E_UNDER]/extra[E_OVER], NaN/Inf to extra[E_NONFINITE]. With
    log_abs the binned value is log10|v| - log_shift (the loss scale's log:
    values in unscaled units) and exact zeros go to extra[E_ZERO]."""
    nb = counts.size
    width = (hi - lo) / nb
    for x in v:
        if not math.isfinite(x):
            extra[E_NONFINITE] += 1
        elif log_abs:
            if x == 0:
                extra[E_ZERO] += 1
            else:
                _bin(math.log10(abs(x)) - log_shift, lo, hi, nb, width, counts, extra)
        else:
            _bin(x, lo, hi, nb, width, counts, extra)


@njit(**JIT)
def _select(a, k, lo, hi):
    """Partially order a[lo..hi] in place so that a[k] is its k-th smallest
    (0-based, NaN-free input), everything left of k <= a[k] <= everything
    right of it (Hoare partition, median-of-three pivot: O(n) on average,
    also on sorted or constant runs)."""
    while hi > lo:
        mid = (lo + hi) >> 1
        if a[mid] < a[lo]:
            a[mid], a[lo] = a[lo], a[mid]
        if a[hi] < a[mid]:
            a[hi], a[mid] = a[mid], a[hi]
            if a[mid] < a[lo]:
                a[mid], a[lo] = a[lo], a[mid]
        pivot = a[mid]
        i = lo
        j = hi
        while i <= j:
            while a[i] < pivot:
                i += 1
            while a[j] > pivot:
                j -= 1
            if i <= j:
                a[i], a[j] = a[j], a[i]
                i += 1
                j -= 1
        if k <= j:
            hi = j
        elif k >= i:
            lo = i
        else:
            return


@njit(**JIT)
def _kth(work, k, lo, hi, prev_k, prev_lower, prev_upper):
    """(a_k, a_(k+1)) of work, whose part lo..hi holds, in some order, the
    order statistics lo..hi and whose position hi+1 (if any) holds the
    (hi+1)-th: select k inside, take the minimum of what lies right of it."""
    if k == prev_k:
        return prev_lower, prev_upper
    _select(work, k, lo, hi)
    lower = work[k]
    if k + 1 <= hi:
        upper = work[k + 1]
        for j in range(k + 2, hi + 1):
            if work[j] < upper:
                upper = work[j]
    else:
        upper = work[hi + 1]
    return lower, upper


@njit(**JIT)
def _ranks(n, q):
    """0-based lower order statistic k and weight m of each percentile q
    (numba's np.percentile: rank = 1 + (n-1) q/100, k = floor(rank) - 1)."""
    ks = np.empty(q.size, dtype=np.int64)
    ms = np.empty(q.size)
    for t in range(q.size):
        rank = 1 + (n - 1) * (q[t] / 100.0)
        f = math.floor(rank)
        ms[t] = rank - f
        ks[t] = int(f - 1)
    return ks, ms


PCT_BINS = 4096  # bins of the first pass of percentiles (any count gives exact results)


@njit(**JIT)
def percentiles(v, q, work, out):
    """out[i] = the q[i]-th percentile of v for three ascending q strictly
    inside (0, 100), bit-identical to _percentiles_select (numpy's "linear"
    definition as numba's np.percentile computes it), in three branch-light
    passes: min/max, counts on PCT_BINS equal bins between them, then only
    the values in the (at most six) bins holding the needed order statistics
    are copied out and selected among. The bin of x, int((x - min) * scale),
    never decreases as x grows, so the k-th smallest value lies in the bin
    where the cumulative count passes k, at rank k minus the count before."""
    n = v.size
    mn = v[0]
    mx = v[0]
    nan = False
    for x in v:
        mn = min(mn, x)
        mx = max(mx, x)
        nan |= math.isnan(x)
    if nan or n == 1 or not (math.isfinite(mn) and math.isfinite(mx)) or mn == mx:
        _percentiles_select(v, q, work, out)
        return
    nb = PCT_BINS
    scale = nb / (np.float64(mx) - np.float64(mn))
    lo = np.float64(mn)
    counts = np.zeros(nb + 1, dtype=np.int64)
    for x in v:
        counts[min(int((np.float64(x) - lo) * scale), nb - 1) + 1] += 1
    for b in range(nb):
        counts[b + 1] += counts[b]  # counts[b] = values in bins before b
    k3, ms = _ranks(n, q)
    ks = np.empty(6, dtype=np.int64)
    for t in range(3):
        ks[2 * t] = k3[t]
        ks[2 * t + 1] = k3[t] + 1
    # the bins of the six ranks, and where each bin's values go in work
    slot = np.full(nb, -1, dtype=np.int64)
    fill = np.zeros(nb, dtype=np.int64)
    for i in range(6):
        b = np.searchsorted(counts, ks[i], side="right") - 1
        slot[b] = counts[b]  # a bin's values keep their global positions
    for x in v:
        b = min(int((np.float64(x) - lo) * scale), nb - 1)
        if slot[b] >= 0:
            work[slot[b] + fill[b]] = x
            fill[b] += 1
    vals = np.empty(6, dtype=work.dtype)
    for i in range(6):
        b = np.searchsorted(counts, ks[i], side="right") - 1
        _select(work, ks[i], counts[b], counts[b + 1] - 1)
        vals[i] = work[ks[i]]
    for t in range(3):
        out[t] = vals[2 * t] * (1 - ms[t]) + vals[2 * t + 1] * ms[t]


@njit(**JIT)
def _percentiles_select(v, q, work, out):
    """out[i] = the q[i]-th percentile of v for three ascending q strictly
    inside (0, 100), numpy's default "linear" definition as numba's
    np.percentile computes it (rank = 1 + (n-1) q/100, lower*(1-m) + upper*m
    from the two order statistics around the rank), so values are
    bit-identical to it. Any NaN in v gives NaN, as numpy.

    Exact order statistics by selection instead of a sort: the middle rank
    is selected over the whole copy, the lower one inside the part left of
    it, the upper one inside the part right of it (about 2n element visits
    instead of numba's three selections over the whole array)."""
    n = v.size
    for i in range(n):
        work[i] = v[i]
        if math.isnan(v[i]):
            out[:] = np.nan
            return
    if n == 1:  # numba's np.percentile: NaN unless the one value is finite
        out[:] = v[0] if math.isfinite(v[0]) else np.nan
        return
    ks, ms = _ranks(n, q)
    first = ks[0] * 0  # 0 and -1 as run-time int64, not literals (one compiled _kth)
    lo1, up1 = _kth(work, ks[1], first, n - 1, first - 1, work[0], work[0])
    lo0, up0 = _kth(work, ks[0], first, ks[1] - 1, ks[1], lo1, up1)
    lo2, up2 = _kth(work, ks[2], ks[1] + 1, n - 1, ks[1], lo1, up1)
    out[0] = lo0 * (1 - ms[0]) + up0 * ms[0]
    out[1] = lo1 * (1 - ms[1]) + up1 * ms[1]
    out[2] = lo2 * (1 - ms[2]) + up2 * ms[2]


@njit(**JIT)
def _act_stats(a, act, hidden, lo, hi, counts, extra):
    """mean, std, saturated share, exact-zero share, non-finite count of the
    activations, and their histogram: two passes (the std is two-pass)."""
    s = 0.0
    sat = 0
    dead = 0
    bad = 0
    for x in a:
        s += x
        if act == TANH:
            sat += abs(x) > SATURATION
        elif act == SIGMOID:
            sat += (x > SATURATION) or (x < 1.0 - SATURATION)
        dead += x == 0
        bad += not math.isfinite(x)
    mean = s / a.size
    std = _std_and_histogram(a, mean, lo, hi, counts, extra)
    satur = sat / a.size if hidden and (act == TANH or act == SIGMOID) else np.nan
    return mean, std, satur, dead / a.size, bad


@njit(**JIT)
def _std_and_histogram(a, mean, lo, hi, counts, extra):
    """The second pass of a layer's statistics: the standard deviation about
    ``mean`` (same summation order as before, so float64 stays byte-identical)
    and the histogram of the finite values, non-finite ones counted apart."""
    nb = counts.size
    width = (hi - lo) / nb
    qs = 0.0
    for x in a:
        qs += (x - mean) ** 2
        if not math.isfinite(x):
            extra[E_NONFINITE] += 1
        else:
            _bin(x, lo, hi, nb, width, counts, extra)
    return math.sqrt(qs / a.size)


@njit(**JIT)
def _pre_stats(pre, lo, hi, counts, extra):
    """mean, std and non-finite count of the pre-activations, and their histogram."""
    s = 0.0
    bad = 0
    for x in pre:
        s += x
        bad += not math.isfinite(x)
    mean = s / pre.size
    return mean, _std_and_histogram(pre, mean, lo, hi, counts, extra), bad


@njit(**JIT)
def _delta_stats(dz, lo, hi, counts, extra, shift):
    """sum of squares and non-finite count of dL/dz, and the log10|dL/dz| histogram."""
    s = 0.0
    bad = 0
    nb = counts.size
    width = (hi - lo) / nb
    for x in dz:
        s += x * x
        if not math.isfinite(x):
            bad += 1
            extra[E_NONFINITE] += 1
        elif x == 0:
            extra[E_ZERO] += 1
        else:
            _bin(math.log10(abs(x)) - shift, lo, hi, nb, width, counts, extra)
    return s, bad


@njit(**JIT)
def _grad_stats(gw):
    """sum of squares, exact zeros and non-finite count of a weight gradient."""
    s = 0.0
    zeros = 0
    bad = 0
    for x in gw:
        s += x * x
        zeros += x == 0
        bad += not math.isfinite(x)
    return s, zeros, bad


@njit(**JIT)
def layer_statistics(theta, layout, cfg, n, U, A, D, grad, stats, hist, hist_extra, hist_range,
                     D32, emu, scale):
    """Fill stats[l, S_*] and the histograms of every layer from the buffers.

    Gradient quantities are of the raw loss gradient (before any clipping)
    in unscaled units (divided by the loss scale); for emulated formats the
    dL/dz statistics use the values before rounding (D32), and the rounding
    counters of this step become shares.
    """
    nl = layout.shape[0]
    act = cfg[C_ACT]
    fmt = cfg[C_ROUND]
    q = np.array([15.0, 50.0, 85.0])
    p = np.empty(3)
    work = np.empty(n * max_width(layout), dtype=U.dtype)
    shift = math.log10(scale)
    for l in range(nl):
        pre = _flat(U, layout, l, n)
        a = _flat(A, layout, l, n)
        dz = _flat(D32 if fmt != NO_ROUND else D, layout, l, n)
        gw = _w(grad, layout, l).ravel()
        st = stats[l]
        st[S_ACT_MEAN], st[S_ACT_STD], st[S_SATURATION], st[S_DEAD], bad_a = _act_stats(
            a, act, l < nl - 1, hist_range[l, HX_ACT, 0], hist_range[l, HX_ACT, 1], hist[l, HX_ACT],
            hist_extra[l, HX_ACT])
        st[S_PRE_MEAN], st[S_PRE_STD], bad_p = _pre_stats(
            pre, hist_range[l, HX_PRE, 0], hist_range[l, HX_PRE, 1], hist[l, HX_PRE], hist_extra[l, HX_PRE])
        percentiles(pre, q, work, p)
        st[S_P15], st[S_P50], st[S_P85] = p[0], p[1], p[2]
        sq_d, bad_d = _delta_stats(dz, hist_range[l, HX_DELTA, 0], hist_range[l, HX_DELTA, 1],
                                   hist[l, HX_DELTA], hist_extra[l, HX_DELTA], shift)
        st[S_DELTA_RMS] = math.sqrt(sq_d / dz.size) / scale
        sq_g, zeros, bad_g = _grad_stats(gw)
        st[S_GRAD_W_NORM] = math.sqrt(sq_g)  # grad is unscaled by now
        st[S_GRAD_ZERO] = zeros / gw.size
        st[S_W_NORM] = math.sqrt(_sumsq(_w(theta, layout, l).ravel()))
        st[S_UPDATE_RATIO] = np.nan  # filled by the update, if one follows
        st[S_NONFINITE] = bad_p + bad_a + bad_d + bad_g
        if fmt != NO_ROUND:
            st[S_GRAD_UNDERFLOW] = emu[l, 0] / gw.size
            st[S_GRAD_OVERFLOW] = emu[l, 1] / gw.size
            st[S_DELTA_UNDERFLOW] = emu[l, 2] / dz.size
        else:
            st[S_GRAD_UNDERFLOW] = np.nan
            st[S_GRAD_OVERFLOW] = np.nan
            st[S_DELTA_UNDERFLOW] = np.nan
        st[S_UPDATE_LOST] = np.nan  # filled by the update, if one follows
        st[S_GRAD_W_NORM_CLIPPED] = np.nan  # filled after clipping (train_steps)


@njit(**JIT)
def max_width(layout):
    mw = 1
    for l in range(layout.shape[0]):
        mw = max(mw, layout[l, N_OUT], layout[l, N_IN])
    return mw


@njit(**JIT)
def clipped_layer_norms(grad, layout, stats):
    """stats[l, S_GRAD_W_NORM_CLIPPED] = ||dL/dW_l|| after clipping."""
    for l in range(layout.shape[0]):
        stats[l, S_GRAD_W_NORM_CLIPPED] = math.sqrt(_sumsq(_w(grad, layout, l).ravel()))


# ---------------------------------------------------------------------------
# gradient processing and optimizers
# ---------------------------------------------------------------------------
@njit(**JIT)
def global_norm(g):
    return math.sqrt(_sumsq(g))


@njit(**JIT)
def clip(g, hp, norm):
    """Clip by value, then by global norm; return the norm after clipping."""
    c = hp[H_CLIP_VALUE]
    if c > 0:
        for i in range(g.size):
            if g[i] > c:
                g[i] = c
            elif g[i] < -c:
                g[i] = -c
        norm = global_norm(g)
    theta_c = hp[H_CLIP_NORM]
    if theta_c > 0 and norm > theta_c:
        s = theta_c / norm
        for i in range(g.size):
            g[i] *= s
        norm = global_norm(g)
    return norm


@njit(**JIT)
def optimizer_step(theta, g, s1, s2, opt, lr, hp, t, lo, hi, gscale, fmt):
    """Update theta[lo:hi] in place; return the squared norm of the change
    and the count of updates lost to rounding (w + step stored as w although
    step != 0; fmt rounds the stored weights of an emulated run).

    s1, s2 are the optimizer's state vectors; t is the 1-based update count
    (Adam's bias correction); gscale multiplies g (1/||g|| for `normalized`).
    Weight decay: L2 (g + wd*theta) for all but adamw, decoupled for adamw.
    """
    wd = hp[H_WD]
    eps = hp[H_EPS]
    gamma = hp[H_MOMENTUM]
    b1 = hp[H_BETA1]
    b2 = hp[H_BETA2]
    alpha = hp[H_ALPHA]
    c1 = 1 - b1 ** t
    c2 = 1 - b2 ** t
    dsq = 0.0
    lost = 0
    for i in range(lo, hi):
        w = theta[i]
        gi = g[i] * gscale
        if opt != ADAMW:
            gi += wd * w
        if opt == SGD or opt == NORMALIZED:
            step = -lr * gi
        elif opt == MOMENTUM:  # the lesson's form: v <- gamma v - lr g; w <- w + v
            s1[i] = gamma * s1[i] - lr * gi
            step = s1[i]
        elif opt == NESTEROV:  # v <- gamma v - lr g; w <- w + gamma v - lr g
            s1[i] = gamma * s1[i] - lr * gi
            step = gamma * s1[i] - lr * gi
        elif opt == ADAGRAD:
            s1[i] += gi * gi
            step = -lr * gi / (math.sqrt(s1[i]) + eps)
        elif opt == RMSPROP:
            s1[i] = alpha * s1[i] + (1 - alpha) * gi * gi
            step = -lr * gi / (math.sqrt(s1[i]) + eps)
        else:  # ADAM, ADAMW
            s1[i] = b1 * s1[i] + (1 - b1) * gi
            s2[i] = b2 * s2[i] + (1 - b2) * gi * gi
            step = -lr * (s1[i] / c1) / (math.sqrt(s2[i] / c2) + eps)
            if opt == ADAMW:
                step -= lr * wd * w
        theta[i] = round_scalar(w + step, fmt)
        if theta[i] == w and step != 0:
            lost += 1
        dsq += (theta[i] - w) ** 2
    return dsq, lost


@njit(**JIT)
def update(theta, grad, s1, s2, layout, cfg, hp, lr, t, stats, record):
    """One optimizer step over every layer; fill update_ratio and update_lost
    when recording. Emulated runs without master weights store the updated
    weights rounded; with master weights theta is the float32 master copy."""
    fmt = cfg[C_ROUND] if cfg[C_MASTER] == 0 else NO_ROUND
    gscale = 1.0
    if cfg[C_OPT] == NORMALIZED:
        # the lesson's "divide the gradient by its norm", weight decay included
        sq = 0.0
        for i in range(grad.size):
            sq += (grad[i] + hp[H_WD] * theta[i]) ** 2
        nrm = math.sqrt(sq)
        gscale = 1.0 / nrm if nrm > 0 else 0.0
        hp_wd = hp[H_WD] * gscale
        # decay inside the normalised direction: scale g and wd alike
        hp2 = hp.copy()
        hp2[H_WD] = hp_wd
        hp = hp2
    for l in range(layout.shape[0]):
        lo = layout[l, W_OFF]
        hi_w = lo + layout[l, N_IN] * layout[l, N_OUT]
        hi = layout[l + 1, W_OFF] if l + 1 < layout.shape[0] else theta.size
        if record:
            wn = math.sqrt(_sumsq(theta[lo:hi_w]))
            dsq, lost = optimizer_step(theta, grad, s1, s2, cfg[C_OPT], lr, hp, t, lo, hi_w, gscale, fmt)
            stats[l, S_UPDATE_RATIO] = math.sqrt(dsq) / wn if wn > 0 else np.inf
            if cfg[C_ROUND] != NO_ROUND:
                stats[l, S_UPDATE_LOST] = lost / (hi_w - lo)
            optimizer_step(theta, grad, s1, s2, cfg[C_OPT], lr, hp, t, hi_w, hi, gscale, fmt)
        else:
            optimizer_step(theta, grad, s1, s2, cfg[C_OPT], lr, hp, t, lo, hi, gscale, fmt)


# ---------------------------------------------------------------------------
# the training loop (one call runs a chunk of steps)
# ---------------------------------------------------------------------------
@njit(**JIT)
def _trace(row, loss, acc, gnorm, gclip, lr, scale, skip, finite_grad):
    """One step's STEP_STATS into row."""
    row[T_LOSS] = loss
    row[T_ACC] = acc
    row[T_GRAD_NORM] = gnorm
    row[T_GRAD_NORM_CLIPPED] = gclip
    row[T_LR] = lr
    row[T_LOSS_SCALE] = scale
    row[T_SKIPPED] = 1.0 if skip else 0.0
    # ||clipped|| / ||raw||: theta_c/||g|| under norm clipping, 1 when nothing was clipped
    row[T_CLIP_SCALE] = gclip / gnorm if finite_grad and gnorm > 0 else 1.0


@njit(**JIT)
def train_steps(theta, theta_w, s1, s2, running, scale_state, layout, cfg, hp, x_all, y_all, batch_idx,
                masks, lrs, record_slot, t0, do_update, xb, yb, Z, U, A, H, XH, MU, RS, D, D32, grad,
                scratch, emu, step_stats, layer_stats, hist, hist_extra, hist_range, trace, weff):
    """Run len(lrs) steps. Step i uses rows batch_idx[i], dropout masks[i],
    learning rate lrs[i]; when record_slot[i] >= 0 its statistics (taken after
    the forward/backward pass, before the update) go to that slot.

    theta_w is the weights the passes use: theta itself, or for emulated runs
    with float32 master weights the rounded working copy of theta.
    scale_state = [loss scale, clean steps since the last change]: the
    backward pass starts from dL/dlogits times the scale, the gradient is
    unscaled before clipping and the update. With dynamic scaling (cfg) a
    non-finite gradient skips the step and halves the scale; DYNAMIC_WINDOW
    clean steps double it (PyTorch's GradScaler).

    Returns the number of steps completed. A step whose loss, or (without
    dynamic scaling) gradient norm, is not finite ends the chunk without an
    update (recorded if it has a slot; the caller records it otherwise):
    exploding runs are data, not crashes.
    """
    n = batch_idx.shape[1]
    k = lrs.size
    dynamic = cfg[C_DYNAMIC] != 0
    # a run-time flag (not the literal True): one compiled forward serves
    # training and evaluation
    training = k > 0
    for i in range(k):
        for r in range(n):
            xb[r, :] = x_all[batch_idx[i, r]]
            yb[r] = y_all[batch_idx[i, r]]
        scale = scale_state[0]
        tw = effective_weights(theta_w, layout, cfg, weff)
        forward(tw, layout, cfg, hp, xb, masks[i], training, running, Z, U, A, H, XH, MU, RS)
        loss, correct = softmax_cross_entropy(U, A, layout, yb, n, D, scale)
        backward(tw, layout, cfg, hp, xb, masks[i], Z, U, A, H, XH, MU, RS, D, grad, scratch, D32, emu)
        weight_norm_backward(theta_w, layout, cfg, grad)
        if scale != 1.0:
            inv = 1.0 / scale
            for j in range(grad.size):
                grad[j] *= inv
        gnorm = global_norm(grad)
        finite_grad = math.isfinite(gnorm)
        skip = dynamic and math.isfinite(loss) and not finite_grad
        go_on = math.isfinite(loss) and (finite_grad or skip)
        slot = record_slot[i]
        if slot >= 0:  # before clipping: the statistics are of the raw loss gradient
            layer_statistics(theta_w, layout, cfg, n, U, A, D, grad, layer_stats[slot], hist[slot],
                             hist_extra[slot], hist_range, D32, emu, scale)
        gclip = clip(grad, hp, gnorm) if finite_grad and math.isfinite(loss) else gnorm
        t = t0 + i
        _trace(trace[t], loss, correct / n, gnorm, gclip, lrs[i], scale, skip, finite_grad)
        if slot >= 0:
            for s in range(len(STEP_STATS)):
                step_stats[slot, s] = trace[t, s]
            if hp[H_CLIP_NORM] > 0 or hp[H_CLIP_VALUE] > 0:
                clipped_layer_norms(grad, layout, layer_stats[slot])
            else:  # nothing clipped: the clipped norm is the raw one
                layer_stats[slot, :, S_GRAD_W_NORM_CLIPPED] = layer_stats[slot, :, S_GRAD_W_NORM]
        if not go_on:
            return i
        if not do_update:
            continue
        if skip:
            scale_state[0] = scale * 0.5
            scale_state[1] = 0
            continue
        update(theta, grad, s1, s2, layout, cfg, hp, lrs[i], t + 1, layer_stats[max(slot, 0)], slot >= 0)
        if cfg[C_MASTER] != 0 and cfg[C_ROUND] != NO_ROUND:
            theta_w[:] = theta
            round_array(theta_w, cfg[C_ROUND])
        if dynamic:
            scale_state[1] += 1
            if scale_state[1] >= DYNAMIC_WINDOW:
                scale_state[0] = scale * 2.0
                scale_state[1] = 0
    return k


@njit(**JIT)
def predict(theta, layout, cfg, hp, running, x, probs):
    """Evaluation-mode forward pass (no dropout, batch norm on running
    statistics) for the rows of x; class probabilities into probs.
    Works through x in blocks of rows so the buffers stay small."""
    n = x.shape[0]
    nl = layout.shape[0]
    block = min(n, 256)
    cols = layout[-1, COL] + layout[-1, N_OUT]
    mw = 1
    for l in range(nl):
        mw = max(mw, layout[l, N_OUT])
    Z = np.empty(block * cols, dtype=theta.dtype)
    U = np.empty_like(Z)
    A = np.empty_like(Z)
    H = np.empty_like(Z)
    XH = np.empty_like(Z)
    MU = np.empty((nl, max(block, mw)), dtype=theta.dtype)
    RS = np.empty_like(MU)
    mask = np.empty(0, dtype=np.uint8)
    tw = effective_weights(theta, layout, cfg, np.empty_like(theta))
    training = n < 0  # False, as a run-time value (see train_steps)
    for start in range(0, n, block):
        stop = min(n, start + block)
        xb = np.ascontiguousarray(x[start:stop])
        forward(tw, layout, cfg, hp, xb, mask, training, running, Z, U, A, H, XH, MU, RS)
        probs[start:stop, :] = _buf(A, layout, nl - 1, stop - start)


@njit(**JIT)
def loss_and_grad(theta, layout, cfg, hp, x, y, mask, running, grad):
    """Loss and dL/dtheta for one batch in training mode (used by the
    finite-difference tests; the training loop calls the same pieces)."""
    n = x.shape[0]
    cols = layout[-1, COL] + layout[-1, N_OUT]
    nl = layout.shape[0]
    mw = 1
    for l in range(nl):
        mw = max(mw, layout[l, N_OUT], layout[l, N_IN])
    Z = np.empty(n * cols, dtype=theta.dtype)
    U = np.empty_like(Z)
    A = np.empty_like(Z)
    H = np.empty_like(Z)
    XH = np.empty_like(Z)
    D = np.empty_like(Z)
    MU = np.empty((nl, max(n, mw)), dtype=theta.dtype)
    RS = np.empty_like(MU)
    scratch = np.empty((2, n * mw), dtype=theta.dtype)
    D32 = np.empty_like(Z)
    emu = np.zeros((nl, len(EMU)), dtype=np.int64)
    tw = effective_weights(theta, layout, cfg, np.empty_like(theta))
    training = n > 0  # True, as a run-time value (see train_steps)
    forward(tw, layout, cfg, hp, x, mask, training, running, Z, U, A, H, XH, MU, RS)
    loss, _ = softmax_cross_entropy(U, A, layout, y, n, D, 1.0)
    backward(tw, layout, cfg, hp, x, mask, Z, U, A, H, XH, MU, RS, D, grad, scratch, D32, emu)
    weight_norm_backward(theta, layout, cfg, grad)
    return loss
