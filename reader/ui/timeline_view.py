"""The Timeline view: the essay's dated events on a time axis, drawn with Qt.

The axis runs from August 1939 to the end of 1941 (the essay's period); events
after it (the protocol's discovery in 1945, 1989) sit past a break at the
right. A day is a dot, a month a short bar, a range a longer bar; labels are
stacked in lanes so that none overlaps another. Zoom with Ctrl+wheel, the
+/- buttons or the keys; zooming re-lays the scene so the text stays sharp.
Clicking an event emits ``event_activated(document, section)``, then
``passage_activated`` with the date in that section that dates it.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QEvent, QPointF, QRectF, QSize, Qt, Signal, Slot
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetricsF,
    QKeySequence,
    QMouseEvent,
    QPainter,
    QPalette,
    QPen,
    QShortcut,
    QShowEvent,
    QWheelEvent,
)
from PySide6.QtWidgets import (
    QGraphicsItem,
    QGraphicsRectItem,
    QGraphicsScene,
    QGraphicsSimpleTextItem,
    QGraphicsView,
    QHBoxLayout,
    QLabel,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from reader.core.content import Library
from reader.core.timeline import Event, dated_passage, inferred_text

AXIS_START = dt.date(1939, 8, 1)
AXIS_END = dt.date(1941, 12, 31)
DEFAULT_SCALE = 1.6  # pixels per day
MIN_SCALE, MAX_SCALE = 0.6, 12.0
LANE_HEIGHT = 22
LABEL_GAP = 10
LATER_SPACING = 150

_MONTH_ABBR = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_MARK = QColor("#9a2b1e")
_RANGE = QColor("#c9774f")


class _Canvas(QGraphicsView):
    """The scene's view: forwards clicks on events and Ctrl+wheel zooming."""

    clicked = Signal(int)
    zoom_requested = Signal(float)

    def __init__(self, scene: QGraphicsScene, parent: QWidget | None = None) -> None:
        super().__init__(scene, parent)
        #: Event number of each clickable item, by id() of its wrapper. (Not
        #: QGraphicsItem.data(): PySide 6.12 returns an unowned None for a missing
        #: key, which crashes the interpreter later.)
        self.numbers: dict[int, int] = {}
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        self.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self.setMouseTracking(True)

    def event_at(self, pos: QPointF) -> int:
        for item in self.items(pos.toPoint()):
            number = self.numbers.get(id(item))
            if number is not None:
                return number
        return -1

    def mousePressEvent(self, event: QMouseEvent) -> None:
        number = self.event_at(event.position())
        if event.button() == Qt.MouseButton.LeftButton and number >= 0:
            self.clicked.emit(number)
            event.accept()
            return
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        over = self.event_at(event.position()) >= 0
        self.viewport().setCursor(
            Qt.CursorShape.PointingHandCursor if over else Qt.CursorShape.ArrowCursor
        )
        super().mouseMoveEvent(event)

    def wheelEvent(self, event: QWheelEvent) -> None:
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            self.zoom_requested.emit(1.25 if event.angleDelta().y() > 0 else 0.8)
            event.accept()
            return
        super().wheelEvent(event)


