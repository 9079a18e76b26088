"""Floating-point precision, exactly: formats, rounding, and small experiments.

Pure numpy/Python (no matplotlib, no numba), in four modules: :mod:`.formats`,
:mod:`.addition`, :mod:`.experiments`, :mod:`.printing`. Everything here returns plain
data; :mod:`gradviz.figures.precision` draws it and the two ``*_table``
functions print it.

Formats
    ``float16`` (IEEE binary16), ``bfloat16`` (Google brain float),
    ``float32`` (binary32) and ``float64`` (binary64); see :data:`FORMATS`.

Rounding
    :func:`round_to` rounds float32/float64 arrays to any of the four
    formats with IEEE round-to-nearest, ties-to-even (RNE), including
    overflow to +-inf, gradual underflow (subnormals), signed zeros and NaN.
    :func:`round_fraction` does the same for one exact rational number.

Exact arithmetic
    :func:`exact_value`, :func:`to_fraction` and :func:`add_in` use
    :class:`fractions.Fraction`, so every reported error is exact.

Simulated arithmetic in a format
    float16, bfloat16 and float32 operations are carried out in float64 and
    then rounded once with :func:`round_to`. For ``+ - * /`` this is exactly
    the IEEE result of the operation in the narrow format, because float64 has
    at least ``2p + 2`` bits for each of them (53 >= 2*24 + 2), the condition
    under which double rounding is innocuous (S. Figueroa, "When is double
    rounding innocuous?", SIGNUM Newsletter 30(3), 1995). ``exp``/``log`` are
    float64 library results rounded once: correct except, in principle, for
    arguments within about 1e-16 (relative) of a rounding tie.

Experiments (each documented at its function)
    :func:`absorption`, :func:`spacing`, :func:`summation`,
    :func:`cancellation`, :func:`overflow`.

Tables
    :func:`precision_add_table`, :func:`precision_info_table`.
"""
from .formats import (  # noqa: F401  (the public names, as before the split)
    FloatFormat, FORMATS, FORMAT_NAMES, get_format, round_to, round_fraction, ulp, exact_value,
    to_fraction, fl_add, fl_sub, fl_mul, fl_div, fl_exp, fl_log)
from .addition import (  # noqa: F401  (the public names, as before the split)
    AddResult, add_in, digits_lost, pairwise_sum, kahan_running, log_checkpoints)
from .experiments import (  # noqa: F401  (the public names, as before the split)
    ln_fraction, AbsorptionData, absorption, absorption_boundary, SpacingData, spacing, SummationData,
    summation, CancellationData, cancellation, welford_running, OverflowData, overflow, EXPERIMENTS,
    experiment_data)
from .printing import (  # noqa: F401  (the public names, as before the split)
    APPROX, format_number, precision_add_table, precision_info_table)

__all__ = [
    "FloatFormat", "FORMATS", "FORMAT_NAMES", "get_format", "round_to", "round_fraction", "ulp",
    "exact_value", "to_fraction", "fl_add", "fl_sub", "fl_mul", "fl_div", "fl_exp", "fl_log",
    "AddResult", "add_in", "digits_lost", "pairwise_sum", "kahan_running", "log_checkpoints",
    "AbsorptionData", "absorption", "absorption_boundary", "SpacingData", "spacing", "SummationData",
    "summation", "CancellationData", "cancellation", "welford_running", "OverflowData", "overflow",
    "EXPERIMENTS", "experiment_data", "format_number", "precision_add_table", "precision_info_table",
]
