"""Adding files from the window runs in a child process: Cancel leaves nothing
half-written, a child that dies is reported and the window goes on, and the open
search index finds the new essay as soon as the import is over."""

from __future__ import annotations

import os
import signal
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QPushButton

from reader.core import library
from reader.core.paths import Locations
from reader.ui.import_worker import ImportTask
from reader.ui.library_feature import LibraryFeature
from reader.ui.main_window import MainWindow
from tests.conftest import ESSAY_ID, SOURCE_TEXT
from tests.ui.conftest import WindowFactory
from tests.ui.test_library_window import (
    close_summary,
    drop_files,
    feature,
    wait_for_summary,
    write_pages,
)


def many_pages(folder: Path, count: int = 60) -> list[Path]:
    folder.mkdir()
    paths = []
    for number in range(count):
        path = folder / f"page-{number}.md"
        path.write_text(
            f"# Coastal Note {number}\n\n" + f"Note {number} on the beacons and the tides. " * 200,
            "utf-8",
        )
        paths.append(path)
    return paths


def library_entries(locations: Locations) -> set[str]:
    folder = library.library_dir(locations.data_dir)
    return {p.name for p in folder.iterdir() if p.name != ".lock"}


def importing_many(
    qtbot, make_window: WindowFactory, tmp_path: Path
) -> tuple[MainWindow, LibraryFeature, list[Path]]:
    """A window importing sixty dropped pages, two of them read already."""
    paths = many_pages(tmp_path / "many")
    window = make_window()
    drop_files(window, paths)
    part = feature(window)
    qtbot.waitUntil(lambda: part.progress.value() >= 2, timeout=30000)
    return window, part, paths


def test_cancel_leaves_only_the_essays_it_reports_added(
    qtbot, make_window: WindowFactory, locations: Locations, tmp_path: Path
) -> None:
    window, part, paths = importing_many(qtbot, make_window, tmp_path)
    cancel = window.findChild(QPushButton, "import_cancel")
    assert cancel is not None
    qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)
    box = wait_for_summary(qtbot, window)
    outcome = part.last_outcome
    assert outcome is not None and not outcome.error
    added = [r.essay_id for r in outcome.results if r.status == "added"]
    assert "cancelled" in [r.status for r in outcome.results] and len(added) >= 2
    # Exactly the essays reported added were written: no temporary folder, no more.
    assert library_entries(locations) == set(added)
    qtbot.waitUntil(lambda: len(window.library.essays) == 1 + len(added))
    # Sixty files: the summary counts them and lists each under Show Details.
    assert f"Added: {len(added)}" in box.text() and "Show Details" in box.text()
    assert len(box.detailedText().splitlines()) == len(paths)
    close_summary(qtbot, box)


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")
def test_an_import_process_that_dies_is_reported_and_the_window_goes_on(
    qtbot, make_window: WindowFactory, locations: Locations, tmp_path: Path
) -> None:
    window, part, paths = importing_many(qtbot, make_window, tmp_path)
    assert part.task is not None and part.task.process.pid is not None
    os.kill(part.task.process.pid, signal.SIGKILL)
    box = wait_for_summary(qtbot, window)
    assert "ended unexpectedly" in box.text()
    outcome = part.last_outcome
    assert outcome is not None and outcome.error
    added = [r.essay_id for r in outcome.results if r.ok]
    assert len(added) >= 2 and len(outcome.results) == len(paths)
    # Nothing half-written is left: every folder is a whole essay, and the window
    # shows them all (one may have been written after the last report).
    written = library_entries(locations)
    assert set(added) <= written and not any(name.startswith(".") for name in written)
    qtbot.waitUntil(lambda: {e.id for e in window.library.essays} == {ESSAY_ID, *written})
    assert not part.progress.isVisible()
    close_summary(qtbot, box)
    qtbot.waitUntil(lambda: part.summary is None)
    # The window goes on: the next file dropped is imported and opens.
    pages = write_pages(tmp_path / "pages")
    drop_files(window, [pages["markdown"]])
    box = wait_for_summary(qtbot, window)
    assert "1 of 1 file added" in box.text()
    qtbot.waitUntil(lambda: window.current_essay is not None
                    and window.current_essay.id == "lighthouse-keepers")
    close_summary(qtbot, box)


