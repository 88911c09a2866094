"""The bookmarks dock: add, rename, edit, move, delete and undo, navigate, filter,
markers in the contents tree, the reading position, and a damaged store."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, QMimeData, QPoint, QPointF, QSettings, Qt
from PySide6.QtGui import (
    QColor,
    QDropEvent,
    QHelpEvent,
    QKeySequence,
    QPalette,
    QTextBlock,
    QTextCharFormat,
    QTextCursor,
)
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QLineEdit,
    QMenu,
    QMessageBox,
    QToolButton,
    QToolTip,
    QTreeWidgetItem,
    QWidget,
)

from reader.app import create_main_window
from reader.core.bookmarks import STORE_FILE, BookmarkStore
from reader.core.content import Library
from reader.core.paths import Locations
from reader.ui import bookmarks_panel
from reader.ui.bookmark_dialog import BookmarkDetails, BookmarkDialog
from reader.ui.bookmark_marks import short_quote
from reader.ui.bookmark_tree import BOOKMARK, FOLDER, KIND_ROLE
from reader.ui.bookmarks_panel import BookmarksPanel
from reader.ui.main_window import MainWindow
from reader.ui.passage_marks import find_heading
from reader.ui.reading_view import ReadingView
from reader.ui.section_tree import BOOKMARKED_ROLE
from tests.essay_fixtures import write_essay
from tests.ui.conftest import WindowFactory
from tests.ui.test_bookmark_dialog import when_shown

ESSAY = "nazi-soviet-alliance"


class DialogAnswers:
    """Stands in for the modal add/edit dialog: records what it was asked, answers."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.asked: list[dict[str, object]] = []
        self.answer: BookmarkDetails | str | None = "accept defaults"
        monkeypatch.setattr(BookmarkDialog, "ask", self._ask)

    def _ask(self, parent: object, title: str, details: BookmarkDetails, folders: list[str],
             place: str = "", quote: str = "") -> BookmarkDetails | None:
        self.asked.append({"title": title, "details": details, "folders": folders,
                           "place": place, "quote": quote})
        return details if self.answer == "accept defaults" else self.answer  # type: ignore


@pytest.fixture
def dialog(monkeypatch: pytest.MonkeyPatch) -> DialogAnswers:
    return DialogAnswers(monkeypatch)


@pytest.fixture
def store() -> BookmarkStore:
    made = BookmarkStore(None)
    yield made
    made.close()


@pytest.fixture
def panel(qtbot, store: BookmarkStore, library: Library) -> BookmarksPanel:
    made = BookmarksPanel(store, library)
    qtbot.addWidget(made)
    made.resize(320, 500)
    made.show()
    return made


def tree_items(panel: BookmarksPanel) -> list[tuple[int, str, str]]:
    """(depth, kind, text) of every item, in display order."""
    found: list[tuple[int, str, str]] = []

    def visit(item: QTreeWidgetItem, depth: int) -> None:
        found.append((depth, item.data(0, KIND_ROLE), item.text(0)))
        for index in range(item.childCount()):
            visit(item.child(index), depth + 1)

    for index in range(panel.tree.topLevelItemCount()):
        visit(panel.tree.topLevelItem(index), 0)
    return found


def visible_names(panel: BookmarksPanel) -> list[str]:
    names = []
    for index in range(panel.tree.topLevelItemCount()):
        stack = [panel.tree.topLevelItem(index)]
        while stack:
            item = stack.pop()
            if not item.isHidden():
                names.append(item.text(0))
                stack.extend(item.child(i) for i in range(item.childCount()))
    return sorted(names)


def marked_sections(window: MainWindow) -> set[str]:
    tree = window.section_tree
    return {
        section.id for section in window.library.sections()
        if (item := tree.item_for(section.document, section.id)) is not None
        and item.data(0, BOOKMARKED_ROLE)
    }


# --- the panel on its own ------------------------------------------------------------------

def test_tree_by_folder_with_notes_in_tooltips(panel: BookmarksPanel,
                                               store: BookmarkStore) -> None:
    assert not panel.tree.isVisibleTo(panel) and panel.empty_hint.isVisibleTo(panel)
    store.add(ESSAY, "raw-materials", "Raw Materials", note="oil and grain",
              folder="Research/Trade")
    store.add(ESSAY, "pact", "The Pact", folder="Research")
    store.add(ESSAY, "poland", "Poland")
    panel.refresh()
    assert panel.tree.isVisibleTo(panel) and not panel.empty_hint.isVisibleTo(panel)
    assert tree_items(panel) == [
        (0, FOLDER, "Research"),
        (1, FOLDER, "Trade"),
        (2, BOOKMARK, "Raw Materials"),
        (1, BOOKMARK, "The Pact"),
        (0, BOOKMARK, "Poland"),
    ]
    raw = panel.tree.topLevelItem(0).child(0).child(0)
    assert "oil and grain" in raw.toolTip(0)
    assert "Raw Materials" in raw.toolTip(0)


