"""The Library feature: adding files to the library from the window.

File › Add to Library… (several files at once) and files dropped on the window
are imported in a child process (``reader.ui.import_worker.ImportTask``), with a
progress bar and a Cancel button in the status bar; the window stays usable
meanwhile. Then the window takes in the new library a step at a time
(``reader.ui.library_update``), the first essay added opens, and a summary says
what became of each file.

It also offers "Use a Picture from File…" on figures of imported essays (the
reading view's and the figure viewer's context menus), and the order of the
essays in the contents (View › Contents Order).
"""

from __future__ import annotations

from collections import Counter
from html import escape
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Slot
from PySide6.QtGui import QAction, QActionGroup, QDropEvent
from PySide6.QtWidgets import QFileDialog, QMenu, QMessageBox, QProgressBar, QPushButton

from reader.core import library as user_library
from reader.core.content import Library
from reader.ui.feature import Context, Feature, Menus
from reader.ui.import_worker import ImportOutcome, ImportTask, Task, load_library
from reader.ui.library_update import NEXT_TURN_MS
from reader.ui.section_tree import ORDERS

#: The file dialog's choices: everything importable, each format, anything.
FILE_FILTERS = ";;".join(
    (
        "Importable files (*.txt *.text *.html *.htm *.xhtml *.md *.markdown *.epub)",
        "Text captures (*.txt *.text)",
        "Web pages (*.html *.htm *.xhtml)",
        "Markdown (*.md *.markdown)",
        "EPUB books (*.epub)",
        "All files (*)",
    )
)
PICTURE_FILTERS = "Pictures (*.png *.jpg *.jpeg);;All files (*)"
LAST_FOLDER_KEY = "library/last_folder"
ORDER_KEY = "contents/order"
ORDER_LABELS = {"library": "&As Listed", "title": "By &Title", "added": "By Date &Added"}
STATUS_WORDS = {
    "added": "Added",
    "updated": "Updated",
    "exists": "Already in the library",
    "refused": "Not imported",
    "cancelled": "Cancelled",
}


#: The summary lists each file when there are at most this many; past it, how many
#: of each outcome and the files not added (a long rich-text list takes a moment to
#: lay out, and would not fit the screen); every file is listed under Show Details.
SUMMARY_ROWS = 12


def _row(result: user_library.ImportResult) -> str:
    name = escape(result.source.name)
    title = f" as “{escape(result.title)}”" if result.title and result.ok else ""
    detail = f": {escape(result.reason)}" if result.reason and not result.ok else ""
    word = STATUS_WORDS.get(result.status, result.status)
    return f"<li><b>{word}</b> — {name}{title}{detail}</li>"


def summary_html(outcome: ImportOutcome, rows: int = SUMMARY_ROWS) -> str:
    """What became of each input, for the summary after an import."""
    results = outcome.results
    if len(results) <= rows:
        text = f"<ul>{''.join(_row(result) for result in results)}</ul>"
    else:
        counts = Counter(STATUS_WORDS.get(r.status, r.status) for r in results)
        text = "<p>" + " · ".join(f"{word}: {count}" for word, count in counts.items()) + "</p>"
        missed = [r for r in results if not r.ok]
        if missed:
            more = len(missed) - rows
            tail = f"<li>… and {more} more</li>" if more > 0 else ""
            text += f"<ul>{''.join(_row(r) for r in missed[:rows])}{tail}</ul>"
        text += "<p>Every file is listed under Show Details.</p>"
    if outcome.error:
        text += f"<p>{escape(outcome.error)}</p>"
    return text


def files_text(outcome: ImportOutcome) -> str:
    """What became of each input, one a line (the summary's details, for many files)."""
    lines = []
    for result in outcome.results:
        word = STATUS_WORDS.get(result.status, result.status)
        title = f" as “{result.title}”" if result.title and result.ok else ""
        detail = f": {result.reason}" if result.reason and not result.ok else ""
        lines.append(f"{word} — {result.source.name}{title}{detail}")
    return "\n".join(lines)


