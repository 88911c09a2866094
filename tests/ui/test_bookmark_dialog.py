"""The bookmark edit dialog, driven from the keyboard as a reader does: Ctrl+D in the
reading view adds at once and F2 there edits what was added, or the panel's menu button
and its Edit entry; then typing into the focused fields, Tab between them, Enter to
accept and Esc to cancel."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QMenu, QWidget

from reader.ui.bookmark_dialog import BookmarkDialog
from reader.ui.main_window import MainWindow
from tests.conftest import ESSAY_ID
from tests.ui.conftest import WindowFactory


def activate(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    """Make the window active, so that its shortcuts (Ctrl+D) reach it."""
    window.windowHandle().requestActivate()
    qtbot.waitUntil(window.isActiveWindow)


def when_shown(kind: type[QWidget], act: Callable[[QWidget], None], popup: bool = False,
               tries: int = 300) -> list[QWidget]:
    """Run ``act`` on the modal dialog (or popup menu) of ``kind`` once it is shown: its
    exec() loop is running then, and the test's own code waits for it to return."""
    seen: list[QWidget] = []

    def poll(left: int) -> None:
        shown = QApplication.activePopupWidget() if popup else QApplication.activeModalWidget()
        # A dialog is typed into once it is active: its first field has the focus then.
        if isinstance(shown, kind) and (popup or shown.isActiveWindow()):
            seen.append(shown)
            try:
                act(shown)
            except BaseException:
                shown.close()  # end its exec() loop, or the test would hang; then fail
                raise
        elif left:
            QTimer.singleShot(10, lambda: poll(left - 1))

    QTimer.singleShot(0, lambda: poll(tries))
    return seen


def focused() -> QWidget:
    widget = QApplication.focusWidget()
    assert widget is not None
    return widget


def ok_button(dialog: QWidget) -> QWidget:
    assert isinstance(dialog, BookmarkDialog)
    return dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)


