"""Contrast read from the pixels of the rendered window, in every theme.

Each check finds a piece of text on screen, grabs the widget that draws it and
compares its glyphs' ink with the background around them (WCAG's ratio, 4.5:1
for text). The figures are measured too: on a dark page they must not glare.
"""

from __future__ import annotations

from collections import Counter

import pytest
from PySide6.QtCore import QPointF, QRect
from PySide6.QtGui import QColor, QImage, QTextCursor, QTextDocument
from PySide6.QtWidgets import QApplication, QTextEdit, QWidget

from reader.core import themes
from reader.core.content import Library
from reader.images import render_figure_image
from reader.ui.dark_figures import dark_svg_image
from reader.ui.main_window import MainWindow
from tests.conftest import ESSAY_ID

AA = 4.5


def _rgb(image: QImage, x: int, y: int) -> tuple[int, int, int]:
    colour = QColor(image.pixel(x, y))
    return colour.red(), colour.green(), colour.blue()


def region_contrast(widget: QWidget, rect: QRect) -> float:
    """The contrast of the strongest ink in ``rect`` of ``widget`` against the most
    common colour there (the background the text is drawn on)."""
    QApplication.processEvents()
    image = widget.grab().toImage()
    ratio = image.width() / max(1, widget.width())
    scaled = QRect(round(rect.x() * ratio), round(rect.y() * ratio),
                   round(rect.width() * ratio), round(rect.height() * ratio))
    scaled = scaled.intersected(image.rect())
    assert scaled.width() > 4 and scaled.height() > 4, f"text not on screen: {rect}"
    pixels = [_rgb(image, x, y) for y in range(scaled.top(), scaled.bottom() + 1)
              for x in range(scaled.left(), scaled.right() + 1)]
    background = Counter(pixels).most_common(1)[0][0]
    return max(themes.contrast_ratio(p, background) for p in pixels)


