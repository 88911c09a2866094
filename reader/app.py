"""Builds the application: QApplication, the core objects and the main window.

This is the one place where objects are created and passed into constructors;
nothing in the package does work at import time.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QSettings, Qt, QTimer, QUrl
from PySide6.QtGui import QGuiApplication, QIcon
from PySide6.QtWidgets import QApplication, QWidget

from reader import __version__, log
from reader.core import bookmarks, content, links
from reader.core import library as user_library
from reader.core.paths import Locations, resource_path
from reader.core.xref_cache import load_cross_references
from reader.ui.main_window import MainWindow
from reader.ui.single_instance import SingleInstance, server_name

if TYPE_CHECKING:
    from reader.core.search import SearchIndex

ORGANIZATION = "reference-reader"
APPLICATION = "reference-reader"
DESKTOP_FILE = "reference-reader"  # matches resources/reference-reader.desktop
#: The view settings' file in a data folder chosen with --data-dir or READER_DATA_DIR.
SETTINGS_FILE = "settings.ini"


def parse_reader_url(url: str) -> tuple[str | None, str | None]:
    """``reader://ESSAY/SECTION`` → (essay, section); anything else → (None, None)."""
    found = links.parse_section_link(url)
    if found is None:
        return None, None
    return found[0], found[1] or None


def open_settings(
    data_dir_given: str | None, locations: Locations, env: Mapping[str, str] | None = None
) -> QSettings:
    """The window's settings: in the data folder when one was chosen (a trial run or a
    test must not touch the user's own configuration), else in the platform's place."""
    env = os.environ if env is None else env
    if data_dir_given or env.get("READER_DATA_DIR"):
        with contextlib.suppress(OSError):  # QSettings reports a failed write; the window opens
            locations.data_dir.mkdir(parents=True, exist_ok=True)
        return QSettings(str(locations.data_dir / SETTINGS_FILE), QSettings.Format.IniFormat)
    return QSettings()


def read_css() -> str:
    try:
        return resource_path("content.css").read_text(encoding="utf-8")
    except OSError:
        return ""  # the text still shows, unstyled


def create_main_window(
    locations: Locations, settings: QSettings, defer_panels: bool = False
) -> MainWindow:
    """The main window over the library in ``locations`` (used by run() and the tests).

    With ``defer_panels`` the panels wait for ``window.build_panels()`` (run() calls it
    right after the first paint, so the essay shows as early as possible).
    """
    try:
        library = user_library.load(
            locations.content_dir, user_library.library_dir(locations.data_dir), locations.cache_dir
        )
    except content.Error as exc:
        library = content.Library(
            locations.content_dir, [], [content.Problem(locations.content_dir, 0, str(exc))]
        )
    try:
        store = bookmarks.BookmarkStore.open_in(locations.data_dir, busy_timeout=2.0)
        notice = store.notice
    except bookmarks.Error as exc:  # e.g. a read-only data folder: keep bookmarks in memory
        store = bookmarks.BookmarkStore(None)
        notice = f"Bookmarks cannot be saved in this session: {exc}"
    # Problems in index.yaml/timeline.yaml are reported by `check`; what is valid is shown.
    index, events = load_cross_references(library, locations.cache_dir)

    def open_index(progress: Callable[[int, int], None]) -> tuple[SearchIndex, str]:
        from reader.core.search import open_search_index

        # The library as the window shows it now: an import replaces it.
        names = window.xref_index
        words = names.synonyms() if names is not None else None
        return open_search_index(window.library, locations.cache_dir, words, progress)

    window = MainWindow(
        library,
        settings,
        read_css(),
        store,
        xref_index=index,
        events=events,
        search_opener=open_index,
        defer_panels=defer_panels,
        store_notice=notice or "",
        locations=locations,
    )
    return window


def local_file(reference: str) -> Path | None:
    """The file a reference names ("Open with": a path or a file:// address), or None."""
    if reference.startswith("file:"):
        path = Path(QUrl(reference).toLocalFile())
    elif "://" in reference or not reference:
        return None
    else:
        path = Path(reference).expanduser()
    return path.resolve() if path.is_file() else None


