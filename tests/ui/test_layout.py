"""The window's layout under real resizes: the sidebar, the reading column, the
Timeline, the column width keys, and a layout saved on a larger screen."""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QSettings, Qt
from PySide6.QtGui import QFontMetricsF, QGuiApplication
from PySide6.QtWidgets import QApplication, QDockWidget

from reader.app import create_main_window
from reader.core import themes
from reader.core.paths import Locations
from reader.ui.main_window import GEOMETRY_KEY, STATE_KEY, MainWindow
from reader.ui.sidebar import Sidebar
from reader.ui.window_fit import MIN_COLUMN_CHARS
from tests.conftest import ESSAY_ID
from tests.ui.conftest import WindowFactory


def text_width(w: MainWindow) -> float:
    view = w.reading_view
    frame = view.document().rootFrame().frameFormat()
    return view.viewport().width() - frame.leftMargin() - frame.rightMargin()


def body_characters(w: MainWindow) -> float:
    """The text column in characters of the font a body paragraph is set in."""
    cursor = w.reading_view.document().find("The Soviet Union would provide")
    assert not cursor.isNull()
    return text_width(w) / QFontMetricsF(cursor.charFormat().font()).averageCharWidth()


def side_docks(w: MainWindow) -> list[QDockWidget]:
    return [d for d in w.findChildren(QDockWidget) if d.objectName() != "timeline_dock"]


def in_front(dock: QDockWidget) -> bool:
    """Shown and not behind another tab."""
    return dock.isVisible() and not dock.visibleRegion().isEmpty()


def focus_the_text(qtbot, w: MainWindow) -> None:
    w.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is w)
    w.reading_view.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is w.reading_view)


def test_one_tabbed_sidebar_by_default(make_window: WindowFactory) -> None:
    w = make_window()
    docks = side_docks(w)
    assert {d.objectName() for d in docks} >= {
        "contents_dock", "index_dock", "search_dock", "bookmarks_dock"
    }
    assert {w.dockWidgetArea(d) for d in docks} == {Qt.DockWidgetArea.LeftDockWidgetArea}
    tabs = w.tabifiedDockWidgets(w.contents_dock)
    assert {d.objectName() for d in tabs} == {d.objectName() for d in docks} - {"contents_dock"}
    assert w.contents_dock.isVisible()
    assert not w.xref.timeline_dock.isVisible()


def test_widths_at_1000_and_1920_and_folding_when_narrow(qtbot, make_window: WindowFactory) -> None:
    w = make_window()
    w.resize(1000, 700)
    qtbot.waitUntil(lambda: w.width() == 1000)
    qtbot.waitUntil(lambda: w.contents_dock.isVisible())
    assert w.contents_dock.width() <= 320
    assert w.reading_view.width() >= 1000 - 340  # the text has most of the window
    assert body_characters(w) >= MIN_COLUMN_CHARS

    w.resize(1920, 1200)
    qtbot.waitUntil(lambda: w.width() == 1920)
    assert w.contents_dock.isVisible() and w.contents_dock.width() <= 320
    assert text_width(w) == themes.DEFAULT_COLUMN  # a measure, not the window's width

    sidebar = w.feature(Sidebar)
    w.resize(sidebar.room_needed() - 60, 700)
    qtbot.waitUntil(lambda: not sidebar.is_shown)
    assert not sidebar.toggle_action.isChecked()
    assert body_characters(w) >= MIN_COLUMN_CHARS
    # F9 brings it back by hand; a wide window brings it back by itself.
    focus_the_text(qtbot, w)
    qtbot.keyClick(w.reading_view, Qt.Key.Key_F9)
    assert sidebar.is_shown and w.contents_dock.isVisible()
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_F9)
    assert not sidebar.is_shown
    w.resize(1400, 900)
    qtbot.waitUntil(lambda: w.width() == 1400)
    assert not sidebar.is_shown  # hidden by hand stays hidden
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_F9)
    w.resize(sidebar.room_needed() - 60, 700)
    qtbot.waitUntil(lambda: not sidebar.is_shown)
    w.resize(1400, 900)
    qtbot.waitUntil(lambda: sidebar.is_shown)  # folded by width: back with the room


def test_the_front_tab_stays_in_front_through_f9(qtbot, make_window: WindowFactory) -> None:
    w = make_window()
    focus_the_text(qtbot, w)
    qtbot.keyClick(w.reading_view, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: in_front(w.search.dock))
    focus_the_text(qtbot, w)
    qtbot.keyClick(w.reading_view, Qt.Key.Key_F9)
    qtbot.waitUntil(lambda: not w.search.dock.isVisible())
    qtbot.keyClick(w.reading_view, Qt.Key.Key_F9)
    qtbot.waitUntil(lambda: in_front(w.search.dock))
    assert not in_front(w.contents_dock)


