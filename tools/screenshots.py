"""Take the README's screenshots from the real window.

Run under a display (for example Xvfb)::

    Xvfb :99 -screen 0 1400x900x24 &
    DISPLAY=:99 .venv/bin/python tools/screenshots.py

State goes to a temporary folder; the pictures to docs/screenshots/.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import QEventLoop, QSettings, QTimer
from PySide6.QtWidgets import QApplication, QWidget

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from reader.app import create_main_window  # noqa: E402
from reader.core.paths import Locations  # noqa: E402

OUT = ROOT / "docs" / "screenshots"


def settle(app: QApplication, ms: int = 400) -> None:
    """Let the window lay itself out and paint. A loop of its own: quitting the
    application's loop would close its windows (Qt 6 closes them on quit)."""
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def save(widget: QWidget, name: str) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    widget.grab().save(str(OUT / name))
    print(f"wrote {OUT / name}")


def main() -> None:
    app = QApplication(sys.argv[:1])
    with tempfile.TemporaryDirectory() as tmp:
        locations = Locations.resolve(data=f"{tmp}/data", cache=f"{tmp}/cache")
        settings = QSettings(f"{tmp}/settings.ini", QSettings.Format.IniFormat)
        window = create_main_window(locations, settings)
        window.resize(1400, 880)
        window.show()
        window.open_start()
        settle(app)
        save(window, "main-window.png")

        # Each theme at Figure 2 and its table (the editorial colours).
        window.open_section("nazi-soviet-alliance", "raw-materials")
        bar = window.reading_view.verticalScrollBar()
        for theme in ("light", "sepia", "dark"):
            window.view_settings.set_theme(theme)
            settle(app)
            figure = window.reading_view.document().toPlainText().find("Figure 2 (editorial)")
            cursor = window.reading_view.textCursor()
            cursor.setPosition(max(0, figure))
            bar.setValue(bar.value() + window.reading_view.cursorRect(cursor).top() - 420)
            settle(app)
            save(window, f"theme-{theme}.png")
        window.view_settings.set_theme("light")

        window.resize(1000, 700)
        window.open_start()
        settle(app)
        save(window, "small-window.png")
        window.resize(1400, 880)

        window.show_figure("nazi-soviet-alliance", "figure-1")
        viewer = window.figure_viewer
        assert viewer is not None
        viewer.resize(1000, 820)
        settle(app)
        save(viewer, "figure-viewer.png")
        window.close()


if __name__ == "__main__":
    main()
