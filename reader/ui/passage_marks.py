"""Passages and headings in the reading view's document: bookmarked passages drawn as
highlights under any search or find highlights, how a quote or a heading is found in
the text again, and headings made to follow the style sheet's sizes.

The reading view keeps its marks (``ReadingView.set_passage_marks``); this module
holds what they are and how they are drawn and found, free of the view itself.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtGui import (
    QColor,
    QTextBlock,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
    QTextFormat,
)
from PySide6.QtWidgets import QTextEdit


@dataclass(frozen=True)
class PassageMark:
    """A bookmarked passage drawn in the text: its range, colour and hover text."""

    cursor: QTextCursor
    color: QColor
    tooltip: str
    has_note: bool = False


def find_heading(document: QTextDocument, anchor: str) -> QTextBlock | None:
    """The block holding the anchor named ``anchor`` (a section's heading), or None."""
    block = document.begin()
    while block.isValid():
        iterator = block.begin()
        while not iterator.atEnd():
            if anchor in iterator.fragment().charFormat().anchorNames():
                return block
            iterator += 1
        block = block.next()
    return None


def unfix_heading_sizes(document: QTextDocument) -> None:
    """Let headings take their size from the style sheet, which the text size scales.

    Qt's HTML import gives h1-h3 a fixed size step over the default font that wins
    over the CSS size: at a large text size a heading would be smaller than the body.
    """
    cursor = QTextCursor(document)
    cursor.beginEditBlock()
    block = document.begin()
    while block.isValid():
        if block.blockFormat().headingLevel() > 0:
            iterator = block.begin()
            while not iterator.atEnd():
                fragment = iterator.fragment()
                fmt = fragment.charFormat()
                if fmt.hasProperty(QTextFormat.Property.FontSizeAdjustment):
                    fmt.clearProperty(QTextFormat.Property.FontSizeAdjustment)
                    cursor.setPosition(fragment.position())
                    cursor.setPosition(fragment.position() + fragment.length(),
                                       QTextCursor.MoveMode.KeepAnchor)
                    cursor.setCharFormat(fmt)
                iterator += 1
        block = block.next()
    cursor.endEditBlock()


def find_quote(document: QTextDocument, top: float, quote: str) -> QTextCursor | None:
    """A cursor over ``quote`` in a block at or below ``top`` (layout coordinates): a
    quote of several paragraphs matches from its first paragraph to its last."""
    pieces = [piece for piece in quote.split("\u2029") if piece.strip()]
    if not pieces:
        return None
    layout = document.documentLayout()
    cursor = document.find(pieces[0])
    while not cursor.isNull() and layout.blockBoundingRect(cursor.block()).top() < top - 1:
        cursor = document.find(pieces[0], cursor)
    if cursor.isNull():
        return None
    if len(pieces) > 1:
        end = document.find(pieces[-1], cursor)
        if end.isNull():
            return None
        cursor.setPosition(cursor.selectionStart())
        cursor.setPosition(end.selectionEnd(), QTextCursor.MoveMode.KeepAnchor)
    return cursor


def mark_selections(marks: Sequence[PassageMark]) -> list[QTextEdit.ExtraSelection]:
    """The passages as extra selections: their colour behind the text, and a dotted
    line under a passage whose bookmark has a note."""
    selections = []
    for mark in marks:
        selection = QTextEdit.ExtraSelection()
        selection.cursor = mark.cursor  # type: ignore[misc]
        fmt = QTextCharFormat()
        fmt.setBackground(mark.color)
        if mark.has_note:
            fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.DotLine)
            fmt.setUnderlineColor(mark.color.darker(220))
        selection.format = fmt  # type: ignore[misc]
        selections.append(selection)
    return selections


def marks_at(marks: Sequence[PassageMark], position: int) -> str:
    """The hover text of the marks over character ``position``, one paragraph each."""
    tips = [mark.tooltip for mark in marks
            if mark.cursor.selectionStart() <= position < mark.cursor.selectionEnd()]
    return "\n\n".join(tips)
