"""Hostile scenario files: encodings, nesting, emptiness, structure, variants,
labels, mathtext, precision inputs. Each is one line naming the key."""
import pytest

from .conftest import TINY

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
    "compare-and-variants": (b"[compare]\nkey = \"model.init\"\nvalues = [\"he\"]\n[[variants]]\nlabel = \"a\"\n",
                             "$.compare"),
    "compare-not-table": (b"compare = 1\n", "$.compare"),
    "compare-no-values": (b"[compare]\nkey = \"model.init\"\n", "$.compare"),
    "compare-key-undotted": (b"[compare]\nkey = \"depth\"\nvalues = [1]\n", "$.compare.key"),
    "compare-key-unknown": (b"[compare]\nkey = \"model.dpth\"\nvalues = [1]\n", "$.compare.key"),
    "compare-key-int": (b"[compare]\nkey = 3\nvalues = [1]\n", "$.compare.key"),
    "compare-depth": (b"[compare]\nkey = \"model.depth\"\nvalues = [2, 3]\n", "$.compare.key"),
    "compare-bins": (b"[compare]\nkey = \"record.bins\"\nvalues = [8, 16]\n", "$.compare.key"),
    "compare-every": (b"[compare]\nkey = \"record.every\"\nvalues = [1, 5]\n", "$.compare.key"),
    "compare-boundary": (b"[compare]\nkey = \"record.boundary\"\nvalues = [0, 8]\n", "$.compare.key"),
    "variant-depth": (b"[[variants]]\nlabel = \"a\"\n\"model.depth\" = 3\n", "$.variants[0]"),
    "compare-values-empty": (b"[compare]\nkey = \"model.init\"\nvalues = []\n", "$.compare.values"),
    "compare-bad-value": (b"[compare]\nkey = \"model.init\"\nvalues = [\"hee\"]\n", "$.compare.values[0]"),
    "compare-labels-short": (b"[compare]\nkey = \"model.init\"\nvalues = [\"he\", \"glorot\"]\nlabels = [\"a\"]\n",
                             "$.compare.labels"),
    "compare-labels-dup": (b"[compare]\nkey = \"model.init\"\nvalues = [\"he\", \"glorot\"]\nlabels = [\"a\", \"a\"]\n",
                           "$.compare.labels"),
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
    "precision-a-abc": (b"kind = \"precision\"\n[precision]\na = \"abc\"\n", "$.precision.a"),
    "precision-b-empty": (b"kind = \"precision\"\n[precision]\nb = \"\"\n", "$.precision.b"),
    "precision-a-huge-exp": (b"kind = \"precision\"\n[precision]\na = \"1e999999999\"\n", "$.precision.a"),
    "precision-b-tiny-exp": (b"kind = \"precision\"\n[precision]\nb = \"1e-99999\"\n", "$.precision.b"),
    "precision-a-many-digits": (b"kind = \"precision\"\n[precision]\na = \"" + b"1" * 5000 + b"\"\n",
                                "$.precision.a"),
    "precision-a-inf": (b"kind = \"precision\"\n[precision]\na = \"inf\"\n", "$.precision.a"),
    "precision-a-nan": (b"kind = \"precision\"\n[precision]\na = \"nan\"\n", "$.precision.a"),
    "precision-a-div0": (b"kind = \"precision\"\n[precision]\na = \"1/0\"\n", "$.precision.a"),
}

MATH = {
    "title": "$x^$", "description": "cost $\\frac{1}{$", "label": "$\\alpha_$",
    "label-unknown-cmd": "$\\nosuchcommand$", "translation-title": "$^$",
}


@pytest.mark.parametrize("name", list(FILES))
def test_hostile_file(scratch, name):
    data, key = FILES[name]
    path = scratch.write("s.toml", data)
    scratch.fails(["check", path], key)
    scratch.fails(["render", path], key)


@pytest.mark.parametrize("where", list(MATH))
def test_mathtext_breaking_text(scratch, where):
    text = MATH[where].replace("\\", "\\\\")
    body = TINY.replace('title = "tiny"', f'title = "{text}"' if where == "title" else 'title = "tiny"')
    if where == "description":
        body = f'description = "{text}"\n' + body
    if where.startswith("label"):
        body += f'\n[[variants]]\nlabel = "{text}"\n'
    if where == "translation-title":
        body += f'\n[translations.ro]\ntitle = "{text}"\n'
    key = {"title": "$.title", "description": "$.description", "translation-title": "$.translations.ro.title"
           }.get(where, "$.variants[0].label")
    path = scratch.write("s.toml", body)
    msg = scratch.fails(["check", path], key)
    assert "mathtext" in msg


def test_valid_mathtext_and_escaped_dollars_pass(scratch):
    body = TINY.replace('title = "tiny"', 'title = "costs \\\\$5 and $\\\\alpha^2$"')
    r = scratch.run("check", scratch.write("s.toml", body))
    assert r.exit_code == 0, r.output


def test_bom_is_accepted(scratch):
    r = scratch.run("check", scratch.write("s.toml", b"\xef\xbb\xbf" + TINY.encode()))
    assert r.exit_code == 0, r.output


def test_scenario_path_is_a_folder(scratch):
    (scratch.root / "d.toml").mkdir()
    scratch.fails(["check", "d.toml"], "$")


def test_scenario_path_missing(scratch):
    scratch.fails(["check", "nope.toml"], "$")


def test_scenario_dev_zero(scratch):
    scratch.fails(["check", "/dev/zero"], "$")


def test_huge_scenario_file(scratch):
    path = scratch.write("s.toml", TINY + "# " + "x" * 2_000_000 + "\n")
    scratch.fails(["check", path], "$")


@pytest.mark.parametrize("what", ["label", "title", "description"])
def test_long_text_refused_with_force_hint(scratch, what):
    long = "x" * 10_000
    body = TINY
    if what == "label":
        body += f'\n[[variants]]\nlabel = "{long}"\n'
        key = "$.variants[0].label"
    elif what == "title":
        body = body.replace('title = "tiny"', f'title = "{long}"')
        key = "$.title"
    else:
        body = f'description = "{long * 2}"\n' + body
        key = "$.description"
    path = scratch.write("s.toml", body)
    msg = scratch.fails(["render", path], key)
    assert "--force" in msg and "10,000" in msg or "20,000" in msg
