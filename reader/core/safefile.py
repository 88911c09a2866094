"""Reading a file the user or the content names, without trusting what it is.

``read_regular`` reads only a regular file: a folder, a FIFO (which would block
for ever), a device (``/dev/zero`` never ends) or a socket is refused before a
byte is read, and so is a file larger than the limit. The file is opened with
``O_NONBLOCK`` so that even a FIFO swapped in between the check and the open
cannot block, and it is checked again on the open descriptor.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path


class Refused(OSError):
    """The path is not something the reader reads; ``str()`` says why in one line."""

    def __init__(self, path: Path | str, reason: str) -> None:
        super().__init__(reason)
        self.path = Path(path)
        self.reason = reason

    def __str__(self) -> str:
        return self.reason


def kind_of(mode: int) -> str:
    """What a file of ``mode`` is, in words."""
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISLNK(mode):
        return "a symbolic link"
    return "not a regular file"


def read_regular(path: Path | str, limit: int) -> bytes:
    """The bytes of the regular file ``path``, at most ``limit`` of them.

    Raises ``Refused`` (an OSError) for anything that is not a regular file or is
    larger than ``limit``, and OSError when it cannot be read.
    """
    if str(path) == "":
        raise Refused(path, "no file name given")
    path = Path(path)
    try:
        info = os.stat(path)
    except RecursionError as exc:  # pragma: no cover - pathlib on some loops
        raise Refused(path, f"{path} is a symbolic link loop") from exc
    except OSError as exc:
        if exc.errno == 40:  # ELOOP
            raise Refused(path, f"{path} is a symbolic link loop") from exc
        raise
    if not stat.S_ISREG(info.st_mode):
        raise Refused(path, f"{path} is {kind_of(info.st_mode)}, not a file")
    if info.st_size > limit:
        raise Refused(path, f"{path} is too large ({info.st_size} bytes; the limit is {limit})")
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    handle = os.open(path, flags)
    try:
        opened = os.fstat(handle)
        if not stat.S_ISREG(opened.st_mode):
            raise Refused(path, f"{path} is {kind_of(opened.st_mode)}, not a file")
        chunks: list[bytes] = []
        total = 0
        while True:
            chunk = os.read(handle, min(1 << 20, limit + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
            if total > limit:  # the file grew after the check
                raise Refused(path, f"{path} is too large (over {limit} bytes)")
    finally:
        os.close(handle)
    return b"".join(chunks)
