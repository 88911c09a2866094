"""Window modes: full screen (F11) and distraction-free reading (Shift+F11).

Distraction-free reading hides the docks, toolbars, menu bar and status bar
and brings back, when it ends, the layout as it was (the same tabs in front).
Esc ends it too; moving the pointer to the top edge shows the menu bar and
toolbar until it leaves them. Both actions are added to the window, so their
shortcuts work with the menu bar hidden. Both modes are remembered.
"""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QEvent, QObject, QPoint, QRect, Qt, Slot
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence, QMouseEvent
from PySide6.QtWidgets import QApplication, QDockWidget, QToolBar, QToolTip, QWidget

from reader.ui.feature import Context, Feature, Menus

FULL_SCREEN_KEY = "window/full_screen"
DISTRACTION_FREE_KEY = "window/distraction_free"
#: How close to the top edge the pointer brings the bars back, in pixels.
TOP_EDGE = 4


def _flag(value: object) -> bool:
    return str(value).lower() in ("true", "1")


class _ModeWatcher(QObject):
    """Esc and the pointer at the top edge, while distraction-free reading is on."""

    def __init__(self, modes: WindowModes, parent: QObject) -> None:
        super().__init__(parent)
        self.modes = modes

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        modes = self.modes
        if not modes.distraction_free:
            return False
        window = modes.context.window
        if not isinstance(watched, QWidget) or watched.window() is not window:
            return False
        kind = event.type()
        if kind in (QEvent.Type.ShortcutOverride, QEvent.Type.KeyPress) and isinstance(
            event, QKeyEvent
        ):
            plain = event.modifiers() == Qt.KeyboardModifier.NoModifier
            if event.key() == Qt.Key.Key_Escape and plain:
                if kind == QEvent.Type.ShortcutOverride:
                    event.accept()  # the key is ours, not the Esc of a menu entry
                else:
                    modes.set_distraction_free(False)
                return True
        elif kind == QEvent.Type.MouseMove and isinstance(event, QMouseEvent):
            y = window.mapFromGlobal(event.globalPosition().toPoint()).y()
            modes.reveal_bars(y)
        return False


class WindowModes(Feature):
    """Full screen and distraction-free reading."""

    def build(self, context: Context) -> None:
        super().build(context)
        window = context.window
        self._hidden: list[tuple[QWidget, bool]] = []
        self._layout = QByteArray()
        self._revealed = False
        self._watcher = _ModeWatcher(self, window)
        self._state_before_full_screen = Qt.WindowState.WindowNoState
        self.full_screen_action = QAction("&Full Screen", window)
        self.full_screen_action.setObjectName("full_screen_action")
        self.full_screen_action.setShortcut(QKeySequence(Qt.Key.Key_F11))
        self.full_screen_action.setCheckable(True)
        self.distraction_free_action = QAction("Distraction-&Free Reading", window)
        self.distraction_free_action.setObjectName("distraction_free_action")
        self.distraction_free_action.setShortcut(QKeySequence("Shift+F11"))
        self.distraction_free_action.setStatusTip(
            "Hide the contents, panels, toolbars, menu bar and status bar"
        )
        self.distraction_free_action.setCheckable(True)
        context.add_action(self.full_screen_action)
        context.add_action(self.distraction_free_action)

    def add_menus(self, menus: Menus) -> None:
        menus.view.addSeparator()
        menus.view.addAction(self.full_screen_action)
        menus.view.addAction(self.distraction_free_action)

    def connect(self) -> None:
        self.full_screen_action.toggled.connect(self.set_full_screen)
        self.distraction_free_action.toggled.connect(self.set_distraction_free)
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self._watcher)

    def restore(self) -> None:
        settings = self.context.settings
        if _flag(settings.value(FULL_SCREEN_KEY, False)):
            self.set_full_screen(True)
        if _flag(settings.value(DISTRACTION_FREE_KEY, False)):
            self.set_distraction_free(True)

    def shut_down(self) -> None:
        settings = self.context.settings
        settings.setValue(FULL_SCREEN_KEY, self.context.window.isFullScreen())
        settings.setValue(DISTRACTION_FREE_KEY, self.distraction_free)
        # The layout saved with the window is the one with its panels.
        self.set_distraction_free(False, quiet=True)
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self._watcher)

    @Slot(bool)
    def set_full_screen(self, on: bool) -> None:
        w = self.context.window
        if on and not w.isFullScreen():
            self._state_before_full_screen = w.windowState()
            w.setWindowState(w.windowState() | Qt.WindowState.WindowFullScreen)
        elif not on and w.isFullScreen():
            # Back to what it was: maximised stays maximised.
            w.setWindowState(self._state_before_full_screen & ~Qt.WindowState.WindowFullScreen)
        self.full_screen_action.setChecked(on)

    @Slot(bool)
    def set_distraction_free(self, on: bool, quiet: bool = False) -> None:
        w = self.context.window
        view = self.context.reading_view
        if on and not self._hidden:
            self._layout = w.saveState()  # docks, toolbars and the tab in front of each
            bars = [*w.findChildren(QDockWidget), *w.findChildren(QToolBar)]
            self._hidden = [(bar, bar.isVisible()) for bar in bars if bar.parent() is w]
            self._hidden += [
                (w.menuBar(), w.menuBar().isVisible()),
                (w.statusBar(), w.statusBar().isVisible()),
            ]
            for widget, _ in self._hidden:
                widget.hide()
            view.setFocus(Qt.FocusReason.OtherFocusReason)
            # The status bar is hidden too: say once how to come back.
            keys = self.distraction_free_action.shortcut().toString(
                QKeySequence.SequenceFormat.NativeText
            )
            QToolTip.showText(
                view.mapToGlobal(QPoint(view.width() // 2 - 120, 12)),
                f"Distraction-free reading: Esc or {keys} brings the panels back; "
                "the menus are at the top edge.",
                view,
                QRect(),
                4000,
            )
        elif not on and self._hidden:
            hidden, self._hidden = self._hidden, []
            self._revealed = False
            for widget, visible in hidden:
                if not isinstance(widget, QDockWidget):
                    widget.setVisible(visible)
            w.restoreState(self._layout)
            view.setFocus(Qt.FocusReason.OtherFocusReason)
            if not quiet:
                self.context.show_message("Distraction-free reading off.")
        self.distraction_free_action.setChecked(on)

    def reveal_bars(self, y: int) -> None:
        """Show the menu bar and toolbars while the pointer is at the top edge or on them."""
        w = self.context.window
        bars: list[QWidget] = [w.menuBar()]
        bars += [b for b, visible in self._hidden if isinstance(b, QToolBar) and visible
                 and w.toolBarArea(b) == Qt.ToolBarArea.TopToolBarArea]
        if not self._revealed and y <= TOP_EDGE:
            self._revealed = True
            for bar in bars:
                bar.show()
        elif self._revealed:
            bottom = max((b.geometry().bottom() for b in bars if b.isVisible()), default=0)
            if y > bottom + TOP_EDGE * 2 and QApplication.activePopupWidget() is None:
                self._revealed = False
                for bar in bars:
                    bar.hide()

    @property
    def bars_revealed(self) -> bool:
        return self._revealed

    @property
    def distraction_free(self) -> bool:
        return bool(self._hidden)
