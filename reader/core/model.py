"""The content model: essays, their sections, figures, links and related pages.

Plain data with lookups, made by the parser (``reader.core.content``) or read
back from the cache of parsed essays (``reader.core.content_cache``); this
module reads no files and imports neither of them.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ESSAY_FILE = "essay.md"
RELATED_FILE = "related.yaml"
#: Image types a user may drop in beside a figure to replace the shipped stand-in.
OVERRIDE_SUFFIXES = (".jpg", ".jpeg", ".png")


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the content, reported as ``path:line: message``."""

    path: Path
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


@dataclass
class Section:
    document: str
    id: str
    title: str
    level: int
    parent: str | None
    line: int
    text: str
    children: list[str] = field(default_factory=list)


@dataclass
class Figure:
    document: str
    id: str
    number: int
    declared: Path
    alt: str
    caption: str
    credit: str
    section: str

    @property
    def path(self) -> Path:
        """The image to show: a user's photograph beside the stand-in wins."""
        for suffix in OVERRIDE_SUFFIXES:
            candidate = self.declared.with_suffix(suffix)
            if candidate != self.declared and candidate.is_file():
                return candidate
        return self.declared

    @property
    def exists(self) -> bool:
        return self.path.is_file()


@dataclass
class Link:
    section: str
    href: str
    text: str
    line: int


@dataclass
class RelatedPage:
    id: str
    title: str
    url: str | None


@dataclass
class Essay:
    id: str
    folder: Path
    meta: dict[str, Any]
    markdown: str
    body_line: int
    sections: list[Section]
    figures: list[Figure]
    links: list[Link]
    related: list[RelatedPage]
    #: The body rendered in the default (corrected) reading, kept from loading.
    body_html: str = ""
    #: The key of what the essay was loaded from (its files and the code that parsed
    #: them, ``reader.core.content_cache``): essays with one key are the same essay.
    #: Empty for an essay not loaded through the cache.
    source_key: str = ""

    @property
    def path(self) -> Path:
        return self.folder / ESSAY_FILE

    @property
    def title(self) -> str:
        title = self.meta.get("title")
        if isinstance(title, str) and title.strip():
            return title.strip()
        return self.sections[0].title if self.sections else self.id

    def section(self, section_id: str) -> Section | None:
        # A dict, rebuilt when sections were added: a long essay asks for thousands.
        by_id = self.__dict__.get("_by_id")
        if by_id is None or by_id[0] != len(self.sections):
            found: dict[str, Section] = {}
            for s in self.sections:
                found.setdefault(s.id, s)
            by_id = (len(self.sections), found)
            self.__dict__["_by_id"] = by_id
        return by_id[1].get(section_id)

    def figure(self, figure_id: str) -> Figure | None:
        return next((f for f in self.figures if f.id == figure_id), None)

    def related_page(self, page_id: str) -> RelatedPage | None:
        return next((p for p in self.related if p.id == page_id), None)


@dataclass
class Library:
    #: The shipped edition's folder (read-only).
    root: Path
    essays: list[Essay]
    problems: list[Problem]
    #: The reader's own imported essays, when loaded with them.
    user_root: Path | None = None

    def imported(self, essay: Essay) -> bool:
        """Whether the essay is one the reader imported (and may update or remove)."""
        if self.user_root is None:
            return False
        parent = essay.folder.parent  # resolved when the essay came from the cache
        return parent == self.user_root or parent == self._user_root_resolved

    @functools.cached_property
    def _user_root_resolved(self) -> Path | None:
        return self.user_root.resolve() if self.user_root is not None else None

    def essay(self, essay_id: str) -> Essay | None:
        return next((e for e in self.essays if e.id == essay_id), None)

    def section(self, essay_id: str, section_id: str) -> Section | None:
        essay = self.essay(essay_id)
        return essay.section(section_id) if essay else None

    def find_section(self, section_id: str) -> Section | None:
        """A section by id alone, searching every essay in library order."""
        for essay in self.essays:
            found = essay.section(section_id)
            if found:
                return found
        return None

    def sections(self) -> Iterator[Section]:
        for essay in self.essays:
            yield from essay.sections
