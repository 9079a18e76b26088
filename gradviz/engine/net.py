"""One network as the kernels see it: the parameter layout table, the initial
parameters, the integer/float configuration vectors, the fixed histogram
ranges, and `Net`, which owns a network's parameters, optimizer state and work
buffers and makes the one `train_steps` call.

The simulation loop (simulation.py) decides what to train and when; this
module decides how one network's memory is laid out.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from . import kernels as K
from ..inits import init_bias, init_weight
from ..names import ACTIVATIONS, NORMS, OPTIMIZERS

PRE_RANGE = 6.0  # linear histogram range of pre-activations: [-6, 6]
DELTA_LOG_RANGE = (-15.0, 3.0)  # log10 |dL/dz| histogram range

# emulated formats compute in float32 and round (kernels.round_array)
EMULATED = {"float16": K.ROUND_F16, "bfloat16": K.ROUND_BF16}
DYNAMIC_START = 2.0 ** 16  # PyTorch GradScaler's initial scale


def compute_dtype(model) -> np.dtype:
    return np.dtype(np.float32 if model.dtype in EMULATED else model.dtype)


# ---------------------------------------------------------------------------
# one network: parameters, optimizer state and work buffers
# ---------------------------------------------------------------------------
def build_layout(d_in: int, widths, classes: int, norm) -> np.ndarray:
    """The int64 layout table of kernels.py for these layer sizes.

    ``norm`` is a names.NORMS name or a bool (True: gamma and beta per
    hidden unit, as batch/layer norm). Weight normalisation ("weight") has
    one g per hidden unit in gamma's slot and no beta (the bias stays b)."""
    with_norm = norm not in (False, "none")
    with_beta = with_norm and norm != "weight"
    sizes = [d_in, *widths, classes]
    rows, off, col = [], 0, 0
    for l in range(len(sizes) - 1):
        n_in, n_out = sizes[l], sizes[l + 1]
        hidden = l < len(sizes) - 2
        w = off
        b = w + n_in * n_out
        off = b + n_out
        g = be = -1
        if hidden and with_norm:
            g, off = off, off + n_out
        if hidden and with_beta:
            be, off = off, off + n_out
        rows.append((w, b, g, be, n_in, n_out, col))
        col += n_out
    return np.array(rows, dtype=np.int64)


def n_params(layout: np.ndarray) -> int:
    last = layout[-1]
    return int(last[K.B_OFF] + last[K.N_OUT])


def init_theta(layout, model, rng, dtype) -> np.ndarray:
    theta = np.zeros(n_params(layout), dtype=dtype)
    # one child stream per layer: layer l's draw never depends on how the
    # layers before it were drawn (normal and uniform families use the bits
    # of a generator differently)
    for row, layer_rng in zip(layout, rng.spawn(len(layout))):
        n_in, n_out = int(row[K.N_IN]), int(row[K.N_OUT])
        w = init_weight(model.init, n_in, n_out, layer_rng, gain=model.init_gain, fixed_std=model.init_std)
        theta[row[K.W_OFF]:row[K.W_OFF] + n_in * n_out] = w.ravel()
        theta[row[K.B_OFF]:row[K.B_OFF] + n_out] = init_bias(n_out, layer_rng, model.bias_std)
        if row[K.G_OFF] >= 0 and model.norm == "weight":
            # g = ||v|| per output unit: the initial function is the un-normalised net's
            theta[row[K.G_OFF]:row[K.G_OFF] + n_out] = np.sqrt(np.sum(w.astype(np.float64) ** 2, axis=0))
        elif row[K.G_OFF] >= 0:
            theta[row[K.G_OFF]:row[K.G_OFF] + n_out] = 1.0  # gamma = 1, beta = 0
    return theta


def kernel_config(sc, dtype):
    """The kernels' int config and float hyper-parameter vectors of a scenario."""
    m, t = sc.model, sc.train
    cfg = np.zeros(K.N_CFG, dtype=np.int64)
    cfg[K.C_ACT] = ACTIVATIONS.index(m.activation)
    cfg[K.C_NORM] = NORMS.index(m.norm)
    cfg[K.C_RESIDUAL] = int(m.residual)
    cfg[K.C_OPT] = OPTIMIZERS.index(t.optimizer)
    cfg[K.C_DROPOUT] = int(m.dropout > 0)
    cfg[K.C_ROUND] = EMULATED.get(m.dtype, K.NO_ROUND)
    cfg[K.C_MASTER] = int(m.master_weights)
    cfg[K.C_DYNAMIC] = int(t.loss_scaling == "dynamic")
    hp = np.zeros(K.N_HP, dtype=dtype)
    hp[K.H_MOMENTUM] = t.momentum
    hp[K.H_BETA1], hp[K.H_BETA2] = t.betas
    hp[K.H_EPS] = t.eps
    hp[K.H_ALPHA] = t.alpha
    hp[K.H_WD] = t.weight_decay
    hp[K.H_CLIP_NORM] = t.clip_norm
    hp[K.H_CLIP_VALUE] = t.clip_value
    hp[K.H_KEEP_SCALE] = 1.0 / (1.0 - m.dropout)
    return cfg, hp


