"""The training loop around the kernels: variants, ensemble members, chunks,
early stopping, evaluation, and assembly of the Recording.

All randomness is drawn here from numpy Generators seeded from the
scenario's seed; a stream depends only on (seed, member, purpose, repeat),
never on the variant, so variants differ only by their knob (a paired
comparison: variant A and B of seed k start from the same draws). Repeat k is
the scenario's k-th seed (``seeds``); repeat 0 uses the key of a single-seed
run, so seed 0 of ``seeds = N`` reproduces ``seeds = 1``. The data split uses
the seed alone and is the same for every repeat.
"""
from __future__ import annotations

import inspect
import math
import numpy as np

from .. import __version__
from ..data import DEFAULT_CLASSES, make_dataset
from ..record import Recording
from ..scenario import Scenario
from . import kernels as K
from .parallel import run_jobs, worker_count
from .variant import DATA, VariantRecord, VariantRun, boundary_grid, lr_at, rng  # noqa: F401 (lr_at: API)

DEFAULT_EPOCHS = 20
_WARM: set = set()  # (model.dtype, boundary grid) whose kernels this process has run
NATURAL_CLASSES = DEFAULT_CLASSES  # data.classes = 0 means this (file: from the labels); one table, in data.py


# ---------------------------------------------------------------------------
# the public entry point
# ---------------------------------------------------------------------------
def simulate(scenario: Scenario, progress=None, *, workers: int | None = None, first_seed: int = 0) -> Recording:
    """Train every variant of a training scenario and return its Recording.

    Same scenario and seed give a bit-identical Recording, whatever the
    worker or thread count.

    Every variant is trained ``scenario.seeds`` times (repeats ``first_seed``
    … ``first_seed + seeds - 1``); with more than one, every per-variant
    array gets a ``seed`` axis right after ``variant``. ``first_seed = k``
    with ``seeds = 1`` reproduces seed k of a larger run alone.

    The (variant, seed) jobs run on ``workers`` threads (default
    ``$GRADVIZ_WORKERS``, else the CPU count; see engine/parallel.py).

    ``progress`` is called in the calling thread. A callback taking three
    arguments gets ``progress(done, total, phase)``: phase ``"compiling"``
    (``done = 0``) once before kernels are first compiled or loaded from
    numba's cache in this process, then ``"training"`` after every chunk of
    steps. A two-argument callback gets ``progress(done, total)`` for the
    training calls only. ``total`` counts every step of every ensemble
    member of every job; a job that stops early counts its missing steps as
    done.
    """
    if not isinstance(first_seed, int) or first_seed < 0:
        raise ValueError(f"first_seed: expected an integer ≥ 0, found {first_seed!r}")
    variants = scenario.expand()
    datasets = {}
    for _, sc in variants:
        key = repr(sc.data)
        if key not in datasets:
            d = sc.data
            datasets[key] = make_dataset(d.kind, samples=d.samples, noise=d.noise, features=d.features,
                                         classes=d.classes or NATURAL_CLASSES[d.kind], path=d.path or None, scale=d.scale,
                                         validation=d.validation, feature_scale=d.feature_scale, rng=rng(sc.seed, DATA))
    plans = [_plan(sc, len(datasets[repr(sc.data)].y_train)) for _, sc in variants]
    steps = sorted(set().union(*(p["records"] for p in plans)))
    repeats = range(first_seed, first_seed + scenario.seeds)
    jobs = [(sc, datasets[repr(sc.data)], plan, steps, repeat)
            for (_, sc), plan in zip(variants, plans) for repeat in repeats]
    total = sum(p["total"] * sc.train.ensemble for p, (_, sc) in zip(plans, variants)) * len(repeats)
    report = _reporter(progress, total)
    _warm_up(jobs, report)
    results = run_jobs(_run_job, jobs, worker_count(workers, len(jobs)), report)
    rec = _assemble(scenario, variants, [p for p in plans for _ in repeats], steps, results,
                    datasets[repr(variants[0][1].data)])
    return _fold_seeds(rec, len(repeats)) if len(repeats) > 1 else rec


def _reporter(progress, total):
    """``tick(n)`` adding n done steps; calls ``progress`` as its signature allows."""
    done = [0]
    if progress is None:
        def tick(n, phase="training"):
            done[0] += n
        return tick
    try:
        inspect.signature(progress).bind(0, 0, "training")
        three = True
    except (TypeError, ValueError):  # ValueError: no signature (some builtins)
        three = False

    def tick(n, phase="training"):
        done[0] += n
        if three:
            progress(done[0], total, phase)
        elif phase == "training":
            progress(done[0], total)
    return tick


