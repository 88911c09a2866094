"""Keeps the reading position: where the reader is, saved to the bookmark store.

``PositionKeeper`` notes the position as the reader scrolls and writes it at
most every couple of seconds (and at once when the window closes), so that the
reader can be brought back to the same place next time.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer, Slot

from reader.core import bookmarks
from reader.core.bookmarks import BookmarkStore
from reader.ui.reading_view import ReadingView


class PositionKeeper(QObject):
    """Saves where the reader is (essay, section, offset inside it) to the store: at
    most every ``delay_ms`` while reading, and at once on ``save_now`` (closing)."""

    def __init__(self, store: BookmarkStore, view: ReadingView, delay_ms: int = 2000,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.view = view
        self._pending: tuple[str, str, int] | None = None
        self._saved: tuple[str, str, int] | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(delay_ms)
        self._timer.timeout.connect(self.flush)

    def current(self) -> tuple[str, str, int] | None:
        essay = self.view.essay
        if essay is None:
            return None
        section = self.view.section_at_top()
        top = self.view.section_top(section) if section else None
        if not section or top is None:
            return None
        offset = max(0, self.view.verticalScrollBar().value() - round(top))
        return essay.id, section, offset

    @Slot()
    def schedule(self) -> None:
        """Note the position now; write it when the timer fires (or another essay opens)."""
        here = self.current()
        if here is None:
            return
        if self._pending is not None and self._pending[0] != here[0]:
            self.flush()  # the previous essay's last position, before it is forgotten
        self._pending = here
        if not self._timer.isActive():
            self._timer.start()

    @Slot()
    def flush(self) -> None:
        self._timer.stop()
        pending, self._pending = self._pending, None
        if pending is None or pending == self._saved:
            return
        try:
            self.store.save_position(*pending)
        except bookmarks.Error:
            return  # a position is not worth an error message; the next save retries
        self._saved = pending

    def save_now(self) -> None:
        here = self.current()
        if here is not None:
            self._pending = here
        self.flush()
