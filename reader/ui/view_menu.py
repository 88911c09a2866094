"""The View menu's reading choices: the reading of the corrections, the theme, the
text size and the column width.

The actions change the ``ViewSettings``; they follow its ``changed`` signal
(checked reading and theme, the size and column steps enabled while there is
room), so a change made elsewhere shows here too.
"""

from __future__ import annotations

from PySide6.QtCore import Slot
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QMenu

from reader.core import themes
from reader.core.readings import READING_LABELS, READINGS
from reader.ui.feature import Context, Feature, Menus
from reader.ui.reading_view import MIN_MARGIN
from reader.ui.view_settings import THEMES

THEME_LABELS = {themes.SYSTEM: "Follow &System", "light": "&Light", "sepia": "&Sepia"}
THEME_LABELS["dark"] = "&Dark"
READING_TIPS = {
    "corrected": "The source's obvious typing errors corrected",
    "original": "The text exactly as the source published it",
    "changes": "The corrections shown: the source's words struck, the corrections underlined",
}


class ViewChoices(Feature):
    """Reading and Theme submenus, text size and column width entries."""

    def _action(self, text: str, name: str, *shortcuts: str) -> QAction:
        action = QAction(text, self.context.window)
        action.setObjectName(name)
        if shortcuts:
            action.setShortcuts([QKeySequence(s) for s in shortcuts])
        return self.context.add_action(action)  # works with the menu bar hidden

    def build(self, context: Context) -> None:
        super().build(context)
        self.settings = context.view_settings
        self.reading_group = QActionGroup(context.window)
        self.reading_actions: dict[str, QAction] = {}
        for reading in READINGS:
            action = self._action(f"&{READING_LABELS[reading]}", f"reading_{reading}_action")
            action.setStatusTip(READING_TIPS[reading])
            action.setCheckable(True)
            action.setData(reading)
            self.reading_group.addAction(action)
            self.reading_actions[reading] = action
        self.theme_group = QActionGroup(context.window)
        self.theme_actions: dict[str, QAction] = {}
        for name in THEMES:
            action = self._action(THEME_LABELS[name], f"theme_{name}_action")
            action.setCheckable(True)
            action.setData(name)
            self.theme_group.addAction(action)
            self.theme_actions[name] = action
        self.larger_action = self._action("&Larger Text", "larger_text_action", "Ctrl+=", "Ctrl++")
        self.smaller_action = self._action("&Smaller Text", "smaller_text_action", "Ctrl+-")
        self.default_size_action = self._action(
            "&Default Text Size", "default_text_size_action", "Ctrl+0"
        )
        self.wider_action = self._action("&Wider Column", "wider_column_action", "Ctrl+]")
        self.narrower_action = self._action("&Narrower Column", "narrower_column_action", "Ctrl+[")
        self.default_column_action = self._action(
            "Default Column &Width", "default_column_action", "Ctrl+\\"
        )
        self._follow_settings()

    def add_menus(self, menus: Menus) -> None:
        view = menus.view
        view.addSeparator()
        self.reading_menu = QMenu("&Reading", view)
        self.reading_menu.setObjectName("reading_menu")
        self.reading_menu.addActions(list(self.reading_actions.values()))
        view.addMenu(self.reading_menu)
        self.theme_menu = QMenu("&Theme", view)
        self.theme_menu.setObjectName("theme_menu")
        self.theme_menu.addActions(list(self.theme_actions.values()))
        view.addMenu(self.theme_menu)
        view.addSeparator()
        view.addActions([self.larger_action, self.smaller_action, self.default_size_action,
                         self.wider_action, self.narrower_action, self.default_column_action])

    def connect(self) -> None:
        s = self.settings
        self.reading_group.triggered.connect(self._on_reading_chosen)
        self.theme_group.triggered.connect(self._on_theme_chosen)
        self.larger_action.triggered.connect(self.larger_text)
        self.smaller_action.triggered.connect(self.smaller_text)
        self.default_size_action.triggered.connect(self.default_text_size)
        self.wider_action.triggered.connect(self.wider_column)
        self.narrower_action.triggered.connect(self.narrower_column)
        self.default_column_action.triggered.connect(self.default_column)
        s.changed.connect(self._follow_settings)

    @Slot()
    def _follow_settings(self) -> None:
        s = self.settings
        self.reading_actions[s.reading].setChecked(True)
        self.theme_actions[s.theme_setting].setChecked(True)
        self.larger_action.setEnabled(s.can_enlarge)
        self.smaller_action.setEnabled(s.can_shrink)
        self.wider_action.setEnabled(s.can_widen)
        self.narrower_action.setEnabled(s.can_narrow)

    @Slot(QAction)
    def _on_reading_chosen(self, action: QAction) -> None:
        reading = str(action.data())
        if self.settings.set_reading(reading):
            self.context.show_message(f"Reading: {READING_LABELS[reading]}.")

    @Slot(QAction)
    def _on_theme_chosen(self, action: QAction) -> None:
        self.settings.set_theme(str(action.data()))

    def _size_changed(self, changed: bool) -> None:
        if changed:
            self.context.show_message(f"Text size {round(self.settings.text_scale * 100)}%.")

    @Slot()
    def larger_text(self) -> None:
        self._size_changed(self.settings.step_text_scale(1))

    @Slot()
    def smaller_text(self) -> None:
        self._size_changed(self.settings.step_text_scale(-1))

    @Slot()
    def default_text_size(self) -> None:
        self._size_changed(self.settings.reset_text_scale())

    def _room(self) -> int:
        """The widest column the reading view has room for now."""
        return self.context.reading_view.viewport().width() - 2 * MIN_MARGIN

    def _column_changed(self, changed: bool) -> None:
        if changed:
            shown = min(self.settings.column_width, self._room())
            self.context.show_message(f"Text column {shown} pixels.")

    @Slot()
    def wider_column(self) -> None:
        if self.settings.step_column(1, self._room()):
            self._column_changed(True)
        elif self.settings.can_widen:
            self.context.show_message(
                "No room for a wider column: make the window wider or hide the sidebar (F9)."
            )

    @Slot()
    def narrower_column(self) -> None:
        self._column_changed(self.settings.step_column(-1, self._room()))

    @Slot()
    def default_column(self) -> None:
        self._column_changed(self.settings.reset_column())