def _warm_up(jobs, tick) -> None:
    """Compile (or load from numba's cache) the kernels of every compute dtype
    the jobs use, in this thread, before any worker starts: one 1-step run of
    a job per dtype. Reports phase "compiling" when there is something to do."""
    todo = {}
    for job in jobs:
        key = (job[0].model.dtype, job[0].record.boundary > 0)  # emulated formats also round
        if key not in _WARM:
            todo.setdefault(key, job)
    if todo:
        tick(0, "compiling")
    # on a worker thread like the jobs, so a signal is answered at once (parallel.run_jobs)
    run_jobs(_warm_job, list(todo.values()), 1, lambda n: None)
    _WARM.update(todo)


def _warm_job(job, tick) -> None:
    sc, ds, plan, _, _ = job
    tiny = {"batch": plan["batch"], "spe": 1, "total": 1, "records": {0, 1}}
    VariantRun(sc, ds, tiny, [0, 1]).run(tick)


def _run_job(job, tick) -> VariantRecord:
    """One (variant, seed) job; a job that stops early counts its missing steps as done."""
    sc, ds, plan, steps, repeat = job
    done = [0]

    def count(n):
        done[0] += n
        tick(n)
    out = VariantRun(sc, ds, plan, steps, repeat).run(count)
    left = plan["total"] * sc.train.ensemble - done[0]
    if left:
        tick(left)
    return out


