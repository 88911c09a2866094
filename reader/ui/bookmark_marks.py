"""Bookmarked passages drawn in the reading view: a highlight per passage, coloured by
its folder, with the bookmark's name, quote and note shown on hover.

Also names a new passage bookmark from its quote (``passage_name``), so that two
passages of one section are told apart in the panel.
"""

from __future__ import annotations

import zlib

from PySide6.QtCore import QObject, QTimer, Slot
from PySide6.QtGui import QColor, QTextCursor

from reader.core import bookmarks
from reader.core.bookmarks import Bookmark, BookmarkStore
from reader.ui.passage_marks import PassageMark
from reader.ui.reading_view import ReadingView

#: A quote longer than this is cut at a word boundary: enough to find the place again.
MAX_QUOTE = 200
#: Undo and Redo entries are cut to this many characters, or the menu grows off screen.
MAX_UNDO_TEXT = 40


def elide(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters with an ellipsis in the middle of its end."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "\u2026"


def short_quote(text: str, limit: int = MAX_QUOTE) -> str:
    """The selected text on one line, cut at a word boundary after ``limit`` characters."""
    flat = " ".join(text.replace("\u2029", " ").replace("\u2028", " ").split())
    if len(flat) <= limit:
        return flat
    cut = flat[:limit].rsplit(" ", 1)[0]
    return cut or flat[:limit]


#: Soft highlight colours, translucent so that they read on light and dark pages alike.
#: Top-level bookmarks take the first; a folder always gets the same one.
#: (Not blue first: a blue highlight would look like the selection.)
PASSAGE_COLORS = ("#2aa198", "#70ad47", "#c55a9e", "#8e7cc3", "#5b9bd5", "#e07b39")
PASSAGE_ALPHA = 70
#: A name made from a quote: this many words at most, and about this many characters.
NAME_WORDS = 7
NAME_CHARS = 48


def passage_color(folder: str) -> QColor:
    """The highlight colour of the bookmarks in ``folder`` (by its top-level folder)."""
    top = folder.split("/", 1)[0]
    index = 0 if not top else 1 + zlib.crc32(top.encode("utf-8")) % (len(PASSAGE_COLORS) - 1)
    color = QColor(PASSAGE_COLORS[index])
    color.setAlpha(PASSAGE_ALPHA)
    return color


def passage_name(quote: str, fallback: str) -> str:
    """A bookmark's name from the first words of its quote, or ``fallback`` if none."""
    words = quote.split()
    if not words:
        return fallback
    name = ""
    for count, word in enumerate(words):
        candidate = f"{name} {word}".strip()
        if count >= NAME_WORDS or (name and len(candidate) > NAME_CHARS):
            return name.rstrip(",;:.") + "\u2026"
        name = candidate
    return name


def whole_words(cursor: QTextCursor) -> QTextCursor:
    """The selection of ``cursor`` widened to whole words where it cuts one in two
    (a mouse selection often starts a letter late)."""
    text = cursor.document().toPlainText()
    start, end = cursor.selectionStart(), cursor.selectionEnd()

    def inside(at: int) -> bool:  # between two letters of one word
        return 0 < at < len(text) and text[at - 1].isalnum() and text[at].isalnum()

    while inside(start):
        start -= 1
    while inside(end):
        end += 1
    widened = QTextCursor(cursor.document())
    widened.setPosition(start)
    widened.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
    return widened


def passage_tooltip(mark: Bookmark) -> str:
    lines = [f"Bookmark: {mark.name}"]
    if mark.folder:
        lines.append(f"Folder: {mark.folder}")
    if mark.note.strip():
        lines += ["", mark.note.strip()]
    return "\n".join(lines)


class PassageMarks(QObject):
    """Keeps the bookmarked passages of the shown essay highlighted in the view."""

    def __init__(self, store: BookmarkStore, view: ReadingView,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.view = view
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self.refresh)
        # A new essay or reading replaces the document: find the passages again.
        view.textChanged.connect(self._timer.start)

    @Slot()
    def schedule(self) -> None:
        self._timer.start()

    @Slot()
    def refresh(self) -> None:
        """Find every bookmarked passage of the shown essay and draw it."""
        essay = self.view.essay
        marks: list[PassageMark] = []
        if essay is not None:
            try:
                stored = self.store.bookmarks()
            except bookmarks.Error:  # the panel reports store failures; draw nothing then
                stored = []
            for mark in stored:
                if mark.essay != essay.id or not mark.quote:
                    continue
                cursor = self.view.find_passage(mark.section, mark.quote)
                if cursor is not None:
                    marks.append(PassageMark(cursor, passage_color(mark.folder),
                                             passage_tooltip(mark), bool(mark.note.strip())))
        self.view.set_passage_marks(marks)
