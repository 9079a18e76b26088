"""Datasets: synthetic 2-D sets, a Gaussian teacher task, digits and .npz files.

``make_dataset`` builds the raw points, shuffles them with the given
generator, splits off a validation fraction and scales the features with a
scaler fitted on the training split only. Everything random comes from the
one ``numpy.random.Generator`` passed in, so the same seed gives identical
arrays (scaling draws nothing: changing ``scale`` leaves the split alone).

Kinds and what ``noise`` means for each:

* ``spirals``: ``classes`` interleaved arms (CS231n style). Arm ``j`` has
  radius ``r = linspace(0, 1)`` and angle ``4 r + 2 pi j / classes`` plus
  ``noise * N(0, 1)`` radians. (CS231n offsets the arms by 4 rad instead of
  ``2 pi / classes``; for 3 classes the pictures nearly agree.)
* ``circles``: ``classes`` concentric rings of radius ``(j + 1) / classes``,
  evenly spaced angles, plus isotropic ``noise * N(0, 1)`` on each coordinate.
* ``xor``: four blobs centred at ``(+-0.5, +-0.5)`` with std ``noise``;
  a blob's label is 0 where the centre's coordinates have the same sign, 1
  otherwise (labels follow the blob, so large noise means overlapping
  classes). ``classes`` must be 2 (or 0).
* ``moons``: two interleaving half circles (as scikit-learn's make_moons,
  shifted by (-0.5, -0.25) so they are centred) plus isotropic
  ``noise * N(0, 1)``. ``classes`` must be 2 (or 0).
* ``blobs``: ``classes`` Gaussian blobs with std ``noise`` centred on the
  unit circle at angles ``2 pi j / classes``.
* ``gaussian``: ``x ~ N(0, I)`` in ``features`` dimensions; labels are the
  argmax of ``x @ T + noise * N(0, 1)`` for a teacher ``T ~ N(0, 1)`` of
  shape ``(features, classes)`` drawn first from the same generator (so the
  teacher depends only on the seed, ``features`` and ``classes``). ``noise``
  is label noise on the logits. Class counts are whatever the teacher gives.
* ``digits``: the 8x8 digits shipped in ``gradviz/datasets/digits.npz`` (UCI
  Optical Recognition of Handwritten Digits, CC BY 4.0; 1797 images, 64
  features, values 0..16, read offline with numpy). ``classes`` 0 or 10 keeps
  all digits; ``k`` in 2..9 keeps the digits ``0..k-1``. ``samples`` 0 (or at
  least the number of images) keeps all, otherwise a random subset of that size.
* ``file``: an ``.npz`` at ``path`` with ``X`` (n, d) numbers and ``y`` (n,)
  integer labels ``0..k-1``, optionally ``feature_names`` (d strings).
  ``classes`` 0 infers ``k = max(y) + 1`` and then requires every label
  ``0..k-1`` to occur; an explicit ``classes`` only requires labels below it.
  ``samples`` subsamples as for digits.

For the synthetic 2-D kinds, ``samples`` points are split evenly across the
classes (the remainder going to the first classes), so every class is
present; ``samples`` must be at least ``classes``. ``features`` is used only
by ``gaussian``; the other kinds fix their own dimension.

Split: after shuffling, the last ``round(validation * n)`` points (Python
``round``, ties to even) form the validation set; ``validation = 0`` gives a
validation set of shape ``(0, d)``. At least one training point must remain.

Mixed units (``feature_scale = [lo, hi]``, default ``[1, 1]``): before the
split, feature ``j`` of ``d`` is multiplied by ``lo * (hi / lo) ** (j / (d - 1))``,
factors evenly spaced in log scale from ``lo`` to ``hi`` (see
``feature_factors``), as if every feature were measured in its own unit.
``[0.01, 100]`` spreads the digits' 0..16 pixels from 0..0.16 to 0..1600
(four orders of magnitude); ``[15.9375, 15.9375]`` gives 0..255 pixels. It
draws nothing, so the split is the same as without it; ``unit``,
``symmetric`` and ``standard`` undo it up to rounding (they are per-feature
affine; a feature constant on the training split is only shifted, so its
validation values keep their unit), while ``none`` feeds the mixed units to
the network.
``raw_range`` is of these multiplied features.

Scales (fitted per feature on the training split, applied to both splits):

* ``none``: raw values;
* ``unit``: ``(x - min) / (max - min)``, training split exactly in [0, 1];
* ``symmetric``: ``2 (x - min) / (max - min) - 1``, exactly in [-1, 1];
* ``standard``: ``(x - mean) / std`` (population std, ddof 0).

A feature that is constant on the training split (e.g. the always-blank
corner pixels of digits) is only shifted, never divided: it becomes
``x - c`` (0 on the training split) under every scale but ``none``.
Validation points may fall outside the training range; they are not clipped.
"""
from __future__ import annotations

