"""The status bar's "⚠ N content problems" button and the list it opens.

Problems with the content folder never stop the reader: what is valid is
shown, and this button says how many problems were found and lists them.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Slot
from PySide6.QtWidgets import QMessageBox, QPushButton, QWidget

from reader.core.content import Problem


class ProblemsButton(QPushButton):
    """Hidden until there are problems; a click lists them."""

    def __init__(self, root: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("problems_button")
        self.setFlat(True)
        self.hide()
        self.root = root
        self.problems: list[Problem] = []
        self.clicked.connect(self.show_details)

    def show_problems(self, problems: list[Problem]) -> None:
        self.problems = problems
        count = len(problems)
        self.setText(f"⚠ {count} content problem{'s' if count != 1 else ''}")
        self.setToolTip("Show the problems found in the content folder")
        self.show()

    @Slot()
    def show_details(self) -> None:
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            "Content problems",
            f"{len(self.problems)} problem(s) were found in "
            f"{self.root}. Whatever is valid is shown.",
            QMessageBox.StandardButton.Close,
            self,
        )
        box.setDetailedText("\n".join(str(p) for p in self.problems))
        box.exec()
