"""Review round 2 (review_a / review_b): each figure drawn from a synthetic Recording
whose recorded values are known, and the numbers it prints checked against them."""
from __future__ import annotations

import numpy as np
import pytest

from gradviz import animations, figures

pytestmark = pytest.mark.filterwarnings("error")


def _texts(fig):
    return [a.get_text() for a in fig.findobj(lambda a: hasattr(a, "get_text"))]


# -- 1. where a run stopped: the recorded stop, not the step of the record showing it -------------

def _stop_between_records(rec, v, stop_step, epoch=-1):
    """Variant ``v`` stops at ``stop_step`` (between two records); the first record at or
    after it is the last it shows (as the simulator writes an early-stopped run)."""
    for name, val in (("stop_step", stop_step), ("early_stop_epoch", epoch)):
        arr = rec.get(name).copy()
        arr[v] = val
        rec.add(name, arr, rec.axes[name])
    shown = int(np.searchsorted(rec.steps, stop_step))
    assert rec.steps[shown] != stop_step
    for name in ("boundary_conf",):
        if name in rec:
            arr = np.array(rec.get(name), dtype=float)
            arr[v, shown + 1:] = np.nan
            rec.add(name, arr, rec.axes[name])
    return int(rec.steps[shown])


@pytest.mark.parametrize("epoch,want", [(-1, "stopped at step 54"), (27, "stopped at epoch 27")])
def test_boundary_animation_says_the_recorded_stop(make_recording, epoch, want):
    rec = make_recording("boundary")
    slot = _stop_between_records(rec, 1, 54, epoch)
    fig, scene = animations.build(rec, "boundary_anim", dpi=40)
    scene.update(scene.n_frames - 1)
    texts = " | ".join(_texts(fig))
    assert want in texts
    assert f"stopped at step {slot}" not in texts


@pytest.mark.parametrize("epoch,want", [(-1, "stopped at step 54"), (27, "stopped at epoch 27")])
def test_grad_norms_panel_says_the_recorded_stop(make_recording, epoch, want):
    rec = make_recording("vanishing")
    for name in ("grad_w_norm",):
        arr = np.array(rec.get(name), dtype=float)
        arr[1, int(np.searchsorted(rec.steps, 54)) + 1:] = np.nan
        rec.add(name, arr, rec.axes[name])
    slot = _stop_between_records(rec, 1, 54, epoch)
    fig, _ = figures.build(rec, "grad_norms", dpi=40)
    texts = " | ".join(_texts(fig))
    assert want in texts
    assert f"stopped at step {slot}" not in texts