import functools
import math
import operator
import os
from dataclasses import dataclass

import numpy as np

from .names import DATA_KINDS as KINDS, SCALES  # the one list of names

__all__ = ["Dataset", "Scaler", "make_dataset", "feature_factors", "KINDS", "SCALES", "DIGITS_HINT"]

_TWO_D = ("spirals", "circles", "xor", "moons", "blobs")
_FIXED_CLASSES = {"xor": 2, "moons": 2}
# data.classes = 0 means the dataset's own count (file: from the labels)
DEFAULT_CLASSES = {"spirals": 3, "circles": 2, "xor": 2, "moons": 2, "blobs": 3, "gaussian": 3,
                   "digits": 10, "file": 0}

DIGITS_HINT = "the digits file ships with gradviz: reinstall gradviz-edu (`pip install --force-reinstall .`)"


# -- scaling ---------------------------------------------------------------
@dataclass(frozen=True, eq=False)
class Scaler:
    """Per-feature scaling fitted on a training split.

    ``lo``/``hi`` are the per-feature min/max, ``mean``/``std`` the mean and
    population std, ``constant`` marks features with ``hi == lo``.
    ``apply(x)`` maps raw features the way ``make_dataset`` did (useful for
    evaluating a model on a grid given in raw coordinates).
    """

    kind: str
    lo: np.ndarray
    hi: np.ndarray
    mean: np.ndarray
    std: np.ndarray
    constant: np.ndarray

    @classmethod
    def fit(cls, kind: str, x: np.ndarray) -> "Scaler":
        if kind not in SCALES:
            raise ValueError(f"unknown scale {kind!r}; known: {', '.join(SCALES)}")
        x = np.asarray(x, dtype=np.float64)
        lo, hi = x.min(axis=0), x.max(axis=0)
        return cls(kind, lo, hi, x.mean(axis=0), x.std(axis=0), hi == lo)

    def apply(self, x) -> np.ndarray:
        x = np.asarray(x, dtype=np.float64)
        if self.kind == "none":
            return np.array(x, dtype=np.float64, order="C")
        c = self.constant
        shifted = x - self.lo  # the only transform constant features get
        if self.kind == "standard":
            out = (x - self.mean) / np.where(c, 1.0, self.std)
        else:
            out = shifted / np.where(c, 1.0, self.hi - self.lo)
            if self.kind == "symmetric":
                out = 2.0 * out - 1.0
        out = np.where(c, shifted, out)
        return np.ascontiguousarray(out, dtype=np.float64)


# -- the dataset -------------------------------------------------------------
@dataclass(frozen=True, eq=False)
class Dataset:
    """Scaled training and validation splits.

    ``x_*`` are C-contiguous float64 ``(n, d)``, ``y_*`` int64 ``(n,)`` with
    labels in ``0..classes-1``. ``raw_range`` is the (min, max) over all raw
    training features before scaling, e.g. ``(0.0, 16.0)`` for digits.
    """

    x_train: np.ndarray
    y_train: np.ndarray
    x_val: np.ndarray
    y_val: np.ndarray
    classes: int
    feature_names: tuple[str, ...] | None
    scale: str
    raw_range: tuple[float, float]
    scaler: Scaler | None = None

    @property
    def features(self) -> int:
        return int(self.x_train.shape[1])

    def transform(self, x_raw) -> np.ndarray:
        """Scale raw features exactly as the stored splits were scaled."""
        if self.scaler is None:
            return np.array(x_raw, dtype=np.float64, order="C")
        return self.scaler.apply(x_raw)


