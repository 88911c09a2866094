"""Bookmarks, notes, folders and reading positions, kept in one SQLite file.

The store is the user's own work, so it is careful:

* One file, ``bookmarks.sqlite3`` in the user data directory, opened in WAL mode with
  a busy timeout so that two windows (or the window and the command line) can write at
  the same time. Every change is one ``BEGIN IMMEDIATE`` ... ``COMMIT`` transaction,
  with ``synchronous=FULL``: once a method returns, the change survives a crash.
* The schema carries a version (``PRAGMA user_version``) and is brought up to date by
  the migrations in ``_MIGRATIONS``, one transaction each.
* A file that is not SQLite, is truncated or corrupt, has tables we do not know, or was
  written by a newer schema is never overwritten: it is renamed aside with a timestamp
  (its ``-wal``/``-shm`` companions with it), a fresh store is created, and
  ``BookmarkStore.notice`` tells the user where the old file is.
* A bookmark whose section no longer exists in the library is kept; ``missing()``
  lists such bookmarks and ``suggest_section()`` finds where their quote moved to.

Export and import use the JSON format described in ``docs/bookmarks-format.md``.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from reader.core import atomic
from reader.core.model import Library, Section

#: The file name inside the data directory.
STORE_FILE = "bookmarks.sqlite3"
#: Identifies an export file, and the newest export format this version reads and writes.
EXPORT_FORMAT = "reference-reader-bookmarks"
EXPORT_VERSION = 1
#: Import refuses files larger than this (a bookmarks file is a few hundred kilobytes).
MAX_IMPORT_BYTES = 32 * 1024 * 1024
#: How long a writer waits for another window's transaction before giving up.
BUSY_TIMEOUT_S = 15.0

_SQLITE_CORRUPT = 11
_SQLITE_NOTADB = 26


class Error(Exception):
    """A bookmark operation that cannot be carried out; the message is for the user."""


class NotFoundError(Error):
    """No bookmark with the given id."""


class _Unusable(Exception):
    """The database file cannot be used as a store; the message says why."""


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


# --- schema ------------------------------------------------------------------------------

def _migrate_to_1(conn: sqlite3.Connection) -> None:
    conn.execute(
        """CREATE TABLE bookmarks (
               id      INTEGER PRIMARY KEY AUTOINCREMENT,
               essay   TEXT NOT NULL,
               section TEXT NOT NULL,
               quote   TEXT NOT NULL DEFAULT '',
               name    TEXT NOT NULL,
               note    TEXT NOT NULL DEFAULT '',
               folder  TEXT NOT NULL DEFAULT '',
               created TEXT NOT NULL,
               updated TEXT NOT NULL)"""
    )
    conn.execute("CREATE INDEX bookmarks_by_section ON bookmarks (essay, section)")
    conn.execute("CREATE TABLE folders (path TEXT PRIMARY KEY) WITHOUT ROWID")
    conn.execute(
        """CREATE TABLE positions (
               essay   TEXT PRIMARY KEY,
               section TEXT NOT NULL,
               offset  INTEGER NOT NULL DEFAULT 0,
               updated TEXT NOT NULL) WITHOUT ROWID"""
    )
    conn.execute("CREATE TABLE state (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID")


#: ``_MIGRATIONS[n]`` brings a database from version n to n + 1. Append, never edit.
_MIGRATIONS: list[Callable[[sqlite3.Connection], None]] = [_migrate_to_1]

#: The tables and columns the current schema must have (checked on every open).
_EXPECTED_COLUMNS: dict[str, set[str]] = {
    "bookmarks": {"id", "essay", "section", "quote", "name", "note", "folder", "created",
                  "updated"},
    "folders": {"path"},
    "positions": {"essay", "section", "offset", "updated"},
    "state": {"key", "value"},
}


def schema_version() -> int:
    """The schema version this code writes."""
    return len(_MIGRATIONS)


# --- helpers -----------------------------------------------------------------------------

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


def _is_within(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder + "/")


#: The columns of a Bookmark, in the order of its fields (read positionally: faster).
_FIELDS = "id, essay, section, name, note, folder, quote, created, updated"
_BY_ID = f"SELECT {_FIELDS} FROM bookmarks WHERE id = ?"


def _bookmark(row: sqlite3.Row) -> Bookmark:
    return Bookmark(*row)


def _is_damage(exc: sqlite3.Error) -> bool:
    """Corruption or not a database at all, as opposed to locked, read-only, missing."""
    code = getattr(exc, "sqlite_errorcode", 0) & 0xFF
    return code in (_SQLITE_CORRUPT, _SQLITE_NOTADB)


def _aside_name(path: Path, stamp: str) -> Path:
    """A free name beside ``path`` for a damaged file; never one that exists."""
    base = f"{path.name}.damaged-{stamp}"
    candidate = path.with_name(base)
    number = 1
    while any(Path(f"{candidate}{suffix}").exists() for suffix in ("", "-wal", "-shm")):
        number += 1
        candidate = path.with_name(f"{base}-{number}")
    return candidate


def _move_without_overwrite(source: Path, target: Path) -> None:
    try:
        os.link(source, target)  # fails if target exists, unlike rename
    except OSError:
        if target.exists():
            raise
        os.rename(source, target)  # a file system without hard links
        return
    source.unlink()


# --- the store ---------------------------------------------------------------------------

class BookmarkStore:
    """Bookmarks, folders and reading positions in one SQLite file (or in memory).

    Opening never fails because of a damaged file (see the module docstring); it raises
    ``Error`` only when the folder cannot be written or the database stays locked.
    """

    def __init__(self, path: Path | str | None) -> None:
        """Open (creating if needed) the store at ``path``; ``None`` keeps it in memory."""
        self.path: Path | None = None if path is None else Path(path)
        #: A message for the user when the file had to be set aside, else None.
        self.notice: str | None = None
        #: Where a damaged file was moved to, else None.
        self.set_aside: Path | None = None
        self._data_version: int | None = None
        self._depth = 0  # nesting of transactions: batch() around single changes
        self._conn = self._open()
        self.changed_elsewhere()

    @classmethod
    def open_in(cls, data_dir: Path) -> BookmarkStore:
        """The store in ``data_dir`` (the folder is created if missing)."""
        try:
            data_dir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise Error(f"cannot create the data folder {data_dir}: {exc.strerror}") from exc
        return cls(data_dir / STORE_FILE)

    # -- opening --------------------------------------------------------------------------

    def _connect(self) -> sqlite3.Connection:
        target = ":memory:" if self.path is None else str(self.path)
        conn = sqlite3.connect(target, timeout=BUSY_TIMEOUT_S, isolation_level=None)
        conn.row_factory = sqlite3.Row
        return conn

    def _open(self) -> sqlite3.Connection:
        reason = self._inspect_read_only()
        if reason is None:
            conn = self._connect()
            try:
                self._prepare(conn)
                return conn
            except _Unusable as exc:
                conn.close()
                reason = str(exc)
            except sqlite3.DatabaseError as exc:
                conn.close()
                if not _is_damage(exc):
                    raise Error(f"cannot open the bookmarks database {self.path}: {exc}") from exc
                reason = f"the file is damaged ({exc})"
        if self.path is None:  # pragma: no cover - a fresh memory database is never damaged
            raise Error(f"cannot create the bookmarks database: {reason}")
        aside = self._move_aside()
        conn = self._connect()
        try:
            self._prepare(conn)
        except (_Unusable, sqlite3.Error) as exc:
            conn.close()
            raise Error(f"cannot create a new bookmarks database {self.path}: {exc}") from exc
        self.set_aside = aside
        self.notice = (
            f"The bookmarks database could not be used: {reason}. It was moved to {aside} "
            "and a new, empty one was started. Nothing was deleted."
        )
        return conn

    def _inspect_read_only(self) -> str | None:
        """Why the existing file is not a usable store, or None if it seems fine.

        A read-only connection changes nothing; a read-write one would, on closing,
        delete or checkpoint the ``-wal`` file of a damaged database."""
        if self.path is None or not self.path.is_file() or self.path.stat().st_size == 0:
            return None
        try:
            conn = sqlite3.connect(
                f"{self.path.resolve().as_uri()}?mode=ro", uri=True, timeout=BUSY_TIMEOUT_S
            )
        except sqlite3.Error:
            return None  # the read-write open reports what is wrong
        try:
            self._check(conn)
        except _Unusable as exc:
            return str(exc)
        except sqlite3.DatabaseError as exc:
            return f"the file is damaged ({exc})" if _is_damage(exc) else None
        finally:
            conn.close()
        return None

    def _check(self, conn: sqlite3.Connection) -> int:
        """Raise ``_Unusable`` (or a corruption error) unless the file can be our store;
        returns its schema version. Only reads, in one snapshot: another window may be
        creating the schema at this moment, and mixing its before and after would look
        like a foreign database."""
        conn.execute("BEGIN")
        try:
            return self._check_snapshot(conn)
        finally:
            with contextlib.suppress(sqlite3.Error):
                conn.execute("COMMIT")

    def _check_snapshot(self, conn: sqlite3.Connection) -> int:
        version: int = conn.execute("PRAGMA user_version").fetchone()[0]
        if version > schema_version():
            raise _Unusable(
                f"it was written by a newer version of the reader (schema {version}; "
                f"this version knows up to {schema_version()})"
            )
        check = [row[0] for row in conn.execute("PRAGMA quick_check").fetchall()]
        if check != ["ok"]:
            raise _Unusable(f"the file is damaged ({'; '.join(check[:3])})")
        if version == 0 and self._tables(conn):
            raise _Unusable("it holds tables that are not a bookmarks store")
        if version == schema_version():
            self._check_shape(conn)
        return version

    def _prepare(self, conn: sqlite3.Connection) -> None:
        """Check the file, bring the schema up to date and switch on WAL. Until the
        file is known to be a usable store, nothing is written to it."""
        if self._check(conn) < schema_version():
            self._migrate(conn)
        # WAL lets readers and one writer work at once; it is a property of the file.
        conn.execute("PRAGMA journal_mode = WAL").fetchone()
        conn.execute("PRAGMA synchronous = FULL")

    @staticmethod
    def _tables(conn: sqlite3.Connection) -> set[str]:
        rows = conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        ).fetchall()
        return {row[0] for row in rows}

    def _migrate(self, conn: sqlite3.Connection) -> None:
        """Run the missing migrations and check the result in one transaction, so that
        a file that turns out not to be ours is left exactly as it was."""
        conn.execute("BEGIN IMMEDIATE")  # another window may be migrating too
        try:
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            try:
                for step in range(version, schema_version()):
                    _MIGRATIONS[step](conn)
            except sqlite3.OperationalError as exc:
                raise _Unusable(
                    f"its schema (version {version}) is not the one expected ({exc})"
                ) from exc
            self._check_shape(conn)
            conn.execute(f"PRAGMA user_version = {schema_version()}")
            conn.execute("COMMIT")
        except BaseException:
            with contextlib.suppress(sqlite3.Error):
                conn.execute("ROLLBACK")
            raise

    def _check_shape(self, conn: sqlite3.Connection) -> None:
        for table, expected in _EXPECTED_COLUMNS.items():
            columns = {row[1] for row in conn.execute(f"PRAGMA table_info({table})")}
            if not columns:
                raise _Unusable(f"its table '{table}' is missing")
            if not expected <= columns:
                missing = ", ".join(sorted(expected - columns))
                raise _Unusable(f"its table '{table}' lacks the column(s) {missing}")

    def _move_aside(self) -> Path:
        assert self.path is not None
        target = _aside_name(self.path, datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ"))
        try:
            # The journal files belong to the damaged file: left behind, SQLite would
            # replay them into the fresh database.
            for suffix in ("-wal", "-shm", "-journal"):
                companion = Path(f"{self.path}{suffix}")
                if companion.exists():
                    _move_without_overwrite(companion, Path(f"{target}{suffix}"))
            _move_without_overwrite(self.path, target)
        except OSError as exc:
            raise Error(
                f"the bookmarks database {self.path} is damaged and could not be moved "
                f"aside ({exc.strerror}); it was left untouched"
            ) from exc
        return target

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
        try:
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
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
        try:
            return self._conn.execute(sql, tuple(params)).fetchall()
        except sqlite3.Error as exc:
            raise Error(f"the bookmarks database could not be read: {exc}") from exc

    @staticmethod
    def _ensure_folder(conn: sqlite3.Connection, folder: str) -> None:
        conn.executemany(
            "INSERT OR IGNORE INTO folders (path) VALUES (?)",
            [(path,) for path in folder_ancestors(folder)],
        )

    @staticmethod
    def _required(value: str, what: str) -> str:
        value = value.strip()
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
        folder = normalize_folder(folder)
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
        rows = self._query(_BY_ID, (bookmark_id,))
        return _bookmark(rows[0]) if rows else None

    def bookmarks(self) -> list[Bookmark]:
        """Every bookmark, oldest first."""
        rows = self._query(f"SELECT {_FIELDS} FROM bookmarks ORDER BY id")
        return [_bookmark(row) for row in rows]

    def for_section(self, essay: str, section: str) -> list[Bookmark]:
        rows = self._query(
            f"SELECT {_FIELDS} FROM bookmarks WHERE essay = ? AND section = ? ORDER BY id",
            (essay, section),
        )
        return [_bookmark(row) for row in rows]

    def bookmarked_sections(self) -> set[tuple[str, str]]:
        """``(essay, section)`` of every bookmark, for markers in the section tree."""
        return {(row[0], row[1]) for row in self._query("SELECT essay, section FROM bookmarks")}

    def update(
        self, bookmark_id: int, *, name: str | None = None, note: str | None = None,
        folder: str | None = None, essay: str | None = None, section: str | None = None,
        quote: str | None = None,
    ) -> Bookmark:
        """Change some fields of a bookmark (re-pointing it = a new essay/section)."""
        changes: dict[str, str] = {}
        if name is not None:
            changes["name"] = self._required(name, "name")
        if note is not None:
            changes["note"] = note
        if folder is not None:
            changes["folder"] = normalize_folder(folder)
        if essay is not None:
            changes["essay"] = self._required(essay, "document")
        if section is not None:
            changes["section"] = self._required(section, "section")
        if quote is not None:
            changes["quote"] = quote.strip()
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
        return _bookmark(row)

    def remove(self, bookmark_id: int) -> Bookmark:
        """Delete a bookmark and return it (``restore`` puts it back)."""
        with self._transaction() as conn:
            row = conn.execute(_BY_ID, (bookmark_id,)).fetchone()
            if row is None:
                raise NotFoundError(f"no bookmark with id {bookmark_id}")
            conn.execute("DELETE FROM bookmarks WHERE id = ?", (bookmark_id,))
        return _bookmark(row)

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
        return sorted((row[0] for row in rows), key=lambda p: p.casefold().split("/"))

    def add_folder(self, folder: str) -> str:
        folder = normalize_folder(folder)
        if not folder:
            raise Error("a folder needs a name")
        with self._transaction() as conn:
            self._ensure_folder(conn, folder)
        return folder

    def rename_folder(self, old: str, new: str) -> str:
        """Rename or move a folder with everything in it (``"A"`` -> ``"B/A"`` moves it
        into B); merges with a folder of the new name if there is one."""
        old, new = normalize_folder(old), normalize_folder(new)
        if not old or not new:
            raise Error("a folder needs a name")
        if _is_within(new, old) and new != old:
            raise Error(f"cannot move the folder '{old}' into itself")
        if new == old:
            return new
        stamp = now_stamp()
        with self._transaction() as conn:
            paths = [row[0] for row in conn.execute("SELECT path FROM folders")]
            moved = [p for p in paths if _is_within(p, old)]
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
                if _is_within(row[0], folder)
            )
            rows = conn.execute(
                f"SELECT {_FIELDS} FROM bookmarks WHERE folder = ? OR folder LIKE ? ESCAPE '\\' "
                "ORDER BY id", (folder, _like_prefix(folder)),
            ).fetchall()
            conn.executemany("DELETE FROM folders WHERE path = ?", [(f,) for f in folders])
            conn.executemany("DELETE FROM bookmarks WHERE id = ?", [(r["id"],) for r in rows])
        return Removal(tuple(_bookmark(row) for row in rows), folders)

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
        return Position(row["essay"], row["section"], row["offset"], row["updated"])

    def last_position(self) -> Position | None:
        """The position in the essay that was open last, if any."""
        rows = self._query("SELECT value FROM state WHERE key = 'last_essay'")
        return self.position(rows[0][0]) if rows else None

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
        except OSError as exc:
            raise Error(f"cannot write {path}: {exc.strerror}") from exc
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


# --- the export format -------------------------------------------------------------------

def read_export_file(path: Path) -> object:
    """The parsed JSON of an export file; ``Error`` with a clear message otherwise."""
    try:
        size = path.stat().st_size
        if size > MAX_IMPORT_BYTES:
            raise Error(f"{path} is too large for a bookmarks file ({size} bytes)")
        raw = path.read_bytes()
    except OSError as exc:
        raise Error(f"cannot read {path}: {exc.strerror}") from exc
    try:
        return json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise Error(f"{path} is not a bookmarks file: it is not UTF-8 text") from exc
    except json.JSONDecodeError as exc:
        raise Error(
            f"{path} is not a bookmarks file: invalid JSON at line {exc.lineno}, "
            f"column {exc.colno} ({exc.msg})"
        ) from exc


def _valid_stamp(value: str) -> bool:
    try:
        datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return False
    return True


def parse_export(data: object, source: str = "the file") -> tuple[list[str], list[dict[str, str]]]:
    """Check export data completely; returns (folders, bookmark entries) with defaults
    filled in, or raises ``Error`` naming the first problem."""
    if not isinstance(data, dict) or data.get("format") != EXPORT_FORMAT:
        raise Error(f"{source} is not a Reference Reader bookmarks file "
                    f"(expected a JSON object with \"format\": \"{EXPORT_FORMAT}\")")
    version = data.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise Error(f"{source}: \"version\" must be a positive whole number")
    if version > EXPORT_VERSION:
        raise Error(f"{source} was written by a newer version of the reader (format version "
                    f"{version}; this version reads up to {EXPORT_VERSION})")
    raw_folders = data.get("folders", [])
    if not isinstance(raw_folders, list) or not all(isinstance(f, str) for f in raw_folders):
        raise Error(f"{source}: \"folders\" must be a list of folder paths")
    raw_marks = data.get("bookmarks")
    if not isinstance(raw_marks, list):
        raise Error(f"{source}: \"bookmarks\" must be a list")
    stamp = now_stamp()
    entries: list[dict[str, str]] = []
    for number, raw in enumerate(raw_marks, start=1):
        where = f"{source}: bookmark {number}"
        if not isinstance(raw, dict):
            raise Error(f"{where} is not an object")
        entry: dict[str, str] = {}
        for field in ("essay", "section", "name"):
            value = raw.get(field)
            if not isinstance(value, str) or not value.strip():
                raise Error(f"{where}: \"{field}\" must be a non-empty string")
            entry[field] = value.strip()
        for field in ("note", "folder", "quote", "created", "updated"):
            value = raw.get(field, "")
            if value is None:
                value = ""
            if not isinstance(value, str):
                raise Error(f"{where}: \"{field}\" must be a string")
            entry[field] = value
        for field in ("created", "updated"):
            if entry[field] and not _valid_stamp(entry[field]):
                raise Error(f"{where}: \"{field}\" is not a date and time ({entry[field]!r})")
            entry[field] = entry[field] or stamp
        entry["folder"] = normalize_folder(entry["folder"])
        entry["quote"] = entry["quote"].strip()
        entries.append(entry)
    folders = [normalize_folder(f) for f in raw_folders if normalize_folder(f)]
    return folders, entries


# --- finding a bookmark's section again -------------------------------------------------

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
