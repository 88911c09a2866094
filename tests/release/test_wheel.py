"""The wheel, installed the way people install the reader, works from any folder.

Builds the sdist and, from it, the wheel (``python -m build``, as ``make dist``
does), installs the wheel into a fresh virtual environment and runs the
installed launchers from an unrelated folder. The window is opened offscreen
through the installed ``reference-reader`` script itself (run with ``runpy``
under a small harness that quits once the essay has painted), so no timing is
involved: the run ends by itself, with the launcher's own exit status.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tarfile
import venv
from pathlib import Path

import pytest

from tests import PROJECT_ROOT

pytestmark = pytest.mark.slow

# Runs the installed launcher; quits after the reading view first paints a non-empty
# essay, then prints what the window showed.
HARNESS = r"""
import json, runpy, sys
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication
app = QApplication(sys.argv[:1])
seen = {}
class Painted(QObject):
    def eventFilter(self, obj, event):
        view = obj.parent()
        if (event.type() == QEvent.Type.Paint and view is not None
                and view.objectName() == "reading_view" and not view.document().isEmpty()):
            seen["title"] = view.window().windowTitle()
            seen["text"] = view.document().toPlainText()[:2000]
            app.removeEventFilter(self)
            QTimer.singleShot(0, app.quit)
        return False
painted = Painted()
app.installEventFilter(painted)
launcher = sys.argv[1]
sys.argv = sys.argv[1:]
try:
    runpy.run_path(launcher, run_name="__main__")
except SystemExit as exc:
    print(json.dumps({**seen, "status": exc.code}))
"""


def _run(args: list[str | Path], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True, timeout=600
    )


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    command = [sys.executable, "-m", "build", "--outdir", out, PROJECT_ROOT]
    built = _run(command, out, dict(os.environ))
    assert built.returncode == 0, built.stdout[-3000:] + built.stderr[-3000:]
    return out


@pytest.fixture(scope="module")
def installed(dist: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bin/ folder of a fresh virtual environment with the wheel installed."""
    env_dir = tmp_path_factory.mktemp("venv")
    venv.create(env_dir, with_pip=True, clear=True)
    bin_dir = env_dir / "bin"
    (wheel,) = dist.glob("*.whl")
    done = _run(
        [bin_dir / "python", "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
         wheel],
        env_dir,
        {**os.environ, "PIP_NO_INPUT": "1"},
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return bin_dir


def test_the_sdist_carries_the_tests_the_edition_and_the_resources(dist: Path) -> None:
    (sdist,) = dist.glob("*.tar.gz")
    with tarfile.open(sdist) as archive:
        names = {name.split("/", 1)[1] for name in archive.getnames() if "/" in name}
    for expected in (
        "tests/conftest.py",
        "tests/release/test_wheel.py",
        "content/nazi-soviet-alliance/essay.md",
        "resources/reference-reader.desktop",
        "Makefile",
        "main.py",
    ):
        assert expected in names, expected


def test_the_wheel_ships_the_edition_and_the_resources_inside_the_package(dist: Path) -> None:
    import zipfile

    (wheel,) = dist.glob("*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "reader/_content/nazi-soviet-alliance/essay.md" in names
    assert "reader/_resources/icons/reference-reader.svg" in names
    assert not any(name.startswith(("content/", "resources/", "tests/")) for name in names)


def test_installed_cli_works_from_another_folder(
    installed: Path, elsewhere: tuple[Path, dict[str, str]]
) -> None:
    work, env = elsewhere
    checkout = _run([sys.executable, PROJECT_ROOT / "main.py", "sections"], PROJECT_ROOT, env)
    assert checkout.returncode == 0, checkout.stderr

    sections = _run([installed / "reference-reader-cli", "sections"], work, env)
    assert sections.returncode == 0, sections.stderr
    assert sections.stdout == checkout.stdout

    check = _run([installed / "reference-reader-cli", "check"], work, env)
    assert check.returncode == 0, check.stdout + check.stderr
    assert check.stdout.startswith("OK:")

    version = _run([installed / "reference-reader", "--version"], work, env)
    assert version.returncode == 0, version.stderr
    assert version.stdout.split() == ["reference-reader", _checkout_version()]

    # What the user makes goes to the platform's folders, not into site-packages.
    assert list((Path(env["XDG_CACHE_HOME"]) / "reference-reader").iterdir())
    site = next((installed.parent / "lib").glob("python3*/site-packages"))

    def essays(folder: Path) -> set[str]:
        return {p.name for p in folder.iterdir() if p.is_dir() and p.name != "__pycache__"}

    assert essays(site / "reader" / "_content") == essays(PROJECT_ROOT / "content")


def test_installed_window_opens_offscreen_from_another_folder(
    installed: Path, elsewhere: tuple[Path, dict[str, str]], tmp_path: Path
) -> None:
    work, env = elsewhere
    run = _run(
        [installed / "python", "-c", HARNESS, installed / "reference-reader",
         "--data-dir", tmp_path / "data", "--cache-dir", tmp_path / "cache"],
        work,
        env,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    seen = json.loads(run.stdout.strip().splitlines()[-1])
    assert seen["status"] == 0
    sections = json.loads(
        _run([installed / "reference-reader-cli", "sections", "--json"], work, env).stdout
    )
    assert seen["title"].endswith("Reference Reader")
    assert sections[0]["title"] in seen["text"]
    assert (tmp_path / "data").is_dir()  # the bookmarks went where they were told


def _checkout_version() -> str:
    from reader import __version__

    return __version__