def test_filter_matches_names_notes_and_folders(panel: BookmarksPanel,
                                                store: BookmarkStore) -> None:
    store.add(ESSAY, "raw-materials", "Raw Materials", note="phosphates", folder="Trade")
    store.add(ESSAY, "pact", "The Pact", folder="Diplomacy")
    store.add(ESSAY, "poland", "Poland")
    panel.refresh()
    panel.filter_edit.setText("PHOSPH")
    assert visible_names(panel) == ["Raw Materials", "Trade"]
    panel.filter_edit.setText("diplomacy")  # a folder's name shows what is inside it
    assert visible_names(panel) == ["Diplomacy", "The Pact"]
    panel.filter_edit.setText("nothing like this")
    assert visible_names(panel) == []
    panel.filter_edit.clear()
    assert len(visible_names(panel)) == 5


def test_enter_in_the_filter_opens_the_first_match(qtbot, panel: BookmarksPanel,
                                                   store: BookmarkStore) -> None:
    store.add(ESSAY, "pact", "The Pact", folder="Diplomacy")
    store.add(ESSAY, "raw-materials", "Raw Materials", note="phosphates", folder="Trade")
    panel.refresh()
    panel.filter_edit.setText("phosph")
    with qtbot.waitSignal(panel.bookmark_activated) as signal:
        qtbot.keyClick(panel.filter_edit, Qt.Key.Key_Return)
    assert signal.args == [ESSAY, "raw-materials"]


def test_a_bookmark_whose_section_vanished_is_shown_and_not_opened(
    qtbot, panel: BookmarksPanel, store: BookmarkStore
) -> None:
    lost = store.add(ESSAY, "old-section", "Old", quote="Ploesti")
    panel.refresh()
    item = panel.item_for_bookmark(lost.id)
    assert item is not None
    assert item.font(0).italic()
    assert "no longer exists" in item.toolTip(0)
    messages: list[str] = []
    panel.message.connect(messages.append)
    with qtbot.assertNotEmitted(panel.bookmark_activated):
        panel.tree.itemActivated.emit(item, 0)
    assert messages and "no longer exists" in messages[-1]
    assert store.get(lost.id) is not None  # kept


def test_drop_on_a_folder_moves_the_dragged_bookmark(qtbot, panel: BookmarksPanel,
                                                     store: BookmarkStore) -> None:
    mark = store.add(ESSAY, "pact", "The Pact")
    store.add_folder("Diplomacy")
    panel.refresh()
    item = panel.item_for_bookmark(mark.id)
    folder = panel.item_for_folder("Diplomacy")
    assert item is not None and folder is not None
    panel.tree.setCurrentItem(item)
    mime: QMimeData = panel.tree.mimeData([item])
    point = QPointF(panel.tree.visualItemRect(folder).center())
    event = QDropEvent(point, Qt.DropAction.MoveAction, mime, Qt.MouseButton.LeftButton,
                       Qt.KeyboardModifier.NoModifier)
    # a drop coming from this tree: QDropEvent.source() is the drag's source widget
    event.source = lambda: panel.tree  # type: ignore[method-assign]
    panel.tree.dropEvent(event)
    qtbot.waitUntil(lambda: store.get(mark.id).folder == "Diplomacy")  # type: ignore[union-attr]
    assert (1, BOOKMARK, "The Pact") in tree_items(panel)
    panel.undo_action.trigger()
    assert store.get(mark.id).folder == ""  # type: ignore[union-attr]


def test_move_menu_moves_folders_and_bookmarks_as_one_undo_step(
    panel: BookmarksPanel, store: BookmarkStore
) -> None:
    a = store.add(ESSAY, "pact", "A")
    store.add(ESSAY, "poland", "B", folder="War")
    panel.refresh()
    panel.tree.clearSelection()
    panel.item_for_bookmark(a.id).setSelected(True)  # type: ignore[union-attr]
    panel.item_for_folder("War").setSelected(True)  # type: ignore[union-attr]
    panel.move_selected_to("Archive")
    assert store.get(a.id).folder == "Archive"  # type: ignore[union-attr]
    assert store.folders() == ["Archive", "Archive/War"]
    assert panel.undo_stack.count() == 1
    panel.undo_action.trigger()
    assert store.get(a.id).folder == ""  # type: ignore[union-attr]
    assert "War" in store.folders()


