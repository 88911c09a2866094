"""The Bookmarks feature: the dock, its menu and toolbar button, the reading position.

It marks the bookmarked sections in the contents tree, draws the bookmarked
passages in the text, selects a bookmarked passage after its section opens, and
saves where the reader is (throttled while reading, at once when the window
closes). Ctrl+D adds a bookmark at once; in the text, F2 edits the bookmark
just added and Ctrl+Z undoes it, as they do in the panel.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Slot
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QDockWidget, QMenu

from reader.core.content import Library
from reader.ui.bookmark_marks import PassageMarks, whole_words
from reader.ui.bookmarks_panel import BookmarksPanel
from reader.ui.feature import Context, Feature, Menus
from reader.ui.position_keeper import PositionKeeper
from reader.ui.reading_menu import ReadingSpot


class BookmarksFeature(Feature):
    """The Bookmarks dock and menu, and the keeper of the reading position."""

    def build(self, context: Context) -> None:
        super().build(context)
        window = context.window
        self.store = context.bookmark_store
        self.panel = BookmarksPanel(self.store, context.library, window)
        self.panel.current_location = self._section_being_read
        self.dock = QDockWidget("Bookmarks", window)
        self.dock.setObjectName("bookmarks_dock")
        self.dock.setWidget(self.panel)
        above = context.add_dock(self.dock, Qt.DockWidgetArea.RightDockWidgetArea)
        if above:  # under the Search dock
            window.splitDockWidget(above[-1], self.dock, Qt.Orientation.Vertical)
            window.resizeDocks([above[-1], self.dock], [560, 240], Qt.Orientation.Vertical)
        window.resizeDocks([self.dock], [280], Qt.Orientation.Horizontal)
        self.position_keeper = PositionKeeper(self.store, context.reading_view, parent=window)
        self.passage_marks = PassageMarks(self.store, context.reading_view, window)
        # The panel's edit and undo keys work in the text too (same actions, same keys).
        for action in (self.panel.rename_action, self.panel.undo_action, self.panel.redo_action):
            context.reading_view.addAction(action)
        self.dock_action = self.dock.toggleViewAction()
        self.dock_action.setShortcut(QKeySequence("Ctrl+Shift+B"))

    def add_menus(self, menus: Menus) -> None:
        menus.toolbar.addAction(self.panel.add_action)
        menus.view.insertAction(menus.view_panels_end, self.dock_action)
        menus.add_menu(self.panel.menu)

    def connect(self) -> None:
        view = self.context.reading_view
        self.panel.bookmark_activated.connect(self.context.open_section)
        self.panel.passage_requested.connect(self._show_passage)
        self.panel.add_action.triggered.connect(self.add_bookmark)
        self.panel.add_with_details_action.triggered.connect(self.add_bookmark_with_details)
        view.add_context_entries(self._context_entries)
        self.panel.message.connect(self.context.show_message)
        self.panel.marks_changed.connect(self.update_markers)
        view.current_section_changed.connect(self.position_keeper.schedule)
        view.verticalScrollBar().valueChanged.connect(self.position_keeper.schedule)
        self.update_markers()
        if self.context.bookmark_notice:
            self.panel.show_notice(self.context.bookmark_notice)

    def shut_down(self) -> None:
        self.position_keeper.save_now()

    def set_library(self, library: Library) -> None:
        self.panel.set_library(library)
        self.update_markers()

    @Slot()
    def add_bookmark(self, ask: bool = False) -> None:
        """Bookmark the selected passage (in whole words), or else the section at the top
        of the view."""
        view = self.context.reading_view
        if view.textCursor().hasSelection():
            view.setTextCursor(whole_words(view.textCursor()))
        where = view.reading_location()
        if where is None:
            self.context.show_message("Open a section to bookmark it.")
            return
        self.panel.add_bookmark(*where, ask=ask)

    @Slot()
    def add_bookmark_with_details(self) -> None:
        self.add_bookmark(ask=True)

    @Slot()
    def update_markers(self) -> None:
        marked = self.store.bookmarked_sections()
        self.context.section_tree.set_bookmarked(marked)
        self.passage_marks.refresh()

    def _context_entries(self, menu: QMenu, spot: ReadingSpot) -> None:
        view = self.context.reading_view
        if spot.selection.strip():
            entry = menu.addAction("&Bookmark Passage")
            entry.triggered.connect(lambda: self.add_bookmark())
            return
        if not spot.section or view.essay is None:
            return
        entry = menu.addAction("&Bookmark This Section")
        essay, section = view.essay.id, spot.section
        entry.triggered.connect(lambda: self.panel.add_bookmark(essay, section))

    def _section_being_read(self) -> tuple[str, str] | None:
        here = self.context.current_section()
        return here if here and here[1] else None

    @Slot(str, str, str)
    def _show_passage(self, document: str, section: str, quote: str) -> None:
        self.context.reading_view.select_passage(document, section, quote)
