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

from reader.core import critic
from reader.core.content import Essay

READINGS = ("corrected", "original", "changes")
READING_LABELS = {
    "corrected": "Corrected",
    "original": "Original",
    "changes": "Show corrections",
}
DEFAULT_READING = "corrected"


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


# The marks are found by a linear scan (``reader.core.critic``): regular
# expressions take cubic time on thousands of unclosed marks.
_REJECT = {critic.SUBSTITUTION: "old", critic.INSERTION: "", critic.DELETION: "old",
           critic.HIGHLIGHT: "old", critic.COMMENT: ""}
_ACCEPT = {critic.SUBSTITUTION: "new", critic.INSERTION: "old", critic.DELETION: "",
           critic.HIGHLIGHT: "old", critic.COMMENT: ""}


def reject_markup(markdown: str) -> str:
    """The Markdown with every correction rejected: the source's own words."""
    return critic.replace(markdown, _REJECT)


def accept_markup(markdown: str) -> str:
    """The Markdown with every correction accepted."""
    return critic.replace(markdown, _ACCEPT)


def marked_corrections(markdown: str) -> list[tuple[int, str, str]]:
    """Every correction as (offset in the Markdown, original, corrected), in order."""
    kinds = {critic.SUBSTITUTION, critic.INSERTION, critic.DELETION}
    return [
        (m.start, m.old if m.kind != critic.INSERTION else "",
         m.new if m.kind == critic.SUBSTITUTION else m.old if m.kind == critic.INSERTION else "")
        for m in critic.marks(markdown)
        if m.kind in kinds
    ]


_PROBABLE_AFTER = re.compile(r"\{>>\s*probable\b")


def probable_corrections(markdown: str) -> list[tuple[int, str, str]]:
    """The corrections followed by a ``{>>probable<<}`` comment: likely from the
    context, not certain. Same form as ``marked_corrections``."""
    probable = {
        m.start for m in critic.marks(markdown) if _PROBABLE_AFTER.match(markdown, m.end)
    }
    return [c for c in marked_corrections(markdown) if c[0] in probable]


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