def test_a_folder_cannot_be_moved_into_itself(panel: BookmarksPanel,
                                              store: BookmarkStore) -> None:
    store.add_folder("A/B")
    panel.refresh()
    messages: list[str] = []
    panel.message.connect(messages.append)
    panel.move_items([(FOLDER, "A")], "A/B")
    assert store.folders() == ["A", "A/B"]
    assert messages and "into itself" in messages[-1]


def test_changes_made_elsewhere_show_up(panel: BookmarksPanel, tmp_path) -> None:
    path = tmp_path / "shared.sqlite3"
    with BookmarkStore(path) as mine, BookmarkStore(path) as other:
        panel.store = mine
        panel.refresh()
        assert not panel.sync_with_store()
        other.add(ESSAY, "pact", "Added in another window")
        assert panel.sync_with_store()
        assert tree_items(panel) == [(0, BOOKMARK, "Added in another window")]


def test_new_folder_and_edit_dialog(panel: BookmarksPanel, store: BookmarkStore,
                                    dialog: DialogAnswers,
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(bookmarks_panel, "ask_text", lambda *args: "Reading list")
    panel.new_folder()
    assert store.folders() == ["Reading list"]
    mark = store.add(ESSAY, "pact", "Pact")
    panel.refresh()
    panel.tree.setCurrentItem(panel.item_for_bookmark(mark.id))
    dialog.answer = BookmarkDetails("Pact of 1939", "signed 23 August\nin Moscow", "Reading list")
    panel.edit_action.trigger()
    assert dialog.asked[-1]["details"] == BookmarkDetails("Pact", "", "")
    changed = store.get(mark.id)
    assert changed is not None
    assert (changed.name, changed.note, changed.folder) == (
        "Pact of 1939", "signed 23 August\nin Moscow", "Reading list")
    assert "in Moscow" in panel.item_for_bookmark(mark.id).toolTip(0)  # type: ignore[union-attr]
    panel.undo_action.trigger()
    restored = store.get(mark.id)
    assert restored is not None and (restored.name, restored.note, restored.folder) == (
        "Pact", "", "")


def test_short_quote_cuts_at_a_word() -> None:
    assert short_quote("a\u2029b  c") == "a b c"
    long = "word " * 100
    cut = short_quote(long, 23)
    assert cut == "word word word word" and len(cut) <= 23


# --- in the main window --------------------------------------------------------------------

def test_add_bookmark_action_adds_the_section_at_the_top(make_window: WindowFactory,
                                                         dialog: DialogAnswers) -> None:
    window = make_window(section="raw-materials")
    # Offscreen windows are never active, so key sequences do not reach QShortcut;
    # trigger the action that Ctrl+D is bound to (the binding is checked below).
    window.bookmarks_panel.add_action.trigger()
    assert dialog.asked == []  # added at once, named after the section
    marks = window.bookmark_store.bookmarks()
    assert [(m.essay, m.section, m.name, m.quote) for m in marks] == [
        (ESSAY, "raw-materials", "Raw Materials", "")
    ]
    assert tree_items(window.bookmarks_panel) == [(0, BOOKMARK, "Raw Materials")]
    assert marked_sections(window) == {"raw-materials"}


def test_adding_a_selected_passage_keeps_its_quote_and_section(
    make_window: WindowFactory, dialog: DialogAnswers
) -> None:
    window = make_window(section="pact")
    view = window.reading_view
    found = view.document().find("Ploesti")  # further down the essay than the top section
    assert not found.isNull()
    cursor = QTextCursor(found)
    cursor.movePosition(QTextCursor.MoveOperation.EndOfWord,
                        QTextCursor.MoveMode.KeepAnchor)
    view.setTextCursor(cursor)
    dialog.answer = BookmarkDetails("Oil", "Romanian oil", "Research")
    window.bookmarks.add_bookmark(ask=True)
    (mark,) = window.bookmark_store.bookmarks()
    section = window.library.section(ESSAY, mark.section)
    assert section is not None and "Ploesti" in section.text
    assert mark.section != "pact"
    assert mark.quote == "Ploesti"
    assert (mark.name, mark.note, mark.folder) == ("Oil", "Romanian oil", "Research")


def test_cancelling_the_dialog_adds_nothing(make_window: WindowFactory,
                                            dialog: DialogAnswers) -> None:
    window = make_window(section="poland")
    dialog.answer = None
    window.bookmarks.add_bookmark(ask=True)
    assert window.bookmark_store.bookmarks() == []
    assert window.bookmarks_panel.undo_stack.count() == 0


def test_rename_in_place_with_f2_and_undo(qtbot, make_window: WindowFactory) -> None:
    window = make_window()
    mark = window.bookmark_store.add(ESSAY, "poland", "Poland")
    panel = window.bookmarks_panel
    panel.refresh()
    item = panel.item_for_bookmark(mark.id)
    panel.tree.setFocus()
    panel.tree.setCurrentItem(item)
    qtbot.keyClick(panel.tree, Qt.Key.Key_F2)
    editor = panel.tree.findChild(QLineEdit)
    assert editor is not None and editor.text() == "Poland"
    editor.selectAll()
    qtbot.keyClicks(editor, "Invasion of Poland")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.bookmark_store.get(mark.id).name == "Invasion of Poland")  # type: ignore[union-attr]
    assert tree_items(panel) == [(0, BOOKMARK, "Invasion of Poland")]
    panel.undo_action.trigger()
    assert window.bookmark_store.get(mark.id).name == "Poland"  # type: ignore[union-attr]
    assert tree_items(panel) == [(0, BOOKMARK, "Poland")]


