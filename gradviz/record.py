"""The Recording: named arrays with named axes, plus metadata.

It is the only seam between simulation and rendering. Render code reads a
Recording and never imports the kernels, so a re-render needs no re-run and
render tests never pay for JIT compilation.

Axes used by the simulator (design.md section 4):

* ``("variant", "record")``: per recorded step, e.g. ``loss``
* ``("variant", "record", "layer")``: per layer, layers ``0..depth-1`` hidden,
  ``depth`` the output layer, e.g. ``grad_w_norm``
* ``("variant", "record", "layer", "bin")``: histograms, with a 1-D
  ``<name>_edges`` array on the ``("edge",)`` axis
* ``("variant", "step")``: dense traces recorded at every training step
* ``("variant",)``: one value per variant, e.g. ``first_nonfinite_step``

With ``seeds = N`` in the scenario, every per-variant array gains a ``seed``
axis right after ``variant`` (``("variant", "seed", "record", "layer")``).
``get_seed(name, k)`` drops that axis at seed ``k`` and ``over_seeds`` reduces
it to percentiles, so figure code reads the same either way; arrays without a
``seed`` axis are returned unchanged by both.

Steps a variant never reached (early stopping, divergence) hold NaN.
"""
from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .atomic import atomic_open

_META_KEY = "__meta__"
_AXES_KEY = "__axes__"


