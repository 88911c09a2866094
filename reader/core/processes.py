"""Helpers for the work a window hands to a child process (building the search index,
importing files): a Python thread would hold the GIL and stall the window.

``exit_with_parent`` makes such a child stop soon after the window's process is
gone (killed, or crashed): work nobody waits for must not go on writing.
"""

from __future__ import annotations

import os
import threading
import time


def exit_with_parent(parent_pid: int, interval: float = 0.2) -> None:
    """Stop this process soon after process ``parent_pid`` is no longer its parent.

    What the child leaves half-done is named with its pid, and removed by the next
    open or import once that pid is gone."""

    def watch() -> None:
        while True:
            time.sleep(interval)
            if os.getppid() != parent_pid:
                os._exit(3)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()
