"""The bookmarks dock: bookmarks in a tree of folders, with a filter box, notes and undo.

Built from a ``BookmarkStore`` and the ``Library``; it talks to the rest of the window
through signals carrying plain ids (``bookmark_activated(document, section)``). Every
change goes through a ``QUndoStack``, so delete, rename, edit and move can be undone.

Also here: ``PositionKeeper``, which saves the reading position (throttled), and
``mark_bookmarked_sections``, which draws a marker beside bookmarked sections in the
contents tree.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import (
    QEvent,
    QItemSelectionModel,
    QObject,
    QPoint,
    QSize,
    Qt,
    QTimer,
    Signal,
    Slot,
)
from PySide6.QtGui import (
    QAction,
    QBrush,
    QDropEvent,
    QIcon,
    QKeyEvent,
    QKeySequence,
    QPalette,
    QPixmap,
    QUndoCommand,
    QUndoStack,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QPlainTextEdit,
    QToolButton,
    QTreeWidget,
    QTreeWidgetItem,
    QTreeWidgetItemIterator,
    QVBoxLayout,
    QWidget,
)

from reader.core import bookmarks
from reader.core.bookmarks import Bookmark, BookmarkStore
from reader.core.content import Library
from reader.ui.icons import icon
from reader.ui.reading_view import ReadingView

KIND_ROLE = Qt.ItemDataRole.UserRole
ID_ROLE = Qt.ItemDataRole.UserRole + 1  # bookmark id (int)
PATH_ROLE = Qt.ItemDataRole.UserRole + 2  # folder path (str)
SEARCH_ROLE = Qt.ItemDataRole.UserRole + 3  # what the filter looks in, case-folded
#: Set on items of the contents tree whose section has a bookmark.
BOOKMARKED_ROLE = Qt.ItemDataRole.UserRole + 20

BOOKMARK = "bookmark"
FOLDER = "folder"
#: A quote longer than this is cut at a word boundary: enough to find the place again.
MAX_QUOTE = 200


@dataclass(frozen=True)
class BookmarkDetails:
    """What the add/edit dialog asks for."""

    name: str
    note: str
    folder: str


def short_quote(text: str, limit: int = MAX_QUOTE) -> str:
    """The selected text on one line, cut at a word boundary after ``limit`` characters."""
    flat = " ".join(text.replace("\u2029", " ").replace("\u2028", " ").split())
    if len(flat) <= limit:
        return flat
    cut = flat[:limit].rsplit(" ", 1)[0]
    return cut or flat[:limit]


def reading_location(view: ReadingView) -> tuple[str, str, str] | None:
    """``(document, section, quote)`` to bookmark: the selected passage and the section
    it starts in, or the section at the top of the view when nothing is selected."""
    essay = view.essay
    if essay is None:
        return None
    cursor = view.textCursor()
    if not cursor.hasSelection():
        section = view.section_at_top()
        return (essay.id, section, "") if section else None
    block = view.document().findBlock(cursor.selectionStart())
    y = view.document().documentLayout().blockBoundingRect(block).top()
    tops = sorted(
        (top, s.id) for s in essay.sections if (top := view.section_top(s.id)) is not None
    )
    if not tops:
        return None
    index = bisect.bisect_right([top for top, _ in tops], y + 1) - 1
    return essay.id, tops[max(0, index)][1], short_quote(cursor.selectedText())


def select_passage(view: ReadingView, document: str, section: str, quote: str) -> bool:
    """Select ``quote`` in ``section`` of the shown essay and bring it into view; False if
    the essay is not shown or the passage is not there (the text may have changed)."""
    essay = view.essay
    top = view.section_top(section)
    if essay is None or essay.id != document or top is None or not quote:
        return False
    doc = view.document()
    layout = doc.documentLayout()
    cursor = doc.find(quote)
    while not cursor.isNull():
        if layout.blockBoundingRect(cursor.block()).top() >= top - 1:
            break
        cursor = doc.find(quote, cursor)
    if cursor.isNull():
        return False
    view.setTextCursor(cursor)
    rect = view.cursorRect(cursor)
    if not view.viewport().rect().contains(rect):
        bar = view.verticalScrollBar()
        bar.setValue(bar.value() + rect.top() - view.viewport().height() // 3)
    return True


# --- the add/edit dialog -------------------------------------------------------------------

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


# --- undoable changes ----------------------------------------------------------------------

class _StoreCommand(QUndoCommand):
    """A change to the store; a failure is reported and the command dropped."""

    def __init__(self, panel: BookmarksPanel, text: str) -> None:
        super().__init__(text)
        self.panel = panel

    def redo(self) -> None:
        self._run(self.do)

    def undo(self) -> None:
        if self._run(self.undo_change):
            self.panel.report(f"Undone: {self.text()}.")

    def _run(self, change: Callable[[BookmarkStore], None]) -> bool:
        try:
            change(self.panel.store)
        except bookmarks.Error as exc:
            self.setObsolete(True)
            self.panel.report(f"{self.text()}: {exc}")
            return False
        finally:
            self.panel.refresh()
        return True

    def do(self, store: BookmarkStore) -> None:
        raise NotImplementedError

    def undo_change(self, store: BookmarkStore) -> None:
        raise NotImplementedError


class _AddCommand(_StoreCommand):
    def __init__(self, panel: BookmarksPanel, essay: str, section: str, details: BookmarkDetails,
                 quote: str) -> None:
        super().__init__(panel, f"Add bookmark \u201c{details.name}\u201d")
        self.args = (essay, section, details.name, details.note, details.folder, quote)
        self.added: Bookmark | None = None

    def do(self, store: BookmarkStore) -> None:
        if self.added is None:
            self.added = store.add(*self.args)
            self.panel.select_bookmark(self.added.id)
        else:
            store.restore([self.added])

    def undo_change(self, store: BookmarkStore) -> None:
        if self.added is not None:
            store.remove(self.added.id)


class _EditCommand(_StoreCommand):
    """Change fields of one bookmark (rename, note, folder, re-point)."""

    def __init__(self, panel: BookmarksPanel, text: str, before: Bookmark,
                 changes: dict[str, str]) -> None:
        super().__init__(panel, text)
        self.bookmark_id = before.id  # not "id": that would shadow QUndoCommand.id()
        self.after = changes
        self.before = {key: getattr(before, key) for key in changes}

    def do(self, store: BookmarkStore) -> None:
        store.update(self.bookmark_id, **self.after)

    def undo_change(self, store: BookmarkStore) -> None:
        store.update(self.bookmark_id, **self.before)


class _DeleteCommand(_StoreCommand):
    def __init__(self, panel: BookmarksPanel, ids: list[int], folders: list[str]) -> None:
        count = len(ids) + len(folders)
        what = "bookmark" if not folders else "folder" if not ids else "item"
        super().__init__(panel, f"Delete {count} {what}{'s' if count != 1 else ''}")
        self.ids = ids
        self.folder_paths = folders
        self.removed: list[Bookmark] = []
        self.removed_folders: list[str] = []

    def do(self, store: BookmarkStore) -> None:
        removed: list[Bookmark] = []
        removed_folders: list[str] = []
        with store.batch():  # one transaction: all of them go, or none
            for path in self.folder_paths:
                removal = store.remove_folder(path)
                removed.extend(removal.bookmarks)
                removed_folders.extend(removal.folders)
            for bookmark_id in self.ids:
                if store.get(bookmark_id) is not None:  # not already gone with its folder
                    removed.append(store.remove(bookmark_id))
        self.removed, self.removed_folders = removed, removed_folders

    def undo_change(self, store: BookmarkStore) -> None:
        store.restore(self.removed, self.removed_folders)


class _RenameFolderCommand(_StoreCommand):
    def __init__(self, panel: BookmarksPanel, text: str, old: str, new: str) -> None:
        super().__init__(panel, text)
        self.old, self.new = old, new

    def do(self, store: BookmarkStore) -> None:
        store.rename_folder(self.old, self.new)

    def undo_change(self, store: BookmarkStore) -> None:
        store.rename_folder(self.new, self.old)


class _MacroCommand(_StoreCommand):
    """Several changes as one undo step and one transaction (moving a selection)."""

    def __init__(self, panel: BookmarksPanel, text: str, steps: list[_StoreCommand]) -> None:
        super().__init__(panel, text)
        self.steps = steps

    def do(self, store: BookmarkStore) -> None:
        with store.batch():
            for step in self.steps:
                step.do(store)

    def undo_change(self, store: BookmarkStore) -> None:
        with store.batch():
            for step in reversed(self.steps):
                step.undo_change(store)


class _NewFolderCommand(_StoreCommand):
    def __init__(self, panel: BookmarksPanel, path: str) -> None:
        super().__init__(panel, f"New folder \u201c{path}\u201d")
        self.path = path

    def do(self, store: BookmarkStore) -> None:
        store.add_folder(self.path)

    def undo_change(self, store: BookmarkStore) -> None:
        store.remove_folder(self.path)


# --- the tree ------------------------------------------------------------------------------

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


class BookmarksPanel(QWidget):
    """Bookmarks by folder, with a filter box; the content of the Bookmarks dock."""

    bookmark_activated = Signal(str, str)  # document, section
    passage_requested = Signal(str, str, str)  # document, section, quote (after activation)
    marks_changed = Signal()  # the set of bookmarked sections may have changed
    message = Signal(str)  # something to show in the status bar

    def __init__(self, store: BookmarkStore, library: Library,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("bookmarks_panel")
        self.store = store
        self.library = library
        self.undo_stack = QUndoStack(self)
        self._commands: list[QUndoCommand] = []
        self._last_folder = ""
        self._selected_after_refresh: tuple[str, object] | None = None
        # Looked up once: icon() checks the theme and the disk on every call.
        self._icons = {name: icon(name) for name in ("bookmarks", "dialog-warning", "folder")}
        base = QTreeWidgetItem().flags() | Qt.ItemFlag.ItemIsEditable
        self._bookmark_flags = base | Qt.ItemFlag.ItemIsDragEnabled
        self._folder_flags = self._bookmark_flags | Qt.ItemFlag.ItemIsDropEnabled
        self._section_order = {
            (s.document, s.id): n for n, s in enumerate(library.sections())
        }

        self.filter_edit = QLineEdit(self)
        self.filter_edit.setObjectName("bookmark_filter")
        self.filter_edit.setPlaceholderText("Filter bookmarks")
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.setAccessibleName("Filter bookmarks")
        self.tree = BookmarkTree(self)
        # A lasting message (the store was set aside...), with a button to dismiss it.
        self.notice_box = QFrame(self)
        self.notice_box.setObjectName("bookmark_notice_box")
        self.notice_box.setStyleSheet(
            "#bookmark_notice_box { background: #fff4d6; border: 1px solid #e0c57a;"
            " border-radius: 3px; } QLabel { color: #5a4100; }"
        )
        self.notice = QLabel(self.notice_box)
        self.notice.setObjectName("bookmark_notice")
        self.notice.setWordWrap(True)
        self.notice.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        dismiss = QToolButton(self.notice_box)
        dismiss.setObjectName("bookmark_notice_dismiss")
        dismiss.setText("\u00d7")
        dismiss.setAutoRaise(True)
        dismiss.setToolTip("Dismiss")
        dismiss.clicked.connect(self.notice_box.hide)
        notice_row = QHBoxLayout(self.notice_box)
        notice_row.setContentsMargins(6, 4, 2, 4)
        notice_row.addWidget(self.notice, 1)
        notice_row.addWidget(dismiss, 0, Qt.AlignmentFlag.AlignTop)
        self.notice_box.hide()
        self.empty_hint = QLabel(
            "No bookmarks yet.\n\nPress Ctrl+D to bookmark the section you are reading, "
            "or select a passage first to bookmark it with its quote.", self
        )
        self.empty_hint.setObjectName("bookmark_empty_hint")
        self.empty_hint.setWordWrap(True)
        self.empty_hint.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignHCenter)
        self.empty_hint.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.empty_hint.setContentsMargins(12, 16, 12, 0)

        self._create_actions()
        self.menu_button = QToolButton(self)
        self.menu_button.setObjectName("bookmark_menu_button")
        self.menu_button.setText("\u2630")
        self.menu_button.setToolTip("Bookmark actions")
        self.menu_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.menu_button.setMenu(self.menu)
        self.menu_button.setAutoRaise(True)

        top = QWidget(self)
        bar = QHBoxLayout(top)
        bar.setContentsMargins(0, 0, 0, 0)
        bar.setSpacing(2)
        for action in (self.add_action, self.new_folder_action, self.delete_action,
                       self.undo_action):
            button = QToolButton(top)
            button.setDefaultAction(action)
            button.setAutoRaise(True)
            button.setIconSize(QSize(18, 18))
            bar.addWidget(button)
        bar.addWidget(self.filter_edit, 1)
        bar.addWidget(self.menu_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.setSpacing(4)
        layout.addWidget(top)
        layout.addWidget(self.notice_box)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.empty_hint, 1)

        self._connect_signals()
        self.refresh()

    # -- construction ---------------------------------------------------------------------

    def _create_actions(self) -> None:
        def action(text: str, icon_name: str = "", shortcut: QKeySequence | None = None,
                   local: bool = False) -> QAction:
            made = QAction(icon(icon_name) if icon_name else QIcon(), text, self)
            if shortcut is not None:
                made.setShortcut(shortcut)
                tip = text.replace("&", "").rstrip(".\u2026")
                keys = shortcut.toString(QKeySequence.SequenceFormat.NativeText)
                made.setToolTip(f"{tip} ({keys})")
            if local:  # only while the bookmarks have focus: Delete and F2 mean other things
                made.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
                self.addAction(made)
            return made

        self.add_action = action("&Add Bookmark\u2026", "bookmark-new", QKeySequence("Ctrl+D"))
        self.open_action = action("&Open")
        self.edit_action = action("&Edit Name, Note and Folder\u2026")
        self.rename_action = action("&Rename", shortcut=QKeySequence("F2"), local=True)
        self.repoint_action = action("Re-point to the &Section Being Read")
        self.new_folder_action = action("New &Folder\u2026", "folder-new")
        self.delete_action = action("&Delete", "edit-delete",
                                    QKeySequence(QKeySequence.StandardKey.Delete), local=True)
        self.undo_action = self.undo_stack.createUndoAction(self, "&Undo")
        self.undo_action.setIcon(icon("edit-undo"))
        self.undo_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Undo))
        self.undo_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.addAction(self.undo_action)
        self.redo_action = self.undo_stack.createRedoAction(self, "&Redo")
        self.redo_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Redo))
        self.redo_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.addAction(self.redo_action)
        self.export_action = action("E&xport Bookmarks\u2026")
        self.import_action = action("&Import Bookmarks\u2026")

        self.move_menu = QMenu("&Move to Folder", self)
        self.menu = QMenu("&Bookmarks", self)
        for item in (self.add_action, None, self.open_action, self.edit_action,
                     self.rename_action, self.move_menu, self.repoint_action, self.delete_action,
                     None, self.new_folder_action, None, self.undo_action, self.redo_action, None,
                     self.export_action, self.import_action):
            if item is None:
                self.menu.addSeparator()
            elif isinstance(item, QMenu):
                self.menu.addMenu(item)
            else:
                self.menu.addAction(item)

    def _connect_signals(self) -> None:
        self.filter_edit.textChanged.connect(self.apply_filter)
        self.filter_edit.returnPressed.connect(self.open_first_match)
        self.tree.itemActivated.connect(self._on_item_activated)
        self.tree.activated_by_key.connect(self._on_item_activated)
        self.tree.itemChanged.connect(self._on_item_changed)
        self.tree.items_dropped.connect(self.move_items)
        self.tree.customContextMenuRequested.connect(self._show_context_menu)
        self.tree.itemSelectionChanged.connect(self._update_actions)
        self.open_action.triggered.connect(self.open_current)
        self.edit_action.triggered.connect(self.edit_current)
        self.rename_action.triggered.connect(self.rename_current)
        self.repoint_action.triggered.connect(self._repoint_requested)
        self.delete_action.triggered.connect(self.delete_selected)
        self.new_folder_action.triggered.connect(self.new_folder)
        self.export_action.triggered.connect(self.export_bookmarks)
        self.import_action.triggered.connect(self.import_bookmarks)
        self.move_menu.aboutToShow.connect(self._fill_move_menu)
        self.menu.aboutToShow.connect(self._update_actions)

    # -- showing --------------------------------------------------------------------------

    def show_notice(self, text: str) -> None:
        """A lasting message above the tree (e.g. the database was set aside)."""
        self.notice.setText(text)
        self.notice_box.setVisible(bool(text))

    def report(self, text: str) -> None:
        self.message.emit(text)

    def sync_with_store(self) -> bool:
        """Rebuild if another window or the command line changed the store."""
        if self.store.changed_elsewhere():
            self.refresh()
            return True
        return False

    def changeEvent(self, event: QEvent) -> None:
        # Coming back to this window: show what another window may have changed.
        if event.type() == QEvent.Type.ActivationChange and self.isActiveWindow():
            self.sync_with_store()
        super().changeEvent(event)

    def _sort_key(self, mark: Bookmark) -> tuple[int, int]:
        return self._section_order.get((mark.essay, mark.section), 1 << 30), mark.id

    def _place(self, mark: Bookmark) -> str:
        section = self.library.section(mark.essay, mark.section)
        essay = self.library.essay(mark.essay)
        if section is None:
            return f"not found: {mark.essay}/{mark.section}"
        if essay is not None and len(self.library.essays) > 1:
            return f"{section.title} \u2014 {essay.title}"
        return section.title

    def _bookmark_item(self, mark: Bookmark) -> QTreeWidgetItem:
        item = QTreeWidgetItem([mark.name])
        item.setData(0, KIND_ROLE, BOOKMARK)
        item.setData(0, ID_ROLE, mark.id)
        item.setFlags(self._bookmark_flags)
        found = mark.found_in(self.library)
        lines = [mark.name, self._place(mark)]
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
            [mark.name, mark.note, mark.quote, mark.folder, self._place(mark)]).casefold())
        item.setData(0, Qt.ItemDataRole.AccessibleDescriptionRole,
                     mark.note if found else "not found")
        return item

    def _folder_item(self, path: str) -> QTreeWidgetItem:
        item = QTreeWidgetItem([path.rsplit("/", 1)[-1]])
        item.setData(0, KIND_ROLE, FOLDER)
        item.setData(0, PATH_ROLE, path)
        item.setIcon(0, self._icons["folder"])
        item.setToolTip(0, path)
        item.setData(0, SEARCH_ROLE, path.casefold())
        item.setFlags(self._folder_flags)
        return item

    def refresh(self) -> None:
        """Rebuild the tree from the store, keeping open folders and the selection."""
        try:
            marks = self.store.bookmarks()
            folders = self.store.folders()
        except bookmarks.Error as exc:
            self.report(str(exc))
            return
        expanded = {path for path, item in self._folder_items().items() if item.isExpanded()}
        first_time = self.tree.topLevelItemCount() == 0
        selected = self._selected_after_refresh or self._current_key()
        self._selected_after_refresh = None
        blocked = self.tree.blockSignals(True)
        # Not clear(): with PySide that crashed after an in-place edit (double delete).
        while self.tree.topLevelItemCount():
            self.tree.takeTopLevelItem(0)
        folder_items: dict[str, QTreeWidgetItem] = {}
        for path in folders:
            item = self._folder_item(path)
            parent = folder_items.get(path.rsplit("/", 1)[0]) if "/" in path else None
            (parent.addChild(item) if parent else self.tree.addTopLevelItem(item))
            folder_items[path] = item
        for mark in sorted(marks, key=self._sort_key):
            item = self._bookmark_item(mark)
            parent = folder_items.get(mark.folder)
            (parent.addChild(item) if parent else self.tree.addTopLevelItem(item))
        for path, item in folder_items.items():
            item.setExpanded(first_time or path in expanded)
        self.tree.blockSignals(blocked)
        if selected is not None:
            self._select_key(selected)
        has_any = bool(marks or folders)
        self.tree.setVisible(has_any)
        self.empty_hint.setVisible(not has_any)
        self.apply_filter(self.filter_edit.text())
        self._update_actions()
        self.marks_changed.emit()

    def _folder_items(self) -> dict[str, QTreeWidgetItem]:
        found: dict[str, QTreeWidgetItem] = {}
        iterator = QTreeWidgetItemIterator(self.tree)
        while iterator.value():
            item = iterator.value()
            if item.data(0, KIND_ROLE) == FOLDER:
                found[str(item.data(0, PATH_ROLE))] = item
            iterator += 1
        return found

    def item_for_bookmark(self, bookmark_id: int) -> QTreeWidgetItem | None:
        iterator = QTreeWidgetItemIterator(self.tree)
        while iterator.value():
            item = iterator.value()
            if item.data(0, KIND_ROLE) == BOOKMARK and item.data(0, ID_ROLE) == bookmark_id:
                return item
            iterator += 1
        return None

    def item_for_folder(self, path: str) -> QTreeWidgetItem | None:
        return self._folder_items().get(path)

    def _current_key(self) -> tuple[str, object] | None:
        item = self.tree.currentItem()
        if item is None:
            return None
        kind = item.data(0, KIND_ROLE)
        return kind, item.data(0, ID_ROLE if kind == BOOKMARK else PATH_ROLE)

    def _select_key(self, key: tuple[str, object]) -> None:
        kind, ident = key
        item = (self.item_for_bookmark(int(ident)) if kind == BOOKMARK  # type: ignore[call-overload]
                else self.item_for_folder(str(ident)))
        if item is not None:
            # Explicitly replace the selection: with ExtendedSelection a bare
            # setCurrentItem() adds to it while a modifier key is held.
            self.tree.setCurrentItem(item, 0, QItemSelectionModel.SelectionFlag.ClearAndSelect)
            self.tree.scrollToItem(item)

    def select_bookmark(self, bookmark_id: int) -> None:
        """Select this bookmark once the tree is rebuilt (after an add)."""
        self._selected_after_refresh = (BOOKMARK, bookmark_id)

    @Slot(str)
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

        for index in range(self.tree.topLevelItemCount()):
            visit(self.tree.topLevelItem(index), False)

    # -- selection --------------------------------------------------------------------------

    def _selected(self) -> tuple[list[int], list[str]]:
        ids: list[int] = []
        folders: list[str] = []
        for item in self.tree.selectedItems():
            if item.data(0, KIND_ROLE) == BOOKMARK:
                ids.append(int(item.data(0, ID_ROLE)))
            else:
                folders.append(str(item.data(0, PATH_ROLE)))
        return ids, folders

    def current_bookmark(self) -> Bookmark | None:
        item = self.tree.currentItem()
        if item is None or item.data(0, KIND_ROLE) != BOOKMARK:
            return None
        return self.store.get(int(item.data(0, ID_ROLE)))

    @Slot()
    def _update_actions(self) -> None:
        ids, folders = self._selected()
        current = self.tree.currentItem()
        single_bookmark = len(ids) == 1 and not folders
        self.open_action.setEnabled(single_bookmark)
        self.edit_action.setEnabled(single_bookmark)
        self.repoint_action.setEnabled(single_bookmark)
        self.rename_action.setEnabled(current is not None)
        self.delete_action.setEnabled(bool(ids or folders))
        self.move_menu.setEnabled(bool(ids or folders))

    # -- actions ----------------------------------------------------------------------------

    def _push(self, command: QUndoCommand) -> None:
        """Push onto the undo stack, keeping a Python reference: PySide may otherwise drop
        the Python side of a pushed command, and the stack then crashes calling it."""
        self._commands.append(command)
        self.undo_stack.push(command)

    def add_bookmark(self, document: str, section: str, quote: str = "") -> Bookmark | None:
        """Ask for name, note and folder, then add; the section title is the default name."""
        target = self.library.section(document, section)
        if target is None:
            self.report(f"Cannot bookmark: section {section!r} not found.")
            return None
        existing = self.store.for_section(document, section)
        place = target.title + (f" (already bookmarked {len(existing)}\u00d7)" if existing else "")
        details = BookmarkDialog.ask(
            self.window(), "Add Bookmark", BookmarkDetails(target.title, "", self._last_folder),
            self.store.folders(), place, quote,
        )
        if details is None:
            return None
        self._last_folder = details.folder
        command = _AddCommand(self, document, section, details, quote)
        self._push(command)
        if command.added is not None:
            self.report(f"Bookmarked \u201c{command.added.name}\u201d.")
        return command.added

    @Slot(QTreeWidgetItem)
    def _on_item_activated(self, item: QTreeWidgetItem, _column: int = 0) -> None:
        if item.data(0, KIND_ROLE) != BOOKMARK:
            item.setExpanded(not item.isExpanded())
            return
        mark = self.store.get(int(item.data(0, ID_ROLE)))
        if mark is None:
            return
        if not mark.found_in(self.library):
            suggestion = bookmarks.suggest_section(mark, self.library)
            hint = f" It may now be \u201c{suggestion.title}\u201d." if suggestion else ""
            self.report(f"\u201c{mark.name}\u201d points at a section that no longer exists "
                        f"({mark.essay}/{mark.section}).{hint} Re-point or delete it.")
            return
        self.bookmark_activated.emit(mark.essay, mark.section)
        if mark.quote:
            self.passage_requested.emit(mark.essay, mark.section, mark.quote)

    @Slot()
    def open_first_match(self) -> None:
        """Enter in the filter box opens the first bookmark still shown."""
        iterator = QTreeWidgetItemIterator(self.tree)
        while iterator.value():
            item = iterator.value()
            if item.data(0, KIND_ROLE) == BOOKMARK and not _hidden(item):
                self.tree.setCurrentItem(item, 0, QItemSelectionModel.SelectionFlag.ClearAndSelect)
                self._on_item_activated(item)
                return
            iterator += 1

    @Slot()
    def open_current(self) -> None:
        item = self.tree.currentItem()
        if item is not None:
            self._on_item_activated(item)

    @Slot()
    def rename_current(self) -> None:
        item = self.tree.currentItem()
        if item is not None:
            self.tree.editItem(item, 0)

    @Slot(QTreeWidgetItem, int)
    def _on_item_changed(self, item: QTreeWidgetItem, _column: int) -> None:
        # Called while the editor commits; the change (and the rebuild) happens after.
        kind = item.data(0, KIND_ROLE)
        ident = item.data(0, ID_ROLE if kind == BOOKMARK else PATH_ROLE)
        text = item.text(0).strip()
        QTimer.singleShot(0, lambda: self.rename(kind, ident, text))

    def rename(self, kind: str, ident: object, new_name: str) -> None:
        """Rename a bookmark (by id) or a folder (by path), undoably."""
        if kind == BOOKMARK:
            mark = self.store.get(int(ident))  # type: ignore[call-overload]
            if mark is None or not new_name or new_name == mark.name:
                self.refresh()
                return
            self._push(_EditCommand(
                self, f"Rename \u201c{mark.name}\u201d", mark, {"name": new_name}))
            return
        old = str(ident)
        leaf = bookmarks.normalize_folder(new_name.replace("/", " "))
        parent = old.rsplit("/", 1)[0] if "/" in old else ""
        new = f"{parent}/{leaf}" if parent else leaf
        if not leaf or new == old:
            self.refresh()
            return
        if new in self.store.folders():
            self.report(f"There is already a folder \u201c{new}\u201d.")
            self.refresh()
            return
        self._push(_RenameFolderCommand(self, f"Rename folder \u201c{old}\u201d",
                                                  old, new))

    @Slot()
    def edit_current(self) -> None:
        mark = self.current_bookmark()
        if mark is None:
            return
        details = BookmarkDialog.ask(
            self.window(), "Edit Bookmark", BookmarkDetails(mark.name, mark.note, mark.folder),
            self.store.folders(), self._place(mark), mark.quote,
        )
        if details is None:
            return
        changes = {key: value for key, value in
                   (("name", details.name), ("note", details.note), ("folder", details.folder))
                   if value != getattr(mark, key)}
        if changes:
            self._push(_EditCommand(self, f"Edit \u201c{mark.name}\u201d", mark,
                                              changes))

    def repoint(self, bookmark_id: int, document: str, section: str) -> None:
        """Point a bookmark (typically a "not found" one) at another section."""
        mark = self.store.get(bookmark_id)
        if mark is None or self.library.section(document, section) is None:
            return
        self._push(_EditCommand(
            self, f"Re-point \u201c{mark.name}\u201d", mark,
            {"essay": document, "section": section}))

    #: Set by the main window: where the reader is, as (document, section).
    current_location: Callable[[], tuple[str, str] | None] | None = None

    @Slot()
    def _repoint_requested(self) -> None:
        mark = self.current_bookmark()
        where = self.current_location() if self.current_location else None
        if mark is None:
            return
        if where is None:
            self.report("Open the section the bookmark should point at first.")
            return
        self.repoint(mark.id, *where)

    @Slot()
    def delete_selected(self) -> None:
        ids, folders = self._selected()
        if not ids and not folders:
            return
        command = _DeleteCommand(self, ids, folders)
        self._push(command)
        undo_key = self.undo_action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
        self.report(f"{command.text().replace('Delete', 'Deleted')}. Undo with {undo_key}.")

    @Slot()
    def new_folder(self) -> None:
        item = self.tree.currentItem()
        base = self.tree.folder_at(item) if item is not None else ""
        name = ask_text(self.window(), "New Folder",
                        f"Name of the new folder{' in ' + base if base else ''}:")
        if not name:
            return
        leaf = bookmarks.normalize_folder(name)
        if not leaf:
            return
        path = f"{base}/{leaf}" if base else leaf
        self._push(_NewFolderCommand(self, path))
        self._selected_after_refresh = (FOLDER, path)
        self.refresh()

    @Slot(list, str)
    def move_items(self, items: list[tuple[str, object]], folder: str) -> None:
        """Move bookmarks and folders into ``folder`` ("" = top level), as one undo step."""
        folder = bookmarks.normalize_folder(folder)
        text = f"Move to \u201c{folder or 'top level'}\u201d"
        steps: list[_StoreCommand] = []
        for kind, ident in items:
            if kind == BOOKMARK:
                mark = self.store.get(int(ident))  # type: ignore[call-overload]
                if mark is None or mark.folder == folder:
                    continue
                steps.append(_EditCommand(self, text, mark, {"folder": folder}))
                continue
            old = str(ident)
            leaf = old.rsplit("/", 1)[-1]
            new = f"{folder}/{leaf}" if folder else leaf
            if new == old:
                continue
            if folder == old or folder.startswith(old + "/"):
                self.report(f"A folder cannot be moved into itself (\u201c{old}\u201d).")
                continue
            if new in self.store.folders():
                self.report(f"There is already a folder \u201c{new}\u201d.")
                continue
            steps.append(_RenameFolderCommand(self, text, old, new))
        if steps:
            self._push(_MacroCommand(self, text, steps))

    @Slot()
    def _fill_move_menu(self) -> None:
        self.move_menu.clear()
        top = self.move_menu.addAction("Top Level")
        top.triggered.connect(lambda: self.move_selected_to(""))
        for path in self.store.folders():
            depth = path.count("/")
            entry = self.move_menu.addAction(icon("folder"),
                                             "    " * depth + path.rsplit("/", 1)[-1])
            entry.setToolTip(path)
            entry.triggered.connect(lambda _checked=False, p=path: self.move_selected_to(p))
        self.move_menu.addSeparator()
        new = self.move_menu.addAction("New Folder\u2026")
        new.triggered.connect(self._move_to_new_folder)

    def move_selected_to(self, folder: str) -> None:
        ids, folders = self._selected()
        self.move_items([(BOOKMARK, i) for i in ids] + [(FOLDER, f) for f in folders], folder)

    @Slot()
    def _move_to_new_folder(self) -> None:
        name = ask_text(self.window(), "Move to New Folder",
                        "Name of the new folder (nested folders: A/B):")
        folder = bookmarks.normalize_folder(name or "")
        if folder:
            self.move_selected_to(folder)

    @Slot(QPoint)
    def _show_context_menu(self, pos: QPoint) -> None:
        self._update_actions()
        self.menu.exec(self.tree.viewport().mapToGlobal(pos))

    # -- export and import ------------------------------------------------------------------

    @Slot()
    def export_bookmarks(self) -> None:
        name, _ = QFileDialog.getSaveFileName(
            self.window(), "Export Bookmarks", str(Path.home() / "bookmarks.json"),
            "Bookmarks (*.json)")
        if not name:
            return
        try:
            count = self.store.export_file(Path(name))
        except bookmarks.Error as exc:
            QMessageBox.warning(self.window(), "Export Bookmarks", str(exc))
            return
        self.report(f"Exported {count} bookmark(s) to {name}.")

    @Slot()
    def import_bookmarks(self) -> None:
        name, _ = QFileDialog.getOpenFileName(
            self.window(), "Import Bookmarks", str(Path.home()), "Bookmarks (*.json)")
        if not name:
            return
        try:
            result = self.store.import_file(Path(name))
        except bookmarks.Error as exc:
            QMessageBox.warning(self.window(), "Import Bookmarks",
                                f"{exc}\n\nNothing was imported.")
            return
        self.refresh()
        self.report(f"Imported {result.added} bookmark(s); {result.skipped} were already "
                    "present.")


def _hidden(item: QTreeWidgetItem) -> bool:
    """Hidden itself or inside a hidden folder."""
    current: QTreeWidgetItem | None = item
    while current is not None:
        if current.isHidden():
            return True
        current = current.parent()
    return False


def ask_text(parent: QWidget | None, title: str, label: str) -> str | None:
    """A one-line question; None when cancelled. Tests replace this."""
    from PySide6.QtWidgets import QInputDialog

    text, ok = QInputDialog.getText(parent, title, label)
    return text if ok else None


# --- markers in the contents tree ----------------------------------------------------------

def mark_bookmarked_sections(tree: QTreeWidget, marked: set[tuple[str, str]],
                             document_role: int, section_role: int) -> None:
    """Put a bookmark icon on the contents-tree items of ``marked`` sections.

    An icon, drawn by Qt, rather than a Python delegate: a delegate would run Python on
    every repaint of every row (and PySide 6.12.0 leaks a reference to None on each
    call that returns None; see the report)."""
    ribbon = icon("bookmarks")
    blank = QPixmap(tree.iconSize() if tree.iconSize().isValid() else QSize(16, 16))
    blank.fill(Qt.GlobalColor.transparent)
    gutter = QIcon(blank)  # unmarked rows keep their text aligned with marked ones
    iterator = QTreeWidgetItemIterator(tree)
    while iterator.value():
        item = iterator.value()
        key = (item.data(0, document_role), item.data(0, section_role))
        is_marked = key in marked
        if item.data(0, BOOKMARKED_ROLE) is not is_marked:
            item.setData(0, BOOKMARKED_ROLE, is_marked)
            item.setIcon(0, ribbon if is_marked else gutter)
            item.setToolTip(0, item.text(0) + ("\nBookmarked" if is_marked else ""))
        iterator += 1


# --- the reading position ------------------------------------------------------------------

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

    def apply_offset(self, section: str, offset: int) -> None:
        """Scroll ``offset`` pixels past the top of ``section`` (after opening it)."""
        top = self.view.section_top(section)
        if top is not None and offset > 0:
            bar = self.view.verticalScrollBar()
            bar.setValue(min(bar.maximum(), round(top) + offset))

