"""The bookmark store's schema: migrations, the checks that a file is our store, and
setting a damaged file aside.

The schema carries a version (``PRAGMA user_version``) and is brought up to
date by the migrations in ``MIGRATIONS``, one transaction for all of them. A
file that is not SQLite, is corrupt, has tables we do not know or was written
by a newer schema is never overwritten: ``move_aside`` renames it (and its
``-wal``/``-shm``/``-journal`` companions) to a free name beside it.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

_SQLITE_BUSY = 5
_SQLITE_CORRUPT = 11
_SQLITE_NOTADB = 26


class Unusable(Exception):
    """The database file cannot be used as a store; the message says why."""


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


#: ``MIGRATIONS[n]`` brings a database from version n to n + 1. Append, never edit.
MIGRATIONS: list[Callable[[sqlite3.Connection], None]] = [_migrate_to_1]

#: The tables and columns the current schema must have (checked on every open).
EXPECTED_COLUMNS: dict[str, set[str]] = {
    "bookmarks": {"id", "essay", "section", "quote", "name", "note", "folder", "created",
                  "updated"},
    "folders": {"path"},
    "positions": {"essay", "section", "offset", "updated"},
    "state": {"key", "value"},
}


def schema_version() -> int:
    """The schema version this code writes."""
    return len(MIGRATIONS)


def is_damage(exc: sqlite3.Error) -> bool:
    """Corruption or not a database at all, as opposed to locked, read-only, missing."""
    code = getattr(exc, "sqlite_errorcode", 0) & 0xFF
    return code in (_SQLITE_CORRUPT, _SQLITE_NOTADB)


def aside_name(path: Path, stamp: str) -> Path:
    """A free name beside ``path`` for a damaged file; never one that exists."""
    base = f"{path.name}.damaged-{stamp}"
    candidate = path.with_name(base)
    number = 1
    while any(Path(f"{candidate}{suffix}").exists() for suffix in ("", "-wal", "-shm")):
        number += 1
        candidate = path.with_name(f"{base}-{number}")
    return candidate


def move_without_overwrite(source: Path, target: Path) -> None:
    try:
        os.link(source, target)  # fails if target exists, unlike rename
    except OSError:
        if target.exists():
            raise
        os.rename(source, target)  # a file system without hard links
        return
    source.unlink()




def is_busy(exc: sqlite3.Error) -> bool:
    """Another connection holds the lock (``database is locked``)."""
    code = getattr(exc, "sqlite_errorcode", 0) & 0xFF
    return code == _SQLITE_BUSY or "locked" in str(exc)


def check(conn: sqlite3.Connection) -> int:
    """Raise ``Unusable`` (or a corruption error) unless the file can be our store;
    returns its schema version. Only reads, in one snapshot: another window may be
    creating the schema at this moment, and mixing its before and after would look
    like a foreign database."""
    conn.execute("BEGIN")
    try:
        return _check_snapshot(conn)
    finally:
        with contextlib.suppress(sqlite3.Error):
            conn.execute("COMMIT")


def _check_snapshot(conn: sqlite3.Connection) -> int:
    version: int = conn.execute("PRAGMA user_version").fetchone()[0]
    if version > schema_version():
        raise Unusable(
            f"it was written by a newer version of the reader (schema {version}; "
            f"this version knows up to {schema_version()})"
        )
    result = [row[0] for row in conn.execute("PRAGMA quick_check").fetchall()]
    if result != ["ok"]:
        raise Unusable(f"the file is damaged ({'; '.join(str(r) for r in result[:3])})")
    if version == 0 and _tables(conn):
        raise Unusable("it holds tables that are not a bookmarks store")
    if version == schema_version():
        check_shape(conn)
    return version


def prepare(conn: sqlite3.Connection) -> None:
    """Check the file, bring the schema up to date and switch on WAL. Until the
    file is known to be a usable store, nothing is written to it."""
    if check(conn) < schema_version():
        migrate(conn)
    # WAL lets readers and one writer work at once; it is a property of the file.
    conn.execute("PRAGMA journal_mode = WAL").fetchone()
    conn.execute("PRAGMA synchronous = FULL")


def _tables(conn: sqlite3.Connection) -> set[str]:
    rows = conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    ).fetchall()
    return {row[0] for row in rows}


def migrate(conn: sqlite3.Connection) -> None:
    """Run the missing migrations and check the result in one transaction, so that
    a file that turns out not to be ours is left exactly as it was."""
    conn.execute("BEGIN IMMEDIATE")  # another window may be migrating too
    try:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        try:
            for step in range(version, schema_version()):
                MIGRATIONS[step](conn)
        except sqlite3.OperationalError as exc:
            raise Unusable(
                f"its schema (version {version}) is not the one expected ({exc})"
            ) from exc
        check_shape(conn)
        conn.execute(f"PRAGMA user_version = {schema_version()}")
        conn.execute("COMMIT")
    except BaseException:
        with contextlib.suppress(sqlite3.Error):
            conn.execute("ROLLBACK")
        raise


def check_shape(conn: sqlite3.Connection) -> None:
    for table, expected in EXPECTED_COLUMNS.items():
        columns = {row[1] for row in conn.execute(f"PRAGMA table_info({table})")}
        if not columns:
            raise Unusable(f"its table '{table}' is missing")
        if not expected <= columns:
            missing = ", ".join(sorted(expected - columns))
            raise Unusable(f"its table '{table}' lacks the column(s) {missing}")


def move_aside(path: Path) -> Path:
    """Rename a damaged store (companions first) to a free name; returns the new name.
    Raises OSError, leaving everything in place, if that cannot be done."""
    target = aside_name(path, datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ"))
    # The journal files belong to the damaged file: left behind, SQLite would
    # replay them into the fresh database.
    for suffix in ("-wal", "-shm", "-journal"):
        companion = Path(f"{path}{suffix}")
        if companion.exists():
            move_without_overwrite(companion, Path(f"{target}{suffix}"))
    move_without_overwrite(path, target)
    return target