def test_an_open_search_index_finds_the_new_essay_once_the_import_is_over(
    qtbot, make_window: WindowFactory, tmp_path: Path
) -> None:
    pages = write_pages(tmp_path / "pages")
    window = make_window()
    panel = window.search.panel
    panel.prepare()
    qtbot.waitUntil(lambda: panel.is_ready, timeout=30000)
    panel.field.setFocus()
    qtbot.keyClicks(panel.field, "wicks")
    qtbot.waitUntil(lambda: panel.results is not None, timeout=5000)
    assert panel.results is not None and not panel.results.hits
    drop_files(window, [pages["markdown"]])
    box = wait_for_summary(qtbot, window)
    assert "Lighthouse Keepers" in window.section_tree.essay_titles()
    # The search shown is run again over the new library, and finds the new essay.
    qtbot.waitUntil(lambda: panel.results is not None and bool(panel.results.hits), timeout=5000)
    assert {hit.document for hit in panel.results.hits} == {"lighthouse-keepers"}
    close_summary(qtbot, box)


def dropping_a_page(window: MainWindow, tmp_path: Path) -> tuple[LibraryFeature, ImportTask]:
    """The Markdown page of ``write_pages`` dropped on ``window``: the Library feature
    and its import, under way."""
    pages = write_pages(tmp_path / "pages")
    drop_files(window, [pages["markdown"]])
    part = feature(window)
    assert part.task is not None
    return part, part.task


def test_the_imported_essay_is_shown_and_searchable_before_the_rest_of_the_library(
    qtbot, make_window: WindowFactory, locations: Locations, tmp_path: Path
) -> None:
    """The window is sent the imported essays, already in the search index on disk, as
    soon as they are written; the index of names and the problems of the whole
    library follow, in the same essay objects."""
    from reader.core.search.storage import Store

    window = make_window()
    window.search.panel.prepare()  # the search index is on disk
    qtbot.waitUntil(lambda: window.search.panel.is_ready, timeout=30000)
    _, task = dropping_a_page(window, tmp_path)
    seen: list[tuple[str, object]] = []
    task.arrived.connect(lambda outcome: seen.append((
        "arrived", outcome.library,
        Store(outcome.library, locations.cache_dir).is_current(),
    )))
    task.finished.connect(lambda outcome: seen.append(("finished", outcome.library, None)))
    close_summary(qtbot, wait_for_summary(qtbot, window))
    assert [kind for kind, _, _ in seen] == ["arrived", "finished"]
    (_, early, indexed), (_, final, _) = seen
    assert isinstance(early, library.Library) and isinstance(final, library.Library)
    assert early.essay("lighthouse-keepers") is not None and indexed
    assert all(a is b for a, b in zip(early.essays, final.essays, strict=True))
    assert window.library is final


def test_a_whole_library_that_comes_before_the_early_one_is_shown_still_opens_the_essay(
    qtbot, make_window: WindowFactory, tmp_path: Path
) -> None:
    """The whole library can arrive while the window is still taking in the imported
    essays (a small library loads fast): its update replaces that one, and still
    opens the first essay added and shows the summary."""
    from reader.ui.import_worker import ImportOutcome

    window = make_window()
    part, task = dropping_a_page(window, tmp_path)
    task.finished.disconnect(part._on_finished)  # said once, below, at the worst moment

    def whole_library_at_once(early: ImportOutcome) -> None:
        part._on_finished(ImportOutcome(early.results, early.library))

    task.arrived.connect(whole_library_at_once)  # after the feature's own slot
    box = wait_for_summary(qtbot, window)
    assert window.current_essay is not None and window.current_essay.id == "lighthouse-keepers"
    assert part.last_outcome is not None and part.last_outcome.changed == ["lighthouse-keepers"]
    close_summary(qtbot, box)


