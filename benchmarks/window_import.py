"""Window import benchmark: how long the window's event loop is blocked while files
are added to the library from the window.

Builds the real main window (offscreen) over a temporary data folder, opens
its search index (as the app does after start-up), drops several generated
Markdown pages on it, and runs a 5 ms timer on the GUI thread throughout.
Prints the longest gap between ticks while the files are imported (target:
never more than 50 ms), the longest gap while the window takes in the new
library (the contents, the panels, the first essay added, the summary and the
search index brought up to date, then 1 s more, which usually holds the
garbage collection that the new library sets off; same target), and, as a baseline in the same
run, the longest gap with the timer alone for as long. It checks that a search
finds the imported pages afterwards.

    QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/window_import.py [--files 20]
    ... window_import.py --library 1000 --files 1 --keep /tmp/library-1000   (one page
        added to a library of 1,000 essays; the first run builds its index)

To compare with other code, copy this script into that checkout and run it there.
"""

from __future__ import annotations

import argparse
import itertools
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

PARAGRAPH = (
    "The harbour pilots kept a log of every ship that crossed the bar, with the tide, "
    "the wind and the name of the master. "
)


def write_pages(folder: Path, count: int) -> list[Path]:
    paths = []
    for number in range(count):
        path = folder / f"page-{number}.md"
        sections = "\n\n".join(
            f"## Part {part}\n\n" + f"Note {number}.{part}: " + PARAGRAPH * 12
            for part in range(8)
        )
        path.write_text(f"# Pilot Log {number}\n\n{PARAGRAPH}\n\n{sections}\n", "utf-8")
        paths.append(path)
    return paths


def longest_gap(ticks: list[float]) -> float:
    return max((b - a for a, b in itertools.pairwise(ticks)), default=0.0) * 1000


def main() -> int:
    # Imported here, not at the top: the import runs in a child process started with
    # "spawn", which runs this script again as its main module; the reader's own
    # launcher imports next to nothing there, and so must this script.
    from PySide6.QtCore import QMimeData, QObject, QPoint, QPointF, QSettings, Qt, QTimer, QUrl
    from PySide6.QtGui import QDragEnterEvent, QDropEvent
    from PySide6.QtWidgets import QApplication
    from search_bench import generate_library

    from reader.app import create_main_window
    from reader.core.paths import Locations, shipped_content_dir
    from reader.ui.library_feature import LibraryFeature

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=20)
    parser.add_argument(
        "--library", type=int, default=0, metavar="N",
        help="a library of N generated essays of the real essay's size instead of the "
        "shipped one (search_bench's variants)",
    )
    parser.add_argument(
        "--keep", type=Path, metavar="DIR",
        help="keep the generated library, the cache and its search index in DIR between "
        "runs (the first run builds the index, minutes at 1,000 essays); the imported "
        "pages are removed again after each run",
    )
    args = parser.parse_args()
    app = QApplication.instance() or QApplication(sys.argv[:1])
    with tempfile.TemporaryDirectory() as temporary:
        root = Path(temporary)
        kept = args.keep or root
        (root / "pages").mkdir()
        pages = write_pages(root / "pages", args.files)
        content = shipped_content_dir()
        if args.library:
            content = kept / "content"
            if not content.is_dir():
                generate_library(args.library, kept)
        shutil.rmtree(kept / "data" / "library", ignore_errors=True)  # the last run's pages
        locations = Locations(content, kept / "data", kept / "cache")
        settings = QSettings(str(root / "settings.ini"), QSettings.Format.IniFormat)
        window = create_main_window(locations, settings)
        window.resize(1200, 800)
        window.show()
        window.open_start()
        feature = window.feature(LibraryFeature)
        panel = window.search.panel
        panel.prepare()
        while not panel.is_ready:
            app.processEvents()
            time.sleep(0.001)
        ticks: list[float] = []
        timer = QTimer()
        timer.setInterval(5)
        timer.timeout.connect(lambda: ticks.append(time.perf_counter()))

        def run_for(seconds: float) -> None:
            end = time.perf_counter() + seconds
            while time.perf_counter() < end:
                app.processEvents()
                time.sleep(0.001)

        def settled() -> bool:
            """The window has taken in the new library: summary up, nothing pending."""
            return (
                feature.summary is not None
                and not window.findChildren(QObject, "library_update")
                and getattr(panel, "_refresh", None) is None
                and not getattr(panel, "reloading", False)
            )

        run_for(0.3)
        timer.start()
        data = QMimeData()
        data.setUrls([QUrl.fromLocalFile(str(p)) for p in pages])
        started = time.perf_counter()
        QApplication.sendEvent(window, QDragEnterEvent(
            QPoint(100, 100), Qt.DropAction.CopyAction, data,
            Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
        ))
        QApplication.sendEvent(
            window,
            QDropEvent(
                QPointF(100, 100), Qt.DropAction.CopyAction, data,
                Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
            ),
        )
        if feature.task is None:
            print("the window did not take the dropped files", file=sys.stderr)
            return 1
        titles = {f"Pilot Log {number}" for number in range(len(pages))}
        searchable: float | None = None

        def check_searchable() -> None:
            """Note when the search panel's index first holds every page dropped."""
            nonlocal searchable
            index = panel._index
            if searchable is None and index is not None and not panel.reloading and (
                titles <= {essay.title for essay in index.library.essays[-len(titles):]}
            ):
                searchable = time.perf_counter()

        while feature.task is not None:
            app.processEvents()
            check_searchable()
            time.sleep(0.001)
        worker_done = time.perf_counter()
        while not settled():
            app.processEvents()
            check_searchable()
            time.sleep(0.001)
        shown = time.perf_counter()
        run_for(1.0)  # and what follows: the garbage collection the new library sets off
        timer.stop()
        during = [t for t in ticks if t <= worker_done]
        after = [t for t in ticks if t >= during[-1]] if during else ticks
        outcome = feature.last_outcome
        added = sum(1 for r in outcome.results if r.ok) if outcome else 0
        elapsed = worker_done - started
        index = panel._index  # the index the search panel searches
        hits = index.search("harbour pilots", limit=1000).hits if index is not None else []
        found = {hit.document for hit in hits}
        imported = [r.essay_id for r in outcome.results if r.ok] if outcome else []
        found_now = sum(1 for essay in imported if essay in found)

        ticks.clear()
        timer.start()
        run_for(elapsed)
        timer.stop()
        baseline = longest_gap(ticks)
        since = (searchable - started) if searchable is not None else float("nan")
        print(f"imported {added} of {len(pages)} files: searchable in the window after "
              f"{since:.2f} s (target for one page: 2); the whole library taken in after "
              f"{shown - started:.2f} s; {found_now} of them found by a search")
        print(f"longest GUI gap while importing:        {longest_gap(during):7.1f} ms (target 50)")
        print(f"longest GUI gap showing the new library: {longest_gap(after):7.1f} ms")
        print(f"baseline, the timer alone:               {baseline:7.1f} ms")
        window.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