# -- argument checks ---------------------------------------------------------
def _int(name: str, value, minimum: int) -> int:
    try:
        v = operator.index(value)
    except TypeError:
        raise ValueError(f"data.{name} must be an integer, got {value!r}") from None
    if v < minimum:
        raise ValueError(f"data.{name} must be >= {minimum}, got {v}")
    return v


def _per_class(samples: int, classes: int) -> list[int]:
    q, r = divmod(samples, classes)
    return [q + (j < r) for j in range(classes)]


# -- synthetic kinds -----------------------------------------------------------
def _spirals(counts, noise, rng):
    k = len(counts)
    xs, ys = [], []
    for j, n in enumerate(counts):
        r = np.linspace(0.0, 1.0, n)
        t = 4.0 * r + 2.0 * math.pi * j / k + noise * rng.standard_normal(n)
        xs.append(np.column_stack([r * np.cos(t), r * np.sin(t)]))
        ys.append(np.full(n, j))
    return xs, ys


def _circles(counts, noise, rng):
    k = len(counts)
    xs, ys = [], []
    for j, n in enumerate(counts):
        t = np.linspace(0.0, 2.0 * math.pi, n, endpoint=False)
        r = (j + 1) / k
        pts = np.column_stack([r * np.cos(t), r * np.sin(t)])
        xs.append(pts + noise * rng.standard_normal((n, 2)))
        ys.append(np.full(n, j))
    return xs, ys


def _xor(samples, noise, rng):
    # Blob order alternates labels so the even split holds: class 0 gets
    # blobs 0 and 2, class 1 blobs 1 and 3.
    centres = np.array([[0.5, 0.5], [-0.5, 0.5], [-0.5, -0.5], [0.5, -0.5]])
    xs, ys = [], []
    for b, n in enumerate(_per_class(samples, 4)):
        xs.append(centres[b] + noise * rng.standard_normal((n, 2)))
        ys.append(np.full(n, b % 2))
    return xs, ys


def _moons(counts, noise, rng):
    n0, n1 = counts
    t0 = np.linspace(0.0, math.pi, n0)
    t1 = np.linspace(0.0, math.pi, n1)
    outer = np.column_stack([np.cos(t0), np.sin(t0)])
    inner = np.column_stack([1.0 - np.cos(t1), 0.5 - np.sin(t1)])
    shift = np.array([-0.5, -0.25])
    xs = [outer + shift + noise * rng.standard_normal((n0, 2)),
          inner + shift + noise * rng.standard_normal((n1, 2))]
    return xs, [np.zeros(n0), np.ones(n1)]


def _blobs(counts, noise, rng):
    k = len(counts)
    xs, ys = [], []
    for j, n in enumerate(counts):
        a = 2.0 * math.pi * j / k
        xs.append(np.array([math.cos(a), math.sin(a)]) + noise * rng.standard_normal((n, 2)))
        ys.append(np.full(n, j))
    return xs, ys


def _gaussian(samples, features, classes, noise, rng):
    teacher = rng.standard_normal((features, classes))
    x = rng.standard_normal((samples, features))
    logits = x @ teacher
    if noise > 0:
        logits = logits + noise * rng.standard_normal(logits.shape)
    return x, np.argmax(logits, axis=1)


# -- digits ---------------------------------------------------------------------
# The package data file; users can reach it without sklearn (issue 12 §1).
DIGITS_FILE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "datasets", "digits.npz")


