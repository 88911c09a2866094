"""The cross-reference parts of the main window, built in one place.

``CrossReferences`` makes the Index dock, the Timeline dock, the Figures and
Related Pages menus and the View menu's "Names as Links" toggle from the core
objects it is given, and renders the essay's decorations (link previews,
"See also", names as links). It wires nothing: the main window connects its
widgets' signals in ``_connect_signals``.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDockWidget, QMainWindow, QMenu, QMenuBar

from reader.core.content import Essay, Library
from reader.core.timeline import Event
from reader.core.xref import Index
from reader.core.xref_render import decorate
from reader.ui.index_panel import IndexPanel
from reader.ui.timeline_view import TimelineView
from reader.ui.xref_menus import FiguresMenu, RelatedMenu


class CrossReferences:
    """Index and Timeline docks, Figures and Related Pages menus, the names toggle."""

    def __init__(
        self, window: QMainWindow, library: Library, index: Index | None, events: list[Event]
    ) -> None:
        self.library = library
        self.index = index or Index([], [])
        self.names_as_links = False

        self.index_panel = IndexPanel(self.index, library, window)
        self.index_dock = QDockWidget("Index", window)
        self.index_dock.setObjectName("index_dock")
        self.index_dock.setWidget(self.index_panel)
        window.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, self.index_dock)
        contents = window.findChild(QDockWidget, "contents_dock")
        if contents is not None:
            window.tabifyDockWidget(contents, self.index_dock)
            contents.raise_()

        self.timeline_view = TimelineView(events, library, window)
        self.timeline_dock = QDockWidget("Timeline", window)
        self.timeline_dock.setObjectName("timeline_dock")
        self.timeline_dock.setWidget(self.timeline_view)
        window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.timeline_dock)
        self.timeline_dock.hide()

        self.figures_menu = FiguresMenu(library, window)
        self.related_menu = RelatedMenu(library, window)

        self.index_action = self.index_dock.toggleViewAction()
        self.index_action.setShortcut(QKeySequence("Ctrl+Shift+I"))
        self.timeline_action = self.timeline_dock.toggleViewAction()
        self.timeline_action.setShortcut(QKeySequence("Ctrl+Shift+T"))
        self.focus_index_action = QAction("Go to &Index", window)
        self.focus_index_action.setShortcut(QKeySequence("Alt+I"))
        self.names_action = QAction("&Names as Links", window)
        self.names_action.setCheckable(True)
        self.names_action.setChecked(False)
        self.names_action.setToolTip(
            "Show the indexed names in the text as links, with their description as tooltip"
        )

    def add_menus(
        self,
        menu_bar: QMenuBar,
        view_menu: QMenu,
        go_menu: QMenu,
        before: QMenu | None = None,
        view_before: QAction | None = None,
    ) -> None:
        """Add the entries; ``before``/``view_before`` keep menus built later in order."""
        actions = [self.index_action, self.timeline_action, self.names_action]
        if view_before is None:
            view_menu.addSeparator()
            view_menu.addActions(actions)
        else:
            view_menu.insertSeparator(view_before)
            view_menu.insertActions(view_before, actions)
        go_menu.addAction(self.focus_index_action)
        for menu in (self.figures_menu, self.related_menu):
            if before is None:
                menu_bar.addMenu(menu)
            else:
                menu_bar.insertMenu(before.menuAction(), menu)

    def decorate(self, essay: Essay, body: str) -> str:
        """The body with link previews, "See also" and (if on) names as links."""
        return decorate(body, essay, self.library, self.index, names=self.names_as_links)

    def show_entry(self, entry_id: str) -> bool:
        self.index_dock.show()
        self.index_dock.raise_()
        return self.index_panel.show_entry(entry_id)

    def focus_index(self) -> None:
        self.index_dock.show()
        self.index_dock.raise_()
        self.index_panel.filter_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.index_panel.filter_edit.selectAll()
