"""Atomic file writes: a file is either its old self or completely new, never half written.

The new content goes to a temporary file with a unique name in the same
folder (so two windows writing at once never share one), is flushed to disk,
and then replaces the target in one ``os.replace``.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from pathlib import Path


def _mode_for(path: Path) -> int:
    """The replaced file's permissions, or what a plain write would give a new one
    (the temporary file is private to its owner until it is renamed)."""
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except OSError:
        mask = os.umask(0o022)  # the only way to read the umask is to set it
        os.umask(mask)
        return 0o666 & ~mask


def write_bytes(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` atomically; raises OSError (the target is untouched)."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        os.fchmod(handle, _mode_for(path))
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def write_text(path: Path, text: str) -> None:
    """Replace ``path`` with ``text`` (UTF-8) atomically; raises OSError."""
    write_bytes(path, text.encode("utf-8"))
