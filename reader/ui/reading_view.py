"""The reading view: a QTextBrowser that shows one essay as a continuous document.

It resolves the reader's own URL schemes itself (``figure://`` images in
``loadResource``) and never follows a link: clicks become signals carrying
plain ids, and the main window decides what to do. It keeps the text in a
readable column centred in the view, and reports which section is at the top
as the reader scrolls. It also knows its passages: where a selection is (for a
bookmark), and how to select a bookmarked quote or an indexed name again.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable
from html import escape

from PySide6.QtCore import QMimeData, QPoint, QRectF, QSize, Qt, QUrl, Signal, Slot
from PySide6.QtGui import (
    QColor,
    QContextMenuEvent,
    QFont,
    QImage,
    QImageReader,
    QPainter,
    QPen,
    QResizeEvent,
    QTextBlock,
    QTextCursor,
    QTextDocument,
)
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import QMenu, QTextBrowser, QWidget

from reader.core.content import Essay, Figure

#: The default widest text column, in logical pixels (about 75 characters).
MAX_COLUMN = 720
MIN_MARGIN = 28
#: How far below the top edge a heading may sit and still be "the section being read".
HEADING_SLACK = 32
#: Figures are drawn at most this wide in the text (the viewer shows them large).
MAX_FIGURE_WIDTH = 640


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
    if path.suffix.lower() == ".svg":
        renderer = QSvgRenderer(str(path))
        if not renderer.isValid():
            return notice_image(
                width,
                f"Figure {figure.number}: image cannot be read",
                f"{path.name} is not a valid SVG file",
                device_pixel_ratio,
            )
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


def find_heading(document: QTextDocument, anchor: str) -> QTextBlock | None:
    """The block holding the anchor named ``anchor`` (a section's heading), or None."""
    block = document.begin()
    while block.isValid():
        iterator = block.begin()
        while not iterator.atEnd():
            if anchor in iterator.fragment().charFormat().anchorNames():
                return block
            iterator += 1
        block = block.next()
    return None


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
    return image


class ReadingView(QTextBrowser):
    """Shows one essay; emits what the reader clicks and where they are."""

    section_link_clicked = Signal(str, str)  # document, section
    figure_clicked = Signal(str, str)  # document, figure
    related_clicked = Signal(str, str)  # document, related page
    external_link_clicked = Signal(QUrl)
    current_section_changed = Signal(str, str)  # document, section at the top of the view
    index_entry_clicked = Signal(str)  # an index entry id (names shown as index:// links)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reading_view")
        self.setAccessibleName("Essay text")
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.setFrameShape(QTextBrowser.Shape.NoFrame)
        self._essay: Essay | None = None
        self._section_tops: list[float] = []
        self._section_ids: list[str] = []
        self._positions_valid = False
        self._current_section = ""
        self._column = MAX_COLUMN
        self._figure_width = 0  # the width the figures were last drawn at
        #: When set, text copied from the view gets this line (a citation) appended.
        self.citation_provider: Callable[[], str] | None = None
        #: Entries of the context menu over a figure (and of the figure viewer's): each is
        #: called with the menu, the essay and the figure id, and adds what it offers.
        self.figure_menu_entries: list[Callable[[QMenu, str, str], None]] = []
        self.anchorClicked.connect(self._on_anchor_clicked)
        self.verticalScrollBar().valueChanged.connect(self._on_scrolled)
        self.document().documentLayout().documentSizeChanged.connect(self._invalidate_positions)

    # -- content --------------------------------------------------------------------------

    @property
    def essay(self) -> Essay | None:
        return self._essay

    def set_essay(self, essay: Essay, html: str) -> None:
        """Show ``html`` (the rendered essay); resets the scroll position."""
        self._essay = essay
        self._current_section = ""
        self.document().clear()
        self.setHtml(html)
        self._update_column()
        self._invalidate_positions()

    def loadResource(self, kind: int, url: QUrl | str) -> object:
        qurl = QUrl(url) if isinstance(url, str) else url
        if qurl.scheme() == "figure" and self._essay is not None:
            figure = self._essay.figure(qurl.path().strip("/"))
            if figure is not None and figure.document == qurl.host():
                self._figure_width = self._figure_width_for_column()
                return render_figure_image(figure, self._figure_width, self.devicePixelRatioF())
            return notice_image(
                MAX_FIGURE_WIDTH, "Figure not found", qurl.toString(), self.devicePixelRatioF()
            )
        if qurl.scheme() in ("http", "https", "ftp"):
            return None  # offline: never fetch anything from the network
        return super().loadResource(kind, qurl)

    # -- layout: a readable column ---------------------------------------------------------

    @property
    def column_width(self) -> int:
        """The widest the text column gets, in logical pixels."""
        return self._column

    @column_width.setter
    def column_width(self, width: int) -> None:
        self._column = max(240, int(width))
        self._update_column()
        self._refit_figures()
        self._invalidate_positions()

    def _column_width(self) -> int:
        return min(self._column, max(200, self.viewport().width() - 2 * MIN_MARGIN))

    def _update_column(self) -> None:
        margin = max(MIN_MARGIN, (self.viewport().width() - self._column) // 2)
        # Room below the end, so that even the last section can be scrolled to the top.
        bottom = max(48, self.viewport().height() - 160)
        root = self.document().rootFrame()
        fmt = root.frameFormat()
        if (fmt.leftMargin(), fmt.rightMargin(), fmt.bottomMargin()) == (margin, margin, bottom):
            return
        fmt.setLeftMargin(margin)
        fmt.setRightMargin(margin)
        fmt.setTopMargin(28)
        fmt.setBottomMargin(bottom)
        root.setFrameFormat(fmt)

    def resizeEvent(self, event: QResizeEvent) -> None:
        place = self.reading_place()
        super().resizeEvent(event)
        self._update_column()
        self._refit_figures()
        if place is not None:
            self.restore_place(place)  # the text reflowed: keep the reader where they were

    def reading_place(self) -> tuple[str, float] | None:
        """Where the reader is: the section at the top and how far into it (0 to 1)."""
        value = self.verticalScrollBar().value()
        if self._essay is None or value <= 0:
            return None
        self._ensure_positions()
        if not self._section_ids:
            return None
        index = max(0, bisect.bisect_right(self._section_tops, value) - 1)
        top, end = self._section_span(index)
        return self._section_ids[index], (value - top) / max(1.0, end - top)

    def restore_place(self, place: tuple[str, float]) -> None:
        """Scroll back to a place from ``reading_place()`` after the layout changed."""
        section, fraction = place
        self._invalidate_positions()
        self._ensure_positions()
        if section not in self._section_ids:
            return
        top, end = self._section_span(self._section_ids.index(section))
        self.verticalScrollBar().setValue(round(top + fraction * (end - top)))

    def section_bottom(self, section_id: str) -> float | None:
        """Where a section ends (the next heading, or the end of the document)."""
        self._ensure_positions()
        if section_id not in self._section_ids:
            return None
        return self._section_span(self._section_ids.index(section_id))[1]

    def _section_span(self, index: int) -> tuple[float, float]:
        top = self._section_tops[index]
        if index + 1 < len(self._section_tops):
            return top, self._section_tops[index + 1]
        return top, self.document().size().height()

    def _figure_width_for_column(self) -> int:
        # A little narrower than the column: a line holds the image and the cursor.
        return min(MAX_FIGURE_WIDTH, self._column_width() - 4)

    def _refit_figures(self) -> None:
        """Draw the figures again when the column they were drawn for changed width."""
        width = self._figure_width_for_column()
        if self._essay is None or not self._figure_width or width == self._figure_width:
            return
        self._figure_width = width
        document = self.document()
        for figure in self._essay.figures:
            url = QUrl(f"figure://{self._essay.id}/{figure.id}")
            image = render_figure_image(figure, width, self.devicePixelRatioF())
            document.addResource(QTextDocument.ResourceType.ImageResource, url, image)
        document.markContentsDirty(0, document.characterCount())

    def createMimeDataFromSelection(self) -> QMimeData:
        data = super().createMimeDataFromSelection()
        citation = self.citation_provider() if self.citation_provider else ""
        if citation and data.hasText():
            data.setText(f"{data.text().rstrip()}\n\n— {citation}")
            if data.hasHtml():
                data.setHtml(f"{data.html()}<p>— {escape(citation)}</p>")
        return data

    # -- sections and scrolling ------------------------------------------------------------

    @Slot()
    def _invalidate_positions(self) -> None:
        self._positions_valid = False

    def _section_blocks(self) -> dict[str, QTextBlock]:
        wanted = {s.id for s in self._essay.sections} if self._essay else set()
        found: dict[str, QTextBlock] = {}
        block = self.document().begin()
        while block.isValid():
            iterator = block.begin()
            while not iterator.atEnd():
                for name in iterator.fragment().charFormat().anchorNames():
                    if name in wanted and name not in found:
                        found[name] = block
                iterator += 1
            block = block.next()
        return found

    def _ensure_positions(self) -> None:
        if self._positions_valid or self._essay is None:
            return
        layout = self.document().documentLayout()
        blocks = self._section_blocks()
        tops = []
        for section in self._essay.sections:
            block = blocks.get(section.id)
            if block is not None:
                tops.append((layout.blockBoundingRect(block).top(), section.id))
        tops.sort()
        self._section_tops = [top for top, _ in tops]
        self._section_ids = [sid for _, sid in tops]
        self._positions_valid = True

    def section_top(self, section_id: str) -> float | None:
        """The y position of a section's heading in document coordinates."""
        self._ensure_positions()
        try:
            return self._section_tops[self._section_ids.index(section_id)]
        except ValueError:
            return None

    def section_at_top(self) -> str:
        """The section being read: the last heading at or above the top of the view."""
        self._ensure_positions()
        if not self._section_ids:
            return ""
        # A heading just below the top edge (where scroll_to_section puts it) counts as read.
        y = self.verticalScrollBar().value() + HEADING_SLACK
        index = bisect.bisect_right(self._section_tops, y) - 1
        return self._section_ids[max(0, index)]

    def scroll_to_section(self, section_id: str) -> bool:
        top = self.section_top(section_id)
        if top is None:
            return False
        if self._section_ids and section_id == self._section_ids[0]:
            top = 0  # the opening section starts with the page's kicker line
        # Put the heading a little below the top edge, with its margin visible.
        self.verticalScrollBar().setValue(max(0, round(top) - 16))
        self._on_scrolled()
        return True

    @Slot()
    def _on_scrolled(self) -> None:
        if self._essay is None:
            return
        section = self.section_at_top()
        if section and section != self._current_section:
            self._current_section = section
            self.current_section_changed.emit(self._essay.id, section)

    # -- selecting passages ----------------------------------------------------------------

    def reading_location(self) -> tuple[str, str, str] | None:
        """``(document, section, selected text)``: the selected passage and the section
        it starts in, or the section at the top of the view (and "") when nothing is
        selected; None when no essay is shown."""
        essay = self._essay
        if essay is None:
            return None
        cursor = self.textCursor()
        if not cursor.hasSelection():
            section = self.section_at_top()
            return (essay.id, section, "") if section else None
        block = self.document().findBlock(cursor.selectionStart())
        y = self.document().documentLayout().blockBoundingRect(block).top()
        self._ensure_positions()
        if not self._section_ids:
            return None
        index = bisect.bisect_right(self._section_tops, y + 1) - 1
        return essay.id, self._section_ids[max(0, index)], cursor.selectedText()

    def select_passage(self, document: str, section: str, quote: str) -> bool:
        """Select ``quote`` in ``section`` of the shown essay and bring it into view; False
        if the essay is not shown or the passage is not there (the text may have changed)."""
        essay = self._essay
        top = self.section_top(section)
        if essay is None or essay.id != document or top is None or not quote:
            return False
        doc = self.document()
        layout = doc.documentLayout()
        cursor = doc.find(quote)
        while not cursor.isNull():
            if layout.blockBoundingRect(cursor.block()).top() >= top - 1:
                break
            cursor = doc.find(quote, cursor)
        if cursor.isNull():
            return False
        self.setTextCursor(cursor)
        rect = self.cursorRect(cursor)
        if not self.viewport().rect().contains(rect):
            bar = self.verticalScrollBar()
            bar.setValue(bar.value() + rect.top() - self.viewport().height() // 3)
        return True

    def select_text(self, section: str, text: str, occurrence: int = 0) -> bool:
        """Select the ``occurrence``-th ``text`` after the heading of ``section`` and
        scroll it into view; False if the heading or that occurrence is not there."""
        document = self.document()
        heading = find_heading(document, section)
        if heading is None or not text:
            return False
        cursor = QTextCursor(document)
        cursor.setPosition(min(heading.position() + heading.length(),
                               document.characterCount() - 1))
        for _ in range(occurrence + 1):
            cursor = document.find(text, cursor)
            if cursor.isNull():
                return False
        self.setTextCursor(cursor)
        self.ensureCursorVisible()
        return True

    # -- the context menu --------------------------------------------------------------------

    def figure_at(self, pos: QPoint) -> tuple[str, str] | None:
        """(essay, figure id) of the figure at ``pos`` in the viewport, or None."""
        names = [self.anchorAt(pos)]
        image = self.cursorForPosition(pos).charFormat()
        if image.isImageFormat():
            names.append(image.toImageFormat().name())
        for name in names:
            url = QUrl(name)
            if url.scheme() == "figure" and url.host():
                return url.host(), url.path().strip("/")
        return None

    def add_figure_entries(self, menu: QMenu, pos: QPoint) -> None:
        """Add the figure entries to ``menu`` when ``pos`` is over a figure."""
        found = self.figure_at(pos)
        if found is not None and self.figure_menu_entries:
            menu.addSeparator()
            for entry in self.figure_menu_entries:
                entry(menu, *found)

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        menu = self.createStandardContextMenu(event.pos())
        self.add_figure_entries(menu, event.pos())  # the viewport's coordinates
        menu.exec(event.globalPos())
        menu.deleteLater()

    # -- links -----------------------------------------------------------------------------

    @Slot(QUrl)
    def _on_anchor_clicked(self, url: QUrl) -> None:
        scheme = url.scheme()
        ident = url.path().strip("/")
        if scheme == "reader":
            self.section_link_clicked.emit(url.host(), ident)
        elif scheme == "figure":
            self.figure_clicked.emit(url.host(), ident)
        elif scheme == "related":
            self.related_clicked.emit(url.host(), ident)
        elif scheme == "index":
            self.index_entry_clicked.emit(url.host())
        elif scheme == "" and url.hasFragment() and self._essay is not None:
            self.section_link_clicked.emit(self._essay.id, url.fragment())
        else:
            self.external_link_clicked.emit(url)
