"""The index on disk: what it is built from, building it, opening it, repairing it.

One index document per section: the essay id, the section id, the title and the
body as the reader sees it (the figure caption included). Words spelt
differently in the original reading of the essay's corrections are indexed too,
so a search finds the text in either reading.

The index lives in ``<cache>/search``, keyed by ``fingerprint``: a hash of the
content and of the code that turns it into index terms (``reader.core.derived``),
kept in a sidecar JSON file beside the index files, with one fingerprint per
essay. An up-to-date index opens as it is. When only some essays changed (one
imported, updated or removed), only their documents are deleted and written
again, in one writer transaction (``Store.apply``); other code, or a sidecar
without per-essay fingerprints, means a rebuild. A damaged index (whatever
fails the health check: open, searcher, one probe query, the sidecar's document
count, and a checksum of every index file recorded in the sidecar, since whoosh
has none and reads overwritten bytes without complaint) is set aside and
rebuilt, with a message for the status bar. The index is derived data: it is
never the only copy of anything.

A large library that needs a fresh index is built in a separate process
(``build_in_child_process``), since a Python thread would stall a window on the
GIL. It stops when its parent is gone; a building folder (named with its
builder's pid) left by a killed build is removed by the next open.
"""

from __future__ import annotations

import functools
import gc
import hashlib
import json
import logging
import os
import sys
import time
import traceback
import warnings
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import whoosh
from whoosh import index as whoosh_index
from whoosh.filedb.filestore import RamStorage
from whoosh.index import LockError

from reader.core import derived, readings
from reader.core.content import Essay, Library
from reader.core.memo import per_object
from reader.core.search.analysis import WORD, make_schema
from reader.core.search.integrity import (
    INDEX_FOLDER,
    SIDECAR,
    check_files,
    check_health,
    file_checksums,
    read_sidecar,
    remove,
    remove_stale_builds,
)
from reader.core.text import fold

log = logging.getLogger(__name__)

#: A library this large is indexed by two writer processes, into two segments.
PARALLEL_BUILD_SECTIONS = 2000
#: A library with at least this many sections is indexed in a separate process.
PROCESS_BUILD_SECTIONS = 500
#: The modules whose code decides what goes into the index: the documents (this
#: module, the original readings), the analysis and its folding.
INDEX_CODE = (
    "reader.core.search.storage",
    "reader.core.search.analysis",
    "reader.core.readings",
    "reader.core.text",
)

ProgressFn = Callable[[int, int], None]
#: Called after each step of an incremental update with the step's name.
StepFn = Callable[[str], None]

__all__ = ["LockError"]  # re-exported: raised by ``Store.open`` when another writer builds


@functools.cache
def code_version() -> str:
    """A key of the code that makes the index (and of whoosh's version: its stemmer)."""
    return derived.combine(derived.code_key(INDEX_CODE), whoosh.versionstring())


@per_object
def essay_fingerprint(essay: Essay) -> str:
    """A hash of everything in one essay its index documents are made from (once per
    essay object: a library of a thousand essays is not hashed again for one new one)."""
    digest = hashlib.sha256()
    digest.update(f"essay\0{essay.id}\0".encode())
    if essay.source_key:  # its files and their parsing decide its text and sections
        digest.update(f"key\0{essay.source_key}".encode())
        return digest.hexdigest()
    digest.update(hashlib.sha256(essay.markdown.encode("utf-8", "replace")).digest())
    for section in essay.sections:
        for part in (section.id, section.title, section.text):
            digest.update(part.encode("utf-8", "replace"))
            digest.update(b"\0")
    return digest.hexdigest()


def essay_fingerprints(library: Library) -> dict[str, str]:
    """Essay id -> ``essay_fingerprint``, in library order."""
    return {essay.id: essay_fingerprint(essay) for essay in library.essays}


def combined_fingerprint(essays: dict[str, str]) -> str:
    """The library's content fingerprint from its essays' (order matters)."""
    digest = hashlib.sha256()
    for essay_id, value in essays.items():
        digest.update(f"{essay_id}\0{value}\0".encode())
    return digest.hexdigest()


