"""Figures drawn for the page, kept as PNG files in the user's cache folder.

Drawing an SVG figure at the column's width takes milliseconds the first paint
can do without: a figure drawn once at a width, pixel ratio and light or dark
page is read back from a PNG the next time. The file's name is a key of the
figure file's bytes, those drawing parameters and the drawing code itself
(``reader.core.derived.code_key``), so a changed figure or a changed way of
drawing it is never shown stale. Only the most recently used files are kept.
A cache that cannot be read or written is no cache: the figure is drawn.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
from collections.abc import Callable
from pathlib import Path

from PySide6.QtGui import QImage

from reader.core import derived
from reader.core.content import Figure

#: The drawing code: a change to any of these draws every figure again.
DRAWING_MODULES = ("reader.images", "reader.ui.dark_figures", "reader.ui.figure_cache")
#: How many drawn figures are kept (a few sizes of a few dozen figures).
MAX_FILES = 200
#: A figure file larger than this is drawn every time rather than hashed.
MAX_SOURCE_BYTES = 8 * 1024 * 1024


@functools.cache
def _code() -> str:
    return derived.code_key(DRAWING_MODULES)


class FigureCache:
    """Drawn figures in ``folder`` (None: nothing is kept)."""

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder

    def image(
        self, figure: Figure, width: int, ratio: float, dark: bool, draw: Callable[[], QImage]
    ) -> QImage:
        """The figure as ``draw()`` draws it at these settings, from the cache if kept."""
        path = self._path(figure, width, ratio, dark)
        if path is None:
            return draw()
        kept = QImage(str(path))
        if not kept.isNull():
            kept.setDevicePixelRatio(ratio)
            with contextlib.suppress(OSError):
                os.utime(path)  # recently used: kept longest
            return kept
        image = draw()
        self._keep(image, path)
        return image

    def _path(self, figure: Figure, width: int, ratio: float, dark: bool) -> Path | None:
        if self.folder is None or not figure.exists or figure.path.suffix.lower() != ".svg":
            return None  # only drawings are worth it: photographs are read as they are
        try:
            if figure.path.stat().st_size > MAX_SOURCE_BYTES:
                return None
            source = figure.path.read_bytes()
        except OSError:
            return None
        digest = hashlib.sha256(source).hexdigest()
        key = derived.combine(_code(), digest, str(width), f"{ratio:g}", str(dark))
        return self.folder / f"{key}.png"

    def _keep(self, image: QImage, path: Path) -> None:
        if image.isNull():
            return
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            temporary = path.with_name(f".{path.stem}-{os.getpid()}.png")
            if image.save(str(temporary)):  # PNG, from the name
                os.replace(temporary, path)
            else:
                temporary.unlink(missing_ok=True)
            self._prune(path.parent)
        except OSError:
            return  # a full or read-only disk: the figure was drawn all the same

    def _prune(self, folder: Path) -> None:
        files = sorted(folder.glob("*.png"), key=lambda p: p.stat().st_mtime, reverse=True)
        for old in files[MAX_FILES:]:
            old.unlink(missing_ok=True)
