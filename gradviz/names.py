"""The user-facing names, in one place: what a scenario may say and what the
CLI accepts. The scenario schema, the datasets, the simulator and the CLI read
these tuples; none of them spells a list of its own.

The ORDER of ``ACTIVATIONS``, ``NORMS`` and ``OPTIMIZERS`` is the kernels'
integer code of each name (``kernels.TANH == ACTIVATIONS.index("tanh")``):
the kernels keep their own constants (one file, numba's cache rule) and
``tests/test_names.py`` ties the two together, so inserting a name mid-tuple
fails loudly instead of silently remapping every later code. Append new names
at the end, with their kernel code.
"""
from __future__ import annotations

import difflib

from .i18n import LANGUAGES

#: Nonlinearities of the hidden layers (kernel codes LINEAR .. GELU, in this order).
ACTIVATIONS = ("linear", "sigmoid", "tanh", "relu", "leaky_relu", "elu", "selu", "gelu")
#: Normalisation between the linear map and the nonlinearity (kernel codes NORM_NONE ..).
NORMS = ("none", "batch", "layer", "weight")
#: Update rules (kernel codes SGD .. NORMALIZED, in this order).
OPTIMIZERS = ("sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam", "adamw", "normalized")
#: Weight initialisation schemes (formulas in gradviz.inits.SCHEMES).
INITS = ("normal", "uniform", "gaussian", "glorot", "glorot_uniform", "he", "he_uniform", "orthogonal")
#: Datasets.
DATA_KINDS = ("spirals", "circles", "xor", "moons", "blobs", "gaussian", "digits", "file")
#: Input scalings fitted on the training split.
SCALES = ("none", "unit", "symmetric", "standard")
#: Arithmetic formats (float16 and bfloat16 emulated by rounding).
DTYPES = ("float64", "float32", "float16", "bfloat16")
#: Learning-rate schedules.
LR_SCHEDULES = ("constant", "exponential", "step", "cosine")
#: Loss scaling modes.
LOSS_SCALINGS = ("static", "dynamic")
#: What a scenario runs.
SCENARIO_KINDS = ("training", "precision", "surface")
#: 2-D loss surfaces of an optimizer race.
SURFACES = ("beale", "rosenbrock", "saddle", "quadratic")
#: Float experiments of a precision scenario (one figure each).
PRECISION_EXPERIMENTS = ("absorption", "spacing", "summation", "cancellation", "overflow")
#: Figure file formats.
FIGURE_FORMATS = ("png", "svg", "pdf")
#: Animation file formats (apng is written as .png).
ANIMATION_FORMATS = ("gif", "webp", "apng")
#: Figure sizes (inches in gradviz.style.SIZES).
SIZES = ("slide", "web")



def did_you_mean(word, candidates) -> str:
    """``" (did you mean 'x'?)"`` for the name in ``candidates`` closest to a
    misspelt ``word``, else ``""``: every "unknown name" message uses it."""
    close = difflib.get_close_matches(str(word), [str(c) for c in candidates], n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


__all__ = ["ACTIVATIONS", "NORMS", "OPTIMIZERS", "INITS", "DATA_KINDS", "SCALES", "DTYPES",
           "LR_SCHEDULES", "LOSS_SCALINGS", "SCENARIO_KINDS", "SURFACES", "PRECISION_EXPERIMENTS",
           "FIGURE_FORMATS", "ANIMATION_FORMATS", "SIZES", "LANGUAGES", "did_you_mean"]
