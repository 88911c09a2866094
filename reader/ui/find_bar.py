"""Find in page: a bar under the reading view for plain text in the current essay.

Ctrl+F shows it; typing highlights every match (extra selections) and moves to
the first one after the cursor; Enter / Shift+Enter (or the arrows) step,
the label counts ("3 of 12"), "Match case" toggles case, Esc closes the bar
and drops the highlights. It shares ``ReadingHighlights`` with search, without
whole-word matching.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QCheckBox,
    QLabel,
    QLineEdit,
    QSizePolicy,
    QTextEdit,
    QToolBar,
    QToolButton,
    QWidget,
)

from reader.ui.reading_highlights import ReadingHighlights


class _FindField(QLineEdit):
    step = Signal(int)
    escaped = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            shift = event.modifiers() & Qt.KeyboardModifier.ShiftModifier
            self.step.emit(-1 if shift else 1)
            return
        if event.key() == Qt.Key.Key_Escape:
            self.escaped.emit()
            return
        super().keyPressEvent(event)


class FindBar(QToolBar):
    """Find plain text in the reading view: highlight all, next/previous, count, case."""

    activated = Signal()  # the bar took over the view's highlights
    closed = Signal()

    def __init__(self, view: QTextEdit, parent: QWidget | None = None) -> None:
        super().__init__("Find in Page", parent)
        self.setObjectName("find_bar")
        self.setMovable(False)
        self.setFloatable(False)
        self.view = view
        self.highlights = ReadingHighlights(view, self, whole_words=False)
        self._origin = 0

        self.field = _FindField(self)
        self.field.setObjectName("find_field")
        self.field.setPlaceholderText("Find in page")
        self.field.setAccessibleName("Find in page")
        self.field.setClearButtonEnabled(True)
        self.field.setMaximumWidth(320)
        self.previous_button = QToolButton(self)
        self.previous_button.setText("▲")
        self.previous_button.setToolTip("Previous match (Shift+Enter)")
        self.next_button = QToolButton(self)
        self.next_button.setText("▼")
        self.next_button.setToolTip("Next match (Enter)")
        self.count_label = QLabel(self)
        self.count_label.setObjectName("find_count")
        self.count_label.setMinimumWidth(90)
        self.case_box = QCheckBox("Match case", self)
        self.close_button = QToolButton(self)
        self.close_button.setText("✕")
        self.close_button.setToolTip("Close (Esc)")
        for widget in (self.field, self.previous_button, self.next_button, self.count_label,
                       self.case_box):
            self.addWidget(widget)
        spacer = QWidget(self)
        spacer.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.addWidget(spacer)
        self.addWidget(self.close_button)

        self.open_action = QAction("&Find in Page…", self)
        self.open_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Find))
        self.toggleViewAction().setVisible(False)  # not in the toolbar context menu

        self.field.textChanged.connect(self.find_text)
        self.field.step.connect(self.step)
        self.field.escaped.connect(self.close_bar)
        self.previous_button.clicked.connect(lambda: self.step(-1))
        self.next_button.clicked.connect(lambda: self.step(1))
        self.case_box.toggled.connect(self._on_case_toggled)
        self.close_button.clicked.connect(self.close_bar)
        self.highlights.changed.connect(self._show_count)
        self.hide()

    @Slot()
    def open_bar(self) -> None:
        self.show()
        self._origin = self.view.textCursor().selectionStart()
        selected = self.view.textCursor().selectedText()
        if selected and "\u2029" not in selected and len(selected) < 100:
            self.field.setText(selected)
        self.field.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.field.selectAll()
        if self.field.text():
            self.find_text(self.field.text())

    @Slot()
    def close_bar(self) -> None:
        self.highlights.clear()
        self.hide()
        self.view.setFocus(Qt.FocusReason.OtherFocusReason)
        self.closed.emit()

    @Slot(str)
    def find_text(self, text: str) -> None:
        """Highlight every occurrence of ``text`` and go to the first after the cursor."""
        if not text:
            self.highlights.clear()
            return
        self.activated.emit()
        self.highlights.show([text])
        # From where the reader was when the bar opened, not from the last match typed.
        after = next(
            (i for i, start in enumerate(self.highlights.starts()) if start >= self._origin), 0
        )
        if self.highlights.count:
            self.highlights.go_to(after)

    @Slot(int)
    def step(self, delta: int) -> None:
        if not self.highlights.count and self.field.text():
            self.find_text(self.field.text())
            return
        if delta > 0:
            self.highlights.next()
        else:
            self.highlights.previous()

    @Slot(bool)
    def _on_case_toggled(self, on: bool) -> None:
        self.highlights.case_sensitive = on
        self.find_text(self.field.text())

    @Slot(int, int)
    def _show_count(self, current: int, total: int) -> None:
        if not self.field.text():
            self.count_label.setText("")
        elif total == 0:
            self.count_label.setText("No matches")
        else:
            self.count_label.setText(f"{current + 1} of {total}")
