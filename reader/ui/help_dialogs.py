"""Help: the keyboard shortcut overview (F1) and the About dialog.

The overview is built from the window's own menus when it opens, so every
action anyone adds to a menu, with its shortcut, is listed without a second
list to keep up to date; the keys the widgets handle themselves follow, from
``WIDGET_KEYS``. ``shortcut_rows`` gives both, as key sequences.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QMenu,
    QMenuBar,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from reader import __version__
from reader.core.content import Essay
from reader.core.render import display_date

#: Keys handled by widgets themselves rather than by menu actions: where, what, and the
#: keys as portable key sequences.
WIDGET_KEYS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("Reading", "Scroll a page down", ("Space", "PgDown")),
    ("Reading", "Scroll a page up", ("Shift+Space", "PgUp")),
    ("Reading", "Next link in the text", ("Tab",)),
    ("Reading", "Previous link in the text", ("Shift+Tab",)),
    ("Reading", "Follow the link", ("Return",)),
    ("Reading", "Copy the selected text", ("Ctrl+C",)),
    ("Distraction-free reading", "Back to the panels", ("Esc",)),
    ("Contents", "Open the selected section", ("Return",)),
    ("Contents", "Go to the text", ("Tab",)),
)
#: How the menu bar's own keys are listed (the letters differ per menu).
MENU_KEYS = ("Everywhere", "Open a menu", "Alt + the underlined letter")


@dataclass(frozen=True)
class KeyRow:
    """One line of the overview: where, what, the keys, and how they are shown."""

    where: str
    action: str
    keys: tuple[QKeySequence, ...]
    shown: str


def _native(keys: tuple[QKeySequence, ...]) -> str:
    return ", ".join(k.toString(QKeySequence.SequenceFormat.NativeText) for k in keys)


#: Shown when an essay's front matter has no ``licence`` of its own.
DEFAULT_LICENCE_NOTE = (
    "The essay text and its illustration remain the work of their authors and "
    "owners named above; copyright is theirs. This offline edition reproduces "
    "them for private reading and study, as published; it is not covered by "
    "the application's own licence."
)


def _plain(text: str) -> str:
    return text.replace("&", "")


def menu_shortcuts(menu_bar: QMenuBar) -> list[tuple[str, str, str]]:
    """(menu, action, shortcuts) for every action with a shortcut, in menu order."""
    return [(r.where, r.action, r.shown) for r in _menu_rows(menu_bar)]


def shortcut_rows(menu_bar: QMenuBar) -> list[KeyRow]:
    """Every row of the overview: the menus' shortcuts, the widgets' keys, and the menu
    bar's Alt+letter keys (one sequence per menu)."""
    rows = _menu_rows(menu_bar)
    for where, action, names in WIDGET_KEYS:
        keys = tuple(QKeySequence(n) for n in names)
        rows.append(KeyRow(where, action, keys, _native(keys)))
    mnemonics = tuple(
        QKeySequence.mnemonic(a.text()) for a in menu_bar.actions() if a.menu() is not None
    )
    rows.append(KeyRow(*MENU_KEYS[:2], tuple(k for k in mnemonics if not k.isEmpty()),
                       MENU_KEYS[2]))
    return rows


def _menu_rows(menu_bar: QMenuBar) -> list[KeyRow]:
    rows: list[KeyRow] = []

    def walk(menu: QMenu, path: str) -> None:
        for action in menu.actions():
            if action.isSeparator():
                continue
            sub = action.menu()
            if isinstance(sub, QMenu):
                walk(sub, f"{path} › {_plain(action.text())}")
                continue
            unique = {k.toString(): k for k in action.shortcuts() if not k.isEmpty()}
            keys = tuple(unique.values())  # StandardKey may repeat one
            if keys:
                rows.append(KeyRow(path, _plain(action.text()).rstrip("…. "), keys, _native(keys)))

    for action in menu_bar.actions():
        menu = action.menu()
        if isinstance(menu, QMenu):
            walk(menu, _plain(action.text()))
    return rows


class ShortcutsDialog(QDialog):
    """A table of every keyboard shortcut: the menus' and the widgets' own."""

    def __init__(self, menu_bar: QMenuBar, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("shortcuts_dialog")
        self.setWindowTitle("Keyboard Shortcuts")
        self.setAccessibleName("Keyboard shortcuts")
        rows = [(r.where, r.action, r.shown) for r in shortcut_rows(menu_bar)]
        self.table = QTableWidget(len(rows), 3, self)
        self.table.setObjectName("shortcuts_table")
        self.table.setAccessibleName("Keyboard shortcuts")
        self.table.setHorizontalHeaderLabels(["Where", "Action", "Keys"])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setAlternatingRowColors(True)
        for row, values in enumerate(rows):
            for column, value in enumerate(values):
                self.table.setItem(row, column, QTableWidgetItem(value))
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        buttons.button(QDialogButtonBox.StandardButton.Close).setAccessibleName("Close")
        intro = QLabel("Every command is also in the menus (Alt opens them).", self)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table)
        layout.addWidget(buttons)
        self.resize(620, 560)
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)

    def rows(self) -> list[tuple[str, str, str]]:
        def text(row: int, column: int) -> str:
            item = self.table.item(row, column)
            return item.text() if item is not None else ""

        return [(text(r, 0), text(r, 1), text(r, 2)) for r in range(self.table.rowCount())]


def about_html(essay: Essay | None) -> str:
    """The About text: the application, the essay's source, credits and licence note."""
    parts = [
        f"<h3>Reference Reader {escape(__version__, quote=False)}</h3>",
        "<p>An offline reader that presents historical essays as reference works: "
        "contents, search, figures, cross-references and bookmarks. It makes no "
        "network connection.</p>",
    ]
    if essay is not None:
        meta = essay.meta
        site = escape(str(meta.get("site", "")), quote=False)
        if meta.get("site_section"):
            site += f" ({escape(str(meta['site_section']), quote=False)})"
        address = meta.get("url") or meta.get("site_url")
        if address:
            site += f"<br>{escape(str(address), quote=False)}"
            if not meta.get("url"):
                site += " (the page's own address was not recorded)"
        dates = ", ".join(
            f"{label} {escape(display_date(meta[key]), quote=False)}"
            for key, label in (("created", "created"), ("updated", "last updated"))
            if meta.get(key)
        )
        parts.append(f"<p><b>Source</b><br><i>{escape(essay.title, quote=False)}</i><br>{site}")
        if dates:
            parts.append(f"<br>Page {dates}.")
        parts.append("</p>")
        if meta.get("credit"):
            parts.append(f"<p><b>Credits</b><br>{escape(str(meta['credit']), quote=False)}</p>")
        if meta.get("edition"):
            parts.append(
                f"<p><b>This edition</b><br>{escape(str(meta['edition']), quote=False)}</p>"
            )
        licence = meta.get("licence") or meta.get("license") or DEFAULT_LICENCE_NOTE
        parts.append(f"<p><b>Licence</b><br>{escape(str(licence), quote=False)}</p>")
    parts.append(
        "<p><b>Software</b><br>Reference Reader is free software under the MIT licence. "
        "Built with Qt for Python (PySide6), Python-Markdown with PyMdown Extensions, "
        "Whoosh and PyYAML.</p>"
    )
    return "".join(parts)
