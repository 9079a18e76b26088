"""Hostile scenario files: encodings, nesting, emptiness, structure, variants,
labels, mathtext, precision inputs. Each is one line naming the key."""
import pytest

from .conftest import TINY


def _compare(key: str, values: str, extra: str = "") -> bytes:
    """A file with only a [compare] table (``key`` and ``values`` as TOML text)."""
    return f"[compare]\nkey = {key}\nvalues = {values}\n{extra}".encode()


def _precision(key: str, value: str) -> bytes:
    """A precision scenario with one [precision] operand."""
    return f'kind = "precision"\n[precision]\n{key} = "{value}"\n'.encode()


FILES = {
    "empty": (b"", "$"),
    "only-comment": (b"# nothing here\n", "$"),
    "latin1": ("title = \"caf\xe9\"\n".encode("latin-1"), "$"),
    "utf16": ("title = \"x\"\n".encode("utf-16"), "$"),
    "binary": (bytes(range(256)), "$"),
    "nested-arrays": (("title = " + "[" * 5000 + "]" * 5000 + "\n").encode(), "$"),
    "nested-tables": (("x = " + "{a = " * 3000 + "1" + "}" * 3000 + "\n").encode(), "$"),
    "syntax": (b"title = \n", "$"),
    "unterminated": (b"title = \"abc\n", "$"),
    "duplicate-key": (b"title = \"a\"\ntitle = \"b\"\n", "$"),
    "unknown-top": (b"titel = \"a\"\n", "$.titel"),
    "section-not-table": (b"model = 3\n", "$.model"),
    "unknown-in-section": (b"[model]\ndepht = 3\n", "$.model.depht"),
    "variants-not-list": (b"variants = 3\n", "$.variants"),
    "variants-empty": (b"variants = []\n", "$.variants"),
    "variant-not-table": (b"variants = [1]\n", "$.variants[0]"),
    "variant-label-int": (b"[[variants]]\nlabel = 3\n", "$.variants[0].label"),
    "variant-unknown-key": (b"[[variants]]\nlabel = \"a\"\n\"model.dept\" = 3\n", "$.variants[0]"),
    "variant-bad-value": (b"[[variants]]\nlabel = \"a\"\n\"model.depth\" = -3\n", "$.variants[0]"),
    "compare-and-variants": (_compare('"model.init"', '["he"]', '[[variants]]\nlabel = "a"\n'), "$.compare"),
    "compare-not-table": (b"compare = 1\n", "$.compare"),
    "compare-no-values": (b"[compare]\nkey = \"model.init\"\n", "$.compare"),
    "compare-key-undotted": (_compare('"depth"', '[1]'), "$.compare.key"),
    "compare-key-unknown": (_compare('"model.dpth"', '[1]'), "$.compare.key"),
    "compare-key-int": (_compare('3', '[1]'), "$.compare.key"),
    "compare-depth": (_compare('"model.depth"', '[2, 3]'), "$.compare.key"),
    "compare-bins": (_compare('"record.bins"', '[8, 16]'), "$.compare.key"),
    "compare-every": (_compare('"record.every"', '[1, 5]'), "$.compare.key"),
    "compare-boundary": (_compare('"record.boundary"', '[0, 8]'), "$.compare.key"),
    "variant-depth": (b"[[variants]]\nlabel = \"a\"\n\"model.depth\" = 3\n", "$.variants[0]"),
    "compare-values-empty": (_compare('"model.init"', '[]'), "$.compare.values"),
    "compare-bad-value": (_compare('"model.init"', '["hee"]'), "$.compare.values[0]"),
    "compare-labels-short": (_compare('"model.init"', '["he", "glorot"]', 'labels = ["a"]\n'), "$.compare.labels"),
    "compare-labels-dup": (_compare('"model.init"', '["he", "glorot"]', 'labels = ["a", "a"]\n'), "$.compare.labels"),
    "variants-labels-dup": (b"[[variants]]\nlabel = \"a\"\n[[variants]]\nlabel = \"a\"\n", "$.variants[1].label"),
    "translations-not-table": (b"translations = 1\n", "$.translations"),
    "translations-bad-lang": (b"[translations.xx]\ntitle = \"a\"\n", "$.translations.xx"),
    "translations-title-int": (b"[translations.ro]\ntitle = 1\n", "$.translations.ro.title"),
    "translations-labels": (b"[translations.ro]\nlabels = [\"a\", \"b\"]\n", "$.translations.ro.labels"),
    "epochs-and-steps": (b"[train]\nepochs = 2\nsteps = 3\n", "$.train.steps"),
    "width-list-length": (b"[model]\ndepth = 3\nwidth = [4, 4]\n", "$.model.width"),
    "record-layers-range": (b"[model]\ndepth = 2\n[record]\nlayers = [7]\n", "$.record.layers"),
    "xor-classes": (b"[data]\nkind = \"xor\"\nclasses = 3\n", "$.data.classes"),
    "classes-one": (b"[data]\nclasses = 1\n", "$.data.classes"),
    "file-no-path": (b"[data]\nkind = \"file\"\n", "$.data.path"),
    "samples-too-few": (b"[data]\nsamples = 3\n", "$.data.samples"),
    "early-stop-no-val": (b"[data]\nvalidation = 0.0\n[train]\nearly_stopping = 2\n", "$.train.early_stopping"),
    "batch-larger-than-train": (b"[data]\nsamples = 100\n[train]\nbatch_size = 81\n", "$.train.batch_size"),
    "batch-variant": (b"[data]\nsamples = 100\n[[variants]]\nlabel = \"a\"\n\"train.batch_size\" = 500\n",
                      '$.variants[0]."train.batch_size"'),
    "unknown-figure": (b"[render]\nfigures = [\"nope\"]\n", "$.render.figures[0]"),
    "unknown-animation": (b"[render]\nanimations = [\"nope\"]\n", "$.render.animations[0]"),
    "boundary-not-recorded": (b"[render]\nfigures = [\"decision_boundary\"]\n", "$.render.figures[0]"),
    "boundary-anim-not-recorded": (b"[render]\nanimations = [\"boundary_anim\"]\n", "$.render.animations[0]"),
    "surface-fig-in-training": (b"[render]\nfigures = [\"surface\"]\n", "$.render.figures[0]"),
    "precision-a-abc": (_precision("a", "abc"), "$.precision.a"),
    "precision-b-empty": (_precision("b", ""), "$.precision.b"),
    "precision-a-huge-exp": (_precision("a", "1e999999999"), "$.precision.a"),
    "precision-b-tiny-exp": (_precision("b", "1e-99999"), "$.precision.b"),
    "precision-a-many-digits": (_precision("a", "1" * 5000), "$.precision.a"),
    "precision-a-inf": (_precision("a", "inf"), "$.precision.a"),
    "precision-a-nan": (_precision("a", "nan"), "$.precision.a"),
    "precision-a-div0": (_precision("a", "1/0"), "$.precision.a"),
}


