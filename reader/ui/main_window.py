"""The main window: contents tree, reading view, status bar, and their wiring.

Every navigation — tree, links, history, search results, bookmarks, the index
and the timeline — goes through one slot, ``open_section(document, section)``.

The window is built in two steps, so that the essay is on screen as early as
possible: the reading core (view, contents, menus, reading comfort) in the
constructor, and the panels (bookmarks, search, index, timeline) in
``build_panels()`` — at once, or, when the app starts, right after the first
paint. Signal wiring is in ``_connect_signals`` (the core) and
``_connect_panel_signals`` (the panels).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QEvent, QObject, QSettings, Qt, QUrl, Slot
from PySide6.QtGui import QAction, QCloseEvent, QDesktopServices, QKeySequence, QMouseEvent
from PySide6.QtWidgets import (
    QApplication,
    QDockWidget,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QToolBar,
    QWidget,
)

from reader.core.bookmarks import BookmarkStore
from reader.core.content import Essay, Library, Problem
from reader.core.history import History, Location
from reader.core.render import render_essay
from reader.ui.comfort import ReadingComfort
from reader.ui.icons import icon
from reader.ui.reading_view import ReadingView
from reader.ui.section_tree import SectionTree

if TYPE_CHECKING:  # the panels' modules are imported when the panels are built
    from reader.core.timeline import Event
    from reader.core.xref import Index
    from reader.ui.bookmarks_panel import BookmarksPanel
    from reader.ui.figure_viewer import FigureViewer
    from reader.ui.position_keeper import PositionKeeper
    from reader.ui.search_panel import IndexOpener, SearchFeature
    from reader.ui.xref_docks import CrossReferences

APP_TITLE = "Reference Reader"


class MainWindow(QMainWindow):
    def __init__(
        self,
        library: Library,
        settings: QSettings,
        css: str = "",
        bookmark_store: BookmarkStore | None = None,
        parent: QWidget | None = None,
        xref_index: Index | None = None,
        events: list[Event] | None = None,
        search_opener: IndexOpener | None = None,
        defer_panels: bool = False,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("main_window")
        self.library = library
        self.settings = settings
        self.css = css
        self.history = History()
        self.figure_viewer: FigureViewer | None = None
        self._reading = "corrected"

        self.reading_view = ReadingView(self)
        self.setCentralWidget(self.reading_view)

        self.section_tree = SectionTree(library, self)
        self.contents_dock = QDockWidget("Contents", self)
        self.contents_dock.setObjectName("contents_dock")
        self.contents_dock.setWidget(self.section_tree)
        self.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, self.contents_dock)
        self.resizeDocks([self.contents_dock], [300], Qt.Orientation.Horizontal)

        # Without a store (some tests), bookmarks live in memory for the session.
        self.bookmark_store = bookmark_store or BookmarkStore(None)
        self.xref_index = xref_index
        self._events = events or []
        self._search_opener = search_opener
        #: Indexed names shown as links in the text (View › Names as Links).
        self.names_as_links = False
        #: Whether build_panels() has run; until then only the reading core exists.
        self.panels_ready = False
        self._store_notice = ""
        self._saved_state: QByteArray | None = None
        self.bookmarks_panel: BookmarksPanel
        self.bookmarks_dock: QDockWidget
        self.position_keeper: PositionKeeper
        self.xref: CrossReferences
        self.search: SearchFeature

        self._problems_button = QPushButton(self)
        self._problems_button.setObjectName("problems_button")
        self._problems_button.setFlat(True)
        self._problems_button.hide()
        self.statusBar().addPermanentWidget(self._problems_button)

        self._create_actions()
        self._create_menus()
        # Reading, theme, text size, print/export, citations, help: its own menu entries.
        self.comfort = ReadingComfort(self)
        self._connect_signals()
        self._update_title()
        self._update_history_actions()
        #: Problems with the content, shown from the status bar (never a crash).
        self.problems: list[Problem] = list(library.problems)
        if self.problems:
            self.show_content_problems()
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)
        if not defer_panels:
            self.build_panels()

    def build_panels(self) -> None:
        """Build the Bookmarks, Search, Index and Timeline panels and their menus."""
        if self.panels_ready:
            return
        from reader.ui.bookmarks_panel import BookmarksPanel
        from reader.ui.position_keeper import PositionKeeper
        from reader.ui.search_panel import SearchFeature, SearchPanel
        from reader.ui.xref_docks import CrossReferences

        self.bookmarks_panel = BookmarksPanel(self.bookmark_store, self.library, self)
        self.bookmarks_panel.current_location = self._reading_section
        self.bookmarks_dock = QDockWidget("Bookmarks", self)
        self.bookmarks_dock.setObjectName("bookmarks_dock")
        self.bookmarks_dock.setWidget(self.bookmarks_panel)
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.bookmarks_dock)
        self.resizeDocks([self.bookmarks_dock], [280], Qt.Orientation.Horizontal)
        self.position_keeper = PositionKeeper(self.bookmark_store, self.reading_view, parent=self)
        # Index and Timeline docks, Figures and Related Pages menus, names as links.
        self.xref = CrossReferences(self, self.library, self.xref_index, self._events)
        # The Search dock; its index opens off the GUI thread (search_panel.prepare).
        search_panel = SearchPanel(self.library, self._search_opener, self)
        self.search = SearchFeature(self, search_panel, self.reading_view)

        self.bookmarks_action = self.bookmarks_dock.toggleViewAction()
        self.bookmarks_action.setShortcut(QKeySequence("Ctrl+Shift+B"))
        self.toolbar.addAction(self.bookmarks_panel.add_action)
        self.search.add_menus(self.go_menu)
        self.view_menu.insertAction(self._view_panels_end, self.search.dock_action)
        self.view_menu.insertAction(self._view_panels_end, self.bookmarks_action)
        menu = self.menuBar()
        menu.insertMenu(self.help_menu.menuAction(), self.bookmarks_panel.menu)
        self.xref.add_menus(
            menu, self.view_menu, self.go_menu, self.help_menu, self._view_panels_end
        )
        self._connect_panel_signals()
        self.panels_ready = True
        # A saved layout was restored before these docks existed: apply it again.
        if self._saved_state is not None:
            self.restoreState(self._saved_state)
        self._update_bookmark_markers()
        if self._store_notice:
            self.bookmarks_panel.show_notice(self._store_notice)

    def show_store_notice(self, text: str) -> None:
        """Tell the reader about their bookmarks file (e.g. a damaged one was set aside)."""
        self._store_notice = text
        self.statusBar().showMessage(text)
        if self.panels_ready:
            self.bookmarks_panel.show_notice(text)

    # -- construction ---------------------------------------------------------------------

    def _create_actions(self) -> None:
        self.back_action = QAction(icon("go-previous"), "&Back", self)
        self.back_action.setShortcuts(
            [QKeySequence(QKeySequence.StandardKey.Back), QKeySequence("Alt+Left")]
        )
        self.back_action.setToolTip("Back (Alt+Left)")
        self.forward_action = QAction(icon("go-next"), "&Forward", self)
        self.forward_action.setShortcuts(
            [QKeySequence(QKeySequence.StandardKey.Forward), QKeySequence("Alt+Right")]
        )
        self.forward_action.setToolTip("Forward (Alt+Right)")
        self.contents_action = self.contents_dock.toggleViewAction()
        self.contents_action.setShortcut(QKeySequence("Ctrl+Shift+C"))
        self.focus_contents_action = QAction("Go to &Contents", self)
        self.focus_contents_action.setShortcut(QKeySequence("Alt+C"))
        self.figure_action = QAction(icon("image-x-generic"), "Open &Figure Viewer", self)
        self.figure_action.setShortcut(QKeySequence("Ctrl+I"))
        self.quit_action = QAction("&Quit", self)
        self.quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        self.about_action = QAction("&About Reference Reader", self)

        self.toolbar = QToolBar("Navigation", self)
        self.toolbar.setObjectName("navigation_toolbar")
        self.toolbar.setMovable(False)
        self.toolbar.addAction(self.back_action)
        self.toolbar.addAction(self.forward_action)
        self.toolbar.addSeparator()
        self.toolbar.addAction(self.figure_action)
        self.addToolBar(self.toolbar)

    def _create_menus(self) -> None:
        menu = self.menuBar()
        self.file_menu = menu.addMenu("&File")
        self.file_menu.addAction(self.quit_action)
        self.go_menu = menu.addMenu("&Go")
        self.go_menu.addAction(self.back_action)
        self.go_menu.addAction(self.forward_action)
        self.go_menu.addSeparator()
        self.go_menu.addAction(self.focus_contents_action)
        self.go_menu.addSeparator()
        self.view_menu = menu.addMenu("&View")
        self.view_menu.addAction(self.contents_action)
        self.view_menu.addAction(self.figure_action)
        # The panels' entries go here when they are built.
        self._view_panels_end = self.view_menu.addSeparator()
        self.help_menu = menu.addMenu("&Help")
        self.help_menu.addAction(self.about_action)

    def _connect_signals(self) -> None:
        self.section_tree.section_activated.connect(self.open_section)
        self.reading_view.section_link_clicked.connect(self.open_section)
        self.reading_view.current_section_changed.connect(self._on_reading_position_changed)
        self.reading_view.figure_clicked.connect(self.show_figure)
        self.reading_view.related_clicked.connect(self.show_related_page)
        self.reading_view.external_link_clicked.connect(self.open_external_link)
        self.back_action.triggered.connect(self.go_back)
        self.forward_action.triggered.connect(self.go_forward)
        self.focus_contents_action.triggered.connect(self._focus_contents)
        self.figure_action.triggered.connect(self._show_first_figure)
        self.quit_action.triggered.connect(self.close)
        self.about_action.triggered.connect(self.show_about)
        self._problems_button.clicked.connect(self.show_problem_details)

    def _connect_panel_signals(self) -> None:
        self.bookmarks_panel.bookmark_activated.connect(self.open_section)
        self.bookmarks_panel.passage_requested.connect(self._show_passage)
        self.bookmarks_panel.add_action.triggered.connect(self.add_bookmark)
        self.bookmarks_panel.message.connect(self._show_message)
        self.bookmarks_panel.marks_changed.connect(self._update_bookmark_markers)
        self.reading_view.current_section_changed.connect(self.position_keeper.schedule)
        self.reading_view.verticalScrollBar().valueChanged.connect(self.position_keeper.schedule)
        self.xref.index_panel.mention_activated.connect(self.show_mention)
        self.xref.timeline_view.event_activated.connect(self.open_section)
        self.xref.figures_menu.figure_activated.connect(self.show_figure)
        self.xref.related_menu.related_activated.connect(self.show_related_page)
        self.xref.names_action.toggled.connect(self.set_names_as_links)
        self.xref.focus_index_action.triggered.connect(self.xref.focus_index)
        self.reading_view.index_entry_clicked.connect(self.xref.show_entry)
        self.search.panel.result_activated.connect(self.show_search_result)
        self.search.panel.cleared.connect(self.search.highlights.clear)
        self.search.panel.hit_counts_changed.connect(self._show_hit_counts)
        self.search.panel.status_message.connect(self._show_message)
        self.search.focus_action.triggered.connect(self.search.focus)
        self.search.next_action.triggered.connect(self.search.highlights.next)
        self.search.previous_action.triggered.connect(self.search.highlights.previous)
        self.search.clear_action.triggered.connect(self.search.highlights.clear)
        self.search.find_bar.open_action.triggered.connect(self.search.find_bar.open_bar)
        self.search.find_bar.activated.connect(self.search.highlights.clear)

    # -- navigation -----------------------------------------------------------------------

    @property
    def current_essay(self) -> Essay | None:
        return self.reading_view.essay

    def current_location(self) -> Location | None:
        essay = self.current_essay
        if essay is None:
            return None
        return Location(essay.id, self.reading_view.section_at_top())

    def _show_essay(self, essay: Essay, force: bool = False) -> None:
        if force or self.reading_view.essay is not essay:
            html = render_essay(essay, self.css, self._reading, decorate=self._decorate)
            self.reading_view.set_essay(essay, html)

    def _decorate(self, essay: Essay, body: str) -> str:
        """Link previews, "See also" and (if on) names as links, from the index of names."""
        if self.xref_index is None:
            return body
        from reader.core.xref_render import decorate

        return decorate(body, essay, self.library, self.xref_index, names=self.names_as_links)

    @Slot(str, str)
    def open_section(self, document: str, section: str) -> bool:
        """Show a section and record the step in history; False if it does not exist."""
        return self._go_to(document, section, record=True)

    def _go_to(self, document: str, section: str, record: bool) -> bool:
        essay = self.library.essay(document)
        if essay is None or (section and essay.section(section) is None):
            self.statusBar().showMessage(
                f"Not found: {'section ' + repr(section) if section else ''} in {document!r}.", 8000
            )
            return False
        if record:
            here = self.current_location()
            if here is not None:
                self.history.replace(here)  # remember where the reader had scrolled to
        self._show_essay(essay)
        target = (section or essay.sections[0].id) if essay.sections else ""
        if target:
            self.reading_view.scroll_to_section(target)
            self.section_tree.select_section(document, target)
        if record:
            self.history.visit(Location(document, target))
        self._update_title()
        self._update_history_actions()
        return True

    def open_start(self, document: str | None = None, section: str | None = None) -> None:
        """Open at a requested place, falling back to the start with a message."""
        if not self.library.essays:
            self.statusBar().showMessage("The library has no essays to show.")
            return
        if document or section:
            if document is None and section:
                found = self.library.find_section(section)
                document = found.document if found else None
            if document and self._go_to(document, section or "", record=True):
                return
            wanted = f"{document}/{section}" if document and section else (section or document)
            self.statusBar().showMessage(
                f"Section {wanted!r} not found; showing the start of the essay.", 15000
            )
        first = self.library.essays[0]
        self._go_to(first.id, first.sections[0].id if first.sections else "", record=True)

    @Slot()
    def go_back(self) -> None:
        here = self.current_location()
        if here is not None:
            self.history.replace(here)
        location = self.history.back()
        if location is not None:
            self._go_to(location.document, location.section, record=False)

    @Slot()
    def go_forward(self) -> None:
        here = self.current_location()
        if here is not None:
            self.history.replace(here)
        location = self.history.forward()
        if location is not None:
            self._go_to(location.document, location.section, record=False)

    def _update_history_actions(self) -> None:
        self.back_action.setEnabled(self.history.can_go_back())
        self.forward_action.setEnabled(self.history.can_go_forward())

    @Slot(str, str)
    def _on_reading_position_changed(self, document: str, section: str) -> None:
        self.section_tree.select_section(document, section)
        self._update_title()

    def _update_title(self) -> None:
        essay = self.current_essay
        if essay is None:
            self.setWindowTitle(APP_TITLE)
            return
        section = essay.section(self.reading_view.section_at_top())
        parts = [essay.title]
        if section is not None and section.level > 1:
            parts.insert(0, section.title)
        self.setWindowTitle(" — ".join([*parts, APP_TITLE]))

    @Slot()
    def _focus_contents(self) -> None:
        self.contents_dock.show()
        self.section_tree.setFocus(Qt.FocusReason.ShortcutFocusReason)

    # -- bookmarks and the reading position ----------------------------------------------

    @Slot()
    def add_bookmark(self) -> None:
        """Bookmark the selected passage, or else the section at the top of the view."""
        where = self.reading_view.reading_location()
        if where is None:
            self.statusBar().showMessage("Open a section to bookmark it.", 5000)
            return
        self.bookmarks_panel.add_bookmark(*where)

    def _reading_section(self) -> tuple[str, str] | None:
        here = self.current_location()
        return (here.document, here.section) if here and here.section else None

    @Slot()
    def _update_bookmark_markers(self) -> None:
        self.section_tree.set_bookmarked(self.bookmark_store.bookmarked_sections())

    def open_last_position(self) -> bool:
        """Reopen the essay read last, at the saved section and offset."""
        position = self.bookmark_store.last_position()
        if position is None or self.library.essay(position.essay) is None:
            return False
        if self.library.section(position.essay, position.section) is None:
            return self.open_section(position.essay, "")  # the section went: its essay
        if not self.open_section(position.essay, position.section):
            return False
        top = self.reading_view.section_top(position.section)
        if top is not None and position.offset > 0:
            bar = self.reading_view.verticalScrollBar()
            bar.setValue(min(bar.maximum(), round(top) + position.offset))
        return True

    @Slot(str, str, str)
    def _show_passage(self, document: str, section: str, quote: str) -> None:
        self.reading_view.select_passage(document, section, quote)

    @Slot(str)
    def _show_message(self, text: str) -> None:
        self.statusBar().showMessage(text, 10000)

    @Slot(str, str, list)
    def show_search_result(self, document: str, section: str, terms: list) -> None:
        """Open a search result and highlight every form that matched, from its section on."""
        if self.open_section(document, section):
            self.search.find_bar.highlights.clear()
            self.search.highlights.show(terms, section)

    @Slot(list)
    def _show_hit_counts(self, counts: list) -> None:
        self.section_tree.set_hit_counts(counts)

    @Slot(str, str, str, int)
    def show_mention(self, document: str, section: str, text: str, occurrence: int) -> None:
        """Open a section and select one mention of a name in it (from the Index)."""
        if self.open_section(document, section):
            self.reading_view.select_text(section, text, occurrence)

    @Slot(bool)
    def set_names_as_links(self, on: bool) -> None:
        """Show indexed names as links (re-renders the essay at the same place)."""
        self.names_as_links = self.xref.names_as_links = on
        self.rerender()

    # -- figures, related pages, external links ------------------------------------------

    @Slot(str, str)
    def show_figure(self, document: str, figure_id: str) -> None:
        essay = self.library.essay(document)
        figure = essay.figure(figure_id) if essay else None
        if essay is None or figure is None:
            self.statusBar().showMessage(f"Figure {figure_id!r} not found.", 8000)
            return
        from reader.ui.figure_viewer import FigureViewer  # QtSvgWidgets: only when asked for

        index = essay.figures.index(figure)
        if self.figure_viewer is None:
            self.figure_viewer = FigureViewer(essay.figures, index, self)
        else:
            self.figure_viewer.set_figures(essay.figures, index)
        self.figure_viewer.show()
        self.figure_viewer.raise_()
        self.figure_viewer.activateWindow()

    @Slot()
    def _show_first_figure(self) -> None:
        essay = self.current_essay
        if essay is None or not essay.figures:
            self.statusBar().showMessage("This essay has no figures.", 5000)
            return
        self.show_figure(essay.id, essay.figures[0].id)

    @Slot(str, str)
    def show_related_page(self, document: str, page_id: str) -> None:
        essay = self.library.essay(document)
        page = essay.related_page(page_id) if essay else None
        if page is None:
            self.statusBar().showMessage(f"Related page {page_id!r} is not listed.", 8000)
            return
        if not page.url:
            QMessageBox.information(
                self,
                "Not available offline",
                f"“{page.title}” is a page of the source site. It is not part of this offline "
                "edition, and its address was not recorded.",
            )
            return
        self.open_external_link(QUrl(page.url), f"“{page.title}” is not available offline.")

    @Slot(QUrl)
    def open_external_link(self, url: QUrl, reason: str = "") -> bool:
        """Ask before opening a web address in the system browser."""
        if url.scheme() not in ("http", "https", "mailto"):
            self.statusBar().showMessage(f"Cannot open {url.toString()}.", 8000)
            return False
        text = (
            f"{reason + ' ' if reason else ''}Open this address in your web browser?\n\n"
            f"{url.toString()}\n\nThis needs a network connection."
        )
        answer = QMessageBox.question(
            self,
            "Open in web browser",
            text,
            QMessageBox.StandardButton.Open | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        if answer != QMessageBox.StandardButton.Open:
            return False
        return QDesktopServices.openUrl(url)

    # -- problems and messages ------------------------------------------------------------

    def check_cross_references(self) -> None:
        """Add problems in index.yaml/timeline.yaml to the list (run after start-up)."""
        from reader.core import timeline, xref

        found = [*xref.check(self.library), *timeline.check(self.library)]
        known = {str(p) for p in self.problems}
        new = [p for p in found if str(p) not in known]
        if new:
            self.problems.extend(new)
            self.show_content_problems()

    def show_content_problems(self) -> None:
        count = len(self.problems)
        self._problems_button.setText(f"⚠ {count} content problem{'s' if count != 1 else ''}")
        self._problems_button.setToolTip("Show the problems found in the content folder")
        self._problems_button.show()
        self.statusBar().showMessage(
            "Some content could not be loaded as written; the rest is shown.", 15000
        )

    @Slot()
    def show_problem_details(self) -> None:
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            "Content problems",
            f"{len(self.problems)} problem(s) were found in "
            f"{self.library.root}. Whatever is valid is shown.",
            QMessageBox.StandardButton.Close,
            self,
        )
        box.setDetailedText("\n".join(str(p) for p in self.problems))
        box.exec()

    @Slot()
    def show_about(self) -> None:
        self.comfort.show_about()

    def rerender(self) -> None:
        """Show the current essay again (reading, theme, size or names changed), at the
        same place: the same section, as far into it as before."""
        if self.current_essay is None:
            return
        place = self.reading_view.reading_place()
        self._show_essay(self.current_essay, force=True)
        if place is not None:
            self.reading_view.restore_place(place)

    # -- events and state -----------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.MouseButtonPress and isinstance(event, QMouseEvent):
            widget = watched if isinstance(watched, QWidget) else None
            if widget is not None and widget.window() is self:
                if event.button() == Qt.MouseButton.BackButton:
                    self.go_back()
                    return True
                if event.button() == Qt.MouseButton.ForwardButton:
                    self.go_forward()
                    return True
        return super().eventFilter(watched, event)

    def restore_state(self) -> None:
        geometry = self.settings.value("window/geometry")
        state = self.settings.value("window/state")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        else:
            self.resize(1200, 820)
        if isinstance(state, QByteArray):
            self._saved_state = state
            self.restoreState(state)

    def save_state(self) -> None:
        self.settings.setValue("window/geometry", self.saveGeometry())
        self.settings.setValue("window/state", self.saveState())
        self.settings.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.panels_ready:
            self.position_keeper.save_now()
            self.search.panel.shutdown()
        self.bookmark_store.close()  # the window owns its store from construction on
        self.save_state()
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
        if self.figure_viewer is not None:
            self.figure_viewer.close()
        super().closeEvent(event)
