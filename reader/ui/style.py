"""The application's style: the platform's own, with plain-text dialog buttons.

Some platform themes ask for icons on standard dialog buttons; with no icon
theme installed Qt then falls back to its built-in pictures (a green arrow for
OK, a red cross for Cancel) that match nothing else in the reader. The proxy
below keeps every other decision of the platform's style.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QApplication,
    QProxyStyle,
    QStyle,
    QStyleHintReturn,
    QStyleOption,
    QWidget,
)


class ReaderStyle(QProxyStyle):
    """A proxy over a base style that gives dialog buttons no icons."""

    def styleHint(
        self,
        hint: QStyle.StyleHint,
        option: QStyleOption | None = None,
        widget: QWidget | None = None,
        return_data: QStyleHintReturn | None = None,
    ) -> int:
        if hint == QStyle.StyleHint.SH_DialogButtonBox_ButtonsHaveIcons:
            return 0
        return super().styleHint(hint, option, widget, return_data)


def install(app: QApplication) -> ReaderStyle:
    """Wrap ``app``'s current style in ReaderStyle (before the first dialog; windows already
    built are polished again, and look the same: the proxy draws like its base)."""
    # The proxy adopts the current style as its base; QApplication deletes only a
    # replaced style it still owns, so the base lives on inside the proxy.
    style = ReaderStyle(app.style())
    app.setStyle(style)
    return style
