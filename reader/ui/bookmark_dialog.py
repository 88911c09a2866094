"""The bookmark add/edit dialog (name, folder, note) and a one-line question.

``BookmarkDialog.ask`` and ``ask_text`` show their dialog modally and return
what was typed, or None when cancelled.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Slot
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from reader.core import bookmarks


@dataclass(frozen=True)
class BookmarkDetails:
    """What the add/edit dialog asks for."""

    name: str
    note: str
    folder: str


class BookmarkDialog(QDialog):
    """Name, note and folder of a bookmark (the quote, if any, is shown, not edited)."""

    def __init__(
        self, parent: QWidget | None, title: str, details: BookmarkDetails,
        folders: list[str], place: str = "", quote: str = "",
    ) -> None:
        super().__init__(parent)
        self.setObjectName("bookmark_dialog")
        self.setWindowTitle(title)
        self.name_edit = QLineEdit(details.name, self)
        self.name_edit.setObjectName("bookmark_name")
        self.name_edit.selectAll()
        self.folder_box = QComboBox(self)
        self.folder_box.setObjectName("bookmark_folder")
        self.folder_box.setEditable(True)
        self.folder_box.addItem("")
        self.folder_box.addItems(folders)
        self.folder_box.setCurrentText(details.folder)
        folder_line = self.folder_box.lineEdit()
        if folder_line is not None:
            folder_line.setPlaceholderText("Top level (nested folders: A/B)")
        self.note_edit = QPlainTextEdit(details.note, self)
        self.note_edit.setObjectName("bookmark_note")
        self.note_edit.setTabChangesFocus(True)
        self.note_edit.setPlaceholderText("A note for yourself (optional)")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.name_edit.textChanged.connect(self._update_ok)

        form = QFormLayout()
        if place:
            form.addRow("Section:", QLabel(place, self))
        if quote:
            shown = QLabel(f"\u201c{quote}\u201d", self)
            shown.setWordWrap(True)
            form.addRow("Passage:", shown)
        form.addRow("&Name:", self.name_edit)
        form.addRow("&Folder:", self.folder_box)
        form.addRow("N&ote:", self.note_edit)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        self.resize(460, 300)
        self._update_ok()

    @Slot()
    def _update_ok(self) -> None:
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(bool(self.name_edit.text().strip()))

    def details(self) -> BookmarkDetails:
        return BookmarkDetails(
            self.name_edit.text().strip(), self.note_edit.toPlainText(),
            bookmarks.normalize_folder(self.folder_box.currentText()),
        )

    @classmethod
    def ask(
        cls, parent: QWidget | None, title: str, details: BookmarkDetails, folders: list[str],
        place: str = "", quote: str = "",
    ) -> BookmarkDetails | None:
        """Show the dialog; the details, or None when cancelled. Tests replace this."""
        dialog = cls(parent, title, details, folders, place, quote)
        try:
            return dialog.details() if dialog.exec() == QDialog.DialogCode.Accepted else None
        finally:
            dialog.deleteLater()


def ask_text(parent: QWidget | None, title: str, label: str) -> str | None:
    """A one-line question; None when cancelled. Tests replace this."""
    text, ok = QInputDialog.getText(parent, title, label)
    return text if ok else None