class TimelineView(QWidget):
    """Events on a zoomable time axis; clicking one opens the passage that tells it."""

    event_activated = Signal(str, str)  # document, section
    #: After ``event_activated``: the date in that section's text that dates the event
    #: (document, section, the date as written, its occurrence among equal words).
    passage_activated = Signal(str, str, str, int)

    def __init__(
        self, events: list[Event], library: Library, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("timeline_view")
        self.events = list(events)
        self.library = library
        self.scale = DEFAULT_SCALE
        self.scene = QGraphicsScene(self)
        self.canvas = _Canvas(self.scene, self)
        self.canvas.setObjectName("timeline_canvas")
        self.canvas.setAccessibleName("Timeline of the essay's dated events")
        self.event_items: list[QGraphicsItem] = []

        self.zoom_in_button = QToolButton(self)
        self.zoom_in_button.setText("+")
        self.zoom_in_button.setToolTip("Zoom in (Ctrl++ or Ctrl+wheel)")
        self.zoom_out_button = QToolButton(self)
        self.zoom_out_button.setText("\u2212")
        self.zoom_out_button.setToolTip("Zoom out (Ctrl+-)")
        self.fit_button = QToolButton(self)
        self.fit_button.setText("Fit")
        self.fit_button.setToolTip("Fit August 1939 – December 1941 in the view (Ctrl+0)")
        hint = QLabel("Click an event to read its passage.", self)
        hint.setForegroundRole(QPalette.ColorRole.PlaceholderText)  # the theme's muted text
        bar = QHBoxLayout()
        bar.setContentsMargins(4, 2, 4, 0)
        bar.addWidget(self.zoom_out_button)
        bar.addWidget(self.zoom_in_button)
        bar.addWidget(self.fit_button)
        bar.addSpacing(12)
        bar.addWidget(hint)
        bar.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(self.canvas, 1)

        self.zoom_in_button.clicked.connect(self.zoom_in)
        self.zoom_out_button.clicked.connect(self.zoom_out)
        self.fit_button.clicked.connect(self.fit)
        self.canvas.clicked.connect(self.activate_event)
        self.canvas.zoom_requested.connect(self.zoom_by)
        for keys, slot in (("Ctrl++", self.zoom_in), ("Ctrl+=", self.zoom_in),
                           ("Ctrl+-", self.zoom_out), ("Ctrl+0", self.fit)):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(slot)
        self._laid_out = False  # the scene is drawn when first shown (not at start-up)

    # -- geometry ---------------------------------------------------------------------------

    def x_of(self, day: dt.date) -> float:
        """Scene x of a date on the main axis (clamped to its ends)."""
        day = min(max(day, AXIS_START), AXIS_END)
        return (day - AXIS_START).days * self.scale

    @property
    def axis_width(self) -> float:
        return (AXIS_END - AXIS_START).days * self.scale

    # -- zoom ----------------------------------------------------------------------------------

    @Slot()
    def zoom_in(self) -> None:
        self.zoom_by(1.25)

    @Slot()
    def zoom_out(self) -> None:
        self.zoom_by(0.8)

    @Slot(float)
    def zoom_by(self, factor: float) -> None:
        self.set_scale(self.scale * factor)

    @Slot()
    def fit(self) -> None:
        after = [e for e in self.events if e.start > AXIS_END]
        later = LATER_SPACING * (len(after) + 0.5) if after else 0.0
        if after:  # room for the last label, which runs to the right of its marker
            metrics = QFontMetricsF(self.font())
            later += metrics.horizontalAdvance(f"{_date_text(after[-1])}  {after[-1].label}")
        room = max(200.0, self.canvas.viewport().width() - 40 - later)
        self.set_scale(room / (AXIS_END - AXIS_START).days)

    def ensure_drawn(self) -> None:
        if not self._laid_out:
            self._layout_scene()

    def showEvent(self, event: QShowEvent) -> None:
        first = not self._laid_out
        self.ensure_drawn()
        super().showEvent(event)
        if first:  # labels stack upwards from the axis: start with the axis in view
            bar = self.canvas.verticalScrollBar()
            bar.setValue(bar.maximum())

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange and getattr(self, "_laid_out", False):
            self._laid_out = False  # the theme changed: draw again in its colours
            if self.isVisible():
                self.ensure_drawn()

    def sizeHint(self) -> QSize:
        return QSize(900, 340)

    def set_scale(self, pixels_per_day: float) -> None:
        self.ensure_drawn()
        centre = self.canvas.mapToScene(self.canvas.viewport().rect().center()).x()
        fraction = centre / max(1.0, self.axis_width)
        self.scale = min(MAX_SCALE, max(MIN_SCALE, pixels_per_day))
        self._layout_scene()
        self.canvas.centerOn(QPointF(fraction * self.axis_width, 0))  # (x, y) form leaks None

    # -- drawing -------------------------------------------------------------------------------

    def _layout_scene(self) -> None:
        self._laid_out = True
        self.scene.clear()
        self.event_items = []
        self._cards: list[QGraphicsItem] = []  # keeps wrappers (and their ids) alive
        self.canvas.numbers = {}
        font = QFont(self.font())
        small = QFont(font)
        small.setPointSizeF(max(7.0, font.pointSizeF() * 0.85))
        bold = QFont(font)
        bold.setBold(True)
        # The theme's colours: the canvas is drawn on the panel colour (dark in the dark theme).
        palette = self.canvas.palette()
        ink = palette.color(QPalette.ColorRole.Text)
        card = palette.color(QPalette.ColorRole.Base)
        card.setAlpha(235)
        grid = palette.color(QPalette.ColorRole.Mid)
        axis_pen = QPen(ink, 1.5)
        self.scene.addLine(0, 0, self.axis_width, 0, axis_pen)

        # Month ticks and labels; years in bold under January (and the first month).
        month = AXIS_START
        while month <= AXIS_END:
            x = self.x_of(month)
            major = month.month == 1 or month == AXIS_START
            self.scene.addLine(x, -4, x, 6 if major else 4, QPen(ink, 1.2 if major else 0.8))
            if self.scale * 30 >= 26 or month.month in (1, 4, 7, 10):
                label = self.scene.addSimpleText(_MONTH_ABBR[month.month - 1], small)
                label.setBrush(QBrush(ink))
                label.setPos(x + 2, 7)
            if major:
                year = self.scene.addSimpleText(str(month.year), bold)
                year.setBrush(QBrush(ink))
                year.setPos(x + 2, 23)
                self.scene.addLine(x, -2000, x, -6, QPen(grid, 0.6, Qt.PenStyle.DotLine))
            month = dt.date(month.year + month.month // 12, month.month % 12 + 1, 1)

        # Events after the axis: a break mark, then one slot each.
        later = [e for e in self.events if e.start > AXIS_END]
        end = self.axis_width
        if later:
            self.scene.addLine(end + 8, -6, end + 14, 6, axis_pen)
            self.scene.addLine(end + 14, -6, end + 20, 6, axis_pen)
            self.scene.addLine(end + 20, 0, end + 20 + LATER_SPACING * len(later), 0, axis_pen)

        lanes: list[float] = []  # right edge of the last label in each lane
        placed: list[tuple[Event, float, float]] = []
        later_slot = 0
        for event in self.events:
            if event.start > AXIS_END:
                later_slot += 1
                x0 = x1 = end + 20 + LATER_SPACING * later_slot - LATER_SPACING / 2
            else:
                x0, x1 = self.x_of(event.start), self.x_of(event.stop)
            placed.append((event, x0, x1))

        top = 0.0
        range_lanes: list[float] = []  # right edge of the last range bar in each band
        for number, (event, x0, x1) in enumerate(placed):
            title = event.label
            when = _date_text(event)
            # A date the edition inferred is starred, and the tooltip says what was inferred.
            mark = "*" if event.inferred else ""
            text = QGraphicsSimpleTextItem(f"{when}{mark}  {title}")
            text.setFont(font)
            width = text.boundingRect().width()
            lane = next((i for i, right in enumerate(lanes) if right + LABEL_GAP < x0), len(lanes))
            if lane == len(lanes):
                lanes.append(0.0)
            lanes[lane] = x0 + width
            y = -40 - lane * LANE_HEIGHT
            top = min(top, y)

            # The label on a card of the panel colour, clickable as a whole; leaders run
            # behind cards.
            group = QGraphicsRectItem(QRectF(x0 - 3, y - 1, width + 6, 19))
            group.setPen(QPen(Qt.PenStyle.NoPen))
            group.setBrush(QBrush(card))
            group.setZValue(1)
            section = self.library.section(event.document, event.section)
            where = section.title if section else event.section
            note = f" {inferred_text(event)}" if event.inferred else ""
            group.setToolTip(f"{when}{note}: {title}\n{where} — click to read")
            self.scene.addItem(group)
            text.setParentItem(group)
            self._cards.extend([group, text])
            self.canvas.numbers[id(group)] = self.canvas.numbers[id(text)] = number
            text.setPos(x0, y)
            text.setBrush(QBrush(ink))
            bar_y: float
            marker: QGraphicsItem
            if x1 - x0 >= 3 and event.precision == "range":
                band = next(
                    (i for i, right in enumerate(range_lanes) if right + 2 < x0), len(range_lanes)
                )
                if band == len(range_lanes):
                    range_lanes.append(0.0)
                range_lanes[band] = x1
                bar_y = -14 - band * 9
                marker = self.scene.addRect(QRectF(x0, bar_y, x1 - x0, 7),
                                            QPen(_RANGE.darker(130), 1), QBrush(_RANGE))
            elif x1 - x0 >= 3:  # a month: a short bar on the axis
                bar_y = -4
                marker = self.scene.addRect(QRectF(x0, -4, x1 - x0, 8),
                                            QPen(_MARK.darker(120), 1), QBrush(_MARK.lighter(130)))
            else:
                bar_y = -4.5
                marker = self.scene.addEllipse(QRectF(x0 - 4.5, -4.5, 9, 9),
                                               QPen(card, 1.5), QBrush(_MARK))
            self.canvas.numbers[id(marker)] = number
            marker.setZValue(2)
            leader = self.scene.addLine(x0, y + 17, x0, bar_y, QPen(grid, 1))
            leader.setZValue(-1)
            self.event_items.append(marker)
        right = end + (20 + LATER_SPACING * (len(later) + 0.5) if later else 0)
        right = max(right, max((r for r in lanes), default=0))
        self.scene.setSceneRect(QRectF(-20, top - 16, right + 60, -top + 60))

    # -- activation ----------------------------------------------------------------------------

    @Slot(int)
    def activate_event(self, number: int) -> None:
        if 0 <= number < len(self.events):
            event = self.events[number]
            self.event_activated.emit(event.document, event.section)
            section = self.library.section(event.document, event.section)
            found = dated_passage(event, section.text, section.title) if section else None
            if found is not None:
                self.passage_activated.emit(event.document, event.section, *found)

    def item_centre(self, number: int) -> QPointF:
        """Where event ``number``'s marker is, in viewport coordinates (for tests)."""
        self.ensure_drawn()
        marker = self.event_items[number]
        self.canvas.ensureVisible(marker, 20, 20)
        return QPointF(self.canvas.mapFromScene(marker.sceneBoundingRect().center()))


def _date_text(event: Event) -> str:
    def one(value: str) -> str:
        parts = value.split("-")
        if len(parts) == 3:
            return f"{int(parts[2])} {_MONTH_ABBR[int(parts[1]) - 1]} {parts[0]}"
        if len(parts) == 2:
            return f"{_MONTH_ABBR[int(parts[1]) - 1]} {parts[0]}"
        return parts[0]

    if event.end:
        start, stop = one(event.date), one(event.end)
        if start.endswith(stop[-4:]) and len(event.date) == len(event.end):
            return f"{start[:-5]} – {stop}"
        return f"{start} – {stop}"
    return one(event.date)
