"""``bookmarks list|add|remove|export|import`` from the command line."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from reader import cli
from reader.core.bookmarks import STORE_FILE, BookmarkStore
from tests import PROJECT_ROOT

ESSAY = "nazi-soviet-alliance"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = cli.main(["bookmarks", *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def listed(capsys: pytest.CaptureFixture[str]) -> list[dict[str, object]]:
    code, out, err = run(capsys, "list", "--json")
    assert code == 0, err
    rows: list[dict[str, object]] = json.loads(out)
    return rows


def test_add_list_remove_round_trip(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "add", "raw-materials", "--note", "oil\nand grain",
                       "--folder", "Research/Oil")
    assert code == 0
    assert out == f"Added bookmark 1: Raw Materials [{ESSAY}/raw-materials]\n"
    code, out, _ = run(capsys, "add", f"{ESSAY}/pact", "--name", "The Pact")
    assert code == 0 and "Added bookmark 2: The Pact" in out

    rows = listed(capsys)
    assert [(r["id"], r["document"], r["section"], r["name"], r["folder"], r["found"])
            for r in rows] == [
        (1, ESSAY, "raw-materials", "Raw Materials", "Research/Oil", True),
        (2, ESSAY, "pact", "The Pact", "", True),
    ]
    assert rows[0]["note"] == "oil\nand grain"

    code, out, _ = run(capsys, "list")
    assert code == 0
    assert f"   1  Raw Materials  [{ESSAY}/raw-materials]  in Research/Oil\n" in out
    assert "      oil\n      and grain\n" in out

    code, out, _ = run(capsys, "remove", "1")
    assert code == 0 and out.startswith("Removed bookmark 1: Raw Materials")
    assert [r["id"] for r in listed(capsys)] == [2]


def test_reader_url_is_accepted_as_section(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "add", f"reader://{ESSAY}/poland")
    assert code == 0, err
    assert listed(capsys)[0]["section"] == "poland"


@pytest.mark.parametrize(
    ("reference", "message"),
    [("no-such-section", "unknown section: no-such-section"),
     (f"{ESSAY}/no-such-section", "unknown section: no-such-section"),
     ("no-such-essay/pact", "unknown essay: no-such-essay")],
)
def test_unknown_section_exits_1_and_writes_nothing(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, reference: str, message: str
) -> None:
    code, out, err = run(capsys, "add", reference)
    assert code == 1
    assert out == ""
    assert message in err and err.count("\n") == 1
    # not even an empty database file was created
    assert not (tmp_path / "data" / STORE_FILE).exists()


def test_remove_unknown_id_exits_1(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "remove", "42")
    assert code == 1 and "no bookmark with id 42" in err


def test_unusable_arguments_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        cli.main(["bookmarks", "remove", "not-a-number"])
    assert exited.value.code == 2
    with pytest.raises(SystemExit) as exited:
        cli.main(["bookmarks"])
    assert exited.value.code == 2
    capsys.readouterr()


def test_export_then_import_merges(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    run(capsys, "add", "pact", "--note", "first")
    run(capsys, "add", "poland")
    target = tmp_path / "marks.json"
    code, out, _ = run(capsys, "export", str(target))
    assert code == 0 and out == f"Exported 2 bookmark(s) to {target}\n"
    assert json.loads(target.read_text(encoding="utf-8"))["version"] == 1

    code, out, _ = run(capsys, "import", str(target))
    assert code == 0 and "0 added, 2 skipped" in out

    run(capsys, "remove", "1")
    code, out, _ = run(capsys, "import", str(target))
    assert code == 0 and "1 added, 1 skipped" in out
    assert sorted(r["section"] for r in listed(capsys)) == ["pact", "poland"]


def test_import_reports_bookmarks_of_unknown_sections(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    source = tmp_path / "in.json"
    source.write_text(json.dumps({
        "format": "reference-reader-bookmarks", "version": 1,
        "bookmarks": [{"essay": ESSAY, "section": "vanished", "name": "Old"}],
    }), encoding="utf-8")
    code, out, _ = run(capsys, "import", str(source))
    assert code == 0
    assert "1 added" in out and "not found" in out
    rows = listed(capsys)
    assert [(r["section"], r["found"]) for r in rows] == [("vanished", False)]
    code, out, _ = run(capsys, "list")
    assert "(not found)" in out


def test_malformed_import_exits_1_and_changes_nothing(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    run(capsys, "add", "pact")
    before = listed(capsys)
    source = tmp_path / "bad.json"
    source.write_text('{"format": "reference-reader-bookmarks", "version": 1, '
                      '"bookmarks": [{"essay": "x", "section": "y", "name": "ok"}, 7]}',
                      encoding="utf-8")
    code, out, err = run(capsys, "import", str(source))
    assert code == 1 and out == ""
    assert "bookmark 2 is not an object" in err
    assert listed(capsys) == before


def test_damaged_store_is_reported_and_the_command_still_works(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / STORE_FILE).write_bytes(b"not sqlite" * 100)
    code, out, err = run(capsys, "add", "pact")
    assert code == 0 and "Added bookmark 1" in out
    assert "moved to" in err and f"{STORE_FILE}.damaged-" in err
    aside = [p for p in data.iterdir() if ".damaged-" in p.name]
    assert len(aside) == 1 and aside[0].read_bytes() == b"not sqlite" * 100


def test_main_py_with_data_dir_option(tmp_path: Path) -> None:
    """The real launcher, with the location option after the action."""
    data = tmp_path / "elsewhere"
    result = subprocess.run(
        [sys.executable, "main.py", "bookmarks", "add", "differences", "--data-dir", str(data)],
        cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 0, result.stderr
    with BookmarkStore.open_in(data) as store:
        assert [m.section for m in store.bookmarks()] == ["differences"]
    result = subprocess.run(
        [sys.executable, "main.py", "bookmarks", "add", "nowhere", "--data-dir", str(data)],
        cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 1 and "unknown section: nowhere" in result.stderr


def test_list_works_without_the_content(capsys: pytest.CaptureFixture[str],
                                        tmp_path: Path) -> None:
    run(capsys, "add", "pact")
    code = cli.main(["bookmarks", "list", "--json", "--content", str(tmp_path / "nowhere")])
    captured = capsys.readouterr()
    assert code == 0
    rows = json.loads(captured.out)
    assert [(r["section"], r["found"]) for r in rows] == [("pact", None)]
    assert "content folder not found" in captured.err
