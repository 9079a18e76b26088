"""Hypothesis: random TOML-ish text and random values for every key never
give a traceback; the CLI answers 0 or one error line."""
import string

from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gradviz.cli import main
from gradviz.scenario import SCHEMA

from .conftest import TINY

_KEYS = [(s, k.name) for s, keys in SCHEMA.items() if s for k in keys]
_VALUES = st.one_of(st.integers(-10**20, 10**20), st.floats(allow_nan=True), st.booleans(),
                    st.text(string.printable, max_size=12), st.lists(st.integers(-3, 3), max_size=3))


def _toml(v):
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float):
        return "nan" if v != v else ("inf" if v == float("inf") else "-inf" if v == float("-inf") else repr(v))
    if isinstance(v, str):
        return '"' + v.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'
    if isinstance(v, list):
        return "[" + ", ".join(map(_toml, v)) + "]"
    return repr(v)


def _check(tmp_path_factory, text):
    d = tmp_path_factory.mktemp("fuzz")
    (d / "s.toml").write_bytes(text if isinstance(text, bytes) else text.encode("utf-8", "surrogatepass"))
    r = CliRunner().invoke(main, ["check", str(d / "s.toml")])
    assert r.exception is None or isinstance(r.exception, SystemExit), repr(r.exception)
    assert r.exit_code in (0, 1), r.output
    assert "Traceback" not in r.output
    if r.exit_code == 1:
        errors = [ln for ln in r.stderr.splitlines() if ln.strip()]
        assert len(errors) == 1 and errors[0].startswith("error: ") and "$" in errors[0], r.stderr


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(key=st.sampled_from(_KEYS), value=_VALUES)
def test_random_value_for_any_key(tmp_path_factory, key, value):
    section, name = key
    line = f"{name} = {_toml(value)}\n"
    text = (TINY.replace(f"[{section}]\n", f"[{section}]\n{line}") if f"[{section}]" in TINY
            else TINY + f"\n[{section}]\n{line}")
    _check(tmp_path_factory, text)  # a key TINY sets too is a duplicate: a TOML error, also clean


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=200))
def test_random_bytes(tmp_path_factory, data):
    _check(tmp_path_factory, data)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(alphabet=st.sampled_from(list("[]{}=\"., \n\tabc01-+$#'")), max_size=80))
def test_random_toml_punctuation(tmp_path_factory, text):
    _check(tmp_path_factory, text)
