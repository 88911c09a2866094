"""The PyInstaller bundle (``make bundle``) runs without Python, from any folder.

Builds the one-folder application from packaging/reference-reader.spec into
tmp, then runs its executable from an unrelated folder: the CLI commands, and
the window offscreen. The frozen program cannot be handed a test harness, so
the window is watched through Qt's own painting log (``qt.widgets.painting``):
once Qt reports drawing the reading view, the window is up, and the test ends
the process. No timing is involved beyond a generous deadline for a hang.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from tests import PROJECT_ROOT

pytestmark = pytest.mark.slow

READING_VIEW_DRAWN = re.compile(r"Drawing .* of ReadingView\(.*name=\"reading_view\"\)")


@pytest.fixture(scope="module")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    pytest.importorskip("PyInstaller", reason="the bundle extra is not installed")
    out = tmp_path_factory.mktemp("bundle")
    built = subprocess.run(
        [
            sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN",
            "--distpath", str(out / "dist"), "--workpath", str(out / "build"),
            str(PROJECT_ROOT / "packaging" / "reference-reader.spec"),
        ],
        cwd=out, capture_output=True, text=True, timeout=1200,
    )
    assert built.returncode == 0, built.stderr[-4000:]
    executable = out / "dist" / "reference-reader" / "reference-reader"
    assert executable.is_file()
    return executable


@pytest.fixture
def elsewhere(elsewhere: tuple[Path, dict[str, str]]) -> tuple[Path, dict[str, str]]:
    """The release tests' unrelated folder (conftest.py), with no Python of ours on the PATH."""
    work, env = elsewhere
    env["PATH"] = "/usr/bin:/bin"
    return work, env


def test_bundle_cli_matches_the_checkout(bundle: Path, elsewhere: tuple[Path, dict]) -> None:
    work, env = elsewhere
    checkout = subprocess.run(
        [sys.executable, str(PROJECT_ROOT / "main.py"), "sections"],
        cwd=PROJECT_ROOT, env={**env, "PATH": os.environ["PATH"]},
        capture_output=True, text=True, timeout=120,
    )
    assert checkout.returncode == 0, checkout.stderr

    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [str(bundle), *args], cwd=work, env=env, capture_output=True, text=True, timeout=120
        )

    sections = run("sections")
    assert sections.returncode == 0, sections.stderr
    assert sections.stdout == checkout.stdout
    check = run("check")
    assert check.returncode == 0, check.stdout + check.stderr
    assert check.stdout.startswith("OK:")
    from reader import __version__

    assert run("--version").stdout.split() == ["reference-reader", __version__]


def test_bundle_window_paints_the_essay_offscreen(
    bundle: Path, elsewhere: tuple[Path, dict], tmp_path: Path
) -> None:
    work, env = elsewhere
    env["QT_LOGGING_RULES"] = "qt.widgets.painting=true"
    process = subprocess.Popen(
        [str(bundle), "--data-dir", str(tmp_path / "data"), "--cache-dir", str(tmp_path / "cache")],
        cwd=work, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )
    hang = threading.Timer(180, process.kill)  # only for a window that never paints
    hang.start()
    drawn = False
    log: list[str] = []
    try:
        assert process.stderr is not None
        for line in process.stderr:
            if not line.startswith("qt.widgets.painting"):
                log.append(line)
            if READING_VIEW_DRAWN.search(line):
                drawn = True
                break
        still_running = process.poll() is None
    finally:
        hang.cancel()
        process.send_signal(signal.SIGTERM)
        process.communicate(timeout=60)
    assert drawn, "".join(log[-40:])
    assert still_running
    assert "Traceback" not in "".join(log)
    assert (tmp_path / "data").is_dir()
