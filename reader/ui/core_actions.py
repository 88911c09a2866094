"""The reading core's actions, its navigation toolbar and the menu bar's menus, which
the features then add to (``Menus``).

Built with the window, before the first paint: Back and Forward, the start and end
of the essay, the contents, the figure viewer, About and Quit.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDockWidget, QMainWindow, QToolBar

from reader.ui.feature import Menus
from reader.ui.icons import icon
from reader.ui.reading_view import ReadingView


def shortcut_list(*keys: QKeySequence | str) -> list[QKeySequence]:
    """``keys`` without empty or repeated sequences: a standard key often is the literal
    one too, and an action that holds one sequence twice makes it ambiguous (dead)."""
    found: dict[str, QKeySequence] = {}
    for key in keys:
        sequence = QKeySequence(key)
        if not sequence.isEmpty():
            found.setdefault(sequence.toString(), sequence)
    return list(found.values())


class CoreActions(QObject):
    """The core's actions (their triggers are connected by the window), its toolbar
    and the menus."""

    def __init__(self, window: QMainWindow, contents: QDockWidget, view: ReadingView) -> None:
        super().__init__(window)
        standard = QKeySequence.StandardKey
        self.back = QAction(icon("go-previous"), "&Back", window)
        self.back.setShortcuts(shortcut_list(QKeySequence(standard.Back), "Alt+Left"))
        self.back.setToolTip("Back (Alt+Left)")
        self.forward = QAction(icon("go-next"), "&Forward", window)
        self.forward.setShortcuts(shortcut_list(QKeySequence(standard.Forward), "Alt+Right"))
        self.forward.setToolTip("Forward (Alt+Right)")
        self.contents = contents.toggleViewAction()
        self.contents.setShortcut(QKeySequence("Ctrl+Shift+C"))
        self.focus_contents = QAction("Go to &Contents", window)
        self.focus_contents.setShortcut(QKeySequence("Alt+C"))
        self.figure = QAction(icon("image-x-generic"), "Open &Figure Viewer", window)
        self.figure.setShortcut(QKeySequence("Ctrl+I"))
        self.quit = QAction("&Quit", window)
        self.quit.setShortcuts(shortcut_list(QKeySequence(standard.Quit), "Ctrl+Q"))
        # Start and end of the essay: the view's own keys, so they do not take Ctrl+Home
        # from a search field or a list.
        self.start = QAction("&Start of the Essay", window)
        self.start.setShortcut(QKeySequence("Ctrl+Home"))
        self.end = QAction("&End of the Essay", window)
        self.end.setShortcut(QKeySequence("Ctrl+End"))
        for action in (self.start, self.end):
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            view.addAction(action)
        self.about = QAction("&About Reference Reader", window)

        toolbar = QToolBar("Navigation", window)
        toolbar.setObjectName("navigation_toolbar")
        toolbar.setMovable(False)
        toolbar.addAction(self.back)
        toolbar.addAction(self.forward)
        toolbar.addSeparator()
        toolbar.addAction(self.figure)
        window.addToolBar(toolbar)

        bar = window.menuBar()
        file_menu = bar.addMenu("&File")
        file_menu.addAction(self.quit)
        edit_menu = bar.addMenu("&Edit")
        edit_menu.setObjectName("edit_menu")
        go_menu = bar.addMenu("&Go")
        for entry in (self.back, self.forward, None, self.start, self.end, None,
                      self.focus_contents, None):
            if entry is None:
                go_menu.addSeparator()
            else:
                go_menu.addAction(entry)
        view_menu = bar.addMenu("&View")
        view_menu.addAction(self.contents)
        view_menu.addAction(self.figure)
        # The panels' toggles go here when they are built, the reading choices after it.
        panels_end = view_menu.addSeparator()
        help_menu = bar.addMenu("&Help")
        help_menu.addAction(self.about)
        self.menus = Menus(
            bar, file_menu, edit_menu, go_menu, view_menu, help_menu, toolbar, panels_end
        )