@functools.lru_cache(maxsize=1)
def _digits_arrays():
    """The shipped digits as read-only float64 (1797, 64), int64 labels, pixel names."""
    try:
        with np.load(DIGITS_FILE) as archive:
            images, labels = archive["images"], archive["labels"]
    except (OSError, KeyError, ValueError) as exc:
        raise ImportError(f"data.kind = 'digits': cannot read {DIGITS_FILE} ({exc}); {DIGITS_HINT}") from exc
    x = images.reshape(len(images), 64).astype(np.float64)
    y = labels.astype(np.int64)
    # the names scikit-learn gives the same pixels, so recordings do not change
    names = tuple(f"pixel_{r}_{c}" for r in range(8) for c in range(8))
    x.setflags(write=False)
    y.setflags(write=False)
    return x, y, names


# -- files ----------------------------------------------------------------------
def _load_file(path, classes: int):
    """(X float64, labels int64, classes, feature names or None) of an ``.npz`` file."""
    if path is None or str(path) == "":
        raise ValueError("data.kind = 'file' needs data.path (an .npz with arrays X and y)")
    path = os.fspath(path)
    where = f"data file {path!r}"
    _check_archive_header(path, where)
    x, y, names = _read_archive(path, where)
    x = _features(x, where)
    labels, classes = _labels(y, x.shape[0], classes, where)
    return x, labels, classes, _names(names, x.shape[1], where)


def _check_archive_header(path: str, where: str) -> None:
    """Refuse what is not an .npz before numpy tries (clearer messages than its own)."""
    if not os.path.exists(path):
        raise ValueError(f"{where} does not exist")
    if not os.path.isfile(path):
        raise ValueError(f"{where} is not a file")
    with open(path, "rb") as fh:
        magic = fh.read(6)
    if magic.startswith(b"\x93NUMPY"):
        raise ValueError(
            f"{where} is a single .npy array, not an .npz archive with X and y; "
            "save with np.savez(path, X=X, y=y)"
        )
    if not magic.startswith(b"PK"):
        raise ValueError(f"{where} is not an .npz archive (no zip header); save with np.savez")


def _read_archive(path: str, where: str):
    """The raw X, y and optional feature_names arrays of the archive."""
    try:
        archive = np.load(path, allow_pickle=False)
    except Exception as exc:  # truncated or corrupt zip, ...
        raise ValueError(f"{where} is not a readable .npz archive ({exc})") from None
    with archive:
        keys = set(archive.files)
        missing = [k for k in ("X", "y") if k not in keys]
        if missing:
            raise ValueError(
                f"{where} lacks array(s) {', '.join(missing)} "
                f"(found: {', '.join(sorted(keys)) or 'none'}); save with np.savez(path, X=X, y=y)"
            )
        try:
            names = archive["feature_names"] if "feature_names" in keys else None
            return archive["X"], archive["y"], names
        except ValueError as exc:
            if "pickle" not in str(exc):
                raise ValueError(f"{where} is not a readable .npz archive ({exc})") from None
            # object arrays need pickle, which we refuse (it can run code)
            raise ValueError(
                f"{where} holds object arrays; store plain numeric arrays"
            ) from None
        except Exception as exc:  # corrupt member: bad CRC, truncated data, ...
            raise ValueError(f"{where} is not a readable .npz archive ({exc})") from None


def _features(x: np.ndarray, where: str) -> np.ndarray:
    if x.ndim != 2:
        raise ValueError(
            f"{where}: X must be 2-D (samples, features), got shape {x.shape}"
            + ("; use X.reshape(-1, 1) for a single feature" if x.ndim == 1 else "")
        )
    if x.shape[0] == 0 or x.shape[1] == 0:
        raise ValueError(f"{where}: X is empty (shape {x.shape})")
    if not (np.issubdtype(x.dtype, np.integer) or np.issubdtype(x.dtype, np.floating)
            or x.dtype == np.bool_):
        raise ValueError(f"{where}: X must be real numbers, got dtype {x.dtype}")
    x = x.astype(np.float64)
    bad = ~np.isfinite(x)
    if bad.any():
        rows = np.unique(np.nonzero(bad)[0])
        raise ValueError(
            f"{where}: X has {int(bad.sum())} non-finite value(s) (NaN/Inf), "
            f"first in row(s) {rows[:5].tolist()}"
        )
    return x