def content_fingerprint(library: Library) -> str:
    """A hash of everything in the library the index is built from."""
    return combined_fingerprint(essay_fingerprints(library))


def fingerprint(library: Library) -> str:
    """The index's key: the content fingerprint and the code that analyses it."""
    return derived.combine(content_fingerprint(library), code_version())


def _original_words(essay: Essay) -> dict[str, str]:
    """Per section, the words of the original reading that the corrected one lacks.

    Read from the CriticMarkup in the Markdown (the old side of substitutions and
    deletions) rather than by converting the essay again: a build of a large
    library would otherwise spend a third of its time in Python-Markdown.
    """
    if "{~~" not in essay.markdown and "{--" not in essay.markdown:
        return {}
    texts = {s.id: s.text for s in essay.sections}
    found: dict[str, list[str]] = {}
    for offset, old, _new in readings.marked_corrections(essay.markdown):
        owner = readings.section_at(essay, offset)
        if old and owner in texts:
            found.setdefault(owner, []).extend(WORD.findall(old))
    result: dict[str, str] = {}
    for ident, words in found.items():
        known = {fold(w) for w in WORD.findall(texts[ident])}
        extra = [w for w in dict.fromkeys(words) if fold(w) not in known]
        if extra:
            result[ident] = " ".join(extra)
    return result


def essay_documents(essay: Essay, order: int = 0) -> Iterator[dict[str, Any]]:
    """One essay's index documents, one per section, in reading order from ``order``."""
    originals = _original_words(essay)
    for number, section in enumerate(essay.sections, start=order):
        yield {
            "key": f"{section.document}/{section.id}",
            "document": section.document,
            "section": section.id,
            "title": section.title,
            # Spellings of the original reading go at the end of the body:
            # found by a search, never part of a snippet (those come from .text).
            "body": f"{section.text}\n\n{originals[section.id]}"
            if section.id in originals else section.text,
            "order": number,
        }


def documents(library: Library) -> Iterator[dict[str, Any]]:
    """The index documents of the library, one per section, in reading order."""
    order = 0
    for essay in library.essays:
        yield from essay_documents(essay, order)
        order += len(essay.sections)


def write_documents(ix: Any, library: Library, progress: ProgressFn | None) -> int:
    """Add every section to the empty index ``ix``; returns how many."""
    total = sum(len(e.sections) for e in library.essays)
    if total >= PARALLEL_BUILD_SECTIONS and not _daemonic():
        writer = ix.writer(procs=2, limitmb=128, multisegment=True)
    else:
        writer = ix.writer(limitmb=128)
    try:
        count = 0
        for doc in documents(library):
            writer.add_document(**doc)
            count += 1
            if progress and (count % 50 == 0 or count == total):
                progress(count, total)
        writer.commit()
    except BaseException:
        writer.cancel()
        raise
    return count


@dataclass
class Changes:
    """What the index on disk lacks against the library: essays to (re)write and to drop."""

    write: list[Essay] = field(default_factory=list)
    drop: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.write or self.drop)

    @property
    def sections(self) -> int:
        return sum(len(essay.sections) for essay in self.write)


def apply_changes(ix: Any, changes: Changes, step: StepFn | None = None) -> int:
    """Delete the documents of every essay in ``changes`` and add the new ones, in one
    writer transaction (committed whole or not at all); returns the change in the
    number of documents. ``step(name)`` is called after each step (for measuring)."""
    writer = ix.writer(limitmb=64)
    delta = 0
    try:
        for essay_id in [*changes.drop, *(e.id for e in changes.write)]:
            delta -= writer.delete_by_term("document", essay_id)
            if step:
                step("delete")
        for essay in changes.write:
            for doc in essay_documents(essay):
                writer.add_document(**doc)
                delta += 1
                if step:
                    step("add")
        writer.commit()
        if step:
            step("commit")
    except BaseException:
        writer.cancel()
        raise
    return delta


def _daemonic() -> bool:
    """Whether this is a daemonic process (the window's build process), which may not
    start the second writer process of a parallel build."""
    import multiprocessing

    return bool(multiprocessing.current_process().daemon)


