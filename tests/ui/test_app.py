"""The application end to end, as `python main.py --section ID` starts it.

It runs in a child process: ``run()`` owns the QApplication and its event loop.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from reader.core.paths import Locations
from reader.ui.main_window import MainWindow
from tests import PROJECT_ROOT

CHILD = r"""
import json, sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from reader.__main__ import main
from reader.ui.main_window import MainWindow

def inspect():
    windows = [w for w in QApplication.topLevelWidgets()
               if isinstance(w, MainWindow) and w.isVisible() and w.panels_ready]
    if not windows:
        QTimer.singleShot(100, inspect)
        return
    window = windows[0]
    print(json.dumps({"section": window.reading_view.section_at_top(),
                      "title": window.windowTitle(),
                      "menus": [a.text().replace("&", "") for a in window.menuBar().actions()]}))
    window.close()

app = QApplication(sys.argv[:1])  # run() takes this one; timers need it first
QTimer.singleShot(300, inspect)
sys.exit(main(sys.argv[1:]))
"""


def test_the_app_opens_at_a_section_then_builds_its_panels(tmp_path: Path) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            CHILD,
            "--section",
            "raw-materials",
            "--data-dir",
            str(tmp_path / "data"),
            "--cache-dir",
            str(tmp_path / "cache"),
        ],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    assert seen["section"] == "raw-materials"  # still there after the panels took their room
    assert seen["title"].startswith("Raw Materials — ")
    assert "Bookmarks" in seen["menus"] and seen["menus"][-1] == "Help"
    assert (tmp_path / "data" / "bookmarks.sqlite3").exists()


def test_a_second_start_hands_its_link_to_the_running_reader(
    qtbot, main_window: MainWindow, locations: Locations, tmp_path: Path
) -> None:
    from reader.app import bring_forward
    from reader.ui.single_instance import SingleInstance, server_name

    running = SingleInstance(server_name(locations.data_dir), main_window)
    assert running.listen()
    running.request_received.connect(lambda url: bring_forward(main_window, url))
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    second = subprocess.Popen(
        [
            sys.executable,
            "main.py",
            "--open",
            "reader://nazi-soviet-alliance/raw-materials",
            "--content",
            str(locations.content_dir),
            "--data-dir",
            str(locations.data_dir),
            "--cache-dir",
            str(tmp_path / "second-cache"),
        ],
        cwd=PROJECT_ROOT,
        env=env,
    )
    try:
        with qtbot.waitSignal(running.request_received, timeout=60000) as received:
            pass
        assert second.wait(timeout=60) == 0  # handed over: no second window
    finally:
        if second.poll() is None:
            second.kill()
            second.wait()
        running.close()
    assert received.args == ["reader://nazi-soviet-alliance/raw-materials"]
    qtbot.waitUntil(lambda: main_window.reading_view.section_at_top() == "raw-materials")


def test_a_chosen_data_folder_holds_the_settings_and_home_is_untouched(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith("XDG_")}
    env.update(QT_QPA_PLATFORM="offscreen", HOME=str(home))
    result = subprocess.run(
        [sys.executable, "-c", CHILD, "--data-dir", str(tmp_path / "data"),
         "--cache-dir", str(tmp_path / "cache")],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    settings = tmp_path / "data" / "settings.ini"
    assert settings.is_file()
    text = settings.read_text(encoding="utf-8")
    assert "geometry" in text and "state" in text
    assert list(home.rglob("*")) == []  # no ~/.config, nothing else either


LIGHTHOUSES = """# Lighthouse Keepers

The keepers trimmed the wicks each night.

## Daily Rounds

Oil was carried up the stair twice a day, and the signal lamps were cleaned.
"""


def test_a_file_handed_to_the_running_reader_is_added_and_opened(
    qtbot, main_window: MainWindow, tmp_path: Path
) -> None:
    """"Open with" from the desktop (or a second start with a file) adds the file to the
    library, as File › Add to Library does, and shows it."""
    from PySide6.QtCore import QUrl

    from reader.app import bring_forward, local_file
    from tests.ui.test_library_window import wait_for_summary

    page = tmp_path / "keepers.md"
    page.write_text(LIGHTHOUSES, encoding="utf-8")
    assert local_file(QUrl.fromLocalFile(str(page)).toString()) == page.resolve()
    assert local_file("reader://nazi-soviet-alliance/raw-materials") is None
    assert local_file(str(tmp_path / "missing.md")) is None

    essays_before = len(main_window.library.essays)
    bring_forward(main_window, QUrl.fromLocalFile(str(page)).toString())
    wait_for_summary(qtbot, main_window)  # and the import over
    assert len(main_window.library.essays) == essays_before + 1
    assert any(e.title == "Lighthouse Keepers" for e in main_window.library.essays)
    qtbot.waitUntil(lambda: main_window.current_essay is not None
                    and main_window.current_essay.title == "Lighthouse Keepers")
