"""Icons: the desktop theme's icon first, the bundled SVG in resources/icons as fallback."""

from __future__ import annotations

from PySide6.QtGui import QIcon

from reader.core.paths import resource_path


def icon(name: str) -> QIcon:
    """A freedesktop icon name, e.g. ``go-previous`` or ``zoom-in``."""
    fallback = resource_path(f"icons/{name}.svg")
    bundled = QIcon(str(fallback)) if fallback.is_file() else QIcon()
    return QIcon.fromTheme(name, bundled)
