"""The figure viewer: one figure large, with its caption and credit as text.

SVG figures are drawn as vectors at every zoom (QGraphicsSvgItem); photographs
are scaled smoothly. A missing or unreadable image shows what went wrong in
place of the picture, and the caption stays.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, Qt, Signal, Slot
from PySide6.QtGui import (
    QAction,
    QContextMenuEvent,
    QImageReader,
    QKeySequence,
    QPainter,
    QPalette,
    QPixmap,
    QWheelEvent,
)
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtSvgWidgets import QGraphicsSvgItem
from PySide6.QtWidgets import (
    QDialog,
    QGraphicsItem,
    QGraphicsPixmapItem,
    QGraphicsScene,
    QGraphicsView,
    QLabel,
    QMenu,
    QSizePolicy,
    QStackedWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from reader.core.content import Figure
from reader.ui.dark_figures import dark_svg_renderer, dim_image
from reader.ui.icons import icon
from reader.ui.xref_menus import caption_parts

ZOOM_STEP = 1.25
MIN_SCALE, MAX_SCALE = 0.05, 32.0


class FigureView(QGraphicsView):
    """A pannable, zoomable view of one image."""

    zoom_changed = Signal(float)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setScene(QGraphicsScene(self))
        self.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
        self.setRenderHints(
            QPainter.RenderHint.Antialiasing | QPainter.RenderHint.SmoothPixmapTransform
        )
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.setResizeAnchor(QGraphicsView.ViewportAnchor.AnchorViewCenter)
        self.setAccessibleName("Figure image")
        self.item: QGraphicsItem | None = None
        self.fit_mode = True

    def set_item(self, item: QGraphicsItem) -> None:
        self.scene().clear()
        self.scene().addItem(item)
        self.item = item
        self.setSceneRect(item.boundingRect())

    def scale_factor(self) -> float:
        return self.transform().m11()

    def zoom_by(self, factor: float) -> None:
        current = self.scale_factor()
        factor = max(MIN_SCALE / current, min(MAX_SCALE / current, factor))
        self.fit_mode = False
        self.scale(factor, factor)
        self.zoom_changed.emit(self.scale_factor())

    def fit(self) -> None:
        if self.item is None:
            return
        self.fit_mode = True
        self.fitInView(self.item, Qt.AspectRatioMode.KeepAspectRatio)
        self.zoom_changed.emit(self.scale_factor())

    def actual_size(self) -> None:
        self.fit_mode = False
        self.resetTransform()
        self.zoom_changed.emit(1.0)

    def wheelEvent(self, event: QWheelEvent) -> None:
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            steps = event.angleDelta().y() / 120
            if steps:
                self.zoom_by(ZOOM_STEP**steps)
            event.accept()
            return
        super().wheelEvent(event)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        if self.fit_mode:
            self.fit()


class FigureViewer(QDialog):
    """A window showing one of an essay's figures; previous/next walk the list."""

    def __init__(
        self,
        figures: list[Figure],
        index: int = 0,
        parent: QWidget | None = None,
        menu_entries: list[Callable[[QMenu, str, str], None]] | None = None,
    ) -> None:
        super().__init__(parent)
        #: The reading view's figure menu entries, offered in this window's context menu.
        self.menu_entries = menu_entries if menu_entries is not None else []
        self.setObjectName("figure_viewer")
        self.setWindowFlag(Qt.WindowType.WindowMaximizeButtonHint, True)
        self.resize(960, 760)
        self._figures = figures
        self._index = index
        self._dark = False  # whether the figure shown was drawn for a dark theme

        self.view = FigureView(self)
        self.message = QLabel(self)
        self.message.setObjectName("figure_message")
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.view)
        self.stack.addWidget(self.message)

        self.caption = QLabel(self)
        self.caption.setObjectName("figure_caption")
        self.caption.setAccessibleName("Figure caption")
        self.credit = QLabel(self)
        self.credit.setObjectName("figure_credit")
        self.credit.setAccessibleName("Figure credit")
        for label in (self.caption, self.credit):
            label.setWordWrap(True)
            label.setTextInteractionFlags(
                Qt.TextInteractionFlag.TextSelectableByMouse
                | Qt.TextInteractionFlag.TextSelectableByKeyboard
            )
            label.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        # The reading view's caption style (content.css p.caption): one style everywhere.
        self.caption.setStyleSheet(
            'font-family: "Georgia", "DejaVu Serif", "Liberation Serif", serif;'
            " font-size: 10.5pt; padding: 8px 14px 2px 14px;"
        )
        self.credit.setStyleSheet("color: palette(placeholder-text); padding: 0 14px 10px 14px;")
        self.zoom_label = QLabel(self)

        self.toolbar = QToolBar(self)
        self._create_actions()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.toolbar)
        layout.addWidget(self.stack, 1)
        layout.addWidget(self.caption)
        layout.addWidget(self.credit)
        self.view.zoom_changed.connect(self._on_zoom_changed)
        self.show_figure(index)

    def _create_actions(self) -> None:
        def add(
            text: str, icon_name: str, shortcuts: list[QKeySequence], slot: Callable[[], object]
        ) -> QAction:
            action = QAction(icon(icon_name), text, self)
            action.setShortcuts(shortcuts)
            action.triggered.connect(slot)
            self.toolbar.addAction(action)
            self.addAction(action)
            return action

        self.previous_action = add(
            "Previous figure",
            "go-previous",
            [QKeySequence(Qt.Key.Key_PageUp), QKeySequence("Left")],
            self.show_previous,
        )
        self.next_action = add(
            "Next figure",
            "go-next",
            [QKeySequence(Qt.Key.Key_PageDown), QKeySequence("Right")],
            self.show_next,
        )
        self.toolbar.addSeparator()
        self.zoom_in_action = add(
            "Zoom in",
            "zoom-in",
            [QKeySequence(QKeySequence.StandardKey.ZoomIn), QKeySequence("+"), QKeySequence("=")],
            self.zoom_in,
        )
        self.zoom_out_action = add(
            "Zoom out",
            "zoom-out",
            [QKeySequence(QKeySequence.StandardKey.ZoomOut), QKeySequence("-")],
            self.zoom_out,
        )
        self.fit_action = add(
            "Fit to window",
            "zoom-fit-best",
            [QKeySequence("F"), QKeySequence("Ctrl+9")],
            self.view.fit,
        )
        self.actual_action = add(
            "Actual size",
            "zoom-original",
            [QKeySequence("1"), QKeySequence("Ctrl+0")],
            self.view.actual_size,
        )
        self.toolbar.addSeparator()
        self.toolbar.addWidget(self.zoom_label)

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        menu = QMenu(self)
        for entry in self.menu_entries:
            entry(menu, self.figure.document, self.figure.id)
        if not menu.isEmpty():
            menu.exec(event.globalPos())
        menu.deleteLater()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        # The theme changed (the application's palette): draw the figure for it again.
        if event.type() == QEvent.Type.PaletteChange and self._dark != self._is_dark():
            self._draw_again()

    def _draw_again(self) -> None:
        """The figure shown drawn anew, at the zoom it had."""
        view = self.view
        zoom, fit = view.transform(), view.fit_mode
        self.show_figure(self._index)
        if not fit and self.stack.currentWidget() is view:
            view.fit_mode = False
            view.setTransform(zoom)
            view.zoom_changed.emit(view.scale_factor())

    def _is_dark(self) -> bool:
        return self.palette().color(QPalette.ColorRole.Base).lightnessF() < 0.5

    def set_figures(self, figures: list[Figure], index: int) -> None:
        self._figures = figures
        self.show_figure(index)

    @property
    def figure(self) -> Figure:
        return self._figures[self._index]

    def show_figure(self, index: int) -> None:
        self._index = max(0, min(index, len(self._figures) - 1))
        figure = self.figure
        # The caption's own label names the figure (the image's alt text is the source's).
        self.setWindowTitle(caption_parts(figure)[0])
        self.caption.setText(figure.caption)
        self.credit.setText(figure.credit)
        self.credit.setVisible(bool(figure.credit))
        error = self._load_image(figure)
        if error:
            self.message.setText(error)
            self.stack.setCurrentWidget(self.message)
        else:
            self.stack.setCurrentWidget(self.view)
            self.view.fit()
        for action in (
            self.zoom_in_action,
            self.zoom_out_action,
            self.fit_action,
            self.actual_action,
        ):
            action.setEnabled(not error)
        self.previous_action.setEnabled(self._index > 0)
        self.next_action.setEnabled(self._index < len(self._figures) - 1)

    def _load_image(self, figure: Figure) -> str:
        """Put the image in the view; returns an error message, or '' on success."""
        path = figure.path
        if not path.is_file():
            return (
                f"<b>The image for Figure {figure.number} is missing.</b><br><br>"
                f"Expected file: {path}<br>The caption below is still available."
            )
        # On a dark theme the figure is drawn for it, as in the text (no white glare).
        dark = self._dark = self._is_dark()
        if path.suffix.lower() == ".svg":
            renderer = (dark_svg_renderer(figure) if dark else None) or QSvgRenderer(str(path))
            if not renderer.isValid():
                return (
                    f"<b>The image for Figure {figure.number} cannot be read.</b><br><br>"
                    f"{path.name} is not a valid SVG file."
                )
            item = QGraphicsSvgItem()
            item.setSharedRenderer(renderer)
            self._renderer = renderer  # the item does not own a shared renderer
            self.view.set_item(item)
            return ""
        reader = QImageReader(str(path))
        reader.setAutoTransform(True)
        image = reader.read()
        if image.isNull():
            return (
                f"<b>The image for Figure {figure.number} cannot be read.</b><br><br>"
                f"{path.name}: {reader.errorString()}"
            )
        pixmap_item = QGraphicsPixmapItem(QPixmap.fromImage(dim_image(image) if dark else image))
        pixmap_item.setTransformationMode(Qt.TransformationMode.SmoothTransformation)
        self.view.set_item(pixmap_item)
        return ""

    @Slot()
    def show_previous(self) -> None:
        if self._index > 0:
            self.show_figure(self._index - 1)

    @Slot()
    def show_next(self) -> None:
        if self._index < len(self._figures) - 1:
            self.show_figure(self._index + 1)

    @Slot()
    def zoom_in(self) -> None:
        self.view.zoom_by(ZOOM_STEP)

    @Slot()
    def zoom_out(self) -> None:
        self.view.zoom_by(1 / ZOOM_STEP)

    @Slot(float)
    def _on_zoom_changed(self, scale: float) -> None:
        self.zoom_label.setText(f"  {scale * 100:.0f}%")
