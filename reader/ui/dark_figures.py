"""Figures drawn for a dark page: SVGs in turned colours, photographs dimmed.

On a dark theme a figure drawn as published is a bright white block in the
text. An SVG is drawn again with each colour's lightness turned over (hue and
saturation kept), so a pale plate with dark lettering becomes a dark plate with
pale lettering and the contrast between them is kept; a raster image is shown
at a lower brightness. The reading view and the figure viewer both use this.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QSize, Qt
from PySide6.QtGui import QColor, QImage, QPainter

from reader.core.content import Figure

if TYPE_CHECKING:
    from PySide6.QtSvg import QSvgRenderer

_HEX = re.compile(rb"#([0-9a-fA-F]{6}|[0-9a-fA-F]{3})\b")
#: A raster figure in a dark theme is shown at this share of its brightness.
DARK_BRIGHTNESS = 0.78
#: Shapes and text that name no colour are drawn black; on a dark page, this instead.
DEFAULT_INK = b"#e6e3dc"


def darken_svg(data: bytes) -> bytes:
    """The SVG ``data`` with every colour's lightness turned over."""

    def turn(match: re.Match[bytes]) -> bytes:
        colour = QColor("#" + match.group(1).decode("ascii"))
        hue = max(colour.hslHueF(), 0.0)  # -1 for greys
        turned = QColor.fromHslF(hue, colour.hslSaturationF(), 1.0 - colour.lightnessF() * 0.9)
        return turned.name().encode("ascii")

    data = re.sub(rb"(fill|stroke|stop-color|color)(\s*[:=]\s*[\"']?)(white)\b",
                  rb"\1\2#ffffff", data)
    data = _HEX.sub(turn, data)
    return re.sub(rb"<svg\b(?![^>]*\bfill=)", b'<svg fill="' + DEFAULT_INK + b'"', data, count=1)


def dark_svg_renderer(figure: Figure) -> QSvgRenderer | None:
    """A renderer of the figure's SVG in turned colours; None if it is not a readable SVG."""
    path = figure.path
    if path.suffix.lower() != ".svg" or not path.is_file():
        return None
    try:
        from PySide6.QtSvg import QSvgRenderer  # loaded when a drawing is first drawn

        renderer = QSvgRenderer(QByteArray(darken_svg(path.read_bytes())))
    except OSError:
        return None
    return renderer if renderer.isValid() else None


def dark_svg_image(figure: Figure, width: int, device_pixel_ratio: float) -> QImage | None:
    """The figure's SVG in turned colours, ``width`` logical pixels wide; None if the
    figure is not a readable SVG (the caller draws it, or its notice, as usual)."""
    renderer = dark_svg_renderer(figure)
    if renderer is None:
        return None
    size = renderer.defaultSize()
    height = round(width * size.height() / max(1, size.width()))
    image = QImage(
        QSize(round(width * device_pixel_ratio), round(height * device_pixel_ratio)),
        QImage.Format.Format_ARGB32_Premultiplied,
    )
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    renderer.render(painter)
    painter.end()
    image.setDevicePixelRatio(device_pixel_ratio)
    return image


def dim_image(image: QImage, brightness: float = DARK_BRIGHTNESS) -> QImage:
    """``image`` with its brightness lowered (a photograph on a dark page)."""
    dimmed = image.convertToFormat(QImage.Format.Format_ARGB32_Premultiplied)
    painter = QPainter(dimmed)
    painter.setCompositionMode(QPainter.CompositionMode.CompositionMode_SourceAtop)
    painter.fillRect(dimmed.rect(), QColor(0, 0, 0, round(255 * (1 - brightness))))
    painter.end()
    dimmed.setDevicePixelRatio(image.devicePixelRatio())
    return dimmed