def test_delete_and_undo(make_window: WindowFactory) -> None:
    window = make_window()
    store = window.bookmark_store
    keep = store.add(ESSAY, "pact", "Pact")
    gone = store.add(ESSAY, "poland", "Poland", note="partition")
    panel = window.bookmarks_panel
    panel.refresh()
    assert marked_sections(window) == {"pact", "poland"}
    messages: list[str] = []
    panel.message.connect(messages.append)
    panel.tree.setCurrentItem(panel.item_for_bookmark(gone.id))
    panel.delete_action.trigger()  # bound to Delete while the bookmarks have focus
    assert store.bookmarks() == [keep]
    assert tree_items(panel) == [(0, BOOKMARK, "Pact")]
    assert marked_sections(window) == {"pact"}
    assert messages and "Undo" in messages[-1]
    panel.undo_action.trigger()
    assert store.bookmarks() == [keep, gone]  # the same bookmark, same id and note
    assert marked_sections(window) == {"pact", "poland"}
    panel.redo_action.trigger()
    assert store.bookmarks() == [keep]


def test_deleting_a_folder_takes_its_bookmarks_and_undo_brings_them_back(
    make_window: WindowFactory,
) -> None:
    window = make_window()
    store = window.bookmark_store
    inner = store.add(ESSAY, "pact", "Pact", folder="War/Diplomacy")
    panel = window.bookmarks_panel
    panel.refresh()
    panel.tree.clearSelection()
    panel.item_for_folder("War").setSelected(True)  # type: ignore[union-attr]
    panel.delete_selected()
    assert store.bookmarks() == [] and store.folders() == []
    panel.undo_action.trigger()
    assert store.bookmarks() == [inner]
    assert store.folders() == ["War", "War/Diplomacy"]


