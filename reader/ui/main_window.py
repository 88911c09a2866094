"""The main window: the reading core (contents tree, reading view, history, status
bar) and the features around it.

Every navigation — tree, links, history, search results, bookmarks, the index
and the timeline — goes through one slot, ``open_section(document, section)``.

The window is built in two steps, so that the essay is on screen as early as
possible: the reading core and a minimal menu bar in the constructor, and the
features (``FEATURES``, see ``reader.ui.feature``) in ``build_panels()`` — at
once, or, when the app starts, right after the first paint. The core's signal
wiring is in ``_connect_signals``; each feature wires its own in ``connect()``.
How the text is shown (reading, theme, size, column, names as links) is owned
by ``ViewSettings``; the window renders the essay again when it changes.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, TypeVar

from PySide6.QtCore import (
    QByteArray,
    QEvent,
    QObject,
    QSettings,
    QSignalBlocker,
    Qt,
    QUrl,
    Slot,
)
from PySide6.QtGui import (
    QAction,
    QCloseEvent,
    QDesktopServices,
    QFont,
    QFontMetricsF,
    QGuiApplication,
    QKeySequence,
    QMouseEvent,
    QShowEvent,
)
from PySide6.QtWidgets import (
    QApplication,
    QDockWidget,
    QLabel,
    QMainWindow,
    QMessageBox,
    QToolBar,
    QWidget,
)

from reader.core import library as user_library
from reader.core.bookmarks import BookmarkStore
from reader.core.content import Essay, Library, Problem
from reader.core.history import History, Location
from reader.core.readings import DEFAULT_READING, READING_LABELS
from reader.core.render import render_essay
from reader.ui.appearance import apply_theme
from reader.ui.feature import Context, Feature, Menus
from reader.ui.icons import icon
from reader.ui.problems_button import ProblemsButton
from reader.ui.reading_view import MIN_MARGIN, ReadingView
from reader.ui.section_tree import SectionTree
from reader.ui.view_settings import ViewSettings

if TYPE_CHECKING:  # the features' modules are imported when the features are built
    from reader.core.paths import Locations
    from reader.core.timeline import Event
    from reader.core.xref import Index
    from reader.ui.bookmarks_feature import BookmarksFeature
    from reader.ui.bookmarks_panel import BookmarksPanel
    from reader.ui.figure_viewer import FigureViewer
    from reader.ui.position_keeper import PositionKeeper
    from reader.ui.search_feature import SearchFeature
    from reader.ui.search_panel import IndexOpener
    from reader.ui.xref_docks import CrossReferences

APP_TITLE = "Reference Reader"
#: The narrowest reading column, in characters of the body text.
MIN_COLUMN_CHARS = 45
#: The size the window first opens at (smaller if the screen is smaller).
DEFAULT_SIZE = (1200, 820)
#: A restored window smaller than this (or than the screen, if smaller) opens at the default.
USABLE_SIZE = (640, 480)
#: Bumped when the docks' layout changes: an older saved layout gives way to the default.
LAYOUT_VERSION = 2
GEOMETRY_KEY = "window/geometry"
STATE_KEY = "window/state"
EXPANDED_KEY = "contents/expanded"


def shortcut_list(*keys: QKeySequence | str) -> list[QKeySequence]:
    """``keys`` without empty or repeated sequences: a standard key often is the literal
    one too, and an action that holds one sequence twice makes it ambiguous (dead)."""
    found: dict[str, QKeySequence] = {}
    for key in keys:
        sequence = QKeySequence(key)
        if not sequence.isEmpty():
            found.setdefault(sequence.toString(), sequence)
    return list(found.values())


def column_characters(width: float, font: QFont) -> float:
    """How many characters of ``font`` a line ``width`` pixels wide holds, on average."""
    return width / max(1.0, QFontMetricsF(font).averageCharWidth())

#: The window's features, in the order they are built: their docks, menus and menu
#: entries take their places in this order. Adding one is adding a line here.
FEATURES = (
    "reader.ui.search_feature:SearchFeature",
    "reader.ui.bookmarks_feature:BookmarksFeature",
    "reader.ui.xref_docks:CrossReferences",
    "reader.ui.sidebar:Sidebar",
    "reader.ui.view_menu:ViewChoices",
    "reader.ui.window_modes:WindowModes",
    "reader.ui.print_actions:PrintExport",
    "reader.ui.citations:Citations",
    "reader.ui.help_menu:HelpFeature",
    "reader.ui.edition_feature:EditionFeature",
    "reader.ui.library_feature:LibraryFeature",
)

F = TypeVar("F", bound=Feature)


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
        store_notice: str = "",
        locations: Locations | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("main_window")
        self.library = library
        self.settings = settings
        self.history = History()
        self.figure_viewer: FigureViewer | None = None
        #: Reading, theme, text size, column width and names as links.
        self.view_settings = ViewSettings(settings, css, self)
        self._own_palette = False

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
        #: Whether build_panels() has run; until then only the reading core exists.
        self.panels_ready = False
        self.features: list[Feature] = []
        self._saved_state: QByteArray | None = None

        self._problems_button = ProblemsButton(library.root, self)
        #: The reading when it is not the corrected one; where the reader is in the essay.
        self.reading_label = QLabel(self)
        self.reading_label.setObjectName("reading_label")
        self.progress_label = QLabel(self)
        self.progress_label.setObjectName("progress_label")
        self.progress_label.setAccessibleName("Reading progress")
        self.statusBar().addPermanentWidget(self.reading_label)
        self.statusBar().addPermanentWidget(self.progress_label)
        self.statusBar().addPermanentWidget(self._problems_button)
        self._state_restored = False
        self._fitted = False
        self._setting_text = False

        self._create_actions()
        self._create_menus()
        self.setTabOrder(self.section_tree, self.reading_view)
        self._context = Context(
            window=self,
            library=library,
            settings=settings,
            view_settings=self.view_settings,
            reading_view=self.reading_view,
            section_tree=self.section_tree,
            menus=self.menus,
            bookmark_store=self.bookmark_store,
            xref_index=xref_index,
            events=events or [],
            open_section=self.open_section,
            show_message=self.show_message,
            show_figure=self.show_figure,
            show_related_page=self.show_related_page,
            search_opener=search_opener,
            bookmark_notice=store_notice,
            locations=locations,
            set_library=self.set_library,
            docks={Qt.DockWidgetArea.LeftDockWidgetArea: [self.contents_dock]},
        )
        self._apply_view_settings()
        self._connect_signals()
        self._update_title()
        self._update_history_actions()
        #: Problems with the content, shown from the status bar (never a crash).
        self.problems: list[Problem] = list(library.problems)
        if self.problems:
            self.show_content_problems()
        if store_notice:
            self.statusBar().showMessage(store_notice)
        if not defer_panels:
            self.build_panels()

    def build_panels(self) -> None:
        """Build the features: their docks, actions, menu entries and wiring."""
        if self.panels_ready:
            return
        # The mouse's back and forward buttons, from here on: an application-wide filter
        # runs Python for every event, and the first paint does without it.
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)
        for name in FEATURES:
            module, _, cls = name.partition(":")
            feature: Feature = getattr(importlib.import_module(module), cls)()
            feature.build(self._context)
            self.features.append(feature)
        for feature in self.features:
            feature.add_menus(self.menus)
        for feature in self.features:
            feature.connect()
        self.panels_ready = True
        # A saved layout was restored before these docks existed: apply it again.
        if self._saved_state is not None:
            self.restoreState(self._saved_state, LAYOUT_VERSION)
        if self._state_restored:
            self._features_restore()

    def feature(self, kind: type[F]) -> F:
        """The built feature of class ``kind`` (after ``build_panels``)."""
        found = next((f for f in self.features if isinstance(f, kind)), None)
        if found is None:
            raise LookupError(f"no {kind.__name__} in this window")
        return found

    # The features the tests and the app reach most often.

    @property
    def search(self) -> SearchFeature:
        from reader.ui.search_feature import SearchFeature

        return self.feature(SearchFeature)

    @property
    def xref(self) -> CrossReferences:
        from reader.ui.xref_docks import CrossReferences

        return self.feature(CrossReferences)

    @property
    def bookmarks(self) -> BookmarksFeature:
        from reader.ui.bookmarks_feature import BookmarksFeature

        return self.feature(BookmarksFeature)

    @property
    def bookmarks_panel(self) -> BookmarksPanel:
        return self.bookmarks.panel

    @property
    def bookmarks_dock(self) -> QDockWidget:
        return self.bookmarks.dock

    @property
    def position_keeper(self) -> PositionKeeper:
        return self.bookmarks.position_keeper

    # -- construction ---------------------------------------------------------------------

    def _create_actions(self) -> None:
        self.back_action = QAction(icon("go-previous"), "&Back", self)
        self.back_action.setShortcuts(
            shortcut_list(QKeySequence(QKeySequence.StandardKey.Back), "Alt+Left")
        )
        self.back_action.setToolTip("Back (Alt+Left)")
        self.forward_action = QAction(icon("go-next"), "&Forward", self)
        self.forward_action.setShortcuts(
            shortcut_list(QKeySequence(QKeySequence.StandardKey.Forward), "Alt+Right")
        )
        self.forward_action.setToolTip("Forward (Alt+Right)")
        self.contents_action = self.contents_dock.toggleViewAction()
        self.contents_action.setShortcut(QKeySequence("Ctrl+Shift+C"))
        self.focus_contents_action = QAction("Go to &Contents", self)
        self.focus_contents_action.setShortcut(QKeySequence("Alt+C"))
        self.figure_action = QAction(icon("image-x-generic"), "Open &Figure Viewer", self)
        self.figure_action.setShortcut(QKeySequence("Ctrl+I"))
        self.quit_action = QAction("&Quit", self)
        self.quit_action.setShortcuts(
            shortcut_list(QKeySequence(QKeySequence.StandardKey.Quit), "Ctrl+Q")
        )
        # Start and end of the essay: the view's own keys, so they do not take Ctrl+Home
        # from a search field or a list.
        self.start_action = QAction("&Start of the Essay", self)
        self.start_action.setShortcut(QKeySequence("Ctrl+Home"))
        self.end_action = QAction("&End of the Essay", self)
        self.end_action.setShortcut(QKeySequence("Ctrl+End"))
        for action in (self.start_action, self.end_action):
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            self.reading_view.addAction(action)
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
        self.edit_menu = menu.addMenu("&Edit")
        self.edit_menu.setObjectName("edit_menu")
        self.go_menu = menu.addMenu("&Go")
        self.go_menu.addAction(self.back_action)
        self.go_menu.addAction(self.forward_action)
        self.go_menu.addSeparator()
        self.go_menu.addAction(self.start_action)
        self.go_menu.addAction(self.end_action)
        self.go_menu.addSeparator()
        self.go_menu.addAction(self.focus_contents_action)
        self.go_menu.addSeparator()
        self.view_menu = menu.addMenu("&View")
        self.view_menu.addAction(self.contents_action)
        self.view_menu.addAction(self.figure_action)
        # The panels' toggles go here when they are built, the reading choices after it.
        self._view_panels_end = self.view_menu.addSeparator()
        self.help_menu = menu.addMenu("&Help")
        self.help_menu.addAction(self.about_action)
        self.menus = Menus(
            menu, self.file_menu, self.edit_menu, self.go_menu, self.view_menu,
            self.help_menu, self.toolbar, self._view_panels_end,
        )

    def _connect_signals(self) -> None:
        self.section_tree.section_activated.connect(self.open_section)
        self.reading_view.section_link_clicked.connect(self.open_section)
        self.reading_view.current_section_changed.connect(self._on_reading_position_changed)
        self.reading_view.figure_clicked.connect(self.show_figure)
        self.reading_view.related_clicked.connect(self.show_related_page)
        self.reading_view.external_link_clicked.connect(self.open_external_link)
        self.back_action.triggered.connect(self.go_back)
        self.forward_action.triggered.connect(self.go_forward)
        self.start_action.triggered.connect(self.go_to_start)
        self.end_action.triggered.connect(self.go_to_end)
        self.reading_view.highlighted.connect(self._on_link_hovered)
        self.reading_view.verticalScrollBar().valueChanged.connect(self._update_progress)
        self.reading_view.verticalScrollBar().rangeChanged.connect(self._update_progress)
        self.focus_contents_action.triggered.connect(self._focus_contents)
        self.figure_action.triggered.connect(self._show_first_figure)
        self.quit_action.triggered.connect(self.close)
        self.about_action.triggered.connect(self.show_about)
        self.view_settings.changed.connect(self._on_view_settings_changed)
        QGuiApplication.styleHints().colorSchemeChanged.connect(
            self.view_settings.system_scheme_changed
        )

    # -- navigation -----------------------------------------------------------------------

    @property
    def current_essay(self) -> Essay | None:
        return self.reading_view.essay

    @property
    def xref_index(self) -> Index | None:
        """The index of names of the library as last loaded."""
        return self._context.xref_index

    def current_location(self) -> Location | None:
        essay = self.current_essay
        if essay is None:
            return None
        return Location(essay.id, self.reading_view.section_at_top())

    def _show_essay(self, essay: Essay, force: bool = False) -> None:
        if force or self.reading_view.essay is not essay:
            settings = self.view_settings
            html = render_essay(
                essay,
                settings.css(),
                settings.reading,
                decorate=self._decorate,
                editorial_links=settings.editorial_links,
                in_library=user_library.essay_links(self.library, essay.id),
            )
            # The scroll bar's range changes many times while the text is laid out; the
            # progress is shown once it is in place (each update walks the whole text).
            self._setting_text = True
            try:
                self.reading_view.set_essay(essay, html)
            finally:
                self._setting_text = False
            self.update_minimum_column()
            self._update_progress()

    def _decorate(self, essay: Essay, body: str) -> str:
        """Link previews, "See also" and (if on) names as links, from the index of names."""
        index = self._context.xref_index
        if index is None:
            return body
        from reader.core.xref_render import decorate

        names = self.view_settings.names_as_links
        return decorate(body, essay, self.library, index, names=names)

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
        if not section:  # the essay itself: from its very start
            self.reading_view.verticalScrollBar().setValue(0)
            self.section_tree.select_section(document, target)
        elif target:
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
        self._update_progress()

    @Slot()
    def go_to_start(self) -> None:
        self.reading_view.verticalScrollBar().setValue(0)

    @Slot()
    def go_to_end(self) -> None:
        bar = self.reading_view.verticalScrollBar()
        bar.setValue(bar.maximum())

    # -- the status bar: progress, the reading, the link under the pointer -----------------

    @Slot()
    def _update_progress(self) -> None:
        if self._setting_text:
            return
        essay = self.current_essay
        if essay is None or not essay.sections:
            self.progress_label.clear()
            return
        ids = [s.id for s in essay.sections]
        section = self.reading_view.section_at_top()
        number = ids.index(section) + 1 if section in ids else 1
        bar = self.reading_view.verticalScrollBar()
        percent = round(100 * bar.value() / bar.maximum()) if bar.maximum() > 0 else 100
        self.progress_label.setText(f"Section {number} of {len(ids)} · {percent}%")

    def _update_reading_label(self) -> None:
        reading = self.view_settings.reading
        shown = reading != DEFAULT_READING
        self.reading_label.setText(f"Reading: {READING_LABELS[reading]}" if shown else "")
        self.reading_label.setVisible(shown)

    def describe_link(self, url: QUrl) -> str:
        """What following ``url`` does, in words, for the status bar."""
        scheme, ident = url.scheme(), url.path().strip("/")
        essay = self.library.essay(url.host()) if url.host() else self.current_essay
        if scheme == "" and url.hasFragment():
            scheme, ident = "reader", url.fragment()
        if scheme == "reader":
            section = essay.section(ident) if essay and ident else None
            if section is not None:
                return f"Go to section ‘{section.title}’"
            return f"Go to ‘{essay.title}’" if essay else f"Go to {url.toString()}"
        if scheme == "figure":
            figure = essay.figure(ident) if essay else None
            return f"Open figure {figure.number}" if figure else "Open the figure"
        if scheme == "related":
            page = essay.related_page(ident) if essay else None
            return f"‘{page.title}’ is not in your library" if page else "A related page"
        if scheme == "index":
            return "Look the name up in the index"
        return url.toString()

    @Slot(QUrl)
    def _on_link_hovered(self, url: QUrl) -> None:
        if url.isEmpty():
            self.statusBar().clearMessage()
        else:
            self.statusBar().showMessage(self.describe_link(url))

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

    # -- the reading position and messages ---------------------------------------------

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

    @Slot(str)
    def show_message(self, text: str) -> None:
        self.statusBar().showMessage(text, 10000)

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
            entries = self.reading_view.figure_menu_entries
            self.figure_viewer = FigureViewer(essay.figures, index, self, entries)
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
        # The figure at the cursor or nearest the reading place, not always the first.
        near = self.reading_view.figure_near_reading_place()
        self.show_figure(essay.id, near or essay.figures[0].id)

    @Slot(str, str)
    def show_related_page(self, document: str, page_id: str) -> None:
        """Open the related page if it is an essay of the library; else say it is not."""
        essay = self.library.essay(document)
        page = essay.related_page(page_id) if essay else None
        if page is None:
            self.statusBar().showMessage(f"Related page {page_id!r} is not listed.", 8000)
            return
        target = user_library.essay_links(self.library, document)[0].get(page_id)
        if target is not None:
            self.open_section(target, "")
            return
        where = f" ({page.url})" if page.url else ""
        self.statusBar().showMessage(f"“{page.title}” is not in your library{where}.", 10000)

    def set_library(
        self, library: Library, xref_index: Index | None = None, events: list[Event] | None = None
    ) -> None:
        """Show ``library`` from now on (after an import): the contents, the panels and
        the essay being read (at the same place) follow, a step per turn of the event
        loop (``reader.ui.library_update``)."""
        from reader.ui.library_update import LibraryUpdate

        self.library = library
        context = self._context
        context.library = library
        context.xref_index = xref_index
        context.events = list(events or [])
        self.problems = list(library.problems)
        if self.problems:
            self._problems_button.show_problems(self.problems)
        viewer = self.figure_viewer
        shown = library.essay(viewer.figure.document) if viewer is not None else None
        if viewer is not None and shown is not None and shown.figures:
            ids = [f.id for f in shown.figures]
            here = viewer.figure.id
            viewer.set_figures(shown.figures, ids.index(here) if here in ids else 0)
        LibraryUpdate.begin(context, self.features, self._show_essay, self.open_start)

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
        self._problems_button.show_problems(self.problems)
        self.statusBar().showMessage(
            "Some content could not be loaded as written; the rest is shown.", 15000
        )

    @Slot()
    def show_about(self) -> None:
        from reader.ui.help_dialogs import about_html

        QMessageBox.about(self, "About Reference Reader", about_html(self.current_essay))

    def _apply_view_settings(self) -> None:
        """The theme's palettes and the column width, before the essay is rendered."""
        settings = self.view_settings
        own = settings.theme_setting != "system"
        self._own_palette = apply_theme(
            self, self.reading_view, settings.theme, own, self._own_palette
        )
        self.reading_view.column_width = settings.column_width
        self._update_reading_label()

    @Slot()
    def _on_view_settings_changed(self) -> None:
        # Where the reader is, before a new column width reflows the text.
        place = self.reading_view.reading_place()
        self._apply_view_settings()
        self.rerender(place)

    def body_font(self) -> QFont:
        """The font most of the shown text is set in (the body text's)."""
        lengths: dict[tuple[str, float], int] = {}
        fonts: dict[tuple[str, float], QFont] = {}
        block = self.reading_view.document().begin()
        while block.isValid():
            font = block.charFormat().font()
            key = (font.family(), font.pointSizeF())
            lengths[key] = lengths.get(key, 0) + block.length()
            fonts.setdefault(key, font)
            block = block.next()
        if not lengths:
            return self.reading_view.font()
        return fonts[max(lengths, key=lambda k: lengths[k])]

    def update_minimum_column(self) -> None:
        """The reading view never gets narrower than a readable column: the docks yield
        first. On a screen too small for it, it takes what the screen allows."""
        font = self.body_font()
        width = QFontMetricsF(font).averageCharWidth() * MIN_COLUMN_CHARS
        scroll = self.reading_view.verticalScrollBar().sizeHint().width()
        wanted = round(width + 2 * MIN_MARGIN + scroll + 8)
        screen = self.screen()
        if screen is not None:
            wanted = min(wanted, screen.availableGeometry().width() - 40)
        self.reading_view.setMinimumWidth(max(200, wanted))

    def rerender(self, place: tuple[str, float] | None = None) -> None:
        """Show the current essay again (reading, theme, size or names changed), at the
        same place: the same section, as far into it as before (or at ``place``)."""
        if self.current_essay is None:
            return
        if place is None:
            place = self.reading_view.reading_place()
        # One textChanged for the new text, none for the page cleared on the way: search
        # highlights are found again in it and keep their current hit.
        with QSignalBlocker(self.reading_view):
            self._show_essay(self.current_essay, force=True)
        self.reading_view.textChanged.emit()
        self.update_minimum_column()
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
        """Reopen as the window was left, made to fit the screen it opens on: a layout
        saved on a larger screen must not come back off screen or squeezed."""
        geometry = self.settings.value(GEOMETRY_KEY)
        state = self.settings.value(STATE_KEY)
        restored = isinstance(geometry, QByteArray) and self.restoreGeometry(geometry)
        if not restored:
            self.resize(*DEFAULT_SIZE)
        self.fit_to_screen()
        if isinstance(state, QByteArray):
            self._saved_state = state
            if self.panels_ready:
                self.restoreState(state, LAYOUT_VERSION)
        expanded = self.settings.value(EXPANDED_KEY)
        if expanded is not None:
            keys = [expanded] if isinstance(expanded, str) else list(expanded)  # type: ignore[call-overload]
            self.section_tree.set_expanded([str(k) for k in keys if k])
        self._state_restored = True
        if self.panels_ready:
            self._features_restore()

    def fit_to_screen(self) -> None:
        """Clamp the window into the available area of the screen it is on, and never
        smaller than a usable size (the docks yield to the text first)."""
        screen = self.screen() or QGuiApplication.primaryScreen()
        if screen is None:
            return
        area = screen.availableGeometry()
        frame = self.frameGeometry()
        extra_w = max(0, frame.width() - self.width())
        extra_h = max(0, frame.height() - self.height())
        width, height = self.width(), self.height()
        too_small = width < min(USABLE_SIZE[0], area.width() - extra_w) or height < min(
            USABLE_SIZE[1], area.height() - extra_h
        )
        if too_small:  # e.g. saved squeezed on another screen
            width, height = DEFAULT_SIZE
        width = min(width, area.width() - extra_w)
        height = min(height, area.height() - extra_h)
        self.resize(width, height)
        x = min(max(frame.x(), area.left()), area.right() + 1 - width - extra_w)
        y = min(max(frame.y(), area.top()), area.bottom() + 1 - height - extra_h)
        self.move(max(area.left(), x), max(area.top(), y))

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._state_restored and not self._fitted:
            self._fitted = True
            self.fit_to_screen()  # the frame's size is known now

    def _features_restore(self) -> None:
        for feature in self.features:
            feature.restore()

    def save_state(self) -> None:
        self.settings.setValue(GEOMETRY_KEY, self.saveGeometry())
        self.settings.setValue(STATE_KEY, self.saveState(LAYOUT_VERSION))
        self.settings.setValue(EXPANDED_KEY, self.section_tree.expanded_sections())
        self.settings.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        for feature in self.features:
            feature.shut_down()
        self.bookmark_store.close()  # the window owns its store from construction on
        self.save_state()
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
        if self.figure_viewer is not None:
            self.figure_viewer.close()
        super().closeEvent(event)
