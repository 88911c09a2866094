"""A Markdown file, with or without YAML front matter.

The text is kept as written. Headings without an explicit id get one made
from their text (``## Title {#title}``; setext headings become ATX ones), and
a first ``#`` heading is added from the title when there is none. A picture
standing alone in its paragraph becomes a figure (its alt text the caption):
copied in when it is a file inside the Markdown file's own folder, otherwise
(the web, or outside that folder) a stand-in plate. Links the reader cannot
follow (relative files) become their text.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from reader.core.importers.draft import (
    Draft,
    DraftFigure,
    Heading,
    ImportRefused,
    Paragraph,
    anchor_key,
    anchor_link,
)
from reader.core.importers.html_page import local_picture
from reader.core.importers.source import MARKDOWN, MAX_TEXT_BYTES, decode, read_limited

_FENCE = re.compile(r"^\s*(```|~~~)")
_ATX = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_EXPLICIT_ID = re.compile(r"\s*\{[^}]*#([A-Za-z][\w.:-]*)[^}]*\}\s*$")
_SETEXT = re.compile(r"^(=+|-+)\s*$")
_IMAGE_ALONE = re.compile(r'^\s*!\[([^\]]*)\]\(\s*<?([^)\s>]+)>?(?:\s+"([^"]*)")?\s*\)\s*$')
_LINK = re.compile(r"(?<!!)\[([^\]]+)\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")


def read(path: Path) -> Draft:
    problems: list[str] = []
    text = decode(read_limited(path, MAX_TEXT_BYTES), problems).replace("\r\n", "\n")
    meta, body = _front_matter(text, problems)
    folder = path.parent.resolve()
    title = str(meta.pop("title", "") or "").strip()
    draft = Draft(title=title, format=MARKDOWN, meta=meta, problems=problems)
    paragraph: list[str] = []
    lines = body.split("\n")
    in_fence = False

    def flush() -> None:
        if paragraph:
            draft.blocks.append(Paragraph("\n".join(paragraph)))
            paragraph.clear()

    for index, line in enumerate(lines):
        if _FENCE.match(line):
            in_fence = not in_fence
            paragraph.append(line)
            continue
        if in_fence:
            paragraph.append(line)
            continue
        nxt = lines[index + 1] if index + 1 < len(lines) else ""
        if line.strip() and _SETEXT.match(nxt) and not paragraph and not line.startswith(" "):
            lines[index + 1] = ""
            _heading(draft, 1 if nxt.startswith("=") else 2, line.strip())
            continue
        atx = _ATX.match(line)
        if atx:
            flush()
            _heading(draft, len(atx.group(1)), atx.group(2))
            continue
        image = _IMAGE_ALONE.match(line)
        if image and not paragraph:
            alt, src, caption = image.group(1), image.group(2), image.group(3) or ""
            picture, found = local_picture(src, path, folder)
            if picture is None:
                problems.append(f"picture not available ({found}): a stand-in plate is shown")
                draft.blocks.append(DraftFigure(caption or alt, alt, missing=found))
            else:
                draft.blocks.append(DraftFigure(caption or alt, alt, picture, found))
            continue
        if not line.strip():
            flush()
            continue
        paragraph.append(_LINK.sub(_follow_or_text, line))
    flush()
    if not draft.title:
        first = next((b for b in draft.blocks if isinstance(b, Heading) and b.level == 1), None)
        if first is not None:
            draft.title = first.title
            draft.blocks.remove(first)
        else:
            draft.title = path.stem.replace("-", " ").replace("_", " ").strip() or "Untitled"
    if not any(isinstance(b, Paragraph) for b in draft.blocks):
        raise ImportRefused("no text: the file has no paragraphs")
    return draft


def _heading(draft: Draft, level: int, text: str) -> None:
    """A heading, keeping an explicit ``{#id}`` when the text has one."""
    explicit = _EXPLICIT_ID.search(text)
    title = _EXPLICIT_ID.sub("", text).strip()
    if title:
        wanted = explicit.group(1) if explicit else ""
        draft.blocks.append(Heading(level, title, [wanted] if wanted else [], wanted))


def _follow_or_text(match: re.Match[str]) -> str:
    href = match.group(2)
    if href.startswith("#") and len(href) > 1:
        return anchor_link(match.group(1), anchor_key(href[1:]))
    if href.startswith(("http://", "https://", "mailto:")):
        return match.group(0)
    return match.group(1)


def _front_matter(text: str, problems: list[str]) -> tuple[dict[str, Any], str]:
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        return {}, text
    for index in range(1, len(lines)):
        if lines[index].strip() in ("---", "..."):
            import yaml

            try:
                data = yaml.safe_load("\n".join(lines[1:index]))
            except yaml.YAMLError as exc:
                problems.append(f"front matter not read (malformed YAML): {exc}")
                return {}, "\n".join(lines[index + 1 :])
            if not isinstance(data, dict):
                return {}, "\n".join(lines[index + 1 :])
            return {str(k): v for k, v in data.items()}, "\n".join(lines[index + 1 :])
    return {}, text
