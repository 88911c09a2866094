"""The reader's library: the shipped edition (read-only) and the essays the reader imports.

Imported essays live in the user data folder under ``library/ESSAY/`` in the
same format as the shipped edition. An import is atomic per essay: the edition
is written to a temporary folder inside the library folder and renamed into
place, so a crash leaves either the old essay or the new one, never half of
one; what a crash leaves behind (``.import-*``, ``.replaced-*``) is cleaned up
by the next import or load.

A page already in the library is recognised, by its address, its file, or its
title and text: the shipped essay is never duplicated, and importing one of the
reader's own essays again updates it in place, keeping the ids of sections
whose titles did not change (bookmarks refer to them).

Related pages and links that point at an essay in the library become links to
it (``reader.core.related``); the others are marked unavailable.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from reader.core import content
from reader.core.model import OVERRIDE_SUFFIXES, Library

# The links between essays live in reader.core.related; named here too for callers.
from reader.core.related import essay_links as essay_links
from reader.core.related import link_targets as link_targets
from reader.core.related import related_targets as related_targets

LIBRARY_FOLDER = "library"
_IMPORTING, _REPLACED, _REMOVED = ".import-", ".replaced-", ".removed-"
#: A temporary folder older than this is stale even if its process id is in use again.
_STALE_AFTER = 24 * 3600
#: Share of a page's word triples found in an essay for the two to be the same text.
_SAME_TEXT = 0.6

Progress = Callable[[int, int, Path], None]
Cancelled = Callable[[], bool]


@dataclass
class ImportResult:
    """What became of one input."""

    source: Path
    #: "added", "updated", "exists" (already in the library), "refused" or "cancelled".
    status: str
    essay_id: str | None = None
    title: str = ""
    format: str = ""
    sections: int = 0
    figures: int = 0
    problems: list[str] = field(default_factory=list)
    #: Why nothing was written (refused, exists, cancelled).
    reason: str = ""

    @property
    def ok(self) -> bool:
        return self.status in ("added", "updated")

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["source"] = str(self.source)
        return data


@dataclass
class EssayInfo:
    """One essay of the library, as ``library list`` shows it."""

    id: str
    title: str
    #: "shipped" (read-only) or "imported".
    origin: str
    folder: Path
    sections: int
    figures: int
    source_url: str = ""
    format: str = ""
    imported: str = ""

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["folder"] = str(self.folder)
        return data


def library_dir(data_dir: Path) -> Path:
    """The folder of the reader's imported essays inside the user data folder."""
    return data_dir / LIBRARY_FOLDER


def load(shipped: Path, user_library: Path | None, cache_dir: Path | None = None) -> Library:
    """The whole library as one: the shipped essays, then the imported ones."""
    if user_library is not None and user_library.is_dir():
        with contextlib.suppress(OSError):
            clean_up(user_library)
    return content.load_library(shipped, cache_dir, user_library=user_library)


@contextlib.contextmanager
def _locked(folder: Path) -> Iterator[None]:
    """One process at a time chooses ids and renames in the library folder."""
    try:
        import fcntl
    except ImportError:  # not on POSIX: renames are still atomic, only ids may race
        yield
        return
    with (folder / ".lock").open("a") as handle:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def _sync(folder: Path) -> None:
    """Make the renames durable (a directory fsync; not possible everywhere)."""
    with contextlib.suppress(OSError, AttributeError):
        handle = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(handle)
        finally:
            os.close(handle)


def clean_up(library_dir: Path) -> list[str]:
    """Remove what an interrupted import left; put back an essay caught mid-update.

    A folder whose process still runs (and is younger than a day) is left alone:
    another window may be importing right now. Returns the names removed.
    """
    removed: list[str] = []
    for entry in sorted(library_dir.iterdir()):
        name = entry.name
        kind = next((k for k in (_IMPORTING, _REPLACED, _REMOVED) if name.startswith(k)), None)
        if kind is None or not entry.is_dir():
            continue
        parts = name[len(kind) :].split("-", 2)
        pid = int(parts[0]) if parts and parts[0].isdigit() else 0
        try:
            age = time.time() - entry.stat().st_mtime
        except OSError:
            continue
        if pid and pid != os.getpid() and _alive(pid) and age < _STALE_AFTER:
            continue
        if pid == os.getpid() and age < _STALE_AFTER:
            continue  # this process is at work on it
        if kind == _REPLACED and len(parts) == 3 and not (library_dir / parts[2]).exists():
            os.rename(entry, library_dir / parts[2])
            continue
        shutil.rmtree(entry, ignore_errors=True)
        removed.append(name)
    return removed


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    except OSError:
        return False
    return True


