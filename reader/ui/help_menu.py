"""Help › Keyboard Shortcuts (F1): the overview of every shortcut in the menus."""

from __future__ import annotations

from PySide6.QtCore import Qt, Slot
from PySide6.QtGui import QAction, QKeySequence

from reader.ui.feature import Context, Feature, Menus


class HelpFeature(Feature):
    """The Keyboard Shortcuts entry, first in the Help menu."""

    def build(self, context: Context) -> None:
        super().build(context)
        self.shortcuts_action = QAction("&Keyboard Shortcuts", context.window)
        self.shortcuts_action.setObjectName("shortcuts_action")
        self.shortcuts_action.setShortcut(QKeySequence(QKeySequence.StandardKey.HelpContents))
        if not self.shortcuts_action.shortcuts():
            self.shortcuts_action.setShortcut(QKeySequence(Qt.Key.Key_F1))
        context.add_action(self.shortcuts_action)

    def add_menus(self, menus: Menus) -> None:
        first = menus.help.actions()[0] if menus.help.actions() else None
        if first is None:
            menus.help.addAction(self.shortcuts_action)
        else:
            menus.help.insertAction(first, self.shortcuts_action)

    def connect(self) -> None:
        self.shortcuts_action.triggered.connect(self.show_shortcuts)

    @Slot()
    def show_shortcuts(self) -> None:
        from reader.ui.help_dialogs import ShortcutsDialog

        window = self.context.window
        ShortcutsDialog(window.menuBar(), window).exec()
