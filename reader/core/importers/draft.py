"""What every importer makes: a draft essay, and the one writer that turns it into an edition.

An importer reads its input into a ``Draft`` (title, front matter, a list of
blocks: headings, Markdown paragraphs and figures, and related pages). The
writer gives headings their ids (stable: made from the heading's text, or the
id an earlier import of the same page gave the same title, so bookmarks
survive a re-import), writes ``essay.md``, the figures (the picture, or a
stand-in plate naming it) and ``related.yaml`` into a folder.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reader.core.importers.plate import stand_in_svg
from reader.core.model import ESSAY_FILE, RELATED_FILE
from reader.core.text import fold

#: Picture types kept as they are (anything else gets a stand-in plate).
PICTURE_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp")
#: Internal links are written with this placeholder until section ids are known.
_ANCHOR = re.compile(r"\[((?:\\.|[^\]\\])*)\]\(#@@([0-9a-f]+)@@\)")


class ImportRefused(Exception):
    """An input that cannot become an essay; the message says why, for the reader."""


@dataclass
class Heading:
    level: int
    title: str
    #: Names by which the input's own links point at this heading (HTML ids).
    anchors: list[str] = field(default_factory=list)
    #: The id the input gave the heading itself (a Markdown ``{#id}``), kept if free.
    explicit_id: str = ""


@dataclass
class Paragraph:
    """One block of Markdown, already escaped."""

    markdown: str


@dataclass
class DraftFigure:
    caption: str
    alt: str = ""
    picture: bytes | None = None
    suffix: str = ".svg"
    #: Where the picture was, when it is not here (a web address or a missing file).
    missing: str = ""


@dataclass
class RelatedDraft:
    title: str
    url: str | None = None


Block = Heading | Paragraph | DraftFigure


@dataclass
class Draft:
    title: str
    format: str
    meta: dict[str, Any] = field(default_factory=dict)
    blocks: list[Block] = field(default_factory=list)
    related: list[RelatedDraft] = field(default_factory=list)
    related_heading: str = ""
    #: What the reader should know about the import (odd characters, missing pictures).
    problems: list[str] = field(default_factory=list)

    def figures(self) -> list[DraftFigure]:
        return [block for block in self.blocks if isinstance(block, DraftFigure)]


def slug(text: str, fallback: str = "section", limit: int = 60) -> str:
    """An ASCII id from text: folded, runs of other characters one hyphen, starting
    with a letter (heading ids and folder names must)."""
    value = re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")
    value = value[:limit].rstrip("-")
    if not value:
        return fallback
    return value if value[0].isalpha() else f"{fallback[0]}-{value}"


def unique(base: str, taken: set[str]) -> str:
    candidate, number = base, 2
    while candidate in taken:
        candidate = f"{base}-{number}"
        number += 1
    taken.add(candidate)
    return candidate


_LINE_START = re.compile(r"^(\s*)([#>+-]|\d+\.|/{3})")
_TAG_LIKE = re.compile(r"<(?=[A-Za-z/!?])")


def escape(text: str) -> str:
    """Plain text as Markdown that shows exactly that text (one block's worth)."""
    text = re.sub(r"([\\`*_\[\]{}])", r"\\\1", text)
    text = _TAG_LIKE.sub("&lt;", text)
    # Callers strip lines: leading spaces would make a code block.
    return "\n".join(_LINE_START.sub(_escape_start, line) for line in text.split("\n"))


def _escape_start(match: re.Match[str]) -> str:
    """A line start Markdown would read as a heading, quote, list or block."""
    indent, mark = match.group(1), match.group(2)
    if mark == "///":
        return f"{indent}&#47;//"
    if mark[0].isdigit():
        return f"{indent}{mark[:-1]}\\."
    return f"{indent}\\{mark}"


def anchor_link(text_markdown: str, key: str) -> str:
    """A link to a heading of the same draft, resolved when ids are given."""
    return f"[{text_markdown}](#@@{key}@@)"


def anchor_key(name: str) -> str:
    return name.encode("utf-8").hex()


def folded_title(title: str) -> str:
    return " ".join(fold(title).split())


def write_edition(draft: Draft, folder: Path, previous_ids: dict[str, str]) -> None:
    """Write the draft as an edition folder (which must exist and be empty).

    ``previous_ids`` maps a folded heading title to the id an earlier import gave it.
    """
    import yaml

    taken: set[str] = set()
    anchors: dict[str, str] = {}

    def heading_id(title: str, explicit: str = "") -> str:
        for wanted in (previous_ids.get(folded_title(title)), explicit):
            if wanted and wanted not in taken:
                taken.add(wanted)
                return wanted
        return unique(slug(title), taken)

    lines = [f"# {escape(draft.title)} {{#{heading_id(draft.title)}}}", ""]
    figures_dir = folder / "figures"
    number = 0
    for block in draft.blocks:
        if isinstance(block, Heading):
            level = min(max(block.level, 2), 6)
            section_id = heading_id(block.title, block.explicit_id)
            # The input's own names for the heading, and the id itself (a Markdown
            # link may name the id the heading's text gives).
            for name in [*block.anchors, block.explicit_id, section_id]:
                anchors.setdefault(anchor_key(name), section_id)
            lines += [f"{'#' * level} {escape(block.title)} {{#{section_id}}}", ""]
        elif isinstance(block, Paragraph):
            lines += [block.markdown, ""]
        else:
            number += 1
            figures_dir.mkdir(exist_ok=True)
            name = f"figure-{number}"
            if block.picture is not None and block.suffix in PICTURE_SUFFIXES:
                file_name = f"{name}{block.suffix}"
                (figures_dir / file_name).write_bytes(block.picture)
            else:
                file_name = f"{name}.svg"
                plate = stand_in_svg(number, block.caption or block.alt, block.missing, name)
                (figures_dir / file_name).write_text(plate, encoding="utf-8")
            caption = block.caption or block.alt or f"Figure {number}."
            lines += [
                f"![{escape(block.alt)}](figures/{file_name})",
                "",
                "/// figure-caption",
                f"    attrs: {{id: {name}}}",
                escape(" ".join(caption.split())),
                "///",
                "",
            ]
    body = "\n".join(lines)

    def resolve(match: re.Match[str]) -> str:
        target = anchors.get(match.group(2))
        return f"[{match.group(1)}](#{target})" if target else match.group(1)

    body = _ANCHOR.sub(resolve, body)
    meta = {"title": draft.title, **{k: v for k, v in draft.meta.items() if v not in (None, "")}}
    front = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=1000)
    (folder / ESSAY_FILE).write_text(f"---\n{front}---\n\n{body}", encoding="utf-8")
    if draft.related:
        page_ids: set[str] = set()
        pages = []
        for page in draft.related:
            entry: dict[str, str] = {"id": unique(slug(page.title, "page"), page_ids)}
            entry["title"] = page.title
            if page.url:
                entry["url"] = page.url
            pages.append(entry)
        data: dict[str, Any] = {}
        if draft.related_heading:
            data["heading"] = draft.related_heading
        data["pages"] = pages
        (folder / RELATED_FILE).write_text(
            yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000),
            encoding="utf-8",
        )


def related_id(draft: Draft, title: str) -> str:
    """The id ``write_edition`` gives the related page with this title (pages keep their
    order, so the ids are known before writing)."""
    taken: set[str] = set()
    for page in draft.related:
        page_id = unique(slug(page.title, "page"), taken)
        if page.title == title:
            return page_id
    raise KeyError(title)
