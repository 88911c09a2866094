"""Work for the library off the GUI thread: importing files (in a child process), and
bringing the search index up to date afterwards.

``ImportTask`` runs an import in a child process (``reader.core.library_process``):
reading, converting and writing the files, loading the new library and its
index of names, and updating the search index on disk. A thread would not do:
it holds the GIL while it parses, and the window's event loop waits for it. The
child's reports are read from a pipe by a QTimer on the GUI thread, a few at a
time and never blocking; they become the task's signals.

``Task`` runs a callable in a QThread, for short work such as taking the new
library into the open search index (``refresh_search_index``).
"""

from __future__ import annotations

import gc
import logging
import pickle
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QThread, QTimer, Signal, Slot

from reader.core import library as user_library
from reader.core.content import Library
from reader.core.library_process import ImportProcess, LibraryChange, Message, WindowLibrary
from reader.core.library_process import load_library as load_library
from reader.core.paths import Locations
from reader.ui.library_update import NEXT_TURN_MS

if TYPE_CHECKING:
    from reader.core.search import SearchIndex
    from reader.core.timeline import Event
    from reader.core.xref import Index

log = logging.getLogger(__name__)

#: How often the GUI thread looks at the import process's pipe.
POLL_MS = 20


@dataclass
class ImportOutcome:
    """What an import did, and the library as it is now (None if it could not be loaded)."""

    results: list[user_library.ImportResult] = field(default_factory=list)
    library: Library | None = None
    xref_index: Index | None = None
    events: list[Event] = field(default_factory=list)
    #: Why the import stopped, when it failed as a whole.
    error: str = ""
    #: The library has to be loaded again from disk (what the import process sent
    #: back could not be taken in; the import itself is done).
    reload: bool = False

    @property
    def changed(self) -> list[str]:
        """The ids of the essays added or updated, in the order of the inputs."""
        return [r.essay_id for r in self.results if r.ok and r.essay_id]


def stopped_message(exitcode: int | None) -> str:
    """Why an import process that never reported its end stopped, in words."""
    how = f"signal {-exitcode}" if exitcode is not None and exitcode < 0 else (
        f"exit code {exitcode}")
    return (f"the import process ended unexpectedly ({how}). Nothing was left half-written; "
            "the files added before it stopped are in the library.")


