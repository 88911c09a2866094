"""Adding files to the library in a child process, for a window (Qt-free).

Reading, converting and writing the files, loading the library afterwards and
bringing an existing search index up to date are all Python: in a thread of
the window's process they would hold the GIL and stall the window. So the
window starts ``ImportProcess``, which runs ``import_in_child`` in a child
process ("spawn", like the search index build) and talks to it over a pipe.

The window tells the child what it has (``WindowLibrary``: its essays as an
import recognises them, and its problems), so that the child need not read the
whole library before the imported essays can be shown and searched. The child
sends tuples:

* ``("progress", done, total, path)`` before each input,
* ``("result", ImportResult)`` after each input,
* ``("part", bytes)``: a piece of a pickled ``LibraryChange`` (the library less
  the essays the window has already: a library of a thousand essays is 60 MB
  pickled and 150 ms to read back, one new essay is 60 KB),
* ``("library", results)`` once the parts of the first change are sent: the
  imported essays (``first_change``), already in the search index on disk;
  the window shows and searches them from then on,
* then the parts of the whole library's change (loaded from disk, with its
  problems; normally no essay the window lacks) and ``("index", bytes)``: a
  piece of the pickled index of names,
* ``("done", results)`` at the end,
* ``("failed", message)`` when it stops on an error.

The parent reads them without blocking and a few milliseconds at a time
(``receive``), so a large library arrives over several turns of its event
loop, and it may send ``"cancel"``: the child stops before its next input.
The child exits when the window's process is gone
(``reader.core.processes.exit_with_parent``). Each essay is written atomically
(``reader.core.library``): a child that is killed or crashes leaves at most a
temporary folder named with its pid, which ``reap`` removes.
"""

from __future__ import annotations

import logging
import os
import pickle
import time
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reader.core import content, library_import
from reader.core import library as user_library
from reader.core.content import Essay, Library, Problem
from reader.core.paths import Locations

if TYPE_CHECKING:
    from multiprocessing.connection import Connection
    from multiprocessing.process import BaseProcess

    from reader.core.timeline import Event
    from reader.core.xref import Index

log = logging.getLogger(__name__)

CANCEL = "cancel"
Message = tuple[Any, ...]
#: The size of the pieces the new library is sent in.
PART_BYTES = 256 * 1024
#: How long ``receive`` reads at most before it returns (seconds).
RECEIVE_BUDGET = 0.008


def load_library(locations: Locations) -> tuple[Library, Index | None, list[Event]]:
    """The whole library (shipped and imported) and its index of names and events."""
    from reader.core.xref_cache import load_cross_references

    loaded = user_library.load(
        locations.content_dir, user_library.library_dir(locations.data_dir), locations.cache_dir
    )
    index, events = load_cross_references(loaded, locations.cache_dir)
    return loaded, index, events


@dataclass
class LibraryChange:
    """The library after an import, as the window needs it: the essays' ids in order,
    the essays it does not have yet (new, updated, or not in the library it started
    the import with), the problems, the index of names and the events."""

    root: Path
    user_root: Path | None
    order: list[str]
    essays: list[Essay]
    problems: list[Problem]
    index: Index | None
    events: list[Event]

    @classmethod
    def between(
        cls, known: Collection[str], changed: Collection[str], loaded: Library,
        index: Index | None, events: list[Event],
    ) -> LibraryChange:
        """What of ``loaded`` a window that has the essays ``known`` needs, the essays
        ``changed`` (added or updated) being new to it whatever their ids."""
        fresh = [e for e in loaded.essays if e.id in changed or e.id not in known]
        return cls(loaded.root, loaded.user_root, [e.id for e in loaded.essays], fresh,
                   list(loaded.problems), index, events)

    def applied_to(self, before: Library) -> Library:
        """The new library: this change's essays, and ``before``'s for the rest (the
        library the window had when it started the import)."""
        essays = {essay.id: essay for essay in before.essays}
        essays.update((essay.id, essay) for essay in self.essays)
        missing = [essay_id for essay_id in self.order if essay_id not in essays]
        if missing:  # not sent, not had: the change was made for another library
            raise ValueError(f"essays missing from the change: {', '.join(missing)}")
        return Library(self.root, [essays[i] for i in self.order], self.problems,
                       user_root=self.user_root)


