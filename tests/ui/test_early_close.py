"""A window closed right after its first paint, before the panels that follow it are
built: nothing is built on the closed window and nothing fails."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings

from reader.app import create_main_window
from reader.core.paths import Locations
from tests import PROJECT_ROOT

CLOSE_AT_ONCE = r"""
import sys
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication
from reader.__main__ import main
from reader.ui.main_window import MainWindow

class CloseAfterFirstPaint(QObject):
    # The window is closed as soon as it has painted its text: before the work that
    # follows the first paint (the panels among it) has run.
    def eventFilter(self, watched, event):
        window = watched.window() if event.type() == QEvent.Type.Paint else None
        if isinstance(window, MainWindow) and watched is window.reading_view.viewport():
            app.removeEventFilter(self)
            QTimer.singleShot(0, window.close)
        return False

app = QApplication(sys.argv[:1])
closer = CloseAfterFirstPaint()
app.installEventFilter(closer)
sys.exit(main(sys.argv[1:]))
"""


def test_the_app_closed_right_after_its_first_paint_quits_cleanly(tmp_path: Path) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run(
        [sys.executable, "-c", CLOSE_AT_ONCE,
         "--data-dir", str(tmp_path / "data"), "--cache-dir", str(tmp_path / "cache")],
        cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr and "ERROR" not in result.stderr, result.stderr


def test_a_window_closed_before_its_panels_are_built_builds_none(
    qtbot, locations: Locations, settings: QSettings, caplog: pytest.LogCaptureFixture
) -> None:
    window = create_main_window(locations, settings, defer_panels=True)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.close()  # its bookmark store is closed with it
    with caplog.at_level(logging.WARNING):
        window.build_panels()
    assert not window.panels_ready and not window.features
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
