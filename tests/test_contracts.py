"""Contracts over the package's own source (ast, nothing imported): no import
cycles, no module reaching into another's ``_private`` names, no pyplot, and
small modules and functions."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "gradviz"
MAX_MODULE_LINES = 600
MAX_FUNCTION_LINES = 80
#: Exempt by design: every @njit function lives in one file (numba's cache rule, design.md section 6).
BIG_MODULES = {"gradviz.engine.kernels"}
#: Known long functions in files other work owns (engine speed, hardening); the
#: test fails once one of them is short enough, so this list only shrinks.
LONG_FUNCTIONS: set = set()


def _modules(root: Path = PACKAGE) -> dict[str, Path]:
    out = {}
    for path in sorted(root.rglob("*.py")):
        parts = list(path.relative_to(root.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out[".".join(parts)] = path
    return out


def _is_package(name: str, modules) -> bool:
    return modules[name].name == "__init__.py"


def _resolve(module: str, node: ast.ImportFrom, modules) -> str:
    """The absolute module an ImportFrom reads from (``from ..x import y`` in ``a.b.c`` -> ``a.x``)."""
    if not node.level:
        return node.module or ""
    base = module.split(".")
    if not _is_package(module, modules):
        base = base[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def import_graph(root: Path = PACKAGE) -> dict[str, set]:
    """Module -> the package modules it imports when it is imported (module level;
    a registry tuple ``MODULES = ("a", ...)`` in a package counts as importing each)."""
    modules = _modules(root)
    graph = {}
    for name, path in modules.items():
        edges = set()
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.Import):
                edges |= {a.name for a in node.names}
            elif isinstance(node, ast.ImportFrom):
                src = _resolve(name, node, modules)
                for a in node.names:
                    edges.add(f"{src}.{a.name}" if f"{src}.{a.name}" in modules else src)
            elif isinstance(node, ast.Assign) and any(getattr(t, "id", "") == "MODULES" for t in node.targets):
                edges |= {f"{name}.{e.value}" for e in ast.walk(node.value) if isinstance(e, ast.Constant)}
        graph[name] = {e for e in edges if e in modules and e != name}
    return graph


def find_cycle(graph) -> list | None:
    state, stack = {}, []

    def visit(n):
        state[n] = "open"
        stack.append(n)
        for m in sorted(graph[n]):
            if state.get(m) == "open":
                return stack[stack.index(m):] + [m]
            if m not in state and (found := visit(m)):
                return found
        stack.pop()
        state[n] = "done"
        return None

    for n in sorted(graph):
        if n not in state and (found := visit(n)):
            return found
    return None


def private_reaches(root: Path = PACKAGE) -> list[str]:
    """``from x import _y`` and ``x._y`` where ``x`` is another package module."""
    modules = _modules(root)
    out = []
    for name, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        bound = {}                                   # local name -> package module
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom):
                src = _resolve(name, node, modules)
                for a in node.names:
                    full = f"{src}.{a.name}"
                    if full in modules:
                        bound[a.asname or a.name] = full
                    elif src in modules and a.name.startswith("_") and not a.name.startswith("__"):
                        out.append(f"{path.relative_to(root.parent)}:{node.lineno}: from {src} import {a.name}")
            elif isinstance(node, ast.Import):
                for a in node.names:
                    if a.name in modules and a.asname:
                        bound[a.asname] = a.name
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) \
                    and node.value.id in bound and bound[node.value.id] != name \
                    and node.attr.startswith("_") and not node.attr.startswith("__"):
                out.append(f"{path.relative_to(root.parent)}:{node.lineno}: {node.value.id}.{node.attr}")
    return out


def pyplot_imports(root: Path = PACKAGE) -> list[str]:
    out = []
    for name, path in _modules(root).items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [f"{node.module}.{a.name}" for a in node.names] + [node.module or ""]
            if any("pyplot" in n or n == "pylab" for n in names):
                out.append(f"{path.relative_to(root.parent)}:{node.lineno}")
    return out


def sizes(root: Path = PACKAGE):
    """``(modules over MAX_MODULE_LINES, functions over MAX_FUNCTION_LINES)``."""
    big, long_ = {}, {}
    for name, path in _modules(root).items():
        text = path.read_text(encoding="utf-8")
        if text.count("\n") > MAX_MODULE_LINES:
            big[name] = text.count("\n")
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                n = node.end_lineno - node.lineno + 1
                if n > MAX_FUNCTION_LINES:
                    long_[f"{name}.{node.name}"] = n
    return big, long_


# -- the contracts ------------------------------------------------------------------------

def test_no_import_cycles():
    graph = import_graph()
    assert "gradviz.figures.grad_norms" in graph["gradviz.figures"]      # the registry counts
    assert find_cycle(graph) is None, " -> ".join(find_cycle(graph))


def test_no_module_imports_another_modules_private_names():
    assert private_reaches() == []


def test_no_pyplot():
    assert pyplot_imports() == []


def test_modules_and_functions_are_small():
    big, long_ = sizes()
    assert set(big) <= BIG_MODULES, {m: n for m, n in big.items() if m not in BIG_MODULES}
    assert set(long_) == LONG_FUNCTIONS, long_


def test_rendering_never_imports_the_engine():
    graph = import_graph()
    seen, todo = set(), ["gradviz.figures", "gradviz.animations", "gradviz.figures.precision", "gradviz.readme"]
    while todo:
        n = todo.pop()
        if n not in seen:
            seen.add(n)
            todo += graph[n]
    assert not seen & {"gradviz.engine", "gradviz.engine.kernels", "gradviz.engine.simulation", "gradviz.engine.surfaces"}


# -- the checks can fail --------------------------------------------------------------------

@pytest.fixture
def scratch(tmp_path):
    """A two-module package in ``tmp_path`` to break the contracts on purpose."""
    pkg = tmp_path / "gradviz"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")

    def write(**files):
        for fname, text in files.items():
            (pkg / f"{fname}.py").write_text(text)
        return pkg
    return write


def test_the_checks_catch_what_they_forbid(scratch):
    pkg = scratch(a="from . import b\nfrom .b import _helper\n", b="from .a import x\nimport matplotlib.pyplot\n",
                  c="from . import b\n\ndef f():\n    return b._hidden\n" + "    pass\n" * 81)
    assert find_cycle(import_graph(pkg)) == ["gradviz.a", "gradviz.b", "gradviz.a"]
    assert [r.split(": ", 1)[1] for r in private_reaches(pkg)] == ["from gradviz.b import _helper", "b._hidden"]
    assert pyplot_imports(pkg) == ["gradviz/b.py:2"]
    assert sizes(pkg)[1] == {"gradviz.c.f": 83}