def text_rect(view: QTextEdit, text: str, after: str = "") -> QRect:
    """Where ``text`` (its first line) is drawn in ``view``'s viewport, scrolled into view."""
    document = view.document()
    start = document.find(after) if after else QTextCursor(document)
    assert not start.isNull(), after
    found = document.find(text, start, QTextDocument.FindFlag.FindCaseSensitively)
    assert not found.isNull(), text
    first = QTextCursor(document)
    first.setPosition(found.selectionStart())
    view.setTextCursor(first)  # no selection: nothing drawn over the text
    bar = view.verticalScrollBar()
    bar.setValue(bar.value() + view.cursorRect(first).top() - view.viewport().height() // 3)
    QApplication.processEvents()
    left = view.cursorRect(first)
    end = QTextCursor(document)
    end.setPosition(found.selectionEnd())
    right = view.cursorRect(end)
    width = right.left() - left.left() if right.top() == left.top() else 60
    return QRect(left.left() + 1, left.top(), max(8, width - 2), left.height())


# (what it is, the text, a text before it to start from)
READING_SAMPLES = [
    ("body text", "The Japanese saw the Soviet Union", ""),
    ("kicker", "war and social upheaval", ""),
    ("caption", "The Soviet Union would provide", "Figure 1."),
    ("credit", "Source: Imperial War Museum", ""),
    ("edition's link", "NAZI-Soviet Non-Aggression Pact", "Figure 1."),
    ("editorial table heading", "Commodity", "Editorial table"),
    ("editorial table cell", "Grain for cattle", "Editorial table"),
    ("editorial table note", "smaller quantities of platinum", "Scrap iron and pig"),
    ("see also", "See also", ""),
    ("heading", "Raw Materials", "Differences"),
]


@pytest.fixture(params=themes.THEME_NAMES)
def themed(request: pytest.FixtureRequest, main_window: MainWindow) -> MainWindow:
    main_window.view_settings.set_theme(request.param)
    QApplication.processEvents()
    return main_window


def test_every_sampled_text_reaches_aa_contrast_in_every_theme(themed: MainWindow) -> None:
    view = themed.reading_view
    low = {}
    for what, text, after in READING_SAMPLES:
        ratio = region_contrast(view.viewport(), text_rect(view, text, after))
        if ratio < AA:
            low[what] = round(ratio, 2)
    assert low == {}, themed.view_settings.theme.name


def test_search_suggestion_reaches_aa_contrast(qtbot, themed: MainWindow) -> None:  # type: ignore[no-untyped-def]
    panel = themed.search.panel
    panel.prepare()
    qtbot.waitUntil(lambda: panel.is_ready, timeout=20_000)
    themed.search.dock.show()
    qtbot.keyClicks(panel.field, "Ribentrop")
    qtbot.waitUntil(lambda: panel.results is not None and bool(panel.results.suggestion))
    status = panel.status
    assert "Did you mean" in status.text()
    QApplication.processEvents()
    # The last line of the label holds "Did you mean <link>?": measure the link.
    metrics = status.fontMetrics()
    margin = status.contentsRect().left()
    left = margin + metrics.horizontalAdvance("Did you mean ")
    width = metrics.horizontalAdvance(panel.results.suggestion)
    line = metrics.lineSpacing()
    rect = QRect(left + 1, status.contentsRect().bottom() - line, width - 2, line)
    assert region_contrast(status, rect) >= AA


def test_index_details_reach_aa_contrast(qtbot, themed: MainWindow) -> None:  # type: ignore[no-untyped-def]
    xref = themed.xref
    assert xref.show_entry("ploesti")
    details = xref.index_panel.details
    qtbot.waitUntil(lambda: "mention" in details.toPlainText())
    low = {}
    for what, text, after in (("name", "Ploesti", ""), ("kind", "place", ""),
                              ("mention count", "mention", "Differences"),
                              ("mention", "Ploesti", "Differences")):
        ratio = region_contrast(details.viewport(), text_rect(details, text, after))
        if ratio < AA:
            low[what] = round(ratio, 2)
    assert low == {}


def _figure_luminance(view: QTextEdit) -> float:
    """The mean relative luminance of Figure 1 as drawn in the view."""
    rect = text_rect(view, "\ufffc", "")  # the image is an object character
    rect = QRect(rect.left() + 20, rect.top() + 20, 200, max(20, rect.height() - 40))
    image = view.viewport().grab().toImage()
    values = [themes.relative_luminance(_rgb(image, x, y))
              for y in range(rect.top(), min(rect.bottom(), image.height() - 1), 3)
              for x in range(rect.left(), min(rect.right(), image.width() - 1), 3)]
    return sum(values) / len(values)


def test_figures_are_dimmed_on_a_dark_page(main_window: MainWindow) -> None:
    view = main_window.reading_view
    main_window.view_settings.set_theme("light")
    light = _figure_luminance(view)
    main_window.view_settings.set_theme("dark")
    dark = _figure_luminance(view)
    assert light > 0.6  # the plate is pale on a light page
    assert dark < 0.2 < light  # and dark on a dark one, not a white block
    # Its lettering is still readable on it.
    rect = text_rect(view, "\ufffc", "")
    assert region_contrast(view.viewport(), QRect(rect.left() + 40, rect.top() + 120,
                                                  rect.width() - 80, 60)) >= AA


def test_no_hard_coded_window_colour_is_needed_for_the_highlights() -> None:
    from reader.ui.reading_highlights import CURRENT_HIT_COLOR, HIT_COLOR

    # Search highlights draw black text on their own colour in every theme.
    for colour in (HIT_COLOR, CURRENT_HIT_COLOR):
        rgb = (colour.red(), colour.green(), colour.blue())
        assert themes.contrast_ratio(rgb, (0, 0, 0)) >= AA




@pytest.mark.parametrize("dark", [False, True])
def test_figure_lettering_is_readable_on_either_page(
    qapp: QApplication, library: Library, dark: bool
) -> None:
    """Each figure drawn for the page: its lettering against the figure's own ground."""
    essay = library.essay(ESSAY_ID)
    assert essay is not None
    # Where each figure has lettering only: the plate's title, the chart's commodity names.
    regions = {"figure-1": (0.25, 0.35, 0.5, 0.1), "figure-2": (0.03, 0.25, 0.24, 0.5)}
    for figure in essay.figures:
        image = (dark_svg_image(figure, 640, 1.0) if dark
                 else render_figure_image(figure, 640, 1.0))
        assert image is not None
        x, y, w, h = regions[figure.id]
        rect = QRect(round(image.width() * x), round(image.height() * y),
                     round(image.width() * w), round(image.height() * h))
        pixels = [_rgb(image, x, y) for y in range(rect.top(), rect.bottom())
                  for x in range(rect.left(), rect.right())]
        ground = Counter(pixels).most_common(1)[0][0]
        assert (themes.relative_luminance(ground) < 0.2) == dark, figure.id
        assert max(themes.contrast_ratio(p, ground) for p in pixels) >= AA, figure.id


def test_timeline_labels_reach_aa_contrast(qtbot, themed: MainWindow) -> None:  # type: ignore[no-untyped-def]
    xref = themed.xref
    xref.timeline_dock.show()
    timeline = xref.timeline_view
    qtbot.waitUntil(timeline.isVisible)
    number = next(i for i, e in enumerate(timeline.events) if e.date == "1939-08-23")
    marker = timeline.event_items[number]
    card = next(item for item in timeline.scene.items()
                if timeline.canvas.numbers.get(id(item)) == number and item is not marker
                and item.childItems())
    timeline.canvas.centerOn(card)
    QApplication.processEvents()
    rect = timeline.canvas.mapFromScene(card.sceneBoundingRect()).boundingRect()
    viewport = timeline.canvas.viewport()
    assert region_contrast(viewport, rect.adjusted(4, 2, -4, -2)) >= AA
    # The month names on the axis, below the axis line.
    where = QPointF(timeline.x_of(timeline.events[number].start), 8)
    timeline.canvas.centerOn(where)
    QApplication.processEvents()
    axis = timeline.canvas.mapFromScene(where)
    assert region_contrast(viewport, QRect(axis.x() - 40, axis.y(), 80, 14)) >= AA
