"""Figures drawn as images, for the screen and for paper (QtGui and QtSvg, no widgets).

The reading view draws its figures with ``render_figure_image``; so does the PDF
writer (``reader.pdf``), which the command line may import without the interface.
Every file is first looked at without Qt (``reader.core.images``): a damaged file,
or one whose declared size would make Qt allocate gigabytes (and the process
die), is drawn as a notice saying why, and Qt never sees it.
"""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QImage, QImageReader, QPainter, QPen

from reader.core import images as core_images
from reader.core.content import Figure

#: No side of a drawn figure is larger than this many device pixels.
MAX_DRAWN_SIDE = 8192


def render_figure_image(figure: Figure, width: int, device_pixel_ratio: float) -> QImage:
    """The figure scaled to ``width`` logical pixels, or a notice if it can't be read."""
    path = figure.path
    if not path.is_file():
        return notice_image(
            width,
            f"Figure {figure.number}: image file not found",
            str(path.name),
            device_pixel_ratio,
        )
    problem = core_images.image_problem(path)
    bounded = core_images.render_size(path, MAX_DRAWN_SIDE) if problem is None else None
    if bounded is None:
        reason = problem or f"figure file {path.name}: its proportions cannot be drawn"
        title = ("figure too large to draw" if problem is None or "too large" in problem
                 else "image cannot be read")
        return notice_image(width, f"Figure {figure.number}: {title}", reason,
                            device_pixel_ratio)
    if path.suffix.lower() == ".svg":
        from PySide6.QtSvg import QSvgRenderer  # loaded when a drawing is first drawn

        renderer = QSvgRenderer(str(path))
        if not renderer.isValid():
            return notice_image(
                width,
                f"Figure {figure.number}: image cannot be read",
                f"{path.name} is not a valid SVG file",
                device_pixel_ratio,
            )
        # The size checked above, not the renderer's: they agree for a sane file.
        pixels_wide = round(width * device_pixel_ratio)
        pixels_high = round(pixels_wide * bounded[1] / bounded[0])
        if pixels_high > MAX_DRAWN_SIDE:  # a tall, narrow figure: drawn narrower
            pixels_wide = max(1, round(pixels_wide * MAX_DRAWN_SIDE / pixels_high))
            pixels_high = MAX_DRAWN_SIDE
        image = QImage(QSize(pixels_wide, pixels_high),
                       QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        renderer.render(painter)
        painter.end()
        image.setDevicePixelRatio(device_pixel_ratio)
        return image
    reader = QImageReader(str(path))
    reader.setAutoTransform(True)
    image = reader.read()
    if image.isNull():
        return notice_image(
            width,
            f"Figure {figure.number}: image cannot be read",
            f"{path.name}: {reader.errorString()}",
            device_pixel_ratio,
        )
    target = round(width * device_pixel_ratio)
    if image.width() > target:
        image = image.scaledToWidth(target, Qt.TransformationMode.SmoothTransformation)
    image.setDevicePixelRatio(max(device_pixel_ratio, image.width() / max(1, width)))
    return image


def notice_image(width: int, title: str, detail: str, device_pixel_ratio: float) -> QImage:
    """A framed box with a message, shown where an image could not be drawn."""
    height = max(120, width // 4)
    image = QImage(
        QSize(round(width * device_pixel_ratio), round(height * device_pixel_ratio)),
        QImage.Format.Format_ARGB32_Premultiplied,
    )
    image.setDevicePixelRatio(device_pixel_ratio)
    image.fill(QColor("#f6ede9"))
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(QPen(QColor("#9a2b1e"), 1.5, Qt.PenStyle.DashLine))
    painter.drawRect(QRectF(1, 1, width - 2, height - 2))
    font = QFont()
    font.setPointSizeF(11)
    font.setBold(True)
    painter.setFont(font)
    painter.drawText(
        QRectF(12, 12, width - 24, height / 2 - 12),
        Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignBottom,
        title,
    )
    font.setBold(False)
    font.setPointSizeF(9.5)
    painter.setFont(font)
    painter.setPen(QColor("#5a3a33"))
    painter.drawText(
        QRectF(12, height / 2 + 4, width - 24, height / 2 - 16),
        Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop | Qt.TextFlag.TextWordWrap,
        detail,
    )
    painter.end()
    image.setText("title", title)  # says what the notice is, to whoever inspects it
    return image
