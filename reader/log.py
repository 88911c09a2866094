"""Where the reader's log goes: set up once per process, by the command line and the window.

Warnings and worse are printed to stderr as one line each; everything from INFO
(DEBUG with ``READER_DEBUG=1``) goes, tracebacks included, to a rotating file:
``log/`` under the cache folder when one is named (``--cache-dir`` or
``READER_CACHE_DIR``, which keeps tests out of the user's folders), else the
user's log folder. Imports no Qt.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import TextIO

import platformdirs

from reader.core.paths import APP_AUTHOR, APP_NAME

LOG_FILE = f"{APP_NAME}.log"
#: The loggers configured here: the reader's own modules (third-party ones keep the root's level).
LOGGER = "reader"
MAX_BYTES = 1_000_000
BACKUPS = 3


def log_dir(cache_dir: str | Path | None = None, env: Mapping[str, str] | None = None) -> Path:
    """The log's folder: ``log/`` in the named cache folder, else the user's log folder."""
    env = os.environ if env is None else env
    named = cache_dir or env.get("READER_CACHE_DIR")
    if named:
        return Path(named).expanduser() / "log"
    return Path(platformdirs.user_log_dir(APP_NAME, APP_AUTHOR))


class _Stderr(logging.StreamHandler[TextIO]):
    """Writes to whatever ``sys.stderr`` is at the time (tests and tools replace it)."""

    def __init__(self) -> None:
        super().__init__(sys.stderr)

    @property  # type: ignore[override]
    def stream(self) -> TextIO:
        return sys.stderr

    @stream.setter
    def stream(self, _value: TextIO) -> None:
        pass


class _OneLine(logging.Formatter):
    """``reference-reader: warning: ...``; the traceback is left to the log file."""

    def __init__(self, file: Path | None) -> None:
        super().__init__()
        self._file = file

    def format(self, record: logging.LogRecord) -> str:
        line = f"{APP_NAME}: {record.levelname.lower()}: {record.getMessage()}"
        if record.exc_info and self._file is not None:
            return f"{line} (details in {self._file})"
        return line


class _Handlers:
    """The handlers installed on the root logger, remembered to replace them."""

    file: Path | None = None
    installed: tuple[logging.Handler, ...] = ()


def configure(
    directory: Path | None = None, env: Mapping[str, str] | None = None, defer_file: bool = False
) -> Path:
    """Send the reader's log to stderr and to the file in ``directory`` (default: ``log_dir()``).

    Calling it again with the same folder changes nothing; with another folder the
    file moves there. Handlers others added (pytest's, for one) are left alone.
    Returns the path of the log file (created when the first record is written;
    if its folder cannot be made, the log goes to stderr alone). With ``defer_file``
    the records wait in memory until ``open_file()`` (the window opens the file after
    its first paint: the file handler's imports are kept off the way to the window).
    """
    env = os.environ if env is None else env
    file = (log_dir(env=env) if directory is None else directory) / LOG_FILE
    debug = env.get("READER_DEBUG", "") not in ("", "0")
    level = logging.DEBUG if debug else logging.INFO
    reader_logger = logging.getLogger(LOGGER)
    reader_logger.setLevel(level)
    if _Handlers.file == file:
        for handler in _Handlers.installed:
            if not isinstance(handler, _Stderr):
                handler.setLevel(level)
        if not defer_file:
            open_file()
        return file
    root = logging.getLogger()
    for handler in _Handlers.installed:
        root.removeHandler(handler)
        handler.close()
    stderr = _Stderr()
    stderr.setLevel(logging.WARNING)
    stderr.setFormatter(_OneLine(file))
    pending = _Pending()
    pending.setLevel(level)
    for handler in (stderr, pending):
        root.addHandler(handler)
    _Handlers.file, _Handlers.installed = file, (stderr, pending)
    if not defer_file:
        open_file()
    return file


class _Pending(logging.Handler):
    """Keeps the records until the log file is opened (``configure(defer_file=True)``)."""

    def __init__(self) -> None:
        super().__init__()
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def open_file() -> None:
    """Open the log file ``configure`` named, and write the records kept until now.

    Does nothing when it is open already (or when nothing is configured).
    """
    pending = [handler for handler in _Handlers.installed if isinstance(handler, _Pending)]
    if _Handlers.file is None or not pending:
        return
    file, waiting = _Handlers.file, pending[0]
    root = logging.getLogger()
    root.removeHandler(waiting)
    kept = [handler for handler in _Handlers.installed if handler is not waiting]
    try:
        file.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:  # a read-only home still gets its warnings on stderr
        for handler in kept:
            handler.setFormatter(_OneLine(None))
        print(f"{APP_NAME}: cannot keep a log in {file.parent}: {exc}", file=sys.stderr)
    else:
        # socket, pickle, threading...: kept off the way to the window until needed
        from logging.handlers import RotatingFileHandler

        to_file = RotatingFileHandler(
            file, maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8", delay=True
        )
        to_file.setLevel(waiting.level)
        to_file.setFormatter(
            logging.Formatter("%(asctime)s %(process)d %(levelname)s %(name)s: %(message)s")
        )
        for record in waiting.records:
            to_file.handle(record)
        root.addHandler(to_file)
        kept.append(to_file)
    waiting.close()
    _Handlers.installed = tuple(kept)


def unconfigure() -> None:
    """Take away what ``configure`` installed (the reader's loggers go back to the defaults)."""
    root = logging.getLogger()
    for handler in _Handlers.installed:
        root.removeHandler(handler)
        handler.close()
    _Handlers.file, _Handlers.installed = None, ()
    logging.getLogger(LOGGER).setLevel(logging.NOTSET)
