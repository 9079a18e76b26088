"""Every schema key with values of the wrong type or out of range: `check`
fails with one line naming exactly that key (generated from scenario.SCHEMA)."""
import json

import pytest

from gradviz.scenario import SCHEMA

from .conftest import TINY


def _bad_values(key):
    t = key.type
    out = []
    if t in ("int", "float", "int_or_ints"):
        out += ['"abc"', "true", "[[1]]" if t != "int_or_ints" else '["x"]']
        if t == "int":
            out.append("1.5")
        if key.min is not None:
            out.append(repr(key.min if key.min_open else key.min - 1))
        if key.max is not None:
            out.append(repr(key.max if key.max_open else key.max + 1))
        if t == "float":
            out += ["nan", "inf"]
    elif t == "str":
        out += ["5", "[]"]
        if key.choices:
            out.append('"no-such-choice"')
    elif t == "bool":
        out += ['"yes"', "1"]
    else:  # floats, strs, ints
        out += ['"x"', "{ a = 1 }"]
        out.append('[true]' if t != "strs" else "[1]")
        if key.length:
            out.append("[" + ", ".join(["1.0"] * (key.length + 1)) + "]")
        if t == "strs" and key.choices:
            out.append('["no-such-choice"]')
    return out


CASES = [(section, key.name, v) for section, keys in SCHEMA.items() for key in keys for v in _bad_values(key)]


def _with(section, name, value):
    """TINY with ``section.name = value`` (replacing the key if TINY sets it)."""
    lines = TINY.splitlines()
    if section == "":
        lines = [ln for ln in lines if not ln.startswith(f"{name} =")]
        return f"{name} = {value}\n" + "\n".join(lines) + "\n"
    lines = [ln for ln in lines if not (ln.startswith(f"{name} =") and _section_of(lines, ln) == section)]
    text = "\n".join(lines) + "\n"
    if f"[{section}]" in text:
        return text.replace(f"[{section}]\n", f"[{section}]\n{name} = {value}\n", 1)
    return text + f"\n[{section}]\n{name} = {value}\n"


def _section_of(lines, line):
    current = ""
    for ln in lines:
        if ln.startswith("["):
            current = ln.strip("[]")
        if ln is line:
            return current
    return current


def test_case_count():
    assert len(CASES) >= 200


@pytest.mark.parametrize("section,name,value", CASES, ids=[f"{s or 'top'}.{n}={v}" for s, n, v in CASES])
def test_bad_value_names_its_key(scratch, section, name, value):
    path = scratch.write("s.toml", _with(section, name, value))
    key = f"$.{section}.{name}" if section else f"$.{name}"
    scratch.fails(["check", path], key)
    scratch.fails(["render", path], key)
    assert not (scratch.root / "outputs").exists()


def test_tiny_is_valid(scratch):
    r = scratch.run("check", scratch.write("s.toml", TINY))
    assert r.exit_code == 0, r.output
    assert "estimated peak memory" in r.output
    json.dumps(r.output)
