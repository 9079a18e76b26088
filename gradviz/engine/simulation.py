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
from dataclasses import dataclass, field

import numpy as np

from .. import __version__
from . import kernels as K
from ..data import make_dataset
from ..record import Recording
from ..scenario import Scenario
from .parallel import run_jobs, worker_count
from .net import DYNAMIC_START, Net, build_layout, compute_dtype, hist_ranges, init_theta, kernel_config

# seed-stream purposes
_DATA, _INIT, _BATCH, _DROPOUT = range(4)
MASK_BYTES = 32 << 20  # dropout masks per chunk stay below this
MAX_CHUNK = 200  # steps per kernel call, so progress moves and Ctrl-C is honoured
DEFAULT_EPOCHS = 20
_WARM: set = set()  # (compute dtype, boundary grid) whose kernels this process has run
NATURAL_CLASSES = {"spirals": 3, "circles": 2, "xor": 2, "moons": 2, "blobs": 3, "gaussian": 3,
                   "digits": 10, "file": 0}  # data.classes = 0 means this (file: from the labels)


def _rng(seed: int, *key: int) -> np.random.Generator:
    return np.random.default_rng(np.random.SeedSequence([seed, *key]))


def _stream(seed: int, member: int, purpose: int, repeat: int) -> np.random.Generator:
    """The init/batch/dropout stream of one member of one repeat (seed index)."""
    # repeat 0 keeps the single-seed key; k > 0 appends k (a longer key whose
    # last word is non-zero never collides with a shorter one)
    return _rng(seed, member, purpose) if repeat == 0 else _rng(seed, member, purpose, repeat)


