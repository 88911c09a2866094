"""Matches highlighted in a text view: every match as an extra selection, one current.

Search (whole words, every form that matched) and find in page (plain text,
optionally case-sensitive) both show their matches with ``ReadingHighlights``;
F3 / Shift+F3 or the find bar's arrows step through them.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtGui import QColor, QTextCharFormat, QTextCursor, QTextDocument
from PySide6.QtWidgets import QTextEdit

from reader.ui.passage_marks import find_heading
from reader.ui.reading_view import show_target

HIT_COLOR = QColor("#fde68a")
CURRENT_HIT_COLOR = QColor("#f59e0b")


class ReadingHighlights(QObject):
    """Every match of a search in a text view, as extra selections; F3 steps through them."""

    changed = Signal(int, int)  # current (0-based, -1 none), total

    def __init__(
        self, view: QTextEdit, parent: QObject | None = None, whole_words: bool = True
    ) -> None:
        super().__init__(parent)
        self.view = view
        self.whole_words = whole_words
        self.case_sensitive = False
        self.terms: list[str] = []
        self._cursors: list[QTextCursor] = []
        self.current = -1
        self._anchor = ""
        view.textChanged.connect(self._on_text_changed)

    @property
    def count(self) -> int:
        return len(self._cursors)

    def show(self, terms: Sequence[str], section: str = "") -> int:
        """Highlight ``terms`` everywhere; make the first match at or after ``section``'s
        heading current and scroll to it. Returns the number of matches."""
        self.terms = [t for t in dict.fromkeys(terms) if t.strip()]
        self._anchor = section
        self._find_all()
        if not self._cursors:
            self.current = -1
            self._apply()
            return 0
        heading = find_heading(self.view.document(), section) if section else None
        start = heading.position() if heading is not None else 0
        self.current = next(
            (i for i, c in enumerate(self._cursors) if c.selectionStart() >= start), 0
        )
        self._apply(scroll=True)
        return len(self._cursors)

    def _find_all(self) -> None:
        document = self.view.document()
        found: dict[int, QTextCursor] = {}
        flags = QTextDocument.FindFlag(0)
        if self.whole_words:
            flags |= QTextDocument.FindFlag.FindWholeWords
        if self.case_sensitive:
            flags |= QTextDocument.FindFlag.FindCaseSensitively
        for term in self.terms:
            cursor = QTextCursor(document)
            while True:
                cursor = document.find(term, cursor, flags)
                if cursor.isNull():
                    break
                start = cursor.selectionStart()
                if start not in found or len(cursor.selectedText()) > len(
                    found[start].selectedText()
                ):
                    found[start] = QTextCursor(cursor)
        self._cursors = [found[key] for key in sorted(found)]

    def starts(self) -> list[int]:
        """Where each match starts, in document order."""
        return [cursor.selectionStart() for cursor in self._cursors]

    def go_to(self, index: int) -> None:
        """Make match ``index`` current and scroll to it."""
        if 0 <= index < len(self._cursors):
            self.current = index
            self._apply(scroll=True)

    @Slot()
    def next(self) -> None:
        self._move(1)

    @Slot()
    def previous(self) -> None:
        self._move(-1)

    def _move(self, delta: int) -> None:
        if not self._cursors:
            return
        self.current = (self.current + delta) % len(self._cursors)
        self._apply(scroll=True)

    @Slot()
    def clear(self) -> None:
        self.terms = []
        self._cursors = []
        self.current = -1
        self._apply()

    def selections(self) -> list[QTextEdit.ExtraSelection]:
        result = []
        for index, cursor in enumerate(self._cursors):
            selection = QTextEdit.ExtraSelection()
            selection.cursor = cursor
            fmt = QTextCharFormat()
            fmt.setBackground(CURRENT_HIT_COLOR if index == self.current else HIT_COLOR)
            fmt.setForeground(QColor("black"))
            selection.format = fmt
            result.append(selection)
        return result

    def _apply(self, scroll: bool = False) -> None:
        self.view.setExtraSelections(self.selections())
        if scroll and 0 <= self.current < len(self._cursors):
            cursor = QTextCursor(self._cursors[self.current])
            cursor.setPosition(cursor.selectionStart())
            # The current match is marked by its colour; it goes to the upper third.
            show_target(self.view, cursor)
        self.changed.emit(self.current, len(self._cursors))

    @Slot()
    def _on_text_changed(self) -> None:
        # The essay was rendered again (theme, reading, another essay): find the terms anew.
        if self.terms:
            current = self.current
            self._find_all()
            self.current = min(current, len(self._cursors) - 1)
            self._apply()
