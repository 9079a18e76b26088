"""The output folder's README.md: every figure and animation with its caption,
alt text, files and a Markdown snippet to paste into a lesson.

Every text from a scenario or a figure (titles, labels, captions) is escaped
where it enters Markdown, so a label such as ``<script>`` is shown as text and
never reaches a browser as HTML. Links are relative to the README itself, so
the images load wherever the folder is opened from.
"""
from __future__ import annotations

import html
import os
import re
from pathlib import Path

from .atomic import atomic_open
from .i18n import is_rtl, isolate_ltr, t

# Markdown's inline syntax characters; a backslash before each makes it literal
# (parentheses and "!" act only after "]", which is escaped; "#", "+", "-", ">"
# and "1." only at the start of a line)
_MD_ACTIVE = re.compile(r"([\\`*_\[\]~])")
_MD_LINE_START = re.compile(r"^(\d*)([#+>.)-])")
#: the README's content as data, beside it (:func:`write_index`), for the gallery
INDEX_NAME = "gallery.json"
#: formats in the order the README prefers to show them (the snippet uses the first present)
PREFERRED = ("png", "gif", "webp", "apng", "svg", "pdf")


def one_line(text: str) -> str:
    """Wrapped figure titles (``"a\\nb"``) as one line of single spaces."""
    return " ".join(str(text).split())


def bidi_paragraphs(text: str, lang: str) -> list[str]:
    """The paragraphs of a scenario's title or description as the README shows them: in a
    right-to-left language each is one line with its left-to-right runs (formulas, numbers,
    Latin names) isolated (:func:`gradviz.i18n.isolate_ltr`), as every translated message
    is, so "1/√n_in" or "[0, 1]" is not reordered by the paragraph's direction."""
    paras = [p for p in re.split(r"\n\s*\n", str(text).strip()) if p.strip()]
    return [isolate_ltr(one_line(p)) for p in paras] if is_rtl(lang) else paras


def md_escape(text: str) -> str:
    """Text safe anywhere in Markdown: one line, HTML escaped, inline syntax literal."""
    text = _MD_ACTIVE.sub(r"\\\1", html.escape(one_line(text), quote=False))
    m = _MD_LINE_START.match(text)
    if m and (m.group(1) == "") == (m.group(2) in "#+>-"):   # "# x", "- x", "1. x", "2) x"
        text = f"{m.group(1)}\\{text[m.end(1):]}"
    return text


def rel_path(path, base) -> str:
    """``path`` relative to the folder ``base``, with ``/`` separators."""
    return os.path.relpath(Path(path).resolve(), Path(base).resolve()).replace(os.sep, "/")


def link_target(path, base) -> str:
    """:func:`rel_path` as a URL (spaces and other unsafe characters quoted)."""
    from urllib.parse import quote

    return quote(rel_path(path, base))


def _headings(groups: dict) -> dict[str, str]:
    """Name -> a one-line heading; a title used twice gets its file name added."""
    titles = {name: one_line(outs[0].title or name) for name, outs in groups.items()}
    seen: dict[str, int] = {}
    for t_ in titles.values():
        seen[t_] = seen.get(t_, 0) + 1
    return {name: (f"{t_} ({name})" if seen[t_] > 1 else t_) for name, t_ in titles.items()}


def _section(name, heading, outs, out_dir, lang) -> list[str]:
    outs = sorted(outs, key=lambda o: PREFERRED.index(o.format) if o.format in PREFERRED else 99)
    main = outs[0]
    rel = link_target(main.path, out_dir)
    alt, caption = md_escape(main.alt), md_escape(main.caption)
    lines = [f"## {md_escape(heading)}", ""]
    if main.format != "pdf":
        lines += [f"![{alt}]({rel})", ""]
    # message ids outside f-strings: the catalogue extractor does not look inside them
    caption_word, alt_word, files_word = t("Caption", lang), t("Alt text", lang), t("Files", lang)
    lines += [f"**{caption_word}:** {caption}", "", f"**{alt_word}:** {alt}", ""]
    files = ", ".join(f"[`{Path(o.path).name}`]({link_target(o.path, out_dir)})" for o in outs)
    lines += [f"**{files_word}:** {files}", ""]
    # the snippet: the same escaped text, so pasting it shows what this README shows
    lines += [t("Markdown to paste into a lesson", lang) + ":", "", "```markdown",
              f"![{alt}]({rel})", "", f"*{caption}*", "```", ""]
    return lines


def write_readme(out_dir, outputs, title: str = "", description: str = "", lang: str = "en",
                 extra_sections=()) -> Path:
    """``out_dir/README.md``: every figure with caption, alt text and a Markdown snippet.

    Outputs of one name (several formats) are listed together; the snippet uses
    the PNG (figures) or the GIF (animations) when present. ``extra_sections``
    are lists of already-escaped Markdown lines placed after the description
    (e.g. claim verdicts, :mod:`gradviz.claims`).
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    groups: dict[str, list] = {}
    for o in outputs:
        groups.setdefault(o.name, []).append(o)
    # the README's title and paragraphs, and the gallery's, isolated for right-to-left text
    title = "\n\n".join(bidi_paragraphs(title, lang)) if title else ""
    description = "\n\n".join(bidi_paragraphs(description, lang)) if description else ""
    lines = [f"# {md_escape(title or 'gradviz outputs')}", ""]
    if description:
        # paragraphs kept, each escaped (a description is prose, not Markdown source)
        for para in re.split(r"\n\s*\n", description.strip()):
            lines += [md_escape(para), ""]
    for section in extra_sections:   # claim verdicts go here, before the figures
        lines += [*section, ""]
    for name, heading in _headings(groups).items():
        lines += _section(name, heading, groups[name], out_dir, lang)
    path = out_dir / "README.md"
    with atomic_open(path, "w", encoding="utf-8") as fh:
        fh.write("\n".join(lines))
    write_index(out_dir, groups, title, description, lang)
    return path


def write_index(out_dir: Path, groups: dict, title: str, description: str, lang: str) -> Path:
    """``out_dir/gallery.json``: the README's content as data (raw, unescaped
    text; file names relative to ``out_dir``), read by ``gradviz gallery``."""
    import json

    entries = []
    for name, outs in groups.items():
        outs = sorted(outs, key=lambda o: PREFERRED.index(o.format) if o.format in PREFERRED else 99)
        main = outs[0]
        entries.append({"name": name, "kind": main.kind, "title": one_line(main.title or name),
                        "caption": main.caption, "alt": main.alt,
                        "files": {o.format: rel_path(o.path, out_dir) for o in outs}})
    doc = {"version": 1, "lang": lang, "title": title, "description": description, "outputs": entries}
    path = out_dir / INDEX_NAME
    with atomic_open(path, "w", encoding="utf-8") as fh:
        json.dump(doc, fh, ensure_ascii=False, indent=1, sort_keys=True)
    return path
