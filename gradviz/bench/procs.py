"""Measurements that need a fresh process: cold compile (an empty numba
cache), warm start (imports plus cache load), peak RSS, and PyTorch eager
with per-layer hooks when torch is importable (never a dependency).

Each child prints one JSON line; nothing is written outside a temporary
directory that is removed afterwards."""
from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
import tempfile

# the interpreter of the PyTorch column: another venv's python may hold torch
# (never a dependency of gradviz); by default this one
TORCH_PYTHON_ENV = "GRADVIZ_BENCH_TORCH_PYTHON"
PINNED = {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1", "NUMBA_NUM_THREADS": "1"}

_START = r"""
import json, resource, sys, time
t0 = time.perf_counter()
from gradviz.bench.workload import Size, Workload
t1 = time.perf_counter()
wl = Workload(Size(*json.loads(sys.argv[1])))
wl.run(2, 1)
wl.net.predict(wl.x[:8])
t2 = time.perf_counter()
print(json.dumps({"import": t1 - t0, "first_steps": t2 - t1, "total": t2 - t0,
                  "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""

_TORCH = r"""
import json, sys, time
import torch
torch.set_num_threads(1)
depth, width, batch, dtype, steps = json.loads(sys.argv[1])
dt = getattr(torch, dtype)
layers = [torch.nn.Linear(16, width)] + [torch.nn.Linear(width, width) for _ in range(depth - 1)]
net = torch.nn.Sequential(*[m for l in layers for m in (l, torch.nn.Tanh())], torch.nn.Linear(width, 10)).to(dt)
stats = []
def fwd_hook(mod, inp, out):  # the statistics gradviz records of u and a
    if isinstance(mod, torch.nn.Linear):
        u = out.detach().ravel()
        stats.append((u.mean(), u.std(unbiased=False), torch.quantile(u.double(), torch.tensor([.15, .5, .85], dtype=torch.float64))))
    else:
        a = out.detach()
        stats.append((a.mean(), a.std(unbiased=False), (a.abs() > .97).float().mean(), (a == 0).float().mean(),
                      torch.histc(a, 50, -1, 1)))
def bwd_hook(mod, gin, gout):
    d = gout[0].detach()
    stats.append((d.pow(2).mean().sqrt(), torch.histc(torch.log10(d.abs()), 50, -15, 3)))
hooked = []
for m in net:
    hooked.append(m.register_forward_hook(fwd_hook))
    if isinstance(m, torch.nn.Linear):
        hooked.append(m.register_full_backward_hook(bwd_hook))
opt = torch.optim.SGD(net.parameters(), lr=0.01)
x = torch.randn(batch, 16, dtype=dt); y = torch.randint(0, 10, (batch,))
def step(record):
    global stats
    stats = []
    opt.zero_grad()
    loss = torch.nn.functional.cross_entropy(net(x), y)
    loss.backward()
    if record:
        for p in net.parameters():
            if p.dim() == 2:
                stats.append((p.grad.norm(), p.norm(), (p.grad == 0).float().mean()))
    opt.step()
for _ in range(3):
    step(True)
t = time.perf_counter()
for _ in range(steps):
    step(True)
print(json.dumps({"step": (time.perf_counter() - t) / steps}))
"""


def _child(code: str, arg, env_extra: dict, timeout: float = 900, python: str | None = None) -> dict:
    env = {**os.environ, **PINNED, **env_extra}
    r = subprocess.run([python or sys.executable, "-c", code, json.dumps(arg)], env=env, capture_output=True,
                       text=True, timeout=timeout)
    if r.returncode != 0:
        raise RuntimeError(f"benchmark child failed: {r.stderr.strip().splitlines()[-1:]}")
    return json.loads(r.stdout.strip().splitlines()[-1])


def start_times(size, cold: bool = True) -> dict:
    """Cold (empty numba cache) and warm (the cache it just filled) start of
    one process that imports gradviz and runs two recorded steps of ``size``.
    Without ``cold``: only a warm start on the installed cache."""
    arg = [size.depth, size.width, size.batch, size.dtype]
    if not cold:
        return {"cold": None, "warm": _child(_START, arg, {})}
    with tempfile.TemporaryDirectory(prefix="gradviz-bench-") as cache:
        env = {"NUMBA_CACHE_DIR": cache}
        first = _child(_START, arg, env)
        return {"cold": first, "warm": _child(_START, arg, env)}


def torch_python() -> str:
    return os.environ.get(TORCH_PYTHON_ENV, "").strip() or sys.executable


def torch_available() -> bool:
    """Whether the PyTorch column can run: torch importable here, or by the
    interpreter ${GRADVIZ_BENCH_TORCH_PYTHON} names (its child imports only
    torch, so that interpreter needs neither gradviz nor numba)."""
    py = torch_python()
    if py == sys.executable:
        return importlib.util.find_spec("torch") is not None
    try:
        return subprocess.run([py, "-c", "import torch"], capture_output=True, timeout=120).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


def torch_step(size, steps: int) -> float | None:
    """Seconds per PyTorch eager step with hooks computing the same
    statistics, in its own process; None when torch is not installed."""
    if not torch_available():
        return None
    return _child(_TORCH, [size.depth, size.width, size.batch, size.dtype, steps], {}, python=torch_python())["step"]
