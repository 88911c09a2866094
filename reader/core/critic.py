"""CriticMarkup marks found in linear time, and the marks that are not closed.

A mark opens with ``{`` and a two-character kind (``++ -- == >> ~~``) and closes
at the first closer of its kind (a substitution at its first ``~>`` and then the
first ``~~}``). The scan never uses a regular expression: once a closer of a
kind is not found, no later opener of that kind can be closed either, so every
character is scanned a bounded number of times, whatever the text.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import NamedTuple

INSERTION, DELETION, HIGHLIGHT, COMMENT, SUBSTITUTION = "++", "--", "==", ">>", "~~"
CLOSERS = {INSERTION: "++}", DELETION: "--}", HIGHLIGHT: "==}", COMMENT: "<<}",
           SUBSTITUTION: "~~}"}
_MIDDLE = "~>"


class Mark(NamedTuple):
    """One closed mark: ``text[start:end]``; ``new`` only for a substitution."""

    start: int
    end: int
    kind: str
    old: str
    new: str


def scan(text: str) -> tuple[list[Mark], list[tuple[int, str]]]:
    """(closed marks in order, (offset, opener) of each opener that is never closed)."""
    marks: list[Mark] = []
    unclosed: list[tuple[int, str]] = []
    dead: set[str] = set()
    find = text.find
    position = 0
    while True:
        start = find("{", position)
        if start < 0:
            break
        kind = text[start + 1 : start + 3]
        if kind not in CLOSERS:
            position = start + 1
            continue
        position = start + 3
        if kind in dead:
            unclosed.append((start, "{" + kind))
            continue
        end = -1
        old = new = ""
        if kind == SUBSTITUTION:
            middle = find(_MIDDLE, position)
            close = find(CLOSERS[kind], middle + 2) if middle >= 0 else -1
            if close >= 0:
                old, new, end = text[position:middle], text[middle + 2 : close], close + 3
        else:
            close = find(CLOSERS[kind], position)
            if close >= 0:
                old, end = text[position:close], close + 3
        if end < 0:
            dead.add(kind)
            unclosed.append((start, "{" + kind))
            continue
        marks.append(Mark(start, end, kind, old, new))
        position = end
    return marks, unclosed


def marks(text: str) -> Iterator[Mark]:
    """Every closed mark of ``text``, in order."""
    yield from scan(text)[0]


def replace(text: str, choose: dict[str, str]) -> str:
    """``text`` with each mark replaced by its ``old``, its ``new`` or nothing, as
    ``choose[kind]`` says (``"old"``, ``"new"`` or ``""``)."""
    out: list[str] = []
    position = 0
    for mark in marks(text):
        out.append(text[position : mark.start])
        wanted = choose[mark.kind]
        out.append(mark.old if wanted == "old" else mark.new if wanted == "new" else "")
        position = mark.end
    out.append(text[position:])
    return "".join(out)


def swallowed_headings(text: str) -> list[tuple[int, str, int]]:
    """(offset of the opener, opener, offset of the heading) for each closed mark
    that runs over a heading line: an opener closed by a much later closer."""
    found = []
    for mark in marks(text):
        heading = text.find("\n#", mark.start, mark.end)
        if heading >= 0:
            found.append((mark.start, "{" + mark.kind, heading + 1))
    return found
