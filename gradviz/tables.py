"""A Recording as a pandas DataFrame or an xarray Dataset, for analysis in a notebook.

pandas and xarray are not dependencies of gradviz: each is imported only when
its function is called, with a clear message when it is not installed.
"""
from __future__ import annotations

import numpy as np


def _need(module: str):
    try:
        return __import__(module)
    except ImportError:
        raise ImportError(f"this needs {module}, which gradviz does not install: pip install {module}") from None


def series_names(rec) -> list[str]:
    """Arrays with one number per (variant[, seed], record[, layer/member]): no histograms."""
    return [n for n in rec.names() if rec.axes[n][:1] == ("variant",) and "record" in rec.axes[n]
            and "bin" not in rec.axes[n]]


def to_dataframe(rec, names=None):
    """Long (tidy) table: one row per array element.

    Columns: ``variant`` (index), ``label``, then the array's other axes
    (``seed``, ``record``, ``layer``, ``member``...), ``step`` for arrays over
    records, ``quantity`` and ``value``. Axes an array lacks are missing
    (``<NA>``) in its rows. ``names``: one name or a list (default: every
    scalar series, :func:`series_names`).
    """
    pd = _need("pandas")
    names = series_names(rec) if names is None else [names] if isinstance(names, str) else list(names)
    labels, steps = rec.labels, rec.steps
    frames = []
    for name in names:
        arr, axes = rec.get(name), rec.axes[name]
        idx = np.indices(arr.shape).reshape(len(axes), -1)
        cols = {ax: pd.array(idx[i], dtype="Int64") for i, ax in enumerate(axes)}
        if "variant" in cols:
            cols["label"] = [labels[v] if v < len(labels) else str(v) for v in idx[axes.index("variant")]]
        if "record" in cols and steps.size:
            cols["step"] = pd.array(steps[idx[axes.index("record")]], dtype="Int64")
        cols["quantity"] = name
        cols["value"] = arr.reshape(-1)
        frames.append(pd.DataFrame(cols))
    if not frames:
        return pd.DataFrame(columns=["variant", "label", "quantity", "value"])
    df = pd.concat(frames, ignore_index=True)
    first = [c for c in ("variant", "label", "seed", "record", "step", "layer") if c in df.columns]
    rest = [c for c in df.columns if c not in first and c not in ("quantity", "value")]
    return df[first + rest + ["quantity", "value"]]


def to_xarray(rec):
    """An ``xarray.Dataset``: every array a variable over its named axes.

    Coordinates: ``variant`` (index) with ``label``; ``record`` with
    ``record_step`` (the training step of each record); every histogram's bin
    edges ``<name>_edges`` as a coordinate over its ``edge`` axis (and
    ``variant`` when edges differ per variant); ``meta`` in ``attrs`` (JSON
    text for nested values).
    """
    import json

    xr = _need("xarray")
    edges = {n for n in rec.names() if n.endswith("_edges")}
    data_vars = {n: (rec.axes[n], rec.get(n)) for n in rec.names() if n not in edges}
    coords = {n: (rec.axes[n], rec.get(n)) for n in sorted(edges)}
    if rec.labels:
        coords["variant"] = np.arange(len(rec.labels))
        coords["label"] = ("variant", np.array(rec.labels, dtype=object))
    if rec.steps.size:
        coords["record"] = np.arange(rec.steps.size)
        coords["record_step"] = ("record", rec.steps)
    def plain(v):   # netCDF-friendly attributes: nested values as JSON text
        return v if isinstance(v, (str, int, float)) else json.dumps(v, sort_keys=True, default=str,
                                                                      ensure_ascii=False)

    attrs = {k: plain(v) for k, v in rec.meta.items()}
    return xr.Dataset(data_vars, coords=coords, attrs=attrs)
