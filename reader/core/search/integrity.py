"""The index's integrity: checksums of its files, a health check, and stale builds.

Whoosh does not notice every kind of damage: bytes overwritten inside a segment
can pass its own checks and silently lose hits. So the sidecar records a
checksum of every index file when the index is written, and opening checks
them, then opens a searcher and runs a probe query (``check_health``). A build
that was killed leaves a ``search.building-PID`` folder; ``remove_stale_builds``
removes those whose process is gone.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from whoosh import query

from reader.core.search.analysis import Error

log = logging.getLogger(__name__)

INDEX_FOLDER = "search"
SIDECAR = "reader-index.json"


class DamagedIndex(Error):
    """The index on disk fails the health check."""


def read_sidecar(folder: Path) -> dict[str, Any]:
    try:
        data = json.loads((folder / SIDECAR).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        log.debug("no readable sidecar in %s", folder, exc_info=True)
        return {}
    return data if isinstance(data, dict) else {}


def _index_files(folder: Path) -> Iterator[Path]:
    """The files whoosh reads: its table of contents and segments (not its locks)."""
    for path in sorted(folder.iterdir()):
        if path.name != SIDECAR and path.suffix != ".lock" and path.is_file():
            yield path


def _file_digest(path: Path) -> str:
    digest = hashlib.blake2b(digest_size=16)
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def file_checksums(folder: Path) -> dict[str, str]:
    """File name -> checksum of every index file in ``folder``, recorded in the sidecar."""
    return {path.name: _file_digest(path) for path in _index_files(folder)}


def check_files(folder: Path, recorded: object) -> None:
    """Raise ``DamagedIndex`` if an index file the sidecar names is missing or changed.

    Whoosh has no checksums of its own: bytes overwritten inside a segment pass
    its open and a probe query, and searches then quietly find less.
    """
    if not isinstance(recorded, dict):
        raise DamagedIndex("the sidecar records no checksums of the index files")
    for name, expected in recorded.items():
        path = folder / str(name)
        try:
            actual = _file_digest(path)
        except OSError as exc:
            raise DamagedIndex(f"index file {name} unreadable: {exc.strerror}") from None
        if actual != expected:
            raise DamagedIndex(f"index file {name} does not match its checksum")


def check_health(ix: Any, expected_docs: int | None) -> None:
    """Raise if the index cannot serve a query: searcher, probe query, document count."""
    with ix.searcher() as searcher:
        reader = searcher.reader()
        count = reader.doc_count()
        if expected_docs is not None and count != expected_docs:
            raise DamagedIndex(f"index holds {count} sections, expected {expected_docs}")
        if count:
            first = next(iter(reader.all_stored_fields()), None)
            if not first or "document" not in first:
                raise DamagedIndex("stored fields unreadable")
            probe = query.Term("document", first["document"])
            if not searcher.search(probe, limit=1):
                raise DamagedIndex("probe query found nothing")


def process_alive(pid: int) -> bool:
    """Whether process ``pid`` exists (assumed so where that cannot be asked safely)."""
    if sys.platform == "win32":  # os.kill(pid, 0) would send CTRL_C_EVENT there
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # exists, owned by someone else
        return True
    try:  # Linux: a process that exited but was never reaped (a zombie) is gone too
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[-1].split()[0]
    except (OSError, IndexError):
        return True
    return state not in {"Z", "X"}


def remove_stale_builds(cache_dir: Path) -> list[Path]:
    """Delete the building folders of builds whose process is gone (killed half-way);
    their name ends in the builder's pid. Returns the folders removed."""
    removed = []
    for folder in cache_dir.glob(f"{INDEX_FOLDER}.building-*"):
        pid_text = folder.name.rsplit("-", 1)[-1]
        if not pid_text.isdigit():
            continue
        pid = int(pid_text)
        if pid != os.getpid() and not process_alive(pid):
            log.info("removing %s, left by a build that was stopped", folder.name)
            remove(folder)
            removed.append(folder)
    return removed


def remove(path: Path) -> None:
    """Delete a file or folder tree, ignoring what cannot be deleted."""
    try:
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
        elif path.exists() or path.is_symlink():
            path.unlink()
    except OSError:
        log.warning("cannot remove %s", path, exc_info=True)
