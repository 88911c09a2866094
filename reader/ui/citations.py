"""The Edit menu: copy a link to the section being read, copy its citation, and
append the citation to copied text (a setting kept under ``view/``). The same
copies are in the text's context menu, for the section clicked in.
"""

from __future__ import annotations

import datetime

from PySide6.QtCore import Slot
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence
from PySide6.QtWidgets import QMenu

from reader.core import links
from reader.core.citation import citation_line
from reader.ui.feature import Context, Feature, Menus
from reader.ui.reading_menu import ReadingSpot

CITATION_KEY = "view/copy_with_citation"


class Citations(Feature):
    """Copy Link, Copy Citation and Append Citation When Copying."""

    def build(self, context: Context) -> None:
        super().build(context)
        window = context.window
        citing = context.settings.value(CITATION_KEY, False)
        self.copy_with_citation = citing in (True, "true", "1", 1)
        self.copy_link_action = QAction("Copy &Link to Section", window)
        self.copy_link_action.setObjectName("copy_link_action")
        self.copy_link_action.setShortcut(QKeySequence("Ctrl+Shift+L"))
        self.copy_link_action.setStatusTip("Copy a reader:// reference to the section being read")
        self.copy_citation_action = QAction("Copy &Citation for Section", window)
        self.copy_citation_action.setObjectName("copy_citation_action")
        self.copy_citation_action.setShortcut(QKeySequence("Ctrl+Alt+C"))
        self.cite_on_copy_action = QAction("&Append Citation When Copying", window)
        self.cite_on_copy_action.setObjectName("cite_on_copy_action")
        self.cite_on_copy_action.setStatusTip(
            "Copied text gets a line naming the essay, site, section and date"
        )
        self.cite_on_copy_action.setCheckable(True)
        self.cite_on_copy_action.setChecked(self.copy_with_citation)
        for action in (self.copy_link_action, self.copy_citation_action, self.cite_on_copy_action):
            context.add_action(action)
        context.reading_view.citation_provider = self.citation_for_copy

    def add_menus(self, menus: Menus) -> None:
        menus.edit.addAction(self.copy_link_action)
        menus.edit.addAction(self.copy_citation_action)
        menus.edit.addSeparator()
        menus.edit.addAction(self.cite_on_copy_action)

    def connect(self) -> None:
        self.copy_link_action.triggered.connect(self.copy_link)
        self.copy_citation_action.triggered.connect(self.copy_citation)
        self.cite_on_copy_action.toggled.connect(self.set_copy_with_citation)
        self.context.reading_view.add_context_entries(self._context_entries)

    def _context_entries(self, menu: QMenu, spot: ReadingSpot) -> None:
        essay = self.context.current_essay
        if essay is None or not spot.section:
            return
        section = spot.section
        cite = menu.addAction("Copy Ci&tation")
        cite.triggered.connect(lambda: self._copy(
            citation_line(essay, section), "Copied the citation."))
        link = links.section_link(essay.id, section)
        copy_link = menu.addAction("Copy &Link to Section")
        copy_link.triggered.connect(lambda: self._copy(link, f"Copied {link}"))

    def _copy(self, text: str, message: str) -> None:
        QGuiApplication.clipboard().setText(text)
        self.context.show_message(message)

    def citation_for_copy(self) -> str:
        """The citation appended to copied text, or "" when that is switched off."""
        return self.current_citation() if self.copy_with_citation else ""

    def current_citation(self, today: datetime.date | None = None) -> str:
        essay = self.context.current_essay
        if essay is None:
            return ""
        return citation_line(essay, self.context.reading_view.section_at_top(), today)

    @Slot()
    def copy_link(self) -> None:
        where = self.context.current_section()
        if where is None:
            return
        link = links.section_link(*where)
        QGuiApplication.clipboard().setText(link)
        self.context.show_message(f"Copied {link}")

    @Slot()
    def copy_citation(self) -> None:
        citation = self.current_citation()
        if citation:
            QGuiApplication.clipboard().setText(citation)
            self.context.show_message("Copied the citation.")

    @Slot(bool)
    def set_copy_with_citation(self, on: bool) -> None:
        self.copy_with_citation = on
        self.context.settings.setValue(CITATION_KEY, on)
