"""Where jumps land: the target in the upper third of the view, marked, with context
above it; driven by clicks and keys as a reader would."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QApplication, QTextEdit

from reader.ui.main_window import MainWindow


def height_share(view: QTextEdit, cursor: QTextCursor) -> float:
    """How far down the viewport ``cursor`` is drawn (0 top, 1 bottom)."""
    QApplication.processEvents()
    return view.cursorRect(cursor).top() / view.viewport().height()


def click_text(qtbot, browser: QTextEdit, text: str, after: str = "") -> None:  # type: ignore[no-untyped-def]
    """Click on ``text`` in a text browser (its first occurrence after ``after``)."""
    document = browser.document()
    start = document.find(after) if after else QTextCursor(document)
    found = document.find(text, start)
    assert not found.isNull(), text
    middle = QTextCursor(document)
    middle.setPosition((found.selectionStart() + found.selectionEnd()) // 2)
    browser.setTextCursor(middle)
    browser.ensureCursorVisible()
    point = browser.cursorRect(middle).center()
    qtbot.mouseClick(browser.viewport(), Qt.MouseButton.LeftButton, pos=point)


def test_an_index_mention_lands_in_the_upper_third_selected(qtbot, main_window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    xref = main_window.xref
    xref.index_dock.show()
    assert xref.show_entry("ploesti")
    details = xref.index_panel.details
    view = main_window.reading_view
    click_text(qtbot, details, "Ploesti", "mention")
    qtbot.waitUntil(lambda: view.textCursor().hasSelection())
    cursor = view.textCursor()
    assert cursor.selectedText().startswith("Ploesti")  # the mention, as written
    assert 0.1 <= height_share(view, cursor) <= 0.4
    # The reader is in the mention's section, even with its heading in view above it.
    assert view.section_at_top() == xref.index_panel.mentions_shown()[0].section


def test_f3_puts_each_hit_in_the_upper_third(qtbot, main_window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    panel = main_window.search.panel
    panel.prepare()
    qtbot.waitUntil(lambda: panel.is_ready, timeout=20_000)
    main_window.search.dock.show()
    panel.field.setFocus()
    qtbot.keyClicks(panel.field, "Reichsmarks")
    qtbot.waitUntil(lambda: panel.results is not None and bool(panel.results.hits))
    qtbot.keyClick(panel.field, Qt.Key.Key_Return)
    view = main_window.reading_view
    highlights = main_window.search.highlights
    assert highlights.count >= 5
    view.setFocus()
    for _ in range(3):
        qtbot.keyClick(view, Qt.Key.Key_F3)
        current = highlights.selections()[highlights.current]
        # The current hit is marked in its own colour, and sits in the upper third.
        assert current.format.background().color() != highlights.selections()[
            (highlights.current + 1) % highlights.count].format.background().color()
        assert 0.1 <= height_share(view, view.textCursor()) <= 0.4


def test_a_timeline_event_opens_at_its_dated_sentence(qtbot, main_window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    xref = main_window.xref
    xref.timeline_dock.show()
    timeline = xref.timeline_view
    qtbot.waitUntil(timeline.isVisible)
    view = main_window.reading_view
    for date, written in (("1940-02-11", "February 11, 1940"), ("1941-11-30", "November 30, 1941")):
        number = next(i for i, e in enumerate(timeline.events) if e.date == date)
        qtbot.mouseClick(timeline.canvas.viewport(), Qt.MouseButton.LeftButton,
                         pos=timeline.item_centre(number).toPoint())
        cursor = view.textCursor()
        assert cursor.selectedText() == written  # the date is marked
        assert 0.1 <= height_share(view, cursor) <= 0.4
        # The sentence carrying it is in view, with context above it.
        block_top = view.document().documentLayout().blockBoundingRect(cursor.block()).top()
        assert block_top < view.verticalScrollBar().value() + view.viewport().height()
