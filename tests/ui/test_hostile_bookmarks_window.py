"""The window's bookmark store under hostile conditions: its data folder deleted
while it is open, its database held by another program."""

from __future__ import annotations

import shutil
import sqlite3

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from reader.core.bookmarks import STORE_FILE, BookmarkStore
from reader.core.paths import Locations
from tests.ui.conftest import WindowFactory


def press_ctrl_d(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    window.windowHandle().requestActivate()
    qtbot.waitUntil(window.isActiveWindow)
    view = window.reading_view
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    assert QApplication.activeModalWidget() is None


def test_a_deleted_data_folder_is_recreated_by_the_next_bookmark_and_said(
    qtbot, make_window: WindowFactory, locations: Locations  # type: ignore[no-untyped-def]
) -> None:
    window = make_window(section="pact")
    press_ctrl_d(qtbot, window)
    assert [m.section for m in window.bookmark_store.bookmarks()] == ["pact"]
    shutil.rmtree(locations.data_dir)

    window.open_section("nazi-soviet-alliance", "poland")
    press_ctrl_d(qtbot, window)

    message = window.statusBar().currentMessage()
    assert "Bookmarked" in message and "deleted" in message
    assert window.bookmarks_panel.notice_box.isVisibleTo(window.bookmarks_panel)
    with BookmarkStore.open_in(locations.data_dir) as again:
        assert [m.section for m in again.bookmarks()] == ["pact", "poland"]


def test_a_database_held_by_another_program_is_reported_not_waited_for(
    qtbot, make_window: WindowFactory, locations: Locations  # type: ignore[no-untyped-def]
) -> None:
    window = make_window(section="pact")
    holder = sqlite3.connect(locations.data_dir / STORE_FILE)
    try:
        holder.execute("BEGIN EXCLUSIVE")
        press_ctrl_d(qtbot, window)
        message = window.statusBar().currentMessage()
    finally:
        holder.rollback()
        holder.close()
    assert "another program" in message
    assert window.bookmark_store.bookmarks() == []
