"""``gradviz gallery OUT``: one ``OUT/index.html`` showing every rendered
scenario and language in OUT, with figures, captions, alt text, links to the
SVG/PDF files and a language switch.

It reads the ``gallery.json`` that :func:`gradviz.readme.write_index` writes
beside each output README (``OUT/NAME/`` in English, ``OUT/NAME/LANG/`` in
other languages). The page is plain HTML with inline CSS and a few lines of
JS: no external resource, and without JS every language is shown. Every text
is HTML-escaped; every link is relative to OUT, so the folder can be moved or
published as it is.
"""
from __future__ import annotations

import html
import json
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import click

from .atomic import OutputError, atomic_open
from .i18n import LANGUAGES, is_rtl, t
from .readme import INDEX_NAME

#: Each language in its own name, for the switch.
ENDONYMS = {"en": "English", "es": "Español", "pt": "Português", "ro": "Română", "bg": "Български",
            "he": "עברית"}


@dataclass(frozen=True)
class Lesson:
    """One scenario in one language: its folder (relative to OUT) and its index."""
    scenario: str
    lang: str
    folder: str
    doc: dict


def find_lessons(out: Path) -> list[Lesson]:
    """Every ``gallery.json`` in ``OUT/*/`` and ``OUT/*/*/``, by scenario then language order."""
    found = []
    for path in sorted([*out.glob(f"*/{INDEX_NAME}"), *out.glob(f"*/*/{INDEX_NAME}")]):
        if path.is_symlink() or path.parent.is_symlink():
            continue      # never follow a planted link out of OUT
        try:
            doc = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue      # not ours, or half a file from another tool: skip it
        if not isinstance(doc, dict) or not isinstance(doc.get("outputs"), list):
            continue
        folder = path.parent.relative_to(out).as_posix()
        lang = str(doc.get("lang") or "en")
        found.append(Lesson(folder.split("/")[0], lang, folder, doc))
    order = {lang: i for i, lang in enumerate(LANGUAGES)}
    return sorted(found, key=lambda s: (s.scenario, order.get(s.lang, 99), s.lang))


def _e(text) -> str:
    return html.escape(str(text), quote=True)


def _href(folder: str, file: str) -> str:
    return quote(f"{folder}/{file}")


def _output_html(lesson: Lesson, o: dict) -> str:
    files = o.get("files") or {}
    shown = next((f for f in ("png", "gif", "webp", "apng", "svg") if f in files), None)
    lang = lesson.lang
    img = (f'<img src="{_href(lesson.folder, files[shown])}" alt="{_e(o.get("alt", ""))}">'
           if shown else "")
    # message ids outside f-strings: the catalogue extractor does not look inside them
    caption_word, alt_word, files_word = t("Caption", lang), t("Alt text", lang), t("Files", lang)
    links = " · ".join(f'<a href="{_href(lesson.folder, path)}">{_e(fmt.upper())}</a>'
                       for fmt, path in files.items())
    return (f'<figure id="{_e(lesson.folder)}/{_e(o.get("name", ""))}">'
            f'<h3>{_e(o.get("title", ""))}</h3>{img}'
            f'<figcaption><p><b>{_e(caption_word)}:</b> {_e(o.get("caption", ""))}</p>'
            f'<p class="alt"><b>{_e(alt_word)}:</b> {_e(o.get("alt", ""))}</p>'
            f'<p><b>{_e(files_word)}:</b> {links}</p></figcaption></figure>')


def _lesson_html(lesson: Lesson) -> str:
    doc = lesson.doc
    direction = "rtl" if is_rtl(lesson.lang) else "ltr"
    desc = "".join(f"<p>{_e(p.strip())}</p>" for p in str(doc.get("description") or "").split("\n\n")
                   if p.strip())
    figs = "".join(_output_html(lesson, o) for o in doc["outputs"] if isinstance(o, dict))
    return (f'<section class="lesson" data-lang="{_e(lesson.lang)}" lang="{_e(lesson.lang)}" '
            f'dir="{direction}"><h2>{_e(doc.get("title") or lesson.scenario)} '
            f'<small>{_e(lesson.scenario)} · {_e(lesson.lang)} · '
            f'<a href="{_href(lesson.folder, "README.md")}">README.md</a></small></h2>{desc}'
            f'<div class="figs">{figs}</div></section>')


#: marks a page as gradviz's: any other index.html in OUT is never overwritten
GENERATOR = '<meta name="generator" content="gradviz gallery">'

