"""The bookmarks export format: writing it, and reading a file of it safely.

An export is a JSON object ``{"format": "reference-reader-bookmarks",
"version": 1, "folders": [...], "bookmarks": [...]}``. An import file comes
from anywhere, so ``read_export_file`` trusts nothing: only a regular file is
read (a FIFO, a device such as ``/dev/zero``, a folder are refused without
blocking), at most ``MAX_IMPORT_BYTES`` of it, nesting is measured before the
JSON is parsed, numbers may not be absurdly long, and ``parse_export`` checks
every field's type, refusing text that UTF-8 cannot encode (lone surrogates).
Every refusal is an ``Error`` with a one-line reason.
"""

from __future__ import annotations

import json
import re
from datetime import datetime
from pathlib import Path

from reader.core import safefile
from reader.core.bookmark_types import Error, normalize_folder, now_stamp, text_problem

#: Identifies an export file, and the newest export format this version reads and writes.
EXPORT_FORMAT = "reference-reader-bookmarks"
EXPORT_VERSION = 1
#: Import refuses files larger than this (a bookmarks file is a few hundred kilobytes).
MAX_IMPORT_BYTES = 32 * 1024 * 1024
#: How deep objects and lists may nest in an import file (an export nests 3 deep).
MAX_NESTING = 32
#: Digits a number may have (the version is one digit).
MAX_DIGITS = 18

_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
_OTHER = re.compile(r"[^\[\]{}]+")
_DEPTH = str.maketrans({"[": "(", "{": "(", "]": ")", "}": ")"})


def nests_deeper(text: str, limit: int) -> bool:
    """True if ``[`` and ``{`` nest deeper than ``limit`` in JSON text (strings
    skipped). Each round removes the innermost pairs, so ``limit`` rounds of a
    C-speed replace decide it, whatever the text."""
    brackets = _OTHER.sub("", _STRING.sub("", text)).translate(_DEPTH)
    for _ in range(limit):
        shorter = brackets.replace("()", "")
        if shorter == brackets:
            return False
        brackets = shorter
    return "()" in brackets


def _number(text: str) -> int:
    if len(text.lstrip("-")) > MAX_DIGITS:
        raise ValueError(f"a number of {len(text)} digits")
    return int(text)


def _text(value: str, what: str) -> str:
    problem = text_problem(value, what)
    if problem:
        raise Error(problem)
    return value


def read_export_file(path: Path, limit: int = MAX_IMPORT_BYTES) -> object:
    """The parsed JSON of an export file; ``Error`` with a one-line reason otherwise."""
    try:
        raw = safefile.read_regular(path, limit)
    except safefile.Refused as exc:
        raise Error(f"cannot import: {exc.reason}") from exc
    except OSError as exc:
        raise Error(f"cannot read {path}: {exc.strerror or exc}") from exc
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise Error(f"{path} is not a bookmarks file: it is not UTF-8 text") from exc
    if nests_deeper(text, MAX_NESTING):
        raise Error(f"{path} is not a bookmarks file: it nests deeper than {MAX_NESTING} levels")
    try:
        return json.loads(text, parse_int=_number)
    except json.JSONDecodeError as exc:
        raise Error(
            f"{path} is not a bookmarks file: invalid JSON at line {exc.lineno}, "
            f"column {exc.colno} ({exc.msg})"
        ) from exc
    except (ValueError, RecursionError) as exc:
        raise Error(f"{path} is not a bookmarks file: {exc}") from exc


def _valid_stamp(value: str) -> bool:
    try:
        datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return False
    return True


def parse_export(data: object, source: str = "the file") -> tuple[list[str], list[dict[str, str]]]:
    """Check export data completely; returns (folders, bookmark entries) with defaults
    filled in, or raises ``Error`` naming the first problem."""
    if not isinstance(data, dict) or data.get("format") != EXPORT_FORMAT:
        raise Error(f"{source} is not a Reference Reader bookmarks file "
                    f"(expected a JSON object with \"format\": \"{EXPORT_FORMAT}\")")
    version = data.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise Error(f"{source}: \"version\" must be a positive whole number")
    if version > EXPORT_VERSION:
        raise Error(f"{source} was written by a newer version of the reader (format version "
                    f"{version}; this version reads up to {EXPORT_VERSION})")
    raw_folders = data.get("folders", [])
    if not isinstance(raw_folders, list) or not all(isinstance(f, str) for f in raw_folders):
        raise Error(f"{source}: \"folders\" must be a list of folder paths")
    for number, folder in enumerate(raw_folders, start=1):
        _text(folder, f"{source}: folder {number}")
    raw_marks = data.get("bookmarks")
    if not isinstance(raw_marks, list):
        raise Error(f"{source}: \"bookmarks\" must be a list")
    stamp = now_stamp()
    entries: list[dict[str, str]] = []
    for number, raw in enumerate(raw_marks, start=1):
        where = f"{source}: bookmark {number}"
        if not isinstance(raw, dict):
            raise Error(f"{where} is not an object")
        entry: dict[str, str] = {}
        for field in ("essay", "section", "name"):
            value = raw.get(field)
            if not isinstance(value, str) or not value.strip():
                raise Error(f"{where}: \"{field}\" must be a non-empty string")
            entry[field] = _text(value.strip(), f"{where}: \"{field}\"")
        for field in ("note", "folder", "quote", "created", "updated"):
            value = raw.get(field, "")
            if value is None:
                value = ""
            if not isinstance(value, str):
                raise Error(f"{where}: \"{field}\" must be a string")
            entry[field] = _text(value, f"{where}: \"{field}\"")
        for field in ("created", "updated"):
            if entry[field] and not _valid_stamp(entry[field]):
                raise Error(f"{where}: \"{field}\" is not a date and time ({entry[field]!r})")
            entry[field] = entry[field] or stamp
        entry["folder"] = normalize_folder(entry["folder"])
        entry["quote"] = entry["quote"].strip()
        entries.append(entry)
    folders = [normalize_folder(f) for f in raw_folders if normalize_folder(f)]
    return folders, entries


