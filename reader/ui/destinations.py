"""Where the reader's clicks lead besides sections: a figure opens in the figure
viewer (one window, created when first asked for), a related page opens as an essay
of the library or is said not to be there, and a web address opens in the system
browser only after asking."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QUrl, Slot
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QMainWindow

from reader.core import links
from reader.core.content import Library
from reader.core.related import essay_links, related_target
from reader.ui.reading_view import ReadingView

if TYPE_CHECKING:
    from reader.ui.figure_viewer import FigureViewer


class Destinations(QObject):
    """Opens figures, related pages and web addresses for ``window``."""

    def __init__(
        self,
        window: QMainWindow,
        view: ReadingView,
        library: Callable[[], Library],
        open_section: Callable[[str, str], bool],
        show_message: Callable[[str, int], None],
    ) -> None:
        super().__init__(window)
        self.window = window
        self.view = view
        self.library = library
        self.open_section = open_section
        self.show_message = show_message
        self.figure_viewer: FigureViewer | None = None

    @Slot(str, str)
    def show_figure(self, document: str, figure_id: str) -> None:
        essay = self.library().essay(document)
        figure = essay.figure(figure_id) if essay else None
        if essay is None or figure is None:
            self.show_message(f"Figure {figure_id!r} not found.", 8000)
            return
        from reader.ui.figure_viewer import FigureViewer  # QtSvgWidgets: only when asked for

        index = essay.figures.index(figure)
        if self.figure_viewer is None:
            entries = self.view.figure_menu_entries
            self.figure_viewer = FigureViewer(essay.figures, index, self.window, entries)
        else:
            self.figure_viewer.set_figures(essay.figures, index)
        self.figure_viewer.show()
        self.figure_viewer.raise_()
        self.figure_viewer.activateWindow()

    @Slot()
    def show_figure_here(self) -> None:
        """The figure at the cursor or nearest the reading place (not always the first)."""
        essay = self.view.essay
        if essay is None or not essay.figures:
            self.show_message("This essay has no figures.", 5000)
            return
        near = self.view.figure_near_reading_place()
        self.show_figure(essay.id, near or essay.figures[0].id)

    def follow_library(self, library: Library) -> None:
        """Show the open viewer's figures as they are in ``library`` (after an import)."""
        viewer = self.figure_viewer
        shown = library.essay(viewer.figure.document) if viewer is not None else None
        if viewer is not None and shown is not None and shown.figures:
            ids = [f.id for f in shown.figures]
            here = viewer.figure.id
            viewer.set_figures(shown.figures, ids.index(here) if here in ids else 0)

    @Slot(str, str)
    def show_related_page(self, document: str, page_id: str) -> None:
        """Open the related page if it is an essay of the library; else say it is not."""
        library = self.library()
        essay = library.essay(document)
        page = essay.related_page(page_id) if essay else None
        if essay is None or page is None:
            self.show_message(f"Related page {page_id!r} is not listed.", 8000)
            return
        target = related_target(essay, page, essay_links(library, document))
        essay_there = links.parse_section_link(target) if target else None
        if essay_there is not None:
            self.open_section(*essay_there)
            return
        where = f" ({page.url})" if page.url else ""
        self.show_message(f"“{page.title}” is not in your library{where}.", 10000)

    @Slot(QUrl)
    def open_external_link(self, url: QUrl, reason: str = "") -> bool:
        """Ask before opening a web address in the system browser."""
        if url.scheme() not in ("http", "https", "mailto"):
            self.show_message(f"Cannot open {url.toString()}.", 8000)
            return False
        text = (
            f"{reason + ' ' if reason else ''}Open this address in your web browser?\n\n"
            f"{url.toString()}\n\nThis needs a network connection."
        )
        from PySide6.QtWidgets import QMessageBox  # the first asking loads its type

        answer = QMessageBox.question(
            self.window,
            "Open in web browser",
            text,
            QMessageBox.StandardButton.Open | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        if answer != QMessageBox.StandardButton.Open:
            return False
        return QDesktopServices.openUrl(url)

    def close(self) -> None:
        if self.figure_viewer is not None:
            self.figure_viewer.close()
