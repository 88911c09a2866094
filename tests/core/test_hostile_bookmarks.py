"""Hostile state and input for the bookmark store: every failure is an Error with a reason.

Paths that are folders, dangling links or read-only places, values of the wrong
type written by hand, ids SQLite cannot hold, a locked database, the data folder
deleted while open, and import files that are pipes, devices, huge, deeply nested
or hold lone surrogates. Everything is made in tmp_path.
"""

from __future__ import annotations

import json
import os
import sqlite3
import stat
from pathlib import Path

import pytest

from reader.core import bookmarks
from reader.core.bookmark_format import read_export_file
from reader.core.bookmarks import STORE_FILE, BookmarkStore, Error

ESSAY = "nazi-soviet-alliance"
not_as_root = pytest.mark.skipif(os.geteuid() == 0, reason="root can write a read-only folder")


# --- opening -------------------------------------------------------------------------------

def test_a_store_path_that_is_a_folder_is_an_error(tmp_path: Path) -> None:
    (tmp_path / STORE_FILE).mkdir()
    with pytest.raises(Error, match="is a folder, not a database file"):
        BookmarkStore.open_in(tmp_path)


def test_a_dangling_symlink_is_an_error_and_creates_nothing(tmp_path: Path) -> None:
    (tmp_path / STORE_FILE).symlink_to(tmp_path / "gone" / "b.sqlite3")
    with pytest.raises(Error, match="symbolic link to a missing"):
        BookmarkStore.open_in(tmp_path)
    assert not (tmp_path / "gone").exists()


def test_a_fifo_at_the_store_path_is_an_error(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / STORE_FILE)
    with pytest.raises(Error, match="named pipe"):
        BookmarkStore.open_in(tmp_path)


def test_an_empty_path_is_refused(tmp_path: Path) -> None:
    with pytest.raises(Error, match="no bookmarks file"):
        BookmarkStore("")


def test_a_read_only_data_folder_without_a_file_is_an_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    real_connect = sqlite3.connect

    def refusing(target: str, *args: object, **kwargs: object) -> sqlite3.Connection:
        if str(target).startswith(str(folder)):
            raise sqlite3.OperationalError("unable to open database file")
        return real_connect(target, *args, **kwargs)  # type: ignore[arg-type]

    # A read-only folder cannot be made as root; SQLite's answer is what matters.
    monkeypatch.setattr(sqlite3, "connect", refusing)
    monkeypatch.setattr(os, "access", lambda path, mode: False)
    with pytest.raises(Error, match="is read-only"):
        BookmarkStore.open_in(folder)


@not_as_root
def test_a_truly_read_only_data_folder_is_an_error(tmp_path: Path) -> None:  # pragma: no cover
    folder = tmp_path / "data"
    folder.mkdir()
    folder.chmod(stat.S_IRUSR | stat.S_IXUSR)
    try:
        with pytest.raises(Error, match="read-only"):
            BookmarkStore.open_in(folder)
    finally:
        folder.chmod(stat.S_IRWXU)


# --- values and ids ------------------------------------------------------------------------

def test_hand_edited_values_of_the_wrong_type_are_skipped(tmp_path: Path) -> None:
    with BookmarkStore.open_in(tmp_path) as store:
        good = store.add(ESSAY, "pact", "Pact")
        bad = store.add(ESSAY, "pact", "Other")
        store.save_position(ESSAY, "pact", 10)
    conn = sqlite3.connect(tmp_path / STORE_FILE)
    conn.execute("UPDATE bookmarks SET name = 5, note = x'00ff' WHERE id = ?", (bad.id,))
    conn.execute("UPDATE positions SET offset = 'far'")
    conn.execute("INSERT INTO folders (path) VALUES (x'00ff')")
    conn.commit()
    conn.close()
    with BookmarkStore.open_in(tmp_path) as store:
        assert store.bookmarks() == [good]
        assert store.skipped_rows == 1
        assert store.position(ESSAY) is None and store.last_position() is None
        assert store.folders() == []
        assert store.get(bad.id) is None
        with pytest.raises(Error, match="wrong type"):
            store.remove(bad.id)
        assert store.export_data()["bookmarks"][0]["name"] == "Pact"


