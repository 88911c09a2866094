"""The search panel and its wiring parts.

``SearchPanel`` is a field and a result list over a ``reader.core.search.SearchIndex``:
typing searches as you type (debounced), Up/Down/Enter work from the field, Esc
clears. Opening a result emits ``result_activated(document, section, terms)``
with every form that matched, so the reading view can highlight them all
(``reader.ui.reading_highlights``: extra selections, F3 / Shift+F3 to step, Esc
to clear). The shown results' hit counts go out as ``hit_counts_changed``, for
the contents tree (``SectionTree.set_hit_counts``).

The index is opened off the GUI thread, after the window shows or on first use
(``prepare()``): importing whoosh and opening a searcher costs 60-120 ms. A large
library that needs a fresh index is built in a separate process
(``reader.core.search.open_search_index``), since a Python thread would stall
the GUI on the GIL; the panel shows the build's progress and stays usable meanwhile.
"""
from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QSize, Qt, QThread, QTimer, Signal, Slot
from PySide6.QtGui import QKeyEvent, QPalette, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QVBoxLayout,
    QWidget,
)

from reader.core.content import Library
from reader.ui.library_update import NEXT_TURN_MS

if TYPE_CHECKING:  # reader.core.search imports whoosh: only when the index is opened
    from reader.core.search import SearchIndex, SearchResults
    from reader.ui.import_worker import Task

ProgressFn = Callable[[int, int], None]
#: Opens (building if needed) the index; returns it and a status-bar message or "".
IndexOpener = Callable[[ProgressFn], tuple["SearchIndex", str]]

DEBOUNCE_MS = 150
RESULT_LIMIT = 30
DOCUMENT_ROLE = Qt.ItemDataRole.UserRole
SECTION_ROLE = Qt.ItemDataRole.UserRole + 1
TERMS_ROLE = Qt.ItemDataRole.UserRole + 2
#: Where a search looks: (key, label) of the scope control.
SCOPES = (("all", "Everything"), ("essay", "This essay"))


class Cancelled(Exception):
    """Raised from the progress callback to stop a build (the window is closing)."""


class _Opener(QObject):
    """Runs the index opener in a worker thread."""

    progress = Signal(int, int)
    finished = Signal(object, str)  # the SearchIndex (or None), a message

    def __init__(self, opener: IndexOpener) -> None:
        super().__init__()
        self._opener = opener
        self.stop = threading.Event()

    def _report(self, done: int, total: int) -> None:
        if self.stop.is_set():
            raise Cancelled
        self.progress.emit(done, total)

    @Slot()
    def run(self) -> None:
        try:
            index, message = self._opener(self._report)
        except Cancelled:
            self.finished.emit(None, "")
            return
        except Exception as exc:  # never let the worker die silently
            self.finished.emit(None, f"Search is not available: {exc}")
            return
        self.finished.emit(index, message)


# --- the panel -------------------------------------------------------------------------------


class SearchField(QLineEdit):
    """The query field: Up/Down/Enter drive the result list, Esc clears."""

    step = Signal(int)
    accepted = Signal()
    escaped = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key in (Qt.Key.Key_Down, Qt.Key.Key_Up):
            self.step.emit(1 if key == Qt.Key.Key_Down else -1)
            return
        if key in (Qt.Key.Key_PageDown, Qt.Key.Key_PageUp):
            self.step.emit(5 if key == Qt.Key.Key_PageDown else -5)
            return
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.accepted.emit()
            return
        if key == Qt.Key.Key_Escape:
            self.escaped.emit()
            return
        super().keyPressEvent(event)


