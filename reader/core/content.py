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

import bisect
import datetime
import errno
import functools
import html
import os
import re
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from reader.core import content_cache, critic, images, links, resources, safefile
from reader.core.links import FIGURE_SCHEME
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
    "check_figures",
    "check_links",
    "figure_problems",
    "load_essay",
    "load_library",
    "load_related",
    "parse_essay",
    "read_text",
    "split_front_matter",
]

# Headings are taken apart by hand: a pattern such as "(.*?)\s*#*\s*$" takes
# cubic time on a line of thousands of spaces.
_HEADING_START = re.compile(r"#{1,6}\s")
_ID = re.compile(r"#([A-Za-z][\w.:-]*)")
#: Characters an essay folder's name may not hold: its id goes into addresses and lines.
#: The parse budget of one essay.md: Markdown takes seconds per megabyte, so a
#: larger file is reported and left out rather than keep the window from opening.
MAX_ESSAY_BYTES = 5 * 1024 * 1024
#: Problems of one kind reported per essay before the rest are counted.
MAX_REPORTED = 20
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_FENCE = re.compile(r"^(```|~~~)")


class Error(Exception):
    """Content that cannot be used at all (e.g. the content folder is missing)."""


def load_library(
    root: Path,
    cache_dir: Path | None = None,
    user_library: Path | None = None,
) -> Library:
    """Load every essay folder under ``root`` (the shipped, read-only edition) and,
    when given, under ``user_library`` (the reader's imported essays) as one library.

    Essay ids are folder names and must be unique: an imported folder with a
    shipped essay's id is reported and left out. Problems are collected, not raised.
    """
    essays: list[Essay] = []
    problems: list[Problem] = []
    taken: set[str] = set()
    for folder, unusable in essay_folders(root, user_library):
        if unusable is not None:
            problems.append(unusable)
            continue
        if folder.name in taken:
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
            taken.add(essay.id)
    library = Library(root, essays, problems, user_root=user_library)
    problems.extend(_check_links(library))
    return library


def essay_folders(
    root: Path, user_library: Path | None = None
) -> Iterator[tuple[Path, Problem | None]]:
    """The essay folders of the library, in its order (the shipped edition's, then the
    reader's), each with why it cannot be loaded, or None. Raises ``Error`` when
    ``root`` is not a folder."""
    if not root.is_dir():
        raise Error(f"content folder not found: {root}")
    roots = [root]
    if user_library is not None and user_library.is_dir():
        roots.append(user_library)
    for folder_root in roots:
        for folder in sorted(
            p for p in folder_root.iterdir() if p.is_dir() and not p.name.startswith(".")
        ):  # hidden folders are imports in progress
            if looks_like_essay(folder):  # not e.g. __pycache__ beside the shipped edition
                yield folder, folder_problem(folder)


#: What an essay folder holds besides essay.md: a folder with any of these (or with
#: essay.md in any state) is an essay, and check names what is wrong with it.
_ESSAY_PARTS = ("figures", "index.yaml", "timeline.yaml", "related.yaml")


def looks_like_essay(folder: Path) -> bool:
    """Whether ``folder`` is meant as an essay (so a missing essay.md is a problem)."""
    if folder.name == "__pycache__":
        return False
    if _CONTROL.search(folder.name) or os.path.lexists(folder / ESSAY_FILE):
        return True
    try:
        return any(os.path.lexists(folder / part) for part in _ESSAY_PARTS) or any(
            folder.glob("*.md")
        )
    except OSError:
        return True  # unreadable: let folder_problem say why


def folder_problem(folder: Path) -> Problem | None:
    """Why ``folder`` cannot be loaded as an essay, or None.

    A folder name is the essay's id: spaces, accents and URL characters are
    fine (addresses quote them), control characters such as a newline are not
    (they would break every ``path:line`` report and the reader's addresses).
    """
    path = folder / ESSAY_FILE
    if _CONTROL.search(folder.name):
        return Problem(path, 0, f"essay folder name {folder.name!r} holds a control character; "
                       "rename the folder")
    try:
        mode = path.stat().st_mode
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return Problem(path, 0, f"{ESSAY_FILE} is a symbolic link loop")
        if path.is_symlink():
            return Problem(path, 0, f"{ESSAY_FILE} is a symbolic link to a missing file")
        return Problem(path, 0, f"essay folder has no {ESSAY_FILE}")
    if not stat.S_ISREG(mode):
        return Problem(path, 0, f"{ESSAY_FILE} is {safefile.kind_of(mode)}, not a file")
    return None


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
        if _HEADING_START.match(line):
            found.append((body_line + offset, heading_id(line), line))
    return found


def heading_id(line: str) -> str | None:
    """The explicit ``{#id}`` at the end of a heading line, or None (linear time)."""
    text = line.rstrip().rstrip("#").rstrip()
    if not text.endswith("}"):
        return None
    inner = text[:-1]
    brace = inner.find("{", inner.rfind("}") + 1)
    if brace < 0:
        return None
    ids = _ID.findall(inner, brace + 1)
    return ids[-1] if ids else None


