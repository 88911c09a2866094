"""Qt side of the themes: widget palettes and the system's colour scheme.

``reader.core.themes`` holds the colours; this module turns a theme into a
``QPalette`` for the window (docks, toolbars, menus, the tree) and for the
text area, applies them, and tells whether the system asks for a dark scheme.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QAbstractScrollArea, QApplication, QWidget

from reader.core.themes import Theme


def system_is_dark() -> bool:
    """True when the platform reports a dark colour scheme (Qt 6.5+)."""
    app = QGuiApplication.instance()
    if app is None:
        return False
    return QGuiApplication.styleHints().colorScheme() == Qt.ColorScheme.Dark


def window_palette(theme: Theme) -> QPalette:
    """The palette for the window's chrome and panels."""
    role = QPalette.ColorRole
    palette = QPalette()
    colours = {
        role.Window: theme.window,
        role.WindowText: theme.window_text,
        role.Base: theme.panel,
        role.AlternateBase: theme.alternate,
        role.Text: theme.window_text,
        role.Button: theme.button,
        role.ButtonText: theme.window_text,
        role.ToolTipBase: theme.panel,
        role.ToolTipText: theme.window_text,
        role.PlaceholderText: theme.muted,
        role.Highlight: theme.selection,
        role.HighlightedText: theme.selection_text,
        role.Link: theme.link,
        role.LinkVisited: theme.link,
        role.BrightText: theme.deleted,
        role.Light: QColor(theme.button).lighter(130).name(),
        role.Midlight: QColor(theme.button).lighter(115).name(),
        role.Mid: QColor(theme.button).darker(130).name(),
        role.Dark: QColor(theme.button).darker(160).name(),
        role.Shadow: "#000000",
    }
    for colour_role, value in colours.items():
        palette.setColor(colour_role, QColor(value))
    disabled = QColor(theme.muted)
    for colour_role in (role.WindowText, role.Text, role.ButtonText):
        palette.setColor(QPalette.ColorGroup.Disabled, colour_role, disabled)
    return palette


def text_palette(theme: Theme) -> QPalette:
    """The palette for the reading view: the page colour and its text."""
    palette = window_palette(theme)
    role = QPalette.ColorRole
    palette.setColor(role.Base, QColor(theme.background))
    palette.setColor(role.Window, QColor(theme.background))
    palette.setColor(role.Text, QColor(theme.text))
    return palette


def apply_theme(window: QWidget, view: QAbstractScrollArea, theme: Theme, own_palette: bool,
                had_own_palette: bool) -> bool:
    """Colour the application's chrome and the text area ``view`` for ``theme``.

    ``own_palette`` is False when the theme follows the system: the platform's palette
    is put back if this window had replaced it (``had_own_palette``). Returns whether
    the application's palette is now the window's own.
    """
    app = QApplication.instance()
    if isinstance(app, QApplication) and (own_palette or had_own_palette):
        app.setPalette(window_palette(theme) if own_palette else QPalette())
        # Widgets with their own style sheet keep the palette they were polished with:
        # set the sheet again so that ``palette(...)`` and their background follow.
        for widget in window.findChildren(QWidget):
            sheet = widget.styleSheet()
            if sheet:
                widget.setStyleSheet(sheet)
    view.setPalette(text_palette(theme))
    view.viewport().setAutoFillBackground(True)
    return own_palette
