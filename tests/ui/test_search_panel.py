"""The search panel and search highlights, alone and in the main window (offscreen)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import QApplication

from reader.core import search
from reader.core.content import Library
from reader.ui.main_window import MainWindow
from reader.ui.search_panel import SECTION_ROLE, SearchPanel
from tests.conftest import ESSAY_ID

GJC = "german-japanese-communications"


@pytest.fixture
def window(main_window: MainWindow, qtbot) -> MainWindow:  # type: ignore[no-untyped-def]
    panel = main_window.search.panel
    panel.prepare()
    qtbot.waitUntil(lambda: panel.is_ready, timeout=20_000)
    return main_window


def type_query(qtbot, window: MainWindow, text: str) -> None:  # type: ignore[no-untyped-def]
    panel = window.search.panel
    panel.field.clear()
    qtbot.keyClicks(panel.field, text)
    qtbot.waitUntil(lambda: panel.results is not None and panel.results.query == text.strip())


def test_typing_shows_results_as_you_type(qtbot, window: MainWindow) -> None:
    panel = window.search.panel
    qtbot.keyClicks(panel.field, "Komet")
    assert panel.list.count() == 0  # debounced: nothing yet
    qtbot.waitUntil(lambda: panel.list.count() > 0)
    assert panel.list.item(0).data(SECTION_ROLE) == GJC
    assert "section" in panel.status.text()


def test_enter_opens_the_top_hit_and_highlights_every_match(qtbot, window: MainWindow) -> None:
    type_query(qtbot, window, "Komet")
    view = window.reading_view
    with qtbot.waitSignal(window.search.panel.result_activated) as opened:
        qtbot.keyClick(window.search.panel.field, Qt.Key.Key_Return)
    assert opened.args[:2] == [ESSAY_ID, GJC]
    assert "Komet" in opened.args[2]
    assert view.section_at_top() == GJC
    assert window.history.can_go_back()  # the same history as the tree
    selections = view.extraSelections()
    assert len(selections) >= 2
    assert {s.cursor.selectedText() for s in selections} == {"Komet"}
    highlights = window.search.highlights
    ours = highlights.selections()
    assert ours[highlights.current].cursor.selectedText() == "Komet"
    # The current match is the first one in the opened section, and it is in view.
    assert view.cursorRect().top() >= 0 and view.cursorRect().bottom() <= view.viewport().height()


def test_every_matched_form_is_highlighted(qtbot, window: MainWindow) -> None:
    type_query(qtbot, window, "icebreakers")
    window.search.panel.open_current()
    texts = {s.cursor.selectedText() for s in window.reading_view.extraSelections()}
    assert "ice breakers" in texts


def test_f3_steps_through_hits_and_escape_clears(qtbot, window: MainWindow) -> None:
    type_query(qtbot, window, "Reichsmarks")
    window.search.panel.open_current()
    highlights = window.search.highlights
    view = window.reading_view
    assert highlights.count >= 5
    first = highlights.current
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_F3)
    assert highlights.current == first + 1
    position = view.textCursor().position()
    qtbot.keyClick(view, Qt.Key.Key_F3, Qt.KeyboardModifier.ShiftModifier)
    assert highlights.current == first
    assert view.textCursor().position() < position
    qtbot.keyClick(view, Qt.Key.Key_Escape)
    assert view.extraSelections() == []
    assert highlights.count == 0
    assert not window.search.next_action.isEnabled()


def test_up_down_and_enter_work_from_the_field(qtbot, window: MainWindow) -> None:
    type_query(qtbot, window, "oil")
    panel = window.search.panel
    assert panel.list.count() >= 3
    qtbot.keyClick(panel.field, Qt.Key.Key_Down)
    assert panel.list.currentRow() == 1
    qtbot.keyClick(panel.field, Qt.Key.Key_Down)
    qtbot.keyClick(panel.field, Qt.Key.Key_Up)
    assert panel.list.currentRow() == 1
    wanted = panel.list.item(1).data(SECTION_ROLE)
    qtbot.keyClick(panel.field, Qt.Key.Key_Return)
    assert window.reading_view.section_at_top() == wanted


def test_escape_in_the_field_clears_the_search(qtbot, window: MainWindow) -> None:
    type_query(qtbot, window, "Komet")
    window.search.panel.open_current()
    assert window.reading_view.extraSelections()
    qtbot.keyClick(window.search.panel.field, Qt.Key.Key_Escape)
    assert window.search.panel.field.text() == ""
    assert window.search.panel.list.count() == 0
    assert window.reading_view.extraSelections() == []


def test_tree_shows_hit_counts_while_searching(qtbot, window: MainWindow) -> None:
    tree = window.section_tree
    type_query(qtbot, window, "Reichsmarks")
    item = tree.item_for(ESSAY_ID, "raw-materials")
    assert item is not None
    assert not tree.isColumnHidden(1)
    assert int(item.text(1)) == window.search.panel.results.hits[0].count
    assert tree.item_for(ESSAY_ID, "poland").text(1) == ""
    window.search.panel.clear()
    assert tree.isColumnHidden(1)


def test_empty_state_offers_did_you_mean(qtbot, window: MainWindow) -> None:
    panel = window.search.panel
    type_query(qtbot, window, "zzqxv")
    assert panel.list.count() == 0
    assert "No sections found" in panel.status.text()
    type_query(qtbot, window, "Ribentrop")
    assert "Did you mean" in panel.status.text() and "Ribbentrop" in panel.status.text()
    panel.status.linkActivated.emit("suggest")
    assert panel.field.text() == "Ribbentrop"
    assert panel.results is not None and panel.results.hits[0].exact


def test_ctrl_k_and_ctrl_shift_f_focus_the_field(qtbot, window: MainWindow) -> None:
    shortcuts = {s.toString() for s in window.search.focus_action.shortcuts()}
    assert {QKeySequence("Ctrl+K").toString(), QKeySequence("Ctrl+Shift+F").toString()} <= shortcuts
    window.search.dock.hide()
    window.activateWindow()
    window.reading_view.setFocus()
    window.search.focus_action.trigger()
    assert window.search.dock.isVisible()
    qtbot.waitUntil(lambda: window.search.panel.field.hasFocus())


def test_panel_alone_emits_plain_ids(qtbot, library: Library, tmp_path: Path) -> None:
    def opener(progress):  # type: ignore[no-untyped-def]
        index = search.SearchIndex(library, tmp_path)
        return index, index.open(progress)

    panel = SearchPanel(library, opener)
    qtbot.addWidget(panel)
    panel.show()
    panel.field.setText("phosphate")
    qtbot.waitUntil(lambda: panel.list.count() == 1, timeout=20_000)
    assert "<b>phosphates</b>" in panel.results.hits[0].snippet_html()
    with qtbot.waitSignal(panel.result_activated) as opened:
        panel.list.itemActivated.emit(panel.list.item(0))
    assert opened.args == [ESSAY_ID, "raw-materials", ["phosphates"]]
    panel.shutdown()


def test_a_search_index_message_reaches_the_status_bar(
    qtbot, make_window, locations  # type: ignore[no-untyped-def]
) -> None:
    cache = locations.cache_dir / "search"
    cache.mkdir(parents=True)
    (cache / "reader-index.json").write_text("{broken")  # a damaged index folder
    window = make_window()
    window.search.panel.prepare()
    qtbot.waitUntil(lambda: window.search.panel.is_ready, timeout=20_000)
    assert "rebuilt" in window.statusBar().currentMessage()


# --- find in page --------------------------------------------------------------------------


def test_find_in_page_highlights_counts_steps_and_closes(qtbot, main_window: MainWindow) -> None:
    bar = main_window.search.find_bar
    view = main_window.reading_view
    assert QKeySequence(QKeySequence.StandardKey.Find) in bar.open_action.shortcuts()
    bar.open_action.trigger()
    assert bar.isVisible()
    qtbot.waitUntil(lambda: bar.field.hasFocus())
    qtbot.keyClicks(bar.field, "soviet")
    total = bar.highlights.count
    assert total == view.toPlainText().lower().count("soviet")
    assert bar.count_label.text() == f"1 of {total}"
    qtbot.keyClick(bar.field, Qt.Key.Key_Return)
    assert bar.count_label.text() == f"2 of {total}"
    qtbot.keyClick(bar.field, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    assert bar.count_label.text() == f"1 of {total}"
    bar.case_box.setChecked(True)
    assert bar.highlights.count == view.toPlainText().count("soviet") < total
    qtbot.keyClick(bar.field, Qt.Key.Key_Escape)
    assert not bar.isVisible()
    assert view.extraSelections() == []


def test_find_text_with_no_match_says_so(qtbot, main_window: MainWindow) -> None:
    bar = main_window.search.find_bar
    bar.open_bar()
    bar.field.setText("qqqzzz")
    assert bar.count_label.text() == "No matches"


def test_a_large_library_is_indexed_in_another_process(
    qtbot, library: Library, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from reader.core.search import open_search_index, storage

    monkeypatch.setattr(storage, "PROCESS_BUILD_SECTIONS", 1)
    seen: list[tuple[int, int]] = []
    index, message = open_search_index(
        library, tmp_path, None, lambda done, total: seen.append((done, total)))
    assert message == ""  # the child built it; this process only opened it
    total = len(list(library.sections()))
    assert seen and seen[-1] == (total, total)
    assert [hit.section for hit in index.search("Komet").hits] == [GJC]
    index.close()


def test_closing_cancels_an_index_build(
    qtbot, library: Library, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from reader.core.search import open_search_index, storage
    from reader.ui import search_panel

    monkeypatch.setattr(storage, "PROCESS_BUILD_SECTIONS", 1)
    worker = search_panel._Opener(
        lambda progress: open_search_index(library, tmp_path, None, progress))
    worker.stop.set()  # as if the window closed while the build runs
    with qtbot.waitSignal(worker.finished) as done:
        worker.run()
    assert done.args == [None, ""]  # no index, and no error message for a cancel


def test_an_index_that_cannot_open_is_reported_and_retried(qtbot, library: Library) -> None:
    calls: list[int] = []

    def failing(progress):  # type: ignore[no-untyped-def]
        calls.append(1)
        raise OSError("disk on fire")

    panel = SearchPanel(library, failing)
    qtbot.addWidget(panel)
    with qtbot.waitSignal(panel.status_message) as reported:
        panel.field.setText("Komet")
        panel.run_search()
    assert "disk on fire" in reported.args[0]
    assert not panel.is_ready and panel.list.count() == 0
    with qtbot.waitSignal(panel.status_message):
        panel.run_search()
    assert len(calls) == 2


def test_the_result_list_shows_only_with_results(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    panel = window.search.panel
    assert not panel.list.isVisible()  # idle: the hint, no empty box
    type_query(qtbot, window, "Komet")
    assert panel.list.isVisible() and panel.list.count() >= 1
    panel.clear()
    assert not panel.list.isVisible()


def test_a_quoted_phrase_is_highlighted_counted_and_stepped_as_a_unit(
    qtbot, window: MainWindow  # type: ignore[no-untyped-def]
) -> None:
    panel = window.search.panel
    panel.field.setFocus()
    type_query(qtbot, window, '"strategic materials"')
    qtbot.keyClick(panel.field, Qt.Key.Key_Return)
    view = window.reading_view
    highlights = window.search.highlights
    text = view.document().toPlainText().casefold()
    assert highlights.count == text.count("strategic materials") >= 5
    marked = {s.cursor.selectedText().casefold() for s in highlights.selections()}
    assert marked == {"strategic materials"}  # never "materials" alone ("Raw Materials")
    hit = panel.results.hits[0]  # type: ignore[union-attr]
    section = window.library.section(hit.document, hit.section)
    assert section is not None
    assert hit.count == section.text.casefold().count("strategic materials")
    view.setFocus()
    first = highlights.current
    qtbot.keyClick(view, Qt.Key.Key_F3)
    assert highlights.current == first + 1
    current = highlights.selections()[highlights.current]
    assert current.cursor.selectedText().casefold() == "strategic materials"
    # Where the reader is among the hits, in the panel and the status bar.
    expected = f"Hit {first + 2} of {highlights.count}"
    assert panel.position.isVisible() and panel.position.text().startswith(expected)
    assert window.statusBar().currentMessage() == f"Search hit {first + 2} of {highlights.count}."


def test_a_declared_spelling_is_an_exact_hit_in_the_panel(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    panel = window.search.panel
    for spelling in ("Ploiesti", "Ploieşti"):
        panel.field.clear()
        for char in spelling:  # key events carrying each letter, accented ones too
            for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
                QApplication.sendEvent(panel.field, QKeyEvent(
                    kind, 0, Qt.KeyboardModifier.NoModifier, char))
        qtbot.waitUntil(lambda s=spelling: panel.results is not None
                        and panel.results.query == s)
        status = panel.status.text()
        assert f"{spelling} is also spelled Ploesti." in status
        assert "Did you mean" not in status
        rows = [panel.list.itemWidget(panel.list.item(r)).text()  # type: ignore[union-attr]
                for r in range(panel.list.count())]
        assert rows and not any("near spelling" in row for row in rows)


def test_result_rows_are_not_clipped_under_the_scroll_bar(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    panel = window.search.panel
    window.search.dock.show()
    type_query(qtbot, window, "Soviet")
    qtbot.waitUntil(lambda: panel.list.verticalScrollBar().isVisible())
    viewport = panel.list.viewport()
    for row in range(panel.list.count()):
        label = panel.list.itemWidget(panel.list.item(row))
        assert label is not None
        assert label.geometry().right() <= viewport.width()  # the text ends before the bar
        assert label.height() >= label.heightForWidth(label.width())  # no line cut off