@pytest.mark.parametrize("how", ["enter", "double-click"])
def test_activating_a_bookmark_navigates_through_history(
    qtbot, make_window: WindowFactory, how: str
) -> None:
    window = make_window(section="pact")
    mark = window.bookmark_store.add(ESSAY, "raw-materials", "Raw Materials")
    panel = window.bookmarks_panel
    panel.refresh()
    item = panel.item_for_bookmark(mark.id)
    assert item is not None
    panel.tree.setCurrentItem(item)
    with qtbot.waitSignal(panel.bookmark_activated) as signal:
        if how == "enter":
            panel.tree.setFocus()
            qtbot.keyClick(panel.tree, Qt.Key.Key_Return)
        else:
            rect = panel.tree.visualItemRect(item)
            # a real double click: press and release, then the double-click event
            qtbot.mouseClick(panel.tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
            qtbot.mouseDClick(panel.tree.viewport(), Qt.MouseButton.LeftButton,
                              pos=rect.center())
    assert signal.args == [ESSAY, "raw-materials"]
    assert window.reading_view.section_at_top() == "raw-materials"
    window.core_actions.back.trigger()  # the shared history knows where we came from
    assert window.reading_view.section_at_top() == "pact"


# --- the reading position and the store -----------------------------------------------------

def test_reading_position_is_saved_on_close_and_restored(
    qtbot, locations: Locations, settings: QSettings
) -> None:
    first = create_main_window(locations, settings)
    qtbot.addWidget(first)
    first.resize(1000, 700)
    first.show()
    first.open_start(None, "raw-materials")
    view = first.reading_view
    top = view.section_top("raw-materials")
    assert top is not None
    view.verticalScrollBar().setValue(round(top) + 120)
    assert view.section_at_top() == "raw-materials"
    first.close()
    saved = BookmarkStore.open_in(locations.data_dir)
    position = saved.last_position()
    saved.close()
    assert position is not None
    assert (position.essay, position.section) == (ESSAY, "raw-materials")
    assert 100 <= position.offset <= 140

    second = create_main_window(locations, settings)
    qtbot.addWidget(second)
    second.resize(1000, 700)
    second.show()
    assert second.open_last_position()
    assert second.reading_view.section_at_top() == "raw-materials"
    second_top = second.reading_view.section_top("raw-materials")
    assert second_top is not None
    value = second.reading_view.verticalScrollBar().value()
    assert value - round(second_top) == position.offset


def test_positions_are_saved_while_reading_throttled(qtbot, make_window: WindowFactory) -> None:
    window = make_window(section="pact")
    keeper = window.position_keeper
    keeper._timer.setInterval(50)
    window.open_section(ESSAY, "poland")
    qtbot.waitUntil(lambda: (window.bookmark_store.last_position() or None) is not None
                    and window.bookmark_store.last_position().section == "poland",  # type: ignore[union-attr]
                    timeout=3000)


def test_a_damaged_store_is_reported_in_the_window(
    qtbot, locations: Locations, settings: QSettings
) -> None:
    locations.data_dir.mkdir(parents=True)
    damaged = locations.data_dir / STORE_FILE
    damaged.write_bytes(b"my bookmarks, but not SQLite" * 40)
    window = create_main_window(locations, settings)
    qtbot.addWidget(window)
    window.show()
    aside = [p for p in locations.data_dir.iterdir() if ".damaged-" in p.name]
    assert len(aside) == 1
    assert aside[0].read_bytes() == b"my bookmarks, but not SQLite" * 40
    assert str(aside[0]) in window.statusBar().currentMessage()
    assert window.bookmarks_panel.notice_box.isVisibleTo(window)
    assert str(aside[0]) in window.bookmarks_panel.notice.text()
    dismiss = window.bookmarks_panel.findChild(QToolButton, "bookmark_notice_dismiss")
    assert dismiss is not None
    dismiss.click()
    assert not window.bookmarks_panel.notice_box.isVisibleTo(window)
    window.bookmark_store.add(ESSAY, "pact", "Works")  # the fresh store is usable


def test_bookmarks_menu_is_in_the_menu_bar(main_window: MainWindow) -> None:
    titles = [action.text() for action in main_window.menuBar().actions()]
    assert "&Bookmarks" in titles
    assert main_window.bookmarks_dock.isVisible()
    panel = main_window.bookmarks_panel
    assert panel.add_action.shortcut().toString() == "Ctrl+D"
    assert panel.delete_action.shortcut().matches(QKeySequence(Qt.Key.Key_Delete)) == (
        QKeySequence.SequenceMatch.ExactMatch)
    assert panel.rename_action.shortcut().toString() == "F2"
    assert panel.undo_action.shortcut() == QKeySequence(QKeySequence.StandardKey.Undo)


def test_a_not_found_bookmark_can_be_repointed_to_the_section_being_read(
    make_window: WindowFactory,
) -> None:
    window = make_window(section="differences")
    store = window.bookmark_store
    lost = store.add(ESSAY, "gone-away", "Lost one", note="keep me")
    panel = window.bookmarks_panel
    panel.refresh()
    panel.tree.setCurrentItem(panel.item_for_bookmark(lost.id))
    panel.repoint_action.trigger()
    moved = store.get(lost.id)
    assert moved is not None and (moved.section, moved.note) == ("differences", "keep me")
    item = panel.item_for_bookmark(lost.id)
    assert item is not None and not item.font(0).italic()
    assert "differences" in marked_sections(window)
    panel.undo_action.trigger()
    assert store.get(lost.id).section == "gone-away"  # type: ignore[union-attr]


def test_export_and_import_from_the_panel(
    panel: BookmarksPanel, store: BookmarkStore, tmp_path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store.add(ESSAY, "pact", "Pact", note="n", folder="F")
    target = tmp_path / "out.json"
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        lambda *args, **kwargs: (str(target), ""))
    panel.export_action.trigger()
    assert '"reference-reader-bookmarks"' in target.read_text(encoding="utf-8")

    store.remove(store.bookmarks()[0].id)
    panel.refresh()
    monkeypatch.setattr(QFileDialog, "getOpenFileName",
                        lambda *args, **kwargs: (str(target), ""))
    messages: list[str] = []
    panel.message.connect(messages.append)
    panel.import_action.trigger()
    assert [m.name for m in store.bookmarks()] == ["Pact"]
    assert (1, BOOKMARK, "Pact") in tree_items(panel)
    assert "Imported 1" in messages[-1]


def test_a_malformed_import_is_refused_with_a_message(
    panel: BookmarksPanel, store: BookmarkStore, tmp_path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store.add(ESSAY, "pact", "Mine")
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "reference-reader-bookmarks", "version": 1, "bookmarks": 3}',
                   encoding="utf-8")
    monkeypatch.setattr(QFileDialog, "getOpenFileName",
                        lambda *args, **kwargs: (str(bad), ""))
    warnings: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning",
                        lambda parent, title, text: warnings.append(text))
    panel.import_action.trigger()
    assert len(warnings) == 1
    assert "must be a list" in warnings[0] and "Nothing was imported" in warnings[0]
    assert [m.name for m in store.bookmarks()] == ["Mine"]


