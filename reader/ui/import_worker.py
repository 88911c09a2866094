"""Work for the library off the GUI thread: importing files, and bringing the search
index up to date afterwards.

The core is Qt-free and calls plain callbacks; here they become signals, which
Qt delivers on the GUI thread. An import also loads the new library and its
index of names in the worker, so the window only has to show them.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QThread, Signal, Slot

from reader.core import library as user_library
from reader.core.content import Library
from reader.core.paths import Locations

if TYPE_CHECKING:
    from reader.core.search import SearchIndex
    from reader.core.timeline import Event
    from reader.core.xref import Index


@dataclass
class ImportOutcome:
    """What an import did, and the library as it is now (None if it could not be loaded)."""

    results: list[user_library.ImportResult] = field(default_factory=list)
    library: Library | None = None
    xref_index: Index | None = None
    events: list[Event] = field(default_factory=list)
    #: Why the import stopped, when it failed as a whole.
    error: str = ""

    @property
    def changed(self) -> list[str]:
        """The ids of the essays added or updated, in the order of the inputs."""
        return [r.essay_id for r in self.results if r.ok and r.essay_id]


def load_library(locations: Locations) -> tuple[Library, Index | None, list[Event]]:
    """The whole library (shipped and imported) and its index of names and events."""
    from reader.core.xref_cache import load_cross_references

    loaded = user_library.load(
        locations.content_dir, user_library.library_dir(locations.data_dir), locations.cache_dir
    )
    index, events = load_cross_references(loaded, locations.cache_dir)
    return loaded, index, events


def import_files(
    paths: Sequence[Path],
    locations: Locations,
    progress: user_library.Progress | None = None,
    cancelled: user_library.Cancelled | None = None,
) -> ImportOutcome:
    """Import ``paths`` into the user's library, then load the library as it is now."""
    results = user_library.import_paths(
        list(paths),
        user_library.library_dir(locations.data_dir),
        locations.content_dir,
        progress=progress,
        cancelled=cancelled,
        cache_dir=locations.cache_dir,
    )
    outcome = ImportOutcome(results)
    if any(r.ok for r in results):
        outcome.library, outcome.xref_index, outcome.events = load_library(locations)
    return outcome


def refresh_search_index(index: SearchIndex, old: Library, new: Library) -> SearchIndex:
    """The search index made current for ``new``: only the essays that changed since
    ``old`` are indexed again, never the whole library."""
    before = {essay.id: essay for essay in old.essays}
    for essay in new.essays:
        if before.pop(essay.id, None) != essay:
            index.update_essay(essay)
    for gone in before:
        index.remove_essay(gone)
    return index


class _Worker(QObject):
    """Lives in the worker thread; its signals reach the Task on the GUI thread queued."""

    progress = Signal(int, int, str)
    finished = Signal(object)
    failed = Signal(str)

    def __init__(self, work: Callable[..., Any], stop: threading.Event) -> None:
        super().__init__()
        self._work = work
        self._stop = stop

    def _report(self, done: int, total: int, path: Path) -> None:
        self.progress.emit(done, total, str(path))

    @Slot()
    def run(self) -> None:
        try:
            result = self._work(self._report, self._stop.is_set)
        except Exception as exc:  # a worker must never die silently
            self.failed.emit(str(exc) or type(exc).__name__)
            return
        self.finished.emit(result)


class Task(QObject):
    """Runs ``work(progress, cancelled)`` in a thread of its own. The Task lives on the
    GUI thread: its signals (progress, the result) are emitted there, so plain Python
    callables connected to them run on the GUI thread too."""

    progress = Signal(int, int, str)  # done, total, the input being read
    finished = Signal(object)  # what ``work`` returned
    failed = Signal(str)

    def __init__(self, work: Callable[..., Any], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._stop = threading.Event()
        self._worker = _Worker(work, self._stop)
        self.worker_thread = QThread(self)
        self._worker.moveToThread(self.worker_thread)
        self.worker_thread.started.connect(self._worker.run)
        self._worker.progress.connect(self._on_progress)
        self._worker.finished.connect(self._on_finished)
        self._worker.failed.connect(self._on_failed)

    def start(self) -> None:
        self.worker_thread.start()

    def cancel(self) -> None:
        """Ask the work to stop before its next input."""
        self._stop.set()

    @property
    def cancelled(self) -> bool:
        return self._stop.is_set()

    def wait(self) -> None:
        self.worker_thread.quit()
        self.worker_thread.wait()

    @Slot(int, int, str)
    def _on_progress(self, done: int, total: int, path: str) -> None:
        self.progress.emit(done, total, path)

    @Slot(object)
    def _on_finished(self, result: object) -> None:
        self.wait()
        self.finished.emit(result)

    @Slot(str)
    def _on_failed(self, message: str) -> None:
        self.wait()
        self.failed.emit(message)
