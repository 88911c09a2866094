"""How the main window fits its screen and the reading column fits the window.

A window restored from a larger screen (or saved squeezed) opens whole and
usable on the screen it is on; the reading view never gets narrower than a
readable column: the docks yield first.
"""

from __future__ import annotations

from PySide6.QtGui import QFont, QFontMetricsF, QGuiApplication
from PySide6.QtWidgets import QMainWindow

from reader.ui.reading_view import MIN_MARGIN, ReadingView

#: The narrowest reading column, in characters of the body text.
MIN_COLUMN_CHARS = 45
#: The size the window first opens at (smaller if the screen is smaller).
DEFAULT_SIZE = (1200, 820)
#: A restored window smaller than this (or than the screen, if smaller) opens at the default.
USABLE_SIZE = (640, 480)


def fit_to_screen(window: QMainWindow) -> None:
    """Clamp ``window`` into the available area of the screen it is on, and never
    smaller than a usable size."""
    screen = window.screen() or QGuiApplication.primaryScreen()
    if screen is None:
        return
    area = screen.availableGeometry()
    frame = window.frameGeometry()
    extra_w = max(0, frame.width() - window.width())
    extra_h = max(0, frame.height() - window.height())
    width, height = window.width(), window.height()
    too_small = width < min(USABLE_SIZE[0], area.width() - extra_w) or height < min(
        USABLE_SIZE[1], area.height() - extra_h
    )
    if too_small:  # e.g. saved squeezed on another screen
        width, height = DEFAULT_SIZE
    width = min(width, area.width() - extra_w)
    height = min(height, area.height() - extra_h)
    window.resize(width, height)
    x = min(max(frame.x(), area.left()), area.right() + 1 - width - extra_w)
    y = min(max(frame.y(), area.top()), area.bottom() + 1 - height - extra_h)
    window.move(max(area.left(), x), max(area.top(), y))


def body_font(view: ReadingView) -> QFont:
    """The font most of the shown text is set in (the body text's)."""
    lengths: dict[tuple[str, float], int] = {}
    fonts: dict[tuple[str, float], QFont] = {}
    block = view.document().begin()
    while block.isValid():
        font = block.charFormat().font()
        key = (font.family(), font.pointSizeF())
        lengths[key] = lengths.get(key, 0) + block.length()
        fonts.setdefault(key, font)
        block = block.next()
    if not lengths:
        return view.font()
    return fonts[max(lengths, key=lambda k: lengths[k])]


def keep_minimum_column(view: ReadingView) -> None:
    """Give ``view`` the minimum width of a readable column of its body text; on a
    screen too small for it, what the screen allows."""
    width = QFontMetricsF(body_font(view)).averageCharWidth() * MIN_COLUMN_CHARS
    scroll = view.verticalScrollBar().sizeHint().width()
    wanted = round(width + 2 * MIN_MARGIN + scroll + 8)
    screen = view.screen()
    if screen is not None:
        wanted = min(wanted, screen.availableGeometry().width() - 40)
    view.setMinimumWidth(max(200, wanted))
