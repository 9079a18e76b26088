"""Weight-initialisation schemes, each with its exact standard deviation.

A weight matrix has shape ``(n_in, n_out)`` (``h_next = h @ W + b``). Every
scheme below is stated by its per-entry **standard deviation** (not its
variance); ``gain`` multiplies that std (and, for the uniform schemes, the
bound ``a = sqrt(3) * std``).

Shared-stream rule
------------------
Comparing inits with the same seed must differ only by the knob, so every
scheme of a family draws the *same* raw numbers and only rescales them:

* normal family (``normal``, ``gaussian``, ``glorot``, ``he``, ``orthogonal``
  and ``fixed_std``) draws ``rng.standard_normal((n_in, n_out))``;
* uniform family (``uniform``, ``glorot_uniform``, ``he_uniform``) draws
  ``rng.uniform(-1, 1, (n_in, n_out))``.

So with one seed, ``he`` is exactly ``sqrt(2 / n_in)`` times ``normal``, and
``orthogonal`` is the orthonormalised version of that same Gaussian matrix.
Both families consume the generator differently (the Gaussian sampler uses a
variable number of raw bits per value), so after a normal-family and a
uniform-family draw the generator states differ: give each layer its own
child generator if later draws must not depend on the family.

Draws are made in float64 and then cast to ``dtype``.
"""
from __future__ import annotations

import math
import operator
from dataclasses import dataclass
from typing import Callable

import numpy as np

__all__ = ["Scheme", "SCHEMES", "ALIASES", "resolve", "init_std", "init_weight", "init_bias", "schemes_table",
           "aliases_table"]


@dataclass(frozen=True)
class Scheme:
    """One init scheme.

    ``std(n_in, n_out)`` is the exact per-entry standard deviation at gain 1
    (for ``orthogonal`` the exact per-entry root mean square, see there).
    ``formula`` is the std as a clean string for tables, ``distribution`` the
    law the entries follow, ``family`` one of ``normal``, ``uniform`` or
    ``orthogonal`` (which raw stream is drawn, see the module docstring).
    Uniform schemes also have ``bound(n_in, n_out)``, the exact ``a`` of
    U[-a, a] at gain 1 (``std = a / sqrt(3)``).
    """

    name: str
    doc: str
    formula: str
    distribution: str
    family: str
    std: Callable[[int, int], float]
    bound: Callable[[int, int], float] | None = None


def _s_normal(n_in: int, n_out: int) -> float:
    """std = 1: plain N(0, 1), ignores the layer size."""
    return 1.0


def _s_uniform(n_in: int, n_out: int) -> float:
    """U[-1/sqrt(n_in), +1/sqrt(n_in)], so std = 1 / sqrt(3 n_in)."""
    return 1.0 / math.sqrt(3.0 * n_in)


def _s_gaussian(n_in: int, n_out: int) -> float:
    """N(0, 1/n_in) (variance 1/n_in), i.e. std = 1 / sqrt(n_in) (LeCun normal)."""
    return 1.0 / math.sqrt(n_in)


def _s_glorot(n_in: int, n_out: int) -> float:
    """std = sqrt(2 / (n_in + n_out)) (Glorot & Bengio 2010)."""
    return math.sqrt(2.0 / (n_in + n_out))


def _s_he(n_in: int, n_out: int) -> float:
    """std = sqrt(2 / n_in) (He et al. 2015, for ReLU)."""
    return math.sqrt(2.0 / n_in)


def _s_orthogonal(n_in: int, n_out: int) -> float:
    """Entry RMS = 1 / sqrt(max(n_in, n_out)) (exact, see ``orthogonal``)."""
    return 1.0 / math.sqrt(max(n_in, n_out))


