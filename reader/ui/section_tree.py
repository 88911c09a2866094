"""The contents tree: every essay's sections, nested, following the reading."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractItemView, QTreeWidget, QTreeWidgetItem, QWidget

from reader.core.content import Library

DOCUMENT_ROLE = Qt.ItemDataRole.UserRole
SECTION_ROLE = Qt.ItemDataRole.UserRole + 1


class SectionTree(QTreeWidget):
    """Sections of the library; activating an item asks to open that section."""

    section_activated = Signal(str, str)  # document, section

    def __init__(self, library: Library, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("section_tree")
        self.setAccessibleName("Contents")
        self.setHeaderHidden(True)
        self.setUniformRowHeights(True)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setExpandsOnDoubleClick(False)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self._items: dict[tuple[str, str], QTreeWidgetItem] = {}
        self._populate(library)
        self.itemClicked.connect(self._on_item_activated)
        self.itemActivated.connect(self._on_item_activated)

    def _populate(self, library: Library) -> None:
        for essay in library.essays:
            parent_of: dict[str, QTreeWidgetItem] = {}
            for section in essay.sections:
                parent = parent_of.get(section.parent or "")
                item = QTreeWidgetItem([section.title])
                item.setData(0, DOCUMENT_ROLE, essay.id)
                item.setData(0, SECTION_ROLE, section.id)
                item.setToolTip(0, section.title)
                if parent is None:
                    self.addTopLevelItem(item)
                else:
                    parent.addChild(item)
                parent_of[section.id] = item
                self._items[(essay.id, section.id)] = item
        self.expandToDepth(0)

    def item_for(self, document: str, section: str) -> QTreeWidgetItem | None:
        return self._items.get((document, section))

    def select_section(self, document: str, section: str) -> None:
        """Show where the reader is, without asking to navigate."""
        item = self._items.get((document, section))
        if item is None or item is self.currentItem():
            return
        parent = item.parent()
        while parent is not None:
            parent.setExpanded(True)
            parent = parent.parent()
        blocked = self.blockSignals(True)
        self.setCurrentItem(item)
        self.blockSignals(blocked)
        self.scrollToItem(item)

    @Slot(QTreeWidgetItem, int)
    def _on_item_activated(self, item: QTreeWidgetItem, _column: int = 0) -> None:
        self.section_activated.emit(item.data(0, DOCUMENT_ROLE), item.data(0, SECTION_ROLE))

    def keyPressEvent(self, event: QKeyEvent) -> None:
        # Enter on the current item navigates (itemActivated covers Return on most styles).
        item = self.currentItem()
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and item is not None:
            self._on_item_activated(item)
            return
        super().keyPressEvent(event)