def test_reset_layout_from_the_view_menu(qtbot, make_window: WindowFactory) -> None:
    w = make_window()
    w.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, w.bookmarks_dock)
    w.contents_dock.hide()
    focus_the_text(qtbot, w)
    qtbot.keyClick(w.reading_view, Qt.Key.Key_V, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: QApplication.activePopupWidget() is w.menus.view)
    reset = w.feature(Sidebar).reset_action
    w.menus.view.setActiveAction(reset)
    qtbot.keyClick(w.menus.view, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: w.contents_dock.isVisible())
    assert w.dockWidgetArea(w.bookmarks_dock) == Qt.DockWidgetArea.LeftDockWidgetArea


def test_the_timeline_opens_below_from_go_and_gives_the_keys_back(
    qtbot, make_window: WindowFactory
) -> None:
    w = make_window()
    w.resize(1200, 800)
    dock = w.xref.timeline_dock
    sidebar = w.feature(Sidebar)
    assert sidebar.go_timeline_action in w.menus.go.actions()
    focus_the_text(qtbot, w)
    qtbot.keyClick(w.reading_view, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier
                   | Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(dock.isVisible)
    assert w.dockWidgetArea(dock) == Qt.DockWidgetArea.BottomDockWidgetArea
    qtbot.waitUntil(lambda: dock.height() <= 0.35 * w.height())
    dock.widget().setFocus()
    qtbot.waitUntil(lambda: dock.isAncestorOf(QApplication.focusWidget()))
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier
                   | Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: not dock.isVisible())
    assert QApplication.focusWidget() is w.reading_view
    before = w.reading_view.verticalScrollBar().value()
    qtbot.keyClick(w.reading_view, Qt.Key.Key_PageDown)
    assert w.reading_view.verticalScrollBar().value() > before


def test_column_keys_change_the_column_at_the_default_size_and_keep_the_place(
    qtbot, make_window: WindowFactory
) -> None:
    w = make_window()
    w.resize(1200, 820)
    qtbot.waitUntil(lambda: w.width() == 1200)
    w.open_section(ESSAY_ID, "raw-materials")
    focus_the_text(qtbot, w)
    start = text_width(w)
    qtbot.keyClick(w.reading_view, Qt.Key.Key_BracketRight, Qt.KeyboardModifier.ControlModifier)
    wider = text_width(w)
    assert wider > start
    assert w.reading_view.section_at_top() == "raw-materials"
    assert f"{round(wider)} pixels" in w.statusBar().currentMessage()
    for _ in range(3):
        qtbot.keyClick(w.reading_view, Qt.Key.Key_BracketLeft, Qt.KeyboardModifier.ControlModifier)
    assert text_width(w) < start
    assert w.reading_view.section_at_top() == "raw-materials"
    qtbot.keyClick(w.reading_view, Qt.Key.Key_Backslash, Qt.KeyboardModifier.ControlModifier)
    assert text_width(w) == start == themes.DEFAULT_COLUMN
    assert w.reading_view.section_at_top() == "raw-materials"


def test_a_layout_saved_on_a_larger_screen_opens_usable(
    qtbot, locations: Locations, settings: QSettings
) -> None:
    screen = QGuiApplication.primaryScreen().availableGeometry()
    big = create_main_window(locations, settings)
    qtbot.addWidget(big)
    big.show()
    big.setGeometry(screen.x() + 300, screen.y() + 200, screen.width() + 900, screen.height() + 600)
    big.open_start()
    # Squeeze the text as a larger screen's layout might: the docks very wide.
    big.resizeDocks([big.contents_dock], [screen.width() + 300], Qt.Orientation.Horizontal)
    big.close()
    assert isinstance(settings.value(GEOMETRY_KEY), QByteArray)
    assert isinstance(settings.value(STATE_KEY), QByteArray)

    window = create_main_window(locations, settings)
    qtbot.addWidget(window)
    window.restore_state()
    window.show()
    qtbot.waitExposed(window)
    window.open_start()
    frame = window.frameGeometry()
    assert screen.contains(frame), (screen, frame)
    assert body_characters(window) >= MIN_COLUMN_CHARS


def test_a_tiny_saved_window_opens_at_a_usable_size(
    qtbot, locations: Locations, settings: QSettings
) -> None:
    small = create_main_window(locations, settings)
    qtbot.addWidget(small)
    small.show()
    small.resize(518, 327)
    small.close()
    window = create_main_window(locations, settings)
    qtbot.addWidget(window)
    window.restore_state()
    window.show()
    window.open_start()
    screen = window.screen().availableGeometry()
    assert window.width() >= min(640, screen.width() - 10)
    assert screen.contains(window.frameGeometry())
    assert body_characters(window) >= MIN_COLUMN_CHARS
