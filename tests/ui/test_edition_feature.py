"""The edition's layer in the window: its links shown or hidden, About This Edition."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMenu, QTextBrowser

from reader.ui.main_window import MainWindow
from tests.ui.conftest import WindowFactory


def open_menu(qtbot, window: MainWindow, letter: Qt.Key) -> QMenu:
    """Alt+letter in the reading view, as a reader opens a menu."""
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    window.reading_view.setFocus()
    QTest.keyClick(window.reading_view, letter, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: isinstance(QApplication.activePopupWidget(), QMenu), timeout=1500)
    menu = QApplication.activePopupWidget()
    assert isinstance(menu, QMenu)
    return menu


def click_entry(qtbot, menu: QMenu, name: str) -> None:
    action = next(a for a in menu.actions() if a.objectName() == name)
    QTest.mouseClick(menu, Qt.MouseButton.LeftButton, pos=menu.actionGeometry(action).center())
    qtbot.waitUntil(lambda: QApplication.activePopupWidget() is None)


def edition_links(window: MainWindow) -> int:
    """Links between sections in the text (the edition's links are all of that kind)."""
    found = 0
    block = window.reading_view.document().begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            fmt = it.fragment().charFormat()
            if fmt.isAnchor() and fmt.anchorHref().startswith("reader://"):
                found += 1
            it += 1
        block = block.next()
    return found


def test_view_menu_hides_and_shows_the_editions_links(
    qtbot, make_window: WindowFactory
) -> None:
    window = make_window()
    shown = edition_links(window)
    click_entry(qtbot, open_menu(qtbot, window, Qt.Key.Key_V), "editorial_links_action")
    hidden = edition_links(window)
    assert hidden < shown - 10  # the edition added 17 links to the author's sentences
    assert window.view_settings.editorial_links is False
    # The choice is remembered: a new window over the same settings starts without them.
    again = make_window()
    assert edition_links(again) == hidden
    click_entry(qtbot, open_menu(qtbot, again, Qt.Key.Key_V), "editorial_links_action")
    assert edition_links(again) == shown


def test_about_this_edition_lists_the_policy_and_closes_with_esc(
    qtbot, main_window: MainWindow
) -> None:
    click_entry(qtbot, open_menu(qtbot, main_window, Qt.Key.Key_H), "about_edition_action")
    shown = [w for w in QApplication.topLevelWidgets() if w.objectName() == "about_edition_dialog"]
    assert len(shown) == 1 and shown[0].isVisible()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is shown[0])
    text = shown[0].findChild(QTextBrowser, "about_edition_text")
    assert text is not None
    page = text.toPlainText()
    assert "probable" in page.lower() and "Brest" in page
    QTest.keyClick(text, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not shown[0].isVisible())
