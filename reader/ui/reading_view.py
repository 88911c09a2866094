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
from collections.abc import Callable, Sequence
from html import escape

from PySide6.QtCore import QEvent, QMimeData, QPoint, QPointF, Qt, QUrl, Signal, Slot
from PySide6.QtGui import (
    QContextMenuEvent,
    QHelpEvent,
    QImage,
    QKeyEvent,
    QKeySequence,
    QPalette,
    QResizeEvent,
    QTextBlock,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
)
from PySide6.QtWidgets import QMenu, QTextBrowser, QTextEdit, QToolTip, QWidget

from reader.core import links
from reader.core.content import Essay, Figure
from reader.images import notice_image, render_figure_image
from reader.ui.dark_figures import dark_svg_image, dim_image
from reader.ui.figure_cache import FigureCache
from reader.ui.link_text import describe_link
from reader.ui.passage_marks import (
    PassageMark,
    find_heading,
    find_quote,
    mark_selections,
    marks_at,
    unfix_heading_sizes,
)
from reader.ui.reading_menu import ContextEntries, FigureEntries, ReadingSpot, context_menu

#: The default widest text column, in logical pixels (about 75 characters).
MAX_COLUMN = 720
MIN_MARGIN = 28
#: How far below the top edge a heading may sit and still be "the section being read".
HEADING_SLACK = 32
#: Figures are drawn at most this wide in the text (the viewer shows them large).
MAX_FIGURE_WIDTH = 640

#: Where a jump puts its target: this far down the view, with context above it.
TARGET_HEIGHT = 0.25


def show_target(view: QTextEdit, cursor: QTextCursor) -> None:
    """Make ``cursor`` the view's cursor (its selection marks the target) and scroll
    so that it sits in the upper third of the view, with lines of context above it:
    never on the last visible line, where a jump is easy to miss."""
    if isinstance(view, ReadingView):
        view.jump_target = cursor.selectionStart()  # its section is the one being read
    view.setTextCursor(cursor)
    bar = view.verticalScrollBar()
    wanted = round(view.viewport().height() * TARGET_HEIGHT)
    bar.setValue(bar.value() + view.cursorRect(cursor).top() - wanted)


def _figure_id(fmt: QTextCharFormat) -> str:
    """The figure an image fragment shows (``figure://ESSAY/ID``), or ""."""
    if not fmt.isImageFormat():
        return ""
    url = QUrl(fmt.toImageFormat().name())
    return url.path().strip("/") if url.scheme() == "figure" else ""


