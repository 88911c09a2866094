"""Window modes: full screen (F11) and distraction-free reading (Shift+F11).

Distraction-free reading hides the docks, toolbars, menu bar and status bar
and brings back, when it ends, those that were shown. Both actions are added
to the window, so their shortcuts work with the menu bar hidden.
"""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, Qt, Slot
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDockWidget, QToolBar, QToolTip, QWidget

from reader.ui.feature import Context, Feature, Menus


class WindowModes(Feature):
    """Full screen and distraction-free reading."""

    def build(self, context: Context) -> None:
        super().build(context)
        window = context.window
        self._hidden: list[tuple[QWidget, bool]] = []
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
    def set_distraction_free(self, on: bool) -> None:
        w = self.context.window
        view = self.context.reading_view
        if on and not self._hidden:
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
                f"Distraction-free reading: {keys} brings the panels back.",
                view,
                QRect(),
                4000,
            )
        elif not on and self._hidden:
            for widget, visible in self._hidden:
                widget.setVisible(visible)
            self._hidden = []
            self.context.show_message("Distraction-free reading off.")
        self.distraction_free_action.setChecked(on)

    @property
    def distraction_free(self) -> bool:
        return bool(self._hidden)
