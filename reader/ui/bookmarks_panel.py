"""The bookmarks dock: bookmarks in a tree of folders, with a filter box, notes and undo.

Built from a ``BookmarkStore`` and the ``Library``; it talks to the rest of the window
through signals carrying plain ids (``bookmark_activated(document, section)``). Every
change goes through a ``QUndoStack`` (``reader.ui.bookmark_commands``), so delete,
rename, edit and move can be undone. The add/edit dialog is in
``reader.ui.bookmark_dialog``, the folder tree in ``reader.ui.bookmark_tree``.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QItemSelectionModel, QPoint, QSize, Qt, QTimer, Signal, Slot
from PySide6.QtGui import (
    QAction,
    QIcon,
    QKeySequence,
    QPalette,
    QUndoCommand,
    QUndoStack,
)
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QToolButton,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from reader.core import bookmarks
from reader.core.bookmarks import Bookmark, BookmarkStore
from reader.core.content import Library
from reader.core.memo import per_object
from reader.ui import bookmark_files
from reader.ui.bookmark_commands import (
    AddCommand,
    DeleteCommand,
    EditCommand,
    MacroCommand,
    NewFolderCommand,
    RenameFolderCommand,
    StoreCommand,
)
from reader.ui.bookmark_dialog import BookmarkDetails, BookmarkDialog, ask_text
from reader.ui.bookmark_marks import MAX_UNDO_TEXT, elide, passage_name, short_quote
from reader.ui.bookmark_tree import (
    BOOKMARK,
    FOLDER,
    ID_ROLE,
    KIND_ROLE,
    PATH_ROLE,
    BookmarkTree,
)
from reader.ui.icons import icon


@per_object
def section_order(library: Library) -> dict[tuple[str, str], int]:
    """(essay, section) -> its place in the library's reading order."""
    return {(s.document, s.id): n for n, s in enumerate(library.sections())}


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
        self._section_order = section_order(library)

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

        self.add_action = action("&Add Bookmark", "bookmark-new", QKeySequence("Ctrl+D"))
        self.add_with_details_action = action("Add Bookmark with &Details\u2026")
        self.open_action = action("&Open")
        self.edit_action = action("&Edit Name, Note and Folder\u2026")
        self.rename_action = action("&Rename", shortcut=QKeySequence("F2"), local=True)
        self.repoint_action = action("Re-point to the &Section Being Read")
        self.new_folder_action = action("New &Folder\u2026", "folder-new")
        self.delete_action = action("&Delete", "edit-delete",
                                    QKeySequence(QKeySequence.StandardKey.Delete), local=True)
        self.undo_action = QAction(icon("edit-undo"), "&Undo", self)
        self.undo_action.triggered.connect(self.undo_stack.undo)
        self.undo_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Undo))
        self.undo_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.addAction(self.undo_action)
        self.redo_action = QAction("&Redo", self)
        self.redo_action.triggered.connect(self.undo_stack.redo)
        self.undo_stack.indexChanged.connect(self._update_undo_texts)
        self._update_undo_texts()
        self.redo_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Redo))
        self.redo_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.addAction(self.redo_action)
        self.export_action = action("E&xport Bookmarks\u2026")
        self.import_action = action("&Import Bookmarks\u2026")

        self.move_menu = QMenu("&Move to Folder", self)
        self.menu = QMenu("&Bookmarks", self)
        for item in (self.add_action, self.add_with_details_action, None, self.open_action,
                     self.edit_action,
                     self.rename_action, self.move_menu, self.repoint_action, self.delete_action,
                     None, self.new_folder_action, None, self.undo_action, self.redo_action, None,
                     self.export_action, self.import_action):
            if item is None:
                self.menu.addSeparator()
            elif isinstance(item, QMenu):
                self.menu.addMenu(item)
            else:
                self.menu.addAction(item)

    @Slot()
    def _update_undo_texts(self) -> None:
        """Undo/Redo name the change, cut short: a bookmark's name may be a long quote."""
        for action, word, can, text in (
            (self.undo_action, "Undo", self.undo_stack.canUndo(), self.undo_stack.undoText()),
            (self.redo_action, "Redo", self.undo_stack.canRedo(), self.undo_stack.redoText()),
        ):
            action.setEnabled(can)
            label = f"&{word} {elide(text, MAX_UNDO_TEXT)}" if can and text else f"&{word}"
            action.setText(label)
            action.setToolTip(f"{word} {text}".strip() if can else word)

    def _connect_signals(self) -> None:
        self.filter_edit.textChanged.connect(self.tree.apply_filter)
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
        """``text`` in the status bar, with what the store did besides (the file created
        again after it was deleted), which also stays above the tree."""
        notice = self.store.pop_notice()
        if notice:
            self.show_notice(notice)
        self.message.emit(f"{text} {notice}" if notice else text)

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

    def set_library(self, library: Library) -> None:
        """Show the bookmarks against ``library`` (after an import: some may be found again)."""
        self.library = library
        self._section_order = section_order(library)
        self.refresh()

    def refresh(self) -> None:
        """Rebuild the tree from the store, keeping open folders and the selection."""
        try:
            marks = self.store.bookmarks()
            folders = self.store.folders()
        except bookmarks.Error as exc:
            self.report(str(exc))
            return
        selected = self._selected_after_refresh or self.tree.current_key()
        self._selected_after_refresh = None
        shown = [(mark, self._place(mark), mark.found_in(self.library))
                 for mark in sorted(marks, key=self._sort_key)]
        self.tree.rebuild(folders, shown, selected)
        has_any = bool(marks or folders)
        self.tree.setVisible(has_any)
        self.empty_hint.setVisible(not has_any)
        self.tree.apply_filter(self.filter_edit.text())
        self._update_actions()
        self.marks_changed.emit()

    def item_for_bookmark(self, bookmark_id: int) -> QTreeWidgetItem | None:
        return self.tree.item_for_bookmark(bookmark_id)

    def item_for_folder(self, path: str) -> QTreeWidgetItem | None:
        return self.tree.item_for_folder(path)

    def select_bookmark(self, bookmark_id: int) -> None:
        """Select this bookmark once the tree is rebuilt (after an add)."""
        self._selected_after_refresh = (BOOKMARK, bookmark_id)

    # -- selection --------------------------------------------------------------------------

    def current_bookmark(self) -> Bookmark | None:
        item = self.tree.currentItem()
        if item is None or item.data(0, KIND_ROLE) != BOOKMARK:
            return None
        return self.store.get(int(item.data(0, ID_ROLE)))

    @Slot()
    def _update_actions(self) -> None:
        ids, folders = self.tree.selected()
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

    def add_bookmark(self, document: str, section: str, quote: str = "",
                     ask: bool = False) -> Bookmark | None:
        """Add a bookmark at once, named from the first words of ``quote`` (or after the
        section when there is none), in the last folder used; ``ask`` shows the dialog
        first. ``quote`` (selected text) is kept on one line and cut short."""
        quote = short_quote(quote)
        target = self.library.section(document, section)
        if target is None:
            self.report(f"Cannot bookmark: section {section!r} not found.")
            return None
        details = BookmarkDetails(passage_name(quote, target.title), "", self._last_folder)
        if ask:
            existing = self.store.for_section(document, section)
            place = target.title + (
                f" (already bookmarked {len(existing)}\u00d7)" if existing else "")
            answer = BookmarkDialog.ask(self.window(), "Add Bookmark", details,
                                        self.store.folders(), place, quote)
            if answer is None:
                return None
            details = answer
            self._last_folder = details.folder
        command = AddCommand(self, document, section, details, quote)
        self._push(command)
        if command.added is not None:
            edit_key = self.rename_action.shortcut().toString(
                QKeySequence.SequenceFormat.NativeText)
            undo_key = self.undo_action.shortcut().toString(
                QKeySequence.SequenceFormat.NativeText)
            self.report(f"Bookmarked \u201c{command.added.name}\u201d. {edit_key} to edit it, "
                        f"{undo_key} to undo.")
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
        item = self.tree.first_shown_bookmark()
        if item is not None:
            self.tree.setCurrentItem(item, 0, QItemSelectionModel.SelectionFlag.ClearAndSelect)
            self._on_item_activated(item)

    @Slot()
    def open_current(self) -> None:
        item = self.tree.currentItem()
        if item is not None:
            self._on_item_activated(item)

    @Slot()
    def rename_current(self) -> None:
        """F2: rename in place in the panel; from the text, edit the selected bookmark
        (the one just added) in the dialog."""
        focus = QApplication.focusWidget()
        if focus is not None and not self.isAncestorOf(focus):
            self.edit_current()
            return
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
            self._push(EditCommand(
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
        self._push(RenameFolderCommand(self, f"Rename folder \u201c{old}\u201d",
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
            self._push(EditCommand(self, f"Edit \u201c{mark.name}\u201d", mark,
                                              changes))

    def repoint(self, bookmark_id: int, document: str, section: str) -> None:
        """Point a bookmark (typically a "not found" one) at another section."""
        mark = self.store.get(bookmark_id)
        if mark is None or self.library.section(document, section) is None:
            return
        self._push(EditCommand(
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
        ids, folders = self.tree.selected()
        if not ids and not folders:
            return
        command = DeleteCommand(self, ids, folders)
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
        self._push(NewFolderCommand(self, path))
        self._selected_after_refresh = (FOLDER, path)
        self.refresh()

    @Slot(list, str)
    def move_items(self, items: list[tuple[str, object]], folder: str) -> None:
        """Move bookmarks and folders into ``folder`` ("" = top level), as one undo step."""
        folder = bookmarks.normalize_folder(folder)
        text = f"Move to \u201c{folder or 'top level'}\u201d"
        steps: list[StoreCommand] = []
        for kind, ident in items:
            if kind == BOOKMARK:
                mark = self.store.get(int(ident))  # type: ignore[call-overload]
                if mark is None or mark.folder == folder:
                    continue
                steps.append(EditCommand(self, text, mark, {"folder": folder}))
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
            steps.append(RenameFolderCommand(self, text, old, new))
        if steps:
            self._push(MacroCommand(self, text, steps))

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
        ids, folders = self.tree.selected()
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
        done = bookmark_files.export_bookmarks(self.window(), self.store)
        if done:
            self.report(done)

    @Slot()
    def import_bookmarks(self) -> None:
        done = bookmark_files.import_bookmarks(self.window(), self.store)
        if done:
            self.refresh()
            self.report(done)
