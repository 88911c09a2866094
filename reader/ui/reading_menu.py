"""The reading view's context menu: Copy (and Copy Link Address over a web link),
then each feature's entries for the spot, the figure's entries over a figure, and
Select All.

Features add their entries through ``ReadingView.add_context_entries``; each is
called with the menu and the ``ReadingSpot`` it was opened at.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from PySide6.QtCore import QUrl
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QMenu, QTextEdit


@dataclass(frozen=True)
class ReadingSpot:
    """What a context menu was asked for: the selection, and what is under the pointer."""

    selection: str  # the selected text ("" if none)
    link: QUrl | None  # the link under the pointer
    position: int  # the character position under the pointer
    section: str  # the section of that position ("" before an essay is shown)

    @property
    def figure(self) -> str:
        """The figure id when the pointer is over a figure (or its link)."""
        if self.link is not None and self.link.scheme() == "figure":
            return self.link.path().strip("/")
        return ""


#: Adds a feature's entries to the reading view's context menu for a spot.
ContextEntries = Callable[[QMenu, ReadingSpot], None]
#: Adds entries for a figure (to the reading view's menu and the figure viewer's):
#: called with the menu, the essay and the figure id.
FigureEntries = Callable[[QMenu, str, str], None]


def context_menu(
    view: QTextEdit,
    spot: ReadingSpot,
    entries: Sequence[ContextEntries],
    essay: str | None,
    figure_entries: Sequence[FigureEntries],
) -> QMenu:
    """The reader's context menu over ``view`` for ``spot`` (``essay``: the id of the
    essay shown, None before one is)."""
    menu = QMenu(view)
    menu.setObjectName("reading_context_menu")
    copy = menu.addAction("&Copy")
    copy.setEnabled(bool(spot.selection))
    copy.triggered.connect(view.copy)
    if spot.link is not None and spot.link.scheme() in ("http", "https", "mailto"):
        address = spot.link.toString()
        copy_address = menu.addAction("Copy Link Addr&ess")
        copy_address.triggered.connect(lambda: QGuiApplication.clipboard().setText(address))
    for add in entries:
        menu.addSeparator()
        add(menu, spot)
    if spot.figure and essay is not None and figure_entries:
        menu.addSeparator()
        for add_figure in figure_entries:
            add_figure(menu, essay, spot.figure)
    select_all = menu.addAction("Select &All")
    select_all.triggered.connect(view.selectAll)
    return menu
