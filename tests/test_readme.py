"""The output folder's README (gradviz.readme): captions, alt texts, snippets,
links relative to the README, one-line headings, escaped text."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

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


#: claims and their Hebrew text, appended to the `tiny` fixture's scenario
CLAIMED = '''
[[claims]]
text = "the loss is finite and below 100"
quantity = "loss"
variant = "glorot"
compare = "<"
value = 100.0
hold = 1.0
[[claims]]
text = "an impossible claim: a negative validation loss at step 0"
quantity = "val_loss"
variant = 0
at = "init"
compare = "<"
value = 0.0
[translations.he]
title = "זעיר"
labels = ["נורמלית", "בסיס"]
claims = ["ההפסד סופי וקטן מ-100", "טענה בלתי אפשרית: הפסד אימות שלילי בצעד 0"]
'''
#: English words of the section's own text (heading, header, verdicts, the measured column)
ENGLISH = re.compile(r"\b(Claims|checked|recording|claim|measured|median|seeds?|range|holds?|need|PASS|FAIL|"
                     r"end|init|layer|step|finite|impossible|negative|validation|below)\b")


def _claims_section(readme: str) -> list[str]:
    lines = readme.splitlines()
    start = next(k for k, ln in enumerate(lines) if ln.startswith("## ") and k + 2 < len(lines)
                 and lines[k + 2].startswith("| |"))
    end = next((k for k in range(start + 1, len(lines)) if lines[k].startswith("## ")), len(lines))
    return [ln for ln in lines[start:end] if ln]


def test_claims_section_of_a_hebrew_readme_is_hebrew(tmp_path, tiny):
    """issue 10: `render --lang he` wrote the verdicts table in English (heading, header,
    claim texts, PASS/FAIL, "seeds hold"); every word of it must come from he."""
    from click.testing import CliRunner

    from gradviz.cli import main
    from gradviz.i18n import isolate_ltr, t

    path = tmp_path / "tiny.toml"
    # one figure, no animation: this test is about the README's text
    path.write_text(tiny.replace('animations = ["heatmap_anim"]', "animations = []") + CLAIMED, encoding="utf-8")
    res = CliRunner().invoke(main, ["render", str(path), "--lang", "he", "--out", str(tmp_path / "out")])
    assert res.exit_code == 0, res.output
    section = _claims_section((tmp_path / "out" / "tiny" / "he" / "README.md").read_text(encoding="utf-8"))
    assert section[0] == "## " + t("Claims checked on this recording", "he") != "## Claims checked on this recording"
    assert section[1] == f"| | {t('claim', 'he')} | {md_escape(t('measured (median [seed range])', 'he'))} |"
    rows = section[3:]
    assert len(rows) == 2
    cells = [row.split(" | ") for row in rows]
    assert cells[0][0] == "| " + t("PASS", "he") and cells[1][0] == "| **" + t("FAIL", "he") + "**"
    assert cells[0][1] == md_escape(isolate_ltr("ההפסד סופי וקטן מ-100"))
    assert cells[1][1] == "טענה בלתי אפשרית: הפסד אימות שלילי בצעד 0"
    assert "בסיס" in cells[0][2] and t("init", "he") in cells[1][2]   # translated label and `at`
    leftover = [m.group(0) for row in section for m in ENGLISH.finditer(row)]
    assert leftover == [], section
    # every left-to-right run is whole: no Hebrew inside an isolate, its brackets paired
    # (isolating the measured column as one string cut "(אתחול, שכבה ⁦0) 658 [...] /⁩")
    from gradviz.i18n import LRI, PDI
    runs = re.findall(f"{LRI}([^{PDI}]*){PDI}", "\n".join(section))
    assert runs and all(not re.search("[\u0590-\u05FF]", r) and r.count("(") == r.count(")")
                        and r.count("[") == r.count("]") for r in runs), runs


def test_spanish_readme_numbers_use_the_decimal_comma(tmp_path, tiny):
    """review_a: {claim:N} numbers in the description and the claims table used a decimal
    point (0.99, 1.66) while the figures of the same README write 0,97; and the table named
    the quantity by its array ("val_loss")."""
    from click.testing import CliRunner

    from gradviz.cli import main

    path = tmp_path / "tiny.toml"
    es = '[translations.es]\ndescription = "la pérdida termina en {claim:1.a}; al inicio {claim:2.a}"\n'
    path.write_text(tiny.replace('animations = ["heatmap_anim"]', "animations = []") + CLAIMED + es,
                    encoding="utf-8")
    res = CliRunner().invoke(main, ["render", str(path), "--lang", "es", "--out", str(tmp_path / "out")])
    assert res.exit_code == 0, res.output
    readme = (tmp_path / "out" / "tiny" / "es" / "README.md").read_text(encoding="utf-8")
    desc = next(ln for ln in readme.splitlines() if ln.startswith("la pérdida termina en "))
    assert re.fullmatch(r"la pérdida termina en \d+(,\d+)?; al inicio \d+(,\d+)?", desc), desc
    measured = "\n".join(row.split(" | ")[2] for row in _claims_section(readme)[3:])  # (claim texts: English)
    assert "pérdida de entrenamiento (minilote)" in measured and "pérdida de validación" in measured
    assert re.search(r"\d,\d", measured) and not re.search(r"\d\.\d|val_loss|\bloss\b", measured), measured


@pytest.mark.parametrize("lang", ["bg", "he"])
def test_precision_figures_are_headed_by_their_translated_titles(tmp_path, lang):
    """review_b: float_precision's README headed each figure with its raw id ("## absorption",
    "## absorption\\_bits"); a precision figure titles its panels, and those (translated) head it."""
    import gradviz.numerics as nx
    from gradviz.figures.precision import render_precision
    from gradviz.i18n import t
    from gradviz.readme import write_readme

    outputs = render_precision(nx.experiment_data(["absorption", "overflow"]), tmp_path, lang=lang)
    readme = write_readme(tmp_path, outputs, lang=lang).read_text(encoding="utf-8")
    headings = [ln[3:] for ln in readme.splitlines() if ln.startswith("## ")]
    assert len(headings) == 3 and not any(h.replace("\\", "") in ("absorption", "absorption_bits", "overflow")
                                          for h in headings), headings
    absorption = md_escape(f"{t('{a} + {b}, each format', lang, a='1e10', b='1e-10')} · "
                           f"{t('How small must t be to vanish in x + t?', lang)}")
    assert headings[0] == absorption
    assert md_escape(t("{a} + {b} in bits: b is shifted out of the mantissa", lang, a="1e10", b="1e-10")) in headings
