"""The essay as printed pages: print, print preview and PDF (QtGui only, no widgets).

``build_document`` lays the essay out as a ``QTextDocument``; ``paint_pages``
draws its pages on any paged device (a printer, the print preview, a
``QPdfWriter``) with a running head and a page number, each line on one page
only; ``write_pdf`` adds the outline (the sections) and the links between
sections to the PDF. The command line imports this module for ``export
FILE.pdf``: ``write_pdf`` makes an offscreen ``QGuiApplication`` when none
exists. Paper is always in the light theme.
"""

from __future__ import annotations

import bisect
import io
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import (
    QBuffer,
    QByteArray,
    QIODevice,
    QLineF,
    QMarginsF,
    QRectF,
    QSizeF,
    Qt,
    QUrl,
)
from PySide6.QtGui import (
    QAbstractTextDocumentLayout,
    QColor,
    QFont,
    QGuiApplication,
    QPagedPaintDevice,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QPen,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
)

from reader.core import links
from reader.core.content import Essay
from reader.core.export import essay_html
from reader.core.themes import THEMES, theme_css
from reader.images import render_figure_image

#: Figures are drawn this wide on paper (about 17 cm), at twice the resolution.
PRINT_FIGURE_WIDTH = 640
PRINT_PIXEL_RATIO = 2.0
PAGE_MARGINS_MM = QMarginsF(20, 14, 20, 14)
#: Qt's rich text lays out in units of 1/96 inch (CSS pixels); PDF uses points (1/72).
DOCUMENT_DPI = 96
POINTS_PER_UNIT = 72 / DOCUMENT_DPI
#: The running head above the text and the page number below it, in document units.
HEAD_HEIGHT = 30.0
FOOT_HEIGHT = 30.0
HEAD_COLOR = QColor("#6b655b")
#: How far a page's last line may reach below the foot of the text.
LINE_OVERHANG = 8.0

# Figures and related pages lead nowhere on paper: their links become plain text.
_DEAD_LINK = re.compile(r'<a [^>]*?href="(?:figure|related|index)://[^"]*"[^>]*>(.*?)</a>',
                        re.DOTALL)


class Error(Exception):
    """The PDF cannot be written."""


@dataclass
class Heading:
    title: str
    level: int
    essay: str
    section: str
    y: float  # in the document


@dataclass
class PrintedEssay:
    """The laid-out document and what the pages need to know about it."""

    document: QTextDocument
    title: str
    headings: list[Heading] = field(default_factory=list)
    #: Links between sections: (start, end) character positions, and (essay, section).
    links: list[tuple[int, int, str, str]] = field(default_factory=list)

    @property
    def page_height(self) -> float:
        return self.document.pageSize().height()

    def page_count(self) -> int:
        return self.document.pageCount()

    def running_head(self, page: int) -> str:
        """The section a page is about: the last heading that starts above its foot."""
        bottom = (page + 1) * self.page_height
        current = ""
        for heading in self.headings:
            if heading.y >= bottom:
                break
            # The essay's own title is already on the left.
            current = heading.title if heading.level > 1 else ""
        return current

    def heading_target(self, essay: str, section: str) -> Heading | None:
        return next((h for h in self.headings if (h.essay, h.section) == (essay, section)),
                    None)


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
    """The text area of a page in the document's units: the printable area less the
    running head and the page number."""
    rect = layout.paintRect(QPageLayout.Unit.Millimeter)
    width = rect.width() / 25.4 * DOCUMENT_DPI
    height = rect.height() / 25.4 * DOCUMENT_DPI
    return QSizeF(width, height - HEAD_HEIGHT - FOOT_HEIGHT)


def paper_font(font: QFont) -> QFont:
    """``font`` without ligatures: a PDF's text layer keeps "ff" as one code point
    (U+FB00), and searching the PDF for "Differences" then fails."""
    font.setStyleStrategy(QFont.StyleStrategy.PreferNoShaping)
    return font


def build_document(
    essays: Sequence[Essay],
    base_css: str,
    reading: str = "corrected",
    section: str = "",
    layout: QPageLayout | None = None,
) -> PrintedEssay:
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
    html = _DEAD_LINK.sub(r"\1", html)
    size = page_size(layout or a4_layout())
    document = QTextDocument()
    document.setDefaultFont(paper_font(document.defaultFont()))
    document.setPageSize(size)
    width = min(PRINT_FIGURE_WIDTH, int(size.width()) - 16)
    for essay in essays:
        for figure in essay.figures:
            image = render_figure_image(figure, width, PRINT_PIXEL_RATIO)
            document.addResource(
                QTextDocument.ResourceType.ImageResource,
                QUrl(links.figure_link(essay.id, figure.id)),
                image,
            )
    document.setHtml(html)
    root = document.rootFrame()
    frame = root.frameFormat()
    frame.setMargin(0)  # the page layout has the margins
    root.setFrameFormat(frame)
    printed = PrintedEssay(document, essays[0].title)
    _unshape(document)
    _collect(printed, essays)
    return printed


