"""Menus of the library's figures and of the source site's related pages.

``FiguresMenu`` lists every figure ("Figure 1. The Soviet Union would …")
and emits ``figure_activated(document, figure)``; ``RelatedMenu`` lists the
related pages with their original addresses, under a "not available
offline" heading, and emits ``related_activated(document, page)``: the main
window asks before launching a browser.
"""

from __future__ import annotations

import re

from PySide6.QtCore import Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QWidget

from reader.core.content import Figure, Library

CAPTION_CHARS = 60
_LABEL = re.compile(r"^\s*(Figure\s+\d+[^.]{0,40}?)\.\s*-{2,}\s*")


def caption_parts(figure: Figure) -> tuple[str, str]:
    """A caption as its label ("Figure 2 (editorial)") and the text after the label's
    ".--"; a caption without one gets the label "Figure N"."""
    match = _LABEL.match(figure.caption)
    if match:
        return match.group(1), figure.caption[match.end():]
    return f"Figure {figure.number}", figure.caption


def _short(text: str, chars: int = CAPTION_CHARS) -> str:
    text = " ".join(text.split())
    if len(text) <= chars:
        return text
    cut = text[:chars]
    return (cut[: cut.rindex(" ")] if " " in cut else cut) + "\u2026"


class LibraryMenu(QMenu):
    """A menu of entries for every essay of a library, filled when it is first shown
    (or its entries first asked for) after the library changed: a library of a
    thousand essays makes thousands of entries, which an import need not wait for."""

    filled = Signal()

    def __init__(self, title: str, library: Library, parent: QWidget | None = None) -> None:
        super().__init__(title, parent)
        self.setToolTipsVisible(True)
        self._library = library
        self._stale = True
        self.aboutToShow.connect(self.fill)

    def set_library(self, library: Library) -> None:
        self._library = library
        self._stale = True

    def fill(self) -> None:
        """Make the entries for the current library, if not made yet."""
        if not self._stale:
            return
        self._stale = False
        self.clear()
        self.add_entries(self._library)
        if self.isEmpty():
            none = self.addAction(self.empty_text)
            none.setEnabled(False)
        self.filled.emit()

    def actions(self) -> list[QAction]:
        """The entries, as for the current library (made first if they are not yet)."""
        self.fill()
        return super().actions()

    empty_text = "Nothing"

    def add_entries(self, library: Library) -> None:
        raise NotImplementedError


class FiguresMenu(LibraryMenu):
    """Every figure of the library; choosing one opens it in the figure viewer."""

    figure_activated = Signal(str, str)  # document, figure
    empty_text = "No figures"

    def __init__(self, library: Library, parent: QWidget | None = None) -> None:
        super().__init__("Fig&ures", library, parent)
        self.setObjectName("figures_menu")

    def add_entries(self, library: Library) -> None:
        several = len(library.essays) > 1
        for essay in library.essays:
            if several and essay.figures:
                self.addSection(essay.title)
            for figure in essay.figures:
                name, caption = caption_parts(figure)
                label = f"{name}. {_short(caption)}"
                action = QAction(label.replace("&", "&&"), self)
                action.setToolTip(figure.caption + (f"\n{figure.credit}" if figure.credit else ""))
                action.setData((figure.document, figure.id))
                action.triggered.connect(
                    lambda _checked=False, d=figure.document, f=figure.id: (
                        self.figure_activated.emit(d, f)
                    )
                )
                self.addAction(action)


class RelatedMenu(LibraryMenu):
    """The source site's related pages: title and original address, not available offline."""

    related_activated = Signal(str, str)  # document, page
    empty_text = "No related pages"

    def __init__(self, library: Library, parent: QWidget | None = None) -> None:
        super().__init__("&Related Pages", library, parent)
        self.setObjectName("related_menu")

    def add_entries(self, library: Library) -> None:
        for essay in library.essays:
            if not essay.related:
                continue
            self.addSection("Not available offline" + (f" — {essay.title}"
                                                       if len(library.essays) > 1 else ""))
            for page in essay.related:
                address = page.url or "address not recorded"
                action = QAction(f"{page.title}  —  {address}".replace("&", "&&"), self)
                action.setToolTip(
                    f"{page.title}\n{page.url or 'The capture did not record this address.'}\n"
                    "Not part of this offline edition."
                )
                action.setData((essay.id, page.id))
                action.triggered.connect(
                    lambda _checked=False, d=essay.id, p=page.id: self.related_activated.emit(d, p)
                )
                self.addAction(action)