def log_failure(logger: logging.Logger, message: str, *args: object) -> None:
    """Log the exception being handled, with its traceback, as text.

    Not as ``exc_info``: a log record kept by a handler would keep the traceback,
    whose frames keep whoosh's half-opened files (a frame holds its function, and
    whoosh's closures hold the file), open until some later garbage collection.
    """
    details = "".join(traceback.format_exception(*sys.exc_info())).rstrip()
    logger.warning(message + "\n%s", *args, details)


def open_checked(
    folder: Path, expected_docs: int | None, checksums: object = None, probe: bool = True
) -> Any | None:
    """The index in ``folder`` if its files match their ``checksums`` (when given) and
    it passes the health check (unless not to ``probe``), else None (damaged).

    Raises only ``LockError``. Whoosh leaves files open when it fails half-way
    through opening; they are closed here, quietly, rather than at some later
    garbage collection with a ResourceWarning (and a folder locked on Windows).
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResourceWarning)
        try:
            if checksums is not None:
                check_files(folder, checksums)
            ix = whoosh_index.open_dir(str(folder))
            if probe:
                check_health(ix, expected_docs)
            return ix
        except LockError:
            raise
        except Exception:  # any failure to open or probe is damage: rebuilt by the caller
            log_failure(log, "search index damaged")
        gc.collect()
    return None


def write_sidecar(
    folder: Path, documents: int, essays: dict[str, str], order: Sequence[str]
) -> None:
    """Record what the index in ``folder`` holds: ``essays`` (id -> fingerprint) in the
    library's ``order``, so that the combined fingerprint is the library's own."""
    from reader.core import atomic

    ordered = {e: essays[e] for e in order if e in essays}
    ordered.update({e: v for e, v in essays.items() if e not in ordered})
    sidecar = {
        "fingerprint": derived.combine(combined_fingerprint(ordered), code_version()),
        "code": code_version(),
        "documents": documents,
        "essays": ordered,
        "files": file_checksums(folder),
        "built": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
    }
    atomic.write_text(folder / SIDECAR, json.dumps(sidecar, indent=1))


def update_essays(cache_dir: Path, order: Sequence[str], write: Sequence[Essay]) -> bool:
    """Bring the index in ``cache_dir`` up to date for a library of the essays ``order``
    without loading the library whole: the essays ``write`` (added or changed) are
    indexed again, those not in ``order`` dropped, the rest taken as the index has
    them. False when that cannot be done (no index, one made by other code, or a
    damaged one): whoever opens it next brings it up to date. Raises ``LockError``
    when another process holds the writer."""
    folder = Path(cache_dir) / INDEX_FOLDER
    sidecar = read_sidecar(folder)
    known = sidecar.get("essays")
    if sidecar.get("code") != code_version() or not isinstance(known, dict):
        return False
    wanted = set(order)
    changes = Changes(
        [essay for essay in write if known.get(essay.id) != essay_fingerprint(essay)],
        [essay_id for essay_id in known if essay_id not in wanted],
    )
    if not changes:
        return True
    ix = open_checked(folder, sidecar.get("documents"), sidecar.get("files", "missing"))
    if ix is None:
        return False
    try:
        delta = apply_changes(ix, changes)
    finally:
        ix.close()
    essays = {e: v for e, v in known.items() if e in wanted}
    essays.update((essay.id, essay_fingerprint(essay)) for essay in changes.write)
    write_sidecar(folder, int(sidecar.get("documents") or 0) + delta, essays, order)
    return True


class Store:
    """The index of ``library`` in ``cache_dir/search``: opened, built, updated, repaired."""

    def __init__(self, library: Library, cache_dir: Path) -> None:
        self.library = library
        self.cache_dir = Path(cache_dir)
        self.folder = self.cache_dir / INDEX_FOLDER
        self._essays: dict[str, str] | None = None
        #: Set when the index was built in memory because the cache was not writable.
        self.in_memory = False

    @property
    def essays(self) -> dict[str, str]:
        """Essay id -> fingerprint of the library's essays (computed once)."""
        if self._essays is None:
            self._essays = essay_fingerprints(self.library)
        return self._essays

    @property
    def fingerprint(self) -> str:
        return derived.combine(combined_fingerprint(self.essays), code_version())

    def forget(self) -> None:
        """The library's essays changed: compute their fingerprints again when next asked."""
        self._essays = None

    def is_current(self) -> bool:
        """Whether the index on disk claims to match the content (no whoosh opened)."""
        return read_sidecar(self.folder).get("fingerprint") == self.fingerprint

    def changes(self, sidecar: dict[str, Any] | None = None) -> Changes | None:
        """What an index with this sidecar lacks, essay by essay; None when it cannot be
        brought up to date that way (other code, or no per-essay fingerprints)."""
        if sidecar is None:
            sidecar = read_sidecar(self.folder)
        known = sidecar.get("essays")
        if sidecar.get("code") != code_version() or not isinstance(known, dict):
            return None
        changes = Changes()
        for essay in self.library.essays:
            if known.get(essay.id) != self.essays[essay.id]:
                changes.write.append(essay)
        changes.drop = [essay_id for essay_id in known if essay_id not in self.essays]
        return changes

    def needs_full_build(self) -> bool:
        """Whether opening would build the index from scratch, or rewrite a large part
        of it (both worth a separate process in a window)."""
        changes = self.changes()
        return changes is None or changes.sections >= PROCESS_BUILD_SECTIONS

    def open(self, progress: ProgressFn | None = None) -> tuple[Any, str]:
        """The index, brought up to date (essay by essay when it can be), and a status
        message or "".

        Never raises for a damaged, stale or unwritable index; raises ``LockError``
        only if another process holds the writer (it is then building the index).
        """
        message = ""
        if self.cache_dir.is_dir():
            remove_stale_builds(self.cache_dir)
        sidecar = read_sidecar(self.folder)
        if self.folder.exists() or self.folder.is_symlink():
            current = sidecar.get("fingerprint") == self.fingerprint
            changes = Changes() if current else self.changes(sidecar)
            if changes is not None:
                ix = open_checked(self.folder, sidecar.get("documents"),
                                  sidecar.get("files", "missing"))
                if ix is not None and current:
                    return ix, ""
                if ix is not None:
                    try:
                        return self._update(ix, changes, sidecar), ""
                    except LockError:
                        ix.close()
                        raise
                    except Exception:  # a failed update is repaired by a rebuild
                        log_failure(log, "cannot update the search index; rebuilding it")
                        ix.close()
                        gc.collect()
                else:
                    message = "The search index was damaged and has been rebuilt."
            elif sidecar:
                log.info("search index out of date; rebuilding")
            else:
                message = "The search index was unreadable and has been rebuilt."
            self.set_aside(damaged=bool(message))
        try:
            ix = self._build_on_disk(progress)
        except LockError:
            raise
        except Exception as exc:  # any failure to write: the reader still gets a search
            log_failure(log, "cannot save the search index; building it in memory")
            ix = self._build_in_memory(progress)
            message = f"The search index could not be saved ({exc}); searching from memory."
        return ix, message

    def _update(
        self, ix: Any, changes: Changes, sidecar: dict[str, Any], step: StepFn | None = None
    ) -> Any:
        """Apply ``changes`` to the open index ``ix`` and record them in the sidecar.

        The sidecar is written after the commit: a crash between the two leaves a
        document count that does not match, which the next open repairs by a rebuild.
        """
        log.info("search index: updating %d essays, dropping %d",
                 len(changes.write), len(changes.drop))
        delta = apply_changes(ix, changes, step)
        known = dict(sidecar.get("essays") or {})
        for essay_id in changes.drop:
            known.pop(essay_id, None)
        for essay in changes.write:
            known[essay.id] = essay_fingerprint(essay)
        self._write_sidecar(self.folder, int(sidecar.get("documents") or 0) + delta, known)
        if step:
            step("sidecar")
        return ix

    def update(self, ix: Any, write: list[Essay], drop: list[str],
               step: StepFn | None = None) -> Any:
        """Rewrite the documents of the essays ``write`` and delete those of ``drop`` in
        the open index ``ix`` (the library already holds the change); the index again."""
        self.forget()
        changes = Changes(list(write), list(drop))
        if self.in_memory:
            apply_changes(ix, changes, step)
            return ix
        return self._update(ix, changes, read_sidecar(self.folder), step)

    def _write_sidecar(self, folder: Path, documents: int, essays: dict[str, str]) -> None:
        write_sidecar(folder, documents, essays, list(self.essays))

    def set_aside(self, damaged: bool) -> None:
        """Move a damaged index out of the way (one copy is kept); delete a stale one."""
        if not (self.folder.exists() or self.folder.is_symlink()):
            return
        for old in self.cache_dir.glob(f"{INDEX_FOLDER}.damaged-*"):
            remove(old)
        if damaged:
            stamp = time.strftime("%Y%m%d-%H%M%S")
            try:
                self.folder.rename(self.cache_dir / f"{INDEX_FOLDER}.damaged-{stamp}")
                return
            except OSError:
                log_failure(log, "cannot set the damaged index aside; deleting it")
        remove(self.folder)

    def _build_on_disk(self, progress: ProgressFn | None) -> Any:
        self.cache_dir.mkdir(parents=True, exist_ok=True)
        building = self.cache_dir / f"{INDEX_FOLDER}.building-{os.getpid()}"
        remove(building)
        building.mkdir()
        try:
            ix = whoosh_index.create_in(str(building), make_schema())
            count = write_documents(ix, self.library, progress)
            ix.close()
            self._write_sidecar(building, count, self.essays)
            if self.folder.exists() or self.folder.is_symlink():
                # Another window may have finished first; its index is as good as ours.
                if self.is_current():
                    remove(building)
                    return whoosh_index.open_dir(str(self.folder))
                remove(self.folder)
            building.rename(self.folder)
        except BaseException:
            remove(building)
            raise
        return whoosh_index.open_dir(str(self.folder))

    def _build_in_memory(self, progress: ProgressFn | None) -> Any:
        self.in_memory = True
        ix = RamStorage().create_index(make_schema())
        write_documents(ix, self.library, progress)
        return ix