def _unshape(document: QTextDocument) -> None:
    """Every run of text without ligatures (the HTML's fonts replace the default's)."""
    cursor = QTextCursor(document)
    cursor.select(QTextCursor.SelectionType.Document)
    plain = QTextCharFormat()
    plain.setFontStyleStrategy(QFont.StyleStrategy.PreferNoShaping)
    cursor.mergeCharFormat(plain)


def _collect(printed: PrintedEssay, essays: Sequence[Essay]) -> None:
    """Find the headings (for the outline and running heads) and the links between
    sections (made PDF links; Qt would write them as dead reader:// addresses)."""
    document = printed.document
    layout = document.documentLayout()
    sections = {s.id: (essay.id, s) for essay in essays for s in essay.sections}
    block = document.begin()
    pending: list[tuple[int, int, str]] = []
    while block.isValid():
        iterator = block.begin()
        while not iterator.atEnd():
            fragment = iterator.fragment()
            fmt = fragment.charFormat()
            for name in fmt.anchorNames():
                if name in sections and not printed.heading_target(*_key(sections[name])):
                    essay_id, section = sections[name]
                    printed.headings.append(Heading(
                        section.title, section.level, essay_id, section.id,
                        layout.blockBoundingRect(block).top()))
            href = fmt.anchorHref() if fmt.isAnchor() else ""
            if href:
                pending.append((fragment.position(), fragment.position() + fragment.length(),
                                href))
            iterator += 1
        block = block.next()
    printed.headings.sort(key=lambda h: h.y)
    for start, end, href in pending:
        target = links.parse_section_link(href)
        if target is None or not href.startswith(links.SECTION_SCHEME):
            continue
        cursor = QTextCursor(document)
        cursor.setPosition(start)
        cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
        plain = QTextCharFormat()
        plain.setAnchor(False)
        plain.setAnchorHref("")
        cursor.mergeCharFormat(plain)
        printed.links.append((start, end, target[0], target[1]))


def _key(found: tuple[str, object]) -> tuple[str, str]:
    essay_id, section = found
    return essay_id, str(getattr(section, "id", ""))


def paint_pages(printed: PrintedEssay, device: QPagedPaintDevice) -> int:
    """Draw the pages on ``device`` (its page layout must be the one the document was
    built for); a printer's page range is honoured. Returns the pages drawn."""
    document = printed.document
    total = printed.page_count()
    first, last = 1, total
    # A printer's page range (QPrinter is not a QtGui class: asked by name).
    from_page = getattr(device, "fromPage", lambda: 0)()
    to_page = getattr(device, "toPage", lambda: 0)()
    if from_page > 0:
        first, last = from_page, min(total, to_page or total)
    painter = QPainter(device)
    if not painter.isActive():
        raise Error("cannot draw on the printer or file")
    scale = device.logicalDpiY() / DOCUMENT_DPI
    width = document.pageSize().width()
    height = printed.page_height
    head_font = paper_font(QFont("DejaVu Sans"))
    head_font.setPixelSize(11)
    line_tops = _line_tops(document)
    drawn = 0
    for page in range(first - 1, last):
        if drawn:
            device.newPage()
        painter.save()
        painter.scale(scale, scale)
        painter.setFont(head_font)
        painter.setPen(QPen(HEAD_COLOR, 0.6))
        left = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop
        right = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop
        painter.drawText(QRectF(0, 0, width / 2 - 8, HEAD_HEIGHT - 10), left, printed.title)
        painter.drawText(QRectF(width / 2 + 8, 0, width / 2 - 8, HEAD_HEIGHT - 10), right,
                         printed.running_head(page))
        painter.drawLine(QLineF(0, HEAD_HEIGHT - 10, width, HEAD_HEIGHT - 10))
        painter.drawText(
            QRectF(0, HEAD_HEIGHT + height + 10, width, FOOT_HEIGHT - 10),
            Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop, f"{page + 1}")
        painter.translate(0, HEAD_HEIGHT)
        painter.setClipRect(QRectF(0, 0, width, height + LINE_OVERHANG))
        painter.translate(0, -page * height)
        context = QAbstractTextDocumentLayout.PaintContext()
        top = _clip_top(line_tops, page * height, (page + 1) * height)
        context.clip = QRectF(0, top, width, (page + 1) * height - 0.5 - top)
        document.documentLayout().draw(painter, context)
        painter.restore()
        drawn += 1
    painter.end()
    return drawn


def _line_tops(document: QTextDocument) -> list[tuple[float, float]]:
    """(top, height) of every line of text, in document order."""
    tops: list[tuple[float, float]] = []
    layout = document.documentLayout()
    block = document.begin()
    while block.isValid():
        origin = layout.blockBoundingRect(block).top()
        text_layout = block.layout()
        for number in range(text_layout.lineCount()):
            line = text_layout.lineAt(number)
            tops.append((origin + line.y(), line.height()))
        block = block.next()
    tops.sort()
    return tops


