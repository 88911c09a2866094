"""Taking a new library into the window, a step per turn of the event loop.

After an import (or a figure's new picture) the window shows another library.
Doing it all at once — the contents, every feature's menus and panels, the
essay rendered again — would block the event loop for longer than a person
notices, so ``MainWindow.set_library`` does the quick part at once (the
window's and the features' context) and hands the rest to a ``LibraryUpdate``,
which runs one step per turn of the event loop:

1. the contents tree;
2. each feature's ``set_library``, one feature a turn (the Library feature,
   last, opens the first essay an import added);
3. the essay being read shown again from the new library (links to other
   essays may have changed), at the same place, unless the reader is on
   another essay by then: that one was shown from the new library already.

A newer update replaces one still under way (its remaining steps are dropped:
the newer one does them all, over the newer library); so does the window's
closing.
"""

from __future__ import annotations

import functools
from collections import deque
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Slot

#: The delay between two steps. Not 0: a zero-delay single shot is a posted event, run
#: before any timer is looked at, so two steps in a row would block the window as one.
NEXT_TURN_MS = 1

if TYPE_CHECKING:
    from reader.ui.feature import Context, Feature


class LibraryUpdate(QObject):
    """The rest of taking in ``context.library``: the contents, the features, then the
    essay being read."""

    def __init__(
        self,
        context: Context,
        features: Sequence[Feature],
        show_again: Callable[[str], None],
        closed: Callable[[], bool] = lambda: False,
    ) -> None:
        super().__init__(context.window)
        self.setObjectName("library_update")
        self._context = context
        #: Shows the essay of this id from the new library at the reader's place
        #: (``MainWindow.show_again``).
        self._show_again_in_window = show_again
        #: Whether the window has closed (its features shut down, its store closed):
        #: the steps left are dropped then.
        self._closed = closed
        #: The essay on screen now: shown again at the end if it still is.
        self._shown = context.reading_view.essay
        self._steps: deque[Callable[[], None]] = deque([self._update_contents])
        for feature in features:
            self._steps.append(functools.partial(self._update_feature, feature))
        self._steps.append(self._show_again)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(NEXT_TURN_MS)
        self._timer.timeout.connect(self._next)

    def start(self) -> None:
        """Run the steps from the next turn of the event loop, in place of an update
        still under way."""
        for older in self._context.window.findChildren(LibraryUpdate):
            if older is not self:
                older.stop()
        self._timer.start()

    @property
    def running(self) -> bool:
        return bool(self._steps)

    def stop(self) -> None:
        self._timer.stop()
        self._steps.clear()
        self.deleteLater()

    @Slot()
    def _next(self) -> None:
        if self._closed():
            self._steps.clear()
        if self._steps:
            self._steps.popleft()()
        if self._steps:
            self._timer.start()
        else:
            self.stop()

    def _update_contents(self) -> None:
        self._context.section_tree.set_library(self._context.library)

    def _update_feature(self, feature: Feature) -> None:
        feature.set_library(self._context.library)

    def _show_again(self) -> None:
        current = self._shown
        if current is None or self._context.reading_view.essay is not current:
            return  # nothing shown yet, or another essay, from the new library
        self._show_again_in_window(current.id)
