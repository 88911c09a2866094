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
    QCloseEvent,
    QGuiApplication,
    QMouseEvent,
    QShowEvent,
)
from PySide6.QtWidgets import (
    QApplication,
    QDockWidget,
    QMainWindow,
    QWidget,
)

from reader.core import library as user_library
from reader.core.bookmarks import BookmarkStore
from reader.core.content import Essay, Library, Problem
from reader.core.history import History, Location
from reader.core.render import render_essay
from reader.ui.appearance import apply_theme
from reader.ui.core_actions import CoreActions
from reader.ui.destinations import Destinations
from reader.ui.feature import Context, Feature
from reader.ui.figure_cache import FigureCache
from reader.ui.link_text import describe_link
from reader.ui.reading_view import ReadingView
from reader.ui.section_tree import SectionTree
from reader.ui.status_line import StatusLine
from reader.ui.view_settings import ViewSettings
from reader.ui.window_fit import DEFAULT_SIZE, fit_to_screen, keep_minimum_column

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
#: Bumped when the docks' layout changes: an older saved layout gives way to the default.
LAYOUT_VERSION = 2
GEOMETRY_KEY = "window/geometry"
STATE_KEY = "window/state"
EXPANDED_KEY = "contents/expanded"

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
        #: Reading, theme, text size, column width and names as links.
        self.view_settings = ViewSettings(settings, css, self)
        self._own_palette = False

        self.reading_view = ReadingView(self)
        if locations is not None:
            self.reading_view.figure_cache = FigureCache(locations.cache_dir / "figures")
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

        self.status_line = StatusLine(self, self.reading_view, library.root)
        self.destinations = Destinations(
            self, self.reading_view, lambda: self.library, self.open_section,
            self.statusBar().showMessage,
        )
        self._state_restored = self._fitted = False
        #: Set when the window closed (its store is closed): nothing is built after that.
        self.closed = False

        self.core_actions = CoreActions(self, self.contents_dock, self.reading_view)
        self.menus = self.core_actions.menus
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
            show_related_page=self.destinations.show_related_page,
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
        """Build the features: their docks, actions, menu entries and wiring (not once closed)."""
        if self.panels_ready or self.closed:
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

    def _connect_signals(self) -> None:
        self.section_tree.section_activated.connect(self.open_section)
        self.reading_view.section_link_clicked.connect(self.open_section)
        self.reading_view.current_section_changed.connect(self._on_reading_position_changed)
        self.reading_view.figure_clicked.connect(self.show_figure)
        view, actions, destinations = self.reading_view, self.core_actions, self.destinations
        view.related_clicked.connect(destinations.show_related_page)
        view.external_link_clicked.connect(destinations.open_external_link)
        view.link_description = self.describe_link
        actions.back.triggered.connect(self.go_back)
        actions.forward.triggered.connect(self.go_forward)
        actions.start.triggered.connect(self.go_to_start)
        actions.end.triggered.connect(self.go_to_end)
        actions.focus_contents.triggered.connect(self._focus_contents)
        actions.figure.triggered.connect(destinations.show_figure_here)
        actions.quit.triggered.connect(self.close)
        actions.about.triggered.connect(self.show_about)
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
            self.reading_view.set_essay(essay, html)
            keep_minimum_column(self.reading_view)
            self.status_line.update_progress()

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
        self.core_actions.back.setEnabled(self.history.can_go_back())
        self.core_actions.forward.setEnabled(self.history.can_go_forward())

    @Slot(str, str)
    def _on_reading_position_changed(self, document: str, section: str) -> None:
        self.section_tree.select_section(document, section)
        self._update_title()
        self.status_line.update_progress()

    @Slot()
    def go_to_start(self) -> None:
        self.reading_view.verticalScrollBar().setValue(0)

    @Slot()
    def go_to_end(self) -> None:
        bar = self.reading_view.verticalScrollBar()
        bar.setValue(bar.maximum())

    def describe_link(self, url: QUrl) -> str:
        """What following ``url`` does, in words, for its tooltip and the status bar."""
        return describe_link(url, self.library, self.current_essay)

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
        self.status_line.show_message(text)

    # -- figures: the viewer is the destinations' --------------------------------------

    @property
    def figure_viewer(self) -> FigureViewer | None:
        return self.destinations.figure_viewer

    @Slot(str, str)
    def show_figure(self, document: str, figure_id: str) -> None:
        self.destinations.show_figure(document, figure_id)

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
            self.status_line.show_problems(self.problems, announce=False)
        self.destinations.follow_library(library)
        LibraryUpdate(context, self.features, self.show_again, lambda: self.closed).start()

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
        self.status_line.show_problems(self.problems)

    @Slot()
    def show_about(self) -> None:
        from PySide6.QtWidgets import QMessageBox

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
        self.status_line.show_reading(settings.reading)

    @Slot()
    def _on_view_settings_changed(self) -> None:
        # Where the reader is, before a new column width reflows the text.
        place = self.reading_view.reading_place()
        self._apply_view_settings()
        self.rerender(place)

    def rerender(
        self, place: tuple[str, float] | None = None, essay: Essay | None = None
    ) -> None:
        """Show the current essay again (reading, theme, size or names changed; or
        ``essay``, its version from a new library), at the same place: the same section,
        as far into it as before (or at ``place``)."""
        essay = essay if essay is not None else self.current_essay
        if essay is None:
            return
        if place is None:
            place = self.reading_view.reading_place()
        # One textChanged for the new text, none for the page cleared on the way: search
        # highlights are found again in it and keep their current hit.
        with QSignalBlocker(self.reading_view):
            self._show_essay(essay, force=True)
        self.reading_view.textChanged.emit()
        if place is not None:
            self.reading_view.restore_place(place)

    def show_again(self, essay_id: str) -> None:
        """The essay being read, from the library shown now (after an import), at the
        same place; the start if it is not in it any more."""
        again = self.library.essay(essay_id)
        if again is None:
            self.open_start()
        else:
            self.rerender(essay=again)

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
        fit_to_screen(self)
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

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._state_restored and not self._fitted:
            self._fitted = True
            fit_to_screen(self)  # the frame's size is known now

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
        self.closed = True
        self.save_state()
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
        self.destinations.close()
        super().closeEvent(event)