def problems_text(outcome: ImportOutcome) -> str:
    """The problems found in the imported files, one a line under each file."""
    parts = []
    for result in outcome.results:
        if result.problems:
            parts.append(f"{result.source.name}:")
            parts += [f"  {problem}" for problem in result.problems]
    return "\n".join(parts)


class LibraryFeature(Feature):
    """File › Add to Library…, dropped files, figure pictures, the contents' order."""

    def build(self, context: Context) -> None:
        super().build(context)
        window = context.window
        self.task: ImportTask | None = None
        #: Loads the library after an import that stopped half-way.
        self.loader: Task | None = None
        self.summary: QMessageBox | None = None
        self.last_outcome: ImportOutcome | None = None
        #: An import whose library the window is taking in; its essay opens after.
        self._arriving: ImportOutcome | None = None
        #: Whether the running import's essays are shown already (its summary too).
        self._shown_early = False
        #: Files given while that import reads the rest of the library: added after it.
        self._queued: list[Path] = []
        self.add_action = QAction("&Add to Library…", window)
        self.add_action.setToolTip("Import saved pages, Markdown files or EPUB books")
        self.add_action.setEnabled(context.locations is not None)
        context.add_action(self.add_action)

        self.progress = QProgressBar(window)
        self.progress.setObjectName("import_progress")
        self.progress.setMaximumWidth(220)
        self.progress.setFormat("Importing %v of %m")
        self.cancel_button = QPushButton("Cancel", window)
        self.cancel_button.setObjectName("import_cancel")
        self.cancel_button.setToolTip("Stop importing after the file being read")
        status = window.statusBar()
        status.insertPermanentWidget(0, self.progress)  # a message does not hide it
        status.insertPermanentWidget(1, self.cancel_button)
        self.progress.hide()
        self.cancel_button.hide()

        self.order_menu = QMenu("Contents &Order", window)
        self.order_group = QActionGroup(window)
        self.order_actions: dict[str, QAction] = {}
        saved = str(context.settings.value(ORDER_KEY, "library"))
        for order in ORDERS:
            action = self.order_menu.addAction(ORDER_LABELS[order])
            action.setCheckable(True)
            action.setData(order)
            self.order_group.addAction(action)
            self.order_actions[order] = action
        self.order_actions.get(saved, self.order_actions["library"]).setChecked(True)
        context.section_tree.set_order(saved)
        window.setAcceptDrops(True)

    def add_menus(self, menus: Menus) -> None:
        menus.file.insertAction(menus.file.actions()[0], self.add_action)
        menus.file.insertSeparator(menus.file.actions()[1])
        menus.view.insertMenu(menus.view_panels_end, self.order_menu)

    def connect(self) -> None:
        self.add_action.triggered.connect(self.choose_files)
        self.cancel_button.clicked.connect(self.cancel)
        self.order_group.triggered.connect(self._on_order_chosen)
        self.drop_filter = _DropFilter(self, self.context.window)
        self.context.window.installEventFilter(self.drop_filter)
        self.context.reading_view.figure_menu_entries.append(self._figure_entries)

    def shut_down(self) -> None:
        if self.task is not None:
            self.task.stop()
        if self.loader is not None:
            self.loader.wait()

    # -- adding files ---------------------------------------------------------------------

    @Slot()
    def choose_files(self) -> None:
        folder = str(self.context.settings.value(LAST_FOLDER_KEY, str(Path.home())))
        names, _ = QFileDialog.getOpenFileNames(
            self.context.window, "Add to Library", folder, FILE_FILTERS
        )
        if names:
            self.context.settings.setValue(LAST_FOLDER_KEY, str(Path(names[0]).parent))
            self.import_paths([Path(name) for name in names])

    def import_paths(self, paths: list[Path]) -> bool:
        """Start importing ``paths`` in a child process; False if an import is already
        running."""
        locations = self.context.locations
        if locations is None or not paths:
            return False
        if self.task is not None and self._shown_early:
            # Its essays are shown; it is reading the rest of the library: these follow.
            self._queued += [p for p in paths if p not in self._queued]
            self.context.show_message(
                f"{len(self._queued)} file{'s' if len(self._queued) != 1 else ''} will be "
                "added in a moment, when the library is read again.")
            return True
        if self.task is not None or self.loader is not None:
            self.context.show_message("An import is running; add these files when it is done.")
            return False
        self.task = ImportTask(paths, locations, self.context.window, self.context.library)
        self.task.progress.connect(self._on_progress)
        self.task.arrived.connect(self._on_arrived)
        self.task.finished.connect(self._on_finished)
        self._shown_early = False
        self.progress.setRange(0, len(paths))
        self.progress.setValue(0)
        self.progress.show()
        self.cancel_button.setEnabled(True)
        self.cancel_button.show()
        self.context.show_message(f"Importing {len(paths)} file{'s' if len(paths) != 1 else ''}…")
        self.task.start()
        return True

    @Slot()
    def cancel(self) -> None:
        if self.task is not None:
            self.task.cancel()
            self.cancel_button.setEnabled(False)
            self.context.show_message("Cancelling the import after the file being read…")

    @Slot(int, int, str)
    def _on_progress(self, done: int, total: int, path: str) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)
        if done < total:
            self.progress.setToolTip(f"Reading {Path(path).name}")

    @Slot(object)
    def _on_arrived(self, outcome: ImportOutcome) -> None:
        """The imported essays are in the library and the search index: show them now,
        with the index of names as it is (the whole library's follows)."""
        outcome.xref_index, outcome.events = self.context.xref_index, self.context.events
        self.last_outcome = outcome
        self._shown_early = True
        self._take_in(outcome)

    @Slot(object)
    def _on_finished(self, outcome: ImportOutcome) -> None:
        self.task = None  # it waits for its process to exit, then goes by itself
        self.last_outcome = outcome
        locations = self.context.locations
        wanted = outcome.error or outcome.reload
        if outcome.library is None and wanted and locations is not None:
            # It stopped half-way, or what it sent back could not be taken in: the
            # files it added are in the library folder; load it.
            def work(*_: object) -> object:
                return load_library(locations)

            self.loader = Task(work, self.context.window)
            self.loader.finished.connect(lambda loaded: self._on_loaded(outcome, loaded))
            self.loader.failed.connect(lambda _message: self._on_loaded(outcome, None))
            self.loader.start()
            return
        self._take_in(outcome)

    def _on_loaded(self, outcome: ImportOutcome, loaded: object) -> None:
        if self.loader is not None:
            self.loader.wait()
            self.loader.deleteLater()
            self.loader = None
        if isinstance(loaded, tuple):
            outcome.library, outcome.xref_index, outcome.events = loaded
        self._take_in(outcome)

    def _take_in(self, outcome: ImportOutcome) -> None:
        """Show the new library (the window does it a step a turn); this feature's own
        step opens the first essay added and shows the summary, unless they were when
        the essays arrived (and nothing went wrong since)."""
        self.progress.hide()
        self.cancel_button.hide()
        announce = not (self.task is None and self._shown_early) or bool(outcome.error)
        # The essays that arrived early may not be shown yet (this update replaces that
        # one): then this one opens them and shows the summary.
        announce = announce or self._arriving is not None
        if outcome.library is not None and self.context.set_library is not None:
            self._arriving = outcome if announce else None
            self.context.set_library(outcome.library, outcome.xref_index, outcome.events)
        elif announce:
            self._arriving = None
            self.show_summary(outcome)
        if self.task is None and self.loader is None and self._queued:
            paths, self._queued = self._queued, []
            self.import_paths(paths)

    def _arrived(self) -> None:
        """The window shows the imported library: open the first essay added, then (in
        the next turn) the summary."""
        outcome, self._arriving = self._arriving, None
        if outcome is None:
            return
        changed = outcome.changed
        if changed:
            self.context.open_section(changed[0], "")
        QTimer.singleShot(NEXT_TURN_MS, self.context.window, lambda: self.show_summary(outcome))

    def show_summary(self, outcome: ImportOutcome) -> None:
        """A window that says what became of each file (it does not block the reader)."""
        if self.summary is not None:
            self.summary.close()
        added = len(outcome.changed)
        box = QMessageBox(self.context.window)
        box.setObjectName("import_summary")
        box.setWindowTitle("Add to Library")
        box.setIcon(QMessageBox.Icon.Information if added else QMessageBox.Icon.Warning)
        box.setTextFormat(Qt.TextFormat.RichText)
        box.setText(
            f"{added} of {len(outcome.results)} file{'s' if len(outcome.results) != 1 else ''} "
            "added to the library." + summary_html(outcome)
        )
        details = problems_text(outcome)
        if details:
            box.setInformativeText("Some things in the files could not be kept as they were.")
        if len(outcome.results) > SUMMARY_ROWS:
            details = "\n\n".join(part for part in (files_text(outcome), details) if part)
        if details:
            box.setDetailedText(details)
        box.setStandardButtons(QMessageBox.StandardButton.Ok)
        box.setModal(False)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.show()
        self.summary = box
        box.finished.connect(self._summary_closed)
        self.context.show_message(f"{added} file{'s' if added != 1 else ''} added to the library.")

    @Slot()
    def _summary_closed(self) -> None:
        self.summary = None

    # -- drag and drop --------------------------------------------------------------------

    def filter_drop(self, event: QEvent) -> bool:
        """Take files dragged onto the window; True if ``event`` was handled."""
        kind = event.type()
        if kind in (QEvent.Type.DragEnter, QEvent.Type.DragMove) and isinstance(
            event, QDropEvent  # a drag's enter and move events are drop events too
        ):
            if self._dropped_files(event) and self.context.locations is not None:
                event.acceptProposedAction()
                return True
        elif kind == QEvent.Type.Drop and isinstance(event, QDropEvent):
            paths = self._dropped_files(event)
            if paths:
                event.acceptProposedAction()
                self.import_paths(paths)
                return True
        return False

    @staticmethod
    def _dropped_files(event: QDropEvent) -> list[Path]:
        data = event.mimeData()
        if data is None or not data.hasUrls():
            return []
        return [Path(url.toLocalFile()) for url in data.urls() if url.isLocalFile()]

    # -- a picture for a figure -----------------------------------------------------------

    def _figure_entries(self, menu: QMenu, document: str, figure_id: str) -> None:
        essay = self.context.library.essay(document)
        if essay is None or not self.context.library.imported(essay):
            return  # the shipped edition is read-only
        action = menu.addAction("Use a Picture from &File…")
        action.triggered.connect(lambda: self.choose_picture(document, figure_id))

    def choose_picture(self, document: str, figure_id: str) -> bool:
        """Ask for a PNG or JPEG file and make it the figure's picture."""
        essay = self.context.library.essay(document)
        locations = self.context.locations
        if essay is None or locations is None:
            return False
        folder = str(self.context.settings.value(LAST_FOLDER_KEY, str(Path.home())))
        name, _ = QFileDialog.getOpenFileName(
            self.context.window, "Use a Picture for the Figure", folder, PICTURE_FILTERS
        )
        if not name:
            return False
        try:
            user_library.set_figure_picture(essay.folder, figure_id, Path(name))
        except user_library.LibraryError as exc:
            QMessageBox.warning(self.context.window, "Use a Picture from File", str(exc))
            return False
        if self.context.set_library is not None:
            self.context.set_library(*load_library(locations))
        self.context.show_message("The figure shows the new picture.")
        return True

    # -- the contents' order --------------------------------------------------------------

    @Slot(QAction)
    def _on_order_chosen(self, action: QAction) -> None:
        order = str(action.data())
        self.context.section_tree.set_order(order)
        self.context.settings.setValue(ORDER_KEY, order)

    def set_library(self, library: Library) -> None:
        self.add_action.setEnabled(self.context.locations is not None)
        self._arrived()


class _DropFilter(QObject):
    """Passes the window's drag and drop events to the feature."""

    def __init__(self, feature: LibraryFeature, parent: QObject) -> None:
        super().__init__(parent)
        self._feature = feature

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        return self._feature.filter_drop(event) or super().eventFilter(watched, event)