# -- recognising a page already in the library -----------------------------------------------


def list_essays(
    shipped_library: Path | None, library_dir: Path, cache_dir: Path | None = None
) -> list[EssayInfo]:
    """Every essay of the library: the shipped ones first, then the imported ones."""
    rows: list[EssayInfo] = []
    for root, origin in ((shipped_library, "shipped"), (library_dir, "imported")):
        if root is None or not root.is_dir():
            continue
        for folder in sorted(root.iterdir()):
            if folder.name.startswith(".") or not (folder / content.ESSAY_FILE).is_file():
                continue
            essay, _ = content.load_essay(folder, cache_dir)
            if essay is None:
                continue
            if origin == "imported" and any(row.id == essay.id for row in rows):
                continue  # a copy of a shipped essay is not part of the library
            rows.append(
                EssayInfo(
                    id=essay.id,
                    title=essay.title,
                    origin=origin,
                    folder=folder,
                    sections=len(essay.sections),
                    figures=len(essay.figures),
                    source_url=str(essay.meta.get("source_url") or ""),
                    format=str(essay.meta.get("format") or ""),
                    imported=str(essay.meta.get("imported") or ""),
                )
            )
    return rows


class LibraryError(Exception):
    """A request on the library that cannot be carried out (the message says why)."""


def remove_essay(essay_id: str, library_dir: Path) -> Path:
    """Remove an imported essay (at once: renamed aside, then deleted); returns its folder.

    The shipped essays are not in ``library_dir`` and cannot be removed.
    """
    if not essay_id or essay_id.startswith(".") or "/" in essay_id or "\\" in essay_id:
        raise LibraryError(f"not an essay id: {essay_id!r}")
    folder = library_dir / essay_id
    if not (folder / content.ESSAY_FILE).is_file():
        raise LibraryError(f"no imported essay {essay_id!r} (shipped essays cannot be removed)")
    aside = library_dir / f"{_REMOVED}{os.getpid()}-{secrets.token_hex(4)}-{essay_id}"
    with _locked(library_dir):
        os.rename(folder, aside)
        _sync(library_dir)
    shutil.rmtree(aside, ignore_errors=True)
    return folder


def set_figure_picture(essay_folder: Path, figure_id: str, picture_path: Path) -> Path:
    """Give a figure its picture (a PNG or JPEG file), copied in atomically beside the
    figure's file, which it then replaces on screen; returns the new file.

    Raises LibraryError when the figure or the picture is not usable.
    """
    from reader.core import atomic

    essay, _ = content.parse_essay(essay_folder)
    figure = essay.figure(figure_id) if essay is not None else None
    if figure is None:
        raise LibraryError(f"no figure {figure_id!r} in {essay_folder.name!r}")
    if figure.declared == essay_folder:
        raise LibraryError(f"figure {figure_id!r} names no file")
    try:
        with picture_path.open("rb") as handle:
            data = handle.read(MAX_PICTURE_BYTES + 1)
    except OSError as exc:
        raise LibraryError(f"cannot read {picture_path.name}: {exc.strerror or exc}") from None
    if len(data) > MAX_PICTURE_BYTES:
        raise LibraryError(f"{picture_path.name} is too large for a picture")
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        suffix = ".png"
    elif data.startswith(b"\xff\xd8\xff"):
        suffix = ".jpg"
    else:
        raise LibraryError(f"{picture_path.name} is not a PNG or JPEG picture")
    target = figure.declared.with_suffix(suffix)
    target.parent.mkdir(parents=True, exist_ok=True)
    atomic.write_bytes(target, data)
    for other in OVERRIDE_SUFFIXES:
        stale = figure.declared.with_suffix(other)
        if other != suffix and stale != figure.declared and stale.is_file():
            stale.unlink()  # an older picture would win over the new one
    return target


#: Largest picture accepted for a figure.
MAX_PICTURE_BYTES = 40 * 1024 * 1024
