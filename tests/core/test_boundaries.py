"""Architecture rules checked in a fresh interpreter."""

from __future__ import annotations

import subprocess
import sys

from tests import PROJECT_ROOT


def test_core_and_cli_do_not_load_qt() -> None:
    code = (
        "import importlib, pkgutil, sys\n"
        "import reader.core, reader.cli\n"
        "for m in pkgutil.iter_modules(reader.core.__path__):\n"
        "    importlib.import_module('reader.core.' + m.name)\n"
        "loaded = sorted(n for n in sys.modules if n.startswith(('PySide6', 'shiboken6')))\n"
        "print(','.join(loaded))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=PROJECT_ROOT, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == ""


def test_importing_the_app_module_creates_nothing() -> None:
    code = (
        "import reader.app\n"
        "from PySide6.QtWidgets import QApplication\n"
        "print(QApplication.instance() is None)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        check=True,
        env={"QT_QPA_PLATFORM": "offscreen", "PATH": "/usr/bin:/bin"},
    )
    assert result.stdout.strip() == "True"
