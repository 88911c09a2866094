"""The interface between the main window and its features.

A feature is one part of the window that the reading core does without:
a panel (bookmarks, search, the index), a group of menu entries (print and
export, citations, help). The window builds every feature in the order of
its ``FEATURES`` list, after the essay is first on screen, in three steps:

1. ``build(context)`` makes the feature's widgets, docks and actions. An
   action with a shortcut is added to the window (``context.add_action``), so
   that the shortcut works at once and while the menu bar is hidden.
2. ``add_menus(context.menus)`` puts the actions in the menus.
3. ``connect()`` wires the feature's signals, to its own slots or to the
   context's (``open_section``, ``show_message``).

``restore()`` runs once the window's saved geometry and layout are back;
``shut_down()`` runs when the window closes; ``set_library()`` when the reader
adds to the library. A feature reaches the window
only through its ``Context``; features that need each other get references,
never look each other up by object name.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDockWidget, QMainWindow, QMenu, QMenuBar, QToolBar

if TYPE_CHECKING:  # for the annotations only: nothing here is needed to build the window
    from reader.core.bookmarks import BookmarkStore
    from reader.core.content import Essay, Library
    from reader.core.paths import Locations
    from reader.core.timeline import Event
    from reader.core.xref import Index
    from reader.ui.reading_view import ReadingView
    from reader.ui.section_tree import SectionTree
    from reader.ui.view_settings import ViewSettings


@dataclass
class Menus:
    """The window's menu bar and the menus the features add to."""

    bar: QMenuBar
    file: QMenu
    edit: QMenu
    go: QMenu
    view: QMenu
    help: QMenu
    toolbar: QToolBar
    #: The panels' toggles go before this separator, the reading choices after it.
    view_panels_end: QAction

    def add_menu(self, menu: QMenu) -> None:
        """A menu of the menu bar's own, placed before Help."""
        self.bar.insertMenu(self.help.menuAction(), menu)


@dataclass
class Context:
    """What a feature may use of the window, given to it by the window."""

    window: QMainWindow  # the parent of docks and actions; features call no window method
    library: Library
    settings: QSettings
    view_settings: ViewSettings
    reading_view: ReadingView
    section_tree: SectionTree
    menus: Menus
    bookmark_store: BookmarkStore
    xref_index: Index | None
    events: list[Event]
    #: Shows a section and records the step in history; False if it does not exist.
    open_section: Callable[[str, str], bool]
    show_message: Callable[[str], None]
    show_figure: Callable[[str, str], None]
    show_related_page: Callable[[str, str], None]
    #: Opens the search index (see ``reader.ui.search_panel.IndexOpener``), or None.
    search_opener: object = None
    #: Something to tell the reader about their bookmarks file, or "".
    bookmark_notice: str = ""
    #: The content, data and cache folders (None in tests that build a bare window).
    locations: Locations | None = None
    #: Shows another library (after an import): ``set_library(library, index, events)``.
    set_library: Callable[[Library, Index | None, list[Event]], None] | None = None
    #: Docks placed so far, per area, in order (the Contents first on the left).
    docks: dict[Qt.DockWidgetArea, list[QDockWidget]] = field(default_factory=dict)

    def add_dock(self, dock: QDockWidget, area: Qt.DockWidgetArea) -> list[QDockWidget]:
        """Add ``dock`` to the window in ``area``; returns the docks there before it."""
        before = list(self.docks.get(area, []))
        self.window.addDockWidget(area, dock)
        self.docks.setdefault(area, []).append(dock)
        return before

    def add_action(self, action: QAction) -> QAction:
        """Make ``action``'s shortcut work anywhere in the window, menu bar shown or not."""
        self.window.addAction(action)
        return action

    @property
    def current_essay(self) -> Essay | None:
        return self.reading_view.essay

    def current_section(self) -> tuple[str, str] | None:
        """(essay, section at the top of the view), or None before an essay is shown."""
        essay = self.reading_view.essay
        return None if essay is None else (essay.id, self.reading_view.section_at_top())


class Feature:
    """One part of the window behind the four steps above; subclasses override them."""

    def build(self, context: Context) -> None:
        self.context = context

    def add_menus(self, menus: Menus) -> None:
        """Put the feature's actions in the menus (nothing by default)."""

    def connect(self) -> None:
        """Wire the feature's signals (nothing by default)."""

    def restore(self) -> None:
        """Apply what ``shut_down`` saved, once the window's saved layout is back (nothing
        by default)."""

    def shut_down(self) -> None:
        """Save what must survive the window (nothing by default)."""

    def set_library(self, library: Library) -> None:
        """The library changed (an import): show ``library`` from now on (nothing by
        default). The context's library, index of names and events are already the new ones."""
