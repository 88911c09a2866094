"""Figures in the window: Ctrl+I opens the figure at the reading place, the viewer is
titled by the caption's label, one caption style, readable credits, a clean menu;
and headings that grow with the text size."""

from __future__ import annotations

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QFontMetricsF, QPalette, QTextBlock
from PySide6.QtWidgets import QApplication, QWidget

from reader.core.themes import relative_luminance
from reader.ui.main_window import MainWindow
from reader.ui.passage_marks import find_heading
from reader.ui.reading_view import ReadingView
from tests.ui.test_contrast import AA, region_contrast
from tests.ui.test_main_window import choose_from_menu


def block_with(view: ReadingView, text: str) -> QTextBlock:
    found = view.document().find(text)
    assert not found.isNull(), text
    return found.block()


def font_of(block: QTextBlock, offset: int = 0) -> tuple[str, float]:
    iterator = block.begin()
    for _ in range(offset):
        iterator += 1
    font = iterator.fragment().charFormat().font()
    return font.family(), font.pointSizeF()


def test_ctrl_i_opens_the_figure_nearest_the_reading_place(qtbot, main_window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    view = main_window.reading_view
    main_window.open_section(view.essay.id, "raw-materials")  # type: ignore[union-attr]
    view.setFocus()
    # Scroll with the keyboard to the chart that ends the section.
    chart = view.document().find("Figure 2 (editorial)")
    while view.cursorRect(chart).top() > view.viewport().height() // 2:
        before = view.verticalScrollBar().value()
        qtbot.keyClick(view, Qt.Key.Key_PageDown)
        if view.verticalScrollBar().value() == before:
            break
    qtbot.keyClick(view, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier)
    viewer = main_window.figure_viewer
    assert viewer is not None and viewer.isVisible()
    assert viewer.figure.id == "figure-2"
    assert viewer.windowTitle() == "Figure 2 (editorial)"
    viewer.close()
    # Back at the top, Ctrl+I opens Figure 1, titled by its label, not its alt text.
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_Home, Qt.KeyboardModifier.ControlModifier)
    view.verticalScrollBar().setValue(0)
    qtbot.keyClick(view, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier)
    assert viewer.figure.id == "figure-1"
    assert viewer.windowTitle() == "Figure 1"


def test_one_caption_style_in_the_text_and_the_viewer(qtbot, main_window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    view = main_window.reading_view
    first = font_of(block_with(view, "Figure 1.--"))
    second = font_of(block_with(view, "Figure 2 (editorial).--"))
    assert first == second
    body_size = font_of(block_with(view, "The Japanese saw the Soviet Union"))[1]
    # The credit lines and the editorial table are readable: >= 0.85 of the body.
    for text in ("Source: Reference Reader edition", "Grain for cattle", "Commodity"):
        assert font_of(block_with(view, text))[1] >= 0.85 * body_size, text
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier)
    viewer = main_window.figure_viewer
    assert viewer is not None
    caption = viewer.caption.font()
    assert caption.pointSizeF() == first[1]
    assert QFontMetricsF(caption).height() == QFontMetricsF(
        block_with(view, "Figure 1.--").begin().fragment().charFormat().font()).height()


def test_figures_menu_names_each_figure_once(main_window: MainWindow) -> None:
    menu = main_window.xref.figures_menu
    labels = [a.text() for a in menu.actions() if a.data()]
    assert labels[0].startswith("Figure 1. The Soviet Union")
    assert labels[1].startswith("Figure 2 (editorial). A chart")
    assert all(label.count("Figure") == 1 for label in labels)


def test_headings_grow_with_the_text_size(qtbot, main_window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    view = main_window.reading_view
    view.setFocus()
    for _ in range(12):  # to the largest step, 240 %
        qtbot.keyClick(view, Qt.Key.Key_Equal, Qt.KeyboardModifier.ControlModifier)
    QApplication.processEvents()
    assert main_window.view_settings.text_scale == 2.4
    heading = find_heading(view.document(), "raw-materials")
    assert heading is not None and heading.blockFormat().headingLevel() == 2
    body = block_with(view, "The Japanese saw the Soviet Union")
    heading_size, body_size = font_of(heading)[1], font_of(body)[1]
    assert heading_size > body_size * 1.1
    # As drawn: the heading's letters are taller than the body's.
    def height(block: QTextBlock) -> float:
        return QFontMetricsF(block.begin().fragment().charFormat().font()).capHeight()

    assert height(heading) > height(body) * 1.1
    qtbot.keyClick(view, Qt.Key.Key_0, Qt.KeyboardModifier.ControlModifier)
    smaller = find_heading(view.document(), "raw-materials")
    assert smaller is not None and font_of(smaller)[1] < heading_size




def mean_luminance(widget: QWidget) -> float:
    """The mean luminance of the middle of ``widget``, as drawn."""
    QApplication.processEvents()
    image = widget.grab().toImage()
    values = []
    for y in range(image.height() // 4, image.height() * 3 // 4, 5):
        for x in range(image.width() // 4, image.width() * 3 // 4, 5):
            colour = image.pixelColor(x, y)
            values.append(relative_luminance((colour.red(), colour.green(), colour.blue())))
    return sum(values) / len(values)


def test_the_viewer_draws_the_figure_for_a_dark_theme(qtbot, main_window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    def viewer_luminance() -> float:
        viewer = main_window.figure_viewer
        assert viewer is not None
        return mean_luminance(viewer.view.viewport())

    view = main_window.reading_view
    main_window.view_settings.set_theme("light")
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier)
    light = viewer_luminance()
    main_window.figure_viewer.close()  # type: ignore[union-attr]
    main_window.view_settings.set_theme("dark")
    main_window.activateWindow()
    qtbot.waitUntil(main_window.isActiveWindow)
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier)
    assert main_window.figure_viewer.isVisible()  # type: ignore[union-attr]
    assert viewer_luminance() < 0.2 < light


def test_the_open_viewer_follows_a_change_of_theme(qtbot, main_window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    view = main_window.reading_view
    main_window.view_settings.set_theme("light")
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier)
    viewer = main_window.figure_viewer
    assert viewer is not None and viewer.isVisible()
    light = mean_luminance(viewer.view.viewport())
    qtbot.waitUntil(viewer.isActiveWindow)
    qtbot.keyClick(viewer.view, Qt.Key.Key_Plus)  # zoomed in a step
    zoom = viewer.view.scale_factor()
    try:
        # With the viewer open, View › Theme › Dark in the main window.
        choose_from_menu(qtbot, main_window.menus.view, "Theme", "Dark")
        assert main_window.view_settings.theme_setting == "dark"
        assert viewer.isVisible()
        assert mean_luminance(viewer.view.viewport()) < 0.2 < light  # the figure drawn for it
        assert viewer.view.scale_factor() == zoom  # at the zoom it had
        caption = viewer.caption
        assert mean_luminance(caption) < 0.2  # the caption's background is the dark page's
        line = QRect(0, 0, caption.width(), caption.fontMetrics().height() + 10)
        assert region_contrast(caption, line) >= AA  # and its text is readable on it
    finally:
        QApplication.setPalette(QPalette())