def add_to_library(window: MainWindow, file: Path) -> None:
    """Import a file handed to the reader (it opens once added), as File › Add does."""
    from reader.ui.library_feature import LibraryFeature

    window.feature(LibraryFeature).import_paths([file])


def bring_forward(window: MainWindow, url: str) -> None:
    """Another start of the reader asked for ``url`` — a section, a file to add, or just
    to be shown: raise the window and go there."""
    window.setWindowState(window.windowState() & ~Qt.WindowState.WindowMinimized)
    window.show()
    window.raise_()
    window.activateWindow()
    target = links.parse_section_link(url) if url else None
    file = local_file(url)
    if target is not None:
        window.open_start(*target)
    elif file is not None and window.panels_ready:
        add_to_library(window, file)
    elif url:
        window.statusBar().showMessage(f"{url!r} is not a reader://ESSAY/SECTION reference.", 8000)


class _AfterFirstPaint(QObject):
    """Calls ``then`` once, from the event loop, after ``widget`` has painted once."""

    def __init__(self, widget: QWidget, then: Callable[[], None]) -> None:
        super().__init__(widget)
        self._widget = widget
        self._then = then
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._widget and event.type() == QEvent.Type.Paint:
            self._widget.removeEventFilter(self)
            QTimer.singleShot(0, self._then)  # once this paint has reached the screen
        return False


def install_style(app: QApplication) -> None:
    """No legacy icons on dialog buttons. Installed after the first paint (or before a
    dialog that comes earlier): the proxy answers Qt's style questions in Python, and
    building the window asks many; the proxy draws like the base, so nothing moves."""
    from reader.ui import style

    if not isinstance(app.style(), style.ReaderStyle):
        style.install(app)


def run(args: argparse.Namespace) -> int:
    """Open the reader window; returns the application's exit status."""
    log.configure(log.log_dir(args.cache_dir), defer_file=True)  # the file: after the paint
    QGuiApplication.setDesktopFileName(DESKTOP_FILE)
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(sys.argv[:1])
    app.setOrganizationName(ORGANIZATION)
    app.setApplicationName(APPLICATION)
    app.setApplicationDisplayName("Reference Reader")
    app.setApplicationVersion(__version__)
    app.setWindowIcon(QIcon(str(resource_path("icons/reference-reader.svg"))))

    locations = Locations.resolve(args.content, args.data_dir, args.cache_dir)
    # One reader per user and data folder: a second start hands its link to the first.
    instance = SingleInstance(server_name(locations.data_dir), app)
    single = not getattr(args, "new_window", False)
    reference = args.open_url or ""
    file = local_file(reference)  # "Open with": a page or book to add to the library
    if single and instance.send(str(file) if file is not None else reference):
        return 0
    settings = open_settings(args.data_dir, locations)
    window = create_main_window(locations, settings, defer_panels=True)
    instance.request_received.connect(lambda url: bring_forward(window, url))
    window.restore_state()
    window.show()

    def after_first_paint() -> None:
        if window.closed:  # already (a script that quits at once)
            return
        log.open_file()
        install_style(app)
        if single:
            instance.listen()  # the next start hands its link over from now on
        window.build_panels()
        if file is not None:
            add_to_library(window, file)
        QTimer.singleShot(500, window.search.panel.prepare)  # opens the search index
        QTimer.singleShot(1500, window.check_cross_references)  # index.yaml, timeline.yaml

    _AfterFirstPaint(window.reading_view.viewport(), after_first_paint)

    document, section = None, args.section
    if args.open_url and file is None:
        document, section = parse_reader_url(args.open_url)
        if document is None:
            install_style(app)
            from PySide6.QtWidgets import QMessageBox  # only for this message

            QMessageBox.warning(
                window,
                "Cannot open reference",
                f"{args.open_url!r} is not a reader://ESSAY/SECTION reference.",
            )
    if document or section or not window.open_last_position():
        window.open_start(document, section)
    status = app.exec()
    log.open_file()  # the records kept in memory, if the window closed before its first paint
    window.bookmark_store.close()
    instance.close()
    return status
