"""The content library: essays in Markdown with figures and related pages.

One folder per essay under ``content/``::

    essay.md       YAML front matter + the essay in Markdown
    figures/       image files referenced from essay.md
    related.yaml   the source site's related pages (not available offline)

This module parses those files into the model (``reader.core.model``, whose
types it re-exports) and loads a library, through the cache of parsed essays
when given a cache folder. Loading never raises on bad content: every problem
is collected as a ``Problem`` (``path:line: message``) and whatever is valid
is still loaded.
"""

from __future__ import annotations

import datetime
import os
import re
from pathlib import Path
from typing import Any

from reader.core import content_cache, links
from reader.core.model import (
    ESSAY_FILE,
    OVERRIDE_SUFFIXES,
    RELATED_FILE,
    Essay,
    Figure,
    Library,
    Link,
    Problem,
    RelatedPage,
    Section,
)
from reader.core.yamlfile import parse as parse_yaml
from reader.core.yamlfile import read_text

# The model is re-exported: callers load a library and use its types from here.
__all__ = [
    "ESSAY_FILE",
    "OVERRIDE_SUFFIXES",
    "RELATED_FILE",
    "Error",
    "Essay",
    "Figure",
    "Library",
    "Link",
    "Problem",
    "RelatedPage",
    "Section",
    "check_links",
    "figure_problems",
    "load_essay",
    "load_library",
    "load_related",
    "parse_essay",
    "read_text",
    "split_front_matter",
]

_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_HEADING_ID = re.compile(r"\{[^}]*#([A-Za-z][\w.:-]*)[^}]*\}\s*$")
_FENCE = re.compile(r"^(```|~~~)")


class Error(Exception):
    """Content that cannot be used at all (e.g. the content folder is missing)."""


def load_library(
    root: Path, cache_dir: Path | None = None, user_library: Path | None = None
) -> Library:
    """Load every essay folder under ``root`` (the shipped, read-only edition) and,
    when given, under ``user_library`` (the reader's imported essays) as one library.

    Essay ids are folder names and must be unique: an imported folder with a
    shipped essay's id is reported and left out. Problems are collected, not raised.
    """
    if not root.is_dir():
        raise Error(f"content folder not found: {root}")
    essays: list[Essay] = []
    problems: list[Problem] = []
    roots = [root]
    if user_library is not None and user_library.is_dir():
        roots.append(user_library)
    for folder_root in roots:
        for folder in _essay_folders(folder_root):
            if any(e.id == folder.name for e in essays):
                problems.append(
                    Problem(
                        folder / ESSAY_FILE,
                        1,
                        f"essay id {folder.name!r} is already in the library; left out",
                    )
                )
                continue
            essay, found = load_essay(folder, cache_dir)
            problems.extend(found)
            if essay is not None:
                essays.append(essay)
    library = Library(root, essays, problems, user_root=user_library)
    problems.extend(_check_links(library))
    return library


def _essay_folders(root: Path) -> list[Path]:
    """Essay folders in name order; hidden ones (an import in progress) are skipped."""
    return sorted(
        p
        for p in root.iterdir()
        if p.is_dir() and not p.name.startswith(".") and (p / ESSAY_FILE).is_file()
    )


def split_front_matter(
    text: str, path: Path, problems: list[Problem]
) -> tuple[dict[str, Any], str, int]:
    """Separate YAML front matter from the body; returns (meta, body, body's first line)."""
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].strip() != "---":
        problems.append(Problem(path, 1, "front matter missing: the file must start with '---'"))
        return {}, text, 1
    for index, line in enumerate(lines[1:], start=1):
        if line.strip() == "---":
            block, body = "".join(lines[1:index]), "".join(lines[index + 1 :])
            body_line = index + 2
            break
    else:
        problems.append(Problem(path, 1, "front matter not closed: no second '---' line"))
        return {}, "".join(lines[1:]), 2
    document = parse_yaml(
        block, path, problems, first_line=2, dates=True, what="malformed front matter"
    )
    if document is None:
        return {}, body, body_line
    meta = document.data
    if meta is None:
        meta = {}
    if not isinstance(meta, dict):
        problems.append(Problem(path, 2, "malformed front matter: expected 'key: value' pairs"))
        return {}, body, body_line
    # Dates become ISO strings, so an essay reads the same from the cache (JSON).
    meta = {
        str(key): value.isoformat() if isinstance(value, datetime.date) else value
        for key, value in meta.items()
    }
    if not isinstance(meta.get("title"), str) or not meta["title"].strip():
        problems.append(Problem(path, 2, "front matter has no 'title'"))
    return meta, body, body_line


def _scan_headings(body: str, body_line: int) -> list[tuple[int, str | None, str]]:
    """(line, explicit id or None, heading text) for each ATX heading outside code."""
    found: list[tuple[int, str | None, str]] = []
    in_fence = False
    for offset, line in enumerate(body.splitlines()):
        if _FENCE.match(line.lstrip()):
            in_fence = not in_fence
            continue
        if in_fence:
            continue
        match = _HEADING.match(line)
        if match:
            id_match = _HEADING_ID.search(match.group(2))
            found.append((body_line + offset, id_match.group(1) if id_match else None, line))
    return found


def _line_of(body: str, body_line: int, needle: str) -> int:
    index = body.find(needle)
    return body_line + body.count("\n", 0, index) if index >= 0 else body_line