def press_ctrl_d(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    """Ctrl+D in the text (adds at once, no dialog), then F2 (edits it in the dialog)."""
    view = window.reading_view
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    assert QApplication.activeModalWidget() is None
    assert len(window.bookmark_store.bookmarks()) >= 1
    qtbot.keyClick(view, Qt.Key.Key_F2)


def test_ctrl_d_adds_then_f2_edits_what_was_typed(qtbot, make_window: WindowFactory) -> None:
    window = make_window(section="pact")
    activate(qtbot, window)
    title = window.library.section(ESSAY_ID, "pact").title  # type: ignore[union-attr]
    typed: dict[str, str] = {}

    def fill_in(dialog: QWidget) -> None:
        assert isinstance(dialog, BookmarkDialog)
        # The name field has the focus, holding the section's title, all selected.
        assert focused() is dialog.name_edit
        typed["default"] = dialog.name_edit.text()
        qtbot.keyClicks(focused(), "Pact of 1939")
        qtbot.keyClick(focused(), Qt.Key.Key_Tab)
        assert focused() in (dialog.folder_box, dialog.folder_box.lineEdit())
        qtbot.keyClicks(focused(), "Research/Diplomacy")
        qtbot.keyClick(focused(), Qt.Key.Key_Tab)
        assert focused() is dialog.note_edit
        qtbot.keyClicks(focused(), "signed 23 August")
        qtbot.keyClick(focused(), Qt.Key.Key_Return)  # a new line in the note
        qtbot.keyClicks(focused(), "in Moscow")
        qtbot.keyClick(focused(), Qt.Key.Key_Tab)  # out of the note, onto the buttons
        assert focused() is ok_button(dialog)
        qtbot.keyClick(focused(), Qt.Key.Key_Return)

    seen = when_shown(BookmarkDialog, fill_in)
    press_ctrl_d(qtbot, window)
    assert len(seen) == 1
    assert typed["default"] == title
    marks = window.bookmark_store.bookmarks()
    assert [(m.essay, m.section, m.name, m.note, m.folder, m.quote) for m in marks] == [
        (ESSAY_ID, "pact", "Pact of 1939", "signed 23 August\nin Moscow",
         "Research/Diplomacy", "")
    ]
    assert window.bookmarks_panel.undo_stack.count() == 2  # the add, then the edit


def test_enter_in_the_name_field_accepts(qtbot, make_window: WindowFactory) -> None:
    window = make_window(section="poland")

    def name_it(_dialog: QWidget) -> None:
        qtbot.keyClicks(focused(), "Invasion")
        qtbot.keyClick(focused(), Qt.Key.Key_Enter)

    activate(qtbot, window)
    when_shown(BookmarkDialog, name_it)
    press_ctrl_d(qtbot, window)
    assert [(m.section, m.name, m.note, m.folder)
            for m in window.bookmark_store.bookmarks()] == [("poland", "Invasion", "", "")]


def test_escape_keeps_the_bookmark_as_added(qtbot, make_window: WindowFactory) -> None:
    window = make_window(section="pact")
    activate(qtbot, window)

    def type_then_escape(_dialog: QWidget) -> None:
        qtbot.keyClicks(focused(), "Not wanted")
        qtbot.keyClick(focused(), Qt.Key.Key_Tab)
        qtbot.keyClicks(focused(), "Somewhere")
        qtbot.keyClick(focused(), Qt.Key.Key_Escape)

    seen = when_shown(BookmarkDialog, type_then_escape)
    press_ctrl_d(qtbot, window)
    assert len(seen) == 1
    title = window.library.section(ESSAY_ID, "pact").title  # type: ignore[union-attr]
    assert [(m.name, m.note, m.folder) for m in window.bookmark_store.bookmarks()] == [
        (title, "", "")]
    assert window.bookmark_store.folders() == []
    assert window.bookmarks_panel.undo_stack.count() == 1


def test_ok_is_disabled_while_the_name_is_empty(qtbot, make_window: WindowFactory) -> None:
    window = make_window(section="pact")
    activate(qtbot, window)
    states: list[tuple[bool, bool]] = []

    def empty_the_name(dialog: QWidget) -> None:
        ok = ok_button(dialog)
        states.append((ok.isEnabled(), dialog.isVisible()))
        qtbot.keyClick(focused(), Qt.Key.Key_Backspace)  # the selected title goes
        qtbot.keyClicks(focused(), "   ")  # blanks are no name either
        qtbot.keyClick(focused(), Qt.Key.Key_Return)  # refused: the dialog stays
        states.append((ok.isEnabled(), dialog.isVisible()))
        qtbot.keyClicks(focused(), "Pact")
        states.append((ok.isEnabled(), dialog.isVisible()))
        qtbot.keyClick(focused(), Qt.Key.Key_Return)

    when_shown(BookmarkDialog, empty_the_name)
    press_ctrl_d(qtbot, window)
    assert states == [(True, True), (False, True), (True, True)]
    assert [m.name for m in window.bookmark_store.bookmarks()] == ["Pact"]  # stripped


def test_edit_from_the_panel_menu_by_keyboard_and_undo(
    qtbot, make_window: WindowFactory
) -> None:
    window = make_window(section="pact")
    store = window.bookmark_store
    mark = store.add(ESSAY_ID, "pact", "Pact", note="first note")
    store.add_folder("Reading list")
    panel = window.bookmarks_panel
    panel.refresh()
    activate(qtbot, window)
    panel.tree.setFocus()
    item = panel.item_for_bookmark(mark.id)
    assert item is not None
    rect = panel.tree.visualItemRect(item)
    qtbot.mouseClick(panel.tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert panel.current_bookmark() == mark
    shown: dict[str, str] = {}

    def choose_edit(menu: QWidget) -> None:
        qtbot.keyClick(menu, Qt.Key.Key_E)  # "&Edit Name, Note and Folder..."

    def change_it(dialog: QWidget) -> None:
        assert isinstance(dialog, BookmarkDialog)
        shown.update(title=dialog.windowTitle(), name=dialog.name_edit.text(),
                     note=dialog.note_edit.toPlainText())
        qtbot.keyClicks(focused(), "The Pact of 1939")
        qtbot.keyClick(focused(), Qt.Key.Key_Tab)
        qtbot.keyClicks(focused(), "Reading list")
        qtbot.keyClick(focused(), Qt.Key.Key_Tab)
        qtbot.keyClick(focused(), Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
        qtbot.keyClicks(focused(), ", then a second")
        qtbot.keyClick(focused(), Qt.Key.Key_Tab)
        qtbot.keyClick(focused(), Qt.Key.Key_Return)

    menus = when_shown(QMenu, choose_edit, popup=True)
    dialogs = when_shown(BookmarkDialog, change_it)
    panel.menu_button.setFocus()  # Tab reaches it; Space opens its menu
    qtbot.keyClick(panel.menu_button, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: bool(dialogs) and not dialogs[0].isVisible())
    assert len(menus) == 1
    assert shown == {"title": "Edit Bookmark", "name": "Pact", "note": "first note"}
    edited = store.get(mark.id)
    assert edited is not None
    assert (edited.name, edited.note, edited.folder) == (
        "The Pact of 1939", "first note, then a second", "Reading list")
    panel.undo_action.trigger()
    restored = store.get(mark.id)
    assert restored is not None
    assert (restored.name, restored.note, restored.folder) == ("Pact", "first note", "")


def test_escape_in_the_edit_dialog_changes_nothing(qtbot, make_window: WindowFactory) -> None:
    window = make_window(section="pact")
    store = window.bookmark_store
    mark = store.add(ESSAY_ID, "pact", "Pact", note="kept")
    panel = window.bookmarks_panel
    panel.refresh()
    activate(qtbot, window)
    panel.tree.setFocus()
    panel.tree.setCurrentItem(panel.item_for_bookmark(mark.id))

    def change_then_escape(_dialog: QWidget) -> None:
        qtbot.keyClicks(focused(), "Something else")
        qtbot.keyClick(focused(), Qt.Key.Key_Escape)

    when_shown(QMenu, lambda menu: qtbot.keyClick(menu, Qt.Key.Key_E), popup=True)
    dialogs = when_shown(BookmarkDialog, change_then_escape)
    panel.menu_button.setFocus()
    qtbot.keyClick(panel.menu_button, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: bool(dialogs) and not dialogs[0].isVisible())
    assert store.get(mark.id) == mark
    assert panel.undo_stack.count() == 0
