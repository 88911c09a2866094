"""Start-up benchmark: process start to the first painted essay.

Runs, alternately in the same session, (a) the floor — a bare PySide6 script
that shows the same HTML in a QTextBrowser — and (b) the reader's own start-up
path (``reader.app.run``). Each child reports the wall-clock time of the first
paint of its text view, seen by an event filter on that view's viewport alone
(in both); the parent subtracts the moment it started the process.
It also records each child's peak resident memory (``ru_maxrss`` of the child,
read with ``os.wait4``). Prints each run, the medians, the ratio reader/floor
(target: <= 1.5) and the peak memory of both (target for the reader: <= 100 MB).

    .venv/bin/python benchmarks/startup.py [--runs 7]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

FLOOR = r"""
import sys, time
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QTextBrowser
html = open(sys.argv[1], encoding="utf-8").read()
app = QApplication(sys.argv[:1])
class First(QObject):
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint and obj is view.viewport():
            print(f"PAINT {time.time():.6f}", flush=True)
            QTimer.singleShot(0, app.quit)
            obj.removeEventFilter(self)
        return False
view = QTextBrowser()
first = First()
view.viewport().installEventFilter(first)
view.setHtml(html)
view.resize(1200, 800)
view.show()
app.exec()
"""

READER = r"""
import sys, time
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication
app = QApplication(sys.argv[:1])
from reader.ui.reading_view import ReadingView
class First(QObject):
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint and not obj.parent().document().isEmpty():
            print(f"PAINT {time.time():.6f}", flush=True)
            QTimer.singleShot(0, app.quit)
            obj.removeEventFilter(self)
        return False
first = First()
# Like the floor, watch the text view's viewport alone: a filter on the whole
# application would run Python for every event and slow the reader it measures.
# It is installed when the essay is first set, after the reader's own paint
# watcher, so it sees the paint first and quits before the panels are built.
shown = ReadingView.set_essay
def watched(self, *args, **kwargs):
    if not getattr(self, "_benchmark_watched", False):
        self._benchmark_watched = True
        self.viewport().installEventFilter(first)
    shown(self, *args, **kwargs)
ReadingView.set_essay = watched
from reader.__main__ import main
main(sys.argv[1:])
"""


RASTERIZE = r"""
import sys
from PySide6.QtGui import QGuiApplication
from reader.core.content import load_library
from reader.core.paths import shipped_content_dir
from reader.images import render_figure_image
from reader.ui.reading_view import MAX_FIGURE_WIDTH
app = QGuiApplication(sys.argv[:1])
essay = load_library(shipped_content_dir()).essays[0]
for figure, target in zip(essay.figures, sys.argv[1:]):
    render_figure_image(figure, MAX_FIGURE_WIDTH, 1.0).save(target)
"""


def essay_html(folder: Path, env: dict[str, str]) -> str:
    """The reader's HTML for the essay, with its figures as ready-made PNG files.

    The floor gets the same pictures the reader draws (at the same size), so it
    shows the same page instead of broken images.
    """
    sys.path.insert(0, str(ROOT))
    from reader.app import read_css
    from reader.core.content import load_library
    from reader.core.render import render_essay

    essay = load_library(ROOT / "content").essays[0]
    html = render_essay(essay, read_css())
    pngs = [folder / f"{figure.id}.png" for figure in essay.figures]
    subprocess.run(
        [sys.executable, "-c", RASTERIZE, *map(str, pngs)],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        timeout=120,
    )
    for figure, png in zip(essay.figures, pngs, strict=True):
        html = html.replace(f'src="figure://{essay.id}/{figure.id}"', f'src="{png}"')
    return html


def time_child(code: str, args: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Seconds from process start to the first paint, and the child's peak RSS in MB."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        start = time.time()
        child = subprocess.Popen(
            [sys.executable, "-c", code, *args], cwd=ROOT, env=env, stdout=out, stderr=err
        )
        # wait4 reaps this one child and gives its own resource usage (Linux: kilobytes).
        _, status, usage = os.wait4(child.pid, 0)
        child.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read(), err.read()
    for line in stdout.splitlines():
        if line.startswith("PAINT "):
            return float(line.split()[1]) - start, usage.ru_maxrss / 1024
    raise RuntimeError(f"child did not paint:\n{stdout}\n{stderr}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ)
        env.setdefault("QT_QPA_PLATFORM", "offscreen")
        html_file = Path(tmp) / "essay.html"
        html_file.write_text(essay_html(Path(tmp), env), encoding="utf-8")
        env.update(
            READER_DATA_DIR=f"{tmp}/data",
            READER_CACHE_DIR=f"{tmp}/cache",
            XDG_CONFIG_HOME=f"{tmp}/config",
        )
        # An installed reader has its bytecode compiled (pip does it at install time); an
        # editable checkout run with PYTHONDONTWRITEBYTECODE would compile every module
        # at every start and measure the compiler instead.
        subprocess.run(
            [sys.executable, "-m", "compileall", "-q", str(ROOT / "reader")], check=True
        )
        # One untimed run of each warms the OS file cache.
        time_child(FLOOR, [str(html_file)], env)
        time_child(READER, [], env)
        floor, reader, floor_mb, reader_mb = [], [], [], []
        for run in range(1, args.runs + 1):
            seconds, peak = time_child(FLOOR, [str(html_file)], env)
            floor.append(seconds)
            floor_mb.append(peak)
            seconds, peak = time_child(READER, [], env)
            reader.append(seconds)
            reader_mb.append(peak)
            print(
                f"run {run}: floor {floor[-1] * 1000:7.1f} ms {floor_mb[-1]:6.1f} MB   "
                f"reader {reader[-1] * 1000:7.1f} ms {reader_mb[-1]:6.1f} MB"
            )
    f, r = statistics.median(floor), statistics.median(reader)
    print(f"platform: {env['QT_QPA_PLATFORM']}, runs: {args.runs}")
    print(f"median floor (bare QTextBrowser, same HTML): {f * 1000:.1f} ms")
    print(f"median reader (python main.py):              {r * 1000:.1f} ms")
    print(f"ratio reader/floor: {r / f:.2f}  (target <= 1.5)")
    print(
        f"peak RSS, median: floor {statistics.median(floor_mb):.1f} MB, "
        f"reader {statistics.median(reader_mb):.1f} MB (target <= 100 MB); "
        f"reader max {max(reader_mb):.1f} MB"
    )


if __name__ == "__main__":
    main()
