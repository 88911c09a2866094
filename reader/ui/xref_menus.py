"""Menus of the library's figures and of the source site's related pages.

``FiguresMenu`` lists the figures ("Figure 1. The Soviet Union would …") and
emits ``figure_activated(document, figure)``; ``RelatedMenu`` lists the related
pages with their original addresses (those of a library of one essay under a
"not available offline" heading; among several essays each page not in the
library says so) and emits ``related_activated(document, page)``. Both show the entries of the
essay being read first and those of the other essays of the library in a
submenu each.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QWidget

from reader.core.content import Essay, Figure, Library, RelatedPage

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
    """A menu of entries for the essays of a library: those of the essay being read
    (``current()`` names it), then, when the library holds more, a submenu for each
    other essay that has any. Filled when it is first shown (or its entries first
    asked for) after the library or the essay being read changed, and each submenu
    when it is opened: a library of a thousand essays has tens of thousands of
    entries, which neither an import nor the menu need wait for.

    ``filled(menu)`` says that ``menu`` (this one or a submenu) got its entries."""

    filled = Signal(QMenu)

    #: The menu's title and object name.
    title_text = ""
    object_name = ""

    def __init__(
        self,
        library: Library,
        parent: QWidget | None = None,
        current: Callable[[], str | None] = lambda: None,
    ) -> None:
        super().__init__(self.title_text, parent)
        self.setObjectName(self.object_name)
        self.setToolTipsVisible(True)
        self._library = library
        self._current = current
        #: The essay the entries were made for; "" for none, None when to be made.
        self._filled_for: str | None = None
        #: The other essays' submenus, made once for a library (a thousand essays'
        #: take ~150 ms to make: not again each time the reader turns to another one).
        self._submenus: dict[str, QMenu] = {}
        self.aboutToShow.connect(self.fill)

    def set_library(self, library: Library) -> None:
        self._library = library
        self._filled_for = None
        for submenu in self._submenus.values():
            submenu.deleteLater()
        self._submenus.clear()

    def fill(self) -> None:
        """Make the entries for the current library and essay, if not made yet."""
        library = self._library
        current = self._current() or ""
        if library.essay(current) is None:
            current = library.essays[0].id if len(library.essays) == 1 else ""
        if self._filled_for == current:
            return
        self._filled_for = current
        self.clear()
        essay = library.essay(current) if current else None
        if essay is not None:
            several = len(library.essays) > 1
            self.add_entries(self, essay, essay.title if several else self.heading)
        others = [e for e in library.essays if e is not essay and self.items(e)]
        if others:
            self.addSection("Other essays" if essay is not None else "Essays")
            for other in others:
                self.addAction(self._submenu(other).menuAction())
        if self.isEmpty():
            none = self.addAction(self.empty_text)
            none.setEnabled(False)
        self.filled.emit(self)

    def _submenu(self, essay: Essay) -> QMenu:
        submenu = self._submenus.get(essay.id)
        if submenu is None:
            submenu = QMenu(essay.title.replace("&", "&&"), self)
            submenu.setToolTipsVisible(True)
            submenu.aboutToShow.connect(
                lambda menu=submenu, e=essay: self._fill_submenu(menu, e)
            )
            self._submenus[essay.id] = submenu
        return submenu

    def _fill_submenu(self, menu: QMenu, essay: Essay) -> None:
        if menu.isEmpty():
            self.add_entries(menu, essay, "")  # the submenu's title names the essay
            self.filled.emit(menu)

    def actions(self) -> list[QAction]:
        """The entries, as for the current library and essay (made first if they are
        not yet)."""
        self.fill()
        return super().actions()

    empty_text = "Nothing"
    #: The heading of the entries of a library of one essay ("" for none).
    heading = ""

    def add_entries(self, menu: QMenu, essay: Essay, heading: str) -> None:
        """Add ``essay``'s entries to ``menu``, under ``heading`` if there is one."""
        items = self.items(essay)
        if items and heading:
            menu.addSection(heading)
        for item in items:
            menu.addAction(self.entry(menu, essay, item))

    def items(self, essay: Essay) -> Sequence[Any]:
        """What the menu lists of ``essay``."""
        raise NotImplementedError

    def entry(self, menu: QMenu, essay: Essay, item: Any) -> QAction:
        """The menu entry of one of ``items(essay)``."""
        raise NotImplementedError


class FiguresMenu(LibraryMenu):
    """The figures of the library; choosing one opens it in the figure viewer."""

    figure_activated = Signal(str, str)  # document, figure
    title_text = "Fig&ures"
    object_name = "figures_menu"
    empty_text = "No figures"

    def items(self, essay: Essay) -> Sequence[Figure]:
        return essay.figures

    def entry(self, menu: QMenu, essay: Essay, item: Any) -> QAction:
        figure: Figure = item
        name, caption = caption_parts(figure)
        action = QAction(f"{name}. {_short(caption)}".replace("&", "&&"), menu)
        action.setToolTip(figure.caption + (f"\n{figure.credit}" if figure.credit else ""))
        action.setData((figure.document, figure.id))
        action.triggered.connect(
            lambda _checked=False, d=figure.document, f=figure.id: self.figure_activated.emit(d, f)
        )
        return action


class RelatedMenu(LibraryMenu):
    """The source site's related pages: title and original address, not available offline."""

    related_activated = Signal(str, str)  # document, page
    title_text = "&Related Pages"
    object_name = "related_menu"
    empty_text = "No related pages"
    # Among several essays some pages may be in the library: each page says so itself.
    heading = "Not available offline"

    def items(self, essay: Essay) -> Sequence[RelatedPage]:
        return essay.related

    def entry(self, menu: QMenu, essay: Essay, item: Any) -> QAction:
        page: RelatedPage = item
        address = page.url or "address not recorded"
        action = QAction(f"{page.title}  —  {address}".replace("&", "&&"), menu)
        action.setToolTip(
            f"{page.title}\n{page.url or 'The capture did not record this address.'}\n"
            "Not part of this offline edition."
        )
        action.setData((essay.id, page.id))
        action.triggered.connect(
            lambda _checked=False, d=essay.id, p=page.id: self.related_activated.emit(d, p)
        )
        return action
