"""Full screen and distraction-free reading, driven by keys and the pointer, and
remembered from one session to the next."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QSettings, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from reader.app import create_main_window
from reader.core.paths import Locations
from reader.ui.main_window import MainWindow
from reader.ui.window_modes import WindowModes
from tests.ui.conftest import WindowFactory


def focus_the_text(qtbot, w: MainWindow) -> None:
    w.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is w)
    w.reading_view.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is w.reading_view)


def shift_f11(qtbot, w: MainWindow) -> None:
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_F11, Qt.KeyboardModifier.ShiftModifier)


def test_esc_leaves_distraction_free_with_the_same_tab_in_front(
    qtbot, make_window: WindowFactory
) -> None:
    w = make_window()
    focus_the_text(qtbot, w)
    shift_f11(qtbot, w)
    modes = w.feature(WindowModes)
    assert modes.distraction_free
    assert not w.menuBar().isVisible() and not w.contents_dock.isVisible()
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Escape)
    assert not modes.distraction_free
    assert w.menuBar().isVisible() and w.statusBar().isVisible() and w.menus.toolbar.isVisible()
    qtbot.waitUntil(lambda: not w.contents_dock.visibleRegion().isEmpty())
    assert w.xref.index_dock.visibleRegion().isEmpty()  # the Contents, not the Index, in front
    assert QApplication.focusWidget() is w.reading_view


def test_the_top_edge_brings_the_bars_back(qtbot, make_window: WindowFactory) -> None:
    w = make_window()
    focus_the_text(qtbot, w)
    shift_f11(qtbot, w)
    modes = w.feature(WindowModes)
    view = w.reading_view.viewport()
    QTest.mouseMove(view, QPoint(view.width() // 2, view.height() // 2))
    assert not w.menuBar().isVisible()
    top = view.mapFrom(w, QPoint(w.width() // 2, 1))
    QTest.mouseMove(view, top)
    qtbot.waitUntil(lambda: w.menuBar().isVisible() and w.menus.toolbar.isVisible())
    assert modes.bars_revealed and modes.distraction_free
    QTest.mouseMove(view, QPoint(view.width() // 2, view.height() // 2))
    qtbot.waitUntil(lambda: not w.menuBar().isVisible())
    assert modes.distraction_free


def test_full_screen_and_distraction_free_are_remembered(
    qtbot, locations: Locations, settings: QSettings
) -> None:
    first = create_main_window(locations, settings)
    qtbot.addWidget(first)
    first.restore_state()
    first.show()
    first.open_start()
    focus_the_text(qtbot, first)
    qtbot.keyClick(first.reading_view, Qt.Key.Key_F11)
    qtbot.waitUntil(first.isFullScreen)
    shift_f11(qtbot, first)
    first.close()

    second = create_main_window(locations, settings)
    qtbot.addWidget(second)
    second.restore_state()
    second.show()
    qtbot.waitUntil(second.isFullScreen)
    modes = second.feature(WindowModes)
    assert modes.distraction_free and not second.contents_dock.isVisible()
    focus_the_text(qtbot, second)
    qtbot.keyClick(second.reading_view, Qt.Key.Key_Escape)
    assert second.contents_dock.isVisible()  # the saved layout had its panels
    qtbot.keyClick(second.reading_view, Qt.Key.Key_F11)
    qtbot.waitUntil(lambda: not second.isFullScreen())
    second.close()

    third = create_main_window(locations, settings)
    qtbot.addWidget(third)
    third.restore_state()
    third.show()
    assert not third.isFullScreen() and not third.feature(WindowModes).distraction_free
