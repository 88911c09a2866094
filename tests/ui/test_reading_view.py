"""The reading view's passages: where a selection is, and selecting text again."""

from __future__ import annotations

from PySide6.QtGui import QTextCursor

from reader.ui.main_window import MainWindow
from tests.conftest import ESSAY_ID


def test_reading_location_is_the_section_a_selection_starts_in(main_window: MainWindow) -> None:
    view = main_window.reading_view
    assert main_window.open_section(ESSAY_ID, "pact")
    assert view.reading_location() == (ESSAY_ID, "pact", "")  # nothing selected: the top
    found_text = view.document().find("Ploesti")  # further down than the section at the top
    assert not found_text.isNull()
    view.setTextCursor(found_text)
    where = view.reading_location()
    assert where is not None
    assert where[0] == ESSAY_ID and where[1] != "pact" and where[2] == "Ploesti"
    found = main_window.library.section(ESSAY_ID, where[1])
    assert found is not None and "Ploesti" in found.text


def test_select_text_finds_the_nth_occurrence_after_the_heading(
    main_window: MainWindow,
) -> None:
    view = main_window.reading_view
    assert main_window.open_section(ESSAY_ID, "pact")
    assert view.select_text("pact", "Soviet", 0)
    first = view.textCursor().selectionStart()
    assert view.select_text("pact", "Soviet", 1)
    second = view.textCursor().selectionStart()
    assert first < second and view.textCursor().selectedText() == "Soviet"
    assert not view.select_text("no-such-section", "Soviet")
    assert not view.select_text("pact", "qqqzzz")


def test_select_passage_only_in_the_shown_essay_and_section(main_window: MainWindow) -> None:
    view = main_window.reading_view
    assert main_window.open_section(ESSAY_ID, "pact")
    assert not view.select_passage("another-essay", "pact", "Soviet")
    assert not view.select_passage(ESSAY_ID, "pact", "")
    view.moveCursor(QTextCursor.MoveOperation.Start)
    assert view.select_passage(ESSAY_ID, "pact", "Soviet")
    heading = view.section_top("pact")
    block_top = view.document().documentLayout().blockBoundingRect(
        view.textCursor().block()).top()
    assert heading is not None and block_top >= heading - 1