@pytest.mark.parametrize("bad_id", [99999999999999999999, 2**63, -(2**63) - 1, 0, True, "3"])
def test_ids_sqlite_cannot_hold_name_no_bookmark(tmp_path: Path, bad_id: object) -> None:
    with BookmarkStore.open_in(tmp_path) as store:
        with pytest.raises(bookmarks.NotFoundError, match="no bookmark with id"):
            store.remove(bad_id)  # type: ignore[arg-type]
        with pytest.raises(bookmarks.NotFoundError):
            store.update(bad_id, name="x")  # type: ignore[arg-type]
        assert store.get(bad_id) is None  # type: ignore[arg-type]


@pytest.mark.parametrize("field", ["name", "note", "folder", "essay"])
def test_a_lone_surrogate_in_a_name_is_refused(tmp_path: Path, field: str) -> None:
    values = {"essay": ESSAY, "section": "pact", "name": "Pact", "note": "", "folder": ""}
    values[field] = "bad \udcff name"
    with BookmarkStore.open_in(tmp_path) as store:
        with pytest.raises(Error, match="lone surrogate"):
            store.add(**values)
        assert store.bookmarks() == []


# --- a locked database ---------------------------------------------------------------------

def test_a_locked_database_is_a_quick_clear_error(tmp_path: Path) -> None:
    with BookmarkStore.open_in(tmp_path) as store:
        store.add(ESSAY, "pact", "Pact")
    store = BookmarkStore(tmp_path / STORE_FILE, busy_timeout=0.05, read_timeout=0.05)
    blocker = sqlite3.connect(tmp_path / STORE_FILE, isolation_level=None)
    try:
        blocker.execute("BEGIN IMMEDIATE")
        blocker.execute("INSERT INTO folders (path) VALUES ('theirs')")
        with pytest.raises(Error, match="being written by another program; try again"):
            store.add(ESSAY, "pact", "Second")
        # Reading goes on while another program writes: the window does not freeze.
        assert [m.name for m in store.bookmarks()] == ["Pact"]
        blocker.execute("COMMIT")
        store.add(ESSAY, "pact", "Second")
    finally:
        store.close()
        blocker.close()


def test_a_database_held_exclusively_is_a_clear_error_on_opening(tmp_path: Path) -> None:
    with BookmarkStore.open_in(tmp_path) as store:
        store.add(ESSAY, "pact", "Pact")
    blocker = sqlite3.connect(tmp_path / STORE_FILE, isolation_level=None)
    try:
        blocker.execute("PRAGMA locking_mode = EXCLUSIVE")
        blocker.execute("BEGIN EXCLUSIVE")
        with pytest.raises(Error, match="being written by another program"):
            BookmarkStore(tmp_path / STORE_FILE, busy_timeout=0.05, read_timeout=0.05)
    finally:
        blocker.close()
    assert (tmp_path / STORE_FILE).is_file()
    assert not list(tmp_path.glob("*.damaged-*"))


# --- the data folder deleted while open -----------------------------------------------------

