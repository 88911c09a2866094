"""The undoable changes to the bookmark store, one ``QUndoCommand`` each.

Each command changes the store through a ``CommandTarget`` (the bookmarks panel),
which rebuilds its tree after every change and reports failures; a change the
store refuses is reported and the command dropped from the undo stack.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from PySide6.QtGui import QUndoCommand

from reader.core import bookmarks
from reader.core.bookmarks import Bookmark, BookmarkStore
from reader.ui.bookmark_dialog import BookmarkDetails


class CommandTarget(Protocol):
    """What a command needs from the panel it was pushed by."""

    store: BookmarkStore

    def report(self, text: str) -> None: ...

    def refresh(self) -> None: ...

    def select_bookmark(self, bookmark_id: int) -> None: ...


class StoreCommand(QUndoCommand):
    """A change to the store; a failure is reported and the command dropped."""

    def __init__(self, panel: CommandTarget, text: str) -> None:
        super().__init__(text)
        self.panel = panel

    def redo(self) -> None:
        self._run(self.do)

    def undo(self) -> None:
        if self._run(self.undo_change):
            self.panel.report(f"Undone: {self.text()}.")

    def _run(self, change: Callable[[BookmarkStore], None]) -> bool:
        try:
            change(self.panel.store)
        except bookmarks.Error as exc:
            self.setObsolete(True)
            self.panel.report(f"{self.text()}: {exc}")
            return False
        finally:
            self.panel.refresh()
        return True

    def do(self, store: BookmarkStore) -> None:
        raise NotImplementedError

    def undo_change(self, store: BookmarkStore) -> None:
        raise NotImplementedError


class AddCommand(StoreCommand):
    def __init__(self, panel: CommandTarget, essay: str, section: str, details: BookmarkDetails,
                 quote: str) -> None:
        super().__init__(panel, f"Add bookmark \u201c{details.name}\u201d")
        self.args = (essay, section, details.name, details.note, details.folder, quote)
        self.added: Bookmark | None = None

    def do(self, store: BookmarkStore) -> None:
        if self.added is None:
            self.added = store.add(*self.args)
            self.panel.select_bookmark(self.added.id)
        else:
            store.restore([self.added])

    def undo_change(self, store: BookmarkStore) -> None:
        if self.added is not None:
            store.remove(self.added.id)


class EditCommand(StoreCommand):
    """Change fields of one bookmark (rename, note, folder, re-point)."""

    def __init__(self, panel: CommandTarget, text: str, before: Bookmark,
                 changes: dict[str, str]) -> None:
        super().__init__(panel, text)
        self.bookmark_id = before.id  # not "id": that would shadow QUndoCommand.id()
        self.after = changes
        self.before = {key: getattr(before, key) for key in changes}

    def do(self, store: BookmarkStore) -> None:
        store.update(self.bookmark_id, **self.after)

    def undo_change(self, store: BookmarkStore) -> None:
        store.update(self.bookmark_id, **self.before)


class DeleteCommand(StoreCommand):
    def __init__(self, panel: CommandTarget, ids: list[int], folders: list[str]) -> None:
        count = len(ids) + len(folders)
        what = "bookmark" if not folders else "folder" if not ids else "item"
        super().__init__(panel, f"Delete {count} {what}{'s' if count != 1 else ''}")
        self.ids = ids
        self.folder_paths = folders
        self.removed: list[Bookmark] = []
        self.removed_folders: list[str] = []

    def do(self, store: BookmarkStore) -> None:
        removed: list[Bookmark] = []
        removed_folders: list[str] = []
        with store.batch():  # one transaction: all of them go, or none
            for path in self.folder_paths:
                removal = store.remove_folder(path)
                removed.extend(removal.bookmarks)
                removed_folders.extend(removal.folders)
            for bookmark_id in self.ids:
                if store.get(bookmark_id) is not None:  # not already gone with its folder
                    removed.append(store.remove(bookmark_id))
        self.removed, self.removed_folders = removed, removed_folders

    def undo_change(self, store: BookmarkStore) -> None:
        store.restore(self.removed, self.removed_folders)


class RenameFolderCommand(StoreCommand):
    def __init__(self, panel: CommandTarget, text: str, old: str, new: str) -> None:
        super().__init__(panel, text)
        self.old, self.new = old, new

    def do(self, store: BookmarkStore) -> None:
        store.rename_folder(self.old, self.new)

    def undo_change(self, store: BookmarkStore) -> None:
        store.rename_folder(self.new, self.old)


class MacroCommand(StoreCommand):
    """Several changes as one undo step and one transaction (moving a selection)."""

    def __init__(self, panel: CommandTarget, text: str, steps: list[StoreCommand]) -> None:
        super().__init__(panel, text)
        self.steps = steps

    def do(self, store: BookmarkStore) -> None:
        with store.batch():
            for step in self.steps:
                step.do(store)

    def undo_change(self, store: BookmarkStore) -> None:
        with store.batch():
            for step in reversed(self.steps):
                step.undo_change(store)


class NewFolderCommand(StoreCommand):
    def __init__(self, panel: CommandTarget, path: str) -> None:
        super().__init__(panel, f"New folder \u201c{path}\u201d")
        self.path = path

    def do(self, store: BookmarkStore) -> None:
        store.add_folder(self.path)

    def undo_change(self, store: BookmarkStore) -> None:
        store.remove_folder(self.path)
