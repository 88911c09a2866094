"""The reading view's context menu, opened as a reader does (a context-menu event on the
text, over a selection, a figure or plain text) and driven by keys (Down, Enter)."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtGui import QContextMenuEvent, QGuiApplication, QTextCursor, QTextImageFormat
from PySide6.QtWidgets import QApplication, QMenu

from reader.ui.main_window import MainWindow
from reader.ui.reading_view import ReadingView
from tests.conftest import ESSAY_ID
from tests.ui.conftest import WindowFactory
from tests.ui.test_bookmarks_panel import activate, select_by_mouse


def entries(menu: QMenu) -> list[str]:
    return [a.text().replace("&", "") for a in menu.actions() if not a.isSeparator()]


def context_menu(qtbot, view: ReadingView, pos: QPoint,  # type: ignore[no-untyped-def]
                 choose: str | None) -> list[str]:
    """Right-click at ``pos`` (viewport coordinates); in the menu that opens, press Down
    until ``choose`` is the active entry, then Enter (Esc if None). Returns its entries."""
    seen: list[str] = []

    def act(left: int) -> None:
        menu = QApplication.activePopupWidget()
        if not isinstance(menu, QMenu):
            if left:
                QTimer.singleShot(10, lambda: act(left - 1))
            return
        seen.extend(entries(menu))
        if choose is None:
            qtbot.keyClick(menu, Qt.Key.Key_Escape)
            return
        for _ in range(len(menu.actions()) + 1):
            qtbot.keyClick(menu, Qt.Key.Key_Down)
            active = menu.activeAction()
            if active is not None and active.text().replace("&", "") == choose:
                qtbot.keyClick(menu, Qt.Key.Key_Return)
                return
        qtbot.keyClick(menu, Qt.Key.Key_Escape)

    QTimer.singleShot(0, lambda: act(300))
    event = QContextMenuEvent(QContextMenuEvent.Reason.Mouse, pos,
                              view.viewport().mapToGlobal(pos))
    QApplication.sendEvent(view.viewport(), event)
    assert seen, "no context menu opened"
    return seen


def over(view: ReadingView, position: int, dx: int = 3) -> QPoint:
    cursor = QTextCursor(view.document())
    cursor.setPosition(position)
    rect = view.cursorRect(cursor)
    return QPoint(rect.left() + dx, rect.center().y())


def select_word(qtbot, window: MainWindow, word: str) -> int:  # type: ignore[no-untyped-def]
    """Select the first ``word`` of the essay with the mouse; returns where it starts."""
    view = window.reading_view
    found = view.document().find(word)
    assert not found.isNull()
    selected = select_by_mouse(qtbot, view, found.selectionStart(), found.selectionEnd())
    assert selected == word
    return found.selectionStart()


def choose_on_selection(qtbot, window: MainWindow, word: str,  # type: ignore[no-untyped-def]
                        choose: str | None) -> list[str]:
    start = select_word(qtbot, window, word)
    view = window.reading_view
    return context_menu(qtbot, view, over(view, start + 2), choose)


def test_the_menu_over_a_selection_offers_the_readers_entries(
    qtbot, make_window: WindowFactory
) -> None:
    window = make_window(section="raw-materials")
    shown = choose_on_selection(qtbot, window, "Ploesti", "Copy")
    for wanted in ("Copy", "Search for \u201cPloesti\u201d", "Bookmark Passage",
                   "Look Up in Index", "Copy Citation", "Copy Link to Section"):
        assert wanted in shown
    assert QGuiApplication.clipboard().text().startswith("Ploesti")


def test_bookmark_passage_from_the_menu(qtbot, make_window: WindowFactory) -> None:
    window = make_window(section="raw-materials")
    choose_on_selection(qtbot, window, "Ploesti", "Bookmark Passage")
    (mark,) = window.bookmark_store.bookmarks()
    assert (mark.quote, mark.name) == ("Ploesti", "Ploesti")
    assert window.library.section(ESSAY_ID, mark.section) is not None
    assert "Ploesti" in window.library.section(ESSAY_ID, mark.section).text  # type: ignore[union-attr]


def test_search_for_the_selection_from_the_menu(qtbot, make_window: WindowFactory) -> None:
    window = make_window(section="raw-materials")
    choose_on_selection(qtbot, window, "Ploesti", "Search for \u201cPloesti\u201d")
    from reader.ui.search_feature import SearchFeature

    search = window.feature(SearchFeature)
    assert search.panel.field.text() == "Ploesti"
    assert search.dock.isVisible()


def test_look_up_the_selected_name_in_the_index(qtbot, make_window: WindowFactory) -> None:
    window = make_window(section="raw-materials")
    choose_on_selection(qtbot, window, "Ploesti", "Look Up in Index")
    from reader.ui.xref_docks import CrossReferences

    xref = window.feature(CrossReferences)
    entry = xref.index_panel.current_entry
    assert entry is not None and "Ploesti" in (entry.name, *entry.aliases, *entry.terms)
    assert xref.index_dock.isVisible()


def test_copy_citation_of_the_section_clicked_in(qtbot, make_window: WindowFactory) -> None:
    window = make_window(section="pact")
    view = window.reading_view
    block = view.document().find("Ribbentrop")
    assert not block.isNull()
    view.verticalScrollBar().setValue(
        round(view.document().documentLayout().blockBoundingRect(block.block()).top()) - 40)
    QGuiApplication.clipboard().clear()
    shown = context_menu(qtbot, view, over(view, block.selectionStart()), "Copy Citation")
    assert "Bookmark This Section" in shown and "Copy" in shown
    citation = QGuiApplication.clipboard().text()
    assert window.current_essay is not None and window.current_essay.title in citation
    assert "Non-Aggression Pact" in citation


def figure_position(view: ReadingView) -> int:
    block = view.document().begin()
    while block.isValid():
        iterator = block.begin()
        while not iterator.atEnd():
            fmt = iterator.fragment().charFormat()
            if fmt.isImageFormat() and QTextImageFormat(fmt).name().startswith("figure://"):
                return iterator.fragment().position()
            iterator += 1
        block = block.next()
    raise AssertionError("no figure in the text")


def test_open_the_figure_under_the_pointer(qtbot, make_window: WindowFactory) -> None:
    window = make_window()
    activate(qtbot, window)
    view = window.reading_view
    position = figure_position(view)
    view.verticalScrollBar().setValue(0)
    shown = context_menu(qtbot, view, over(view, position, dx=40), "Open Figure")
    assert "Open Figure" in shown
    viewer = window.figure_viewer
    assert viewer is not None and viewer.isVisible()


def test_escape_closes_the_menu_and_changes_nothing(qtbot, make_window: WindowFactory) -> None:
    window = make_window(section="raw-materials")
    assert "Copy" in choose_on_selection(qtbot, window, "Ploesti", None)
    assert window.bookmark_store.bookmarks() == []
