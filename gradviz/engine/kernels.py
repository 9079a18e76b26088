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
def _copy(dst, src):
    """dst[i] = src[i] for flat arrays. An explicit loop: numba's slice
    assignment from an array (dst[:] = src) compiles the formatting of its
    shape-mismatch message, seconds of a cold start."""
    for i in range(src.size):
        dst[i] = src[i]


@njit(**JIT)
def _residual(cfg, layout, l):
    return cfg[C_RESIDUAL] != 0 and layout[l, N_IN] == layout[l, N_OUT]


@njit(**JIT)
def _output_is_a(cfg, layout, l, training):
    """Whether hidden layer l's output H equals its activation A (no dropout
    applied, no residual): then A's block serves as H and no copy is made
    (rounding H would change nothing: A is rounded already)."""
    return not (cfg[C_DROPOUT] != 0 and training) and not _residual(cfg, layout, l)


@njit(**JIT)
def _hbuf(cfg, layout, l, n, A, H, training):
    """Hidden layer l's output, (n, n_out): A's block or H's (_output_is_a)."""
    return _buf(A, layout, l, n) if _output_is_a(cfg, layout, l, training) else _buf(H, layout, l, n)


ROW_BLOCK = 4096  # elements per block of rows that the bias and the activation share while in cache


@njit(**JIT)
def _bias_activate(u, b, a, kind):
    """u += b on every row of the flat (rows x b.size) u, then a = phi(u), a
    block of rows at a time (both passes while the block is in cache; the same
    operations as two passes over the whole buffer)."""
    m = b.size
    n = u.size // m
    rows = max(1, ROW_BLOCK // m)
    for r0 in range(0, n, rows):
        r1 = min(n, r0 + rows)
        for r in range(r0, r1):
            row = u[r * m:(r + 1) * m]
            for j in range(m):
                row[j] += b[j]
        activate(u[r0 * m:r1 * m], a[r0 * m:r1 * m], kind)


@njit(**JIT)
def forward(theta, layout, cfg, hp, x, mask, training, running, Z, U, A, H, XH, MU, RS):
    """Forward pass for the n rows of x; fills the flat buffers.

    Z = h W + b, U = input of the nonlinearity (after the norm), A = phi(U),
    H = layer output after dropout and residual. For the output layer U holds
    the logits and A the softmax probabilities. XH, MU, RS keep the norm's
    x-hat, mean and 1/std for the backward pass. In training mode batch norm
    uses batch statistics and updates ``running``; otherwise it uses ``running``.

    Without batch/layer norm U equals Z, so the product goes straight into U
    (Z is left untouched), and where H equals A (_output_is_a) H is not
    written: _hbuf says which buffer holds a layer's output.
    """
    n = x.shape[0]
    nl = layout.shape[0]
    act = cfg[C_ACT]
    norm = cfg[C_NORM]
    fmt = cfg[C_ROUND]
    h = x
    for l in range(nl):
        m = layout[l, N_OUT]
        b = _vec(theta, layout, l, layout[l, B_OFF])
        u = _buf(U, layout, l, n)
        a = _buf(A, layout, l, n)
        normed = l < nl - 1 and (norm == NORM_BATCH or norm == NORM_LAYER)  # weight norm acts on W (effective_weights)
        z = _buf(Z, layout, l, n) if normed else u
        np.dot(h, _w(theta, layout, l), z)
        if l < nl - 1 and not normed and fmt == NO_ROUND:
            _bias_activate(_flat(U, layout, l, n), b, _flat(A, layout, l, n), act)
        else:
            for r in range(n):
                for j in range(m):
                    z[r, j] += b[j]
            round_array(z.ravel(), fmt)
        if l == nl - 1:  # output: logits -> softmax
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
        if normed:
            _norm_forward(z, u, _buf(XH, layout, l, n), _vec(theta, layout, l, layout[l, G_OFF]),
                          _vec(theta, layout, l, layout[l, BE_OFF]), norm, training, running[l], MU[l], RS[l])
            round_array(_flat(U, layout, l, n), fmt)
        if normed or fmt != NO_ROUND:
            activate(u.ravel(), a.ravel(), act)
        round_array(_flat(A, layout, l, n), fmt)
        if _output_is_a(cfg, layout, l, training):
            h = a
            continue
        hl = _buf(H, layout, l, n)
        if cfg[C_DROPOUT] != 0 and training:
            ms = mask[n * layout[l, COL]:n * layout[l, COL] + n * m].reshape((n, m))
            keep = hp[H_KEEP_SCALE]
            for r in range(n):
                for j in range(m):
                    hl[r, j] = a[r, j] * keep if ms[r, j] else 0.0
        else:
            _copy(_flat(H, layout, l, n), _flat(A, layout, l, n))
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
    delta_rms); grad receives dL/dtheta in theta's layout. dL/dh of layer l
    (dL/d(output of layer l)) is written into D's block of layer l and turned
    into dL/dz there, except for a residual layer, whose dL/dh is still needed
    after that (it flows on to the layer below): it goes to scratch, two flat
    blocks of n * (widest layer) alternating by layer. Layer outputs are read
    where forward left them (_hbuf). Emulated formats: D32 keeps dL/dz before
    rounding, emu[l] counts what rounding lost (EMU order).

    Returns, for float32 runs, each layer's sum of squared gradients (its
    block of grad, while it is still in cache; see grad_norm), else zeros.
    """
    n = x.shape[0]
    nl = layout.shape[0]
    act = cfg[C_ACT]
    norm = cfg[C_NORM]
    fmt = cfg[C_ROUND]
    colsum = np.empty(max_width(layout))
    part = np.zeros(nl)
    training = n > 0  # True, as a run-time value (see train_steps): backward follows a training forward
    for l in range(nl - 1, -1, -1):
        m = layout[l, N_OUT]
        k = layout[l, N_IN]
        dz = _buf(D, layout, l, n)
        if l < nl - 1:
            # dh holds dL/d(output of layer l); turn it into dL/dz
            u = _buf(U, layout, l, n)
            if _residual(cfg, layout, l):
                dh = scratch[l % 2, :n * m].reshape((n, m))
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
            _copy(_flat(D32, layout, l, n), _flat(D, layout, l, n))
            emu[l, 2] = round_array(_flat(D, layout, l, n), fmt)[0]
        h = x if l == 0 else _hbuf(cfg, layout, l - 1, n, A, H, training)
        gw = _w(grad, layout, l)
        np.dot(h.T, dz, gw)
        emu[l, 0], emu[l, 1] = round_array(gw.ravel(), fmt)
        gb = _vec(grad, layout, l, layout[l, B_OFF])
        # column sums row by row (contiguous, vectorises); each column still
        # adds its rows in order, into a float64 as before
        cs = colsum[:m]
        cs[:] = 0.0
        for r in range(n):
            for j in range(m):
                cs[j] += dz[r, j]
        for j in range(m):
            gb[j] = cs[j]
        round_array(gb, fmt)
        if grad.itemsize == 4:
            part[l] = _fsum(_block(grad, layout, l), SUM_SQ, 0.0)
        if l > 0:
            below = _residual(cfg, layout, l - 1)
            dflat = scratch[(l - 1) % 2, :n * k] if below else _flat(D, layout, l - 1, n)
            dprev = dflat.reshape((n, k))
            np.dot(dz, _w(theta, layout, l).T, dprev)
            if l < nl - 1 and _residual(cfg, layout, l):
                cur = scratch[l % 2, :n * m].reshape((n, m))
                for r in range(n):
                    for j in range(k):
                        dprev[r, j] += cur[r, j]
            round_array(dflat, fmt)
    return part


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
    _copy(weff, theta)
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
# statistics (computed from the buffers of the step being recorded)
#
# Summation order. float64 arrays are summed left to right, as the plain
# loops of the first version did (float addition is not associative: float64
# recordings stay byte-identical). float32 arrays are summed, still in a
# float64 accumulator, in LANES interleaved partial sums (element i into lane
# i mod LANES, the last n mod LANES into a tail, combined pairwise): LANES
# independent chains instead of one add waiting for the previous, which
# vectorises. Both orders are float64 sums of the same float32 terms; they
# differ only by the accumulator's rounding, at most about n * 2**-53 of the
# sum of |terms| (tests/engine/test_kernels_stats.py checks it).
#
# Histograms. One branch-free pass writes every value's class (below the
# range, bin, above, non-finite, zero) into an int32 buffer, a second pass
# tallies the classes in HIST_TALLIES interleaved rows (a run of values in
# one bin would otherwise wait on one counter). Counts are integers, exact
# in any order, so histograms are bit-identical to binning one value at a time.
# ---------------------------------------------------------------------------
LANES = 8
HIST_TALLIES = 8  # rows of interleaved counters (_tally is unrolled for exactly 8); 8 measured fastest
SUM_X, SUM_SQ, SUM_DEV = range(3)  # the term of _fsum: x, x*x, (x - c)**2


@njit(inline="always", **JIT)
def _term(x, kind, c):
    if kind == SUM_X:
        return x
    if kind == SUM_SQ:
        return x * x
    return (x - c) ** 2


@njit(**JIT)
def _fsum(v, kind, c):
    """The float64 sum of term(x) over v (order: see above). kind is passed as
    a constant, so each kind compiles to its own branch-free loop."""
    if v.itemsize == 8:
        s = 0.0
        for x in v:
            s += _term(x, kind, c)
        return s
    s0 = s1 = s2 = s3 = s4 = s5 = s6 = s7 = 0.0
    n8 = v.size - v.size % LANES
    for i in range(0, n8, LANES):
        s0 += _term(v[i], kind, c)
        s1 += _term(v[i + 1], kind, c)
        s2 += _term(v[i + 2], kind, c)
        s3 += _term(v[i + 3], kind, c)
        s4 += _term(v[i + 4], kind, c)
        s5 += _term(v[i + 5], kind, c)
        s6 += _term(v[i + 6], kind, c)
        s7 += _term(v[i + 7], kind, c)
    t = 0.0
    for i in range(n8, v.size):
        t += _term(v[i], kind, c)
    return (((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7))) + t


@njit(**JIT)
def _norm_and_change(old, new):
    """(sum old**2, sum (new - old)**2) in float64, in the order of _fsum: for
    float64 one left-to-right loop (as the update loop summed them before),
    for float32 LANES lanes of each."""
    if old.itemsize == 8:
        a = 0.0
        d = 0.0
        for i in range(old.size):
            w = old[i]
            a += w * w
            d += (new[i] - w) ** 2
        return a, d
    a0 = a1 = a2 = a3 = a4 = a5 = a6 = a7 = 0.0
    d0 = d1 = d2 = d3 = d4 = d5 = d6 = d7 = 0.0
    n8 = old.size - old.size % LANES
    for i in range(0, n8, LANES):
        a0 += old[i] * old[i]
        a1 += old[i + 1] * old[i + 1]
        a2 += old[i + 2] * old[i + 2]
        a3 += old[i + 3] * old[i + 3]
        a4 += old[i + 4] * old[i + 4]
        a5 += old[i + 5] * old[i + 5]
        a6 += old[i + 6] * old[i + 6]
        a7 += old[i + 7] * old[i + 7]
        d0 += (new[i] - old[i]) ** 2
        d1 += (new[i + 1] - old[i + 1]) ** 2
        d2 += (new[i + 2] - old[i + 2]) ** 2
        d3 += (new[i + 3] - old[i + 3]) ** 2
        d4 += (new[i + 4] - old[i + 4]) ** 2
        d5 += (new[i + 5] - old[i + 5]) ** 2
        d6 += (new[i + 6] - old[i + 6]) ** 2
        d7 += (new[i + 7] - old[i + 7]) ** 2
    at = 0.0
    dt = 0.0
    for i in range(n8, old.size):
        at += old[i] * old[i]
        dt += (new[i] - old[i]) ** 2
    return ((((a0 + a1) + (a2 + a3)) + ((a4 + a5) + (a6 + a7))) + at,
            (((d0 + d1) + (d2 + d3)) + ((d4 + d5) + (d6 + d7))) + dt)


@njit(**JIT)
def _sumsq(v):
    return _fsum(v, SUM_SQ, 0.0)


@njit(inline="always", **JIT)
def _class(x, lo, hi, nb, width):
    """The class of x on nb equal bins over [lo, hi] (see _classes)."""
    b = min(int((x - lo) / width), nb - 1) + 1
    c = 0 if x < lo else (nb + 1 if x > hi else b)
    return c if math.isfinite(x) else nb + 2


@njit(**JIT)
def _classes(v, lo, hi, nb, cls):
    """cls[i] = class of v[i] on nb equal bins over [lo, hi]: 0 below lo,
    1 + bin, nb + 1 above hi, nb + 2 non-finite. Branch-free (vectorises);
    the bin is int((x - lo) / width), the last bin closed, as always."""
    width = (hi - lo) / nb
    for i in range(v.size):
        cls[i] = _class(v[i], lo, hi, nb, width)


@njit(**JIT)
def _tally(cls, n, counts, extra, sub):
    """Add the classes cls[:n] (see _classes; nb + 3 = exact zero) to the
    histogram counts and its extra counts. sub: at least HIST_TALLIES * (nb + 4)
    int64, row t at t * (nb + 4); value i goes to row i mod HIST_TALLIES
    (unrolled: each row's offset is a constant of the loop body)."""
    nb = counts.size
    row = nb + 4
    sub[:HIST_TALLIES * row] = 0
    n8 = n - n % HIST_TALLIES
    r1 = row
    r2 = 2 * row
    r3 = 3 * row
    r4 = 4 * row
    r5 = 5 * row
    r6 = 6 * row
    r7 = 7 * row
    for i in range(0, n8, HIST_TALLIES):
        sub[cls[i]] += 1
        sub[r1 + cls[i + 1]] += 1
        sub[r2 + cls[i + 2]] += 1
        sub[r3 + cls[i + 3]] += 1
        sub[r4 + cls[i + 4]] += 1
        sub[r5 + cls[i + 5]] += 1
        sub[r6 + cls[i + 6]] += 1
        sub[r7 + cls[i + 7]] += 1
    for i in range(n8, n):
        sub[cls[i]] += 1
    for t in range(HIST_TALLIES):
        r = t * row
        for b in range(nb):
            counts[b] += sub[r + b + 1]
        extra[E_UNDER] += sub[r]
        extra[E_OVER] += sub[r + nb + 1]
        extra[E_NONFINITE] += sub[r + nb + 2]
        extra[E_ZERO] += sub[r + nb + 3]


# ---------------------------------------------------------------------------
# the log10|dL/dz| histogram without a log10 per value
#
# A value's bin is int((log10|x| - shift - lo) / width), below or above the
# range outside [lo, hi]. That class never decreases as |x| grows (log10 is
# monotone), and positive floats are ordered as their bit patterns, so it is
# fixed by nb + 1 thresholds: thr[k] = the smallest bit pattern of class >= k,
# each found with a few log10 calls by searching near 10**(lo + shift + k w).
# first[e] is the class of the smallest value with exponent field e; a value
# moves up from there past the thresholds inside its binade (usually 0 or 1).
# The classes are exactly those of the formula, not an approximation.
# ---------------------------------------------------------------------------
@njit(inline="always", **JIT)
def _log_class(ax, lo, hi, nb, width, shift):
    """The class (0 below, 1 + bin, nb + 1 above) of a finite |x| > 0, from log10."""
    y = math.log10(ax) - shift
    if y < lo:
        return 0
    if y > hi:
        return nb + 1
    return min(int((y - lo) / width), nb - 1) + 1


@njit(**JIT)
def _class_of_bits(bits, wide, lo, hi, nb, width, shift):
    """_log_class of the positive float64 (wide) or float32 with these bits."""
    if wide:
        return _log_class(np.uint64(bits).view(np.float64), lo, hi, nb, width, shift)
    return _log_class(np.uint32(bits).view(np.float32), lo, hi, nb, width, shift)


@njit(inline="always", **JIT)
def _bits_of(x, wide):
    """The bit pattern of x rounded to float64 (wide) or float32, as an int64."""
    if wide:
        return np.int64(np.float64(x).view(np.uint64))
    return np.int64(np.float32(x).view(np.uint32))


@njit(**JIT)
def _threshold(k, g, top, wide, lo, hi, nb, width, shift):
    """The smallest bit pattern in [1, top] whose class is >= k (top + 1 if
    none): gallop from the guess g until the answer is bracketed, then bisect.
    Bits 0 and top + 1 act as sentinels of class < k and >= k."""
    d = 1
    if _class_of_bits(g, wide, lo, hi, nb, width, shift) >= k:
        upper = g
        lower = g - 1
        while lower >= 1 and _class_of_bits(lower, wide, lo, hi, nb, width, shift) >= k:
            upper = lower
            d *= 2
            lower = upper - d
        lower = max(lower, 0)
    else:
        lower = g
        upper = g + 1
        while upper <= top and _class_of_bits(upper, wide, lo, hi, nb, width, shift) < k:
            lower = upper
            d *= 2
            upper = lower + d if d <= top - lower else top + 1
        upper = min(upper, top + 1)
    while upper - lower > 1:  # class(lower) < k <= class(upper)
        m = lower + ((upper - lower) >> 1)  # (lower + upper) would overflow int64 for float64 bits
        if _class_of_bits(m, wide, lo, hi, nb, width, shift) >= k:
            upper = m
        else:
            lower = m
    return upper


@njit(**JIT)
def _log_table(wide, lo, hi, nb, shift, thr, first):
    """Fill thr[0..nb+2] (thr[0] = 0, thr[nb+2] = above every finite value)
    and first[e] for the exponent fields e of float64 (wide) or float32."""
    top = 0x7FEFFFFFFFFFFFFF if wide else 0x7F7FFFFF  # the largest finite value's bits
    mant_bits = 52 if wide else 23
    width = (hi - lo) / nb
    thr[0] = 0
    for k in range(1, nb + 2):
        edge = lo + shift + (k - 1) * width if k <= nb else hi + shift
        g = _bits_of(10.0 ** min(edge, 400.0), wide)  # inf gives top + 1, clamped below
        g = min(max(g, 1), top)
        thr[k] = max(_threshold(k, g, top, wide, lo, hi, nb, width, shift), thr[k - 1])
    thr[nb + 2] = top + 1
    c = 0
    for e in range((top >> mant_bits) + 1):
        smallest = max(e << mant_bits, 1)
        while c < nb + 1 and thr[c + 1] <= smallest:
            c += 1
        first[e] = c


@njit(**JIT)
def _log_classes(v, wide, thr, first, nb, cls):
    """cls[i] for the value v[i] (float64 when wide, else float32) from the
    tables of _log_table: nb + 3 for zero, nb + 2 for non-finite."""
    mant_bits = 52 if wide else 23
    abs_mask = 0x7FFFFFFFFFFFFFFF if wide else 0x7FFFFFFF
    inf_bits = 0x7FF0000000000000 if wide else 0x7F800000
    for i in range(v.size):
        b = _bits_of(v[i], wide) & abs_mask
        if b == 0:
            cls[i] = nb + 3
        elif b >= inf_bits:
            cls[i] = nb + 2
        else:
            c = first[b >> mant_bits]
            c += thr[c + 1] <= b
            while thr[c + 1] <= b:  # only when bins are narrower than a binade
                c += 1
            cls[i] = c


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


PCT_BINS = 4096  # most bins of the first pass of percentiles (any count gives exact results)
PCT_PER_BIN = 4  # values per bin on average, so small layers don't pay for 4096 bins


@njit(**JIT)
def _minmax(v):
    """min, max and the number of non-finite values of v (min and max are
    meaningful only without NaN)."""
    bad = 0
    for i in range(v.size):
        bad += np.int64(not math.isfinite(v[i]))
    mn, mx = _lohi(v)
    return mn, mx, bad


@njit(**JIT)
def _lohi(v):
    """min and max of v (meaningful only without NaN). Four lanes each:
    independent chains."""
    a0 = a1 = a2 = a3 = b0 = b1 = b2 = b3 = v[0]
    n4 = v.size - v.size % 4
    for i in range(0, n4, 4):
        a0 = min(a0, v[i])
        a1 = min(a1, v[i + 1])
        a2 = min(a2, v[i + 2])
        a3 = min(a3, v[i + 3])
        b0 = max(b0, v[i])
        b1 = max(b1, v[i + 1])
        b2 = max(b2, v[i + 2])
        b3 = max(b3, v[i + 3])
    for i in range(n4, v.size):
        a0 = min(a0, v[i])
        b0 = max(b0, v[i])
    return min(min(a0, a1), min(a2, a3)), max(max(b0, b1), max(b2, b3))


@njit(**JIT)
def percentiles(v, q, work, out):
    """out[i] = the q[i]-th percentile of v for three ascending q strictly
    inside (0, 100), bit-identical to _percentiles_select (numpy's "linear"
    definition as numba's np.percentile computes it); see _percentiles_binned."""
    mn, mx, bad = _minmax(v)
    cls = np.empty(v.size, dtype=np.int32)
    pct = np.empty((3, PCT_BINS + 1), dtype=np.int64)
    _percentiles_binned(v, q, work, out, mn, mx, bad, cls, pct)


@njit(**JIT)
def _bin_of_rank(counts, k):
    """The last b with counts[b] <= k in the non-decreasing counts (where
    counts[b] = values before bin b): the bin holding the k-th smallest."""
    lo = 0
    hi = counts.size - 1
    while lo < hi:
        mid = (lo + hi + 1) >> 1
        if counts[mid] <= k:
            lo = mid
        else:
            hi = mid - 1
    return lo


@njit(**JIT)
def _percentiles_binned(v, q, work, out, mn, mx, bad, cls, pct):
    """percentiles() given v's min, max and non-finite count, with buffers
    cls (int32, v.size) and pct (3 x PCT_BINS + 1 int64). Branch-light passes:
    bin indices on about n / PCT_PER_BIN equal bins between min and max, their
    counts, then only the values in the (at most six) bins holding the needed
    order statistics are copied out and selected among. The bin of x,
    int((x - min) * scale), never decreases as x grows, so the k-th smallest
    value lies in the bin where the cumulative count passes k, at rank k minus
    the count before. NaN, Inf, one value or constant input: by selection alone."""
    n = v.size
    nb = min(PCT_BINS, max(16, n // PCT_PER_BIN))
    lo = np.float64(mn)
    scale = nb / (np.float64(mx) - lo)
    if bad > 0 or n == 1 or mn == mx or not math.isfinite(scale):  # (a range of a few subnormals: scale = inf)
        _percentiles_select(v, q, work, out)
        return
    # (x - min) * scale >= 0 for every x, so clamping before the conversion
    # gives min(int(...), nb - 1); int32 conversions vectorise
    top = nb - 1.0
    for i in range(n):
        cls[i] = np.int32(min((np.float64(v[i]) - lo) * scale, top))
    counts = pct[0, :nb + 1]
    slot = pct[1, :nb]
    fill = pct[2, :nb]
    counts[:] = 0
    for i in range(n):
        counts[cls[i] + 1] += 1
    for b in range(nb):
        counts[b + 1] += counts[b]  # counts[b] = values in bins before b
    k3, ms = _ranks(n, q)
    ks = np.empty(6, dtype=np.int64)
    for t in range(3):
        ks[2 * t] = k3[t]
        ks[2 * t + 1] = k3[t] + 1
    # the bins of the six ranks, and where each bin's values go in work
    slot[:] = -1
    fill[:] = 0
    for i in range(6):
        b = _bin_of_rank(counts, ks[i])
        slot[b] = counts[b]  # a bin's values keep their global positions
    for i in range(n):
        b = cls[i]
        if slot[b] >= 0:
            work[slot[b] + fill[b]] = v[i]
            fill[b] += 1
    vals = np.empty(6, dtype=work.dtype)
    for i in range(6):
        b = _bin_of_rank(counts, ks[i])
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
def _sums64(a, p, d):
    """(sum a, sum p, sum d*d) of float64 arrays, each left to right as _fsum,
    the three in one loop: independent chains that overlap instead of three
    passes each waiting on its own adds."""
    sa = 0.0
    sp = 0.0
    sd = 0.0
    for i in range(a.size):
        sa += a[i]
        sp += p[i]
        sd += d[i] * d[i]
    return sa, sp, sd


@njit(**JIT)
def _devs64(a, ca, p, cp):
    """(sum (a - ca)**2, sum (p - cp)**2) of float64 arrays, left to right as
    _fsum, both in one loop."""
    sa = 0.0
    sp = 0.0
    for i in range(a.size):
        sa += (a[i] - ca) ** 2
        sp += (p[i] - cp) ** 2
    return sa, sp


@njit(**JIT)
def _act_classes(a, act, lo, hi, nb, cls):
    """Saturated and exact-zero counts of the activations, and their
    histogram classes into cls (_classes), in one pass that vectorises."""
    width = (hi - lo) / nb
    th = np.int64(act == TANH)
    sg = np.int64(act == SIGMOID)
    sat = 0
    dead = 0
    for i in range(a.size):
        x = a[i]
        sat += th * np.int64(abs(x) > SATURATION) + sg * np.int64((x > SATURATION) | (x < 1.0 - SATURATION))
        dead += np.int64(x == 0)
        cls[i] = _class(x, lo, hi, nb, width)
    return sat, dead


@njit(**JIT)
def _grad_w_stats(gw, w):
    """sum of squares, exact zeros and non-finite count of a weight gradient,
    and the sum of squares of the weights (float64: the two sums in one loop)."""
    zeros = 0
    bad = 0
    if gw.itemsize == 8:
        sg = 0.0
        sw = 0.0
        for i in range(gw.size):
            g = gw[i]
            sg += g * g
            sw += w[i] * w[i]
            zeros += np.int64(g == 0)
            bad += np.int64(not math.isfinite(g))
        return sg, zeros, bad, sw
    for i in range(gw.size):
        zeros += np.int64(gw[i] == 0)
        bad += np.int64(not math.isfinite(gw[i]))
    return _fsum(gw, SUM_SQ, 0.0), zeros, bad, _fsum(w, SUM_SQ, 0.0)


@njit(**JIT)
def stats_buffers(U, layout, n, nb):
    """Work buffers of _layer_statistics for n rows and nb histogram bins,
    allocated once per chunk of steps: (work, cls, sub, pct, thr, first, key),
    key = the (lo, hi, loss scale) the log10 table thr/first was built for."""
    size = n * max_width(layout)
    return (np.empty(size, dtype=U.dtype), np.empty(size, dtype=np.int32),
            np.empty(HIST_TALLIES * (nb + 4), dtype=np.int64), np.empty((3, PCT_BINS + 1), dtype=np.int64),
            np.empty(nb + 3, dtype=np.int64), np.empty(2048, dtype=np.int64), np.full(3, np.nan))


@njit(**JIT)
def layer_statistics(theta, layout, cfg, n, U, A, D, grad, stats, hist, hist_extra, hist_range,
                     D32, emu, scale):
    """Fill stats[l, S_*] and the histograms of every layer from the buffers
    (see _layer_statistics; this one allocates its work buffers)."""
    _layer_statistics(theta, layout, cfg, n, U, A, D, grad, stats, hist, hist_extra, hist_range,
                      D32, emu, scale, stats_buffers(U, layout, n, hist.shape[-1]))


@njit(**JIT)
def _layer_statistics(theta, layout, cfg, n, U, A, D, grad, stats, hist, hist_extra, hist_range,
                      D32, emu, scale, bufs):
    """Fill stats[l, S_*] and the histograms of every layer from the buffers.

    Gradient quantities are of the raw loss gradient (before any clipping)
    in unscaled units (divided by the loss scale); for emulated formats the
    dL/dz statistics use the values before rounding (D32), and the rounding
    counters of this step become shares. Means and stds are two-pass (the
    std about the mean); non-finite counts come from the histogram passes.
    """
    work, cls, sub, pct, thr, first, key = bufs
    nl = layout.shape[0]
    act = cfg[C_ACT]
    fmt = cfg[C_ROUND]
    q = np.array([15.0, 50.0, 85.0])
    p = np.empty(3)
    nb = hist.shape[-1]
    for l in range(nl):
        pre = _flat(U, layout, l, n)
        a = _flat(A, layout, l, n)
        dz = _flat(D32 if fmt != NO_ROUND else D, layout, l, n)
        gw = _w(grad, layout, l).ravel()
        size = a.size
        st = stats[l]
        rg = hist_range[l]
        ex_a = hist_extra[l, HX_ACT]
        ex_p = hist_extra[l, HX_PRE]
        ex_d = hist_extra[l, HX_DELTA]
        bad0 = ex_a[E_NONFINITE] + ex_p[E_NONFINITE] + ex_d[E_NONFINITE]
        # sums: float64 runs add left to right, latency-bound, so the sums of
        # a, pre and dz share loops; float32 runs sum in lanes, one array at a
        # time next to that array's other passes (while it is in cache)
        wide = a.itemsize == 8
        sum_a = sum_p = sq_d = dev_a = dev_p = 0.0
        if wide:
            sum_a, sum_p, sq_d = _sums64(a, pre, dz)
            dev_a, dev_p = _devs64(a, sum_a / size, pre, sum_p / size)
        else:
            sum_a = _fsum(a, SUM_X, 0.0)
            dev_a = _fsum(a, SUM_DEV, sum_a / size)
        mean_a = sum_a / size
        # activations
        sat, dead = _act_classes(a, act, rg[HX_ACT, 0], rg[HX_ACT, 1], nb, cls)
        _tally(cls, size, hist[l, HX_ACT], ex_a, sub)
        st[S_ACT_MEAN] = mean_a
        st[S_ACT_STD] = math.sqrt(dev_a / size)
        st[S_SATURATION] = sat / size if l < nl - 1 and (act == TANH or act == SIGMOID) else np.nan
        st[S_DEAD] = dead / size
        # pre-activations
        if not wide:
            sum_p = _fsum(pre, SUM_X, 0.0)
            dev_p = _fsum(pre, SUM_DEV, sum_p / size)
        mean_p = sum_p / size
        before = ex_p[E_NONFINITE]
        _classes(pre, rg[HX_PRE, 0], rg[HX_PRE, 1], nb, cls)
        _tally(cls, size, hist[l, HX_PRE], ex_p, sub)
        mn, mx = _lohi(pre)
        _percentiles_binned(pre, q, work, p, mn, mx, ex_p[E_NONFINITE] - before, cls, pct)
        st[S_PRE_MEAN] = mean_p
        st[S_PRE_STD] = math.sqrt(dev_p / size)
        st[S_P15], st[S_P50], st[S_P85] = p[0], p[1], p[2]
        # dL/dz
        if not (rg[HX_DELTA, 0] == key[0] and rg[HX_DELTA, 1] == key[1] and scale == key[2]):
            _log_table(wide, rg[HX_DELTA, 0], rg[HX_DELTA, 1], nb, math.log10(scale), thr, first)
            key[0], key[1], key[2] = rg[HX_DELTA, 0], rg[HX_DELTA, 1], scale
        if not wide:
            sq_d = _fsum(dz, SUM_SQ, 0.0)
        _log_classes(dz, wide, thr, first, nb, cls)
        _tally(cls, size, hist[l, HX_DELTA], ex_d, sub)
        st[S_DELTA_RMS] = math.sqrt(sq_d / size) / scale
        # weights and their gradient
        sq_g, zeros, bad_g, sq_w = _grad_w_stats(gw, _w(theta, layout, l).ravel())
        st[S_GRAD_W_NORM] = math.sqrt(sq_g)  # grad is unscaled by now
        st[S_GRAD_ZERO] = zeros / gw.size
        st[S_W_NORM] = math.sqrt(sq_w)
        st[S_UPDATE_RATIO] = np.nan  # filled by the update, if one follows
        st[S_NONFINITE] = ex_a[E_NONFINITE] + ex_p[E_NONFINITE] + ex_d[E_NONFINITE] - bad0 + bad_g
        _rounding_shares(st, fmt, emu[l], gw.size, dz.size)
        st[S_UPDATE_LOST] = np.nan  # filled by the update, if one follows
        st[S_GRAD_W_NORM_CLIPPED] = np.nan  # filled after clipping (train_steps)


@njit(**JIT)
def _rounding_shares(st, fmt, counts, n_grad, n_delta):
    """A layer's rounding counters of this step (EMU order) as shares; NaN
    for runs that store no rounded format."""
    if fmt != NO_ROUND:
        st[S_GRAD_UNDERFLOW] = counts[0] / n_grad
        st[S_GRAD_OVERFLOW] = counts[1] / n_grad
        st[S_DELTA_UNDERFLOW] = counts[2] / n_delta
    else:
        st[S_GRAD_UNDERFLOW] = np.nan
        st[S_GRAD_OVERFLOW] = np.nan
        st[S_DELTA_UNDERFLOW] = np.nan


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
def _block(v, layout, l):
    """Layer l's parameters (W, b, gamma, beta) in theta's layout."""
    hi = layout[l + 1, W_OFF] if l + 1 < layout.shape[0] else v.size
    return v[layout[l, W_OFF]:hi]


@njit(**JIT)
def grad_norm(grad, layout, part, final):
    """The global gradient norm of a training step. float64: left to right
    over the whole vector (global_norm). float32: the layers' sums of squares
    (each layer's block in lanes, see _fsum) added in layer order, taken from
    backward's ``part`` when those are of the final gradient (``final``: no
    loss scale to divide out, no weight normalisation to apply), which saves
    a pass over every parameter."""
    if grad.itemsize == 8:
        return global_norm(grad)
    s = 0.0
    for l in range(layout.shape[0]):
        s += part[l] if final else _fsum(_block(grad, layout, l), SUM_SQ, 0.0)
    return math.sqrt(s)


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


@njit(inline="always", **JIT)
def _opt_change(opt, i, w, gi, s1, s2, lr, gamma, eps, alpha, b1, b2, c1, c2, wd):
    """The change of parameter i (gradient gi, weight decay already in it
    except for adamw), updating the optimizer state s1[i], s2[i]."""
    if opt == SGD or opt == NORMALIZED:
        return -lr * gi
    if opt == MOMENTUM:  # the lesson's form: v <- gamma v - lr g; w <- w + v
        s1[i] = gamma * s1[i] - lr * gi
        return s1[i]
    if opt == NESTEROV:  # v <- gamma v - lr g; w <- w + gamma v - lr g
        s1[i] = gamma * s1[i] - lr * gi
        return gamma * s1[i] - lr * gi
    if opt == ADAGRAD:
        s1[i] += gi * gi
        return -lr * gi / (math.sqrt(s1[i]) + eps)
    if opt == RMSPROP:
        s1[i] = alpha * s1[i] + (1 - alpha) * gi * gi
        return -lr * gi / (math.sqrt(s1[i]) + eps)
    # ADAM, ADAMW
    s1[i] = b1 * s1[i] + (1 - b1) * gi
    s2[i] = b2 * s2[i] + (1 - b2) * gi * gi
    step = -lr * (s1[i] / c1) / (math.sqrt(s2[i] / c2) + eps)
    if opt == ADAMW:
        step -= lr * wd * w
    return step


@njit(inline="always", **JIT)
def _steps(theta, g, s1, s2, opt, want, fmt, lr, hp, t, lo, hi, gscale):
    """The loop of optimizer_step for one optimizer; inlined where opt and
    want are constants, so the loop has no branch on them (and vectorises
    when nothing is recorded and the weights are stored unrounded)."""
    wd = hp[H_WD]
    eps = hp[H_EPS]
    gamma = hp[H_MOMENTUM]
    b1 = hp[H_BETA1]
    b2 = hp[H_BETA2]
    alpha = hp[H_ALPHA]
    c1 = 1 - b1 ** t
    c2 = 1 - b2 ** t
    wsq = 0.0
    dsq = 0.0
    lost = 0
    # slices, so the index runs from 0 (numba then needs no negative-index wraparound and the loop vectorises)
    th = theta[lo:hi]
    gr = g[lo:hi]
    m1 = s1[lo:hi]
    m2 = s2[lo:hi]
    for i in range(th.size):
        w = th[i]
        gi = gr[i] * gscale
        if opt != ADAMW:
            gi += wd * w
        step = _opt_change(opt, i, w, gi, m1, m2, lr, gamma, eps, alpha, b1, b2, c1, c2, wd)
        if fmt == NO_ROUND:
            th[i] = w + step
        else:
            th[i] = round_scalar(w + step, fmt)
        if want:  # the weight norm's sum rides along (the same order as _sumsq of float64)
            wsq += w * w
            lost += np.int64(th[i] == w and step != 0)
            dsq += (th[i] - w) ** 2
    return wsq, dsq, lost


WANT_NOTHING, WANT_NORMS, WANT_LOST = range(3)  # what optimizer_step returns


@njit(**JIT)
def _plain_steps(theta, g, s1, s2, opt, lr, hp, t, lo, hi, gscale):
    """The unrecorded, unrounded update. sgd, momentum and adam (and
    normalized, sgd on a scaled gradient) get a loop of their own with the
    code a constant, so it does not branch on it and vectorises; the others
    share one loop (each specialised copy costs about a second of cold compile)."""
    if opt == SGD or opt == NORMALIZED:
        return _steps(theta, g, s1, s2, SGD, False, NO_ROUND, lr, hp, t, lo, hi, gscale)
    if opt == MOMENTUM:
        return _steps(theta, g, s1, s2, MOMENTUM, False, NO_ROUND, lr, hp, t, lo, hi, gscale)
    if opt == ADAM:
        return _steps(theta, g, s1, s2, ADAM, False, NO_ROUND, lr, hp, t, lo, hi, gscale)
    return _steps(theta, g, s1, s2, opt, False, NO_ROUND, lr, hp, t, lo, hi, gscale)


@njit(**JIT)
def optimizer_step(theta, g, s1, s2, opt, lr, hp, t, lo, hi, gscale, fmt, want):
    """Update theta[lo:hi] in place. want = WANT_NORMS (a recorded step):
    return the squared norms of the weights before and of the change;
    WANT_LOST (a recorded step of an emulated run) also the count of updates
    lost to rounding (w + step stored as w although step != 0; fmt rounds the
    stored weights of an emulated run); WANT_NOTHING: (0, 0, 0).

    s1, s2 are the optimizer's state vectors; t is the 1-based update count
    (Adam's bias correction); gscale multiplies g (1/||g|| for `normalized`).
    Weight decay: L2 (g + wd*theta) for all but adamw, decoupled for adamw.
    The arithmetic is float64 whatever the run's dtype (gscale is a float64),
    rounded once where the weight is stored.
    """
    if fmt != NO_ROUND or want == WANT_LOST:  # emulated formats: one generic loop
        return _steps(theta, g, s1, s2, opt, want != WANT_NOTHING, fmt, lr, hp, t, lo, hi, gscale)
    if want == WANT_NORMS:  # the plain update below, then the norms from the weights before and after
        old = theta[lo:hi].copy()
        _plain_steps(theta, g, s1, s2, opt, lr, hp, t, lo, hi, gscale)
        wsq, dsq = _norm_and_change(old, theta[lo:hi])
        return wsq, dsq, 0  # not asked for: this run stores no rounded format
    return _plain_steps(theta, g, s1, s2, opt, lr, hp, t, lo, hi, gscale)


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
    opt = cfg[C_OPT]
    emulated = cfg[C_ROUND] != NO_ROUND
    want = WANT_LOST if emulated else WANT_NORMS
    nothing = want * 0  # WANT_NOTHING as a run-time value: one compiled optimizer_step
    for l in range(layout.shape[0]):
        lo = layout[l, W_OFF]
        hi_w = lo + layout[l, N_IN] * layout[l, N_OUT]
        hi = layout[l + 1, W_OFF] if l + 1 < layout.shape[0] else theta.size
        if record:
            wsq, dsq, lost = optimizer_step(theta, grad, s1, s2, opt, lr, hp, t, lo, hi_w, gscale, fmt, want)
            wn = math.sqrt(wsq)
            stats[l, S_UPDATE_RATIO] = math.sqrt(dsq) / wn if wn > 0 else np.inf
            if emulated:
                stats[l, S_UPDATE_LOST] = lost / (hi_w - lo)
            optimizer_step(theta, grad, s1, s2, opt, lr, hp, t, hi_w, hi, gscale, fmt, nothing)
        else:
            optimizer_step(theta, grad, s1, s2, opt, lr, hp, t, lo, hi, gscale, fmt, nothing)


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
    bufs = stats_buffers(U, layout, n, hist.shape[-1])  # once per call: the log10 table is kept across steps
    for i in range(k):
        for r in range(n):
            for c in range(xb.shape[1]):
                xb[r, c] = x_all[batch_idx[i, r], c]
            yb[r] = y_all[batch_idx[i, r]]
        scale = scale_state[0]
        tw = effective_weights(theta_w, layout, cfg, weff)
        forward(tw, layout, cfg, hp, xb, masks[i], training, running, Z, U, A, H, XH, MU, RS)
        loss, correct = softmax_cross_entropy(U, A, layout, yb, n, D, scale)
        part = backward(tw, layout, cfg, hp, xb, masks[i], Z, U, A, H, XH, MU, RS, D, grad, scratch, D32, emu)
        weight_norm_backward(theta_w, layout, cfg, grad)
        if scale != 1.0:
            inv = 1.0 / scale
            for j in range(grad.size):
                grad[j] *= inv
        gnorm = grad_norm(grad, layout, part, scale == 1.0 and cfg[C_NORM] != NORM_WEIGHT)
        finite_grad = math.isfinite(gnorm)
        skip = dynamic and math.isfinite(loss) and not finite_grad
        go_on = math.isfinite(loss) and (finite_grad or skip)
        slot = record_slot[i]
        if slot >= 0:  # before clipping: the statistics are of the raw loss gradient
            _layer_statistics(theta_w, layout, cfg, n, U, A, D, grad, layer_stats[slot], hist[slot],
                              hist_extra[slot], hist_range, D32, emu, scale, bufs)
        gclip = clip(grad, hp, gnorm) if finite_grad and math.isfinite(loss) else gnorm
        t = t0 + i
        _trace(trace[t], loss, correct / n, gnorm, gclip, lrs[i], scale, skip, finite_grad)
        if slot >= 0:
            for s in range(len(STEP_STATS)):
                step_stats[slot, s] = trace[t, s]
            if hp[H_CLIP_NORM] > 0 or hp[H_CLIP_VALUE] > 0:
                clipped_layer_norms(grad, layout, layer_stats[slot])
            else:  # nothing clipped: the clipped norm is the raw one
                for l in range(layout.shape[0]):
                    layer_stats[slot, l, S_GRAD_W_NORM_CLIPPED] = layer_stats[slot, l, S_GRAD_W_NORM]
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
            _copy(theta_w, theta)
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
        pb = _buf(A, layout, nl - 1, stop - start)
        for r in range(stop - start):
            for j in range(pb.shape[1]):
                probs[start + r, j] = pb[r, j]


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
