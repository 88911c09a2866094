"""The bookmark store's plain types, its errors and the small helpers every part uses.

No SQLite here: the store (``reader.core.bookmarks``), its schema
(``reader.core.bookmark_schema``) and the export format
(``reader.core.bookmark_format``) all build on these.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from reader.core.model import Library, Section

#: The file name inside the data directory.
STORE_FILE = "bookmarks.sqlite3"
#: Bookmark ids are SQLite integers: 64-bit signed.
MAX_ID = 2**63 - 1


class Error(Exception):
    """A bookmark operation that cannot be carried out; the message is for the user."""


class NotFoundError(Error):
    """No bookmark with the given id."""


@dataclass(frozen=True)
class Bookmark:
    """One bookmark. ``folder`` is a path of folder names joined by ``/`` ("" = top)."""

    id: int
    essay: str
    section: str
    name: str
    note: str = ""
    folder: str = ""
    #: A short passage of the section's text the bookmark points at ("" = the section).
    quote: str = ""
    created: str = ""
    updated: str = ""

    @property
    def key(self) -> tuple[str, str, str, str]:
        """Bookmarks with the same key are the same bookmark (import merges on it)."""
        return (self.essay, self.section, self.name, self.note)

    def found_in(self, library: Library) -> bool:
        return library.section(self.essay, self.section) is not None


@dataclass(frozen=True)
class Position:
    """Where the reader was in an essay: a section and the scroll offset inside it."""

    essay: str
    section: str
    offset: int
    updated: str = ""


@dataclass(frozen=True)
class Removal:
    """What ``remove_folder`` took away, so that ``restore`` can put it back."""

    bookmarks: tuple[Bookmark, ...]
    folders: tuple[str, ...]


@dataclass(frozen=True)
class ImportResult:
    added: int
    skipped: int
    #: Ids of the added bookmarks.
    ids: tuple[int, ...] = ()


def now_stamp() -> str:
    """The current UTC time as ``2026-11-26T17:49:50Z``."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def normalize_folder(folder: str) -> str:
    """``" Research / Oil/ "`` -> ``"Research/Oil"``; empty parts are dropped."""
    return "/".join(part.strip() for part in folder.split("/") if part.strip())


def folder_ancestors(folder: str) -> list[str]:
    """``"A/B/C"`` -> ``["A", "A/B", "A/B/C"]``."""
    parts = folder.split("/") if folder else []
    return ["/".join(parts[: i + 1]) for i in range(len(parts))]


def is_within(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder + "/")




def check_id(bookmark_id: object) -> int:
    """``bookmark_id`` if SQLite can hold it; ``NotFoundError`` otherwise (an id of
    twenty digits names no bookmark, and SQLite would overflow on it)."""
    if isinstance(bookmark_id, bool) or not isinstance(bookmark_id, int):
        raise NotFoundError(f"no bookmark with id {bookmark_id!r}: an id is a whole number")
    if not 1 <= bookmark_id <= MAX_ID:
        raise NotFoundError(f"no bookmark with id {bookmark_id} (ids run from 1 to {MAX_ID})")
    return bookmark_id


def text_problem(value: object, what: str) -> str | None:
    """Why ``value`` cannot be stored as text, or None: it must be a string that
    UTF-8 can encode (a lone surrogate from a file name or a JSON escape cannot)."""
    if not isinstance(value, str):
        return f"{what} must be text, not {type(value).__name__}"
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        return f"{what} holds an invalid character (a lone surrogate at position {exc.start})"
    return None


def _squash(text: str) -> str:
    return " ".join(text.split()).casefold()


def suggest_section(bookmark: Bookmark, library: Library) -> Section | None:
    """Where a "not found" bookmark probably belongs now: the section whose text holds
    its quote (same essay first), else a section with the same id in another essay."""
    if library.section(bookmark.essay, bookmark.section) is not None:
        return library.section(bookmark.essay, bookmark.section)
    quote = _squash(bookmark.quote)
    if quote:
        essays = sorted(library.essays, key=lambda e: e.id != bookmark.essay)
        for essay in essays:
            for section in essay.sections:
                if quote in _squash(section.text):
                    return section
    return library.find_section(bookmark.section)
