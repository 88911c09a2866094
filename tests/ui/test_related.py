"""Related pages and links: pages the reader cannot show are marked, not dead links; Go ›
Related Pages lists them disabled; a web link is marked as leaving the reader; hovering a
link says where it leads (tooltip and status bar)."""

from __future__ import annotations

import re

from PySide6.QtCore import QEvent, QPoint, Qt, QUrl
from PySide6.QtGui import QHelpEvent, QTextCursor
from PySide6.QtWidgets import QApplication, QMenu, QToolTip

from reader.core.related import EXTERNAL_MARK, related_target
from reader.ui.main_window import MainWindow
from reader.ui.reading_view import ReadingView
from tests.conftest import ESSAY_ID
from tests.ui.test_bookmark_dialog import when_shown
from tests.ui.test_bookmarks_panel import activate


def point_at(view: ReadingView, position: int) -> QPoint:
    cursor = QTextCursor(view.document())
    cursor.setPosition(position)
    top = view.document().documentLayout().blockBoundingRect(cursor.block()).top()
    view.verticalScrollBar().setValue(round(top) - 80)
    rect = view.cursorRect(cursor)
    return QPoint(rect.left() + 3, rect.center().y())


def tooltip_at(qtbot, view: ReadingView, pos: QPoint) -> str:  # type: ignore[no-untyped-def]
    QToolTip.hideText()
    qtbot.waitUntil(lambda: not QToolTip.isVisible())
    qtbot.mouseMove(view.viewport(), pos)
    QApplication.sendEvent(view.viewport(), QHelpEvent(
        QEvent.Type.ToolTip, pos, view.viewport().mapToGlobal(pos)))
    return QToolTip.text() if QToolTip.isVisible() else ""


def test_unavailable_related_pages_are_not_links_and_say_so(qtbot, main_window: MainWindow
                                                            ) -> None:
    view = main_window.reading_view
    essay = main_window.current_essay
    assert essay is not None
    html = view.toHtml()
    assert "related://" not in html  # no dead links left
    page = next(p for p in essay.related if related_target(essay, p) is None)
    found = view.document().find(page.title)
    assert not found.isNull()
    pos = point_at(view, found.selectionStart() + 1)
    assert view.anchorAt(pos) == ""  # plain text, not a link
    # Clicking it opens nothing (no dialog); hovering says it is not in the library.
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=pos)
    assert QApplication.activeModalWidget() is None
    assert "Not in your library" in tooltip_at(qtbot, view, pos)


def test_the_web_link_is_marked_and_hovering_shows_its_address(
    qtbot, main_window: MainWindow
) -> None:
    view = main_window.reading_view
    essay = main_window.current_essay
    assert essay is not None
    page = next(p for p in essay.related if related_target(essay, p))
    assert page.url
    found = view.document().find(page.title)
    assert not found.isNull()
    after = view.document().toPlainText()[found.selectionEnd():found.selectionEnd() + 2]
    assert after.strip() == EXTERNAL_MARK  # marked as leaving the reader
    pos = point_at(view, found.selectionStart() + 1)
    assert view.anchorAt(pos) == page.url
    messages: list[str] = []
    view.link_hovered.connect(messages.append)
    qtbot.mouseMove(view.viewport(), pos + QPoint(1, 0))
    qtbot.waitUntil(lambda: any(page.url in m for m in messages))
    assert page.url in main_window.statusBar().currentMessage()
    assert page.url in tooltip_at(qtbot, view, pos)


def test_hovering_a_section_link_says_where_it_goes(qtbot, main_window: MainWindow) -> None:
    view = main_window.reading_view
    match = re.search(r'href="reader://[^"]+"', view.toHtml())
    assert match is not None
    cursor = QTextCursor(view.document())
    block = view.document().begin()
    position, preview, href = -1, "", ""
    while block.isValid() and position < 0:
        iterator = block.begin()
        while not iterator.atEnd():
            fragment = iterator.fragment()
            if fragment.charFormat().anchorHref().startswith("reader://"):
                position, preview = fragment.position(), fragment.charFormat().toolTip()
                href = fragment.charFormat().anchorHref()
                break
            iterator += 1
        block = block.next()
    assert position >= 0
    cursor.setPosition(position)
    pos = point_at(view, position + 1)
    messages: list[str] = []
    view.link_hovered.connect(messages.append)
    # The link's own preview when it has one, else where it leads; the status bar too.
    url = QUrl(href)
    target = main_window.library.section(url.host(), url.path().strip("/"))
    assert target is not None
    leads = f"Go to section ‘{target.title}’"
    assert tooltip_at(qtbot, view, pos) == (preview or leads)
    qtbot.waitUntil(lambda: leads in messages)
    assert main_window.statusBar().currentMessage() == leads


def test_related_pages_are_under_go_with_unavailable_ones_disabled(
    qtbot, main_window: MainWindow
) -> None:
    bar = main_window.menuBar()
    top_level = [a.text().replace("&", "") for a in bar.actions()]
    assert "Related Pages" not in top_level
    go = next(a.menu() for a in bar.actions() if a.text().replace("&", "") == "Go")
    assert isinstance(go, QMenu)
    related = next(a.menu() for a in go.actions() if a.menu() is not None
                   and a.text().replace("&", "") == "Related Pages")
    pages = [a for a in related.actions() if a.data()]
    assert len(pages) >= 25
    essay = main_window.library.essay(ESSAY_ID)
    assert essay is not None
    for action in pages:
        page = essay.related_page(action.data()[1])
        assert page is not None
        assert action.isEnabled() == (related_target(essay, page) is not None)
    # Through the keyboard: Alt+G opens Go; the submenu is reached with keys.
    activate(qtbot, main_window)
    opened: list[str] = []
    when_shown(QMenu, lambda menu: (opened.append(menu.title()), menu.close()), popup=True)
    qtbot.keyClick(main_window, Qt.Key.Key_G, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: bool(opened))
    assert opened[0].replace("&", "") == "Go"
