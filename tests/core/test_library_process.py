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
from reader.core.library_process import (
    ImportProcess,
    LibraryChange,
    WindowLibrary,
    load_library,
)
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
    change, _ = changes(messages)  # a window with nothing: the first change has it all
    assert {"beacon-note-0", "beacon-note-1"} <= {essay.id for essay in change.essays}
    names = pickle.loads(b"".join(m[1] for m in messages if m[0] == "index"))
    assert names is not None and names.entry("axis") is not None
    assert {"beacon-note-0", "beacon-note-1", "nazi-soviet-alliance"} <= set(change.order)


def changes(messages: list[tuple]) -> list[LibraryChange]:
    """The library changes the import process sent: the first, when it sent one (up to
    the "library" mark), then the whole library's."""
    found, parts = [], []
    for message in messages:
        if message[0] == "part":
            parts.append(message[1])
        elif message[0] == "library" or (message[0] == "done" and parts):
            found.append(pickle.loads(b"".join(parts)))
            parts = []
    return found


def test_only_the_essays_the_window_lacks_come_back(tmp_path: Path) -> None:
    """A window with a large library gets back only the new essays (and the order),
    and puts the library together again from the essays it has: first the imported
    essays, then the whole library's problems, which bring no essay again."""
    locations = Locations(CONTENT_DIR, tmp_path / "data", tmp_path / "cache")
    before, _, _ = load_library(locations)
    process = ImportProcess(pages(tmp_path / "pages", 2), locations, WindowLibrary.of(before))
    messages = run_to_end(process)
    kinds = [m[0] for m in messages]
    assert kinds.index("library") < kinds.index("index") < kinds.index("done")
    first, whole = changes(messages)
    assert [essay.id for essay in first.essays] == ["beacon-note-0", "beacon-note-1"]
    shown = first.applied_to(before)
    assert [e.id for e in shown.essays] == [*(e.id for e in before.essays),
                                            "beacon-note-0", "beacon-note-1"]
    assert shown.essay("nazi-soviet-alliance") is before.essay("nazi-soviet-alliance")
    assert shown.imported(shown.essays[-1]) and not shown.imported(shown.essays[0])
    assert whole.essays == []
    after = whole.applied_to(shown)
    assert all(a is b for a, b in zip(after.essays, shown.essays, strict=True))
    again, _, _ = load_library(locations)
    assert [e.id for e in again.essays] == [e.id for e in after.essays]
    assert sorted(map(str, after.problems)) == sorted(map(str, again.problems))


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
from reader.core.library_process import (
    ImportProcess,
    LibraryChange,
    WindowLibrary,
    load_library,
)
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


def test_the_first_change_keeps_the_windows_problems(tmp_path: Path) -> None:
    """The first change keeps the window's problems with the essays it has (their files
    are not read again for it) and adds the new essays' own; the whole library's
    change that follows has the problems as they are on disk."""
    locations = Locations(CONTENT_DIR, tmp_path / "data", tmp_path / "cache")
    before, _, _ = load_library(locations)
    told = Problem(CONTENT_DIR / "nazi-soviet-alliance" / "essay.md", 7, "a problem told")
    window = WindowLibrary.of(before)
    window.problems.append(told)
    folder = tmp_path / "pages"
    folder.mkdir()
    (folder / "plate.md").write_text(
        "# Lamp Plate\n\nThe lamp plate was cast in brass and set above the door, as "
        "[the plan](#nowhere) shows.\n", "utf-8")
    first, whole = changes(run_to_end(ImportProcess([folder / "plate.md"], locations, window)))
    assert told in first.problems and told not in whole.problems
    from_disk, _, _ = load_library(locations)
    assert sorted(map(str, whole.problems)) == sorted(map(str, from_disk.problems))


def test_the_search_index_has_the_essays_of_the_first_change(tmp_path: Path) -> None:
    """The search index on disk is brought up to date essay by essay before the window
    is sent the first change, without loading the whole library."""
    from reader.core.search import SearchIndex
    from reader.core.search.storage import Store

    locations = Locations(CONTENT_DIR, tmp_path / "data", tmp_path / "cache")
    before, _, _ = load_library(locations)
    index = SearchIndex(before, locations.cache_dir)
    index.open()
    index.close()
    process = ImportProcess(pages(tmp_path / "pages", 1), locations, WindowLibrary.of(before))
    messages = []
    process.start()
    deadline = time.monotonic() + 120
    while "library" not in [m[0] for m in messages]:
        assert time.monotonic() < deadline and not process.ended
        messages += process.receive()
        time.sleep(0.01)
    [first] = changes(messages)
    shown = first.applied_to(before)
    assert Store(shown, locations.cache_dir).is_current()  # written, not left to the window
    reopened = SearchIndex(shown, locations.cache_dir)
    reopened.open()
    hits = reopened.search("beacons dusk").hits
    assert {hit.document for hit in hits} == {"beacon-note-0"}
    reopened.close()
    process.reap(60)