def _labels(y: np.ndarray, n: int, classes: int, where: str):
    """(int64 labels, class count) after checking y against X's rows and ``classes``."""
    if y.ndim != 1:
        raise ValueError(f"{where}: y must be 1-D (samples,), got shape {y.shape}")
    if y.shape[0] != n:
        raise ValueError(
            f"{where}: X and y disagree on the number of samples: X has {n} rows, "
            f"y has {y.shape[0]} labels"
        )
    if np.issubdtype(y.dtype, np.integer) or y.dtype == np.bool_:
        labels = y.astype(np.int64)
    elif np.issubdtype(y.dtype, np.floating):
        if not np.isfinite(y).all() or (y != np.round(y)).any():
            raise ValueError(f"{where}: y must hold integer labels, got non-integer values")
        labels = y.astype(np.int64)
    else:
        raise ValueError(f"{where}: y must hold integer labels 0..k-1, got dtype {y.dtype}")
    if labels.min() < 0:
        raise ValueError(f"{where}: labels must be 0..k-1, found negative label {labels.min()}")
    top = int(labels.max())
    if classes == 0:
        classes = top + 1
        absent = np.setdiff1d(np.arange(classes), labels)
        if absent.size:
            hint = "; labels must start at 0 (1-based labels?)" if absent[0] == 0 else ""
            raise ValueError(
                f"{where}: labels must be 0..k-1 with every class present, but "
                f"{absent[:10].tolist()} never occur(s) among 0..{top}{hint}"
            )
        if classes < 2:
            raise ValueError(f"{where}: labels must cover at least 2 classes, found only 0")
    elif top >= classes:
        raise ValueError(
            f"{where}: labels must be 0..{classes - 1} for data.classes = {classes}, "
            f"found label {top}"
        )
    return labels, classes


def _names(names, d: int, where: str):
    if names is None:
        return None
    names = np.asarray(names)
    if names.ndim != 1 or names.shape[0] != d or names.dtype.kind not in "US":
        raise ValueError(
            f"{where}: feature_names must be {d} strings, got "
            f"shape {names.shape} dtype {names.dtype}"
        )
    return tuple(str(s) for s in names)


# -- mixed units -------------------------------------------------------------------
def feature_factors(feature_scale, d: int) -> np.ndarray:
    """The per-feature factors of ``data.feature_scale = [lo, hi]`` for ``d`` features.

    Feature ``j`` is multiplied by ``lo * (hi / lo) ** (j / (d - 1))``: the
    factors are evenly spaced in log scale from ``lo`` (feature 0) to ``hi``
    (feature ``d - 1``); one feature gets ``lo``. ``[1, 1]`` changes nothing.
    """
    try:
        lo, hi = (float(v) for v in feature_scale)
    except (TypeError, ValueError):
        raise ValueError(f"data.feature_scale must be two numbers [lo, hi], got {feature_scale!r}") from None
    for v in (lo, hi):
        if not (math.isfinite(v) and 0.0 < v <= _MAX_FACTOR and v >= 1.0 / _MAX_FACTOR):
            raise ValueError(f"data.feature_scale must be two numbers in [1e-9, 1e9], got {feature_scale!r}")
    if d == 1:
        return np.array([lo])
    return lo * (hi / lo) ** (np.arange(d) / (d - 1))


# far beyond any lesson's units, yet every factor times a float64 feature stays finite
_MAX_FACTOR = 1e9


