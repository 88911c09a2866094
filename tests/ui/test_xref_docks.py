"""Cross-references in the reading view: link preview tooltips and See also."""

from __future__ import annotations

from PySide6.QtCore import QUrl
from PySide6.QtGui import QTextCursor

from reader.ui.main_window import MainWindow
from tests.conftest import ESSAY_ID


def _format_at(window: MainWindow, text: str) -> tuple[str, str]:
    document = window.reading_view.document()
    cursor = document.find(text)
    assert not cursor.isNull(), text
    cursor.setPosition(cursor.selectionStart() + 1, QTextCursor.MoveMode.MoveAnchor)
    fmt = cursor.charFormat()
    return fmt.anchorHref(), fmt.toolTip()


def test_internal_link_shows_target_title_and_first_lines(main_window: MainWindow) -> None:
    href, tip = _format_at(main_window, "especially oil")
    assert href == f"reader://{ESSAY_ID}/raw-materials"
    assert "<b>Raw Materials</b>" in tip
    assert "A trade agreement was announced" in tip


def test_see_also_links_navigate(main_window: MainWindow) -> None:
    main_window.open_section(ESSAY_ID, "german-japanese-communications")
    href, _ = _format_at(main_window, "See also:")
    text = main_window.reading_view.toPlainText()
    assert text.count("See also:") == len(main_window.library.essays[0].sections)
    main_window.reading_view.anchorClicked.emit(QUrl(f"reader://{ESSAY_ID}/japanese-diplomacy"))
    assert main_window.reading_view.section_at_top() == "japanese-diplomacy"
    assert href == ""  # the label itself is not a link