class ReadingView(QTextBrowser):
    """Shows one essay; emits what the reader clicks and where they are."""

    section_link_clicked = Signal(str, str)  # document, section
    figure_clicked = Signal(str, str)  # document, figure
    related_clicked = Signal(str, str)  # document, related page
    external_link_clicked = Signal(QUrl)
    current_section_changed = Signal(str, str)  # document, section at the top of the view
    index_entry_clicked = Signal(str)  # an index entry id (names shown as index:// links)
    link_hovered = Signal(str)  # what a hovered link leads to, "" when the pointer leaves it

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reading_view")
        self.setAccessibleName("Essay text")
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.setFrameShape(QTextBrowser.Shape.NoFrame)
        # Always there: a scroll bar that appears once the text is laid out would narrow
        # the page, and the whole text (and its figures) would be laid out again.
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
        self._essay: Essay | None = None
        self._section_tops: list[float] = []
        self._section_ids: list[str] = []
        self._positions_valid = False
        self._current_section = ""
        self._column = MAX_COLUMN
        self._figure_width = 0  # the width the figures were last drawn at
        #: Where drawn figures are kept between sessions (the window gives it a folder).
        self.figure_cache = FigureCache(None)
        #: Where the last jump (``show_target``) landed, until the next section is opened.
        self.jump_target: int | None = None
        #: When set, text copied from the view gets this line (a citation) appended.
        self.citation_provider: Callable[[], str] | None = None
        #: Says where a link leads, for its tooltip and the status bar (set by the window).
        self.link_description: Callable[[QUrl], str] = (
            lambda url: describe_link(url, None, self._essay))
        self._passage_marks: list[PassageMark] = []
        self._others: list[QTextEdit.ExtraSelection] = []
        self._context_entries: list[ContextEntries] = []
        #: Entries of the context menu over a figure (and of the figure viewer's): each is
        #: called with the menu, the essay and the figure id, and adds what it offers.
        self.figure_menu_entries: list[FigureEntries] = []
        self.anchorClicked.connect(self._on_anchor_clicked)
        self.highlighted.connect(self._on_link_hovered)
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
        self.jump_target = None
        self.document().clear()
        self.setHtml(html)
        unfix_heading_sizes(self.document())
        self._update_column()
        self._invalidate_positions()

    def loadResource(self, kind: int, url: QUrl | str) -> object:
        qurl = QUrl(url) if isinstance(url, str) else url
        if qurl.scheme() == "figure" and self._essay is not None:
            figure = self._essay.figure(qurl.path().strip("/"))
            if figure is not None and figure.document == qurl.host():
                self._figure_width = self._figure_width_for_column()
                return self._figure_image(figure, self._figure_width)
            return notice_image(
                MAX_FIGURE_WIDTH, "Figure not found", qurl.toString(), self.devicePixelRatioF()
            )
        if qurl.scheme() in ("http", "https", "ftp"):
            return None  # offline: never fetch anything from the network
        return super().loadResource(kind, qurl)

    def _figure_image(self, figure: Figure, width: int) -> QImage:
        ratio, dark = self.devicePixelRatioF(), self.dark_page
        return self.figure_cache.image(
            figure, width, ratio, dark, lambda: self._draw_figure(figure, width, ratio, dark)
        )

    @staticmethod
    def _draw_figure(figure: Figure, width: int, ratio: float, dark: bool) -> QImage:
        """A figure drawn for the page: on a dark one, an SVG in turned colours and a
        photograph dimmed, so no bright white block glares out of the text."""
        if dark:
            image = dark_svg_image(figure, width, ratio)
            if image is not None:
                return image
            drawn = render_figure_image(figure, width, ratio)
            return dim_image(drawn) if figure.exists else drawn
        return render_figure_image(figure, width, ratio)

    @property
    def dark_page(self) -> bool:
        """Whether the page is dark (the theme's palette): figures are drawn for it."""
        return self.palette().color(QPalette.ColorRole.Base).lightnessF() < 0.5

    def figure_near_reading_place(self) -> str | None:
        """The figure the reader is at: the one at the text cursor, else the one in view
        nearest the middle of the view, else the nearest above or below; None if the
        essay has no figure drawn."""
        document = self.document()
        cursor = self.textCursor()
        for position in (cursor.position(), cursor.position() + 1):
            at = QTextCursor(document)
            at.setPosition(min(position, document.characterCount() - 1))
            ident = _figure_id(at.charFormat())
            if ident:
                return ident
        layout = document.documentLayout()
        middle = self.verticalScrollBar().value() + self.viewport().height() / 2
        best: tuple[float, str] | None = None
        block = document.begin()
        while block.isValid():
            iterator = block.begin()
            while not iterator.atEnd():
                ident = _figure_id(iterator.fragment().charFormat())
                if ident:
                    rect = layout.blockBoundingRect(block)
                    gap = 0.0 if rect.top() <= middle <= rect.bottom() else min(
                        abs(rect.top() - middle), abs(rect.bottom() - middle))
                    if best is None or gap < best[0]:
                        best = (gap, ident)
                iterator += 1
            block = block.next()
        return best[1] if best else None

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

    def section_at(self, y: float) -> str:
        """The section whose heading is the last at or above ``y`` (layout coordinates),
        "" when no essay is shown."""
        self._ensure_positions()
        if not self._section_ids:
            return ""
        return self._section_ids[max(0, bisect.bisect_right(self._section_tops, y) - 1)]

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
            image = self._figure_image(figure, width)
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
        """The section being read: the one holding the target of the last jump while
        that is in view (its heading may be just above it, below the top edge), else
        the last heading at or above the top of the view."""
        self._ensure_positions()
        if not self._section_ids:
            return ""
        if self.jump_target is not None:
            document = self.document()
            cursor = QTextCursor(document)
            cursor.setPosition(min(self.jump_target, document.characterCount() - 1))
            if self.viewport().rect().contains(self.cursorRect(cursor).center()):
                y = document.documentLayout().blockBoundingRect(cursor.block()).top()
                return self.section_at(y + 1)
        # A heading just below the top edge (where scroll_to_section puts it) counts as read.
        return self.section_at(self.verticalScrollBar().value() + HEADING_SLACK)

    def scroll_to_section(self, section_id: str) -> bool:
        top = self.section_top(section_id)
        if top is None:
            return False
        self.jump_target = None
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
        section = self.section_at(y + 1)
        return (essay.id, section, cursor.selectedText()) if section else None

    def select_passage(self, document: str, section: str, quote: str) -> bool:
        """Select ``quote`` in ``section`` of the shown essay and show it in the upper third
        of the view; False
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
        show_target(self, cursor)
        return True

    def select_text(self, section: str, text: str, occurrence: int = 0) -> bool:
        """Select the ``occurrence``-th ``text`` after the heading of ``section`` and
        show it in the upper third of the view; False if the heading or that occurrence
        is not there."""
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
        show_target(self, cursor)
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

    # -- bookmarked passages drawn in the text ---------------------------------------------

    def find_passage(self, section: str, quote: str) -> QTextCursor | None:
        """A cursor over ``quote`` at or after the heading of ``section``, or None."""
        top = self.section_top(section)
        return None if top is None else find_quote(self.document(), top, quote)

    def set_passage_marks(self, marks: list[PassageMark]) -> None:
        """Draw these passages highlighted, under any search highlights."""
        self._passage_marks = list(marks)
        super().setExtraSelections(mark_selections(self._passage_marks) + self._others)

    def passage_marks(self) -> list[PassageMark]:
        return list(self._passage_marks)

    def setExtraSelections(self, selections: Sequence[QTextEdit.ExtraSelection]) -> None:
        # Others' highlights (search, find) replace each other; the passages stay beneath.
        self._others = list(selections)
        super().setExtraSelections(mark_selections(self._passage_marks) + self._others)

    def char_at(self, pos: QPoint) -> int:
        """The position of the character under ``pos`` (viewport coordinates), or -1."""
        offset = QPoint(self.horizontalScrollBar().value(), self.verticalScrollBar().value())
        return self.document().documentLayout().hitTest(
            QPointF(pos + offset), Qt.HitTestAccuracy.ExactHit)

    def passage_tooltip_at(self, pos: QPoint) -> str:
        """The hover text of the bookmarked passages under ``pos`` (viewport coordinates)."""
        return marks_at(self._passage_marks, self.char_at(pos))

    def viewportEvent(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            tip = self.tooltip_at(event.pos())
            if tip:
                QToolTip.showText(event.globalPos(), tip, self.viewport())
            else:
                QToolTip.hideText()
            return True
        return super().viewportEvent(event)

    def event(self, event: QEvent) -> bool:
        # Nothing to undo in read-only text: let Ctrl+Z reach the bookmarks' Undo.
        if (event.type() == QEvent.Type.ShortcutOverride and isinstance(event, QKeyEvent)
                and (event.matches(QKeySequence.StandardKey.Undo)
                     or event.matches(QKeySequence.StandardKey.Redo))):
            event.ignore()
            return True
        return super().event(event)

    def tooltip_at(self, pos: QPoint) -> str:
        """The text's own tooltip under ``pos`` (a name's description, an unavailable
        page's notice) or else where the link there leads; and any bookmark's note."""
        parts = []
        where = self.char_at(pos)
        if where >= 0:
            cursor = QTextCursor(self.document())
            cursor.setPosition(where + 1)
            native = cursor.charFormat().toolTip()
            anchor = self.anchorAt(pos)
            if native:
                parts.append(native)
            elif anchor:
                parts.append(self.link_description(QUrl(anchor)))
        passage = self.passage_tooltip_at(pos)
        if passage:
            parts.append(passage)
        return "\n\n".join(part for part in parts if part)

    # -- links: where they lead ------------------------------------------------------------

    @Slot(QUrl)
    def _on_link_hovered(self, url: QUrl) -> None:
        self.link_hovered.emit(self.link_description(url) if not url.isEmpty() else "")

    # -- the reader's context menu ---------------------------------------------------------

    def add_context_entries(self, entries: ContextEntries) -> None:
        """Let a feature add its entries to the context menu (in the order added)."""
        self._context_entries.append(entries)

    def spot_at(self, pos: QPoint) -> ReadingSpot:
        """The selection and what is under ``pos`` (viewport coordinates)."""
        anchor = self.anchorAt(pos)
        position = self.cursorForPosition(pos).position()
        section = self.section_at(pos.y() + self.verticalScrollBar().value() + 1)
        if not anchor:  # over a figure's picture itself
            figure = self.figure_at(pos)
            anchor = links.figure_link(*figure) if figure is not None else ""
        selection = self.textCursor().selectedText()
        return ReadingSpot(selection, QUrl(anchor) if anchor else None, position, section)

    def context_menu(self, spot: ReadingSpot) -> QMenu:
        """The reader's context menu for ``spot``: Copy, then the features' entries."""
        essay = self._essay.id if self._essay is not None else None
        return context_menu(self, spot, self._context_entries, essay, self.figure_menu_entries)

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        spot = self.spot_at(self.viewport().mapFromGlobal(event.globalPos()))
        menu = self.context_menu(spot)
        menu.exec(event.globalPos())
        menu.deleteLater()

