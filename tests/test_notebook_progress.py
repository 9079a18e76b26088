"""The notebook progress bar (gradviz.notebook_progress): both call forms, tqdm or
plain text, and the same phase words as the CLI's display (gradviz.progress)."""
from __future__ import annotations

import io

import pytest

from gradviz import progress
from gradviz.notebook_progress import TextProgress
from gradviz.progress import Progress, compiling_phase


def test_text_progress_accepts_two_and_three_arguments_and_names_the_compile_phase():
    buf = io.StringIO()
    bar = TextProgress("s", file=buf, use_tqdm=False)
    bar(0, 10, "compiling")
    bar(5, 10)                    # the 2-argument form is training
    bar(10, 10, "training")
    bar.close()
    text = buf.getvalue()
    assert text.startswith(f"s: {compiling_phase()}") and "%" not in text.split("\n")[0]
    assert " 50% 5/10" in text and "100% 10/10" in text and text.endswith("s)\n")


def test_text_progress_uses_tqdm_when_installed():
    pytest.importorskip("tqdm")
    buf = io.StringIO()
    bar = TextProgress("s", file=buf)
    bar(0, 4, "compiling")
    bar(4, 4, "training")
    bar.close()
    assert buf.getvalue().startswith(f"s: {compiling_phase()}") and "4/4" in buf.getvalue()


@pytest.mark.parametrize("cached", [False, True])
def test_the_notebook_bar_and_the_cli_say_the_same_phase_words(monkeypatch, cached):
    monkeypatch.setattr(progress, "kernels_cached", lambda: cached)
    cli, nb = io.StringIO(), io.StringIO()
    for bar in (Progress("s", file=cli, tty=False), TextProgress("s", file=nb, use_tqdm=False)):
        bar(0, 4, "compiling")
        bar(4, 4, "training")
        bar.close()
    cli_lines, nb_lines = cli.getvalue().splitlines(), nb.getvalue().replace("\r", "").splitlines()
    assert cli_lines[0] == nb_lines[0] == f"s: {compiling_phase(cached=cached)}"
    assert cli_lines[1].startswith("s: training, ") and nb_lines[1].startswith("s: training [")