def test_a_deleted_data_folder_is_recreated_with_what_the_window_held(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    store = BookmarkStore.open_in(folder)
    try:
        first = store.add(ESSAY, "pact", "Pact", folder="Research")
        for child in folder.iterdir():
            child.unlink()
        folder.rmdir()
        second = store.add(ESSAY, "oil", "Oil")
        notice = store.pop_notice()
        assert notice is not None and "deleted" in notice and "1 bookmark(s)" in notice
        assert store.pop_notice() is None
    finally:
        store.close()
    with BookmarkStore.open_in(folder) as again:
        assert [(m.id, m.name) for m in again.bookmarks()] == [(first.id, "Pact"),
                                                                (second.id, "Oil")]
        assert again.folders() == ["Research"]


def test_a_replaced_file_is_used_not_overwritten(tmp_path: Path) -> None:
    store = BookmarkStore.open_in(tmp_path)
    try:
        store.add(ESSAY, "pact", "Mine")
        other = tmp_path / "other"
        with BookmarkStore.open_in(other) as elsewhere:
            elsewhere.add(ESSAY, "oil", "Theirs")
        for suffix in ("-wal", "-shm"):
            Path(f"{tmp_path / STORE_FILE}{suffix}").unlink(missing_ok=True)
        os.replace(other / STORE_FILE, tmp_path / STORE_FILE)
        store.add(ESSAY, "x", "After")
        assert "replaced" in (store.pop_notice() or "")
        assert [m.name for m in store.bookmarks()] == ["Theirs", "After"]
    finally:
        store.close()


# --- import files --------------------------------------------------------------------------

def _export(tmp_path: Path, data: object) -> Path:
    path = tmp_path / "in.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


GOOD = {"format": bookmarks.EXPORT_FORMAT, "version": 1, "folders": [],
        "bookmarks": [{"essay": ESSAY, "section": "pact", "name": "Pact"}]}


def test_import_refuses_a_fifo_without_blocking(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.json")
    with pytest.raises(Error, match="named pipe"):
        read_export_file(tmp_path / "pipe.json")


def test_import_refuses_a_folder(tmp_path: Path) -> None:
    with pytest.raises(Error, match="is a folder"):
        read_export_file(tmp_path)


def test_import_refuses_a_huge_sparse_file_without_reading_it(tmp_path: Path) -> None:
    path = tmp_path / "huge.json"
    with path.open("wb") as out:
        out.truncate(10 * 1024**3)
    with pytest.raises(Error, match="too large"):
        read_export_file(path)


def test_import_refuses_deep_nesting(tmp_path: Path) -> None:
    path = tmp_path / "deep.json"
    path.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    with pytest.raises(Error, match="nests deeper"):
        read_export_file(path)
    # Brackets inside strings do not count.
    assert read_export_file(_export(tmp_path, {**GOOD, "x": "[" * 1000})) is not None


def test_import_refuses_a_version_of_thousands_of_digits(tmp_path: Path) -> None:
    path = tmp_path / "long.json"
    path.write_text(
        json.dumps(GOOD).replace('"version": 1', '"version": ' + "9" * 5000), encoding="utf-8"
    )
    with pytest.raises(Error, match="digits"):
        read_export_file(path)


@pytest.mark.parametrize("where", ["name", "note", "folder", "folders"])
def test_import_refuses_lone_surrogates_in_every_field(tmp_path: Path, where: str) -> None:
    data = json.loads(json.dumps(GOOD))
    if where == "folders":
        data["folders"] = ["ok", "bad \ud800"]
    else:
        data["bookmarks"][0][where] = "bad \ud800"
    path = _export(tmp_path, data)
    with BookmarkStore.open_in(tmp_path / "data") as store:
        with pytest.raises(Error, match="lone surrogate"):
            store.import_file(path)
        assert store.bookmarks() == []


def test_import_reads_a_good_file(tmp_path: Path) -> None:
    with BookmarkStore.open_in(tmp_path / "data") as store:
        assert store.import_file(_export(tmp_path, GOOD)).added == 1


# --- export targets ------------------------------------------------------------------------

def test_export_never_replaces_a_fifo_or_a_folder(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe")
    (tmp_path / "dir").mkdir()
    with BookmarkStore.open_in(tmp_path / "data") as store:
        store.add(ESSAY, "pact", "Pact")
        with pytest.raises(Error, match="named pipe"):
            store.export_file(tmp_path / "pipe")
        with pytest.raises(Error, match="is a folder"):
            store.export_file(tmp_path / "dir")
    assert stat.S_ISFIFO(os.lstat(tmp_path / "pipe").st_mode)
    assert (tmp_path / "dir").is_dir()
