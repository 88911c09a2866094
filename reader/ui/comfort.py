"""Reading comfort: reading of the corrections, theme, text size, column, full screen,
print and export, copying with a citation, and the help dialogs.

``ReadingComfort`` is built by the main window after its menus exist. It adds
its actions to the window's menus (and to the window itself, so their
shortcuts work while distraction-free reading hides the menu bar), keeps its
choices in QSettings under ``view/``, and re-renders the essay when a choice
changes, keeping the reader's place: the section at the top of the view and
how far into it they had read.
"""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QPoint, QRect, QSettings, Qt, Slot
from PySide6.QtGui import QAction, QActionGroup, QGuiApplication, QKeySequence, QPalette
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QFileDialog,
    QMenu,
    QMessageBox,
    QToolTip,
    QWidget,
)

from reader.core import themes
from reader.core.citation import citation_line, section_link
from reader.core.readings import DEFAULT_READING, READING_LABELS, READINGS
from reader.ui.appearance import system_is_dark, text_palette, window_palette

if TYPE_CHECKING:
    from reader.ui.main_window import MainWindow

READING_KEY = "view/reading"
THEME_KEY = "view/theme"
TEXT_SCALE_KEY = "view/text_scale"
COLUMN_KEY = "view/column_width"
CITATION_KEY = "view/copy_with_citation"
THEME_LABELS = {themes.SYSTEM: "Follow &System", "light": "&Light", "sepia": "&Sepia"}
THEME_LABELS["dark"] = "&Dark"


def _float(value: object, default: float) -> float:
    try:
        return float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return default


