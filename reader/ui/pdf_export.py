"""The essay as a printable QTextDocument, and as a PDF file (Qt GUI, no widgets shown).

Used by print and print preview (``printing.py``) and, imported lazily, by the
``export FILE.pdf`` command, which has no window: ``write_pdf`` makes an
offscreen ``QGuiApplication`` when none exists. The document is always in the
light theme: dark pages make no sense on paper.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QMarginsF, QSizeF, QUrl
from PySide6.QtGui import QGuiApplication, QPageLayout, QPageSize, QPdfWriter, QTextDocument

from reader.core.content import Essay
from reader.core.export import essay_html
from reader.core.themes import THEMES, theme_css
from reader.ui.reading_view import MAX_FIGURE_WIDTH, render_figure_image

#: Figures are drawn this wide on paper (about 16 cm), at twice the resolution.
PRINT_FIGURE_WIDTH = MAX_FIGURE_WIDTH
PRINT_PIXEL_RATIO = 2.0
PAGE_MARGINS_MM = QMarginsF(20, 18, 20, 18)
#: Qt's rich text lays out in units of 1/96 inch (CSS pixels).
DOCUMENT_DPI = 96


_PRIVATE_LINK = re.compile(
    r'<a [^>]*?href="(?:reader|figure|related)://[^"]*"[^>]*>(.*?)</a>', re.DOTALL
)


class Error(Exception):
    """The PDF cannot be written."""


def print_css(base_css: str) -> str:
    """content.css in the light theme: paper is white whatever the screen shows."""
    return base_css + "\n" + theme_css(THEMES["light"]) + "body { background-color: #ffffff; }\n"


def a4_layout() -> QPageLayout:
    return QPageLayout(
        QPageSize(QPageSize.PageSizeId.A4),
        QPageLayout.Orientation.Portrait,
        PAGE_MARGINS_MM,
        QPageLayout.Unit.Millimeter,
    )


def page_size(layout: QPageLayout) -> QSizeF:
    """The printable area of a page in the document's units (1/96 inch)."""
    rect = layout.paintRect(QPageLayout.Unit.Millimeter)
    return QSizeF(rect.width() / 25.4 * DOCUMENT_DPI, rect.height() / 25.4 * DOCUMENT_DPI)


def build_document(
    essays: Sequence[Essay],
    base_css: str,
    reading: str = "corrected",
    section: str = "",
    layout: QPageLayout | None = None,
) -> QTextDocument:
    """One paginated document of the essays (or of one section of the first), with figures."""
    css = print_css(base_css)
    if section:
        html = essay_html(essays[0], css, reading, section)
    else:
        parts = [essay_html(essay, css, reading) for essay in essays]
        html = parts[0]
        for extra in parts[1:]:
            body = extra[extra.index("<body>") + len("<body>") : extra.rindex("</body>")]
            html = html.replace(
                "</body>", f'<div style="page-break-before: always">{body}</div></body>', 1
            )
    # On paper the reader's own links lead nowhere: keep their text, drop the link.
    html = _PRIVATE_LINK.sub(r"\1", html)
    size = page_size(layout or a4_layout())
    document = QTextDocument()
    document.setPageSize(size)
    width = min(PRINT_FIGURE_WIDTH, int(size.width()) - 16)
    for essay in essays:
        for figure in essay.figures:
            image = render_figure_image(figure, width, PRINT_PIXEL_RATIO)
            document.addResource(
                QTextDocument.ResourceType.ImageResource,
                QUrl(f"figure://{essay.id}/{figure.id}"),
                image,
            )
    document.setHtml(html)
    root = document.rootFrame()
    frame = root.frameFormat()
    frame.setMargin(0)  # the page layout has the margins
    root.setFrameFormat(frame)
    return document


def _ensure_gui_application() -> None:
    if QGuiApplication.instance() is None:
        # The command line has no window: draw offscreen whatever the desktop is.
        QGuiApplication([sys.argv[0] if sys.argv else "reader", "-platform", "offscreen"])


def write_pdf(
    essays: Sequence[Essay], path: Path, base_css: str, reading: str = "corrected"
) -> int:
    """Write the essays to ``path`` as an A4 PDF; returns the number of pages."""
    if not essays:
        raise Error("the library has no essays to export")
    try:
        with open(path, "wb"):
            pass  # QPdfWriter fails silently on an unwritable path: find out first
    except OSError as exc:
        raise Error(f"cannot write {path}: {exc.strerror or exc}") from exc
    _ensure_gui_application()
    layout = a4_layout()
    document = build_document(essays, base_css, reading, layout=layout)
    writer = QPdfWriter(str(path))
    writer.setTitle(essays[0].title)
    writer.setCreator("Reference Reader")
    writer.setResolution(300)
    writer.setPageLayout(layout)
    document.print_(writer)
    return document.pageCount()