def hist_ranges(layout, activation: str) -> np.ndarray:
    """Fixed histogram ranges (layer, hist, lo/hi): activations over phi's
    image of [-6, 6], pre-activations over [-6, 6], log10|delta| over (-15, 3)."""
    nl = len(layout)
    out = np.zeros((nl, len(K.HISTS), 2))
    grid = np.linspace(-PRE_RANGE, PRE_RANGE, 2001)
    img = np.empty_like(grid)
    K.activate(grid, img, ACTIVATIONS.index(activation))
    out[:, K.HX_ACT] = (img.min(), img.max())
    out[-1, K.HX_ACT] = (0.0, 1.0)  # output layer: softmax probabilities
    out[:, K.HX_PRE] = (-PRE_RANGE, PRE_RANGE)
    out[:, K.HX_DELTA] = DELTA_LOG_RANGE
    return out


@dataclass
class Net:
    """One trained network (a variant's ensemble member) and its buffers."""
    theta: np.ndarray
    layout: np.ndarray
    cfg: np.ndarray
    hp: np.ndarray
    batch_size: int
    loss_scale: float = 1.0
    s1: np.ndarray = field(init=False)
    s2: np.ndarray = field(init=False)
    running: np.ndarray = field(init=False)

    def __post_init__(self):
        dt = self.theta.dtype
        nl = len(self.layout)
        mw = int(max(self.layout[:, K.N_OUT].max(), self.layout[1:, K.N_IN].max(initial=1)))
        n = self.batch_size
        cols = int(self.layout[-1, K.COL] + self.layout[-1, K.N_OUT])
        fmt = int(self.cfg[K.C_ROUND])
        if fmt != K.NO_ROUND:
            K.round_array(self.theta, fmt)  # the initial weights are stored in the format too
        # the weights the passes use: theta, or a rounded copy of float32 master weights
        master = fmt != K.NO_ROUND and self.cfg[K.C_MASTER] != 0
        self.theta_w = self.theta.copy() if master else self.theta
        self.scale_state = np.array([self.loss_scale, 0.0])
        self.emu = np.zeros((nl, len(K.EMU)), dtype=np.int64)
        self.s1 = np.zeros_like(self.theta)
        self.s2 = np.zeros_like(self.theta)
        self.running = np.zeros((max(nl - 1, 1), 2, mw), dtype=dt)
        self.running[:, 1, :] = 1.0  # running variance starts at 1, as PyTorch
        self.xb = np.zeros((n, int(self.layout[0, K.N_IN])), dtype=dt)
        self.yb = np.zeros(n, dtype=np.int64)
        self.bufs = [np.zeros(n * cols, dtype=dt) for _ in range(7)]  # Z U A H XH D D32
        self.MU = np.zeros((nl, max(n, mw)), dtype=dt)
        self.RS = np.zeros_like(self.MU)
        self.grad = np.zeros_like(self.theta)
        self.weff = np.zeros_like(self.theta)  # effective weights of weight normalisation
        self.scratch = np.zeros((2, n * mw), dtype=dt)
        self.mask_cols = n * int(self.layout[-1, K.COL])  # hidden units x batch

    def train(self, x, y, idx, masks, lrs, slots, t0, do_update, out):
        Z, U, A, H, XH, D, D32 = self.bufs
        return K.train_steps(self.theta, self.theta_w, self.s1, self.s2, self.running, self.scale_state,
                             self.layout, self.cfg, self.hp, x, y, idx, masks, lrs, slots, t0, do_update,
                             self.xb, self.yb, Z, U, A, H, XH, self.MU, self.RS, D, D32, self.grad,
                             self.scratch, self.emu, out.step_stats, out.layer_stats, out.hist,
                             out.hist_extra, out.hist_range, out.trace, self.weff)

    def predict(self, x) -> np.ndarray:
        probs = np.empty((len(x), int(self.layout[-1, K.N_OUT])), dtype=self.theta.dtype)
        if len(x):
            K.predict(self.theta_w, self.layout, self.cfg, self.hp, self.running, x, probs)
        return probs

    def snapshot(self):
        return self.theta.copy(), self.running.copy()

    def restore(self, snap):
        self.theta[:], self.running[:] = snap
        if self.theta_w is not self.theta:
            self.theta_w[:] = self.theta
            K.round_array(self.theta_w, int(self.cfg[K.C_ROUND]))
