"""Real processes: SIGTERM during a render, two renders of one folder at once."""
import os
import signal
import subprocess
import sys
import time

import pytest

from gradviz.manifest import LOCK
from gradviz.record import Recording

from .conftest import TINY, temp_files

LONG = TINY.replace("steps = 20", "steps = 400000").replace("every = 5", "every = 20000")
# drawing is Python: a signal lands at once (a long numba call answers it only when it returns)
DRAWING = TINY.replace("steps = 20", "steps = 600").replace('figures = ["loss"]',
                       'figures = ["loss", "grad_norms", "heatmap", "activation_hist", "gradient_hist"]\n'
                       'animations = ["hist_anim", "heatmap_anim"]').replace("dpi = 50", "dpi = 100")


def _start(root, name="s.toml"):
    return subprocess.Popen([sys.executable, "-m", "gradviz.cli", "render", name], cwd=root,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _wait_for(path, proc, timeout=300):
    end = time.monotonic() + timeout
    while not path.exists():
        if proc.poll() is not None or time.monotonic() > end:
            raise AssertionError(f"{path} never appeared: {proc.communicate()}")
        time.sleep(0.05)


@pytest.fixture
def long_scenario(tmp_path):
    (tmp_path / "s.toml").write_text(LONG)
    return tmp_path


@pytest.mark.parametrize("sig,code", [(signal.SIGTERM, 143), (signal.SIGINT, 130)])
def test_signal_leaves_nothing_behind(tmp_path, sig, code):
    (tmp_path / "s.toml").write_text(DRAWING)
    proc = _start(tmp_path)
    try:
        out = tmp_path / "outputs" / "s"
        _wait_for(out / "recording.npz", proc)  # now drawing
        time.sleep(0.3)
        proc.send_signal(sig)
        stdout, stderr = proc.communicate(timeout=300)
    finally:
        proc.kill()
    if proc.returncode == 0:
        pytest.skip("the render finished before the signal arrived")
    assert proc.returncode == code, stderr
    assert "Traceback" not in stderr and "interrupted" in stderr
    assert temp_files(tmp_path) == []
    assert not (out / LOCK).exists()


def test_concurrent_render_of_one_folder_is_refused(long_scenario):
    first = _start(long_scenario)
    out = long_scenario / "outputs" / "s"
    _wait_for(out / LOCK, first)
    try:
        second = subprocess.run([sys.executable, "-m", "gradviz.cli", "render", "s.toml"], cwd=long_scenario,
                                capture_output=True, text=True, timeout=300)
    finally:
        first.kill()  # its long numba call would answer SIGTERM only when it returns
        first.communicate(timeout=60)
    assert second.returncode == 1
    assert "another gradviz" in second.stderr and str(first.pid) in second.stderr
    assert "Traceback" not in second.stderr
    assert temp_files(long_scenario) == []


def test_two_short_renders_at_once_leave_a_valid_recording(tmp_path):
    (tmp_path / "s.toml").write_text(TINY)
    procs = [_start(tmp_path) for _ in range(2)]
    results = [p.communicate(timeout=180) for p in procs]
    codes = sorted(p.returncode for p in procs)
    assert codes in ([0, 0], [0, 1]), results
    for (_, err), p in zip(results, procs):
        assert "Traceback" not in err
        if p.returncode == 1:
            assert "another gradviz" in err
    Recording.load(tmp_path / "outputs" / "s" / "recording.npz")
    assert temp_files(tmp_path) == []
    assert not (tmp_path / "outputs" / "s" / LOCK).exists()


# A render whose training calls after the first never return by themselves:
# a nogil numba loop stands for one step of a very wide network (seconds to
# minutes in one call, deaf to signals until it returns).
SPINNING = r'''
import sys
import numba
import numpy as np
from gradviz.cli import main
from gradviz.engine import net

@numba.njit(nogil=True)
def spin(n):
    x = np.uint64(88172645463325252)
    for _ in range(n):
        x ^= x << np.uint64(13)
        x ^= x >> np.uint64(7)
        x ^= x << np.uint64(17)
    return x

real = net.Net.train
def train(self, x, y, idx, masks, lrs, slots, t0, do_update, out):
    if t0 >= 1 and do_update:  # not the warm-up, not the first chunk: training has been announced
        spin(10 ** 12)
    return real(self, x, y, idx, masks, lrs, slots, t0, do_update, out)
net.Net.train = train
spin(1)
sys.argv = ["gradviz", "render", "s.toml"]
main()
'''


@pytest.mark.parametrize("sig,code", [(signal.SIGTERM, 143), (signal.SIGINT, 130)])
def test_one_signal_ends_a_render_stuck_in_one_long_kernel_call(tmp_path, sig, code):
    (tmp_path / "s.toml").write_text(TINY)
    proc = subprocess.Popen([sys.executable, "-c", SPINNING], cwd=tmp_path, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    try:
        seen = []
        for line in proc.stderr:  # wait until training has started (then the spin runs)
            seen.append(line)
            if "training" in line:
                break
        time.sleep(0.5)
        assert proc.poll() is None, "".join(seen)
        proc.send_signal(sig)  # ONE signal
        sent = time.monotonic()
        _, rest = proc.communicate(timeout=120)  # the spin alone would last far longer
        waited = time.monotonic() - sent
    finally:
        proc.kill()
    stderr = "".join(seen) + rest
    assert proc.returncode == code, stderr
    assert waited < 60, waited
    assert "Traceback" not in stderr and "interrupted" in stderr
    assert temp_files(tmp_path) == []
    assert not (tmp_path / "outputs" / "s" / LOCK).exists()


def test_a_repeat_during_the_clean_up_is_ignored_and_a_late_one_is_not(monkeypatch):
    from gradviz import cli

    monkeypatch.setattr(cli, "_SIGNALLED", [])
    monkeypatch.setattr(cli, "_RUNNING", [True])  # a command is running (before one, the process just ends)
    with pytest.raises(cli.Terminated):
        cli._on_signal(signal.SIGTERM, None)
    assert cli._on_signal(signal.SIGINT, None) is None  # a second Ctrl-C while temporary files go
    cli._SIGNALLED[0] -= cli._GRACE_SECONDS + 1  # the first was swallowed somewhere: a later one counts
    with pytest.raises(KeyboardInterrupt) as caught:
        cli._on_signal(signal.SIGINT, None)
    assert type(caught.value) is KeyboardInterrupt


VERIFY = LONG + """
[[claims]]
text = "the loss is below 100"
quantity = "loss"
at = "end"
variant = "baseline"
compare = "<"
value = 100
"""


@pytest.mark.parametrize("args,after", [
    (["list"], "click"),  # imported by gradviz.cli after its signal handlers, before numpy and the rest
    (["verify", "s.toml"], "gradviz.engine.kernels"),  # verify is training (it prints nothing until done)
])
def test_ctrl_c_from_startup_on_is_one_line_and_130(tmp_path, args, after):
    """SIGINT while the command starts (its imports) or while verify trains: the line
    render prints, exit 130, no traceback, not click's 'Aborted!' (exit 1)."""
    from gradviz.cli import INTERRUPTED

    (tmp_path / "s.toml").write_text(VERIFY)
    # -X importtime: a line on stderr as each import finishes, to know where the process is
    proc = subprocess.Popen([sys.executable, "-X", "importtime", "-m", "gradviz", *args], cwd=tmp_path,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        seen = []
        for line in proc.stderr:
            seen.append(line)
            if line.startswith("import time:") and line.split("|")[-1].strip() == after:
                break
        if after != "click":
            time.sleep(0.5)  # inside the command
        proc.send_signal(signal.SIGINT)
        _, rest = proc.communicate(timeout=120)
    finally:
        proc.kill()
    said = [ln for ln in ("".join(seen) + rest).splitlines() if ln.strip() and not ln.startswith("import time:")]
    if proc.returncode == 0 and args == ["list"]:
        pytest.skip("list finished before the signal arrived")
    assert proc.returncode == 130, said
    assert said == [INTERRUPTED], said
    assert temp_files(tmp_path) == []
