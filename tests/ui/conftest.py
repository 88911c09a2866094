"""Fixtures that build the real main window, offscreen, over temporary state."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings

from reader.app import create_main_window
from reader.core.paths import Locations
from reader.ui.main_window import MainWindow

WindowFactory = Callable[..., MainWindow]


@pytest.fixture
def settings(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def make_window(qtbot, locations: Locations, settings: QSettings) -> WindowFactory:
    """Build, show and open a main window; ``content=`` swaps in another library."""

    def make(content: Path | None = None, section: str | None = None) -> MainWindow:
        where = (
            Locations(content, locations.data_dir, locations.cache_dir) if content else locations
        )
        window = create_main_window(where, settings)
        qtbot.addWidget(window)
        window.resize(1200, 800)
        window.show()
        qtbot.waitExposed(window)
        window.open_start(None, section)
        return window

    return make


@pytest.fixture
def main_window(make_window: WindowFactory) -> MainWindow:
    return make_window()
