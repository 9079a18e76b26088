"""Resource estimates and the documented limits a render refuses to exceed.

``gradviz check`` prints :func:`estimate`'s peak memory, recording size,
work (floating-point operations) and animation frames; ``gradviz render``
refuses a scenario above :data:`LIMITS` (``--force`` overrides), naming the
estimate and the key to change. The estimates are upper-bound-ish orders of
magnitude from the scenario alone (no training, no data beyond its size), so
a typo such as ``width = 10000000`` fails in a millisecond instead of after a
minute of swapping. README section "Safety and limits".
"""
from __future__ import annotations

import math
import os
import zipfile
from dataclasses import dataclass

import numpy as np

GiB = 1024 ** 3
MEMORY_BYTES = 4e9              # estimated peak memory of a run
RECORDING_BYTES = 1e9           # recording.npz, uncompressed (also the zip-bomb guard on load)
WORK_FLOPS = 2e14               # ~ an hour of numba on one core
ANIMATION_FRAMES = 1000         # frames of one animation (each is held in memory while encoding)
FRAME_BYTES = 3e9               # memory of one animation's frames
LABEL_CHARS = 200               # a variant label (legends, layout)
TITLE_CHARS = 300
DESCRIPTION_CHARS = 5000        # the caption
DECIMAL_EXPONENT = 400          # |exponent| of an exact decimal: every format saturates long before
DECIMAL_DIGITS = 2000

_DIGITS = (1797, 64, 10)
MASK_CELLS = 32 << 20  # dropout mask entries per chunk at most (engine/variant.py MASK_BYTES)
#: Peak RSS of `gradviz render` of a 2x4 network (20 steps, one figure),
#: numba's cache warm: Python, numpy, numba with the loaded kernels, scipy,
#: matplotlib. Measured 216.7 MB (ru_maxrss, Linux, Python 3.11, numba 0.68, matplotlib 3.11);
#: a first run that compiles the kernels needs more (LLVM): COMPILE_BYTES.
RUNTIME_BYTES = 230e6
COMPILE_BYTES = 150e6  # the same render with an empty NUMBA_CACHE_DIR: 364.0 MB
#: Memory per pixel of an animation's frames while it is encoded: the palette
#: image kept per frame plus PIL's optimised copy (every1-gif in the issue-8
#: measurement: 302 frames of 0.81 megapixels took ~510 MB above the rest).
FRAME_PIXEL_BYTES = 2.5
_META_BYTES = 20_000  # metadata and axes JSON (the scenario's text is in it)


def _counts() -> dict:
    """How many recorded arrays of each axes shape a training run has (quantities.py)."""
    from collections import Counter

    from . import quantities as q

    return Counter(x.axes for x in q.declared("training"))


class ArchiveError(ValueError):
    """An ``.npz`` whose members would inflate beyond a limit (or lie about their size)."""


class LimitError(ValueError):
    """A scenario whose estimated cost exceeds a documented limit (``--force`` overrides)."""

    def __init__(self, path: str, message: str):
        self.path = path
        super().__init__(f"{path}: {message}")


@dataclass(frozen=True)
class Estimate:
    memory: float       # bytes, peak of the whole process (runtime, training jobs, recording, frames)
    recording: float    # bytes, uncompressed
    flops: float        # all variants, seeds and ensemble members
    frames: int         # frames of each animation
    records: int        # recorded steps (largest variant)

    def summary(self) -> str:
        return (f"estimated peak memory {human_bytes(self.memory)} (the whole process, with ~"
                f"{human_bytes(RUNTIME_BYTES)} of Python, numba and matplotlib; a first run compiling the kernels "
                f"needs ~{human_bytes(COMPILE_BYTES)} more), recording {human_bytes(self.recording)}, "
                f"work {self.flops:.2g} FLOPs, {self.records:,} records"
                + (f", {self.frames:,} frames per animation" if self.frames else ""))


def human_bytes(n: float) -> str:
    for unit in ("B", "kB", "MB", "GB", "TB", "PB"):
        if abs(n) < 1000 or unit == "PB":
            return f"{n:.3g} {unit}"
        n /= 1000
    return f"{n:.3g} PB"  # pragma: no cover


def data_shape(d, n_file: tuple[int, int, int] | None = None) -> tuple[int, int, int]:
    """(samples, features, classes) of a [data] table (``n_file`` for kind = file)."""
    if d.kind == "file":
        return n_file or (max(d.samples, 1), 1, max(d.classes, 2))
    if d.kind == "digits":
        k = d.classes or 10
        n = round(_DIGITS[0] * k / 10)
        return (min(d.samples, n) if d.samples else n), _DIGITS[1], k
    feats = d.features if d.kind == "gaussian" else 2
    return d.samples, feats, d.classes or 3