SCHEMES: dict[str, Scheme] = {
    s.name: s
    for s in (
        Scheme(
            "normal",
            "Standard normal N(0, 1) regardless of layer size; std = 1.",
            "std = 1",
            "N(0, std²)",
            "normal",
            _s_normal,
        ),
        Scheme(
            "uniform",
            "Uniform on [-1/sqrt(n_in), +1/sqrt(n_in)]; std = 1/sqrt(3 n_in).",
            "std = 1 / sqrt(3 n_in)",
            "U[-a, a], a = 1 / sqrt(n_in)",
            "uniform",
            _s_uniform,
            lambda n_in, n_out: 1.0 / math.sqrt(n_in),
        ),
        Scheme(
            "gaussian",
            "Normal with variance 1/n_in, N(0, 1/n_in); std = 1/sqrt(n_in) (LeCun normal).",
            "std = 1 / sqrt(n_in)",
            "N(0, std²)",
            "normal",
            _s_gaussian,
        ),
        Scheme(
            "glorot",
            "Xavier/Glorot normal; std = sqrt(2/(n_in + n_out)).",
            "std = sqrt(2 / (n_in + n_out))",
            "N(0, std²)",
            "normal",
            _s_glorot,
        ),
        Scheme(
            "glorot_uniform",
            "Xavier/Glorot uniform on [-a, a], a = sqrt(6/(n_in + n_out)); std = sqrt(2/(n_in + n_out)).",
            "std = sqrt(2 / (n_in + n_out))",
            "U[-a, a], a = sqrt(6 / (n_in + n_out))",
            "uniform",
            _s_glorot,
            lambda n_in, n_out: math.sqrt(6.0 / (n_in + n_out)),
        ),
        Scheme(
            "he",
            "He/Kaiming normal for ReLU; std = sqrt(2/n_in).",
            "std = sqrt(2 / n_in)",
            "N(0, std²)",
            "normal",
            _s_he,
        ),
        Scheme(
            "he_uniform",
            "He/Kaiming uniform on [-a, a], a = sqrt(6/n_in); std = sqrt(2/n_in).",
            "std = sqrt(2 / n_in)",
            "U[-a, a], a = sqrt(6 / n_in)",
            "uniform",
            _s_he,
            lambda n_in, n_out: math.sqrt(6.0 / n_in),
        ),
        Scheme(
            "orthogonal",
            "(Semi-)orthogonal matrix (Saxe et al. 2014): orthonormal columns if n_in >= n_out, "
            "else orthonormal rows; entry RMS = 1/sqrt(max(n_in, n_out)).",
            "RMS = 1 / sqrt(max(n_in, n_out))",
            "Q of QR(N(0, 1) matrix), sign-corrected",
            "orthogonal",
            _s_orthogonal,
        ),
    )
}


@dataclass(frozen=True)
class Alias:
    """A PyTorch or Keras name for one of the schemes above: same std, stated exactly."""

    name: str
    target: str
    formula: str  # the library's own definition, in n_in = fan_in, n_out = fan_out
    note: str


# PyTorch's torch.nn.init defaults (mode="fan_in", nonlinearity="leaky_relu", a=0,
# so gain = sqrt(2)) and Keras's initializers. Keras draws its *_normal from a
# normal truncated at 2 std and rescaled so the std is exact: same std, lighter tails.
_ALIASES = (
    Alias("kaiming_normal", "he", "std = sqrt(2 / n_in)", "PyTorch kaiming_normal_ (a = 0, fan_in)"),
    Alias("he_normal", "he", "std = sqrt(2 / n_in)", "Keras he_normal (truncated normal, same std)"),
    Alias("kaiming_uniform", "he_uniform", "U[-a, a], a = sqrt(6 / n_in)",
          "PyTorch kaiming_uniform_ (a = 0, fan_in); nn.Linear's own default (a = sqrt(5)) is `uniform`"),
    Alias("xavier_normal", "glorot", "std = sqrt(2 / (n_in + n_out))", "PyTorch xavier_normal_ (gain 1)"),
    Alias("glorot_normal", "glorot", "std = sqrt(2 / (n_in + n_out))",
          "Keras glorot_normal (truncated normal, same std)"),
    Alias("xavier_uniform", "glorot_uniform", "U[-a, a], a = sqrt(6 / (n_in + n_out))",
          "PyTorch xavier_uniform_ (gain 1), Keras glorot_uniform"),
    Alias("lecun_normal", "gaussian", "std = sqrt(1 / n_in)", "Keras lecun_normal (truncated normal, same std)"),
)
#: Accepted other names -> the scheme they are (``model.init = "kaiming_normal"`` runs ``he``).
ALIASES: dict[str, str] = {a.name: a.target for a in _ALIASES}


def resolve(scheme: str) -> str:
    """The scheme name for ``scheme`` or one of its :data:`ALIASES`."""
    return ALIASES.get(scheme, scheme) if isinstance(scheme, str) else scheme


def _scheme(scheme: str) -> Scheme:
    try:
        return SCHEMES[resolve(scheme)]
    except (KeyError, TypeError):
        raise ValueError(
            f"unknown init scheme {scheme!r}; known: {', '.join(SCHEMES)}"
        ) from None


def _size(name: str, value) -> int:
    try:
        v = operator.index(value)
    except TypeError:
        raise ValueError(f"{name} must be an integer, got {value!r}") from None
    if v < 1:
        raise ValueError(f"{name} must be >= 1, got {v}")
    return v


def _nonneg(name: str, value) -> float:
    v = float(value)
    if not math.isfinite(v) or v < 0:
        raise ValueError(f"{name} must be a finite number >= 0, got {value!r}")
    return v


def init_std(
    scheme: str,
    n_in: int,
    n_out: int,
    gain: float = 1.0,
    fixed_std: float | None = None,
) -> float:
    """Per-entry std of ``init_weight`` with the same arguments.

    ``gain * SCHEMES[scheme].std(n_in, n_out)``, or ``fixed_std`` when given
    (then the scheme and ``gain`` are ignored). For ``orthogonal`` this is the
    exact entry RMS, ``gain / sqrt(max(n_in, n_out))``.
    """
    s = _scheme(scheme)
    n_in = _size("n_in", n_in)
    n_out = _size("n_out", n_out)
    if fixed_std is not None:
        return _nonneg("fixed_std", fixed_std)
    return _nonneg("gain", gain) * s.std(n_in, n_out)