def build_in_child(
    content_dir: str, cache_dir: str, progress: Any, user_library: str | None = None,
    parent_pid: int | None = None,
) -> None:
    """Entry point of the separate build process: load the library (with the reader's
    imported essays) and bring its index up to date, putting ``(done, total)`` on
    the ``progress`` queue. It exits when process ``parent_pid`` is no longer its
    parent."""
    from reader.core.content import load_library
    from reader.core.processes import exit_with_parent

    if parent_pid is not None:
        exit_with_parent(parent_pid)

    library = load_library(
        Path(content_dir), Path(cache_dir), Path(user_library) if user_library else None)
    ix, _message = Store(library, Path(cache_dir)).open(
        lambda done, total: progress.put((done, total)))
    ix.close()


def build_in_child_process(
    library: Library, cache_dir: Path, progress: ProgressFn | None = None
) -> str:
    """Build the library's index in a separate process; "" when it did, otherwise a
    message saying the build failed there (the caller then builds it itself).

    ``progress`` gets the child's reports and may raise to cancel (the child is
    then stopped and the exception goes on).
    """
    import multiprocessing  # here, not at start-up: it costs ~20 ms to import
    import queue

    context = multiprocessing.get_context("spawn")
    reports = context.Queue()
    child = context.Process(
        target=build_in_child,
        args=(str(library.root), str(cache_dir), reports,
              str(library.user_root) if library.user_root else None, os.getpid()),
        daemon=True,
    )
    child.start()
    try:
        while child.is_alive() or not reports.empty():
            try:
                done, total = reports.get(timeout=0.2)
            except queue.Empty:
                continue
            if progress:
                progress(done, total)
    finally:
        if child.is_alive():
            child.terminate()
        child.join()
    if child.exitcode != 0:
        log.error("the search index build process failed (exit code %s); building the "
                  "index in this process instead", child.exitcode)
        return ("The search index could not be built in the background "
                f"(exit code {child.exitcode}); it was built here instead.")
    return ""
