"""The output folder's README (gradviz.readme): captions, alt texts, snippets."""
from __future__ import annotations

from gradviz import figures
from gradviz.figures import Output
from gradviz.readme import write_readme


def test_write_readme(recs, tmp_path):
    outs = figures.render_figures(recs("vanishing"), tmp_path, ["grad_norms"], formats=("png", "svg"), dpi=40)
    outs.append(Output(name="hist_anim", path=tmp_path / "hist_anim.gif", format="gif",
                       caption="An animation.", alt="Frames [of] histograms.", kind="animation"))
    path = write_readme(tmp_path, outs, "Initialization", "Why N(0,1) fails.")
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# Initialization")
    assert "Why N(0,1) fails." in text
    for o in outs:
        assert o.caption in text and f"({o.path.name})" in text
    assert text.count("```markdown") == 2
    assert "![Frames \\[of\\] histograms.](hist_anim.gif)" in text
    assert "![Line chart, log scale: gradient norm" in text
    assert "**Caption:**" in text and "**Alt text:**" in text


def test_readme_headings_are_translated(recs, tmp_path):
    outs = figures.render_figures(recs("vanishing"), tmp_path, ["loss"], dpi=30, lang="bg")
    text = write_readme(tmp_path, outs, "x", lang="bg").read_text(encoding="utf-8")
    assert "**Надпис:**" in text and "**Алтернативен текст:**" in text and "Caption" not in text