def _orthogonal(z: np.ndarray) -> np.ndarray:
    """Semi-orthogonal matrix from a Gaussian ``z`` of shape (n_in, n_out).

    Tall (n_in >= n_out): ``Q`` of the reduced QR of ``z`` with each column
    multiplied by ``sign(R[j, j])`` (so the result is Haar-distributed and
    unique), giving ``Q.T @ Q = I_{n_out}``. Wide: the same on ``z.T`` and
    transposed back, giving ``Q @ Q.T = I_{n_in}``. Either way the sum of
    squares is ``min(n_in, n_out)``, so the entry RMS is exactly
    ``1 / sqrt(max(n_in, n_out))``.
    """
    wide = z.shape[0] < z.shape[1]
    a = z.T if wide else z
    q, r = np.linalg.qr(a, mode="reduced")
    d = np.sign(np.diagonal(r))
    d[d == 0] = 1.0
    q = q * d
    return q.T if wide else q


def init_weight(
    scheme: str,
    n_in: int,
    n_out: int,
    rng: np.random.Generator,
    gain: float = 1.0,
    fixed_std: float | None = None,
    dtype=np.float64,
) -> np.ndarray:
    """A ``(n_in, n_out)`` weight matrix drawn from ``scheme``.

    Per scheme (``gain`` multiplies every std and every uniform bound):

    * ``normal``: N(0, 1), std = 1.
    * ``uniform``: U[-a, a] with a = 1/sqrt(n_in), std = 1/sqrt(3 n_in).
    * ``gaussian``: N(0, 1/n_in) (variance), std = 1/sqrt(n_in).
    * ``glorot``: normal, std = sqrt(2/(n_in + n_out)).
    * ``glorot_uniform``: U[-a, a], a = sqrt(6/(n_in + n_out)),
      std = sqrt(2/(n_in + n_out)).
    * ``he``: normal, std = sqrt(2/n_in).
    * ``he_uniform``: U[-a, a], a = sqrt(6/n_in), std = sqrt(2/n_in).
    * ``orthogonal``: ``gain * Q`` with Q semi-orthogonal (orthonormal
      columns, ``W.T @ W = gain² I``, when n_in >= n_out; orthonormal rows,
      ``W @ W.T = gain² I``, otherwise); entry RMS exactly
      gain/sqrt(max(n_in, n_out)). Entries are not independent.

    ``fixed_std`` overrides the scheme: N(0, fixed_std²), and ``gain`` does
    not apply. Normal-family draws and ``fixed_std`` use
    ``rng.standard_normal((n_in, n_out))``, uniform-family draws
    ``rng.uniform(-1, 1, (n_in, n_out))`` (the shared-stream rule), always in
    float64, then cast to ``dtype``.
    """
    std = init_std(scheme, n_in, n_out, gain, fixed_std)  # validates everything
    s = _scheme(scheme)
    shape = (int(n_in), int(n_out))
    if fixed_std is not None:
        w = std * rng.standard_normal(shape)
    elif s.family == "normal":
        w = std * rng.standard_normal(shape)
    elif s.family == "uniform":
        a = float(gain) * s.bound(*shape)
        w = a * rng.uniform(-1.0, 1.0, shape)
    else:  # orthogonal
        w = float(gain) * _orthogonal(rng.standard_normal(shape))
    return np.ascontiguousarray(w, dtype=np.float64).astype(dtype, copy=False)


def init_bias(
    n_out: int,
    rng: np.random.Generator,
    bias_std: float = 0.0,
    dtype=np.float64,
) -> np.ndarray:
    """Bias vector of length ``n_out``: N(0, bias_std²), zeros when bias_std is 0.

    Always draws ``rng.standard_normal(n_out)``, even for ``bias_std = 0``,
    so that changing ``bias_std`` does not shift the draws of later layers.
    """
    n_out = _size("n_out", n_out)
    bias_std = _nonneg("bias_std", bias_std)
    z = rng.standard_normal(n_out)
    b = np.zeros(n_out) if bias_std == 0.0 else bias_std * z
    return b.astype(dtype, copy=False)


def schemes_table() -> str:
    """Markdown table of ``SCHEMES`` (name, distribution, std, description)."""
    rows = ["| init | distribution | std | description |", "|---|---|---|---|"]
    for s in SCHEMES.values():
        rows.append(f"| `{s.name}` | {s.distribution} | {s.formula} | {s.doc} |")
    return "\n".join(rows) + "\n\n" + aliases_table()


def aliases_table() -> str:
    """Markdown table of :data:`ALIASES`: each other name, its formula, the scheme it runs."""
    rows = ["| also accepted | its definition | runs | source |", "|---|---|---|---|"]
    for a in _ALIASES:
        rows.append(f"| `{a.name}` | {a.formula} | `{a.target}` | {a.note} |")
    return "\n".join(rows)