def update_index_on_disk(cache_dir: Path, library: Library | LibraryChange) -> None:
    """Bring the search index in ``cache_dir``, if there is one, up to date: with the
    whole ``library``, essay by essay, or with the essays a ``LibraryChange`` brings
    (``storage.update_essays``, which needs no other essay). None is built here (the
    window builds it when it is wanted); a writer busy elsewhere or a failure is
    logged, and the next to open the index brings it up to date."""
    from reader.core.search import INDEX_FOLDER, LockError, update_search_index
    from reader.core.search.storage import update_essays

    if not (cache_dir / INDEX_FOLDER).is_dir():
        return
    try:
        if isinstance(library, LibraryChange):
            if not update_essays(cache_dir, library.order, library.essays):
                log.info("the search index cannot be updated essay by essay here")
        elif message := update_search_index(library, cache_dir):
            log.info("search index: %s", message)
    except LockError:
        log.info("the search index is being written elsewhere; the window updates it")
    except Exception:  # the import itself is done: the index is derived data
        log.exception("cannot update the search index after the import")


@dataclass
class WindowLibrary:
    """What a window tells its import process of the library it shows: its essays, as
    an import recognises them, and its problems with them."""

    essays: list[library_import.Known]
    problems: list[Problem]

    @classmethod
    def of(cls, library: Library) -> WindowLibrary:
        return cls(library_import.describe(library), list(library.problems))

    @property
    def ids(self) -> list[str]:
        return [known.essay_id for known in self.essays]


def first_change(
    locations: Locations, window: WindowLibrary, changed: Collection[str]
) -> LibraryChange:
    """The library right after an import, read no further than the window needs to
    show and search it: the folders listed, the essays the window lacks loaded (the
    ones the import wrote, and any added elsewhere meanwhile), the window's problems
    kept for the others. Links are not checked again and there is no index of names:
    the change of the whole library, loaded afterwards, brings those."""
    have = set(window.ids) - set(changed)
    order: list[str] = []
    fresh: list[Essay] = []
    problems: list[Problem] = []
    folder = user_library.library_dir(locations.data_dir)
    for essay_folder, unusable in content.essay_folders(locations.content_dir, folder):
        name = essay_folder.name
        if unusable is not None or name in order:
            continue  # said by the whole library's change
        if name in have:
            order.append(name)
            continue
        essay, found = content.load_essay(essay_folder, locations.cache_dir)
        if essay is not None:
            order.append(essay.id)
            fresh.append(essay)
            problems += found
    renewed = {essay.id for essay in fresh}
    kept = [p for p in window.problems if p.path.parent.name not in renewed]
    return LibraryChange(locations.content_dir, folder, order, fresh, kept + problems, None, [])


def _send(connection: Connection, kind: str, value: object) -> None:
    """``value`` pickled, in pieces of ``PART_BYTES``, as messages ``(kind, piece)``."""
    payload = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    for start in range(0, len(payload), PART_BYTES):
        connection.send((kind, payload[start:start + PART_BYTES]))


