"""Colour themes and text size for the reading view, as CSS (no Qt).

A theme is a small palette: the text area's background and text, the muted
and caption greys, links, and the colours of struck and inserted words in the
"Show corrections" reading. ``theme_css`` turns it into CSS appended after
``content.css`` (so it overrides only colours); the UI builds the widgets'
palette from the same values. ``scale_css`` multiplies every ``pt`` size, which
is how the text size setting works (Qt's rich text ignores a zoom for text
whose size the CSS fixes).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

THEME_NAMES = ("light", "sepia", "dark")
#: The setting value that follows the system's light or dark colour scheme.
SYSTEM = "system"

#: Text size steps, as a factor of content.css's sizes.
TEXT_SCALES = (0.7, 0.8, 0.9, 1.0, 1.1, 1.2, 1.35, 1.5, 1.7, 2.0, 2.4)
#: Text column widths in logical pixels, narrowest to widest.
COLUMN_WIDTHS = (480, 560, 640, 720, 820, 940, 1080, 1240)
DEFAULT_COLUMN = 720

_PT = re.compile(r"(\d+(?:\.\d+)?)pt\b")


class Error(Exception):
    """An unknown theme name."""


@dataclass(frozen=True)
class Theme:
    name: str
    label: str
    dark: bool
    #: The text area.
    background: str
    text: str
    muted: str
    caption: str
    link: str
    #: Names shown as index links (View > Names as Links).
    index_name: str
    deleted: str
    inserted: str
    selection: str
    selection_text: str
    #: Window chrome around it: docks, toolbars, menus.
    window: str
    window_text: str
    panel: str
    alternate: str
    button: str


THEMES: dict[str, Theme] = {
    "light": Theme(
        name="light",
        label="Light",
        dark=False,
        background="#fdfcfa",
        text="#1f1d1a",
        muted="#6b655b",
        caption="#3d3a35",
        link="#1f5a99",
        index_name="#7a4f14",
        deleted="#9a2b1e",
        inserted="#2b6a2e",
        selection="#c9dcf2",
        selection_text="#1f1d1a",
        window="#efedea",
        window_text="#1f1d1a",
        panel="#ffffff",
        alternate="#f5f3ef",
        button="#e8e5e0",
    ),
    "sepia": Theme(
        name="sepia",
        label="Sepia",
        dark=False,
        background="#f5ecd7",
        text="#3a2e1f",
        muted="#665640",
        caption="#4d3f2b",
        link="#8a4b14",
        index_name="#6b3d10",
        deleted="#a3321d",
        inserted="#3f6a23",
        selection="#e2cfa3",
        selection_text="#3a2e1f",
        window="#e8dcc0",
        window_text="#3a2e1f",
        panel="#f8f1e1",
        alternate="#f0e5cc",
        button="#dfd1b0",
    ),
    "dark": Theme(
        name="dark",
        label="Dark",
        dark=True,
        background="#1d1e21",
        text="#dedad2",
        muted="#a29d94",
        caption="#cbc6bd",
        link="#8db8f2",
        index_name="#e3b97a",
        deleted="#f0917f",
        inserted="#8fcf8f",
        selection="#34537d",
        selection_text="#f2efe9",
        window="#2a2c30",
        window_text="#e3e0da",
        panel="#232528",
        alternate="#2b2d31",
        button="#35383d",
    ),
}


def theme(name: str) -> Theme:
    """The theme called ``name``; raises Error for an unknown one."""
    try:
        return THEMES[name]
    except KeyError:
        raise Error(f"unknown theme {name!r}: use one of {', '.join(THEME_NAMES)}") from None


def resolve(setting: str, system_is_dark: bool) -> Theme:
    """The theme to show for a setting ("system" or a theme name); unknown → system."""
    if setting in THEMES:
        return THEMES[setting]
    return THEMES["dark" if system_is_dark else "light"]


def theme_css(t: Theme) -> str:
    """CSS that colours content.css for one theme (appended after it).

    content.css sets no colour at all: every class that is drawn in its own colour
    gets it here, from the theme, so no text keeps a colour chosen for another
    background.
    """
    return (
        f"body {{ color: {t.text}; background-color: {t.background}; }}\n"
        f"a {{ color: {t.link}; }}\n"
        f"a.external {{ color: {t.link}; }}\n"
        f"a.name {{ color: {t.index_name}; }}\n"
        f"p.kicker, p.credit, p.see-also {{ color: {t.muted}; }}\n"
        f"p.caption, table.editorial {{ color: {t.caption}; }}\n"
        f"p.missing {{ color: {t.deleted}; }}\n"
        f"div.colophon {{ color: {t.muted}; }}\n"
        f"div.colophon h4 {{ color: {t.caption}; }}\n"
        f"del {{ color: {t.deleted}; text-decoration: line-through; }}\n"
        f"ins {{ color: {t.inserted}; text-decoration: underline; }}\n"
        # The edition's links and notes: the muted colour, readable in every theme.
        f"a.editorial, sup.editor-note, sup.editor-note a, div.editor-notes "
        f"{{ color: {t.muted}; }}\n"
    )


_RULE = re.compile(r"([^{}]+)\{([^}]*)\}")
_COLOUR = re.compile(r"(?<![\w-])(color|background-color)\s*:\s*(#[0-9a-fA-F]{3,6})")


def css_colours(css: str) -> list[tuple[str, str, str]]:
    """``(selector, property, colour)`` for every colour a style sheet sets."""
    found = []
    for selectors, body in _RULE.findall(css):
        for prop, colour in _COLOUR.findall(body):
            for selector in selectors.split(","):
                found.append((" ".join(selector.split()), prop, colour.lower()))
    return found


def _channel(value: int) -> float:
    c = value / 255
    return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4


def relative_luminance(colour: str | tuple[int, int, int]) -> float:
    """WCAG's relative luminance of ``#rrggbb`` (or ``#rgb``) or an (r, g, b) triple."""
    if isinstance(colour, str):
        digits = colour.lstrip("#")
        if len(digits) == 3:
            digits = "".join(d * 2 for d in digits)
        rgb = tuple(int(digits[i:i + 2], 16) for i in (0, 2, 4))
    else:
        rgb = colour
    r, g, b = (_channel(v) for v in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(a: str | tuple[int, int, int], b: str | tuple[int, int, int]) -> float:
    """WCAG contrast ratio of two colours, 1 to 21 (4.5 is the AA level for text)."""
    high, low = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def scale_css(css: str, factor: float) -> str:
    """``css`` with every point size multiplied by ``factor`` (rounded to 0.1pt)."""
    if factor == 1.0:
        return css

    def scaled(match: re.Match[str]) -> str:
        value = round(float(match.group(1)) * factor, 1)
        return f"{value:g}pt"

    return _PT.sub(scaled, css)


def nearest_step(value: float, steps: tuple[float, ...] | tuple[int, ...]) -> int:
    """The index of the step closest to ``value`` (settings may hold anything)."""
    return min(range(len(steps)), key=lambda i: abs(steps[i] - value))
