"""The output folder's README (gradviz.readme): captions, alt texts, snippets,
links relative to the README, one-line headings, escaped text."""
from __future__ import annotations

import re
from pathlib import Path

from gradviz import figures
from gradviz.figures import Output
from gradviz.readme import md_escape, write_readme

LINK = re.compile(r"!?\[(?:\\.|[^\]\\])*\]\(([^)\s]+)\)")


def test_write_readme(recs, tmp_path):
    outs = figures.render_figures(recs("vanishing"), tmp_path, ["grad_norms"], formats=("png", "svg"), dpi=40)
    outs.append(Output(name="hist_anim", path=tmp_path / "hist_anim.gif", format="gif",
                       caption="An animation.", alt="Frames [of] histograms.", kind="animation"))
    path = write_readme(tmp_path, outs, "Initialization", "Why N(0,1) fails.")
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# Initialization")
    assert "Why N(0,1) fails." in text
    for o in outs:
        assert md_escape(o.caption) in text and f"({o.path.name})" in text
    assert text.count("```markdown") == 2
    assert "![Frames \\[of\\] histograms.](hist_anim.gif)" in text
    assert "![Line chart, log scale: gradient norm" in text
    assert "**Caption:**" in text and "**Alt text:**" in text


def test_readme_headings_are_translated(recs, tmp_path):
    outs = figures.render_figures(recs("vanishing"), tmp_path, ["loss"], dpi=30, lang="bg")
    text = write_readme(tmp_path, outs, "x", lang="bg").read_text(encoding="utf-8")
    assert "**Надпис:**" in text and "**Алтернативен текст:**" in text and "Caption" not in text


def test_links_resolve_against_the_readme_folder(recs, tmp_path, monkeypatch):
    """The default `--out outputs` gives relative paths (outputs/s/x.png): every
    link must resolve from the README's folder, not from the current directory."""
    monkeypatch.chdir(tmp_path)
    out = Path("outputs") / "s"          # relative, as render passes it
    outs = figures.render_figures(recs("vanishing"), out, ["grad_norms", "loss"], formats=("png", "svg"),
                                  dpi=30)
    readme = write_readme(out, outs, "T")
    links = LINK.findall(readme.read_text(encoding="utf-8"))
    assert len(links) >= 2 * len(outs) // 2 + len(outs)   # images, snippets and file links
    for link in links:
        assert (readme.parent / link).is_file(), link
    assert not any(link.startswith("outputs/") for link in links)


def test_headings_one_line_unique(tmp_path):
    outs = [Output(name=n, path=tmp_path / f"{n}.png", format="png", caption="c", alt="a",
                   title="Gradient norm per layer,\nwrapped over\n  three lines") for n in ("a", "b")]
    text = write_readme(tmp_path, outs, "T").read_text(encoding="utf-8")
    heads = [ln for ln in text.splitlines() if ln.startswith("## ")]
    assert heads == ["## Gradient norm per layer, wrapped over three lines (a)",
                     "## Gradient norm per layer, wrapped over three lines (b)"]
    # no line of the README is a bare continuation of a heading
    assert "wrapped over\n" not in text


def test_script_label_is_escaped(tmp_path):
    evil = "<script>alert(1)</script>"
    outs = [Output(name="loss", path=tmp_path / "loss.png", format="png", caption=f"caption {evil}",
                   alt=f"alt {evil}](javascript:x)", title=f"title {evil}")]
    text = write_readme(tmp_path, outs, f"Scenario {evil}", f"About {evil}\n\n# not a heading").read_text(
        encoding="utf-8")
    assert "<script" not in text and "</script" not in text
    # title, description, heading, image alt, alt line, caption line, snippet alt and caption
    assert text.count("&lt;script&gt;") == 8
    # the alt's "]" cannot close the image text: it is always escaped
    assert "\\](javascript:x)" in text and not re.search(r"(?<!\\)\]\(javascript", text)
    assert "\n# not a heading" not in text and "\\# not a heading" in text


def test_md_escape():
    assert md_escape("a*b_c `x` [y]") == "a\\*b\\_c \\`x\\` \\[y\\]"
    assert md_escape("1. first") == "1\\. first" and md_escape("- item") == "\\- item"
    assert md_escape("3 # not at start") == "3 # not at start"
    assert md_escape("x\n  y") == "x y"
