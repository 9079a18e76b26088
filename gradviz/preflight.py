"""Everything ``render`` would fail on, found before any training.

``gradviz check`` and ``gradviz render`` both call :func:`preflight` after
the scenario parsed: it reads the data file (kind = file) and checks its
contents, the batch size against the training set, that every requested
figure's arrays will be recorded, that labels are valid matplotlib mathtext
and not absurdly long, that the precision experiment's numbers parse, and
the resource estimates against the documented limits (:mod:`gradviz.limits`).
Every failure is one :class:`~gradviz.scenario.ScenarioError` (or
:class:`~gradviz.limits.LimitError`) naming the key.
"""
from __future__ import annotations

import os
import re

from . import limits
from .limits import Estimate, LimitError
from .requirements import check_requirements
from .scenario import Scenario, ScenarioError

_MATH = None


def preflight(sc: Scenario, force: bool = False) -> Estimate:
    """Check ``sc`` as far as possible without training; return its estimate.

    ``force`` skips the resource limits (``render --force``), not the content checks.
    """
    _check_texts(sc, force)
    if sc.kind == "precision":
        _check_precision(sc)
        return Estimate(memory=0, recording=0, flops=0, frames=0, records=0)
    if sc.kind == "surface":
        est = limits.estimate(sc)
        if not force:
            limits.check(sc, est)
        check_requirements(sc)
        return est
    check_requirements(sc)  # figures whose arrays the run records (requirements.py)
    variants = sc.expand()
    _check_ensembles(sc, variants)
    if sc.data.kind != "file" and not force:  # a synthetic set costs memory before it exists
        limits.check(sc, limits.estimate(sc))
    shapes = {}
    for i, (_, v) in enumerate(variants):
        key = repr(v.data)
        if key not in shapes:
            shapes[key] = _data_shape(v, force)
        _check_batch(sc, v, i, shapes[key])
    shape = next(iter(shapes.values()))
    est = limits.estimate(sc, shape if sc.data.kind == "file" else None)
    if not force:
        limits.check(sc, est)
    return est


def _data_shape(v: Scenario, force: bool) -> tuple[int, int, int]:
    """(samples used, features, classes) of a variant's data, read as the simulation will."""
    import numpy as np

    from .data import DEFAULT_CLASSES, make_dataset

    d = v.data
    if d.kind == "file":
        _check_data_file(d.path, force)
    try:
        ds = make_dataset(d.kind, samples=d.samples, noise=d.noise, features=d.features,
                          classes=d.classes or DEFAULT_CLASSES[d.kind], path=d.path or None, scale=d.scale,
                          validation=d.validation, feature_scale=d.feature_scale, rng=np.random.default_rng(0))
    except ImportError as exc:
        raise ScenarioError("$.data.kind", str(exc)) from None
    except (ValueError, TypeError, OSError, MemoryError) as exc:
        raise ScenarioError(_data_key(str(exc)), str(exc).splitlines()[0] if str(exc) else type(exc).__name__) from None
    return len(ds.y_train) + len(ds.y_val), int(ds.x_train.shape[1]), int(ds.classes)


def _data_key(message: str) -> str:
    m = re.match(r"data\.(\w+)", message)
    return f"$.data.{m.group(1)}" if m else "$.data.path"


def _check_data_file(path: str, force: bool) -> None:
    where = f"data file {path!r}"
    if not os.path.exists(path):
        raise ScenarioError("$.data.path", f"{where} does not exist (relative paths are read from the "
                            "scenario file's folder)")
    if not os.path.isfile(path):
        raise ScenarioError("$.data.path", f"{where} is not a regular file")
    size = os.path.getsize(path)
    if size == 0:
        raise ScenarioError("$.data.path", f"{where} is empty (0 bytes); expected an .npz with X and y")
    if force:
        return
    if size > limits.MEMORY_BYTES:
        raise LimitError("$.data.path", f"{where} is {limits.human_bytes(size)}, above the memory limit of "
                         f"{limits.human_bytes(limits.MEMORY_BYTES)} (--force overrides)")
    try:
        limits.check_npz_sizes(path, limits.MEMORY_BYTES)
    except limits.ArchiveError as exc:
        raise LimitError("$.data.path", f"{exc} (--force overrides)") from None
    except Exception:  # not a zip: make_dataset says so in its own words
        pass


def _check_batch(sc: Scenario, v: Scenario, i: int, shape) -> None:
    n = shape[0]
    n_train = n - int(round(v.data.validation * n))
    if v.train.batch_size > n_train:
        overridden = any(k == "train.batch_size" for k, _ in sc.variants[i].overrides)
        key = f'$.variants[{i}]."train.batch_size"' if overridden else "$.train.batch_size"
        raise ScenarioError(key, f"expected at most {n_train} (the training set: {n} samples minus the "
                            f"validation share {v.data.validation:g}), found {v.train.batch_size}; "
                            f"set it to {n_train} for full-batch training")


def _check_ensembles(sc: Scenario, variants) -> None:
    """Ensembles of different sizes cannot share the recording's ``member`` axis (1 = no ensemble is fine)."""
    sizes = {v.train.ensemble for _, v in variants} - {1}
    if len(sizes) > 1:
        raise ScenarioError("$.train.ensemble", f"the variants train ensembles of {sorted(sizes)} members; "
                            "their members' curves share one axis, so every ensemble must have the same size "
                            "(1 = no ensemble is fine)")


def _texts(sc: Scenario):
    yield "$.title", sc.title, limits.TITLE_CHARS
    yield "$.description", sc.description, limits.DESCRIPTION_CHARS
    for i, v in enumerate(sc.variants):
        yield f"$.variants[{i}].label", v.label, limits.LABEL_CHARS
    for lang, tr in sc.translations:
        for key, limit in (("title", limits.TITLE_CHARS), ("description", limits.DESCRIPTION_CHARS)):
            if getattr(tr, key):
                yield f"$.translations.{lang}.{key}", getattr(tr, key), limit
        for i, lab in enumerate(tr.labels or ()):
            yield f"$.translations.{lang}.labels[{i}]", lab, limits.LABEL_CHARS


def _check_texts(sc: Scenario, force: bool) -> None:
    for path, text, limit in _texts(sc):
        if not force:
            limits.check_text(path, text, limit)
        check_mathtext(text, path)


def check_mathtext(text: str, path: str) -> None:
    """``text`` as matplotlib will draw it: an even number of unescaped ``$`` is mathtext."""
    global _MATH
    if (text.count("$") - text.count(r"\$")) % 2 or "$" not in text.replace(r"\$", ""):
        return
    if _MATH is None:
        from matplotlib.mathtext import MathTextParser

        _MATH = MathTextParser("path")
    try:
        _MATH.parse(text, dpi=72)
    except Exception as exc:  # pyparsing's ParseFatalException, ValueError, ...
        detail = " ".join(str(exc).split())
        detail = detail if len(detail) <= 90 else detail[:90] + "…"  # pyparsing lists every alternative
        raise ScenarioError(path, f"not valid matplotlib mathtext ({detail}); escape a literal dollar "
                            r"as \$ or fix the formula") from None


def _check_precision(sc: Scenario) -> None:
    from .numerics.formats import to_fraction

    for key in ("a", "b"):
        text = getattr(sc.precision, key)
        limits.check_decimal(text, f"$.precision.{key}")
        try:
            to_fraction(text)
        except (ValueError, ZeroDivisionError) as exc:
            raise ScenarioError(f"$.precision.{key}", f"expected an exact decimal such as \"1e10\" or "
                                f"\"0.1\", found {text!r} ({exc})") from None