def test_closing_the_window_while_the_library_is_taken_in_stops_there(
    qtbot, make_window: WindowFactory, tmp_path: Path
) -> None:
    """The window closes as the imported essays arrive (their update under way, the
    rest of the library still being read): nothing runs on after the close, against
    the closed bookmarks database, and the import process is ended."""
    window = make_window()
    part, task = dropping_a_page(window, tmp_path)
    closed: list[bool] = []

    def close_now(_outcome: object) -> None:  # after the feature's own slot
        closed.append(window.close())

    task.arrived.connect(close_now)
    qtbot.waitUntil(lambda: bool(closed), timeout=30000)
    assert closed == [True] and window.closed
    qtbot.wait(300)  # the update's turns would come now (errors fail the test)
    assert not window.findChildren(QObject, "library_update")
    assert task.process.exitcode is not None  # ended, not left running
    assert part.summary is None


def test_files_dropped_while_the_library_is_read_again_follow_it(
    qtbot, make_window: WindowFactory, tmp_path: Path
) -> None:
    """Once an import's essays are shown it goes on reading the rest of the library;
    files dropped meanwhile are not refused: they are added when it is done."""
    window = make_window()
    part, task = dropping_a_page(window, tmp_path)
    pages = write_pages(tmp_path / "pages")
    dropped: list[str] = []

    def drop_more(_outcome: object) -> None:  # the summary is up, the task still runs
        assert part.task is task
        drop_files(window, [pages["html"]])
        dropped.append(window.statusBar().currentMessage())

    task.arrived.connect(drop_more)  # after the feature's own slot
    qtbot.waitUntil(lambda: bool(dropped), timeout=30000)
    assert "will be added in a moment" in dropped[0]
    qtbot.waitUntil(lambda: part.task is not None and part.task is not task, timeout=30000)
    box = wait_for_summary(qtbot, window)
    assert "1 of 1 file added" in box.text() and "Tide Tables" in box.text()
    assert {"lighthouse-keepers", "tide-tables"} <= {e.id for e in window.library.essays}
    close_summary(qtbot, box)


def test_the_shipped_essay_dropped_again_is_recognised_from_what_the_window_has(
    qtbot, make_window: WindowFactory, locations: Locations
) -> None:
    """The import process recognises a page from the window's description of its
    library: the source capture of the shipped essay is not added a second time."""
    window = make_window()
    drop_files(window, [SOURCE_TEXT])
    box = wait_for_summary(qtbot, window)
    outcome = feature(window).last_outcome
    assert outcome is not None and [r.status for r in outcome.results] == ["exists"]
    assert "Already in the library" in box.text()
    assert [e.id for e in window.library.essays] == [ESSAY_ID]
    folder = library.library_dir(locations.data_dir)
    assert not folder.exists() or library_entries(locations) == set()
    close_summary(qtbot, box)


def test_a_library_that_cannot_be_taken_in_is_loaded_from_disk(
    qtbot, make_window: WindowFactory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What the import process sends back cannot be read (say, it was made for
    another library): the import is done all the same, and the window loads the
    library from the folder instead, with the new essay in it."""
    from reader.core.library_process import LibraryChange

    def refuse(self: LibraryChange, before: object) -> object:
        raise ValueError("essays missing from the change: somebody-else")

    monkeypatch.setattr(LibraryChange, "applied_to", refuse)
    pages = write_pages(tmp_path / "pages")
    window = make_window()
    drop_files(window, [pages["markdown"]])
    close_summary(qtbot, wait_for_summary(qtbot, window))
    outcome = feature(window).last_outcome
    assert outcome is not None and outcome.reload and not outcome.error
    added = outcome.changed
    essay = window.library.essay(added[0]) if added else None
    assert essay is not None and essay.sections
    tree = window.section_tree
    qtbot.waitUntil(lambda: tree.item_for(essay.id, essay.sections[0].id) is not None)
