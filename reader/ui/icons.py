"""Icons: the desktop theme's icon first, the bundled SVG in resources/icons as fallback.

Bundled line icons are drawn in ``#444``; they are painted in the palette's text
colour instead, at paint time, so they stay visible in the dark theme (and
greyed the palette's way when disabled).
"""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, QRectF, QSize, Qt
from PySide6.QtGui import QGuiApplication, QIcon, QIconEngine, QPainter, QPalette, QPixmap
from PySide6.QtSvg import QSvgRenderer

from reader.core.paths import resource_path

#: The ink of the bundled line icons, replaced by the palette's text colour.
LINE_INK = b"#444"


class PaletteSvgEngine(QIconEngine):
    """Renders an SVG with its line ink in the application palette's text colour."""

    def __init__(self, svg: bytes) -> None:
        super().__init__()
        self._svg = svg

    def _ink(self, mode: QIcon.Mode) -> str:
        palette = QGuiApplication.palette()
        group = (
            QPalette.ColorGroup.Disabled
            if mode == QIcon.Mode.Disabled
            else QPalette.ColorGroup.Active
        )
        return palette.color(group, QPalette.ColorRole.WindowText).name()

    def paint(self, painter: QPainter, rect: QRect, mode: QIcon.Mode, state: QIcon.State) -> None:
        data = self._svg.replace(LINE_INK, self._ink(mode).encode("ascii"))
        if mode == QIcon.Mode.Disabled:
            painter.setOpacity(0.55)
        QSvgRenderer(data).render(painter, QRectF(rect))

    def pixmap(self, size: QSize, mode: QIcon.Mode, state: QIcon.State) -> QPixmap:
        pixmap = QPixmap(size)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        self.paint(painter, QRect(QPoint(0, 0), size), mode, state)
        painter.end()
        return pixmap

    def clone(self) -> QIconEngine:
        return PaletteSvgEngine(self._svg)


def icon(name: str) -> QIcon:
    """A freedesktop icon name, e.g. ``go-previous`` or ``zoom-in``."""
    fallback = resource_path(f"icons/{name}.svg")
    if not fallback.is_file():
        bundled = QIcon()
    else:
        data = fallback.read_bytes()
        bundled = QIcon(PaletteSvgEngine(data)) if LINE_INK in data else QIcon(str(fallback))
    return QIcon.fromTheme(name, bundled)