def lr_at(train, step: int, steps_per_epoch: int, total: int) -> float:
    """The learning rate of a step under the scenario's schedule."""
    epoch = step // steps_per_epoch
    lr = train.lr
    if train.lr_schedule == "exponential":
        lr *= train.lr_decay ** epoch
    elif train.lr_schedule == "step":
        lr *= train.lr_decay ** (epoch // train.lr_step)
    elif train.lr_schedule == "cosine":
        lr *= 0.5 * (1.0 + math.cos(math.pi * min(step, total) / total))
    if train.warmup:
        lr *= min(1.0, (step + 1) / train.warmup)
    return lr


@dataclass
class VariantRecord:
    """What one variant records, before stacking into the Recording."""
    step_stats: np.ndarray
    layer_stats: np.ndarray
    hist: np.ndarray
    hist_extra: np.ndarray
    hist_range: np.ndarray
    trace: np.ndarray
    val: np.ndarray  # (R, 2): loss, acc of the (averaged) prediction
    member_val: np.ndarray  # (R, members, 2)
    boundary: np.ndarray | None = None  # (R, gy, gx, 2): class, confidence
    weights: dict = field(default_factory=dict)
    first_nonfinite_step: int = -1
    stop_step: int = 0
    early_stop_epoch: int = -1
    best_epoch: int = -1


def _eval(probs: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    if len(y) == 0:
        return math.nan, math.nan
    with np.errstate(divide="ignore", invalid="ignore"):
        loss = float(-np.mean(np.log(probs[np.arange(len(y)), y].astype(np.float64))))
    acc = float(np.mean(np.argmax(probs, axis=1) == y))
    return loss, acc


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
    variants = scenario.expand()
    datasets = {}
    for _, sc in variants:
        key = repr(sc.data)
        if key not in datasets:
            d = sc.data
            datasets[key] = make_dataset(d.kind, samples=d.samples, noise=d.noise, features=d.features,
                                         classes=d.classes or NATURAL_CLASSES[d.kind], path=d.path or None, scale=d.scale,
                                         validation=d.validation, rng=_rng(sc.seed, _DATA))
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
        key = (compute_dtype(job[0].model).str, job[0].record.boundary > 0)
        if key not in _WARM:
            todo.setdefault(key, job)
    if todo:
        tick(0, "compiling")
    for key, (sc, ds, plan, _, _) in todo.items():
        tiny = {"batch": plan["batch"], "spe": 1, "total": 1, "records": {0, 1}}
        _run_variant(sc, ds, tiny, [0, 1], lambda n: None, 0)
        _WARM.add(key)


def _run_job(job, tick) -> VariantRecord:
    """One (variant, seed) job; a job that stops early counts its missing steps as done."""
    sc, ds, plan, steps, repeat = job
    done = [0]

    def count(n):
        done[0] += n
        tick(n)
    out = _run_variant(sc, ds, plan, steps, count, repeat)
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
    """Batch size, steps per epoch, total steps and record steps of a variant."""
    batch = min(sc.train.batch_size, n_train)
    spe = max(1, n_train // batch)  # the last partial batch of an epoch is dropped
    if sc.train.steps is not None:
        total = sc.train.steps
    else:
        total = (sc.train.epochs or DEFAULT_EPOCHS) * spe
    records = set(range(0, total, sc.record.every)) | {total}
    return {"batch": batch, "spe": spe, "total": total, "records": records}


def _run_variant(sc: Scenario, ds, plan, steps, tick, repeat: int = 0) -> VariantRecord:
    m = sc.model
    dtype = compute_dtype(m)
    layout = build_layout(ds.x_train.shape[1], sc.widths, ds.classes, m.norm)
    cfg, hp = kernel_config(sc, dtype)
    x = np.ascontiguousarray(ds.x_train, dtype=dtype)
    y = np.ascontiguousarray(ds.y_train, dtype=np.int64)
    xv = np.ascontiguousarray(ds.x_val, dtype=dtype)
    yv = ds.y_val.astype(np.int64)
    B, spe, T = plan["batch"], plan["spe"], plan["total"]
    R, nl, members = len(steps), len(layout), sc.train.ensemble
    slot_of = {s: i for i, s in enumerate(steps)}
    nan = np.nan
    out = VariantRecord(
        step_stats=np.full((R, len(K.STEP_STATS)), nan), layer_stats=np.full((R, nl, len(K.LAYER_STATS)), nan),
        hist=np.zeros((R, nl, len(K.HISTS), sc.record.bins), dtype=np.int64),
        hist_extra=np.zeros((R, nl, len(K.HISTS), len(K.HIST_EXTRA)), dtype=np.int64),
        hist_range=hist_ranges(layout, m.activation), trace=np.full((T + 1, len(K.STEP_STATS)), nan),
        val=np.full((R, 2), nan), member_val=np.full((R, members, 2), nan))
    grid = _boundary_grid(ds, sc.record.boundary)
    if grid is not None:
        out.boundary = np.full((R, sc.record.boundary, sc.record.boundary, 2), nan, dtype=np.float32)
    store_layers = [l for l in range(nl) if not sc.record.layers or l in sc.record.layers]
    if sc.record.weights:
        out.weights = {l: np.full((R, layout[l, K.N_IN], layout[l, K.N_OUT]), nan, dtype=np.float32)
                       for l in store_layers}

    nets, batch_rngs, mask_rngs = [], [], []
    for k in range(members):
        theta = init_theta(layout, m, _stream(sc.seed, k, _INIT, repeat), dtype)
        scale = sc.train.loss_scale
        if sc.train.loss_scaling == "dynamic" and scale == 1.0:
            scale = DYNAMIC_START
        nets.append(Net(theta, layout, cfg, hp, B, scale))
        batch_rngs.append(_stream(sc.seed, k, _BATCH, repeat))
        mask_rngs.append(_stream(sc.seed, k, _DROPOUT, repeat))
    # member 0 records the layer statistics; others train into scratch outputs
    scratch_out = [VariantRecord(np.zeros((1, len(K.STEP_STATS))), np.zeros((1, nl, len(K.LAYER_STATS))),
                                 np.zeros((1, nl, len(K.HISTS), sc.record.bins), dtype=np.int64),
                                 np.zeros((1, nl, len(K.HISTS), len(K.HIST_EXTRA)), dtype=np.int64),
                                 out.hist_range, np.full((T + 1, len(K.STEP_STATS)), nan),
                                 out.val, out.member_val) for _ in range(members - 1)]
    orders = [np.empty(0, dtype=np.int64) for _ in range(members)]
    active = [True] * members
    best = [(math.inf, -1, None)] * members  # (val loss, epoch, snapshot)
    bad = [0] * members
    lrs_all = np.array([lr_at(sc.train, s, spe, T) for s in range(T + 1)], dtype=dtype)
    mask_cols = nets[0].mask_cols if m.dropout > 0 else 0
    max_chunk = max(1, min(MAX_CHUNK, MASK_BYTES // max(mask_cols, 1)))

    def batch_indices(k, start, count):
        need = (start + count) * B
        while len(orders[k]) < need:  # one fresh permutation per epoch
            perm = batch_rngs[k].permutation(len(y))[:spe * B]
            orders[k] = np.concatenate([orders[k], perm])
        return orders[k][start * B:need].reshape(count, B)

    def masks_for(k, count):
        if not mask_cols:
            return np.zeros((count, 0), dtype=np.uint8)
        return (mask_rngs[k].random((count, mask_cols)) >= m.dropout).astype(np.uint8)

    def record_eval(slot):
        probs = [net.predict(xv) for net in nets]
        for k, p in enumerate(probs):
            out.member_val[slot, k] = _eval(p, yv)
        out.val[slot] = _eval(np.mean(probs, axis=0), yv)
        if grid is not None:
            gp = np.mean([net.predict(grid) for net in nets], axis=0)
            g = sc.record.boundary
            out.boundary[slot, :, :, 0] = np.argmax(gp, axis=1).reshape(g, g)
            out.boundary[slot, :, :, 1] = np.max(gp, axis=1).reshape(g, g)
        for l, arr in out.weights.items():
            row = layout[l]
            arr[slot] = nets[0].theta_w[row[K.W_OFF]:row[K.W_OFF] + row[K.N_IN] * row[K.N_OUT]].reshape(
                row[K.N_IN], row[K.N_OUT])

    step = 0
    es = sc.train.early_stopping
    while step < T and any(active):
        targets = [s for s in steps if s > step and s <= T]
        end = min(targets[0] if targets else T, step + max_chunk)
        if es:
            end = min(end, (step // spe + 1) * spe)
        count = end - step
        if step in slot_of:
            record_eval(slot_of[step])
        slots = np.full(count, -1, dtype=np.int64)
        if step in slot_of:
            slots[0] = slot_of[step]
        nxt = [slot_of[s] for s in steps if s > step]
        for k, net in enumerate(nets):
            if not active[k]:
                continue
            sink = out if k == 0 else scratch_out[k - 1]
            s = slots if k == 0 else np.full(count, -1, dtype=np.int64)
            idx, masks = batch_indices(k, step, count), masks_for(k, count)
            done = net.train(x, y, idx, masks, lrs_all[step:end], s, step, True, sink)
            if k == 0 and done < count and slots[done] < 0 and nxt:
                # a divergent step that had no slot of its own: re-run it
                # (same state, rows and masks; no update) into the next slot
                net.train(x, y, idx[done:done + 1], masks[done:done + 1], lrs_all[step + done:step + done + 1],
                          np.array([nxt[0]], dtype=np.int64), step + done, False, out)
            if done < count:
                active[k] = False
                if k == 0:
                    out.first_nonfinite_step = step + done
                    out.stop_step = step + done
            tick(count)
        step = end
        if es and step % spe == 0:
            epoch = step // spe
            for k, net in enumerate(nets):
                if not active[k]:
                    continue
                vloss = _eval(net.predict(xv), yv)[0]
                if vloss < best[k][0]:
                    best[k] = (vloss, epoch, net.snapshot())
                    bad[k] = 0
                else:
                    bad[k] += 1
                    if bad[k] >= es:
                        net.restore(best[k][2])
                        active[k] = False
                        if k == 0:
                            out.early_stop_epoch = epoch
                            out.stop_step = step
            out.best_epoch = best[0][1]
    if active[0] and step == T:
        # the last record: statistics of the final weights, no update
        record_eval(slot_of[T])
        nets[0].train(x, y, batch_indices(0, T, 1), masks_for(0, 1), lrs_all[T:T + 1],
                      np.array([slot_of[T]], dtype=np.int64), T, False, out)
        out.stop_step = T
    return out


def _boundary_grid(ds, resolution: int):
    if resolution == 0 or ds.x_train.shape[1] != 2:
        return None
    lo = ds.x_train.min(axis=0)
    hi = ds.x_train.max(axis=0)
    pad = 0.1 * (hi - lo + 1e-12)
    xs = np.linspace(lo[0] - pad[0], hi[0] + pad[0], resolution)
    ys = np.linspace(lo[1] - pad[1], hi[1] + pad[1], resolution)
    gx, gy = np.meshgrid(xs, ys)
    return np.ascontiguousarray(np.column_stack([gx.ravel(), gy.ravel()]), dtype=ds.x_train.dtype)


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
    if results[0].member_val.shape[1] > 1:
        rec.add("member_val_loss", stack(lambda r: r.member_val[:, :, 0]), ("variant", "record", "member"))
        rec.add("member_val_acc", stack(lambda r: r.member_val[:, :, 1]), ("variant", "record", "member"))
    if all(r.boundary is not None for r in results):
        b = stack(lambda r: r.boundary)
        rec.add("boundary_class", np.where(np.isnan(b[..., 0]), -1, b[..., 0]).astype(np.int8),
                ("variant", "record", "gy", "gx"))
        rec.add("boundary_conf", b[..., 1], ("variant", "record", "gy", "gx"))
        grid = _boundary_grid(ds, b.shape[2])
        rec.add("boundary_xs", grid[:b.shape[3], 0], ("gx",))
        rec.add("boundary_ys", grid[::b.shape[3], 1], ("gy",))
        rec.add("train_x", ds.x_train, ("sample", "feature"))
        rec.add("train_y", ds.y_train, ("sample",))
    for l in sorted(results[0].weights):
        if all(l in r.weights and r.weights[l].shape == results[0].weights[l].shape for r in results):
            rec.add(f"weights_{l}", stack(lambda r: r.weights[l]), ("variant", "record", "in", "out"))

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