CSS = """
body{font-family:system-ui,sans-serif;margin:0 auto;max-width:1300px;padding:1em;color:#222}
header{position:sticky;top:0;background:#fff;border-bottom:1px solid #ccc;padding:.5em 0;z-index:1}
header button{margin:0 .2em;padding:.2em .6em;border:1px solid #888;background:#f4f4f4;cursor:pointer}
header button[aria-pressed=true]{background:#036;color:#fff}
.figs{display:grid;grid-template-columns:repeat(auto-fill,minmax(520px,1fr));gap:1.5em}
figure{margin:0;border:1px solid #ddd;padding:.6em}
figure img{max-width:100%;height:auto;display:block}
figure h3{margin:.2em 0 .4em;font-size:1.05em}
figcaption p{margin:.3em 0;font-size:.92em}
.alt{color:#555}
.broken::after{content:"image failed to load";color:#b00}
small{font-weight:normal;color:#666;font-size:.6em}
"""

# The switch shows one language (remembered in the URL's #lang=xx) or all;
# on load every image records its naturalWidth (data-natural-width) and a
# broken one is marked, so a missing file is visible (and testable).
JS = """
const langs=[...new Set([...document.querySelectorAll('section.lesson')].map(s=>s.dataset.lang))];
function show(l){document.querySelectorAll('section.lesson').forEach(
 s=>{s.hidden=!(l==='all'||s.dataset.lang===l)});
 document.querySelectorAll('header button').forEach(b=>b.setAttribute('aria-pressed',b.dataset.lang===l));
 history.replaceState(null,'','#lang='+l)}
document.querySelectorAll('header button').forEach(b=>b.onclick=()=>show(b.dataset.lang));
const m=location.hash.match(/lang=([\\w-]+)/);
show(m&&(m[1]==='all'||langs.includes(m[1]))?m[1]:(langs.includes('en')?'en':'all'));
window.addEventListener('load',()=>{document.querySelectorAll('img').forEach(i=>{
 i.dataset.naturalWidth=i.naturalWidth;if(!i.naturalWidth)i.parentElement.classList.add('broken')});
 document.body.dataset.loaded='yes'});
"""


def page(lessons: list[Lesson]) -> str:
    """The gallery page's HTML text."""
    langs = list(dict.fromkeys(s.lang for s in lessons))
    buttons = "".join(f'<button type="button" data-lang="{_e(lang)}" lang="{_e(lang)}">'
                      f'{_e(ENDONYMS.get(lang, lang))}</button>' for lang in langs)
    buttons += '<button type="button" data-lang="all">all</button>'
    body = "".join(_lesson_html(s) for s in lessons) or "<p>No rendered scenarios here yet: " \
        "<code>gradviz render NAME</code> writes them.</p>"
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">" + GENERATOR +
            f"<title>gradviz gallery</title><style>{CSS}</style></head><body>"
            f"<header><b>gradviz gallery</b> · {len({s.scenario for s in lessons})} scenarios · "
            f"<span role=\"group\">{buttons}</span></header><main>{body}</main>"
            f"<script>{JS}</script></body></html>\n")


def write_gallery(out) -> Path:
    """Write ``OUT/index.html`` for every lesson in ``out``; returns its path.

    An ``index.html`` that gradviz did not write is left alone (OutputError).
    """
    out = Path(out)
    path = out / "index.html"
    if path.is_file() and not path.is_symlink():
        head = path.read_bytes()[:4096].decode("utf-8", "replace")
        if GENERATOR not in head:
            raise OutputError(f"{path}: exists and was not written by gradviz; not overwriting it "
                              "(move it, or write the gallery into another folder)")
    with atomic_open(path, "w", encoding="utf-8") as fh:
        fh.write(page(find_lessons(out)))
    return path


def update_gallery(out, say) -> Path | None:
    """After a render: rewrite ``OUT/index.html``, or ``say`` why not (never fails the render)."""
    try:
        path = write_gallery(out)
    except OSError as exc:
        say(f"gallery not updated: {exc}")
        return None
    say(f"gallery: {path}")
    return path


@click.command()
@click.argument("out", type=click.Path(file_okay=False, path_type=Path), default=Path("outputs"))
def gallery(out):
    """Write OUT/index.html: every rendered scenario and language in OUT (default: outputs)."""
    if not out.is_dir():
        raise click.BadParameter(f"{out} is not a folder; `gradviz render NAME --out {out}` fills it",
                                 param_hint="OUT")
    lessons = find_lessons(out)
    try:
        path = write_gallery(out)
    except OutputError as exc:
        click.secho(f"error: {exc}", fg="red", err=True)
        raise SystemExit(1) from None
    click.echo(f"{path} ({len({s.scenario for s in lessons})} scenarios, "
               f"{sum(len(s.doc['outputs']) for s in lessons)} figures and animations, "
               f"languages: {', '.join(dict.fromkeys(s.lang for s in lessons)) or '-'})")
