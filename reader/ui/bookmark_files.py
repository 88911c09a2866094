"""Bookmarks to and from a JSON file, chosen in a file dialog (Bookmarks › Export/Import).

The store does the work (``BookmarkStore.export_file``/``import_file``: atomic
writes, regular files only, every field checked); this module asks for the
file and turns a refusal into a message. Each function returns what to report
in the status bar, or None when the reader cancelled or nothing was done.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from reader.core import bookmarks
from reader.core.bookmarks import BookmarkStore


def export_bookmarks(parent: QWidget, store: BookmarkStore) -> str | None:
    name, _ = QFileDialog.getSaveFileName(
        parent, "Export Bookmarks", str(Path.home() / "bookmarks.json"), "Bookmarks (*.json)"
    )
    if not name:
        return None
    try:
        count = store.export_file(Path(name))
    except bookmarks.Error as exc:
        QMessageBox.warning(parent, "Export Bookmarks", str(exc))
        return None
    return f"Exported {count} bookmark(s) to {name}."


def import_bookmarks(parent: QWidget, store: BookmarkStore) -> str | None:
    name, _ = QFileDialog.getOpenFileName(
        parent, "Import Bookmarks", str(Path.home()), "Bookmarks (*.json)"
    )
    if not name:
        return None
    try:
        result = store.import_file(Path(name))
    except bookmarks.Error as exc:
        QMessageBox.warning(parent, "Import Bookmarks", f"{exc}\n\nNothing was imported.")
        return None
    return f"Imported {result.added} bookmark(s); {result.skipped} were already present."