def _with_text(where: str, text: str) -> tuple[str, str]:
    """TINY with ``text`` as its title, description, a variant's label or the
    Romanian title (TOML-escaped), and the key a message about it must name."""
    text = text.replace("\\", "\\\\")
    if where == "title":
        return TINY.replace('title = "tiny"', f'title = "{text}"'), "$.title"
    if where == "description":
        return f'description = "{text}"\n' + TINY, "$.description"
    if where == "label":
        return TINY + f'\n[[variants]]\nlabel = "{text}"\n', "$.variants[0].label"
    assert where == "translation-title", where
    return TINY + f'\n[translations.ro]\ntitle = "{text}"\n', "$.translations.ro.title"


MATH = {  # case: (where, text)
    "title": ("title", "$x^$"), "description": ("description", "cost $\\frac{1}{$"),
    "label": ("label", "$\\alpha_$"), "label-unknown-cmd": ("label", "$\\nosuchcommand$"),
    "translation-title": ("translation-title", "$^$"),
}


@pytest.mark.parametrize("name", list(FILES))
def test_hostile_file(scratch, name):
    data, key = FILES[name]
    path = scratch.write("s.toml", data)
    scratch.fails(["check", path], key)
    scratch.fails(["render", path], key)


@pytest.mark.parametrize("case", list(MATH))
def test_mathtext_breaking_text(scratch, case):
    body, key = _with_text(*MATH[case])
    msg = scratch.fails(["check", scratch.write("s.toml", body)], key)
    assert "mathtext" in msg


def test_valid_mathtext_and_escaped_dollars_pass(scratch):
    body = TINY.replace('title = "tiny"', 'title = "costs \\\\$5 and $\\\\alpha^2$"')
    r = scratch.run("check", scratch.write("s.toml", body))
    assert r.exit_code == 0, r.output


def test_bom_is_accepted(scratch):
    r = scratch.run("check", scratch.write("s.toml", b"\xef\xbb\xbf" + TINY.encode()))
    assert r.exit_code == 0, r.output


@pytest.mark.parametrize("path", ["d.toml", "nope.toml", "/dev/zero"])  # a folder, missing, endless
def test_scenario_path_that_is_no_file(scratch, path):
    (scratch.root / "d.toml").mkdir()
    scratch.fails(["check", path], "$")


def test_huge_scenario_file(scratch):
    path = scratch.write("s.toml", TINY + "# " + "x" * 2_000_000 + "\n")
    scratch.fails(["check", path], "$")


@pytest.mark.parametrize("where", ["label", "title", "description"])
def test_long_text_refused_with_force_hint(scratch, where):
    body, key = _with_text(where, "x" * 10_000)
    msg = scratch.fails(["render", scratch.write("s.toml", body)], key)
    assert "--force" in msg and "10,000" in msg
