"""Recordings with a ``seed`` axis, for drawing (issue 10 §1).

A figure module draws a Recording *without* a seed axis; the build pipeline
hands it a view:

* :func:`median_view` for curves and per-layer figures: every seeded array is
  its median over seeds (NaN-aware), and :func:`band` gives the interquartile
  range of the same array from the original Recording, for a shaded band;
* :func:`seed_view` for the decision boundary and the animations: one named
  seed, exactly as recorded.

A Recording without a seed axis is returned unchanged by both, so figures
work the same on the byte-identical single-seed recordings.

The medians are computed once per Recording's contents, not once per
figure: a render's figures share them, and a Recording changed since
(``rec.add``, an array edited in place) gets new ones (:func:`medians`).
"""
from __future__ import annotations

import zlib

import numpy as np

from ..record import Recording

#: The band drawn around a median over seeds (percentiles), said in captions.
BAND = (25.0, 75.0)


def _view(rec, pick) -> Recording:
    out = Recording(meta=dict(rec.meta))
    for name, arr in rec.arrays.items():
        axes = rec.axes[name]
        if "seed" in axes:
            out.add(name, pick(name, arr), rec.axes_of(name, seed=0))
        else:
            out.add(name, arr, axes)
    out.meta["_n_seeds"] = rec.n_seeds
    out.source = rec          # the seeded original, for bands
    return out


def median_view(rec):
    """``rec`` with every seeded array replaced by its median over seeds (integer
    arrays rounded back to integers, e.g. ``stop_step``, ``best_epoch``)."""
    if rec.n_seeds <= 1:
        return rec
    found = medians(rec)
    view = _view(rec, lambda name, arr: found[name])
    view.meta["_seed_summary"] = "median"
    return view


_LAST: dict = {}  # {fingerprint: medians} of the last Recording drawn: one entry at most


def medians(rec) -> dict:
    """``{name: median over seeds}`` of every seeded array of ``rec`` (read-only
    arrays), computed again only when the seeded arrays differ from the last
    Recording's: names, axes, shapes, dtypes or contents (a CRC-32 of the
    bytes: about a ninth of the time of the medians it saves)."""
    seeded = [n for n in rec.arrays if "seed" in rec.axes[n]]
    arrays = [(n, rec.arrays[n]) for n in seeded]
    key = tuple((n, rec.axes[n], a.shape, a.dtype.str, zlib.crc32(np.ascontiguousarray(a).reshape(-1).view("u1")))
                for n, a in arrays)
    found = _LAST.get(key)
    if found is None:
        found = {n: _median(rec, n) for n in seeded}
        _LAST.clear()
        _LAST[key] = found
    return found


def _median(rec, name):
    arr = rec.arrays[name]
    med = rec.over_seeds(name, q=(50.0,))[0]
    if np.issubdtype(arr.dtype, np.integer) or arr.dtype == bool:
        med = np.round(np.nan_to_num(med, nan=-1)).astype(arr.dtype)
    elif np.issubdtype(arr.dtype, np.floating):
        med = med.astype(arr.dtype)
    med.flags.writeable = False  # shared by every figure drawn from this Recording
    return med


def seed_view(rec, seed: int = 0):
    """``rec`` at one seed (``0 <= seed < n_seeds``), every seeded array as recorded."""
    n = rec.n_seeds
    if not 0 <= int(seed) < max(n, 1):
        raise ValueError(f"seed {seed} does not exist: this Recording has seeds 0..{n - 1}")
    if n <= 1:
        return rec
    view = _view(rec, lambda name, arr: rec.get_seed(name, int(seed)))
    view.meta["_seed_summary"] = int(seed)
    return view


def n_seeds(rec) -> int:
    """Seeds behind a (possibly summarised) Recording."""
    return int(rec.meta.get("_n_seeds", rec.n_seeds))


def band(rec, name: str):
    """``(low, high)``: the interquartile range over seeds of ``name`` (axes of
    the median view), or None for a Recording without seeds."""
    src = getattr(rec, "source", None)
    if src is None or src.n_seeds <= 1 or name not in src or "seed" not in src.axes[name]:
        return None
    lo, hi = src.over_seeds(name, q=BAND)
    return lo, hi