class ReadingComfort(QObject):
    """The View, File, Edit and Help menu entries for reading comfort, and their state."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.setObjectName("reading_comfort")
        self.window = window
        self.settings: QSettings = window.settings
        self.base_css = window.css
        self._distraction_free_state: list[tuple[QWidget, bool]] = []
        #: Whether this window replaced the application's palette (else it is the platform's).
        self._custom_palette = False
        self._state_before_full_screen = Qt.WindowState.WindowNoState
        self.preview: QDialog | None = None

        reading = str(self.settings.value(READING_KEY, DEFAULT_READING))
        self.reading = reading if reading in READINGS else DEFAULT_READING
        theme = str(self.settings.value(THEME_KEY, themes.SYSTEM))
        self.theme_setting = theme if theme in (themes.SYSTEM, *themes.THEME_NAMES) else "system"
        self._scale_index = themes.nearest_step(
            _float(self.settings.value(TEXT_SCALE_KEY, 1.0), 1.0), themes.TEXT_SCALES
        )
        self._column_index = themes.nearest_step(
            _float(self.settings.value(COLUMN_KEY, themes.DEFAULT_COLUMN), themes.DEFAULT_COLUMN),
            themes.COLUMN_WIDTHS,
        )
        citing = self.settings.value(CITATION_KEY, False)
        self.copy_with_citation = citing in (True, "true", "1", 1)

        self._create_actions()
        self._add_to_menus()
        self._connect_signals()
        window.reading_view.column_width = self.column_width
        window.reading_view.citation_provider = self.citation_for_copy
        window.setTabOrder(window.section_tree, window.reading_view)
        self._apply(rerender=False)

    # -- construction ---------------------------------------------------------------------

    def _action(
        self, text: str, name: str, shortcuts: list[QKeySequence] | None = None, tip: str = ""
    ) -> QAction:
        action = QAction(text, self.window)
        action.setObjectName(name)
        if shortcuts:
            action.setShortcuts(shortcuts)
        if tip:
            action.setStatusTip(tip)
        self.window.addAction(action)  # shortcuts keep working with the menu bar hidden
        return action

    def _create_actions(self) -> None:
        key = QKeySequence
        self.reading_group = QActionGroup(self)
        self.reading_actions: dict[str, QAction] = {}
        for reading in READINGS:
            action = self._action(
                f"&{READING_LABELS[reading]}",
                f"reading_{reading}_action",
                tip={
                    "corrected": "The source's obvious typing errors corrected",
                    "original": "The text exactly as the source published it",
                    "changes": "The corrections shown: the source's words struck, "
                    "the corrections underlined",
                }[reading],
            )
            action.setCheckable(True)
            action.setChecked(reading == self.reading)
            action.setData(reading)
            self.reading_group.addAction(action)
            self.reading_actions[reading] = action

        self.theme_group = QActionGroup(self)
        self.theme_actions: dict[str, QAction] = {}
        for name in (themes.SYSTEM, *themes.THEME_NAMES):
            action = self._action(THEME_LABELS[name], f"theme_{name}_action")
            action.setCheckable(True)
            action.setChecked(name == self.theme_setting)
            action.setData(name)
            self.theme_group.addAction(action)
            self.theme_actions[name] = action

        self.larger_action = self._action(
            "&Larger Text", "larger_text_action", [key("Ctrl+="), key("Ctrl++")]
        )
        self.smaller_action = self._action("&Smaller Text", "smaller_text_action", [key("Ctrl+-")])
        self.default_size_action = self._action(
            "&Default Text Size", "default_text_size_action", [key("Ctrl+0")]
        )
        self.wider_action = self._action("&Wider Column", "wider_column_action", [key("Ctrl+]")])
        self.narrower_action = self._action(
            "&Narrower Column", "narrower_column_action", [key("Ctrl+[")]
        )
        self.full_screen_action = self._action(
            "&Full Screen", "full_screen_action", [key(Qt.Key.Key_F11)]
        )
        self.full_screen_action.setCheckable(True)
        self.distraction_free_action = self._action(
            "Distraction-&Free Reading",
            "distraction_free_action",
            [key("Shift+F11")],
            "Hide the contents, panels, toolbars, menu bar and status bar",
        )
        self.distraction_free_action.setCheckable(True)

        self.print_action = self._action(
            "&Print…", "print_action", [key(key.StandardKey.Print)], "Print preview and print"
        )
        self.export_action = self._action(
            "&Export as PDF or HTML…", "export_action", [key("Ctrl+Shift+E")]
        )
        self.copy_link_action = self._action(
            "Copy &Link to Section",
            "copy_link_action",
            [key("Ctrl+Shift+L")],
            "Copy a reader:// reference to the section being read",
        )
        self.copy_citation_action = self._action(
            "Copy &Citation for Section", "copy_citation_action", [key("Ctrl+Alt+C")]
        )
        self.cite_on_copy_action = self._action(
            "&Append Citation When Copying",
            "cite_on_copy_action",
            tip="Copied text gets a line naming the essay, site, section and date",
        )
        self.cite_on_copy_action.setCheckable(True)
        self.cite_on_copy_action.setChecked(self.copy_with_citation)
        self.shortcuts_action = self._action(
            "&Keyboard Shortcuts", "shortcuts_action", [key(key.StandardKey.HelpContents)]
        )
        if not self.shortcuts_action.shortcuts():
            self.shortcuts_action.setShortcut(key(Qt.Key.Key_F1))

    def _add_to_menus(self) -> None:
        w = self.window
        view = w.view_menu
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
        for action in (
            self.larger_action,
            self.smaller_action,
            self.default_size_action,
            self.wider_action,
            self.narrower_action,
        ):
            view.addAction(action)
        view.addSeparator()
        view.addAction(self.full_screen_action)
        view.addAction(self.distraction_free_action)

        file_actions = w.file_menu.actions()
        if file_actions:
            w.file_menu.insertActions(file_actions[0], [self.print_action, self.export_action])
            w.file_menu.insertSeparator(file_actions[0])
        else:
            w.file_menu.addActions([self.print_action, self.export_action])

        self.edit_menu = QMenu("&Edit", w.menuBar())
        self.edit_menu.setObjectName("edit_menu")
        self.edit_menu.addAction(self.copy_link_action)
        self.edit_menu.addAction(self.copy_citation_action)
        self.edit_menu.addSeparator()
        self.edit_menu.addAction(self.cite_on_copy_action)
        w.menuBar().insertMenu(w.file_menu.menuAction(), self.edit_menu)
        # File first, then Edit.
        w.menuBar().removeAction(w.file_menu.menuAction())
        w.menuBar().insertMenu(self.edit_menu.menuAction(), w.file_menu)

        help_menu = w.help_menu
        help_actions = help_menu.actions()
        if help_actions:
            help_menu.insertAction(help_actions[0], self.shortcuts_action)
        else:
            help_menu.addAction(self.shortcuts_action)

    def _connect_signals(self) -> None:
        self.reading_group.triggered.connect(self._on_reading_chosen)
        self.theme_group.triggered.connect(self._on_theme_chosen)
        self.larger_action.triggered.connect(self.larger_text)
        self.smaller_action.triggered.connect(self.smaller_text)
        self.default_size_action.triggered.connect(self.default_text_size)
        self.wider_action.triggered.connect(self.wider_column)
        self.narrower_action.triggered.connect(self.narrower_column)
        self.full_screen_action.toggled.connect(self.set_full_screen)
        self.distraction_free_action.toggled.connect(self.set_distraction_free)
        self.print_action.triggered.connect(self.print_preview)
        self.export_action.triggered.connect(self.export_dialog)
        self.copy_link_action.triggered.connect(self.copy_link)
        self.copy_citation_action.triggered.connect(self.copy_citation)
        self.cite_on_copy_action.toggled.connect(self.set_copy_with_citation)
        self.shortcuts_action.triggered.connect(self.show_shortcuts)
        QGuiApplication.styleHints().colorSchemeChanged.connect(self._on_system_scheme_changed)

    # -- state ----------------------------------------------------------------------------

    @property
    def text_scale(self) -> float:
        return themes.TEXT_SCALES[self._scale_index]

    @property
    def column_width(self) -> int:
        return themes.COLUMN_WIDTHS[self._column_index]

    @property
    def theme(self) -> themes.Theme:
        return themes.resolve(self.theme_setting, system_is_dark())

    def css(self) -> str:
        """content.css recoloured for the theme and scaled to the text size."""
        return themes.scale_css(f"{self.base_css}\n{themes.theme_css(self.theme)}", self.text_scale)

    def _apply(self, rerender: bool = True) -> None:
        """Bring the window in line with the current choices."""
        theme = self.theme
        app = QApplication.instance()
        if isinstance(app, QApplication):
            if self.theme_setting != themes.SYSTEM:
                app.setPalette(window_palette(theme))
                self._custom_palette = True
                self._restyle_style_sheet_widgets()
            elif self._custom_palette:
                app.setPalette(QPalette())  # back to the platform's own palette
                self._custom_palette = False
                self._restyle_style_sheet_widgets()
        view = self.window.reading_view
        view.setPalette(text_palette(theme))
        view.viewport().setAutoFillBackground(True)
        self.window.css = self.css()
        self.window._reading = self.reading
        self.larger_action.setEnabled(self._scale_index < len(themes.TEXT_SCALES) - 1)
        self.smaller_action.setEnabled(self._scale_index > 0)
        self.wider_action.setEnabled(self._column_index < len(themes.COLUMN_WIDTHS) - 1)
        self.narrower_action.setEnabled(self._column_index > 0)
        if rerender:
            self.rerender()

    def _restyle_style_sheet_widgets(self) -> None:
        """Widgets with their own style sheet keep the palette they were polished with:
        set the sheet again so that ``palette(...)`` and their background follow."""
        for widget in self.window.findChildren(QWidget):
            sheet = widget.styleSheet()
            if sheet:
                widget.setStyleSheet(sheet)

    def rerender(self) -> None:
        """Render the essay again with the current CSS and reading, keeping the place."""
        self.window.rerender()

    # -- slots: reading, theme, size, column ------------------------------------------------

    @Slot(QAction)
    def _on_reading_chosen(self, action: QAction) -> None:
        self.set_reading(str(action.data()))

    def set_reading(self, reading: str) -> None:
        if reading not in READINGS or reading == self.reading:
            return
        self.reading = reading
        self.reading_actions[reading].setChecked(True)
        self.settings.setValue(READING_KEY, reading)
        self._apply()
        self.window.statusBar().showMessage(f"Reading: {READING_LABELS[reading]}.", 4000)

    @Slot(QAction)
    def _on_theme_chosen(self, action: QAction) -> None:
        self.set_theme(str(action.data()))

    def set_theme(self, setting: str) -> None:
        if setting not in (themes.SYSTEM, *themes.THEME_NAMES):
            return
        self.theme_setting = setting
        self.theme_actions[setting].setChecked(True)
        self.settings.setValue(THEME_KEY, setting)
        self._apply()

    @Slot()
    def _on_system_scheme_changed(self) -> None:
        if self.theme_setting == themes.SYSTEM:
            self._apply()

    def _set_scale_index(self, index: int) -> None:
        index = max(0, min(len(themes.TEXT_SCALES) - 1, index))
        if index == self._scale_index:
            return
        self._scale_index = index
        self.settings.setValue(TEXT_SCALE_KEY, self.text_scale)
        self._apply()
        self.window.statusBar().showMessage(f"Text size {round(self.text_scale * 100)}%.", 3000)

    @Slot()
    def larger_text(self) -> None:
        self._set_scale_index(self._scale_index + 1)

    @Slot()
    def smaller_text(self) -> None:
        self._set_scale_index(self._scale_index - 1)

    @Slot()
    def default_text_size(self) -> None:
        self._set_scale_index(themes.TEXT_SCALES.index(1.0))

    def _set_column_index(self, index: int) -> None:
        index = max(0, min(len(themes.COLUMN_WIDTHS) - 1, index))
        if index == self._column_index:
            return
        self._column_index = index
        self.settings.setValue(COLUMN_KEY, self.column_width)
        self.window.reading_view.column_width = self.column_width
        self._apply()  # figures are drawn to the column's width
        self.window.statusBar().showMessage(f"Text column {self.column_width} pixels.", 3000)

    @Slot()
    def wider_column(self) -> None:
        self._set_column_index(self._column_index + 1)

    @Slot()
    def narrower_column(self) -> None:
        self._set_column_index(self._column_index - 1)

    # -- slots: full screen and distraction-free reading ------------------------------------

    @Slot(bool)
    def set_full_screen(self, on: bool) -> None:
        w = self.window
        if on and not w.isFullScreen():
            self._state_before_full_screen = w.windowState()
            w.setWindowState(w.windowState() | Qt.WindowState.WindowFullScreen)
        elif not on and w.isFullScreen():
            # Back to what it was: maximised stays maximised.
            w.setWindowState(self._state_before_full_screen & ~Qt.WindowState.WindowFullScreen)
        self.full_screen_action.setChecked(on)

    @Slot(bool)
    def set_distraction_free(self, on: bool) -> None:
        w = self.window
        if on and not self._distraction_free_state:
            from PySide6.QtWidgets import QDockWidget, QToolBar

            bars = [*w.findChildren(QDockWidget), *w.findChildren(QToolBar)]
            bars = [bar for bar in bars if bar.parent() is w]
            self._distraction_free_state = [(bar, bar.isVisible()) for bar in bars]
            self._distraction_free_state += [
                (w.menuBar(), w.menuBar().isVisible()),
                (w.statusBar(), w.statusBar().isVisible()),
            ]
            for widget, _ in self._distraction_free_state:
                widget.hide()
            w.reading_view.setFocus(Qt.FocusReason.OtherFocusReason)
            # The status bar is hidden too: say once how to come back.
            keys = self.distraction_free_action.shortcut().toString(
                QKeySequence.SequenceFormat.NativeText
            )
            view = w.reading_view
            QToolTip.showText(
                view.mapToGlobal(QPoint(view.width() // 2 - 120, 12)),
                f"Distraction-free reading: {keys} brings the panels back.",
                view,
                QRect(),
                4000,
            )
        elif not on and self._distraction_free_state:
            for widget, visible in self._distraction_free_state:
                widget.setVisible(visible)
            self._distraction_free_state = []
            w.statusBar().showMessage("Distraction-free reading off.", 3000)
        self.distraction_free_action.setChecked(on)

    @property
    def distraction_free(self) -> bool:
        return bool(self._distraction_free_state)

    # -- slots: print, export ---------------------------------------------------------------

    @Slot()
    def print_preview(self) -> None:
        from reader.ui.printing import PrintPreview

        essay = self.window.current_essay
        if essay is None:
            self.window.statusBar().showMessage("Nothing to print.", 5000)
            return
        self.preview = PrintPreview(
            essay,
            self.window.reading_view.section_at_top(),
            self.base_css,
            self.reading,
            self.window,
        )
        self.preview.exec()

    @Slot()
    def export_dialog(self) -> None:
        from reader.core.export import Error as ExportError
        from reader.ui.printing import export_library

        essay = self.window.current_essay
        if essay is None:
            self.window.statusBar().showMessage("Nothing to export.", 5000)
            return
        suggested = str(Path.home() / f"{essay.id}.pdf")
        path, chosen = QFileDialog.getSaveFileName(
            self.window,
            f"Export ({READING_LABELS[self.reading]} reading)",
            suggested,
            "PDF document (*.pdf);;Web page (*.html *.htm)",
        )
        if not path:
            return
        target = Path(path)
        if not target.suffix:  # the format from the chosen filter
            target = target.with_suffix(".html" if "html" in chosen else ".pdf")
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            message = export_library(self.window.library, target, self.base_css, self.reading)
        except ExportError as exc:
            QMessageBox.warning(self.window, "Export failed", str(exc))
            return
        finally:
            QApplication.restoreOverrideCursor()
        self.window.statusBar().showMessage(message, 8000)

    # -- slots: links and citations ---------------------------------------------------------

    def current_section(self) -> tuple[str, str] | None:
        essay = self.window.current_essay
        if essay is None:
            return None
        return essay.id, self.window.reading_view.section_at_top()

    def citation_for_copy(self) -> str:
        """The citation appended to copied text, or "" when that is switched off."""
        if not self.copy_with_citation:
            return ""
        return self.current_citation()

    def current_citation(self, today: datetime.date | None = None) -> str:
        essay = self.window.current_essay
        if essay is None:
            return ""
        return citation_line(essay, self.window.reading_view.section_at_top(), today)

    @Slot()
    def copy_link(self) -> None:
        where = self.current_section()
        if where is None:
            return
        link = section_link(*where)
        QGuiApplication.clipboard().setText(link)
        self.window.statusBar().showMessage(f"Copied {link}", 5000)

    @Slot()
    def copy_citation(self) -> None:
        citation = self.current_citation()
        if citation:
            QGuiApplication.clipboard().setText(citation)
            self.window.statusBar().showMessage("Copied the citation.", 5000)

    @Slot(bool)
    def set_copy_with_citation(self, on: bool) -> None:
        self.copy_with_citation = on
        self.settings.setValue(CITATION_KEY, on)

    # -- slots: help ------------------------------------------------------------------------

    @Slot()
    def show_shortcuts(self) -> None:
        from reader.ui.help_dialogs import ShortcutsDialog

        dialog = ShortcutsDialog(self.window.menuBar(), self.window)
        dialog.exec()

    def show_about(self) -> None:
        from reader.ui.help_dialogs import about_html

        QMessageBox.about(
            self.window, "About Reference Reader", about_html(self.window.current_essay)
        )
