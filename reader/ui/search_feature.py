"""The Search feature: the Search dock, the find bar, the highlights and their entries.

Opening a search result shows its section and highlights every form that
matched; the hit counts of the results are shown in the contents tree.
Highlights survive the essay being rendered again (a theme, text size or
reading change): they are found anew in the new text.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Slot
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDockWidget, QMenu

from reader.core.content import Library
from reader.ui.feature import Context, Feature, Menus
from reader.ui.find_bar import FindBar
from reader.ui.reading_highlights import ReadingHighlights
from reader.ui.reading_menu import ReadingSpot
from reader.ui.search_panel import SearchPanel

if TYPE_CHECKING:
    from reader.ui.search_panel import IndexOpener


#: Where the Search panel looks ("all" or "essay"), remembered.
SCOPE_KEY = "search/scope"


class SearchFeature(Feature):
    """The Search dock, its actions and the reading-view highlights."""

    def build(self, context: Context) -> None:
        super().build(context)
        window, view = context.window, context.reading_view
        opener: IndexOpener | None = context.search_opener  # type: ignore[assignment]
        self.panel = SearchPanel(context.library, opener, window)
        self.panel.current_essay = self._essay_being_read
        scope = self.panel.scope.findData(context.settings.value(SCOPE_KEY, "all"))
        self.panel.scope.setCurrentIndex(max(0, scope))
        self.highlights = ReadingHighlights(view, window)
        self.dock = QDockWidget("Search", window)
        self.dock.setObjectName("search_dock")
        self.dock.setWidget(self.panel)
        # On the right, above the Bookmarks: the Contents stay in view with their hit counts.
        context.add_dock(self.dock, Qt.DockWidgetArea.RightDockWidgetArea)

        self.dock_action = self.dock.toggleViewAction()
        self.dock_action.setText("&Search Panel")
        self.focus_action = QAction("&Search…", window)
        self.focus_action.setShortcuts([QKeySequence("Ctrl+K"), QKeySequence("Ctrl+Shift+F")])
        self.focus_action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.next_action = QAction("Next Search &Hit", window)
        self.next_action.setShortcut(QKeySequence(QKeySequence.StandardKey.FindNext))
        self.previous_action = QAction("Previous Search Hi&t", window)
        self.previous_action.setShortcut(QKeySequence(QKeySequence.StandardKey.FindPrevious))
        self.clear_action = QAction("&Clear Search Highlights", window)
        self.clear_action.setShortcut(QKeySequence(Qt.Key.Key_Escape))
        self.clear_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        view.addAction(self.clear_action)  # Esc in the reading view; the field has its own
        # Find in page: a bar under the window, for plain text in the current essay.
        self.find_bar = FindBar(view, window)
        window.addToolBar(Qt.ToolBarArea.BottomToolBarArea, self.find_bar)
        self.find_bar.hide()
        for action in (self.focus_action, self.next_action, self.previous_action,
                       self.find_bar.open_action):
            context.add_action(action)
        self.next_action.setEnabled(False)
        self.previous_action.setEnabled(False)

    def add_menus(self, menus: Menus) -> None:
        menus.view.insertAction(menus.view_panels_end, self.dock_action)
        for action in (self.focus_action, self.find_bar.open_action, self.next_action,
                       self.previous_action, self.clear_action):
            menus.go.addAction(action)

    def connect(self) -> None:
        self.panel.result_activated.connect(self.show_result)
        self.panel.cleared.connect(self.highlights.clear)
        self.panel.hit_counts_changed.connect(self._show_hit_counts)
        self.panel.status_message.connect(self.context.show_message)
        self.panel.scope.currentIndexChanged.connect(
            lambda _n: self.context.settings.setValue(SCOPE_KEY, self.panel.scope.currentData())
        )
        self.focus_action.triggered.connect(self.focus)
        self.next_action.triggered.connect(self.highlights.next)
        self.previous_action.triggered.connect(self.highlights.previous)
        self.clear_action.triggered.connect(self.highlights.clear)
        self.find_bar.open_action.triggered.connect(self.find_bar.open_bar)
        self.find_bar.activated.connect(self.highlights.clear)
        self.highlights.changed.connect(self._on_highlights_changed)
        self.context.reading_view.add_context_entries(self._context_entries)

    def _context_entries(self, menu: QMenu, spot: ReadingSpot) -> None:
        text = " ".join(spot.selection.split())
        if text and len(text) <= 80:
            shown = text if len(text) <= 30 else text[:29] + "\u2026"
            entry = menu.addAction(f"&Search for \u201c{shown}\u201d")
            entry.triggered.connect(lambda: self.search_for(text))

    def search_for(self, text: str) -> None:
        """Search the library for ``text`` (the context menu's "Search for")."""
        self.dock.show()
        self.dock.raise_()
        self.panel.field.setText(text)
        self.panel.run_search()

    def shut_down(self) -> None:
        self.panel.shutdown()

    def set_library(self, library: Library) -> None:
        self.panel.set_library(library)

    @Slot(str, str, list)
    def show_result(self, document: str, section: str, terms: list) -> None:
        """Open a search result and highlight every form that matched, from its section on."""
        if self.context.open_section(document, section):
            self.find_bar.highlights.clear()
            self.highlights.show(terms, section)

    def _essay_being_read(self) -> str | None:
        essay = self.context.current_essay
        return essay.id if essay is not None else None

    @Slot()
    def focus(self) -> None:
        self.dock.show()
        self.dock.raise_()
        self.panel.focus_field()

    @Slot(list)
    def _show_hit_counts(self, counts: list) -> None:
        self.context.section_tree.set_hit_counts(counts)

    @Slot(int, int)
    def _on_highlights_changed(self, current: int, total: int) -> None:
        self.next_action.setEnabled(total > 0)
        self.previous_action.setEnabled(total > 0)
        self.panel.show_position(current, total)
        if total > 0 and current >= 0:
            self.context.show_message(f"Search hit {current + 1} of {total}.")
