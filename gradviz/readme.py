"""The output folder's README.md: every figure and animation with its caption,
alt text, files and a Markdown snippet to paste into a lesson."""
from __future__ import annotations

import os
from pathlib import Path

from .atomic import atomic_open
from .i18n import t


def md_escape(text: str) -> str:
    """Text safe inside a Markdown image's alt text (no brackets, one line)."""
    return text.replace("[", "\\[").replace("]", "\\]").replace("\n", " ")


def write_readme(out_dir, outputs, title: str = "", description: str = "", lang: str = "en",
                 extra: str = "") -> Path:
    """``out_dir/README.md``: every figure with caption, alt text and a Markdown snippet.

    Outputs of one name (several formats) are listed together; the snippet uses
    the PNG (figures) or the GIF (animations) when present.
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    groups: dict[str, list] = {}
    for o in outputs:
        groups.setdefault(o.name, []).append(o)
    lines = [f"# {title or 'gradviz outputs'}", ""]
    if description:
        lines += [description.strip(), ""]
    pref = ("png", "gif", "webp", "apng", "svg", "pdf")
    for name, outs in groups.items():
        outs_sorted = sorted(outs, key=lambda o: pref.index(o.format) if o.format in pref else 99)
        main = outs_sorted[0]
        rel = os.path.relpath(main.path, out_dir) if Path(main.path).is_absolute() else str(main.path)
        rel = rel.replace(os.sep, "/")
        lines += [f"## {main.title or name}", ""]
        if main.format != "pdf":
            lines += [f"![{md_escape(main.alt)}]({rel})", ""]
        caption, alt_text = t("Caption", lang), t("Alt text", lang)
        lines += [f"**{caption}:** {main.caption}", "", f"**{alt_text}:** {main.alt}", ""]
        files = ", ".join(f"[`{os.path.basename(o.path)}`]({os.path.basename(o.path)})" for o in outs_sorted)
        files_word = t("Files", lang)
        lines += [f"**{files_word}:** {files}", ""]
        lines += [t("Markdown to paste into a lesson", lang) + ":", "", "```markdown",
                  f"![{md_escape(main.alt)}]({rel})", "", f"*{main.caption}*", "```", ""]
    if extra:  # e.g. the verdicts of the scenario's claims (claims.as_markdown)
        lines += [extra]
    path = out_dir / "README.md"
    with atomic_open(path, "w", encoding="utf-8") as fh:
        fh.write("\n".join(lines))
    return path