def import_in_child(
    paths: Sequence[str],
    locations: Locations,
    connection: Connection,
    parent_pid: int,
    window: WindowLibrary,
) -> None:
    """Entry point of the import process: import ``paths``, recognising them from what
    the window has (``window``); once they are written, index them and send the window
    ``first_change`` (it shows and searches them from then on); then load the whole
    library for its problems and index of names and send that change, reporting all
    on ``connection``."""
    from reader.core.processes import exit_with_parent

    exit_with_parent(parent_pid)
    stop = False

    def cancelled() -> bool:
        nonlocal stop
        while not stop and connection.poll():
            stop = connection.recv() == CANCEL
        return stop

    try:
        results = library_import.import_paths(
            [Path(p) for p in paths],
            user_library.library_dir(locations.data_dir),
            locations.content_dir,
            progress=lambda done, total, path: connection.send(
                ("progress", done, total, str(path))),
            cancelled=cancelled,
            cache_dir=locations.cache_dir,
            reported=lambda result: connection.send(("result", result)),
            known=window.essays,
        )
        changed = {r.essay_id for r in results if r.ok and r.essay_id}
        if changed:
            first = first_change(locations, window, changed)
            update_index_on_disk(locations.cache_dir, first)
            _send(connection, "part", first)
            connection.send(("library", results))
            library, index, events = load_library(locations)
            update_index_on_disk(locations.cache_dir, library)
            # The window has every essay of the first change now. The index of names
            # apart: at a thousand essays it is 12 MB pickled, read in a turn of its own.
            _send(connection, "part", LibraryChange.between(first.order, (), library, None,
                                                            events))
            _send(connection, "index", index)
        connection.send(("done", results))
    except Exception as exc:  # said to the window, which shows it
        log.exception("the import stopped")
        connection.send(("failed", str(exc) or type(exc).__name__))
        raise SystemExit(1) from None
    finally:
        connection.close()


class ImportProcess:
    """The window's handle on an import running in a child process."""

    def __init__(
        self, paths: Sequence[Path], locations: Locations, window: WindowLibrary | None = None
    ) -> None:
        self.paths = [Path(p) for p in paths]
        self.locations = locations
        #: What the window has (nothing when not given): the child recognises the
        #: inputs from it and sends back only the essays it lacks.
        self.window = window or WindowLibrary([], [])
        self._process: BaseProcess | None = None
        self._connection: Connection | None = None
        #: Whether the pipe was closed from the child's end (it exited or died).
        self.ended = False

    def start(self) -> None:
        import multiprocessing  # here, not at start-up: it costs ~20 ms to import

        context = multiprocessing.get_context("spawn")
        ours, theirs = context.Pipe()
        self._process = context.Process(
            target=import_in_child,
            args=([str(p) for p in self.paths], self.locations, theirs, os.getpid(),
                  self.window),
            name="reader-import",
            daemon=True,  # ended if the window's process exits first
        )
        self._process.start()
        theirs.close()  # ours alone: the child's end closing is then seen as the end
        self._connection = ours

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process is not None else None

    @property
    def exitcode(self) -> int | None:
        """The child's exit code once it has ended, else None."""
        return self._process.exitcode if self._process is not None else None

    def receive(self, budget: float = RECEIVE_BUDGET) -> list[Message]:
        """What the child has sent so far, without waiting for more, and reading for
        about ``budget`` seconds at most (the rest is there for the next call)."""
        messages: list[Message] = []
        connection = self._connection
        if connection is None or self.ended:
            return messages
        end = time.perf_counter() + budget
        try:
            while time.perf_counter() < end and connection.poll():
                messages.append(connection.recv())
        except (EOFError, OSError):
            self.ended = True
        return messages

    def cancel(self) -> None:
        """Ask the child to stop before its next input."""
        if self._connection is not None and not self.ended:
            try:
                self._connection.send(CANCEL)
            except OSError:  # it has ended already
                self.ended = True

    def reap(self, timeout: float | None = None) -> int | None:
        """Wait up to ``timeout`` for the child to end, stopping it if it has not; its
        exit code. What a child that did not finish left in the library is removed."""
        process = self._process
        if process is None:
            return None
        process.join(timeout)
        if process.exitcode is None:
            process.terminate()
            process.join()
        if self._connection is not None:
            self._connection.close()
            self._connection = None
        self.ended = True
        if process.exitcode != 0:
            folder = user_library.library_dir(self.locations.data_dir)
            if folder.is_dir():
                removed = user_library.clean_up(folder)
                if removed:
                    log.info("removed what the import process left: %s", removed)
        return process.exitcode
