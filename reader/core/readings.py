"""The readings of an essay's corrections: corrected, original and changes.

The essay's Markdown marks the source's typing errors with CriticMarkup
(``{~~Breast~>Brest~~}``, ``{++ [sic]++}``, ``{--been --}``). The corrected
reading accepts every mark, the original rejects every mark and reproduces the
source, and "changes" shows both (deletions struck, insertions underlined).
``Section.text`` is the corrected reading; this module gives the others on
demand, so loading the library stays one Markdown conversion per essay.
"""

from __future__ import annotations

import re

from reader.core.content import Essay

READINGS = ("corrected", "original", "changes")
READING_LABELS = {
    "corrected": "Corrected",
    "original": "Original",
    "changes": "Show corrections",
}
DEFAULT_READING = "corrected"

_SUBSTITUTION = re.compile(r"\{~~(.*?)~>(.*?)~~\}", re.DOTALL)
_INSERTION = re.compile(r"\{\+\+(.*?)\+\+\}", re.DOTALL)
_DELETION = re.compile(r"\{--(.*?)--\}", re.DOTALL)
_HIGHLIGHT = re.compile(r"\{==(.*?)==\}", re.DOTALL)
_COMMENT = re.compile(r"\{>>(.*?)<<\}", re.DOTALL)


class Error(Exception):
    """An unknown reading was asked for."""


def check_reading(reading: str) -> str:
    """``reading`` if it is one of READINGS; raises Error otherwise."""
    if reading not in READINGS:
        raise Error(f"unknown reading {reading!r}: use one of {', '.join(READINGS)}")
    return reading


def section_texts(essay: Essay, reading: str = DEFAULT_READING) -> dict[str, str]:
    """Section id → plain text (figure caption included) in one reading."""
    check_reading(reading)
    if reading == "corrected":
        return {s.id: s.text for s in essay.sections}
    from reader.core.markdown_ext import make_markdown

    md, ext = make_markdown(essay.id, reading)
    md.convert(essay.markdown)
    texts = {item.id: "\n\n".join(item.paragraphs) for item in ext.outline.sections}
    return {s.id: texts.get(s.id, "") for s in essay.sections}


def reject_markup(markdown: str) -> str:
    """The Markdown with every correction rejected: the source's own words."""
    text = _SUBSTITUTION.sub(lambda m: m.group(1), markdown)
    text = _INSERTION.sub("", text)
    text = _DELETION.sub(lambda m: m.group(1), text)
    text = _HIGHLIGHT.sub(lambda m: m.group(1), text)
    return _COMMENT.sub("", text)


def accept_markup(markdown: str) -> str:
    """The Markdown with every correction accepted."""
    text = _SUBSTITUTION.sub(lambda m: m.group(2), markdown)
    text = _INSERTION.sub(lambda m: m.group(1), text)
    text = _DELETION.sub("", text)
    text = _HIGHLIGHT.sub(lambda m: m.group(1), text)
    return _COMMENT.sub("", text)


def marked_corrections(markdown: str) -> list[tuple[int, str, str]]:
    """Every correction as (offset in the Markdown, original, corrected), in order."""
    found: list[tuple[int, str, str]] = []
    found += [(m.start(), m.group(1), m.group(2)) for m in _SUBSTITUTION.finditer(markdown)]
    found += [(m.start(), "", m.group(1)) for m in _INSERTION.finditer(markdown)]
    found += [(m.start(), m.group(1), "") for m in _DELETION.finditer(markdown)]
    return sorted(found)


_PROBABLE_AFTER = re.compile(r"\{>>\s*probable\b")


def probable_corrections(markdown: str) -> list[tuple[int, str, str]]:
    """The corrections followed by a ``{>>probable<<}`` comment: likely from the
    context, not certain. Same form as ``marked_corrections``."""
    found = []
    for pattern, parts in (
        (_SUBSTITUTION, lambda m: (m.group(1), m.group(2))),
        (_INSERTION, lambda m: ("", m.group(1))),
        (_DELETION, lambda m: (m.group(1), "")),
    ):
        for match in pattern.finditer(markdown):
            if _PROBABLE_AFTER.match(markdown, match.end()):
                found.append((match.start(), *parts(match)))
    return sorted(found)


def corrections(markdown: str) -> list[tuple[str, str]]:
    """Every correction as (original, corrected), in order: for review and tests."""
    return [(old, new) for _, old, new in marked_corrections(markdown)]


def section_at(essay: Essay, offset: int) -> str:
    """The id of the section whose text holds ``offset`` in ``essay.markdown`` ('' before
    the first heading)."""
    line = essay.body_line + essay.markdown.count("\n", 0, offset)
    owner = ""
    for section in essay.sections:  # in reading order, so in line order
        if section.line > line:
            break
        owner = section.id
    return owner