class SearchPanel(QWidget):
    """A search field over the library with ranked results, searching as you type."""

    result_activated = Signal(str, str, list)  # document, section, matched forms
    cleared = Signal()
    hit_counts_changed = Signal(list)  # [(document, section, count)] of the shown results
    status_message = Signal(str)

    def __init__(
        self, library: Library, opener: IndexOpener | None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("search_panel")
        self.library = library
        self._opener = opener
        self._index: SearchIndex | None = None
        self._thread: QThread | None = None
        self._worker: _Opener | None = None
        self._pending = False
        self._refresh: Task | None = None
        #: Whether an index an import brought up to date is about to be searched.
        self.reloading = False
        self.results: SearchResults | None = None
        self._essay_titles = {e.id: e.title for e in library.essays}

        self.field = SearchField(self)
        self.field.setObjectName("search_field")
        self.field.setPlaceholderText("Search (Ctrl+K)")
        self.field.setClearButtonEnabled(True)
        self.field.setAccessibleName("Search")
        self.field.setToolTip(
            'All words must occur. Also: "a phrase", prefix*, OR, NOT or -word, title:word.'
        )
        self.scope = QComboBox(self)
        self.scope.setObjectName("search_scope")
        self.scope.setAccessibleName("Search in")
        self.scope.setToolTip("Search this essay or the whole library")
        for key, label in SCOPES:
            self.scope.addItem(label, key)
        #: The essay "This essay" means (the one being read); set by the window.
        self.current_essay: Callable[[], str | None] = lambda: None
        self.progress = QProgressBar(self)
        self.progress.setObjectName("search_progress")
        self.progress.setTextVisible(True)
        self.progress.setFormat("Indexing %v of %m sections…")
        self.progress.hide()
        self.status = QLabel(self)
        self.status.setObjectName("search_status")
        self.status.setWordWrap(True)
        self.status.setTextFormat(Qt.TextFormat.RichText)
        self.status.setOpenExternalLinks(False)
        self.status.linkActivated.connect(self._on_suggestion)
        #: "Hit 2 of 5": where F3 / Shift+F3 are among the highlighted matches.
        self.position = QLabel(self)
        self.position.setObjectName("search_position")
        self.position.hide()
        self.list = QListWidget(self)
        self.list.setObjectName("search_results")
        self.list.setAccessibleName("Search results")
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setWordWrap(True)
        self.list.setSpacing(1)
        # Rows are rich-text labels: a light selection keeps their text readable.
        self.list.setStyleSheet(
            "QListWidget#search_results::item:selected {"
            " background: palette(midlight); border-left: 3px solid palette(highlight); }"
        )

        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.setSpacing(6)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.field, 1)
        row.addWidget(self.scope)
        layout.addLayout(row)
        layout.addWidget(self.progress)
        layout.addWidget(self.status)
        layout.addWidget(self.position)
        layout.addWidget(self.list, 1)
        layout.addStretch(0)  # keeps the field at the top while the list is hidden
        self.list.hide()  # no empty box: the list shows when there are results

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self.run_search)
        self.field.textChanged.connect(self._on_text_changed)
        self.scope.currentIndexChanged.connect(self._on_scope_changed)
        self.field.step.connect(self.step)
        self.field.accepted.connect(self.open_current)
        self.field.escaped.connect(self.clear)
        self.list.itemActivated.connect(self._on_item_activated)
        self.list.itemClicked.connect(self._on_item_activated)
        self.field.installEventFilter(self)
        # The rows are fitted to the list's viewport, which narrows when its scroll bar shows.
        self.list.viewport().installEventFilter(self)
        self._show_status("Type to search every section.")

    # -- the index --

    @property
    def is_ready(self) -> bool:
        return self._index is not None

    @Slot()
    def prepare(self) -> None:
        """Open the index in a worker thread, once; searching waits for it."""
        if self._index is not None or self._thread is not None or self._opener is None:
            return
        self._thread = QThread(self)
        self._worker = _Opener(self._opener)
        self._worker.moveToThread(self._thread)
        self._thread.started.connect(self._worker.run)
        self._worker.progress.connect(self._on_progress)
        self._worker.finished.connect(self._on_opened)
        self._thread.start()

    def set_index(self, index: SearchIndex) -> None:
        """Use an index opened elsewhere (tests, or a caller that opened it already)."""
        self._index = index
        if self._pending:
            self.run_search()

    @Slot(int, int)
    def _on_progress(self, done: int, total: int) -> None:
        self.progress.setMaximum(max(total, 1))
        self.progress.setValue(done)
        self.progress.show()

    @Slot(object, str)
    def _on_opened(self, index: SearchIndex | None, message: str) -> None:
        self.progress.hide()
        if self._thread is not None:
            self._thread.quit()
            self._thread.wait()
        if index is None:
            self._thread = self._worker = None  # a later search tries again
        if message:
            self.status_message.emit(message)
        if index is None:
            self._show_status(message or "Search is not available.")
            return
        self.set_index(index)

    def shutdown(self) -> None:
        """Stop the worker thread, cancelling a build in progress (the window is closing)."""
        self._end_refresh()
        if self._worker is not None:
            self._worker.stop.set()
        if self._thread is not None and self._thread.isRunning():
            self._thread.quit()
            self._thread.wait()
        if self._index is not None:
            self._index.close()

    # -- searching --

    @Slot(str)
    def _on_text_changed(self, text: str) -> None:
        if not text.strip():
            self._timer.stop()
            self.clear_results()
            return
        self._timer.start()

    @Slot()
    def run_search(self) -> None:
        """Search for the field's text now (the debounce timer calls this)."""
        self._timer.stop()
        text = self.field.text()
        if not text.strip():
            self.clear_results()
            return
        if self._index is None:
            self._pending = True
            self._show_status("Preparing the search index…")
            self.prepare()
            return
        self._pending = False
        essay = self.current_essay() if self.scope.currentData() == "essay" else None
        self.show_results(self._index.search(text, limit=RESULT_LIMIT, essay=essay))

    @Slot(int)
    def _on_scope_changed(self, _position: int) -> None:
        if self.field.text().strip():
            self.run_search()

    def set_library(self, library: Library) -> None:
        """Search ``library`` from now on. An open index takes it as it is on disk when
        another process already wrote the changes (an import: checked now, searched from
        the next turn); otherwise it
        is brought up to date in a worker (searches meanwhile use the index as it was)."""
        old, self.library = self.library, library
        self._essay_titles = {e.id: e.title for e in library.essays}
        index = self._index
        if index is None or self._refresh is not None:
            return  # opened later, over the new library (or being brought up to date)
        if not self.reloading and index.take_same(library):
            return
        checked = index.check_reload(library)
        if checked is not None:
            # Taken in the next turn: opening and checking the index, then opening the
            # searcher, are ~25 ms each at a thousand essays.
            self.reloading = True
            QTimer.singleShot(
                NEXT_TURN_MS, self, lambda: self._take_reload(index, library, checked)
            )
            return
        from reader.ui.import_worker import Task, refresh_search_index

        def work(*_: object) -> object:
            return refresh_search_index(index, old, library)

        self._refresh = Task(work, self)
        self._refresh.finished.connect(self._on_refreshed)
        self._refresh.failed.connect(self._on_refresh_failed)
        self._refresh.start()

    def _take_reload(self, index: SearchIndex, library: Library, checked: object) -> None:
        self.reloading = False
        if index is not self._index or library is not self.library:
            return  # closed, or another library came since: that one is being taken in
        index.take_reload(library, checked)
        if self.field.text().strip():
            self.run_search()

    @Slot(object)
    def _on_refreshed(self, index: SearchIndex) -> None:
        self._end_refresh()
        if index is not self._index and self._index is not None:
            self._index.close()
        self.set_index(index)
        if self.field.text().strip():
            self.run_search()

    @Slot(str)
    def _on_refresh_failed(self, message: str) -> None:
        self._end_refresh()
        self.status_message.emit(f"The search index could not be brought up to date: {message}")

    def _end_refresh(self) -> None:
        if self._refresh is not None:
            self._refresh.wait()
            self._refresh.deleteLater()
            self._refresh = None

    def show_results(self, results: SearchResults) -> None:
        self.results = results
        self.list.clear()
        self.list.setVisible(bool(results.hits))
        for hit in results.hits:
            essay = self._essay_titles.get(hit.document, hit.document)
            near = " · near spelling" if not hit.exact else ""
            count = f"{hit.count} hit{'s' if hit.count != 1 else ''}"
            html = (
                f"<b>{_escape(hit.title)}</b>"
                f"<br><small>{count}{near} · <i>{_escape(essay)}</i></small>"
                f"<br><small>{hit.snippet_html()}</small>"
            )
            item = QListWidgetItem(self.list)
            item.setData(DOCUMENT_ROLE, hit.document)
            item.setData(SECTION_ROLE, hit.section)
            item.setData(TERMS_ROLE, list(hit.terms))
            item.setToolTip(f"{hit.title} — {essay}")
            label = QLabel(html)
            label.setWordWrap(True)
            label.setTextFormat(Qt.TextFormat.RichText)
            label.setContentsMargins(4, 3, 4, 5)
            label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
            self.list.setItemWidget(item, label)
        self._fit_rows()
        if results.hits:
            self.list.setCurrentRow(0)
            shown = len(results.hits)
            summary = f"{results.total} section{'s' if results.total != 1 else ''}"
            if results.total > shown:
                summary = f"{shown} of {summary}"
            note = f"<br>{_escape(results.message)}" if results.message else ""
            if results.also_spelled:
                note += f"<br>{_escape(results.also_spelled)}"
            suggestion = self._suggestion_html(results) if not results.hits[0].exact else ""
            self._show_status(summary + note + suggestion)
        else:
            text = "No sections found."
            if results.message and not results.message.startswith("No results"):
                text += f"<br>{_escape(results.message)}"
            self._show_status(text + self._suggestion_html(results))
        self.hit_counts_changed.emit(
            [(hit.document, hit.section, hit.count) for hit in results.hits]
        )

    def _fit_rows(self) -> None:
        """Give each result row the height its wrapped label needs at the list's width."""
        width = max(self.list.viewport().width() - 2 * self.list.spacing(), 80)
        for row in range(self.list.count()):
            item = self.list.item(row)
            label = self.list.itemWidget(item)
            if isinstance(label, QLabel):
                item.setSizeHint(QSize(width, label.heightForWidth(width)))

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_rows()

    def _suggestion_html(self, results: SearchResults) -> str:
        if not results.suggestion:
            return ""
        # The theme's link colour: rich text in a label otherwise draws links pure blue.
        link = self.palette().color(QPalette.ColorRole.Link).name()
        return (f"<br>Did you mean <a href='suggest' style='color:{link}'>"
                f"{_escape(results.suggestion)}</a>?")

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange and getattr(self, "results", None):
            self.show_results(self.results)  # type: ignore[arg-type]  # the new link colour

    def show_position(self, current: int, total: int) -> None:
        """Show which highlighted match is current ("Hit 2 of 5"); hide with none."""
        self.position.setVisible(total > 0)
        if total > 0:
            where = f"Hit {current + 1} of {total}" if current >= 0 else f"{total} hits"
            self.position.setText(f"{where} in the text (F3 next, Shift+F3 previous)")

    @Slot(str)
    def _on_suggestion(self, _link: str) -> None:
        if self.results is not None and self.results.suggestion:
            self.field.setText(self.results.suggestion)
            self.run_search()

    def _show_status(self, html: str) -> None:
        self.status.setText(html)

    def clear_results(self) -> None:
        self.results = None
        self.list.clear()
        self.list.hide()
        self._show_status("Type to search every section.")
        self.hit_counts_changed.emit([])

    @Slot()
    def clear(self) -> None:
        """Empty the field and the results; the reading view drops its highlights."""
        self._timer.stop()
        self.field.clear()
        self.clear_results()
        self.cleared.emit()

    # -- keyboard and opening --

    @Slot(int)
    def step(self, delta: int) -> None:
        count = self.list.count()
        if not count:
            return
        row = self.list.currentRow()
        self.list.setCurrentRow(max(0, min(count - 1, (row if row >= 0 else -1) + delta)))

    @Slot()
    def open_current(self) -> None:
        """Enter in the field: search now if the text changed, then open the current result."""
        if self._timer.isActive() or self.results is None:
            self.run_search()
        item = self.list.currentItem() or self.list.item(0)
        if item is not None:
            self._on_item_activated(item)

    @Slot(QListWidgetItem)
    def _on_item_activated(self, item: QListWidgetItem) -> None:
        self.result_activated.emit(
            item.data(DOCUMENT_ROLE), item.data(SECTION_ROLE), list(item.data(TERMS_ROLE) or [])
        )

    def focus_field(self) -> None:
        self.field.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.field.selectAll()
        self.prepare()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.field and event.type() == QEvent.Type.FocusIn:
            self.prepare()  # the first search should not wait for whoosh to load
        elif watched is self.list.viewport() and event.type() == QEvent.Type.Resize:
            self._fit_rows()
        return super().eventFilter(watched, event)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


# --- the main window's part ------------------------------------------------------------------