def test_switching_essays_keeps_the_position_in_the_first(
    qtbot, make_window: WindowFactory, tmp_path
) -> None:
    content = tmp_path / "content"
    write_essay(content, "alpha")
    write_essay(content, "beta")
    window = make_window(content=content, section=None)
    keeper = window.position_keeper
    keeper._timer.setInterval(60_000)  # only the essay switch may write
    assert window.open_section("alpha", "second")
    view = window.reading_view
    view.verticalScrollBar().setValue(view.verticalScrollBar().value() + 20)
    top = view.section_top("second")
    assert top is not None and view.section_at_top() == "second"
    expected = view.verticalScrollBar().value() - round(top)
    assert expected > 0
    assert window.open_section("beta", "first")
    store = window.bookmark_store
    alpha = store.position("alpha")
    assert alpha is not None and (alpha.section, alpha.offset) == ("second", expected)
    keeper.save_now()
    last = store.last_position()
    assert last is not None and (last.essay, last.section) == ("beta", "first")


def test_a_vanished_last_section_opens_its_essay(make_window: WindowFactory) -> None:
    window = make_window(section="pact")
    window.bookmark_store.save_position(ESSAY, "no-longer-here", 50)
    assert window.open_last_position()
    assert window.current_essay is not None and window.current_essay.id == ESSAY


def test_opening_a_bookmark_with_a_quote_selects_the_passage(
    qtbot, make_window: WindowFactory
) -> None:
    window = make_window(section="pact")
    section = window.library.find_section("raw-materials")
    assert section is not None
    quote = "1 million tons of grain"
    assert quote in section.text
    mark = window.bookmark_store.add(ESSAY, "raw-materials", "Grain", quote=quote)
    panel = window.bookmarks_panel
    panel.refresh()
    panel.tree.setCurrentItem(panel.item_for_bookmark(mark.id))
    panel.open_action.trigger()
    view = window.reading_view
    assert view.textCursor().selectedText() == quote
    assert view.viewport().rect().contains(view.cursorRect(view.textCursor()))
    assert window.reading_view.section_at_top() == "raw-materials"


def test_an_unusable_data_folder_keeps_bookmarks_in_memory_and_says_so(
    qtbot, locations: Locations, settings: QSettings, tmp_path
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the data folder should be")
    where = Locations(locations.content_dir, blocker / "data", locations.cache_dir)
    window = create_main_window(where, settings)
    qtbot.addWidget(window)
    window.show()
    assert "cannot be saved in this session" in window.statusBar().currentMessage()
    assert window.bookmarks_panel.notice_box.isVisibleTo(window)
    mark = window.bookmark_store.add(ESSAY, "pact", "In memory")  # still usable
    assert window.bookmark_store.get(mark.id) == mark
    assert blocker.read_text() == "a file where the data folder should be"


def test_renaming_a_folder_in_place_keeps_its_contents(qtbot, panel: BookmarksPanel,
                                                       store: BookmarkStore) -> None:
    inner = store.add(ESSAY, "pact", "Pact", folder="War/Diplomacy")
    store.add_folder("Peace")
    panel.refresh()
    folder = panel.item_for_folder("War")
    assert folder is not None
    folder.setText(0, "Conflict")  # what the in-place editor does on Enter
    qtbot.waitUntil(lambda: "Conflict" in store.folders())
    assert store.get(inner.id).folder == "Conflict/Diplomacy"  # type: ignore[union-attr]
    messages: list[str] = []
    panel.message.connect(messages.append)
    panel.rename(FOLDER, "Conflict", "Peace")  # taken: refused, nothing changes
    assert "already a folder" in messages[-1]
    assert store.get(inner.id).folder == "Conflict/Diplomacy"  # type: ignore[union-attr]
    panel.undo_action.trigger()
    assert store.folders() == ["Peace", "War", "War/Diplomacy"]
    assert store.get(inner.id).folder == "War/Diplomacy"  # type: ignore[union-attr]


# --- passages: Ctrl+D at once, named from the quote, drawn in the text ---------------------

def activate(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    window.windowHandle().requestActivate()
    qtbot.waitUntil(window.isActiveWindow)


def first_paragraph(window: MainWindow, section: str) -> QTextBlock:
    """The first paragraph of ``section`` in the reading view."""
    heading = find_heading(window.reading_view.document(), section)
    assert heading is not None
    block = heading.next()
    while block.isValid() and len(block.text()) < 120:
        block = block.next()
    assert block.isValid()
    return block


def select_by_mouse(qtbot, view: ReadingView, start: int, end: int) -> str:  # type: ignore[no-untyped-def]
    """Click before ``start`` and Shift+click before ``end``, as a reader selects."""
    cursor = QTextCursor(view.document())
    cursor.setPosition(start)
    top = view.document().documentLayout().blockBoundingRect(cursor.block()).top()
    view.verticalScrollBar().setValue(round(top) - 60)  # the paragraph on screen
    first = view.cursorRect(cursor)
    cursor.setPosition(end)
    last = view.cursorRect(cursor)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton,
                     pos=QPoint(first.left() + 1, first.center().y()))
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton,
                     Qt.KeyboardModifier.ShiftModifier, QPoint(last.left() + 1, last.center().y()))
    return view.textCursor().selectedText()


