"""A hostile or damaged search index: bytes overwritten inside a segment, a build
killed half-way. The damage is found when the index is opened and repaired."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from reader.core import search
from reader.core.content import Library
from reader.core.search import integrity, storage
from tests import PROJECT_ROOT


def _hits(index: search.SearchIndex, word: str) -> set[str]:
    return {hit.section for hit in index.search(word).hits}


def test_bytes_overwritten_inside_a_segment_are_found_and_repaired(
    library: Library, tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    built = search.SearchIndex(library, cache)
    assert built.open() == ""
    expected = _hits(built, "Japan")
    assert len(expected) >= 3
    built.close()
    largest = max((p for p in (cache / "search").iterdir() if p.name != search.SIDECAR),
                  key=lambda p: p.stat().st_size)
    size = largest.stat().st_size
    assert size > 8192
    with largest.open("r+b") as handle:
        handle.seek(size // 2 - 2048)
        handle.write(b"\x00" * 4096)

    repaired = search.SearchIndex(library, cache)
    message = repaired.open()
    assert "damaged" in message and "rebuilt" in message
    assert _hits(repaired, "Japan") == expected
    assert len(list(cache.glob("search.damaged-*"))) == 1
    repaired.close()
    assert search.SearchIndex(library, cache).open() == ""


def test_a_sidecar_naming_a_missing_index_file_means_a_rebuild(
    library: Library, tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    built = search.SearchIndex(library, cache)
    built.open()
    built.close()
    checksums = storage.file_checksums(cache / "search")
    assert checksums
    (cache / "search" / next(iter(checksums))).unlink()
    repaired = search.SearchIndex(library, cache)
    assert "rebuilt" in repaired.open()
    assert _hits(repaired, "Japan")
    repaired.close()


def test_a_building_folder_left_by_a_dead_process_is_removed_on_open(
    library: Library, tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    cache.mkdir()
    # A process that has exited: its pid is not in use until the system wraps round.
    child = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                           capture_output=True, text=True, check=True, timeout=60)
    stale = cache / f"search.building-{int(child.stdout)}"
    stale.mkdir()
    (stale / "_MAIN_1.toc").write_bytes(b"half written")
    ours = cache / f"search.building-{os.getpid()}-other"
    ours.mkdir()
    index = search.SearchIndex(library, cache)
    index.open()
    assert not stale.exists()
    assert ours.exists()  # not a pid: not a folder this code made
    assert _hits(index, "Japan")
    index.close()


PARENT = """
import os, signal, sys
from pathlib import Path
from reader.core.content import load_library
from reader.core.search import storage
from tests import PROJECT_ROOT

content, cache = Path(sys.argv[1]), Path(sys.argv[2])
library = load_library(content)

def progress(done, total):
    import multiprocessing
    print(*[child.pid for child in multiprocessing.active_children()], flush=True)
    os.kill(os.getpid(), signal.SIGKILL)

storage.build_in_child_process(library, cache, progress)
"""


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL and /proc")
def test_the_build_process_stops_when_the_window_is_killed(tmp_path: Path) -> None:
    content = tmp_path / "content"
    (content / "long").mkdir(parents=True)
    (content / "long" / "essay.md").write_text(
        "---\ntitle: Long\n---\n\n" + "".join(
            f"## Part {n} {{#part-{n}}}\n\nAnchor words about harbours number {n}.\n\n"
            for n in range(1500)),
        encoding="utf-8")
    cache = tmp_path / "cache"
    parent = subprocess.run(
        [sys.executable, "-c", PARENT, str(content), str(cache)],
        capture_output=True, text=True, timeout=120, cwd=PROJECT_ROOT)
    assert parent.returncode == -signal.SIGKILL, parent.stderr
    pids = [int(word) for word in parent.stdout.split()]
    assert len(pids) == 1
    deadline = time.monotonic() + 15
    while integrity.process_alive(pids[0]) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not integrity.process_alive(pids[0])
    # It stopped half-way: no index was finished, and its folder is cleaned up next time.
    assert not (cache / "search").exists()
    assert list(cache.glob("search.building-*"))
    storage.remove_stale_builds(cache)
    assert not list(cache.glob("search.building-*"))
