"""The cross-references feature: the Index and Timeline docks, the Figures menu, Go ›
Related Pages (the pages the reader cannot show are listed, disabled), the View
menu's "Names as Links" toggle, and where a hovered link leads, in the status bar.

Choosing a mention in the Index opens its section and selects the name; a
name shown as a link (``index://``) opens its entry in the Index. Whether names
are links is one of the view settings, which the toggle follows and changes.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Slot
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDockWidget, QMenu

from reader.core.content import Library
from reader.core.related import EssayLinks, related_target, related_targets
from reader.core.xref import Index, match_key
from reader.ui.feature import Context, Feature, Menus
from reader.ui.index_panel import IndexPanel
from reader.ui.reading_menu import ReadingSpot
from reader.ui.timeline_view import TimelineView
from reader.ui.xref_menus import FiguresMenu, RelatedMenu

#: A selection longer than this is no name to look up.
MAX_LOOKUP = 80


class CrossReferences(Feature):
    """Index and Timeline docks, Figures and Related Pages menus, the names toggle."""

    def build(self, context: Context) -> None:
        super().build(context)
        window, library = context.window, context.library
        self.index = context.xref_index or Index([], [])

        self.index_panel = IndexPanel(self.index, library, window)
        self.index_dock = QDockWidget("Index", window)
        self.index_dock.setObjectName("index_dock")
        self.index_dock.setWidget(self.index_panel)
        left = context.add_dock(self.index_dock, Qt.DockWidgetArea.LeftDockWidgetArea)
        if left:  # a tab behind the Contents
            window.tabifyDockWidget(left[0], self.index_dock)
            left[0].raise_()

        self.timeline_view = TimelineView(context.events, library, window)
        self.timeline_dock = QDockWidget("Timeline", window)
        self.timeline_dock.setObjectName("timeline_dock")
        self.timeline_dock.setWidget(self.timeline_view)
        context.add_dock(self.timeline_dock, Qt.DockWidgetArea.BottomDockWidgetArea)
        self.timeline_dock.hide()

        # Filled when first shown: the related pages that lead nowhere marked then.
        self.figures_menu = FiguresMenu(library, window, self._current_essay_id)
        self.related_menu = RelatedMenu(library, window, self._current_essay_id)
        self.related_menu.filled.connect(self._mark_unavailable_pages)

        self.index_action = self.index_dock.toggleViewAction()
        self.index_action.setShortcut(QKeySequence("Ctrl+Shift+I"))
        self.timeline_action = self.timeline_dock.toggleViewAction()
        self.timeline_action.setShortcut(QKeySequence("Ctrl+Shift+T"))
        self.focus_index_action = QAction("Go to &Index", window)
        self.focus_index_action.setShortcut(QKeySequence("Alt+I"))
        self.names_action = QAction("&Names as Links", window)
        self.names_action.setCheckable(True)
        self.names_action.setChecked(context.view_settings.names_as_links)
        self.names_action.setToolTip(
            "Show the indexed names in the text as links, with their description as tooltip"
        )

    def add_menus(self, menus: Menus) -> None:
        view_before = menus.view_panels_end
        menus.view.insertSeparator(view_before)
        menus.view.insertActions(
            view_before, [self.index_action, self.timeline_action, self.names_action]
        )
        menus.go.addAction(self.focus_index_action)
        menus.add_menu(self.figures_menu)
        menus.go.addSeparator()
        menus.go.addMenu(self.related_menu)

    def connect(self) -> None:
        context = self.context
        self.index_panel.mention_activated.connect(self.show_mention)
        self.timeline_view.event_activated.connect(context.open_section)
        self.timeline_view.passage_activated.connect(self._show_date)
        self.figures_menu.figure_activated.connect(context.show_figure)
        self.related_menu.related_activated.connect(context.show_related_page)
        self.names_action.toggled.connect(context.view_settings.set_names_as_links)
        context.view_settings.changed.connect(self._follow_settings)
        self.focus_index_action.triggered.connect(self.focus_index)
        context.reading_view.index_entry_clicked.connect(self.show_entry)
        context.reading_view.add_context_entries(self._context_entries)

    def _current_essay_id(self) -> str | None:
        essay = self.context.current_essay
        return essay.id if essay is not None else None

    @Slot(QMenu)
    def _mark_unavailable_pages(self, menu: QMenu) -> None:
        """Disable the related pages in ``menu`` that lead nowhere (``related_target``
        decides)."""
        library = self.context.library
        in_library = related_targets(library)
        for action in QMenu.actions(menu):  # the entries as they are (being filled)
            data = action.data()
            if not isinstance(data, tuple | list) or len(data) != 2:
                continue
            essay = library.essay(str(data[0]))
            page = essay.related_page(str(data[1])) if essay else None
            if essay is None or page is None:
                continue
            target = in_library.get((essay.id, page.id))
            found = EssayLinks(related={page.id: target} if target else {})
            if related_target(essay, page, found) is not None:
                continue
            action.setEnabled(False)
            action.setText(f"{page.title}  \u2014  not in your library".replace("&", "&&"))
            action.setToolTip(f"{page.title}\nNot in your library: a page of the source "
                              "site, not part of this offline edition.")

    def _context_entries(self, menu: QMenu, spot: ReadingSpot) -> None:
        """Look Up in Index (the selection, or the name under the pointer) and Open
        Figure (the figure under the pointer)."""
        essay = self.context.current_essay
        if spot.figure and essay is not None:
            figure = spot.figure
            entry = menu.addAction("Open &Figure")
            entry.triggered.connect(lambda: self.context.show_figure(essay.id, figure))
        if spot.link is not None and spot.link.scheme() == "index":
            entry_id = spot.link.host()
            entry = menu.addAction("Look Up in &Index")
            entry.triggered.connect(lambda: self.show_entry(entry_id))
            return
        text = " ".join(spot.selection.split())
        if text and len(text) <= MAX_LOOKUP:
            entry = menu.addAction("Look Up in &Index")
            entry.triggered.connect(lambda: self.look_up(text))

    def look_up(self, text: str) -> None:
        """Show the entry named ``text`` (a name or an alias), else the names holding it."""
        wanted = match_key(text)
        found = next((e for e in self.index.entries
                      if wanted in {match_key(term) for term in (e.name, *e.terms)}), None)
        self.index_dock.show()
        self.index_dock.raise_()
        if found is not None and self.index_panel.show_entry(found.id):
            return
        self.index_panel.set_filter(text)

    def set_library(self, library: Library) -> None:
        # The names are index.yaml's; their mentions are found in the new library.
        self.index = self.context.xref_index or Index([], [])
        self.index_panel.set_index(self.index, library)
        self.timeline_view.library = library
        self.figures_menu.set_library(library)
        self.related_menu.set_library(library)

    @Slot()
    def _follow_settings(self) -> None:
        self.names_action.setChecked(self.context.view_settings.names_as_links)

    @Slot(str, str, str, int)
    def show_mention(self, document: str, section: str, text: str, occurrence: int) -> None:
        """Open a section and select one mention of a name in it (from the Index)."""
        if self.context.open_section(document, section):
            self.context.reading_view.select_text(section, text, occurrence)

    @Slot(str, str, str, int)
    def _show_date(self, _document: str, section: str, text: str, occurrence: int) -> None:
        """After a timeline event opened its section: select the date that dates it."""
        self.context.reading_view.select_text(section, text, occurrence)

    @Slot(str)
    def show_entry(self, entry_id: str) -> bool:
        self.index_dock.show()
        self.index_dock.raise_()
        return self.index_panel.show_entry(entry_id)

    @Slot()
    def focus_index(self) -> None:
        self.index_dock.show()
        self.index_dock.raise_()
        self.index_panel.filter_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.index_panel.filter_edit.selectAll()
