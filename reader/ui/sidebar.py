"""The sidebar: the Contents, Index, Search and Bookmarks panels as tabs of one
column on the left, and the Timeline as a short panel under the text.

The sidebar folds away by itself when the window gets too narrow for it and a
readable column (and comes back when there is room again); View › Sidebar (F9,
also on the toolbar) hides or shows it by hand, and View › Reset Layout puts
every panel back where it starts. Closing the Timeline hands the keyboard back
to the text.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Slot
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDockWidget, QMainWindow, QTabWidget

from reader.ui.feature import Context, Feature, Menus
from reader.ui.icons import icon

#: The sidebar's tabs, in order; any other side panel joins them at the end.
SIDEBAR_ORDER = ("contents_dock", "index_dock", "search_dock", "bookmarks_dock")
SIDEBAR_WIDTH = 320
#: The narrowest the sidebar gets before it folds away.
SIDEBAR_MIN_WIDTH = 200
#: The Timeline's share of the window's height when it opens.
TIMELINE_SHARE = 0.3


class Sidebar(Feature):
    """One tabbed sidebar, its toggle and the layout reset; the Timeline's place."""

    def build(self, context: Context) -> None:
        super().build(context)
        window = context.window
        self.window: QMainWindow = window
        docks = window.findChildren(QDockWidget)
        by_name = {d.objectName(): d for d in docks}
        self.docks = [by_name[n] for n in SIDEBAR_ORDER if n in by_name]
        self.docks += [
            d for d in docks
            if d not in self.docks and d.objectName() != "timeline_dock"
            and window.dockWidgetArea(d) != Qt.DockWidgetArea.BottomDockWidgetArea
        ]
        self.timeline_dock = by_name.get("timeline_dock")
        for dock in self.docks:
            dock.setMinimumWidth(SIDEBAR_MIN_WIDTH)
        #: The tab in front, so that hiding and showing the sidebar keeps it in front.
        self.current: QDockWidget | None = self.docks[0] if self.docks else None
        #: The tabs shown before the sidebar was folded away; empty while it is shown.
        self._folded: list[QDockWidget] = []
        self._folded_by_width = False

        self.toggle_action = QAction(icon("sidebar-show"), "Side&bar", window)
        self.toggle_action.setObjectName("sidebar_action")
        self.toggle_action.setCheckable(True)
        self.toggle_action.setChecked(True)
        self.toggle_action.setShortcut(QKeySequence(Qt.Key.Key_F9))
        self.toggle_action.setToolTip("Show or hide the sidebar (F9)")
        self.reset_action = QAction("Reset &Layout", window)
        self.reset_action.setObjectName("reset_layout_action")
        self.reset_action.setStatusTip("Put every panel back in its first place")
        self.go_timeline_action = QAction("Go to &Timeline", window)
        self.go_timeline_action.setObjectName("go_timeline_action")
        context.add_action(self.toggle_action)
        # The tabs above the panels, as a sidebar's are, where their names have room.
        window.setTabPosition(Qt.DockWidgetArea.LeftDockWidgetArea, QTabWidget.TabPosition.North)
        self.default_layout()

    def add_menus(self, menus: Menus) -> None:
        menus.view.insertAction(menus.view.actions()[0], self.toggle_action)
        menus.view.insertAction(menus.view_panels_end, self.reset_action)
        menus.toolbar.insertAction(menus.toolbar.actions()[0], self.toggle_action)
        menus.toolbar.insertSeparator(menus.toolbar.actions()[1])
        if self.timeline_dock is not None:
            menus.go.addSeparator()
            menus.go.addAction(self.go_timeline_action)

    def connect(self) -> None:
        self.toggle_action.triggered.connect(self.set_shown)
        self.reset_action.triggered.connect(self.reset_layout)
        self.go_timeline_action.triggered.connect(self.go_to_timeline)
        for dock in self.docks:
            dock.visibilityChanged.connect(
                lambda visible, d=dock: self._on_visibility_changed(d, visible)
            )
        if self.timeline_dock is not None:
            self.timeline_dock.visibilityChanged.connect(self._on_timeline_visibility)
        self.window.installEventFilter(self._filter())

    def _filter(self) -> QObject:
        feature = self

        class ResizeWatcher(QObject):
            def eventFilter(self, watched: QObject, event: QEvent) -> bool:
                if event.type() == QEvent.Type.Resize:
                    feature.fit_to_width()
                return False

        self._watcher = ResizeWatcher(self.window)
        return self._watcher

    # -- the layout --------------------------------------------------------------------

    def default_layout(self) -> None:
        """Every side panel a tab of one sidebar on the left, the Contents in front; the
        Timeline under the text, closed."""
        window = self.window
        if not self.docks:
            return
        first = self.docks[0]
        for dock in self.docks:
            dock.setFloating(False)
            window.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, dock)
        for dock in self.docks[1:]:
            window.tabifyDockWidget(first, dock)
        for dock in self.docks:
            dock.show()
        first.raise_()
        self.current = first
        window.resizeDocks([first], [SIDEBAR_WIDTH], Qt.Orientation.Horizontal)
        if self.timeline_dock is not None:
            self.timeline_dock.setFloating(False)
            window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.timeline_dock)
            self.timeline_dock.hide()
        self._folded = []
        self._folded_by_width = False
        self.toggle_action.setChecked(True)

    @Slot()
    def reset_layout(self) -> None:
        self.default_layout()
        self.fit_to_width()
        self.context.show_message("Panels back in their first places.")

    def restore(self) -> None:
        self.toggle_action.setChecked(self.is_shown)
        self.fit_to_width()

    # -- showing and folding -------------------------------------------------------------

    @property
    def is_shown(self) -> bool:
        return any(d.isVisible() for d in self.docks)

    @Slot(bool)
    def set_shown(self, on: bool) -> None:
        """Show or hide the whole sidebar, keeping its tabs and the one in front."""
        self._folded_by_width = False
        if on:
            self._unfold()
        else:
            self._fold()
        self.toggle_action.setChecked(self.is_shown)

    def _fold(self) -> None:
        shown = [d for d in self.docks if not d.isHidden()]
        if not shown:
            return
        front = self.current
        self._folded = shown
        for dock in shown:
            dock.hide()
        self.current = front
        reading_view = self.context.reading_view
        if not reading_view.hasFocus():
            reading_view.setFocus(Qt.FocusReason.OtherFocusReason)

    def _unfold(self) -> None:
        front = self.current
        docks = self._folded or ([front] if front is not None else self.docks[:1])
        self._folded = []
        for dock in docks:
            dock.show()
        if front is not None and front in docks:
            front.raise_()
            self.current = front

    def room_needed(self) -> int:
        """The window width below which the sidebar folds away."""
        return self.context.reading_view.minimumWidth() + SIDEBAR_WIDTH

    @Slot()
    def fit_to_width(self) -> None:
        """Fold the sidebar away in a narrow window; bring it back when there is room."""
        narrow = self.window.width() < self.room_needed()
        if narrow and self.is_shown and not self._folded:
            self._fold()
            self._folded_by_width = True
            self.toggle_action.setChecked(False)
            self.context.show_message("The sidebar is folded away to leave room for the text (F9).")
        elif not narrow and self._folded_by_width:
            self._folded_by_width = False
            self._unfold()
            self.toggle_action.setChecked(self.is_shown)

    def _on_visibility_changed(self, dock: QDockWidget, visible: bool) -> None:
        if visible:
            self.current = dock  # the tab brought to the front
        if not self._folded:
            QTimer.singleShot(0, self._follow_docks)

    @Slot()
    def _follow_docks(self) -> None:
        if not self._folded:
            self.toggle_action.setChecked(self.is_shown)

    # -- the Timeline ------------------------------------------------------------------

    @Slot()
    def go_to_timeline(self) -> None:
        dock = self.timeline_dock
        if dock is None:
            return
        dock.show()
        dock.raise_()
        widget = dock.widget()
        if widget is not None:
            widget.setFocus(Qt.FocusReason.ShortcutFocusReason)

    @Slot(bool)
    def _on_timeline_visibility(self, visible: bool) -> None:
        dock = self.timeline_dock
        if dock is None:
            return
        if visible:
            height = round(self.window.height() * TIMELINE_SHARE)
            self.window.resizeDocks([dock], [height], Qt.Orientation.Vertical)
        elif dock.isHidden():
            # Closed: the keyboard goes back to the text, not to whatever Qt picks next.
            self.context.reading_view.setFocus(Qt.FocusReason.OtherFocusReason)
