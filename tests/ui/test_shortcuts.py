"""Every key in the Keyboard Shortcuts overview, pressed as a reader presses it.

The keys come from the overview's own source (``shortcut_rows``), so a new
shortcut is swept at once: it fails here until its effect is described in
``CHECKS``. Each key goes to the widget that has the focus, the reading view
unless the row says otherwise.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence, QTextCursor
from PySide6.QtWidgets import QApplication, QDockWidget, QMenu, QWidget

from reader.ui.help_dialogs import shortcut_rows
from reader.ui.main_window import MainWindow
from reader.ui.sidebar import Sidebar
from reader.ui.window_modes import WindowModes
from tests.conftest import ESSAY_ID
from tests.ui.conftest import WindowFactory

State = dict[str, object]


@dataclass
class Check:
    """What to set up before the key, and what must be true after it."""

    after: Callable[[MainWindow, State], bool]
    before: Callable[[MainWindow, State], None] = lambda w, s: None
    #: The widget to press the key in (default: the reading view).
    focus: Callable[[MainWindow], QWidget] | None = None
    modal: bool = False  # the key opens a modal dialog, closed again by the test
    extra: dict[str, object] = field(default_factory=dict)


def text_width(w: MainWindow) -> float:
    view = w.reading_view
    frame = view.document().rootFrame().frameFormat()
    return view.viewport().width() - frame.leftMargin() - frame.rightMargin()


def dock(w: MainWindow, name: str) -> QDockWidget:
    found = w.findChild(QDockWidget, name)
    assert found is not None
    return found


def scroll_middle(w: MainWindow, s: State) -> None:
    bar = w.reading_view.verticalScrollBar()
    bar.setValue(bar.maximum() // 2)
    s["value"] = bar.value()


def focus_in(w: MainWindow, name: str) -> bool:
    focus = QApplication.focusWidget()
    target = dock(w, name)
    return focus is not None and target.isAncestorOf(focus)


def toggled(name: str) -> Check:
    return Check(
        before=lambda w, s: s.update(hidden=dock(w, name).isHidden()),
        after=lambda w, s: dock(w, name).isHidden() != s["hidden"],
    )


def with_highlights(w: MainWindow, s: State) -> None:
    w.search.highlights.show(["Soviet"], "")
    s["current"] = w.search.highlights.current


def tab_to_link(w: MainWindow, s: State) -> None:
    w.reading_view.setFocus()
    from PySide6.QtTest import QTest

    QTest.keyClick(w.reading_view, Qt.Key.Key_Tab)
    QTest.keyClick(w.reading_view, Qt.Key.Key_Tab)
    s["position"] = w.reading_view.textCursor().selectionStart()
    s["followed"] = []
    view = w.reading_view
    for signal in (view.section_link_clicked, view.figure_clicked, view.related_clicked):
        signal.connect(lambda *a, f=s["followed"]: f.append(a))  # type: ignore[misc]
    view.index_entry_clicked.connect(lambda *a, f=s["followed"]: f.append(a))  # type: ignore[misc]
    view.external_link_clicked.connect(lambda *a, f=s["followed"]: f.append(a))  # type: ignore[misc]


def on_a_link(w: MainWindow) -> bool:
    cursor = w.reading_view.textCursor()
    return cursor.hasSelection() and cursor.charFormat().isAnchor()


def add_two_bookmarks(w: MainWindow, s: State) -> None:
    store = w.bookmark_store
    first = store.add(ESSAY_ID, "pact", "Pact")
    store.add(ESSAY_ID, "poland", "Poland")
    panel = w.bookmarks_panel
    panel.refresh()
    dock(w, "bookmarks_dock").show()
    dock(w, "bookmarks_dock").raise_()
    panel.tree.setCurrentItem(panel.item_for_bookmark(first.id))
    s["count"] = len(store.bookmarks())


def deleted_one(w: MainWindow, s: State) -> None:
    add_two_bookmarks(w, s)
    w.bookmarks_panel.delete_action.trigger()  # set-up only: the key under test is Ctrl+Z
    s["count"] = len(w.bookmark_store.bookmarks())


def deleted_and_undone(w: MainWindow, s: State) -> None:
    deleted_one(w, s)
    w.bookmarks_panel.undo_action.trigger()
    s["count"] = len(w.bookmark_store.bookmarks())


def bookmarks_tree(w: MainWindow) -> QWidget:
    return w.bookmarks_panel.tree


def modes(w: MainWindow) -> WindowModes:
    return w.feature(WindowModes)


def narrowed_twice(w: MainWindow, s: State) -> None:
    w.view_settings.step_column(-2)
    s["width"] = text_width(w)


def select_a_name(w: MainWindow, s: State) -> None:
    QApplication.clipboard().clear()
    w.reading_view.setTextCursor(w.reading_view.document().find("Brest-Litovsk"))


CHECKS: dict[str, Check] = {
    "Print": Check(modal=True, after=lambda w, s: bool(s["modals"])),
    "Export as PDF or HTML": Check(modal=True, after=lambda w, s: bool(s["modals"])),
    "Keyboard Shortcuts": Check(
        modal=True, after=lambda w, s: "ShortcutsDialog" in s["modals"]  # type: ignore[operator]
    ),
    "Add Bookmark": Check(
        modal=True,
        before=lambda w, s: s.update(count=len(w.bookmark_store.bookmarks())),
        after=lambda w, s: bool(s["modals"]) or len(w.bookmark_store.bookmarks()) > s["count"],  # type: ignore[operator]
    ),
    "Quit": Check(after=lambda w, s: not w.isVisible()),
    "Copy Link to Section": Check(
        before=lambda w, s: QApplication.clipboard().clear(),
        after=lambda w, s: "reader://" in QApplication.clipboard().text(),
    ),
    "Copy Citation for Section": Check(
        before=lambda w, s: QApplication.clipboard().clear(),
        after=lambda w, s: "NAZI-Soviet" in QApplication.clipboard().text(),
    ),
    "Back": Check(
        before=lambda w, s: w.open_section(ESSAY_ID, "poland"),
        after=lambda w, s: w.reading_view.section_at_top() == ESSAY_ID,
    ),
    "Forward": Check(
        before=lambda w, s: w.open_section(ESSAY_ID, "poland") and w.go_back(),
        after=lambda w, s: w.reading_view.section_at_top() == "poland",
    ),
    "Start of the Essay": Check(
        before=scroll_middle, after=lambda w, s: w.reading_view.verticalScrollBar().value() == 0
    ),
    "End of the Essay": Check(
        before=scroll_middle,
        after=lambda w, s: (
            w.reading_view.verticalScrollBar().value()
            == w.reading_view.verticalScrollBar().maximum()
        ),
    ),
    "Go to Contents": Check(after=lambda w, s: QApplication.focusWidget() is w.section_tree),
    "Search": Check(after=lambda w, s: focus_in(w, "search_dock")),
    "Find in Page": Check(
        after=lambda w, s: w.search.find_bar.isVisible()
        and w.search.find_bar.isAncestorOf(QApplication.focusWidget())
    ),
    "Next Search Hit": Check(
        before=with_highlights,
        after=lambda w, s: w.search.highlights.current == s["current"] + 1,  # type: ignore[operator]
    ),
    "Previous Search Hit": Check(
        before=with_highlights,
        after=lambda w, s: w.search.highlights.current
        == (s["current"] - 1) % w.search.highlights.count,  # type: ignore[operator]
    ),
    "Clear Search Highlights": Check(
        before=with_highlights, after=lambda w, s: w.search.highlights.count == 0
    ),
    "Go to Index": Check(after=lambda w, s: focus_in(w, "index_dock")),
    "Go to Timeline": Check(after=lambda w, s: focus_in(w, "timeline_dock")),
    "Sidebar": Check(
        before=lambda w, s: s.update(shown=w.feature(Sidebar).is_shown),
        after=lambda w, s: w.feature(Sidebar).is_shown != s["shown"],
    ),
    "Contents": toggled("contents_dock"),
    "Bookmarks": toggled("bookmarks_dock"),
    "Index": toggled("index_dock"),
    "Timeline": toggled("timeline_dock"),
    "Search Panel": toggled("search_dock"),
    "Open Figure Viewer": Check(
        after=lambda w, s: w.figure_viewer is not None and w.figure_viewer.isVisible()
    ),
    "Larger Text": Check(
        before=lambda w, s: s.update(scale=w.view_settings.text_scale),
        after=lambda w, s: w.view_settings.text_scale > s["scale"],  # type: ignore[operator]
    ),
    "Smaller Text": Check(
        before=lambda w, s: s.update(scale=w.view_settings.text_scale),
        after=lambda w, s: w.view_settings.text_scale < s["scale"],  # type: ignore[operator]
    ),
    "Default Text Size": Check(
        before=lambda w, s: w.view_settings.step_text_scale(2),
        after=lambda w, s: w.view_settings.text_scale == 1.0,
    ),
    "Wider Column": Check(
        before=lambda w, s: s.update(width=text_width(w)),
        after=lambda w, s: text_width(w) > s["width"],  # type: ignore[operator]
    ),
    "Narrower Column": Check(
        before=lambda w, s: s.update(width=text_width(w)),
        after=lambda w, s: text_width(w) < s["width"],  # type: ignore[operator]
    ),
    "Default Column Width": Check(
        before=narrowed_twice,
        after=lambda w, s: text_width(w) > s["width"],  # type: ignore[operator]
    ),
    "Full Screen": Check(after=lambda w, s: w.isFullScreen()),
    "Distraction-Free Reading": Check(after=lambda w, s: modes(w).distraction_free),
    "Rename": Check(
        before=add_two_bookmarks,
        focus=bookmarks_tree,
        after=lambda w, s: w.bookmarks_panel.tree.state()
        == w.bookmarks_panel.tree.State.EditingState,
    ),
    "Delete": Check(
        before=add_two_bookmarks,
        focus=bookmarks_tree,
        after=lambda w, s: len(w.bookmark_store.bookmarks()) == s["count"] - 1,  # type: ignore[operator]
    ),
    "Undo": Check(
        before=deleted_one,
        focus=bookmarks_tree,
        after=lambda w, s: len(w.bookmark_store.bookmarks()) == s["count"] + 1,  # type: ignore[operator]
    ),
    "Redo": Check(
        before=deleted_and_undone,
        focus=bookmarks_tree,
        after=lambda w, s: len(w.bookmark_store.bookmarks()) == s["count"] - 1,  # type: ignore[operator]
    ),
    "Scroll a page down": Check(
        after=lambda w, s: w.reading_view.verticalScrollBar().value() > 0
    ),
    "Scroll a page up": Check(
        before=scroll_middle,
        after=lambda w, s: w.reading_view.verticalScrollBar().value() < s["value"],  # type: ignore[operator]
    ),
    "Next link in the text": Check(after=lambda w, s: on_a_link(w)),
    "Previous link in the text": Check(
        before=tab_to_link,
        after=lambda w, s: on_a_link(w)
        and w.reading_view.textCursor().selectionStart() < s["position"],  # type: ignore[operator]
    ),
    "Follow the link": Check(before=tab_to_link, after=lambda w, s: bool(s["followed"])),
    "Copy the selected text": Check(
        before=select_a_name,
        after=lambda w, s: "Brest-Litovsk" in QApplication.clipboard().text(),
    ),
    "Back to the panels": Check(
        before=lambda w, s: modes(w).set_distraction_free(True),
        after=lambda w, s: not modes(w).distraction_free and w.section_tree.isVisible(),
    ),
    "Open the selected section": Check(
        before=lambda w, s: w.section_tree.setCurrentItem(
            w.section_tree.item_for(ESSAY_ID, "pact")
        ),
        focus=lambda w: w.section_tree,
        after=lambda w, s: w.reading_view.section_at_top() == "pact",
    ),
    "Go to the text": Check(
        focus=lambda w: w.section_tree,
        after=lambda w, s: QApplication.focusWidget() is w.reading_view,
    ),
}


def fresh_start(qtbot, w: MainWindow) -> None:
    """The reader's usual place: a normal window, every panel in its first place, the
    keyboard in the text at the start of the essay."""
    w.feature(WindowModes).set_distraction_free(False, quiet=True)
    w.feature(WindowModes).set_full_screen(False)
    qtbot.waitUntil(lambda: not w.isFullScreen())
    w.feature(Sidebar).default_layout()
    w.view_settings.reset_text_scale()
    w.view_settings.reset_column()
    for mark in w.bookmark_store.bookmarks():
        w.bookmark_store.remove(mark.id)
    w.bookmarks_panel.refresh()
    w.search.highlights.clear()
    w.search.find_bar.hide()
    w.open_start()
    w.reading_view.setTextCursor(QTextCursor(w.reading_view.document()))
    w.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is w)
    w.reading_view.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is w.reading_view)


def press(qtbot, widget: QWidget, key: QKeySequence) -> None:
    combination = key[0]
    qtbot.keyClick(widget, combination.key(), combination.keyboardModifiers())


def test_every_key_in_the_overview_does_what_it_says(
    qtbot, make_window: WindowFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = make_window()
    window.resize(1200, 800)
    rows = shortcut_rows(window.menuBar())
    missing = sorted({r.action for r in rows if r.action not in CHECKS} - {"Open a menu"})
    assert missing == [], f"add the effect of these keys to CHECKS: {missing}"

    modals: list[str] = []

    def close_modal() -> None:
        modal = QApplication.activeModalWidget()
        if modal is not None:
            modals.append(type(modal).__name__)
            modal.close()

    timer = QTimer()
    timer.timeout.connect(close_modal)
    timer.start(50)
    failures: list[str] = []
    last = [r for r in rows if r.action == "Quit"]  # closes the window: pressed at the end
    for row in [*[r for r in rows if r.action not in ("Quit", "Open a menu")], *last]:
        check = CHECKS[row.action]
        for key in row.keys:
            fresh_start(qtbot, window)
            state: State = {"modals": modals}
            modals.clear()
            check.before(window, state)
            target = check.focus(window) if check.focus else window.reading_view
            target.setFocus()
            qtbot.waitUntil(lambda t=target: QApplication.focusWidget() is t)
            press(qtbot, QApplication.focusWidget(), key)
            if check.modal:
                qtbot.wait(150)
            try:
                qtbot.waitUntil(lambda c=check, s=state: bool(c.after(window, s)), timeout=1500)
            except Exception:
                failures.append(f"{row.where} › {row.action}: {key.toString()}")
            if window.figure_viewer is not None:
                window.figure_viewer.close()
    timer.stop()
    assert failures == []


def test_alt_and_a_menu_letter_opens_that_menu(qtbot, main_window: MainWindow) -> None:
    rows = [r for r in shortcut_rows(main_window.menuBar()) if r.action == "Open a menu"]
    assert len(rows) == 1
    menus = [a.menu() for a in main_window.menuBar().actions() if isinstance(a.menu(), QMenu)]
    assert len(rows[0].keys) == len(menus)
    main_window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is main_window)
    for key, menu in zip(rows[0].keys, menus, strict=True):
        main_window.reading_view.setFocus()
        qtbot.waitUntil(lambda: QApplication.focusWidget() is main_window.reading_view)
        press(qtbot, main_window.reading_view, key)
        qtbot.waitUntil(lambda m=menu: QApplication.activePopupWidget() is m, timeout=1500)
        menu.close()
        qtbot.waitUntil(lambda: QApplication.activePopupWidget() is None)


def window_actions(window: MainWindow) -> list[QAction]:
    """Every action of the window, enabled now or not (Back is disabled at the start, and
    a clash shows the moment it is enabled)."""
    return [a for a in window.findChildren(QAction) if not a.menu()]


def test_no_key_belongs_to_two_actions_or_to_a_menu(main_window: MainWindow) -> None:
    owners: dict[str, list[str]] = {}
    for action in window_actions(main_window):
        for key in action.shortcuts():  # the same key twice in one action is dead too
            owners.setdefault(key.toString(), []).append(action.text())
    shared = {key: names for key, names in owners.items() if len(names) > 1}
    assert shared == {}
    mnemonics = {
        QKeySequence.mnemonic(a.text()).toString(): a.text()
        for a in main_window.menuBar().actions()
    }
    taken = {key: (mnemonics[key], names) for key, names in owners.items() if key in mnemonics}
    assert taken == {}