def _variant(sc, shape) -> dict:
    n, d_in, k = shape
    n_train = max(1, n - round(sc.data.validation * n))
    n_val = n - n_train
    widths = sc.widths
    dims = (d_in, *widths, k)
    params = sum((a + 1) * b for a, b in zip(dims[:-1], dims[1:]))
    # preflight checks batch_size against the data only after this estimate (a huge
    # synthetic set is refused before it is made): capped, batch_size = 10**9 on 120
    # samples is the batch_size error, not "estimated peak memory 808 GB"
    batch = min(sc.train.batch_size, n_train)
    spe = max(1, n_train // batch)
    steps = sc.train.steps if sc.train.steps is not None else (sc.train.epochs or 20) * spe
    records = steps // sc.record.every + 2
    layers = len(widths) + 1
    members = sc.train.ensemble * getattr(sc, "seeds", 1)
    c = _counts()
    per_record = (c[("variant", "record")] + layers * (c[("variant", "record", "layer")] + 10)
                  + layers * c[("variant", "record", "layer", "bin")] * sc.record.bins)
    rec = 8.0 * (records * per_record + (steps + 1) * c[("variant", "step")])
    if sc.record.weights:
        rec += 8.0 * records * params * sc.train.ensemble
    if sc.train.ensemble > 1:
        rec += 8.0 * records * sc.train.ensemble * 3
    grid = sc.record.boundary ** 2
    if grid:
        rec += 8.0 * (records * grid * 2 + n * (d_in + 1))
    rec *= getattr(sc, "seeds", 1)
    flops = 6.0 * params * batch * steps * members
    flops += 2.0 * params * (n_val + n_train) * (steps / spe + 1) * members  # evaluation per epoch
    flops += 2.0 * params * grid * records * members
    return {"records": records, "recording": rec, "flops": flops, "memory": _training_bytes(sc, dims, n, batch, steps)}


def _training_bytes(sc, dims, n: int, batch: int, steps: int) -> float:
    """Bytes one (variant, seed) job holds while it trains, at 8 bytes a number
    (float64, the widest dtype): per member the parameters with their copies
    (weights used, optimizer moments, gradient, effective weights, an early
    stopping snapshot), the 7 activation buffers of a batch, the evaluation
    passes, the data, and with dropout one chunk's masks (drawn as float64,
    kept as bytes). engine/net.py and engine/variant.py allocate these."""
    params = sum((a + 1) * b for a, b in zip(dims[:-1], dims[1:]))
    widest, cols = max(dims), sum(dims[1:])
    per_member = 8.0 * (8 * params + 7 * batch * cols + 4 * max(batch, widest) * len(dims) + 2 * batch * widest)
    evaluation = 8.0 * 3 * (n + sc.record.boundary ** 2) * widest
    data = 8.0 * 3 * n * (dims[0] + 1) + 8.0 * 3 * (steps + 1)  # samples; learning rates and batch rows
    masks = 0.0
    if sc.model.dropout > 0:
        masks = 9.0 * min(MASK_CELLS, 2000 * batch * sum(dims[1:-1]))  # 2000: MAX_CHUNK steps
    return sc.train.ensemble * per_member + evaluation + data + masks


def estimate(sc, n_file: tuple[int, int, int] | None = None) -> Estimate:
    """Orders of magnitude for ``sc`` (a training or surface scenario)."""
    if sc.kind != "training":
        steps = sc.train.steps or 400
        records = steps + 1
        frames = min(records, 100) if sc.render.animations else 0
        return Estimate(memory=RUNTIME_BYTES + records * 200.0, recording=records * 200.0, flops=records * 1e3, frames=frames,
                        records=records)
    parts = [_variant(v, data_shape(v.data, n_file)) for _, v in sc.expand()]
    recording = sum(p["recording"] for p in parts) + _META_BYTES
    records = max(p["records"] for p in parts)
    frames = records if sc.render.animations else 0
    # training: every job's record and the assembled Recording (2x), and the
    # jobs running at once (one per core: engine/parallel.py); drawing: the
    # Recording and one animation's frames (palette images, 1 byte a pixel)
    workers = min(os.cpu_count() or 1, len(parts) * getattr(sc, "seeds", 1))
    training = 2 * recording + workers * max(p["memory"] for p in parts)
    drawing = recording + frames * _frame_bytes(sc) / 4 * FRAME_PIXEL_BYTES
    return Estimate(memory=RUNTIME_BYTES + max(training, drawing), recording=recording,
                    flops=sum(p["flops"] for p in parts), frames=frames, records=records)


def _frame_bytes(sc) -> float:
    from .style import SIZES

    size = SIZES[sc.render.size]
    return size.width * size.height * sc.render.dpi ** 2 * 4.0


def check(sc, est: Estimate) -> None:
    """Raise :class:`LimitError` for the first limit ``est`` exceeds."""
    hint_steps = "train.steps / train.epochs" if sc.kind == "training" else "train.steps"
    if est.recording > RECORDING_BYTES:
        raise LimitError("$.train.steps", f"the recording would be about {human_bytes(est.recording)}, above the "
                         f"limit of {human_bytes(RECORDING_BYTES)}; lower {hint_steps}, raise record.every or "
                         "turn off record.weights / record.boundary (--force overrides)")
    if est.frames > ANIMATION_FRAMES or est.frames * _frame_bytes(sc) > FRAME_BYTES:
        raise LimitError("$.record.every", f"each animation would have {est.frames:,} frames "
                         f"({human_bytes(est.frames * _frame_bytes(sc))} of images), above the limit of "
                         f"{ANIMATION_FRAMES:,} frames / {human_bytes(FRAME_BYTES)}; raise record.every, lower "
                         "render.dpi or drop render.animations (--force overrides)")
    # after the frames: their memory is in est.memory, and the frames' key is the one to change
    if est.memory > MEMORY_BYTES:
        raise LimitError("$.model.width", f"estimated peak memory {human_bytes(est.memory)}, above the limit of "
                         f"{human_bytes(MEMORY_BYTES)}; lower model.width / model.depth / train.batch_size "
                         "(--force overrides)")
    if est.flops > WORK_FLOPS:
        raise LimitError("$.train.steps", f"estimated work {est.flops:.2g} floating-point operations, above the "
                         f"limit of {WORK_FLOPS:.0g} (about an hour); lower {hint_steps} or model.width "
                         "(--force overrides)")


def check_text(path: str, text: str, limit: int) -> None:
    if len(text) > limit:
        raise LimitError(path, f"{len(text):,} characters, above the limit of {limit:,} (layout of long "
                         "labels takes minutes); shorten it (--force overrides)")


def check_decimal(text: str, where: str) -> None:
    """Refuse decimal text whose exact value would take unbounded time to compute with."""
    import re

    m = re.fullmatch(r"\s*[+-]?(\d*)\.?(\d*)(?:[eE]([+-]?\d+))?\s*", text.replace("_", ""))
    if not m:
        return  # not a plain decimal (inf, nan, hex, ...): the parser says what is wrong
    digits = len(m.group(1)) + len(m.group(2))
    if digits > DECIMAL_DIGITS:
        raise LimitError(where, f"{digits:,} digits, above the limit of {DECIMAL_DIGITS:,}")
    exp = m.group(3)
    if exp is not None and (len(exp.lstrip("+-")) > 6 or abs(int(exp)) > DECIMAL_EXPONENT):
        raise LimitError(where, f"exponent {exp} is beyond ±{DECIMAL_EXPONENT}: every format has long "
                         "overflowed (float64 max ≈ 1.8e308) or underflowed (min ≈ 4.9e-324); the exact "
                         f"value would need about 10^{min(len(exp.lstrip('+-')), 99)} digits")


def check_npz_sizes(path, max_bytes: int) -> None:
    """Refuse an ``.npz`` whose members would inflate beyond ``max_bytes``, before inflating.

    Both the zip's declared sizes and each ``.npy`` header's shape are checked:
    numpy allocates the header's shape up front, whatever the zip says.
    """
    total = 0
    with zipfile.ZipFile(path) as zf:
        for info in zf.infolist():
            total += info.file_size
            if total > max_bytes:
                raise ArchiveError(f"{path}: inflates to more than {human_bytes(max_bytes)} (declared "
                                     f"{human_bytes(sum(i.file_size for i in zf.infolist()))}); refusing to "
                                     "read it (a zip bomb or not a gradviz recording)")
            with zf.open(info) as fh:
                version = np.lib.format.read_magic(fh)
                read = (np.lib.format.read_array_header_1_0 if version == (1, 0)
                        else np.lib.format.read_array_header_2_0)
                shape, _, dtype = read(fh)
                nbytes = math.prod(shape) * dtype.itemsize
                if nbytes > info.file_size:
                    raise ArchiveError(f"{path}: member {info.filename} declares {human_bytes(nbytes)} but "
                                         f"holds {human_bytes(info.file_size)} (corrupt recording)")


def table() -> str:
    """The README's table of limits (section "Safety and limits")."""
    rows = [("estimated peak memory", human_bytes(MEMORY_BYTES)),
            ("recording, uncompressed (also the zip-bomb guard when loading)", human_bytes(RECORDING_BYTES)),
            ("work", f"{WORK_FLOPS:.0e} floating-point operations"),
            ("frames of one animation", f"{ANIMATION_FRAMES:,} (and {human_bytes(FRAME_BYTES)} of frames)"),
            ("a variant label / title / description", f"{LABEL_CHARS} / {TITLE_CHARS} / {DESCRIPTION_CHARS:,} characters"),
            ("`precision add` operands, `precision.a` and `b` (no `--force`)",
             f"exponent within ±{DECIMAL_EXPONENT}, at most {DECIMAL_DIGITS:,} digits")]
    return "\n".join(["| limit | value |", "|---|---|", *(f"| {a} | {b} |" for a, b in rows)])