def unpickle(parts: list[bytes]) -> Any:
    """The object pickled in ``parts``, read without the garbage collector: the many
    objects of a library would otherwise set off collections half-way (tens of ms).
    They live as long as the library, so they are then moved out of the collector's
    way (``gc.freeze``): a full collection over a thousand essays' objects stalls the
    window for 50 ms and more, and would find nothing to free in them."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        loaded = pickle.loads(b"".join(parts))
        gc.freeze()
        return loaded
    finally:
        if enabled:
            gc.enable()


class ImportTask(QObject):
    """An import in a child process, watched from the GUI thread.

    ``progress(done, total, path)`` as the child reads each input; ``arrived(outcome)``
    when the imported essays are written and indexed (``outcome.library`` is the
    window's library with them, its index of names and problems not yet brought up
    to date); ``finished(outcome)`` once, at the end, whether the child finished, was
    cancelled or failed (then ``outcome.error`` says why and ``outcome.library`` is
    None). The task then waits for the child to exit without blocking, and deletes
    itself.
    """

    progress = Signal(int, int, str)  # done, total, the input being read
    #: The library with the imported essays, before the index of names and the
    #: problems of the whole library (an ImportOutcome with every result).
    arrived = Signal(object)
    finished = Signal(object)  # an ImportOutcome

    def __init__(
        self,
        paths: Sequence[Path],
        locations: Locations,
        parent: QObject | None = None,
        library: Library | None = None,
    ) -> None:
        super().__init__(parent)
        #: The library the window has now: the child sends back only what it lacks.
        self._before = library or Library(locations.content_dir, [], [])
        self.process = ImportProcess(paths, locations, WindowLibrary.of(self._before))
        self._results: list[user_library.ImportResult] = []
        self._parts: list[bytes] = []
        #: The parts of the first change (the imported essays), until taken in.
        self._first_parts: list[bytes] = []
        self._first_results: list[user_library.ImportResult] = []
        self._index_parts: list[bytes] = []
        self._outcome: ImportOutcome | None = None
        self._emitted = False
        self._stopped = False
        self._error = ""
        self._cancelled = False
        self._timer = QTimer(self)
        self._timer.setInterval(POLL_MS)
        self._timer.timeout.connect(self._poll)

    def start(self) -> None:
        self.process.start()
        self._timer.start()

    def cancel(self) -> None:
        """Ask the child to stop before its next input."""
        self._cancelled = True
        self.process.cancel()

    @property
    def cancelled(self) -> bool:
        return self._cancelled

    @property
    def done(self) -> bool:
        """Whether ``finished`` was emitted."""
        return self._outcome is not None

    def stop(self, timeout: float = 10.0) -> None:
        """Cancel and wait (up to ``timeout`` s) for the child, then stop it (the window
        is closing). Nothing is emitted after this."""
        self._timer.stop()
        self._stopped = True  # a turn already asked for says nothing either
        self.cancel()
        self.process.reap(timeout)

    @Slot()
    def _poll(self) -> None:
        if self._outcome is not None:  # said in an earlier turn: wait for the exit
            if self._emitted and self.process.exitcode is not None:
                self._timer.stop()
                self.process.reap(0)
                self.deleteLater()
            return
        for message in self.process.receive():
            self._handle(message)
        if self._outcome is None and self.process.exitcode is not None:
            for message in self.process.receive(budget=60.0):  # all it sent before
                self._handle(message)
            if self._outcome is None:
                self._fail(self._error or stopped_message(self.process.reap(0)))
        if self._outcome is not None:
            # Each in a turn of its own: this one read from the pipe.
            QTimer.singleShot(NEXT_TURN_MS, self, self._take_library)

    @Slot()
    def _take_first(self) -> None:
        """The essays imported, in the window's library (``library_process.first_change``)."""
        parts, self._first_parts = self._first_parts, []
        if not parts or self._stopped:
            return
        try:
            change: LibraryChange = unpickle(parts)
            library = change.applied_to(self._before)
        except Exception:  # the whole library's change follows: the window waits for it
            log.exception("the essays the import process sent could not be taken in")
            return
        self._before = library
        self.arrived.emit(ImportOutcome(self._first_results, library))

    @Slot()
    def _take_library(self) -> None:
        self._take_first()  # if its turn has not come yet: the change below is on top of it
        outcome = self._outcome
        if outcome is not None and self._parts:
            try:
                change: LibraryChange = unpickle(self._parts)
                outcome.library = change.applied_to(self._before)
                outcome.events = change.events
            except Exception:  # what was imported is on disk: the window loads it then
                log.exception("the library the import process sent could not be taken in")
                outcome.reload = True
            self._parts.clear()
        QTimer.singleShot(NEXT_TURN_MS, self, self._take_index)

    @Slot()
    def _take_index(self) -> None:
        outcome = self._outcome
        if outcome is not None and self._index_parts and not outcome.reload:
            try:
                outcome.xref_index = unpickle(self._index_parts)
            except Exception:
                log.exception("the index of names the import process sent could not be read")
                outcome.library, outcome.reload = None, True
        self._index_parts.clear()
        QTimer.singleShot(NEXT_TURN_MS, self, self._emit_finished)

    @Slot()
    def _emit_finished(self) -> None:
        self._emitted = True
        if not self._stopped:
            self.finished.emit(self._outcome)

    def _handle(self, message: Message) -> None:
        kind = message[0]
        if kind == "progress":
            self.progress.emit(*message[1:])
        elif kind == "result":
            self._results.append(message[1])
        elif kind == "part":
            self._parts.append(message[1])
        elif kind == "library":  # the parts so far are the first change
            self._first_parts, self._parts = self._parts, []
            self._first_results = list(message[1])
            QTimer.singleShot(NEXT_TURN_MS, self, self._take_first)
        elif kind == "index":
            self._index_parts.append(message[1])
        elif kind == "done":
            self._outcome = ImportOutcome(list(message[1]))
        elif kind == "failed":
            self._error = str(message[1])

    def _fail(self, reason: str) -> None:
        results = list(self._results)
        for path in self.process.paths[len(results):]:
            results.append(user_library.ImportResult(
                path, "cancelled", reason="the import stopped before it said what became of it"))
        self._outcome = ImportOutcome(results, error=f"The import stopped: {reason}")


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
