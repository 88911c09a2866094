"""Hostile state and input through the command line: every refusal is one line on
stderr and exit code 1, never a traceback. Everything is made in tmp_path."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest

from reader import cli
from reader.core import bookmarks
from reader.core.bookmarks import STORE_FILE
from tests.essay_fixtures import write_essay

not_as_root = pytest.mark.skipif(os.geteuid() == 0, reason="root can write a read-only folder")


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = cli.main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def one_line_refusal(code: int, err: str, *expected: str) -> None:
    assert code == 1
    assert "Traceback" not in err
    assert err.count("\n") == 1 and err.startswith("reference-reader: ")
    for text in expected:
        assert text in err


# --- check: figures parsed completely ------------------------------------------------------

def test_check_reports_a_figure_that_does_not_parse(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    broken = '<svg xmlns="http://www.w3.org/2000/svg" width="5" height="5"><g></svg>'
    write_essay(tmp_path / "content", svg=broken)
    code, out, err = run(capsys, "check", "--content", str(tmp_path / "content"))
    assert code == 1 and "Traceback" not in err
    assert "plate.svg" in out and "not valid XML" in out
    assert "1 problem(s) found." in out


def test_check_reports_an_absurdly_large_figure(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    huge = ('<svg xmlns="http://www.w3.org/2000/svg" width="1" height="100000000">'
            '<rect width="1" height="100000000"/></svg>')
    write_essay(tmp_path / "content", svg=huge)
    code, out, err = run(capsys, "check", "--content", str(tmp_path / "content"))
    assert code == 1 and "Traceback" not in err
    assert "plate.svg" in out and "too large" in out


# --- the store cannot be opened --------------------------------------------------------------

def test_a_store_that_is_a_folder(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    (tmp_path / "data" / STORE_FILE).mkdir(parents=True)
    code, out, err = run(capsys, "bookmarks", "list")
    one_line_refusal(code, err, "is a folder")
    assert out == ""


def test_a_store_that_is_a_dangling_link(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / STORE_FILE).symlink_to(tmp_path / "gone" / "b.sqlite3")
    code, _out, err = run(capsys, "bookmarks", "add", "pact")
    one_line_refusal(code, err, "symbolic link to a missing")
    assert not (tmp_path / "gone").exists()


def test_a_store_that_is_a_fifo(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    os.mkfifo(tmp_path / "data" / STORE_FILE)
    code, _out, err = run(capsys, "bookmarks", "list")
    one_line_refusal(code, err, STORE_FILE)


@not_as_root
def test_a_store_in_a_read_only_folder(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    (tmp_path / "data").mkdir()
    (tmp_path / "data").chmod(0o500)
    try:
        code, _out, err = run(capsys, "bookmarks", "add", "pact")
    finally:
        (tmp_path / "data").chmod(0o700)
    one_line_refusal(code, err)


def test_a_locked_store(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                        monkeypatch: pytest.MonkeyPatch) -> None:
    with bookmarks.BookmarkStore.open_in(tmp_path / "data"):
        pass
    monkeypatch.setattr(bookmarks, "BUSY_TIMEOUT_S", 0.2)
    holder = sqlite3.connect(tmp_path / "data" / STORE_FILE)
    try:
        holder.execute("BEGIN EXCLUSIVE")
        code, _out, err = run(capsys, "bookmarks", "add", "pact")
    finally:
        holder.rollback()
        holder.close()
    one_line_refusal(code, err, "another program")


def test_a_data_folder_deleted_during_a_change_is_recreated_and_said(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    code, _out, _err = run(capsys, "bookmarks", "add", "pact")
    assert code == 0
    real_add = bookmarks.BookmarkStore.add
    data = tmp_path / "data"

    def add_after_the_folder_is_gone(self: bookmarks.BookmarkStore, *args: object,
                                     **kwargs: object) -> bookmarks.Bookmark:
        for child in data.iterdir():
            child.unlink()
        data.rmdir()
        return real_add(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(bookmarks.BookmarkStore, "add", add_after_the_folder_is_gone)
    code, out, err = run(capsys, "bookmarks", "add", "poland")
    assert code == 0 and "Added bookmark 2" in out, err
    assert err.count("\n") == 1 and "deleted" in err
    monkeypatch.undo()
    with bookmarks.BookmarkStore.open_in(data) as store:
        assert [m.section for m in store.bookmarks()] == ["pact", "poland"]


# --- import of hostile files -----------------------------------------------------------------

def test_import_of_a_fifo(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.json")
    code, out, err = run(capsys, "bookmarks", "import", str(tmp_path / "pipe.json"))
    one_line_refusal(code, err, "cannot import")
    assert out == "" and not (tmp_path / "data" / STORE_FILE).exists()


def test_import_of_a_folder(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    (tmp_path / "folder.json").mkdir()
    code, _out, err = run(capsys, "bookmarks", "import", str(tmp_path / "folder.json"))
    one_line_refusal(code, err, "cannot import")


def test_import_of_json_nested_100000_deep(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    (tmp_path / "deep.json").write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    code, _out, err = run(capsys, "bookmarks", "import", str(tmp_path / "deep.json"))
    one_line_refusal(code, err, "nests deeper")


def test_import_of_a_5000_digit_number(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    (tmp_path / "big.json").write_text(
        '{"format": "reference-reader-bookmarks", "version": ' + "9" * 5000
        + ', "bookmarks": []}', encoding="utf-8")
    code, _out, err = run(capsys, "bookmarks", "import", str(tmp_path / "big.json"))
    one_line_refusal(code, err, "big.json")
    assert len(err) < 400


def test_import_of_a_lone_surrogate(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    (tmp_path / "s.json").write_text(
        '{"format": "reference-reader-bookmarks", "version": 1, "bookmarks": '
        '[{"essay": "e", "section": "s", "name": "bad \\ud800 name"}]}', encoding="utf-8")
    code, _out, err = run(capsys, "bookmarks", "import", str(tmp_path / "s.json"))
    one_line_refusal(code, err)
    assert not (tmp_path / "data" / STORE_FILE).exists()