def load_essay(folder: Path, cache_dir: Path | None = None) -> tuple[Essay | None, list[Problem]]:
    """Load one essay folder; returns the essay (or None if unreadable) and its problems.

    With ``cache_dir``, the parsed essay is kept there as derived data and reused
    while the essay's files are unchanged (start-up then needs no Markdown at all).
    """
    if cache_dir is not None:
        essay, problems = content_cache.load(folder, cache_dir, parse_essay)
    else:
        essay, problems = parse_essay(folder)
    if essay is not None:
        problems.extend(figure_problems(essay))
    return essay, problems


def figure_problems(essay: Essay) -> list[Problem]:
    """Figures whose image file is missing (checked on every load, never cached)."""
    problems = []
    for figure in essay.figures:
        if figure.declared != essay.folder and not figure.exists:
            src = Path(os.path.relpath(figure.declared, essay.folder)).as_posix()
            line = _line_of(essay.markdown, essay.body_line, f"({src})")
            problems.append(Problem(essay.path, line, f"missing figure file: {src}"))
    return problems


def parse_essay(folder: Path) -> tuple[Essay | None, list[Problem]]:
    """Parse essay.md and related.yaml; the result depends on those two files only."""
    from reader.core.markdown_ext import make_markdown, split_credit

    problems: list[Problem] = []
    path = folder / ESSAY_FILE
    text = read_text(path, problems)
    if text is None:
        return None, problems
    meta, body, body_line = split_front_matter(text, path, problems)

    seen: dict[str, int] = {}
    for line, heading_id, heading in _scan_headings(body, body_line):
        if heading_id is None:
            problems.append(Problem(path, line, f"heading has no id: {heading.strip()!r}"))
        elif heading_id in seen:
            problems.append(
                Problem(
                    path,
                    line,
                    f"duplicate heading id {heading_id!r} (first on line {seen[heading_id]})",
                )
            )
        else:
            seen[heading_id] = line

    essay_id = folder.name
    md, ext = make_markdown(essay_id)
    body_html = md.convert(body)
    outline = ext.outline

    sections: list[Section] = []
    stack: list[Section] = []
    used: set[str] = set()
    for item in outline.sections:
        if not item.id or item.id in used:
            continue  # reported above; such a heading is not addressable
        used.add(item.id)
        while stack and stack[-1].level >= item.level:
            stack.pop()
        parent = stack[-1] if stack else None
        section = Section(
            document=essay_id,
            id=item.id,
            title=item.title,
            level=item.level,
            parent=parent.id if parent else None,
            line=seen.get(item.id, body_line),
            text="\n\n".join(item.paragraphs),
        )
        if parent:
            parent.children.append(section.id)
        sections.append(section)
        stack.append(section)
    if not sections:
        problems.append(Problem(path, body_line, "essay has no headings with ids"))

    figures: list[Figure] = []
    for number, found in enumerate(outline.figures, start=1):
        caption, credit = split_credit(found.caption)
        figure = Figure(
            document=essay_id,
            id=found.id,
            number=number,
            # normpath, not resolve(): a figures/ folder may be a link, and stays one.
            declared=Path(os.path.normpath(folder / found.src)) if found.src else folder,
            alt=found.alt,
            caption=caption,
            credit=credit,
            section=found.section,
        )
        if not found.src:
            problems.append(
                Problem(path, _line_of(body, body_line, "figure"), "figure has no image")
            )
        figures.append(figure)

    links = [
        Link(item.section, item.href, item.text, _line_of(body, body_line, f"]({item.href})"))
        for item in outline.links
    ]
    related = load_related(folder / RELATED_FILE, problems)
    essay = Essay(
        essay_id, folder, meta, body, body_line, sections, figures, links, related, body_html
    )
    return essay, problems


def load_related(path: Path, problems: list[Problem]) -> list[RelatedPage]:
    """Read related.yaml; a missing file means no related pages."""
    if not path.is_file():
        return []
    text = read_text(path, problems)
    if text is None:
        return []
    document = parse_yaml(text, path, problems, dates=True)
    if document is None:
        return []
    data = document.data
    pages_data = data.get("pages") if isinstance(data, dict) else None
    if not isinstance(pages_data, list):
        problems.append(Problem(path, 1, "expected a 'pages:' list"))
        return []
    pages: list[RelatedPage] = []
    for number, entry in enumerate(pages_data, start=1):
        if not isinstance(entry, dict) or not entry.get("id") or not entry.get("title"):
            problems.append(Problem(path, 1, f"page {number}: needs an 'id' and a 'title'"))
            continue
        url = entry.get("url")
        pages.append(RelatedPage(str(entry["id"]), str(entry["title"]), str(url) if url else None))
    return pages


def check_links(library: Library) -> list[Problem]:
    """Links that point at sections, essays or related pages that do not exist."""
    return _check_links(library)


def _check_links(library: Library) -> list[Problem]:
    """Links must point at sections or related pages that exist."""
    problems: list[Problem] = []
    for essay in library.essays:
        for link in essay.links:
            href = link.href
            target: str | None = None
            if href.startswith("#"):
                if not essay.section(href[1:]):
                    target = f"section {href[1:]!r}"
            elif href.startswith(f"{links.SECTION_SCHEME}:"):
                doc, section_id = links.parse_section_link(href) or ("", "")
                if not library.essay(doc):
                    target = f"essay {doc!r}"
                elif section_id and not library.section(doc, section_id):
                    target = f"section {section_id!r} in {doc!r}"
            elif href.startswith("related:"):
                page = href.removeprefix("related:")
                if not essay.related_page(page):
                    target = f"related page {page!r}"
            elif not re.match(r"^(https?|mailto):", href):
                target = f"unsupported address {href!r}"
            if target:
                problems.append(
                    Problem(essay.path, link.line, f"link to {target} that does not exist")
                )
    return problems