# -- public entry point ----------------------------------------------------------
def make_dataset(
    kind: str,
    *,
    samples: int = 600,
    noise: float = 0.2,
    features: int = 2,
    classes: int = 3,
    path: str | None = None,
    scale: str = "none",
    validation: float = 0.2,
    feature_scale=(1.0, 1.0),
    rng: np.random.Generator,
) -> Dataset:
    """Build, shuffle, split and scale one dataset (see the module docstring)."""
    if kind not in KINDS:
        raise ValueError(f"unknown data.kind {kind!r}; known: {', '.join(KINDS)}")
    if scale not in SCALES:
        raise ValueError(f"unknown data.scale {scale!r}; known: {', '.join(SCALES)}")
    if not isinstance(rng, np.random.Generator):
        raise TypeError(f"rng must be a numpy.random.Generator, got {type(rng).__name__}")
    validation = float(validation)
    if not (0.0 <= validation < 1.0):
        raise ValueError(f"data.validation must be in [0, 1), got {validation}")
    noise = float(noise)
    if not (math.isfinite(noise) and noise >= 0):
        raise ValueError(f"data.noise must be a finite number >= 0, got {noise}")
    classes = _int("classes", classes, 0)
    samples = _int("samples", samples, 0)
    x, y, classes, names, keep = _raw(kind, samples, noise, features, classes, path, rng)
    x = x * feature_factors(feature_scale, x.shape[1])  # before the split: raw "units"

    perm = rng.permutation(len(y))[:keep]
    x, y = x[perm], np.asarray(y, dtype=np.int64)[perm]
    n = len(y)
    n_train = n - int(round(validation * n))
    if n_train < 1:
        raise ValueError(
            f"data.validation = {validation} leaves no training samples out of {n}"
        )
    x_tr, x_va = x[:n_train], x[n_train:]
    scaler = Scaler.fit(scale, x_tr)
    return Dataset(
        x_train=scaler.apply(x_tr),
        y_train=np.ascontiguousarray(y[:n_train]),
        x_val=scaler.apply(x_va),
        y_val=np.ascontiguousarray(y[n_train:]),
        classes=int(classes),
        feature_names=names,
        scale=scale,
        raw_range=(float(x_tr.min()), float(x_tr.max())),
        scaler=scaler,
    )


def _raw(kind, samples, noise, features, classes, path, rng):
    """(x, y, classes, feature names, how many to keep) before shuffling and splitting."""
    if kind in _FIXED_CLASSES:
        if classes not in (0, _FIXED_CLASSES[kind]):
            raise ValueError(f"data.kind = {kind!r} has exactly 2 classes, got data.classes = {classes}")
        classes = _FIXED_CLASSES[kind]
    elif kind in ("spirals", "circles", "blobs", "gaussian") and classes < 2:
        raise ValueError(f"data.kind = {kind!r} needs data.classes >= 2, got {classes}")
    if kind in _TWO_D:
        if samples < max(classes, 4 if kind == "xor" else 1):
            need = 4 if kind == "xor" else classes
            raise ValueError(f"data.samples must be >= {need} for {kind!r}, got {samples}")
        if kind == "xor":
            xs, ys = _xor(samples, noise, rng)
        else:
            xs, ys = {"spirals": _spirals, "circles": _circles, "moons": _moons,
                      "blobs": _blobs}[kind](_per_class(samples, classes), noise, rng)
        x, y = np.concatenate(xs), np.concatenate(ys).astype(np.int64)
        return x, y, classes, ("x1", "x2"), len(y)
    if kind == "gaussian":
        features = _int("features", features, 1)
        if samples < 1:
            raise ValueError(f"data.samples must be >= 1 for 'gaussian', got {samples}")
        x, y = _gaussian(samples, features, classes, noise, rng)
        return x, y, classes, None, samples
    if kind == "digits":
        if classes not in (0,) and not 2 <= classes <= 10:
            raise ValueError(f"data.classes for digits must be 0 or 2..10, got {classes}")
        classes = classes or 10
        x, y, names = _digits_arrays()
        if classes < 10:
            mask = y < classes
            x, y = x[mask], y[mask]
    else:
        x, y, classes, names = _load_file(path, classes)
    return x, y, classes, names, len(y) if samples == 0 else min(samples, len(y))