def _fold_seeds(rec: Recording, n_seeds: int) -> Recording:
    """Reshape the (variant × seed) rows of every per-variant array into a
    ``seed`` axis right after ``variant``; histogram edges are the same for
    every seed and keep none."""
    out = Recording(meta=rec.meta)
    for name, arr in rec.arrays.items():
        axes = rec.axes[name]
        if axes[:1] == ("variant",):
            arr = arr.reshape(arr.shape[0] // n_seeds, n_seeds, *arr.shape[1:])
            if name.endswith("_edges"):
                arr = np.ascontiguousarray(arr[:, 0])
            else:
                axes = ("variant", "seed", *axes[1:])
        out.add(name, arr, axes)
    return out


def _plan(sc: Scenario, n_train: int) -> dict:
    """Batch size, steps per epoch, total steps and record steps of a variant.

    ``batch_size <= n_train``: :func:`gradviz.preflight.preflight` refuses more,
    and every way in (``gradviz render`` and ``verify``, ``gradviz.simulate``) runs it."""
    batch = sc.train.batch_size
    spe = n_train // batch  # the last partial batch of an epoch is dropped
    if sc.train.steps is not None:
        total = sc.train.steps
    else:
        total = (sc.train.epochs or DEFAULT_EPOCHS) * spe
    records = set(range(0, total, sc.record.every)) | {total}
    return {"batch": batch, "spe": spe, "total": total, "records": records}


def _assemble(scenario, variants, plans, steps, results, ds) -> Recording:
    rec = Recording()
    V = len(results)
    T = max(p["total"] for p in plans)
    stack = lambda f: np.stack([f(r) for r in results])  # noqa: E731

    clipped = any(sc.train.clip_norm > 0 or sc.train.clip_value > 0 for _, sc in variants)
    for i, name in enumerate(K.STEP_STATS):
        if name in K.CLIP_ONLY and not clipped:
            continue
        rec.add(name, stack(lambda r: r.step_stats[:, i]), ("variant", "record"))
        trace = np.full((V, T + 1), np.nan)
        for v, r in enumerate(results):
            trace[v, :len(r.trace)] = r.trace[:, i]
        rec.add(f"trace_{name}", trace, ("variant", "step"))
    rec.add("val_loss", stack(lambda r: r.val[:, 0]), ("variant", "record"))
    rec.add("val_acc", stack(lambda r: r.val[:, 1]), ("variant", "record"))
    spe = np.array([p["spe"] for p in plans], dtype=float)
    reached = stack(lambda r: ~np.isnan(r.layer_stats[:, 0, 0]))
    epoch = np.where(reached, np.asarray(steps, float)[None, :] / spe[:, None], np.nan)
    rec.add("epoch", epoch, ("variant", "record"))
    for i, name in enumerate(K.LAYER_STATS):
        if name in K.CLIP_ONLY and not clipped:
            continue
        rec.add(name, stack(lambda r: r.layer_stats[:, :, i]), ("variant", "record", "layer"))
    for h, name in enumerate(K.HISTS):
        rec.add(name, stack(lambda r: r.hist[:, :, h]), ("variant", "record", "layer", "bin"))
        for e, extra in enumerate(K.HIST_EXTRA):
            if extra == "zero" and name != "hist_delta":
                continue
            rec.add(f"{name}_{extra}", stack(lambda r: r.hist_extra[:, :, h, e]), ("variant", "record", "layer"))
        rec.add(f"{name}_edges", np.stack([np.linspace(*r.hist_range[0, h], r.hist.shape[-1] + 1) for r in results]), ("variant", "edge"))
    for name in ("first_nonfinite_step", "stop_step", "early_stop_epoch", "best_epoch"):
        rec.add(name, np.array([getattr(r, name) for r in results], dtype=np.int64), ("variant",))
    _add_members(rec, results)
    if all(r.boundary is not None for r in results):
        b = stack(lambda r: r.boundary)
        rec.add("boundary_class", np.where(np.isnan(b[..., 0]), -1, b[..., 0]).astype(np.int8),
                ("variant", "record", "gy", "gx"))
        rec.add("boundary_conf", b[..., 1], ("variant", "record", "gy", "gx"))
        grid = boundary_grid(ds, b.shape[2])
        rec.add("boundary_xs", grid[:b.shape[3], 0], ("gx",))
        rec.add("boundary_ys", grid[::b.shape[3], 1], ("gy",))
        rec.add("train_x", ds.x_train, ("sample", "feature"))
        rec.add("train_y", ds.y_train, ("sample",))
    _add_params(rec, results)

    sc0 = variants[0][1]
    rec.meta.update(
        labels=[label for label, _ in variants], steps=[int(s) for s in steps],
        epochs=[float(s) / plans[0]["spe"] for s in steps], title=scenario.title,
        description=scenario.description, activation=sc0.model.activation, depth=sc0.model.depth,
        data_dim=int(ds.x_train.shape[1]), classes=int(ds.classes), version=__version__,
        seed=scenario.seed, steps_per_epoch=[p["spe"] for p in plans], total_steps=[p["total"] for p in plans],
        variant_overrides=[dict(v.overrides) for v in scenario.variants],
        clip_norm=[sc.train.clip_norm for _, sc in variants],
        dtypes=[sc.model.dtype for _, sc in variants],
        scenario=scenario.to_dict(), scenario_toml=scenario.to_toml(),
        simulation_hash=scenario.simulation_hash(), name=scenario.name,
        data_raw_range=[float(v) for v in getattr(ds, "raw_range", (math.nan, math.nan))],
    )
    return rec


def _add_members(rec: Recording, results) -> None:
    """Ensembles: `loss`/`acc` become the averaged prediction's (on the training
    split, evaluation mode); each member's curves along a `member` axis."""
    if results[0].member_val.shape[1] == 1:
        return
    axes = ("variant", "record", "member")
    rec.add("loss", np.stack([r.train[:, 0] for r in results]), ("variant", "record"))
    rec.add("acc", np.stack([r.train[:, 1] for r in results]), ("variant", "record"))
    rec.add("member_loss", np.stack([r.member_train[:, :, 0] for r in results]), axes)
    rec.add("member_val_loss", np.stack([r.member_val[:, :, 0] for r in results]), axes)
    rec.add("member_val_acc", np.stack([r.member_val[:, :, 1] for r in results]), axes)


_PARAM_AXES = {"weights": ("in", "out"), "bias": ("out",), "gamma": ("out",), "beta": ("out",), "g": ("out",)}


def _add_params(rec: Recording, results) -> None:
    """record.weights: every parameter of member 0 at every record, in the run's
    dtype; a layer whose shape differs between variants is left out."""
    for key in results[0].params:
        arrays = [r.params.get(key) for r in results]
        if all(a is not None and a.shape == arrays[0].shape for a in arrays):
            dtype = np.result_type(*arrays)
            name = key.rsplit("_", 1)[0]
            rec.add(key, np.stack([a.astype(dtype) for a in arrays]), ("variant", "record", *_PARAM_AXES[name]))
