"""The contents tree: every essay's sections, nested, following the reading.

Each essay is one branch, named by its title (its title heading, or an item of
its own when it has several top-level sections), in the library's order, by
title or by date added (``set_order``). Beside each section it can show a
bookmark marker (``set_bookmarked``) and, in a second column, the number of
search hits (``set_hit_counts``).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

from PySide6.QtCore import QSize, Qt, Signal, Slot
from PySide6.QtGui import QIcon, QKeyEvent, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QTreeWidget,
    QTreeWidgetItem,
    QWidget,
)

from reader.core.content import Essay, Library
from reader.core.text import fold
from reader.ui.icons import icon

DOCUMENT_ROLE = Qt.ItemDataRole.UserRole
SECTION_ROLE = Qt.ItemDataRole.UserRole + 1
#: Set on items whose section has a bookmark.
BOOKMARKED_ROLE = Qt.ItemDataRole.UserRole + 20
#: The orders the essays can be listed in.
ORDERS = ("library", "title", "added")


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
        #: Essay id -> (the essay shown, its top-level items, the keys of all its items).
        self._branches: dict[
            str, tuple[Essay, list[QTreeWidgetItem], list[tuple[str, str]]]
        ] = {}
        self._library = library
        #: The keys of the items marked as bookmarked, and of those given a mark or not.
        self._marked: set[tuple[str, str]] = set()
        self._iconed: set[tuple[str, str]] = set()
        self.order = "library"
        self._populate(library)
        self.itemClicked.connect(self._on_item_activated)
        self.itemActivated.connect(self._on_item_activated)

    def _populate(self, library: Library) -> None:
        for essay in self._ordered(library.essays):
            self.addTopLevelItems(self._branch(essay))
        if len(library.essays) == 1:
            self.expandToDepth(0)  # one essay: its sections at a glance

    def _branch(self, essay: Essay) -> list[QTreeWidgetItem]:
        """The items of one essay (its top-level ones returned), not yet in the tree."""
        roots = [s for s in essay.sections if not s.parent]
        top: QTreeWidgetItem | None = None
        tops: list[QTreeWidgetItem] = []
        keys: list[tuple[str, str]] = []
        if len(roots) != 1:  # no single title heading: the essay gets an item of its own
            top = QTreeWidgetItem([essay.title])
            top.setData(0, DOCUMENT_ROLE, essay.id)
            top.setData(0, SECTION_ROLE, "")
            top.setToolTip(0, essay.title)
            tops.append(top)
            self._items[(essay.id, "")] = top
            keys.append((essay.id, ""))
        parent_of: dict[str, QTreeWidgetItem] = {}
        for section in essay.sections:
            parent = parent_of.get(section.parent or "", top)
            item = QTreeWidgetItem([section.title])
            item.setData(0, DOCUMENT_ROLE, essay.id)
            item.setData(0, SECTION_ROLE, section.id)
            item.setToolTip(0, section.title)
            if parent is None:
                tops.append(item)
            else:
                parent.addChild(item)
            parent_of[section.id] = item
            self._items[(essay.id, section.id)] = item
            keys.append((essay.id, section.id))
        self._branches[essay.id] = (essay, tops, keys)
        return tops

    def _ordered(self, essays: list[Essay]) -> list[Essay]:
        if self.order == "title":
            return sorted(essays, key=lambda e: fold(e.title))
        if self.order == "added":  # the shipped essays first, then as they were imported
            return sorted(essays, key=lambda e: str(e.meta.get("imported") or ""))
        return list(essays)

    def set_library(self, library: Library) -> None:
        """Show ``library`` instead, keeping the expanded branches and the order."""
        expanded = self.expanded_sections()
        current = self.currentItem()
        here = (current.data(0, DOCUMENT_ROLE), current.data(0, SECTION_ROLE)) if current else None
        self._library = library
        blocked = self.blockSignals(True)
        wanted = self._ordered(library.essays)
        # An essay object that is still in the library keeps its branch (an import
        # changes a few essays of many): only the others are taken out and made anew.
        kept = {e.id for e in wanted if self._branches.get(e.id, (None,))[0] is e}
        for essay_id in [i for i in self._branches if i not in kept]:
            _, tops, keys = self._branches.pop(essay_id)
            for item in tops:
                self.takeTopLevelItem(self.indexOfTopLevelItem(item))
            for key in keys:
                self._items.pop(key, None)
                self._iconed.discard(key)  # the essay's new items have no mark yet
                self._marked.discard(key)
        row = 0
        for essay in wanted:
            if essay.id in kept:
                tops = self._branches[essay.id][1]
                if self.topLevelItem(row) is not tops[0]:  # the order changed
                    for offset, item in enumerate(tops):
                        self.takeTopLevelItem(self.indexOfTopLevelItem(item))
                        self.insertTopLevelItem(row + offset, item)
            else:
                tops = self._branch(essay)
                self.insertTopLevelItems(row, tops)
            row += len(tops)
        if len(library.essays) == 1:
            self.expandToDepth(0)
        self.set_expanded(expanded, only_add=True)
        self.blockSignals(blocked)
        if here is not None:
            self.select_section(*here)

    def set_order(self, order: str) -> None:
        """List the essays in the library's order, by title or by date added."""
        if order in ORDERS and order != self.order:
            self.order = order
            self.set_library(self._library)

    def essay_titles(self) -> list[str]:
        """The essays' branches as listed, top to bottom."""
        items = (self.topLevelItem(n) for n in range(self.topLevelItemCount()))
        return [item.text(0) for item in items if item is not None]

    def expanded_sections(self) -> list[str]:
        """The expanded branches, as ``document/section`` keys (to be remembered)."""
        return [
            f"{doc}/{section}"
            for (doc, section), item in self._items.items()
            if item.childCount() and item.isExpanded()
        ]

    def set_expanded(self, keys: Collection[str], only_add: bool = False) -> None:
        """Expand exactly the branches in ``keys`` (from ``expanded_sections``), or with
        ``only_add`` expand those and leave the others as they are."""
        wanted = set(keys)
        for (doc, section), item in self._items.items():
            if item.childCount() and (not only_add or f"{doc}/{section}" in wanted):
                item.setExpanded(f"{doc}/{section}" in wanted)

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

    def set_bookmarked(self, marked: Collection[tuple[str, str]]) -> None:
        """Put a bookmark icon on the items of the ``marked`` (document, section) pairs.

        An icon, drawn by Qt, rather than a Python delegate: a delegate would run Python on
        every repaint of every row (and PySide 6.12.0 leaks a reference to None on each
        call that returns None; see the report)."""
        ribbon = icon("bookmarks")
        blank = QPixmap(self.iconSize() if self.iconSize().isValid() else QSize(16, 16))
        blank.fill(Qt.GlobalColor.transparent)
        gutter = QIcon(blank)  # unmarked rows keep their text aligned with marked ones
        marked = set(marked) & self._items.keys()
        # Only the items whose mark changes, and those made since the last call: a
        # library of a thousand essays has ten thousand items.
        for key in (marked ^ self._marked) | (self._items.keys() - self._iconed):
            item = self._items[key]
            is_marked = key in marked
            item.setData(0, BOOKMARKED_ROLE, is_marked)
            item.setIcon(0, ribbon if is_marked else gutter)
            item.setToolTip(0, item.text(0) + ("\nBookmarked" if is_marked else ""))
        self._marked = marked
        self._iconed = set(self._items)

    def set_hit_counts(self, counts: Sequence[tuple[str, str, int]]) -> None:
        """Show each section's search hit count, ``(document, section, count)``, in a
        second column; no counts hide the column."""
        by_section = {(doc, section): count for doc, section, count in counts}
        if self.columnCount() < 2:
            self.setColumnCount(2)
            header = self.header()
            header.setStretchLastSection(False)
            header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
            header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        for key, item in self._items.items():
            count = by_section.get(key)
            item.setText(1, str(count) if count else "")
            item.setTextAlignment(1, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            item.setToolTip(1, f"{count} search hit{'s' if count != 1 else ''}" if count else "")
        self.setColumnHidden(1, not by_section)

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
