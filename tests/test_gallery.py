"""The lesson gallery (gradviz.gallery): OUT/index.html from every rendered
scenario and language, escaped, relative links, loaded in headless Chromium."""
from __future__ import annotations

import html
import re
import shutil
import subprocess
from pathlib import Path
from urllib.parse import unquote

import pytest
from click.testing import CliRunner
from PIL import Image

from gradviz import animations, figures
from gradviz.cli import main
from gradviz.gallery import find_lessons, write_gallery
from gradviz.readme import write_readme

EVIL = "<script>alert(1)</script>"
IMG = re.compile(r"<img\b[^>]*>")


@pytest.fixture(scope="module")
def out(recs, tmp_path_factory):
    """OUT with two scenarios: one in English and Hebrew (a figure in three
    formats and a GIF), one English with a hostile title and a space in its folder."""
    root = tmp_path_factory.mktemp("gallery")
    rec = recs("vanishing")
    for lang, folder in (("en", root / "init"), ("he", root / "init" / "he")):
        outs = figures.render_figures(rec, folder, ["grad_norms"], formats=("png", "svg", "pdf"), dpi=40,
                                      lang=lang)
        outs += animations.render_animations(rec, folder, ["heatmap_anim"], dpi=30, lang=lang)
        write_readme(folder, outs, f"Initialization {lang}", "Para one.\n\nPara two.", lang=lang)
    evil = root / "evil one"
    outs = figures.render_figures(rec, evil, ["loss"], dpi=30)
    outs[0].caption, outs[0].title = f"caption {EVIL}", f'title "{EVIL}'
    write_readme(evil, outs, f"Scenario {EVIL}", f"About {EVIL}")
    (root / "stray").mkdir()
    (root / "stray" / "gallery.json").write_text("{not json")     # skipped, never a traceback
    write_gallery(root)
    return root


def test_lessons_found_in_scenario_then_language_order(out):
    found = [(s.scenario, s.lang, s.folder) for s in find_lessons(out)]
    assert found == [("evil one", "en", "evil one"), ("init", "en", "init"), ("init", "he", "init/he")]


def test_page_lists_every_figure_with_caption_alt_and_links(out):
    page = (out / "index.html").read_text(encoding="utf-8")
    for lesson in find_lessons(out):
        for o in lesson.doc["outputs"]:
            assert html.escape(o["caption"]) in page and html.escape(o["alt"]) in page
            for path in o["files"].values():
                href = f"{lesson.folder}/{path}"
                assert (out / href).is_file()
                assert f'href="{href.replace(" ", "%20")}"' in page
    assert page.count("<section") == 3 and len(IMG.findall(page)) == 5   # 3 figures (PNG) + 2 GIFs
    assert '>SVG</a>' in page and '>PDF</a>' in page
    assert 'data-lang="he" lang="he" dir="rtl"' in page
    assert '<button type="button" data-lang="he" lang="he">עברית</button>' in page
    assert "http://" not in page and "https://" not in page and "<link" not in page  # no external resources


def test_every_image_link_resolves_from_out(out):
    page = (out / "index.html").read_text(encoding="utf-8")
    for tag in IMG.findall(page):
        src = unquote(re.search(r'src="([^"]+)"', tag).group(1))
        assert (out / src).is_file(), src


def test_titles_and_captions_are_escaped(out):
    page = (out / "index.html").read_text(encoding="utf-8")
    assert page.count("<script>") == 1 and "alert(1)</script>" not in page   # only the page's own script
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert 'title &quot;&lt;script' in page


def test_gallery_command(out, tmp_path):
    r = CliRunner().invoke(main, ["gallery", str(out)])
    assert r.exit_code == 0 and "2 scenarios" in r.output and "en, he" in r.output
    r = CliRunner().invoke(main, ["gallery", str(tmp_path / "nope")])
    assert r.exit_code == 2 and "is not a folder" in r.output
    empty = tmp_path / "empty"
    empty.mkdir()
    assert CliRunner().invoke(main, ["gallery", str(empty)]).exit_code == 0
    assert "No rendered scenarios" in (empty / "index.html").read_text(encoding="utf-8")


def _chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


def _run_chromium(args, tmp_path):
    base = [_chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
            "--allow-file-access-from-files", f"--user-data-dir={tmp_path / 'profile'}",
            "--virtual-time-budget=15000"]
    return subprocess.run(base + args, capture_output=True, text=True, timeout=120)


@pytest.mark.skipif(_chromium() is None, reason="chromium is not installed here (.ci/run installs "
                                                 "Debian's chromium, so CI runs this test)")
def test_every_image_loads_in_headless_chromium(out, tmp_path):
    url = (out / "index.html").as_uri() + "#lang=all"
    dom = _run_chromium(["--dump-dom", url], tmp_path).stdout
    assert 'data-loaded="yes"' in dom, "the page's load handler did not run"
    widths = [int(w) for w in re.findall(r'data-natural-width="(\d+)"', dom)]
    assert len(widths) == len(IMG.findall(dom)) == 5
    assert all(w > 0 for w in widths), widths
    assert not re.search(r'class="[^"]*broken', dom)          # no image marked as failed
    # the switch: English only by default, every section still in the DOM
    dom_en = _run_chromium(["--dump-dom", (out / "index.html").as_uri()], tmp_path).stdout
    assert len(re.findall(r'<section class="lesson" data-lang="he"[^>]* hidden', dom_en)) == 1
    shot = tmp_path / "gallery.png"
    _run_chromium([f"--screenshot={shot}", "--window-size=1200,1600", url], tmp_path)
    with Image.open(shot) as im:
        assert im.size == (1200, 1600)
        lo, hi = im.convert("L").getextrema()
        assert hi - lo > 100                       # not a blank page


def test_render_updates_the_gallery_and_readme_links_load(tmp_path, monkeypatch, tiny):
    """`gradviz render` with the default --out outputs, from the current folder:
    the README's links resolve from the README's folder, and OUT/index.html lists it."""
    monkeypatch.chdir(tmp_path)
    Path("tiny.toml").write_text(tiny, encoding="utf-8")
    r = CliRunner().invoke(main, ["render", "tiny.toml"])
    assert r.exit_code == 0, r.output
    readme = Path("outputs/tiny/README.md")
    links = re.findall(r"!?\[(?:\\.|[^\]\\])*\]\(([^)\s]+)\)", readme.read_text(encoding="utf-8"))
    assert links and all((readme.parent / unquote(link)).is_file() for link in links)
    page = Path("outputs/index.html").read_text(encoding="utf-8")
    assert 'src="tiny/grad_norms.png"' in page and "gallery: outputs/index.html" in r.output


def test_a_foreign_index_html_is_never_overwritten(tmp_path):
    (tmp_path / "index.html").write_text("<h1>my own page</h1>", encoding="utf-8")
    r = CliRunner().invoke(main, ["gallery", str(tmp_path)])
    assert r.exit_code == 1 and "was not written by gradviz; not overwriting it" in r.output
    assert (tmp_path / "index.html").read_text(encoding="utf-8") == "<h1>my own page</h1>"
    write = tmp_path / "ours"
    write.mkdir()
    write_gallery(write)
    assert "No rendered scenarios" in write_gallery(write).read_text(encoding="utf-8")  # its own page: rewritten
