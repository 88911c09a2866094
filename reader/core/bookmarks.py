"""Bookmarks, notes, folders and reading positions, kept in one SQLite file.

The store is the user's own work, so it is careful:

* One file, ``bookmarks.sqlite3`` in the user data directory, opened in WAL mode with
  a busy timeout so that two windows (or the window and the command line) can write at
  the same time. Every change is one ``BEGIN IMMEDIATE`` ... ``COMMIT`` transaction,
  with ``synchronous=FULL``: once a method returns, the change survives a crash. Reads
  wait only briefly for a lock (``READ_TIMEOUT_S``), so the window never freezes.
* The schema and the handling of damaged files are in ``reader.core.bookmark_schema``:
  a damaged or foreign file is renamed aside, never overwritten, and ``notice`` says
  where it went. A path that is a folder, a link to nowhere, a device or a pipe, or a
  folder that is read-only, is an ``Error`` with the reason.
* If the file (or its folder) is deleted while the store is open, the next change
  creates it again with everything the store held, and ``pop_notice`` says so.
* Values of the wrong type (a row edited by hand) are skipped, never a crash; ids
  outside SQLite's 64-bit range name no bookmark.
* A bookmark whose section no longer exists in the library is kept; ``missing()``
  lists such bookmarks and ``suggest_section()`` finds where their quote moved to.

Export and import use the JSON format of ``reader.core.bookmark_format``; the
types and the ``Error`` are in ``reader.core.bookmark_types``. All of them are
re-exported here.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from reader.core import atomic
from reader.core import bookmark_open as opening
from reader.core import bookmark_schema as schema
from reader.core.bookmark_format import (
    EXPORT_FORMAT,
    EXPORT_VERSION,
    MAX_IMPORT_BYTES,
    parse_export,
    read_export_file,
)
from reader.core.bookmark_open import BUSY_MESSAGE
from reader.core.bookmark_schema import schema_version
from reader.core.bookmark_types import (
    MAX_ID,
    STORE_FILE,
    Bookmark,
    Error,
    ImportResult,
    NotFoundError,
    Position,
    Removal,
    check_id,
    folder_ancestors,
    is_within,
    normalize_folder,
    now_stamp,
    suggest_section,
    text_problem,
)
from reader.core.model import Library

__all__ = [
    "BUSY_MESSAGE",
    "BUSY_TIMEOUT_S",
    "EXPORT_FORMAT",
    "EXPORT_VERSION",
    "MAX_ID",
    "MAX_IMPORT_BYTES",
    "READ_TIMEOUT_S",
    "STORE_FILE",
    "Bookmark",
    "BookmarkStore",
    "Error",
    "ImportResult",
    "NotFoundError",
    "Position",
    "Removal",
    "check_id",
    "folder_ancestors",
    "normalize_folder",
    "now_stamp",
    "parse_export",
    "read_export_file",
    "schema_version",
    "suggest_section",
]

#: How long a change waits for another window's transaction before giving up.
BUSY_TIMEOUT_S = 15.0
#: How long a read waits: the window asks often and must not freeze.
READ_TIMEOUT_S = 0.25

#: The columns of a Bookmark, in the order of its fields (read positionally: faster).
_FIELDS = "id, essay, section, name, note, folder, quote, created, updated"
_BY_ID = f"SELECT {_FIELDS} FROM bookmarks WHERE id = ?"


def _bookmark(row: sqlite3.Row) -> Bookmark | None:
    """The row as a bookmark; None if a value is not of its type (edited by hand)."""
    values = tuple(row)
    if not isinstance(values[0], int) or not all(isinstance(v, str) for v in values[1:]):
        return None
    return Bookmark(*values)


def _one(row: sqlite3.Row) -> Bookmark:
    mark = _bookmark(row)
    if mark is None:
        raise Error(f"bookmark {row[0]!r} holds values of the wrong type (edited by hand?)")
    return mark


def _text(value: str, what: str) -> str:
    problem = text_problem(value, what)
    if problem:
        raise Error(problem)
    return value


# --- the store ---------------------------------------------------------------------------

class BookmarkStore:
    """Bookmarks, folders and reading positions in one SQLite file (or in memory).

    Opening never fails because of a damaged file (see the module docstring); it raises
    ``Error`` only when the folder cannot be written or the database stays locked.
    """

    def __init__(
        self, path: Path | str | None, busy_timeout: float = BUSY_TIMEOUT_S,
        read_timeout: float = READ_TIMEOUT_S,
    ) -> None:
        """Open (creating if needed) the store at ``path``; ``None`` keeps it in memory.

        A change waits up to ``busy_timeout`` seconds, a read up to ``read_timeout``,
        for another program's transaction; then ``Error`` says the store is busy."""
        if path is not None and str(path) == "":
            raise Error("no bookmarks file given")
        self.path: Path | None = None if path is None else Path(path)
        self.busy_timeout = busy_timeout
        self.read_timeout = read_timeout
        #: Said once, after a change, when the file had to be created again.
        self._later_notice: str | None = None
        #: Rows read back that were not of the right type (skipped, never shown).
        self.skipped_rows = 0
        self._identity: tuple[int, int] | None = None
        #: A message for the user when the file had to be set aside, else None.
        self.notice: str | None = None
        #: Where a damaged file was moved to, else None.
        self.set_aside: Path | None = None
        self._data_version: int | None = None
        self._depth = 0  # nesting of transactions: batch() around single changes
        self._conn = self._open()
        self._identity = opening.file_identity(self.path) if self.path else None
        self.changed_elsewhere()

    @classmethod
    def open_in(
        cls, data_dir: Path, busy_timeout: float = BUSY_TIMEOUT_S,
        read_timeout: float = READ_TIMEOUT_S,
    ) -> BookmarkStore:
        """The store in ``data_dir`` (the folder is created if missing); the window
        passes a short ``busy_timeout`` so that a locked file never freezes it."""
        try:
            data_dir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise Error(f"cannot create the data folder {data_dir}: {exc.strerror}") from exc
        return cls(data_dir / STORE_FILE, busy_timeout, read_timeout)

    # -- opening --------------------------------------------------------------------------

    def _open(self) -> sqlite3.Connection:
        """Open the store; a damaged file is set aside (``notice`` says where)."""
        conn, self.set_aside, self.notice = opening.open_store(self.path, self.busy_timeout)
        return conn

    # -- the file removed while open ------------------------------------------------------

    def pop_notice(self) -> str | None:
        """A message for the user about something the store did after opening (the
        file created again); None if there is none. Each message is given once."""
        notice, self._later_notice = self._later_notice, None
        return notice

    def _ensure_file(self) -> None:
        """Before a change: if the database file was deleted (or its folder was), the
        open connection still writes to the deleted file and every change would be
        lost. Create the store again at its path with everything this connection
        holds, and say so (``pop_notice``); a file another program put there is used."""
        if self.path is None or self._identity is None:
            return
        if opening.file_identity(self.path) == self._identity:
            return
        self._conn, self._later_notice = opening.reopen(self.path, self._conn, self.busy_timeout)
        self._identity = opening.file_identity(self.path)

    # -- plumbing -------------------------------------------------------------------------

    def changed_elsewhere(self) -> bool:
        """True if another connection (another window, the command line) has committed
        a change since the last call; the first call only takes note."""
        try:
            version = self._conn.execute("PRAGMA data_version").fetchone()[0]
        except sqlite3.Error:
            return False
        changed = self._data_version is not None and version != self._data_version
        self._data_version = version
        return changed

    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> BookmarkStore:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    @contextlib.contextmanager
    def batch(self) -> Iterator[None]:
        """Several changes as one transaction: all of them are saved, or none.

        ``with store.batch(): store.remove(1); store.rename_folder("A", "B")``"""
        with self._transaction():
            yield

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        """One change = one transaction, taking the write lock up front so that the
        busy timeout applies (a deferred one could fail at its first write). Inside
        ``batch()`` the changes join the batch's transaction."""
        conn = self._conn
        if self._depth:
            self._depth += 1
            try:
                yield conn
            except sqlite3.Error as exc:
                raise Error(f"the change could not be saved: {exc}") from exc
            finally:
                self._depth -= 1
            return
        self._ensure_file()
        conn = self._conn
        try:
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            if schema.is_busy(exc):
                raise Error(BUSY_MESSAGE) from exc
            raise Error(f"the bookmarks database is not available: {exc}") from exc
        self._depth = 1
        try:
            yield conn
        except sqlite3.Error as exc:
            with contextlib.suppress(sqlite3.Error):
                conn.execute("ROLLBACK")
            raise Error(f"the change could not be saved: {exc}") from exc
        except BaseException:
            with contextlib.suppress(sqlite3.Error):
                conn.execute("ROLLBACK")
            raise
        finally:
            self._depth = 0
        try:
            conn.execute("COMMIT")
        except sqlite3.Error as exc:
            with contextlib.suppress(sqlite3.Error):
                conn.execute("ROLLBACK")
            raise Error(f"the change could not be saved: {exc}") from exc

    def _query(self, sql: str, params: Iterable[Any] = ()) -> list[sqlite3.Row]:
        """Read with the short busy timeout: the window never waits long for a lock."""
        conn = self._conn
        try:
            if not self._depth:
                conn.execute(f"PRAGMA busy_timeout = {int(self.read_timeout * 1000)}")
            try:
                return conn.execute(sql, tuple(params)).fetchall()
            finally:
                if not self._depth:
                    conn.execute(f"PRAGMA busy_timeout = {int(self.busy_timeout * 1000)}")
        except sqlite3.Error as exc:
            if schema.is_busy(exc):
                raise Error(BUSY_MESSAGE) from exc
            raise Error(f"the bookmarks database could not be read: {exc}") from exc

    def _bookmarks(self, rows: Iterable[sqlite3.Row]) -> list[Bookmark]:
        """Rows as bookmarks; a row whose values are not of the right type (edited by
        hand) is skipped and counted in ``skipped_rows``."""
        marks = []
        for row in rows:
            mark = _bookmark(row)
            if mark is None:
                self.skipped_rows += 1
            else:
                marks.append(mark)
        return marks

    @staticmethod
    def _ensure_folder(conn: sqlite3.Connection, folder: str) -> None:
        conn.executemany(
            "INSERT OR IGNORE INTO folders (path) VALUES (?)",
            [(path,) for path in folder_ancestors(folder)],
        )

    @staticmethod
    def _required(value: str, what: str) -> str:
        value = _text(value, what).strip()
        if not value:
            raise Error(f"a bookmark needs a {what}")
        return value

    # -- bookmarks ------------------------------------------------------------------------

    def add(
        self, essay: str, section: str, name: str, note: str = "", folder: str = "",
        quote: str = "",
    ) -> Bookmark:
        """Add a bookmark; ``name`` is usually the section title."""
        essay = self._required(essay, "document")
        section = self._required(section, "section")
        name = self._required(name, "name")
        note, quote = _text(note, "note"), _text(quote, "quote")
        folder = normalize_folder(_text(folder, "folder"))
        stamp = now_stamp()
        with self._transaction() as conn:
            self._ensure_folder(conn, folder)
            cursor = conn.execute(
                "INSERT INTO bookmarks (essay, section, quote, name, note, folder, created, "
                "updated) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (essay, section, quote.strip(), name, note, folder, stamp, stamp),
            )
            new_id = cursor.lastrowid
        assert new_id is not None
        return Bookmark(new_id, essay, section, name, note, folder, quote.strip(), stamp, stamp)

    def get(self, bookmark_id: int) -> Bookmark | None:
        """The bookmark with this id; None if there is none (or its row is damaged)."""
        try:
            bookmark_id = check_id(bookmark_id)
        except NotFoundError:
            return None
        rows = self._query(_BY_ID, (bookmark_id,))
        return _bookmark(rows[0]) if rows else None

    def bookmarks(self) -> list[Bookmark]:
        """Every bookmark, oldest first."""
        self.skipped_rows = 0
        return self._bookmarks(self._query(f"SELECT {_FIELDS} FROM bookmarks ORDER BY id"))

    def for_section(self, essay: str, section: str) -> list[Bookmark]:
        rows = self._query(
            f"SELECT {_FIELDS} FROM bookmarks WHERE essay = ? AND section = ? ORDER BY id",
            (essay, section),
        )
        return self._bookmarks(rows)

    def bookmarked_sections(self) -> set[tuple[str, str]]:
        """``(essay, section)`` of every bookmark, for markers in the section tree."""
        return {(row[0], row[1]) for row in self._query("SELECT essay, section FROM bookmarks")}

    def update(
        self, bookmark_id: int, *, name: str | None = None, note: str | None = None,
        folder: str | None = None, essay: str | None = None, section: str | None = None,
        quote: str | None = None,
    ) -> Bookmark:
        """Change some fields of a bookmark (re-pointing it = a new essay/section)."""
        bookmark_id = check_id(bookmark_id)
        changes: dict[str, str] = {}
        if name is not None:
            changes["name"] = self._required(name, "name")
        if note is not None:
            changes["note"] = _text(note, "note")
        if folder is not None:
            changes["folder"] = normalize_folder(_text(folder, "folder"))
        if essay is not None:
            changes["essay"] = self._required(essay, "document")
        if section is not None:
            changes["section"] = self._required(section, "section")
        if quote is not None:
            changes["quote"] = _text(quote, "quote").strip()
        with self._transaction() as conn:
            if "folder" in changes:
                self._ensure_folder(conn, changes["folder"])
            if changes:
                changes["updated"] = now_stamp()
                assignments = ", ".join(f"{column} = ?" for column in changes)
                conn.execute(
                    f"UPDATE bookmarks SET {assignments} WHERE id = ?",
                    (*changes.values(), bookmark_id),
                )
            row = conn.execute(_BY_ID, (bookmark_id,)).fetchone()
            if row is None:
                raise NotFoundError(f"no bookmark with id {bookmark_id}")
        return _one(row)

    def remove(self, bookmark_id: int) -> Bookmark:
        """Delete a bookmark and return it (``restore`` puts it back)."""
        bookmark_id = check_id(bookmark_id)
        with self._transaction() as conn:
            row = conn.execute(_BY_ID, (bookmark_id,)).fetchone()
            if row is None:
                raise NotFoundError(f"no bookmark with id {bookmark_id}")
            conn.execute("DELETE FROM bookmarks WHERE id = ?", (bookmark_id,))
        return _one(row)

    def restore(self, bookmarks: Iterable[Bookmark], folders: Iterable[str] = ()) -> None:
        """Put back removed bookmarks (under their old ids) and folders: the undo of
        ``remove`` and ``remove_folder``. A bookmark already present is left alone."""
        with self._transaction() as conn:
            for folder in folders:
                self._ensure_folder(conn, normalize_folder(folder))
            for mark in bookmarks:
                self._ensure_folder(conn, mark.folder)
                conn.execute(
                    "INSERT OR IGNORE INTO bookmarks (id, essay, section, quote, name, note, "
                    "folder, created, updated) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (mark.id, mark.essay, mark.section, mark.quote, mark.name, mark.note,
                     mark.folder, mark.created, mark.updated),
                )

    # -- folders --------------------------------------------------------------------------

    def folders(self) -> list[str]:
        """Every folder path, parents before children, alphabetically."""
        rows = self._query("SELECT path FROM folders")
        paths = [row[0] for row in rows if isinstance(row[0], str)]
        return sorted(paths, key=lambda p: p.casefold().split("/"))

    def add_folder(self, folder: str) -> str:
        folder = normalize_folder(_text(folder, "folder"))
        if not folder:
            raise Error("a folder needs a name")
        with self._transaction() as conn:
            self._ensure_folder(conn, folder)
        return folder

    def rename_folder(self, old: str, new: str) -> str:
        """Rename or move a folder with everything in it (``"A"`` -> ``"B/A"`` moves it
        into B); merges with a folder of the new name if there is one."""
        old, new = normalize_folder(_text(old, "folder")), normalize_folder(_text(new, "folder"))
        if not old or not new:
            raise Error("a folder needs a name")
        if is_within(new, old) and new != old:
            raise Error(f"cannot move the folder '{old}' into itself")
        if new == old:
            return new
        stamp = now_stamp()
        with self._transaction() as conn:
            paths = [row[0] for row in conn.execute("SELECT path FROM folders")]
            moved = [p for p in paths if is_within(p, old)]
            if not moved:
                raise Error(f"no folder named '{old}'")
            self._ensure_folder(conn, new)
            for path in moved:
                conn.execute("DELETE FROM folders WHERE path = ?", (path,))
                conn.execute(
                    "INSERT OR IGNORE INTO folders (path) VALUES (?)", (new + path[len(old):],)
                )
            rows = conn.execute(
                "SELECT id, folder FROM bookmarks WHERE folder = ? OR folder LIKE ? ESCAPE '\\'",
                (old, _like_prefix(old)),
            ).fetchall()
            for row in rows:
                conn.execute(
                    "UPDATE bookmarks SET folder = ?, updated = ? WHERE id = ?",
                    (new + row[1][len(old):], stamp, row[0]),
                )
        return new

    def remove_folder(self, folder: str) -> Removal:
        """Delete a folder, its sub-folders and their bookmarks; returns what went."""
        folder = normalize_folder(folder)
        if not folder:
            raise Error("the top level cannot be deleted")
        with self._transaction() as conn:
            folders = tuple(
                row[0] for row in conn.execute("SELECT path FROM folders ORDER BY path")
                if is_within(row[0], folder)
            )
            rows = conn.execute(
                f"SELECT {_FIELDS} FROM bookmarks WHERE folder = ? OR folder LIKE ? ESCAPE '\\' "
                "ORDER BY id", (folder, _like_prefix(folder)),
            ).fetchall()
            conn.executemany("DELETE FROM folders WHERE path = ?", [(f,) for f in folders])
            conn.executemany("DELETE FROM bookmarks WHERE id = ?", [(r["id"],) for r in rows])
        return Removal(tuple(self._bookmarks(rows)), folders)

    # -- bookmarks and the library ------------------------------------------------------

    def missing(self, library: Library) -> list[Bookmark]:
        """Bookmarks whose section is not in ``library`` (kept, shown as "not found")."""
        return [mark for mark in self.bookmarks() if not mark.found_in(library)]

    # -- reading positions ----------------------------------------------------------------

    def save_position(self, essay: str, section: str, offset: int) -> None:
        """Remember where the reader is in ``essay``; it also becomes the last open essay."""
        stamp = now_stamp()
        with self._transaction() as conn:
            conn.execute(
                "INSERT INTO positions (essay, section, offset, updated) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (essay) DO UPDATE SET section = excluded.section, "
                "offset = excluded.offset, updated = excluded.updated",
                (essay, section, int(offset), stamp),
            )
            conn.execute(
                "INSERT INTO state (key, value) VALUES ('last_essay', ?) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (essay,),
            )

    def position(self, essay: str) -> Position | None:
        rows = self._query("SELECT * FROM positions WHERE essay = ?", (essay,))
        if not rows:
            return None
        row = rows[0]
        values = (row["essay"], row["section"], row["offset"], row["updated"])
        if not all(isinstance(v, str) for v in (*values[:2], values[3])) or not isinstance(
            values[2], int
        ):
            return None  # edited by hand into something else: no position
        return Position(*values)

    def last_position(self) -> Position | None:
        """The position in the essay that was open last, if any."""
        rows = self._query("SELECT value FROM state WHERE key = 'last_essay'")
        return self.position(rows[0][0]) if rows and isinstance(rows[0][0], str) else None

    # -- export and import ----------------------------------------------------------------

    def export_data(self) -> dict[str, Any]:
        """Every bookmark and folder in the export format (docs/bookmarks-format.md)."""
        return {
            "format": EXPORT_FORMAT,
            "version": EXPORT_VERSION,
            "exported": now_stamp(),
            "folders": self.folders(),
            "bookmarks": [
                {
                    "essay": m.essay, "section": m.section, "name": m.name, "note": m.note,
                    "folder": m.folder, "quote": m.quote, "created": m.created,
                    "updated": m.updated,
                }
                for m in self.bookmarks()
            ],
        }

    def export_file(self, path: Path) -> int:
        """Write every bookmark to ``path`` (replaced atomically); returns the count."""
        data = self.export_data()
        text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
        try:
            atomic.write_text(path, text)
        except (OSError, ValueError) as exc:
            raise Error(f"cannot write {path}: {atomic.reason(exc)}") from exc
        return len(data["bookmarks"])

    def import_data(self, data: object, source: str = "the file") -> ImportResult:
        """Merge bookmarks from export data; the same essay, section, name and note
        means the same bookmark, which is skipped. Malformed data changes nothing."""
        folders, entries = parse_export(data, source)
        added: list[int] = []
        skipped = 0
        with self._transaction() as conn:
            seen = {
                (r[0], r[1], r[2], r[3])
                for r in conn.execute("SELECT essay, section, name, note FROM bookmarks")
            }
            for folder in folders:
                self._ensure_folder(conn, folder)
            for entry in entries:
                key = (entry["essay"], entry["section"], entry["name"], entry["note"])
                if key in seen:
                    skipped += 1
                    continue
                seen.add(key)
                self._ensure_folder(conn, entry["folder"])
                cursor = conn.execute(
                    "INSERT INTO bookmarks (essay, section, quote, name, note, folder, created, "
                    "updated) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    (entry["essay"], entry["section"], entry["quote"], entry["name"],
                     entry["note"], entry["folder"], entry["created"], entry["updated"]),
                )
                assert cursor.lastrowid is not None
                added.append(cursor.lastrowid)
        return ImportResult(len(added), skipped, tuple(added))

    def import_file(self, path: Path) -> ImportResult:
        """Read ``path`` and merge it (see ``import_data``)."""
        return self.import_data(read_export_file(path), str(path))


def _like_prefix(folder: str) -> str:
    escaped = folder.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return escaped + "/%"
