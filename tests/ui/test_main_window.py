"""The main window end to end: tree, reading view, links, history, figures, state."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt, QUrl
from PySide6.QtGui import QDesktopServices, QPalette, QTextCursor
from PySide6.QtWidgets import QApplication, QMenu, QMessageBox

from reader.app import create_main_window
from reader.core.paths import Locations
from reader.ui.main_window import MainWindow
from reader.ui.section_tree import SECTION_ROLE
from tests.essay_fixtures import write_essay
from tests.ui.conftest import WindowFactory


def tree_section(window: MainWindow) -> str:
    item = window.section_tree.currentItem()
    return item.data(0, SECTION_ROLE) if item else ""


def click_tree_item(qtbot, window: MainWindow, document: str, section: str) -> None:
    tree = window.section_tree
    item = tree.item_for(document, section)
    assert item is not None
    tree.scrollToItem(item)
    rect = tree.visualItemRect(item)
    qtbot.mouseClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def click_link(qtbot, window: MainWindow, text: str) -> None:
    """Click the first occurrence of ``text`` in the reading view, as a person would."""
    view = window.reading_view
    cursor = view.document().find(text)
    assert not cursor.isNull(), text
    cursor.setPosition(cursor.selectionStart() + 1, QTextCursor.MoveMode.MoveAnchor)
    view.setTextCursor(cursor)
    view.ensureCursorVisible()
    rect = view.cursorRect(cursor)
    point = QPoint(rect.center().x() + 2, rect.center().y())
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=point)


def test_opens_at_the_start_with_the_essay_and_its_figure(main_window: MainWindow) -> None:
    view = main_window.reading_view
    text = view.toPlainText()
    assert "World War II: NAZI-Soviet Alliance (1939-41)" in text
    assert "Source: Imperial War Museum. HU5505." in text
    assert view.verticalScrollBar().value() == 0
    assert tree_section(main_window) == "nazi-soviet-alliance"
    assert "NAZI-Soviet Alliance" in main_window.windowTitle()


def test_a_tree_click_scrolls_the_view_to_the_section(qtbot, main_window: MainWindow) -> None:
    view = main_window.reading_view
    click_tree_item(qtbot, main_window, "nazi-soviet-alliance", "poland")
    assert view.verticalScrollBar().value() > 0
    assert view.section_at_top() == "poland"
    assert main_window.windowTitle().startswith("Poland (September 1939) — ")


def test_enter_on_a_tree_item_navigates(qtbot, main_window: MainWindow) -> None:
    tree = main_window.section_tree
    tree.setFocus()
    tree.setCurrentItem(tree.item_for("nazi-soviet-alliance", "pact"))
    qtbot.keyClick(tree, Qt.Key.Key_Return)
    assert main_window.reading_view.section_at_top() == "pact"


def test_scrolling_selects_the_section_being_read(main_window: MainWindow) -> None:
    view = main_window.reading_view
    top = view.section_top("raw-materials")
    assert top is not None
    view.verticalScrollBar().setValue(round(top) + 40)
    assert tree_section(main_window) == "raw-materials"
    item = main_window.section_tree.item_for("nazi-soviet-alliance", "raw-materials")
    assert item is not None and item.parent().isExpanded()
    japan = view.section_top("japanese-diplomacy")
    assert japan is not None
    view.verticalScrollBar().setValue(round(japan) + 5)
    assert tree_section(main_window) == "japanese-diplomacy"


def test_the_text_column_does_not_stretch_across_a_wide_window(main_window: MainWindow) -> None:
    main_window.resize(1400, 900)
    view = main_window.reading_view
    frame = view.document().rootFrame().frameFormat()
    text_width = view.viewport().width() - frame.leftMargin() - frame.rightMargin()
    assert text_width <= 720
    assert frame.leftMargin() == frame.rightMargin()


def test_a_link_click_navigates_and_back_returns(
    qtbot,
    tmp_path: Path,
    make_window: WindowFactory,
) -> None:
    write_essay(tmp_path)
    window = make_window(content=tmp_path)
    click_link(qtbot, window, "the second part")
    assert window.reading_view.section_at_top() == "second"
    assert window.core_actions.back.isEnabled()
    window.core_actions.back.trigger()
    assert window.reading_view.section_at_top() == "start"
    assert window.core_actions.forward.isEnabled()
    window.core_actions.forward.trigger()
    assert window.reading_view.section_at_top() == "second"


def test_mouse_back_button_goes_back(qtbot, main_window: MainWindow) -> None:
    main_window.open_section("nazi-soviet-alliance", "differences")
    view = main_window.reading_view
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.BackButton)
    assert view.section_at_top() == "nazi-soviet-alliance"


def test_an_external_link_asks_before_opening_the_browser(
    qtbot,
    tmp_path: Path,
    make_window: WindowFactory,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    write_essay(tmp_path)
    window = make_window(content=tmp_path)
    asked: list[str] = []
    opened: list[QUrl] = []
    answer = [QMessageBox.StandardButton.Cancel]

    def question(parent, title, text, *args):
        asked.append(text)
        return answer[0]

    monkeypatch.setattr(QMessageBox, "question", staticmethod(question))
    monkeypatch.setattr(QDesktopServices, "openUrl", staticmethod(lambda url: opened.append(url)))
    click_link(qtbot, window, "the web")
    assert len(asked) == 1 and "network connection" in asked[0]
    assert opened == []
    answer[0] = QMessageBox.StandardButton.Open
    click_link(qtbot, window, "the web")
    assert [u.toString() for u in opened] == ["https://example.org/"]
    assert window.reading_view.section_at_top() == "start"  # the view did not navigate


def test_the_figure_viewer_shows_the_caption_and_zooms(qtbot, main_window: MainWindow) -> None:
    main_window.show_figure("nazi-soviet-alliance", "figure-1")
    viewer = main_window.figure_viewer
    assert viewer is not None and viewer.isVisible()
    assert viewer.caption.text().startswith("Figure 1.--The Soviet Union would provide")
    assert viewer.credit.text() == "Source: Imperial War Museum. HU5505."
    assert viewer.caption.textInteractionFlags() & Qt.TextInteractionFlag.TextSelectableByMouse
    assert viewer.stack.currentWidget() is viewer.view
    before = viewer.view.scale_factor()
    viewer.zoom_in_action.trigger()
    assert viewer.view.scale_factor() == pytest.approx(before * 1.25)
    viewer.actual_action.trigger()
    assert viewer.view.scale_factor() == pytest.approx(1.0)
    qtbot.keyClick(viewer, Qt.Key.Key_Escape)
    assert not viewer.isVisible()


def test_clicking_the_figure_in_the_text_opens_the_viewer(qtbot, main_window: MainWindow) -> None:
    view = main_window.reading_view
    block = view.document().find("Figure 1.--").block()
    # The image sits in the table row above the caption; find its character.
    cursor = QTextCursor(view.document())
    while not cursor.atEnd():
        if cursor.charFormat().isImageFormat():
            break
        cursor.movePosition(QTextCursor.MoveOperation.NextCharacter)
    assert cursor.charFormat().isImageFormat(), block.text()
    rect = view.cursorRect(cursor)
    qtbot.mouseClick(
        view.viewport(),
        Qt.MouseButton.LeftButton,
        pos=QPoint(rect.right() + 40, rect.bottom() - 40),
    )
    assert main_window.figure_viewer is not None and main_window.figure_viewer.isVisible()


def test_a_missing_image_shows_a_message_in_the_viewer_and_the_text(
    tmp_path: Path,
    make_window: WindowFactory,
) -> None:
    write_essay(tmp_path, svg=None)
    window = make_window(content=tmp_path)
    assert window.status_line.problems_button.isVisible()
    assert "1 content problem" in window.status_line.problems_button.text()
    image = window.reading_view.loadResource(2, QUrl("figure://small/figure-1"))
    assert image.pixelColor(3, 3).name() == "#f6ede9"  # the notice's background, not blank
    window.show_figure("small", "figure-1")
    viewer = window.figure_viewer
    assert viewer is not None
    assert viewer.stack.currentWidget() is viewer.message
    assert "missing" in viewer.message.text()
    assert viewer.caption.text() == "Figure 1.--A blue plate."


def test_an_unreadable_image_shows_a_message(tmp_path: Path, make_window: WindowFactory) -> None:
    write_essay(tmp_path, svg="this is not svg")
    window = make_window(content=tmp_path)
    window.show_figure("small", "figure-1")
    viewer = window.figure_viewer
    assert viewer is not None and "cannot be read" in viewer.message.text()


def test_an_unknown_start_section_opens_at_the_start_and_says_so(
    make_window: WindowFactory,
) -> None:
    window = make_window(section="no-such-section")
    assert window.reading_view.section_at_top() == "nazi-soviet-alliance"
    assert "not found" in window.statusBar().currentMessage()


def test_a_known_start_section_opens_there(make_window: WindowFactory) -> None:
    window = make_window(section="raw-materials")
    assert window.reading_view.section_at_top() == "raw-materials"


def test_geometry_and_docks_are_remembered(qtbot, locations: Locations, settings) -> None:
    first = create_main_window(locations, settings)
    qtbot.addWidget(first)
    first.restore_state()
    first.resize(760, 540)
    first.contents_dock.hide()
    first.show()
    first.close()
    second = create_main_window(locations, settings)
    qtbot.addWidget(second)
    second.restore_state()
    second.show()
    assert (second.size().width(), second.size().height()) == (760, 540)
    assert not second.contents_dock.isVisible()


def test_problems_in_the_cross_reference_files_are_listed(
    tmp_path: Path,
    make_window: WindowFactory,
) -> None:
    folder = write_essay(tmp_path)
    (folder / "timeline.yaml").write_text("events: [unclosed\n", encoding="utf-8")
    window = make_window(content=tmp_path)
    assert not window.status_line.problems_button.isVisible()
    window.check_cross_references()
    assert window.status_line.problems_button.isVisible()
    assert any("timeline.yaml" in str(p) for p in window.problems)
    window.check_cross_references()  # checking again adds nothing twice
    count = len(window.problems)
    assert window.status_line.problems_button.text() == f"⚠ {count} content problem" + (
        "s" if count != 1 else ""
    )


def menu_titles(window: MainWindow) -> list[str]:
    return [a.text().replace("&", "") for a in window.menuBar().actions()]


def test_deferred_panels_come_in_order_and_take_their_saved_places(
    qtbot,
    locations: Locations,
    settings,
) -> None:
    full = create_main_window(locations, settings)
    qtbot.addWidget(full)
    expected_menus = menu_titles(full)
    expected_view = [a.text() for a in full.menus.view.actions()]
    full.restore_state()
    full.show()
    full.bookmarks_dock.hide()
    full.xref.timeline_dock.show()
    full.close()

    window = create_main_window(locations, settings, defer_panels=True)
    qtbot.addWidget(window)
    window.restore_state()
    window.show()
    window.open_start()
    assert not window.panels_ready
    assert "Bookmarks" not in menu_titles(window)
    assert "World War II" in window.reading_view.toPlainText()  # the essay is there already
    window.build_panels()
    assert window.panels_ready
    assert menu_titles(window) == expected_menus
    assert [a.text() for a in window.menus.view.actions()] == expected_view
    assert not window.bookmarks_dock.isVisible()
    assert window.xref.timeline_dock.isVisible()
    window.build_panels()  # a second call changes nothing
    assert menu_titles(window) == expected_menus


def test_the_panels_are_built_after_the_first_paint(qtbot) -> None:
    from PySide6.QtWidgets import QLabel

    from reader.app import _AfterFirstPaint

    label = QLabel("essay")
    qtbot.addWidget(label)
    calls: list[int] = []
    _AfterFirstPaint(label, lambda: calls.append(1))
    assert calls == []
    label.show()
    qtbot.waitUntil(lambda: calls == [1])
    label.repaint()
    qtbot.wait(20)
    assert calls == [1]  # once only


def test_resizing_the_window_keeps_the_readers_place(main_window: MainWindow) -> None:
    view = main_window.reading_view
    main_window.open_section("nazi-soviet-alliance", "raw-materials")
    top = view.section_top("raw-materials")
    assert top is not None
    view.verticalScrollBar().setValue(round(top) + 120)  # a little way into the section
    main_window.resize(760, 560)  # narrower: the text reflows and grows longer
    assert view.section_at_top() == "raw-materials"
    assert view.verticalScrollBar().value() > (view.section_top("raw-materials") or 0) + 100
    main_window.resize(1200, 800)
    assert view.section_at_top() == "raw-materials"


def choose_from_menu(qtbot, menu: QMenu, *path: str) -> None:
    """Open ``menu`` and click through ``path`` (entry texts without "&"), as a person does."""
    menu.popup(QPoint(100, 100))
    qtbot.waitUntil(menu.isVisible)
    for text in path:
        action = next(a for a in menu.actions() if a.text().replace("&", "") == text)
        qtbot.mouseClick(menu, Qt.MouseButton.LeftButton, pos=menu.actionGeometry(action).center())
        if action.menu() is not None:
            menu = action.menu()
            qtbot.waitUntil(menu.isVisible)


def test_search_highlights_and_the_current_hit_survive_a_theme_change(
    qtbot, main_window: MainWindow
) -> None:
    search = main_window.search
    search.panel.prepare()
    qtbot.waitUntil(lambda: search.panel.is_ready, timeout=20_000)
    qtbot.keyClicks(search.panel.field, "Komet")
    qtbot.waitUntil(lambda: search.panel.list.count() > 0)
    qtbot.keyClick(search.panel.field, Qt.Key.Key_Return)
    shown = len(main_window.reading_view.extraSelections())
    assert shown > 0
    label = search.panel.status.text()
    main_window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is main_window)
    main_window.reading_view.setFocus()
    qtbot.keyClick(main_window.reading_view, Qt.Key.Key_F3)  # on to the second hit
    current = search.highlights.current
    assert current == 1
    try:
        choose_from_menu(qtbot, main_window.menus.view, "Theme", "Dark")
        assert main_window.view_settings.theme_setting == "dark"
        assert len(main_window.reading_view.extraSelections()) == shown
        assert search.highlights.count == shown
        assert search.highlights.current == current  # F3 goes on from where it was
        selections = main_window.reading_view.extraSelections()
        colours = [s.format.background().color() for s in selections]
        assert colours[current] != colours[0]  # the current hit is still marked as such
        assert search.next_action.isEnabled()
        assert search.panel.status.text() == label
    finally:
        QApplication.setPalette(QPalette())  # the theme set the application's palette


def test_checking_the_cross_references_again_adds_no_problem_twice(
    tmp_path: Path,
    make_window: WindowFactory,
) -> None:
    folder = write_essay(tmp_path)
    (folder / "index.yaml").write_text("entries: [unclosed\n", encoding="utf-8")
    window = make_window(content=tmp_path)
    window.check_cross_references()
    once = (len(window.problems), window.status_line.problems_button.text())
    assert once[0] >= 1 and any("index.yaml" in str(p) for p in window.problems)
    window.check_cross_references()
    window.check_cross_references()
    assert (len(window.problems), window.status_line.problems_button.text()) == once


def test_the_contents_remember_a_closed_branch(qtbot, locations: Locations, settings) -> None:
    first = create_main_window(locations, settings)
    qtbot.addWidget(first)
    first.restore_state()
    first.show()
    first.open_start()
    tree = first.section_tree
    top = tree.item_for("nazi-soviet-alliance", "nazi-soviet-alliance")
    assert top is not None and top.isExpanded()
    tree.setFocus()
    tree.setCurrentItem(top)
    qtbot.keyClick(tree, Qt.Key.Key_Left)  # closes the branch
    assert not top.isExpanded()
    first.close()
    second = create_main_window(locations, settings)
    qtbot.addWidget(second)
    second.restore_state()
    second.show()
    second.open_start()
    again = second.section_tree.item_for("nazi-soviet-alliance", "nazi-soviet-alliance")
    assert again is not None and not again.isExpanded()


def test_the_status_bar_tells_link_targets_progress_and_reading(
    qtbot, main_window: MainWindow
) -> None:
    from PySide6.QtTest import QTest

    from reader.ui.view_menu import ViewChoices

    w = main_window
    progress = w.status_line.progress_label
    qtbot.waitUntil(lambda: progress.text().startswith("Section 1 of "))
    assert progress.isVisible()
    w.open_section("nazi-soviet-alliance", "raw-materials")
    number = [s.id for s in w.current_essay.sections].index("raw-materials") + 1  # type: ignore[union-attr]
    total = len(w.current_essay.sections)  # type: ignore[union-attr]
    qtbot.waitUntil(lambda: progress.text().startswith(f"Section {number} of {total}"))
    assert progress.text().endswith("%") and not progress.text().endswith(" 0%")

    # The pointer over a link: the status bar says where it leads.
    view = w.reading_view
    w.open_start()
    found = []
    block = view.document().begin()
    while block.isValid() and not found:
        it = block.begin()
        while not it.atEnd():
            fragment = it.fragment()
            href = fragment.charFormat().anchorHref()
            if href.startswith("reader://") or href.startswith("#"):
                found.append(fragment.position() + 1)
                break
            it += 1
        block = block.next()
    assert found
    cursor = QTextCursor(view.document())
    cursor.setPosition(found[0])
    view.setTextCursor(cursor)
    view.ensureCursorVisible()
    rect = view.cursorRect(cursor)
    QTest.mouseMove(view.viewport(), QPoint(rect.right() + 2, rect.center().y()))
    qtbot.waitUntil(lambda: w.statusBar().currentMessage().startswith("Go to section ‘"))
    assert w.describe_link(QUrl("figure://nazi-soviet-alliance/figure-1")) == "Open figure 1"
    assert "https://example.org/a" in w.describe_link(QUrl("https://example.org/a"))

    # The reading, shown only when it is not the corrected text.
    assert not w.status_line.reading_label.isVisible()
    w.feature(ViewChoices).reading_actions["original"].trigger()
    label = w.status_line.reading_label
    assert label.isVisible() and "Original" in label.text()
