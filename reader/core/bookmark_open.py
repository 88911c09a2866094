"""Opening the bookmarks database: the path checked, damage set aside, reasons in words.

``open_store`` never opens a folder, a link to nowhere, a device or a pipe as
the store, says "the folder is read-only" or "being written by another
program" instead of an SQLite code, and moves a damaged file aside (never
overwriting it) before starting a new store. ``snapshot`` and
``restore_snapshot`` carry a store's rows over to a new file when the old one
was deleted while open.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import stat
from pathlib import Path
from typing import Any

from reader.core import bookmark_schema as schema
from reader.core import safefile
from reader.core.bookmark_types import Error

BUSY_MESSAGE = "bookmarks are being written by another program; try again"


def connect(path: Path | None, busy_timeout: float) -> sqlite3.Connection:
    """A connection to the file (or memory); ``Error`` with the reason if there is none."""
    target = ":memory:" if path is None else str(path)
    if path is not None:
        refuse_unusable_path(path)
    try:
        conn = sqlite3.connect(target, timeout=busy_timeout, isolation_level=None)
    except sqlite3.Error as exc:
        raise Error(open_failure(path, exc)) from exc
    conn.row_factory = sqlite3.Row
    return conn

def refuse_unusable_path(path: Path) -> None:
    """A folder, a link to nowhere, a device or a pipe is never opened as the store."""
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        return  # a new store
    except OSError as exc:
        raise Error(f"cannot open the bookmarks file {path}: {exc.strerror}") from exc
    if stat.S_ISLNK(mode):
        try:
            mode = os.stat(path).st_mode
        except OSError as exc:
            raise Error(f"the bookmarks file {path} is a symbolic link to a missing or "
                        "unreachable file; remove the link or restore its target") from exc
    if not stat.S_ISREG(mode):
        raise Error(f"the bookmarks file {path} is {safefile.kind_of(mode)}, not a "
                    "database file; move it away and start the reader again")

def open_failure(path: Path | None, exc: sqlite3.Error) -> str:
    """Why the file cannot be opened, in words (read-only folder, locked...)."""
    where = path.parent if path is not None else None
    if schema.is_busy(exc):
        return BUSY_MESSAGE
    if where is not None and not os.access(where, os.W_OK):
        return (f"cannot open the bookmarks database {path}: the folder {where} "
                "is read-only")
    return f"cannot open the bookmarks database {path}: {exc}"

def open_store(
    path: Path | None, busy_timeout: float
) -> tuple[sqlite3.Connection, Path | None, str | None]:
    """(connection, where a damaged file was moved or None, a notice or None)."""
    reason = inspect_read_only(path, busy_timeout)
    if reason is None:
        conn = connect(path, busy_timeout)
        try:
            schema.prepare(conn)
            return conn, None, None
        except schema.Unusable as exc:
            conn.close()
            reason = str(exc)
        except sqlite3.DatabaseError as exc:
            conn.close()
            if not schema.is_damage(exc):
                raise Error(open_failure(path, exc)) from exc
            reason = f"the file is damaged ({exc})"
    if path is None:  # pragma: no cover - a fresh memory database is never damaged
        raise Error(f"cannot create the bookmarks database: {reason}")
    try:
        aside = schema.move_aside(path)
    except OSError as exc:
        raise Error(
            f"the bookmarks database {path} is damaged and could not be moved "
            f"aside ({exc.strerror}); it was left untouched"
        ) from exc
    conn = connect(path, busy_timeout)
    try:
        schema.prepare(conn)
    except (schema.Unusable, sqlite3.Error) as exc:
        conn.close()
        raise Error(f"cannot create a new bookmarks database {path}: {exc}") from exc
    notice = (
        f"The bookmarks database could not be used: {reason}. It was moved to {aside} "
        "and a new, empty one was started. Nothing was deleted."
    )
    return conn, aside, notice

def inspect_read_only(path: Path | None, busy_timeout: float) -> str | None:
    """Why the existing file is not a usable store, or None if it seems fine.

    A read-only connection changes nothing; a read-write one would, on closing,
    delete or checkpoint the ``-wal`` file of a damaged database."""
    if path is None or not path.is_file() or path.stat().st_size == 0:
        return None
    try:
        conn = sqlite3.connect(
            f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=busy_timeout
        )
    except sqlite3.Error:
        return None  # the read-write open reports what is wrong
    try:
        schema.check(conn)
    except schema.Unusable as exc:
        return str(exc)
    except sqlite3.DatabaseError as exc:
        return f"the file is damaged ({exc})" if schema.is_damage(exc) else None
    finally:
        conn.close()
    return None


def snapshot(conn: sqlite3.Connection) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, to be written again (``restore_snapshot``)."""
    return {
        table: [tuple(row) for row in conn.execute(f"SELECT * FROM {table}")]
        for table in ("folders", "bookmarks", "positions", "state")
    }

def restore_snapshot(conn: sqlite3.Connection, held: dict[str, list[tuple[Any, ...]]]) -> None:
    """Write ``held`` into a fresh store, one transaction; raises sqlite3.Error."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        for table, rows in held.items():
            if rows:
                marks = ", ".join("?" * len(rows[0]))
                conn.executemany(f"INSERT OR IGNORE INTO {table} VALUES ({marks})", rows)
        conn.execute("COMMIT")
    except BaseException:
        with contextlib.suppress(sqlite3.Error):
            conn.execute("ROLLBACK")
        raise


def file_identity(path: Path) -> tuple[int, int] | None:
    """(device, inode) of the file at ``path``; None if there is none."""
    try:
        info = os.stat(path)
    except OSError:
        return None
    return (info.st_dev, info.st_ino)


def reopen(
    path: Path, old: sqlite3.Connection, busy_timeout: float
) -> tuple[sqlite3.Connection, str]:
    """The store at ``path`` again after its file was deleted or replaced: (the new
    connection, a notice for the user). A deleted file is created again holding every
    row ``old`` (still open on the deleted file) has; a replaced one is used as it is."""
    try:
        held = snapshot(old)
    except sqlite3.Error as exc:
        raise Error(f"the bookmarks file {path} was removed and what this window "
                    f"held could not be read ({exc})") from exc
    if file_identity(path) is not None:  # another program put a different file there
        conn, _, _ = open_store(path, busy_timeout)
        old.close()
        return conn, (f"The bookmarks file {path} was replaced by another program; "
                      "the reader now uses the new file.")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise Error(f"the bookmarks folder {path.parent} was removed and cannot be "
                    f"created again ({exc.strerror}); changes cannot be saved") from exc
    conn, _, _ = open_store(path, busy_timeout)
    old.close()
    try:
        restore_snapshot(conn, held)
    except sqlite3.Error as exc:
        raise Error(f"the bookmarks could not be saved again: {exc}") from exc
    return conn, (
        f"The bookmarks file {path} was deleted while the reader was open. It was "
        f"created again with the {len(held['bookmarks'])} bookmark(s) this window held."
    )