def word_end(text: str, at: int) -> int:
    """The first word boundary (a space) at or after ``at``."""
    return text.index(" ", at)


def passage_ranges(view: ReadingView) -> list[tuple[int, int]]:
    return [(s.cursor.selectionStart(), s.cursor.selectionEnd())
            for s in view.extraSelections()]


def hover_tooltip(qtbot, view: ReadingView, position: int) -> str:  # type: ignore[no-untyped-def]
    """Rest the pointer over character ``position`` and read the tooltip shown."""
    cursor = QTextCursor(view.document())
    cursor.setPosition(position)
    rect = view.cursorRect(cursor)
    pos = QPoint(rect.left() + 3, rect.center().y())
    QToolTip.hideText()
    qtbot.waitUntil(lambda: not QToolTip.isVisible())
    qtbot.mouseMove(view.viewport(), pos)
    event = QHelpEvent(QEvent.Type.ToolTip, pos, view.viewport().mapToGlobal(pos))
    QApplication.sendEvent(view.viewport(), event)
    return QToolTip.text() if QToolTip.isVisible() else ""


def test_ctrl_d_bookmarks_two_passages_of_a_section_at_once_by_their_quotes(
    qtbot, make_window: WindowFactory
) -> None:
    window = make_window(section="pact")
    activate(qtbot, window)
    view = window.reading_view
    block = first_paragraph(window, "pact")
    text = block.text()
    first_end = word_end(text, 60)
    second_start = word_end(text, 80) + 1
    second_end = word_end(text, 115)
    quotes = []
    for start, end in ((0, first_end), (second_start, second_end)):
        selected = select_by_mouse(qtbot, view, block.position() + start, block.position() + end)
        assert selected == text[start:end]
        quotes.append(selected)
        qtbot.keyClick(view, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
        assert QApplication.activeModalWidget() is None  # no dialog: added at once
    marks = window.bookmark_store.bookmarks()
    assert [(m.section, m.quote) for m in marks] == [("pact", q) for q in quotes]
    names = [m.name for m in marks]
    assert names[0] != names[1]
    for name, quote in zip(names, quotes, strict=True):
        assert quote.startswith(name.rstrip("\u2026"))
        assert name != "NAZI-Soviet Non-Aggression Pact (August 1939)"
    # The panel shows the quote under the name (tooltip).
    items = [window.bookmarks_panel.item_for_bookmark(m.id) for m in marks]
    assert all(quote in item.toolTip(0) for item, quote in zip(items, quotes, strict=True))
    # Both passages are highlighted in the text, exactly over the quotes.
    qtbot.waitUntil(lambda: len(passage_ranges(view)) == 2)
    assert sorted(passage_ranges(view)) == [
        (block.position(), block.position() + first_end),
        (block.position() + second_start, block.position() + second_end),
    ]


def test_a_passage_note_shows_on_hover_and_ctrl_z_undoes_in_the_text(
    qtbot, make_window: WindowFactory
) -> None:
    window = make_window(section="poland")
    activate(qtbot, window)
    view = window.reading_view
    block = first_paragraph(window, "poland")
    end = word_end(block.text(), 40)
    select_by_mouse(qtbot, view, block.position(), block.position() + end)
    qtbot.keyClick(view, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    (mark,) = window.bookmark_store.bookmarks()
    qtbot.waitUntil(lambda: len(passage_ranges(view)) == 1)
    assert "Bookmark: " + mark.name in hover_tooltip(qtbot, view, block.position() + 5)

    def write_note(dialog: QWidget) -> None:
        assert isinstance(dialog, BookmarkDialog)
        qtbot.keyClick(dialog.name_edit, Qt.Key.Key_Tab)
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        qtbot.keyClicks(QApplication.focusWidget(), "Check the date of the invasion")
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)

    seen = when_shown(BookmarkDialog, write_note)
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_F2)  # edits the bookmark just added
    assert len(seen) == 1
    assert window.bookmark_store.get(mark.id).note == "Check the date of the invasion"  # type: ignore[union-attr]
    qtbot.waitUntil(lambda: "Check the date" in hover_tooltip(qtbot, view, block.position() + 5))
    # The noted passage carries a marker: a dotted line under it.
    (selection,) = [s for s in view.extraSelections()
                    if s.cursor.selectionStart() == block.position()]
    assert selection.format.underlineStyle() == QTextCharFormat.UnderlineStyle.DotLine
    # Outside the passage: no note.
    assert "Check the date" not in hover_tooltip(qtbot, view, block.position() + end + 40)
    # Ctrl+Z in the text undoes the note, then the bookmark itself.
    activate(qtbot, window)  # back from the dialog
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert window.bookmark_store.get(mark.id).note == ""  # type: ignore[union-attr]
    qtbot.keyClick(view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert window.bookmark_store.bookmarks() == []
    qtbot.waitUntil(lambda: passage_ranges(view) == [])


def test_bookmarks_in_a_folder_share_a_colour_of_their_own(qtbot, make_window: WindowFactory
                                                          ) -> None:
    window = make_window(section="pact")
    store = window.bookmark_store
    view = window.reading_view
    text = first_paragraph(window, "pact").text()
    store.add(ESSAY, "pact", "a", quote=text[:30])
    store.add(ESSAY, "pact", "b", folder="Oil", quote=text[40:70])
    store.add(ESSAY, "pact", "c", folder="Oil/Romania", quote=text[80:110])
    window.bookmarks_panel.refresh()
    qtbot.waitUntil(lambda: len(passage_ranges(view)) == 3)
    colours = [s.format.background().color().name()
               for s in sorted(view.extraSelections(), key=lambda s: s.cursor.position())]
    assert colours[1] == colours[2] != colours[0]


def test_the_icon_stays_visible_on_a_selected_row(qtbot, make_window: WindowFactory) -> None:
    window = make_window(section="pact")
    mark = window.bookmark_store.add(ESSAY, "pact", "Pact")
    panel = window.bookmarks_panel
    panel.refresh()
    activate(qtbot, window)
    item = panel.item_for_bookmark(mark.id)
    rect = panel.tree.visualItemRect(item)
    qtbot.mouseClick(panel.tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert item.isSelected()
    qtbot.wait(50)
    image = panel.tree.viewport().grab(rect).toImage()
    highlight = panel.tree.palette().color(QPalette.ColorRole.Highlight)
    side = panel.tree.iconSize().height() or 16
    # Where the icon is drawn (the row's left end) some pixels differ from the highlight.
    differing = sum(
        1 for x in range(2, 6 + side) for y in range(image.height())
        if _distance(image.pixelColor(x, y), highlight) > 120
    )
    assert differing > side  # the icon's shape, not an empty highlighted square


def _distance(one: QColor, two: QColor) -> int:
    return abs(one.red() - two.red()) + abs(one.green() - two.green()) + abs(
        one.blue() - two.blue())


def test_the_menu_stays_narrow_after_a_long_named_change(qtbot, make_window: WindowFactory
                                                        ) -> None:
    window = make_window(section="pact")
    panel = window.bookmarks_panel
    mark = window.bookmark_store.add(ESSAY, "pact", "Pact")
    panel.refresh()
    panel.rename("bookmark", mark.id, "A very long name " * 12)
    assert panel.undo_stack.canUndo()
    assert len(panel.undo_action.text()) <= len("&Undo ") + bookmarks_panel.MAX_UNDO_TEXT
    panel.menu_button.setFocus()
    shown: list[int] = []
    when_shown(QMenu, lambda menu: (shown.append(menu.width()), menu.close()), popup=True)
    qtbot.keyClick(panel.menu_button, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: bool(shown))
    assert shown[0] < window.width() // 2


def test_a_selection_cutting_words_is_bookmarked_in_whole_words(
    qtbot, make_window: WindowFactory
) -> None:
    window = make_window(section="pact")
    activate(qtbot, window)
    view = window.reading_view
    block = first_paragraph(window, "pact")
    text = block.text()
    end = word_end(text, 50)
    # From the second letter of the paragraph to the middle of a word.
    select_by_mouse(qtbot, view, block.position() + 1, block.position() + end - 2)
    qtbot.keyClick(view, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    (mark,) = window.bookmark_store.bookmarks()
    assert mark.quote == " ".join(text[:end].split())