def _clip_top(line_tops: list[tuple[float, float]], page_top: float, page_end: float) -> float:
    """Where a page's drawing starts, so that each line is drawn on one page only.

    Qt draws every line within about a line of the clip: the previous page's last
    line would be drawn again at the top of this page, hidden by the clip but in the
    PDF's text (searching and copying found each such line twice). Starting the clip
    well into the page's first line leaves that one drawn and the previous one out."""
    index = bisect.bisect_left(line_tops, (page_top - 0.01, 0.0))
    if index < len(line_tops) and line_tops[index][0] < page_end:
        top, line_height = line_tops[index]
        return min(page_end - 1, top + 1.75 * line_height)
    return page_top + 0.5


def _ensure_gui_application() -> None:
    if QGuiApplication.instance() is None:
        # The command line has no window: draw offscreen whatever the desktop is.
        QGuiApplication([sys.argv[0] if sys.argv else "reader", "-platform", "offscreen"])


def write_pdf(
    essays: Sequence[Essay], path: Path, base_css: str, reading: str = "corrected"
) -> int:
    """Write the essays to ``path`` as an A4 PDF with an outline of the sections and
    working links between them; returns the number of pages."""
    if not essays:
        raise Error("the library has no essays to export")
    try:
        with open(path, "wb"):
            pass  # find out early whether the file can be written
    except OSError as exc:
        raise Error(f"cannot write {path}: {exc.strerror or exc}") from exc
    _ensure_gui_application()
    layout = a4_layout()
    printed = build_document(essays, base_css, reading, layout=layout)
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    writer.setTitle(essays[0].title)
    writer.setCreator("Reference Reader")
    writer.setResolution(300)
    writer.setPageLayout(layout)
    pages = paint_pages(printed, writer)
    del writer  # finishes the file
    buffer.close()
    try:
        path.write_bytes(_with_outline_and_links(bytes(data.data()), printed, layout))
    except OSError as exc:
        raise Error(f"cannot write {path}: {exc.strerror or exc}") from exc
    return pages


def _with_outline_and_links(pdf: bytes, printed: PrintedEssay, layout: QPageLayout) -> bytes:
    from pypdf import PdfReader, PdfWriter
    from pypdf.annotations import Link
    from pypdf.generic import Fit, IndirectObject

    area = layout.paintRect(QPageLayout.Unit.Point)
    sheet = layout.fullRect(QPageLayout.Unit.Point)
    height = printed.page_height

    def place(y: float) -> tuple[int, float]:
        """(page index, PDF y from the bottom of the sheet) of document position y."""
        page = min(printed.page_count() - 1, max(0, int(y // height)))
        top = area.top() + (HEAD_HEIGHT + y - page * height) * POINTS_PER_UNIT
        return page, sheet.height() - top

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    parents: dict[int, IndirectObject] = {}
    for heading in printed.headings:
        page, y = place(heading.y)
        parent = parents.get(heading.level - 1)
        item = writer.add_outline_item(title=heading.title, page_number=page, parent=parent,
                                       fit=Fit.xyz(area.left(), y + 4, None))
        parents[heading.level] = item
        for deeper in [level for level in parents if level > heading.level]:
            del parents[deeper]
    writer.page_mode = "/UseOutlines"
    document = printed.document
    for start, end, essay, section in printed.links:
        target = printed.heading_target(essay, section)
        if target is None:
            continue
        to_page, to_y = place(target.y)
        for page, rect in _link_rects(document, start, end, height):
            x1 = area.left() + rect.left() * POINTS_PER_UNIT
            x2 = area.left() + rect.right() * POINTS_PER_UNIT
            _, y_top = place(page * height + rect.top())
            y_bottom = y_top - rect.height() * POINTS_PER_UNIT
            writer.add_annotation(page, Link(
                rect=(x1, y_bottom, x2, y_top), target_page_index=to_page,
                fit=Fit.xyz(area.left(), to_y + 4, None)))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _link_rects(document: QTextDocument, start: int, end: int,
                page_height: float) -> list[tuple[int, QRectF]]:
    """The rectangles (one per line) a run of text covers: (page, rect within the page)."""
    rects: list[tuple[int, QRectF]] = []
    layout = document.documentLayout()
    position = start
    while position < end:
        block = document.findBlock(position)
        text_layout = block.layout()
        origin = layout.blockBoundingRect(block).topLeft()
        line = text_layout.lineForTextPosition(position - block.position())
        if not line.isValid():
            break
        line_end = min(end, block.position() + line.textStart() + line.textLength())
        x1 = _x(line.cursorToX(position - block.position()))
        x2 = _x(line.cursorToX(line_end - block.position()))
        y = origin.y() + line.y()
        page = int(y // page_height)
        rects.append((page, QRectF(origin.x() + x1, y - page * page_height, x2 - x1,
                                   line.height())))
        if line_end <= position:
            break
        position = line_end
    return rects


def _x(value: object) -> float:
    """QTextLine.cursorToX's x (PySide returns it with the cursor position)."""
    return float(value[0] if isinstance(value, tuple) else value)  # type: ignore[arg-type]
