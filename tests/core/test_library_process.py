"""The import process a window starts: what it reports, and that it stops when the
window's process is gone, leaving nothing half-written."""

from __future__ import annotations

import pickle
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from reader.core import library
from reader.core.library_process import ImportProcess, LibraryChange, load_library
from reader.core.model import Problem
from reader.core.paths import Locations
from reader.core.search import integrity
from tests import PROJECT_ROOT
from tests.conftest import CONTENT_DIR


def pages(folder: Path, count: int, repeat: int = 20) -> list[Path]:
    folder.mkdir(parents=True)
    paths = []
    for number in range(count):
        path = folder / f"note-{number}.md"
        path.write_text(f"# Beacon Note {number}\n\n" + "The beacons were lit at dusk. " * repeat,
                        "utf-8")
        paths.append(path)
    return paths


def run_to_end(process: ImportProcess) -> list[tuple]:
    """Start ``process``, read what it sends until it is done, and reap it."""
    process.start()
    messages: list[tuple] = []
    deadline = time.monotonic() + 120  # only against a hang
    while not any(m[0] in ("done", "failed") for m in messages):
        assert time.monotonic() < deadline
        messages += process.receive()
        time.sleep(0.01)
    assert process.reap(60) == 0
    return messages


def test_the_import_process_reports_each_file_then_the_library(tmp_path: Path) -> None:
    locations = Locations(CONTENT_DIR, tmp_path / "data", tmp_path / "cache")
    process = ImportProcess(pages(tmp_path / "pages", 2), locations)
    messages = run_to_end(process)
    kinds = [m[0] for m in messages]
    assert kinds[:4] == ["progress", "result", "progress", "result"] and kinds[-1] == "done"
    results = messages[-1][1]
    assert [r.status for r in results] == ["added", "added"]
    change = pickle.loads(b"".join(m[1] for m in messages if m[0] == "part"))
    assert {"beacon-note-0", "beacon-note-1"} <= {essay.id for essay in change.essays}
    names = pickle.loads(b"".join(m[1] for m in messages if m[0] == "index"))
    assert names is not None and names.entry("axis") is not None
    assert {"beacon-note-0", "beacon-note-1", "nazi-soviet-alliance"} <= set(change.order)


def test_only_the_essays_the_window_lacks_come_back(tmp_path: Path) -> None:
    """A window with a large library gets back only the new essays (and the order),
    and puts the library together again from the essays it has."""
    locations = Locations(CONTENT_DIR, tmp_path / "data", tmp_path / "cache")
    before, _, _ = load_library(locations)
    process = ImportProcess(pages(tmp_path / "pages", 2), locations,
                            [essay.id for essay in before.essays])
    messages = run_to_end(process)
    change = pickle.loads(b"".join(m[1] for m in messages if m[0] == "part"))
    assert [essay.id for essay in change.essays] == ["beacon-note-0", "beacon-note-1"]
    after = change.applied_to(before)
    assert [e.id for e in after.essays] == [*(e.id for e in before.essays),
                                            "beacon-note-0", "beacon-note-1"]
    assert after.essay("nazi-soviet-alliance") is before.essay("nazi-soviet-alliance")
    assert after.imported(after.essays[-1]) and not after.imported(after.essays[0])
    again, _, _ = load_library(locations)
    assert [e.id for e in again.essays] == [e.id for e in after.essays]


def test_a_change_for_another_library_is_refused(tmp_path: Path) -> None:
    locations = Locations(CONTENT_DIR, tmp_path / "data", tmp_path / "cache")
    loaded, index, events = load_library(locations)
    change = LibraryChange.between({"nazi-soviet-alliance"}, set(), loaded, index, events)
    assert change.essays == []
    empty = type(loaded)(loaded.root, [], [])
    with pytest.raises(ValueError, match="nazi-soviet-alliance"):
        change.applied_to(empty)


PARENT = """
import os, signal, sys, time
from pathlib import Path
from reader.core.library_process import ImportProcess, LibraryChange, load_library
from reader.core.model import Problem
from reader.core.paths import Locations

content, data, cache, folder = (Path(p) for p in sys.argv[1:5])
process = ImportProcess(sorted(folder.iterdir()), Locations(content, data, cache))
process.start()
while not any(m[0] == "result" for m in process.receive()):
    time.sleep(0.01)
print(process.pid, flush=True)
os.kill(os.getpid(), signal.SIGKILL)
"""


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")
def test_the_import_process_stops_when_the_window_is_killed(tmp_path: Path) -> None:
    pages(tmp_path / "pages", 80, repeat=400)
    data = tmp_path / "data"
    parent = subprocess.run(
        [sys.executable, "-c", PARENT, str(CONTENT_DIR), str(data), str(tmp_path / "cache"),
         str(tmp_path / "pages")],
        capture_output=True, text=True, timeout=120, cwd=PROJECT_ROOT)
    assert parent.returncode == -signal.SIGKILL, parent.stderr
    child = int(parent.stdout.split()[0])
    deadline = time.monotonic() + 15
    while integrity.process_alive(child) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not integrity.process_alive(child)
    # It stopped part-way; whatever it was writing is cleaned up by the next import.
    folder = library.library_dir(data)
    essays = [p for p in folder.iterdir() if not p.name.startswith(".")]
    assert 1 <= len(essays) < 80
    library.clean_up(folder)
    assert not [p for p in folder.iterdir() if p.name.startswith(".") and p.name != ".lock"]


def test_the_windows_problems_stand_for_the_essays_it_has(tmp_path: Path) -> None:
    """The window sends its problems with the essays it has (their figure files were
    checked when it loaded them): they come back as they were, not checked again; the
    new essays' problems are found by the import process."""
    locations = Locations(CONTENT_DIR, tmp_path / "data", tmp_path / "cache")
    before, _, _ = load_library(locations)
    told = Problem(CONTENT_DIR / "nazi-soviet-alliance" / "essay.md", 7, "a problem told")
    folder = tmp_path / "pages"
    folder.mkdir()
    (folder / "plate.md").write_text(
        "# Lamp Plate\n\nThe lamp plate was cast in brass and set above the door, as "
        "[the plan](#nowhere) shows.\n", "utf-8")
    process = ImportProcess([folder / "plate.md"], locations,
                            [essay.id for essay in before.essays], [*before.problems, told])
    messages = run_to_end(process)
    change = pickle.loads(b"".join(m[1] for m in messages if m[0] == "part"))
    assert told in change.problems
    from_disk, _, _ = load_library(locations)
    assert sorted(map(str, change.problems)) == sorted(map(str, [*from_disk.problems, told]))