class _Lines:
    """Line numbers of offsets in a text, by binary search (one pass to build)."""

    def __init__(self, text: str, first_line: int) -> None:
        self.text = text
        self.first_line = first_line
        self._found: dict[str, int] = {}
        self._cursor = 0

    @functools.cached_property
    def starts(self) -> list[int]:
        """Where each line after the first starts (found when first asked: most
        essays have nothing to report)."""
        return [m.end() for m in re.finditer("\n", self.text)]

    def line_at(self, offset: int) -> int:
        return self.first_line + bisect.bisect_right(self.starts, offset - 1)

    def line_of(self, needle: str) -> int:
        """The line of ``needle`` (the first line if there is none).

        Asked in reading order, each search starts where the last one found
        something (one pass over the text for all of them, not one each); a
        needle found only before that point is searched for from the start."""
        if needle not in self._found:
            index = self.text.find(needle, self._cursor)
            if index < 0:
                index = self.text.find(needle)
            else:
                self._cursor = index
            self._found[needle] = self.line_at(index) if index >= 0 else self.first_line
        return self._found[needle]


def critic_problems(body: str, body_line: int, path: Path) -> list[Problem]:
    """CriticMarkup that is never closed, or that runs over a heading."""
    lines = _Lines(body, body_line)
    marks, unclosed = critic.scan(body)
    del marks
    problems = [
        Problem(path, lines.line_at(offset), f"CriticMarkup {opener!r} is never closed")
        for offset, opener in unclosed[:MAX_REPORTED]
    ]
    if len(unclosed) > MAX_REPORTED:
        problems.append(Problem(path, lines.line_at(unclosed[MAX_REPORTED][0]),
                                f"... and {len(unclosed) - MAX_REPORTED} more unclosed marks"))
    problems += [
        Problem(path, lines.line_at(offset), f"CriticMarkup {opener!r} runs over the heading on "
                f"line {lines.line_at(heading)}: it is closed too late")
        for offset, opener, heading in critic.swallowed_headings(body)[:MAX_REPORTED]
    ]
    return problems


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


def figure_problems(essay: Essay, thorough: bool = False) -> list[Problem]:
    """Figures whose image file is missing, damaged or of an absurd size (checked on
    every load, never cached; ``thorough`` also parses every SVG as XML)."""
    problems = []
    lines = _Lines(essay.markdown, essay.body_line)
    inside = resources.Inside(essay.folder)
    for figure in essay.figures:
        if figure.declared == essay.folder:
            continue
        src = Path(os.path.relpath(figure.declared, essay.folder)).as_posix()
        path = figure.path
        if not path.is_file():
            line = lines.line_of(f"({src})")
            problems.append(Problem(essay.path, line, f"missing figure file: {src}"))
        elif inside.resolve(src) is not None:
            damaged = images.image_problem(path, thorough)
            if damaged:
                problems.append(Problem(essay.path, lines.line_of(f"({src})"), damaged))
    return problems


def check_figures(library: Library) -> list[Problem]:
    """For ``check``: figure files parsed completely (an SVG that is not XML), beyond
    the quick look every load takes; only problems the quick look did not report."""
    seen = {str(p) for p in library.problems}
    return [
        problem
        for essay in library.essays
        for problem in figure_problems(essay, thorough=True)
        if str(problem) not in seen
    ]


def parse_essay(folder: Path) -> tuple[Essay | None, list[Problem]]:
    """Parse essay.md and related.yaml; the result depends on those two files only."""
    from reader.core.markdown_ext import make_markdown, split_credit

    problems: list[Problem] = []
    path = folder / ESSAY_FILE
    text = read_text(path, problems, limit=MAX_ESSAY_BYTES)
    if text is None:
        return None, problems
    meta, body, body_line = split_front_matter(text, path, problems)
    lines = _Lines(body, body_line)
    problems.extend(critic_problems(body, body_line, path))

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
    # Every image the body renders (raw <img> and Markdown images alike); figures
    # already carry the reader's own figure:// address and are checked below.
    for _, src in resources.raw_image_sources(body_html):
        src = html.unescape(src)
        if src.startswith(f"{FIGURE_SCHEME}:") or resources.is_embedded(src):
            continue
        if resources.resolve_inside(folder, src) is None:
            problems.append(Problem(path, lines.line_of(src),
                                    f"image {src!r} is outside the essay folder: not shown"))

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
            problems.append(Problem(path, lines.line_of("figure"), "figure has no image"))
        elif resources.resolve_inside(folder, found.src) is None:
            problems.append(Problem(path, lines.line_of(f"({found.src})"),
                                    f"figure {found.src!r} is outside the essay folder: not shown"))
        figures.append(figure)

    links = [
        Link(item.section, item.href, item.text, lines.line_of(f"]({item.href})"))
        for item in outline.links
    ]
    related = load_related(folder / RELATED_FILE, problems)
    essay = Essay(
        essay_id, folder, meta, body, body_line, sections, figures, links, related, body_html
    )
    return essay, problems


def load_related(path: Path, problems: list[Problem]) -> list[RelatedPage]:
    """Read related.yaml; a missing file means no related pages."""
    if not (path.exists() or path.is_symlink()):  # a pipe or a folder is reported
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