@dataclass
class Recording:
    """Named arrays, the axes of each, and JSON-serialisable metadata.

    ``meta`` carries at least ``labels`` (one per variant), ``steps`` (the
    step of each record), ``version``, ``seed`` and ``scenario`` (the resolved
    scenario as a dict) plus ``scenario_toml`` (its text).
    """

    arrays: dict[str, np.ndarray] = field(default_factory=dict)
    axes: dict[str, tuple[str, ...]] = field(default_factory=dict)
    meta: dict = field(default_factory=dict)

    # -- access ------------------------------------------------------------
    def add(self, name: str, array, axes: tuple[str, ...]) -> None:
        array = np.asarray(array)
        if array.ndim != len(axes):
            raise ValueError(f"{name}: {array.ndim}-D array but axes {axes}")
        self.arrays[name] = array
        self.axes[name] = tuple(axes)

    def get(self, name: str) -> np.ndarray:
        """The array called ``name``; its axes are ``self.axes[name]``."""
        try:
            return self.arrays[name]
        except KeyError:
            known = ", ".join(sorted(self.arrays))
            raise KeyError(f"no array {name!r} in this Recording (it has: {known})") from None

    def axes_of(self, name: str, seed: int | None = None) -> tuple[str, ...]:
        """The axes of ``get_seed(name, seed)`` (of ``get(name)`` when ``seed`` is None)."""
        axes = self.axes[name]
        if seed is None or "seed" not in axes:
            return axes
        return tuple(a for a in axes if a != "seed")

    def get_seed(self, name: str, seed: int) -> np.ndarray:
        """``name`` at one seed (the ``seed`` axis removed; unchanged without one)."""
        arr, axes = self.get(name), self.axes[name]
        if "seed" not in axes:
            return arr
        return np.take(arr, seed, axis=axes.index("seed"))

    def over_seeds(self, name: str, q=(25.0, 50.0, 75.0)) -> np.ndarray:
        """Percentiles ``q`` over the ``seed`` axis, NaN-aware, as a new leading axis.

        ``over_seeds("loss")[1]`` is the median loss over seeds with axes
        ``axes_of("loss", seed=0)``. Without a ``seed`` axis every percentile
        is the array itself.
        """
        arr, axes = self.get(name), self.axes[name]
        if "seed" not in axes:
            return np.stack([arr] * len(q))
        return nan_percentiles(arr, q, axes.index("seed"))

    @property
    def n_seeds(self) -> int:
        """Independent repetitions per variant (1 for a recording without a seed axis)."""
        return self._length("seed", 1)

    def __repr__(self) -> str:
        """A few lines (variants, records, layers, seeds, array names), never the arrays."""
        labels = self.labels
        head = self.meta.get("title") or (self.meta.get("scenario") or {}).get("name", "")
        lines = [f"<Recording{' ' + repr(head) if head else ''}: {len(labels)} variant"
                 f"{'s' * (len(labels) != 1)}, {self.steps.size} records, {self.n_layers} layers, "
                 f"{self.n_seeds} seed{'s' * (self.n_seeds != 1)}>"]
        if labels:
            lines.append("  variants: " + _clip(", ".join(map(str, labels))))
        if self.steps.size:
            lines.append(f"  steps: {int(self.steps[0])} .. {int(self.steps[-1])}")
        names = sorted(self.arrays)
        shown = _fit(names, 400)
        more = f", … (+{len(names) - len(shown)}: rec.names())" if len(shown) < len(names) else ""
        lines.append(f"  arrays ({len(names)}): " + ", ".join(shown) + more)
        return "\n".join(lines)

    def __contains__(self, name: str) -> bool:
        return name in self.arrays

    def names(self, axes: tuple[str, ...] | None = None) -> list[str]:
        """Array names, optionally only those with exactly these axes."""
        return sorted(n for n, a in self.axes.items() if axes is None or a == tuple(axes))

    @property
    def labels(self) -> list[str]:
        return list(self.meta.get("labels", []))

    @property
    def steps(self) -> np.ndarray:
        return np.asarray(self.meta.get("steps", []), dtype=np.int64)

    @property
    def n_layers(self) -> int:
        return self._length("layer", 0)

    def _length(self, axis: str, absent: int) -> int:
        """The length of ``axis`` in the first array that has it (``absent`` when none has)."""
        return next((self.arrays[n].shape[ax.index(axis)] for n, ax in self.axes.items() if axis in ax), absent)

    # -- persistence ---------------------------------------------------------
    def save(self, path) -> Path:
        """Write a ``.npz`` (no pickles) atomically: a crash leaves no half file."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        payload = dict(self.arrays)
        payload[_META_KEY] = np.array(json.dumps(self.meta, sort_keys=True))
        payload[_AXES_KEY] = np.array(json.dumps(self.axes, sort_keys=True))
        with atomic_open(path) as fh:
            np.savez_compressed(fh, **payload)
        return path

    @classmethod
    def load(cls, path, max_bytes: int | None = None) -> "Recording":
        """Read a ``.npz`` written by :meth:`save`.

        Anything else -- empty, truncated or not a zip, a zip bomb (members
        whose declared sizes exceed ``max_bytes`` are refused before anything
        is inflated), missing metadata, a newer format -- raises
        :class:`RecordingError` with one line saying what is wrong.
        """
        from . import __version__
        from .limits import RECORDING_BYTES, ArchiveError, check_npz_sizes

        path = Path(path)
        where = str(path)
        try:
            if path.is_dir() or not path.exists():
                raise RecordingError(f"{where}: no recording file there")
            if path.stat().st_size == 0:
                raise RecordingError(f"{where}: the file is empty (0 bytes), not a recording")
            check_npz_sizes(path, RECORDING_BYTES if max_bytes is None else max_bytes)
            with np.load(path, allow_pickle=False) as data:
                if _META_KEY not in data.files or _AXES_KEY not in data.files:
                    raise RecordingError(f"{where}: an .npz archive but not a gradviz recording (no metadata)")
                meta = json.loads(str(data[_META_KEY]))
                axes = {k: tuple(v) for k, v in json.loads(str(data[_AXES_KEY])).items()}
                arrays = {k: data[k] for k in data.files if k not in (_META_KEY, _AXES_KEY)}
        except RecordingError:
            raise
        except ArchiveError as exc:
            raise RecordingError(str(exc)) from None
        except Exception as exc:  # BadZipFile, EOFError, CRC errors, bad JSON, pickled members, ...
            raise RecordingError(f"{where}: not a readable gradviz recording ({type(exc).__name__}: "
                                 f"{str(exc).splitlines()[0] if str(exc) else 'corrupt'})") from None
        if not isinstance(meta, dict) or set(axes) != set(arrays):
            raise RecordingError(f"{where}: metadata does not match the arrays (corrupt recording)")
        if _version_tuple(meta.get("version", "0")) > _version_tuple(__version__):
            raise RecordingError(f"{where}: written by gradviz {meta.get('version')}, newer than this "
                                 f"gradviz {__version__}; upgrade gradviz or re-simulate (--rerun)")
        return cls(arrays=arrays, axes=axes, meta=meta)

    # -- export --------------------------------------------------------------
    def to_dataframe(self, names=None):
        """A long pandas DataFrame (pandas imported only now): see :func:`gradviz.tables.to_dataframe`."""
        from .tables import to_dataframe

        return to_dataframe(self, names)

    def to_xarray(self):
        """An xarray Dataset, bin edges as coordinates (xarray imported only now):
        see :func:`gradviz.tables.to_xarray`."""
        from .tables import to_xarray

        return to_xarray(self)

    def to_csv(self) -> dict[str, str]:
        """Long (tidy) CSV text of every scalar series.

        Returns ``{"steps.csv": ..., "layers.csv": ...}``: one row per
        (variant, record[, layer], quantity). Histograms are not exported.
        """
        labels = self.labels
        steps = self.steps

        def table(axes, header):
            buf = io.StringIO()
            writer = csv.writer(buf, lineterminator="\n")
            writer.writerow(header)
            for name in self.names(axes):
                arr = self.arrays[name]
                for idx in np.ndindex(arr.shape):
                    v, r = idx[0], idx[1]
                    row = [v, labels[v] if v < len(labels) else v, r,
                           int(steps[r]) if r < len(steps) else r, *idx[2:], name,
                           repr(float(arr[idx]))]
                    writer.writerow(row)
            return buf.getvalue()

        return {
            "steps.csv": table(("variant", "record"),
                               ["variant", "label", "record", "step", "quantity", "value"]),
            "layers.csv": table(("variant", "record", "layer"),
                                ["variant", "label", "record", "step", "layer", "quantity", "value"]),
        }


class RecordingError(ValueError):
    """A recording file that cannot be used (corrupt, empty, too large, newer format)."""


def _version_tuple(text) -> tuple[int, ...]:
    """"0.3.1.dev2" -> (0, 3, 1): the numeric release parts, for comparing versions."""
    parts = []
    for piece in str(text).split(".")[:3]:
        m = re.match(r"\d{1,9}", piece)
        if not m:
            break
        parts.append(int(m.group()))
    return tuple(parts)


def _clip(text: str, width: int = 300) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _fit(names: list[str], width: int) -> list[str]:
    """The leading names whose ", "-joined text fits in ``width`` characters."""
    out, used = [], 0
    for n in names:
        used += len(n) + 2
        if used > width:
            break
        out.append(n)
    return out


def load_recording(path) -> Recording:
    """Load a Recording saved by ``gradviz render`` (``outputs/<name>/recording.npz``)."""
    return Recording.load(path)


def nan_percentiles(arr: np.ndarray, q, axis: int) -> np.ndarray:
    """``np.nanpercentile(arr, q, axis)`` ("linear"), bit for bit, vectorised.

    numpy falls back to one Python-level 1-D quantile per slice as soon as
    any NaN is present (an early-stopped run is NaN after its stop), which
    cost minutes on a recording with a decision-boundary grid. Here: sort
    along ``axis`` (NaN last), count the finite values and interpolate with
    numpy's own virtual-index and lerp formulas. All-NaN slices stay NaN.
    """
    a = np.sort(np.moveaxis(arr.astype(np.float64), axis, -1), axis=-1)
    n = (~np.isnan(a)).sum(axis=-1)
    out = np.full((len(q),) + a.shape[:-1], np.nan)
    for i, qi in enumerate(np.true_divide(np.asarray(q, dtype=np.float64), 100)):
        virtual = (n - 1) * qi  # numpy's virtual index of the "linear" method
        lo = np.clip(np.floor(virtual), 0, None).astype(np.intp)
        hi = np.minimum(lo + 1, np.maximum(n - 1, 0))
        gamma = virtual - np.floor(virtual)
        below = np.take_along_axis(a, lo[..., None], -1)[..., 0]
        above = np.take_along_axis(a, hi[..., None], -1)[..., 0]
        with np.errstate(invalid="ignore"):  # inf - inf is NaN, as in numpy
            diff = above - below
            value = np.where(gamma >= 0.5, above - diff * (1 - gamma), below + diff * gamma)  # numpy's _lerp
        out[i] = np.where(n > 0, value, np.nan)
    return out
