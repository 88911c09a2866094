"""The main window's status bar: where the reader is (section and percentage), the
reading when it is not the corrected one, the content problems, and what the link
under the pointer does."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Slot
from PySide6.QtWidgets import QLabel, QMainWindow

from reader.core.content import Essay, Problem
from reader.core.readings import DEFAULT_READING, READING_LABELS
from reader.ui.problems_button import ProblemsButton
from reader.ui.reading_view import ReadingView


class StatusLine(QObject):
    """The permanent labels of ``window``'s status bar and its passing messages."""

    def __init__(self, window: QMainWindow, view: ReadingView, root: Path) -> None:
        super().__init__(window)
        self.bar = window.statusBar()
        self.view = view
        #: The reading when it is not the corrected one.
        self.reading_label = QLabel(window)
        self.reading_label.setObjectName("reading_label")
        self.progress_label = QLabel(window)
        self.progress_label.setObjectName("progress_label")
        self.progress_label.setAccessibleName("Reading progress")
        self.problems_button = ProblemsButton(root, window)
        self.bar.addPermanentWidget(self.reading_label)
        self.bar.addPermanentWidget(self.progress_label)
        self.bar.addPermanentWidget(self.problems_button)
        # The scroll range moves many times while a text is laid out, and finding the
        # section being read lays the whole text out: the progress is worked out once,
        # when the event loop is next free (after the first paint, at start).
        self._progress_timer = QTimer(self)
        self._progress_timer.setSingleShot(True)
        self._progress_timer.setInterval(0)
        self._progress_timer.timeout.connect(self.show_progress)
        view.link_hovered.connect(self.show_link)
        view.verticalScrollBar().valueChanged.connect(self.update_progress)
        view.verticalScrollBar().rangeChanged.connect(self.update_progress)

    @Slot()
    def update_progress(self) -> None:
        """Show the progress once the event loop is free (many calls make one update)."""
        self._progress_timer.start()

    @Slot()
    def show_progress(self) -> None:
        """"Section N of M · P%" for the essay shown and the section being read."""
        self._progress_timer.stop()
        essay: Essay | None = self.view.essay
        if essay is None or not essay.sections:
            self.progress_label.clear()
            return
        ids = [s.id for s in essay.sections]
        section = self.view.section_at_top()
        number = ids.index(section) + 1 if section in ids else 1
        bar = self.view.verticalScrollBar()
        percent = round(100 * bar.value() / bar.maximum()) if bar.maximum() > 0 else 100
        self.progress_label.setText(f"Section {number} of {len(ids)} · {percent}%")

    def show_reading(self, reading: str) -> None:
        shown = reading != DEFAULT_READING
        self.reading_label.setText(f"Reading: {READING_LABELS[reading]}" if shown else "")
        self.reading_label.setVisible(shown)

    def show_problems(self, problems: list[Problem], announce: bool = True) -> None:
        """List ``problems`` behind the status bar's button (hidden when there are none)."""
        self.problems_button.show_problems(problems)
        if announce and problems:
            self.bar.showMessage(
                "Some content could not be loaded as written; the rest is shown.", 15000
            )

    @Slot(str)
    def show_link(self, description: str) -> None:
        """What the link under the pointer does ("" when the pointer left it)."""
        if description:
            self.bar.showMessage(description)
        else:
            self.bar.clearMessage()

    def show_message(self, text: str, timeout: int = 10000) -> None:
        self.bar.showMessage(text, timeout)
