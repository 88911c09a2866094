"""Atomic file writes: a file is either its old self or completely new, never half written.

The new content goes to a temporary file with a unique name in the same
folder (so two windows writing at once never share one), is flushed to disk,
and then replaces the target in one ``os.replace``.

Only a regular file is ever replaced: a folder, a device, a pipe or a socket
at the target (or at the end of a symbolic link there) is refused with
``NotRegularFile``, and so is an empty path. A link to a regular file is
followed, so the link stays and its target gets the new content. A write
that fails (a full disk) leaves the old file exactly as it was.
"""

from __future__ import annotations

import contextlib
import errno
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


class NotRegularFile(OSError):
    """The target exists and is not a regular file (or no path was given)."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else "not a regular file"


def reason(exc: BaseException) -> str:
    """A failed write in one line, for a message: "No space left on device"."""
    if isinstance(exc, NotRegularFile):
        return str(exc)
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return str(exc) or type(exc).__name__


def check_target(path: Path | str) -> Path:
    """The file to write for ``path``: ``path`` itself, or the regular file a symbolic
    link there points at. Raises ``NotRegularFile`` for anything else."""
    if str(path) == "":
        raise NotRegularFile("no file name given")
    path = Path(path)
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        return path
    if stat.S_ISLNK(mode):
        try:
            target = path.resolve(strict=True)
            mode = os.stat(target).st_mode
        except (OSError, RuntimeError) as exc:
            raise NotRegularFile(
                f"{path} is a symbolic link to a missing file; it is not replaced"
            ) from exc
        path = target
    if not stat.S_ISREG(mode):
        kind = (
            "a folder" if stat.S_ISDIR(mode) else "a named pipe" if stat.S_ISFIFO(mode)
            else "a device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) else "not a regular file"
        )
        raise NotRegularFile(f"{path} is {kind}; only a regular file is ever replaced")
    return path


def write_bytes(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` atomically; raises OSError (the target is untouched),
    ``NotRegularFile`` if ``path`` is not a regular file or absent."""
    path = check_target(path)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        os.fchmod(handle, _mode_for(path))
        with os.fdopen(handle, "wb") as out:
            if out.write(data) != len(data):
                raise OSError(errno.EIO, "the file was not written completely")
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
