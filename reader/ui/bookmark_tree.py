"""The bookmarks' folder tree: folders and bookmarks as items, filtering, selection.

The tree shows what the panel gives it and reports drops (``items_dropped``)
without carrying them out, so the store decides; items carry their kind and
their bookmark id or folder path in item data roles.
"""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QDropEvent, QIcon, QKeyEvent, QPainter, QPalette, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QTreeWidget,
    QTreeWidgetItem,
    QTreeWidgetItemIterator,
    QWidget,
)

from reader.core.bookmarks import Bookmark
from reader.ui.icons import icon

KIND_ROLE = Qt.ItemDataRole.UserRole
ID_ROLE = Qt.ItemDataRole.UserRole + 1  # bookmark id (int)
PATH_ROLE = Qt.ItemDataRole.UserRole + 2  # folder path (str)
SEARCH_ROLE = Qt.ItemDataRole.UserRole + 3  # what the filter looks in, case-folded

BOOKMARK = "bookmark"
FOLDER = "folder"


class BookmarkTree(QTreeWidget):
    """The folder tree; drops are reported, not carried out, so the store decides."""

    items_dropped = Signal(list, str)  # [(kind, id or path)], target folder
    activated_by_key = Signal(QTreeWidgetItem)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("bookmark_tree")
        self.setAccessibleName("Bookmarks")
        self.setHeaderHidden(True)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.EditKeyPressed)
        self.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.setExpandsOnDoubleClick(False)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        # Looked up once: icon() checks the theme and the disk on every call.
        self._icons = {name: self._selectable(icon(name))
                       for name in ("bookmarks", "dialog-warning", "folder")}
        base = QTreeWidgetItem().flags() | Qt.ItemFlag.ItemIsEditable
        self._bookmark_flags = base | Qt.ItemFlag.ItemIsDragEnabled
        self._folder_flags = self._bookmark_flags | Qt.ItemFlag.ItemIsDropEnabled

    # -- building ---------------------------------------------------------------------------

    def _selectable(self, source: QIcon) -> QIcon:
        """``source`` with a selected-state pixmap of its own: its shape in the
        highlighted text colour. Qt's default tints it with the highlight colour, and a
        blue bookmark on a blue selection vanishes."""
        ink = self.palette().color(QPalette.ColorRole.HighlightedText)
        made = QIcon()
        for side in (16, 20, 24, 32):
            normal = source.pixmap(side, side)
            if normal.isNull():
                continue
            selected = QPixmap(normal.size())
            selected.setDevicePixelRatio(normal.devicePixelRatio())
            selected.fill(Qt.GlobalColor.transparent)
            painter = QPainter(selected)
            painter.drawPixmap(0, 0, normal)
            painter.setCompositionMode(QPainter.CompositionMode.CompositionMode_SourceIn)
            painter.fillRect(selected.rect(), ink)
            painter.end()
            made.addPixmap(normal, QIcon.Mode.Normal)
            made.addPixmap(selected, QIcon.Mode.Selected)
        return made if not made.isNull() else source

    def _folder_item(self, path: str) -> QTreeWidgetItem:
        item = QTreeWidgetItem([path.rsplit("/", 1)[-1]])
        item.setData(0, KIND_ROLE, FOLDER)
        item.setData(0, PATH_ROLE, path)
        item.setIcon(0, self._icons["folder"])
        item.setToolTip(0, path)
        item.setData(0, SEARCH_ROLE, path.casefold())
        item.setFlags(self._folder_flags)
        return item

    def _bookmark_item(self, mark: Bookmark, place: str, found: bool) -> QTreeWidgetItem:
        item = QTreeWidgetItem([mark.name])
        item.setData(0, KIND_ROLE, BOOKMARK)
        item.setData(0, ID_ROLE, mark.id)
        item.setFlags(self._bookmark_flags)
        lines = [mark.name, place]
        if mark.quote:
            lines.append(f"\u201c{mark.quote}\u201d")
        if mark.note.strip():
            lines += ["", mark.note.strip()]
        if not found:
            lines += ["", "The section no longer exists in the library. Re-point the "
                      "bookmark (menu) or delete it."]
            item.setIcon(0, self._icons["dialog-warning"])
            font = item.font(0)
            font.setItalic(True)
            item.setFont(0, font)
            item.setForeground(0, QBrush(self.palette().color(QPalette.ColorRole.PlaceholderText)))
        else:
            item.setIcon(0, self._icons["bookmarks"])
        item.setToolTip(0, "\n".join(lines))
        item.setData(0, SEARCH_ROLE, " ".join(
            [mark.name, mark.note, mark.quote, mark.folder, place]).casefold())
        item.setData(0, Qt.ItemDataRole.AccessibleDescriptionRole,
                     mark.note if found else "not found")
        return item

    def rebuild(self, folders: list[str], marks: list[tuple[Bookmark, str, bool]],
                selected: tuple[str, object] | None) -> None:
        """Show ``folders`` (paths, parents first) and ``marks`` ((bookmark, where it
        points, whether that section exists), in order), keeping open folders open; then
        select the item of ``selected`` ((kind, id or path))."""
        expanded = {path for path, item in self.folder_items().items() if item.isExpanded()}
        first_time = self.topLevelItemCount() == 0
        blocked = self.blockSignals(True)
        # Not clear(): with PySide that crashed after an in-place edit (double delete).
        while self.topLevelItemCount():
            self.takeTopLevelItem(0)
        folder_items: dict[str, QTreeWidgetItem] = {}
        for path in folders:
            item = self._folder_item(path)
            parent = folder_items.get(path.rsplit("/", 1)[0]) if "/" in path else None
            (parent.addChild(item) if parent else self.addTopLevelItem(item))
            folder_items[path] = item
        for mark, place, found in marks:
            item = self._bookmark_item(mark, place, found)
            parent = folder_items.get(mark.folder)
            (parent.addChild(item) if parent else self.addTopLevelItem(item))
        for path, item in folder_items.items():
            item.setExpanded(first_time or path in expanded)
        self.blockSignals(blocked)
        if selected is not None:
            self.select_key(selected)

    # -- finding items ----------------------------------------------------------------------

    def folder_items(self) -> dict[str, QTreeWidgetItem]:
        found: dict[str, QTreeWidgetItem] = {}
        iterator = QTreeWidgetItemIterator(self)
        while iterator.value():
            item = iterator.value()
            if item.data(0, KIND_ROLE) == FOLDER:
                found[str(item.data(0, PATH_ROLE))] = item
            iterator += 1
        return found

    def item_for_bookmark(self, bookmark_id: int) -> QTreeWidgetItem | None:
        iterator = QTreeWidgetItemIterator(self)
        while iterator.value():
            item = iterator.value()
            if item.data(0, KIND_ROLE) == BOOKMARK and item.data(0, ID_ROLE) == bookmark_id:
                return item
            iterator += 1
        return None

    def item_for_folder(self, path: str) -> QTreeWidgetItem | None:
        return self.folder_items().get(path)

    def first_shown_bookmark(self) -> QTreeWidgetItem | None:
        """The first bookmark the filter left visible."""
        iterator = QTreeWidgetItemIterator(self)
        while iterator.value():
            item = iterator.value()
            if item.data(0, KIND_ROLE) == BOOKMARK and not _hidden(item):
                return item
            iterator += 1
        return None

    # -- selection --------------------------------------------------------------------------

    def current_key(self) -> tuple[str, object] | None:
        """(kind, id or path) of the current item."""
        item = self.currentItem()
        if item is None:
            return None
        kind = item.data(0, KIND_ROLE)
        return kind, item.data(0, ID_ROLE if kind == BOOKMARK else PATH_ROLE)

    def select_key(self, key: tuple[str, object]) -> None:
        kind, ident = key
        item = (self.item_for_bookmark(int(ident)) if kind == BOOKMARK  # type: ignore[call-overload]
                else self.item_for_folder(str(ident)))
        if item is not None:
            # Explicitly replace the selection: with ExtendedSelection a bare
            # setCurrentItem() adds to it while a modifier key is held.
            self.setCurrentItem(item, 0, QItemSelectionModel.SelectionFlag.ClearAndSelect)
            self.scrollToItem(item)

    def selected(self) -> tuple[list[int], list[str]]:
        """The ids of the selected bookmarks and the paths of the selected folders."""
        ids: list[int] = []
        folders: list[str] = []
        for item in self.selectedItems():
            if item.data(0, KIND_ROLE) == BOOKMARK:
                ids.append(int(item.data(0, ID_ROLE)))
            else:
                folders.append(str(item.data(0, PATH_ROLE)))
        return ids, folders

    # -- filtering --------------------------------------------------------------------------

    def apply_filter(self, text: str) -> None:
        """Show bookmarks whose name, note, quote, folder or section title hold every
        word of ``text``; folders stay visible when something inside them does."""
        words = text.casefold().split()

        def matches(item: QTreeWidgetItem) -> bool:
            folded = str(item.data(0, SEARCH_ROLE) or "")
            return all(word in folded for word in words)

        def visit(item: QTreeWidgetItem | None, inherited: bool) -> bool:
            if item is None:
                return False
            own = not words or inherited or matches(item)
            shown_child = False
            for index in range(item.childCount()):
                is_folder = item.data(0, KIND_ROLE) == FOLDER
                shown_child |= visit(item.child(index), own and is_folder and bool(words))
            visible = own or shown_child
            item.setHidden(not visible)
            if words and shown_child:
                item.setExpanded(True)
            return visible

        for index in range(self.topLevelItemCount()):
            visit(self.topLevelItem(index), False)

    # -- dropping and keys ------------------------------------------------------------------

    @staticmethod
    def folder_at(item: QTreeWidgetItem | None) -> str:
        """The folder a drop on ``item`` goes into: the folder itself, or the folder
        holding the bookmark, or the top level."""
        if item is None:
            return ""
        if item.data(0, KIND_ROLE) == FOLDER:
            return str(item.data(0, PATH_ROLE))
        parent = item.parent()
        return str(parent.data(0, PATH_ROLE)) if parent is not None else ""

    def dropEvent(self, event: QDropEvent) -> None:
        if event.source() is not self:
            event.ignore()
            return
        target = self.folder_at(self.itemAt(event.position().toPoint()))
        dragged = [
            (item.data(0, KIND_ROLE), item.data(0, ID_ROLE) if item.data(0, KIND_ROLE) == BOOKMARK
             else item.data(0, PATH_ROLE))
            for item in self.selectedItems()
        ]
        event.setDropAction(Qt.DropAction.CopyAction)  # nothing for the view to remove
        event.accept()
        # The store moves them and the tree is rebuilt, after the drag has finished.
        QTimer.singleShot(0, lambda: self.items_dropped.emit(dragged, target))

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if (event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentItem()
                and self.state() != QAbstractItemView.State.EditingState):
            self.activated_by_key.emit(self.currentItem())
            return
        super().keyPressEvent(event)


def _hidden(item: QTreeWidgetItem) -> bool:
    """Hidden itself or inside a hidden folder."""
    current: QTreeWidgetItem | None = item
    while current is not None:
        if current.isHidden():
            return True
        current = current.parent()
    return False
