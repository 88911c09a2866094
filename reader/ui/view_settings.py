"""How the essay is shown: reading, theme, text size, column width, names as links.

``ViewSettings`` is the one owner of these choices. It reads them from the
QSettings it is given (under ``view/``), writes each change back, and emits
``changed`` once per change; the main window renders the essay again on it.
Nobody else keeps a copy: the CSS for the current theme and size comes from
``css()``.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QSettings, Signal

from reader.core import themes
from reader.core.readings import DEFAULT_READING, READINGS
from reader.ui.appearance import system_is_dark

READING_KEY = "view/reading"
THEME_KEY = "view/theme"
TEXT_SCALE_KEY = "view/text_scale"
COLUMN_KEY = "view/column_width"
EDITORIAL_LINKS_KEY = "view/editorial_links"
THEMES = (themes.SYSTEM, *themes.THEME_NAMES)


def _float(value: object, default: float) -> float:
    try:
        return float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return default


class ViewSettings(QObject):
    """The reader's choices for the text, persisted in ``settings``."""

    changed = Signal()

    def __init__(self, settings: QSettings, base_css: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        #: content.css as shipped, before the theme and text size are applied.
        self.base_css = base_css
        reading = str(settings.value(READING_KEY, DEFAULT_READING))
        self._reading = reading if reading in READINGS else DEFAULT_READING
        theme = str(settings.value(THEME_KEY, themes.SYSTEM))
        self._theme_setting = theme if theme in THEMES else themes.SYSTEM
        self._scale_index = themes.nearest_step(
            _float(settings.value(TEXT_SCALE_KEY, 1.0), 1.0), themes.TEXT_SCALES
        )
        self._column_index = themes.nearest_step(
            _float(settings.value(COLUMN_KEY, themes.DEFAULT_COLUMN), themes.DEFAULT_COLUMN),
            themes.COLUMN_WIDTHS,
        )
        self._names_as_links = False  # per session: off at every start
        self._editorial_links = str(settings.value(EDITORIAL_LINKS_KEY, "true")).lower() != "false"

    # -- the choices ----------------------------------------------------------------------

    @property
    def reading(self) -> str:
        return self._reading

    def set_reading(self, reading: str) -> bool:
        """Choose a reading; False if it is unknown or already chosen."""
        if reading not in READINGS or reading == self._reading:
            return False
        self._reading = reading
        self.settings.setValue(READING_KEY, reading)
        self.changed.emit()
        return True

    @property
    def theme_setting(self) -> str:
        """"system" or a theme's name."""
        return self._theme_setting

    @property
    def theme(self) -> themes.Theme:
        return themes.resolve(self._theme_setting, system_is_dark())

    def set_theme(self, setting: str) -> bool:
        if setting not in THEMES:
            return False
        self._theme_setting = setting
        self.settings.setValue(THEME_KEY, setting)
        self.changed.emit()
        return True

    def system_scheme_changed(self) -> None:
        """The platform switched between light and dark: follow it if asked to."""
        if self._theme_setting == themes.SYSTEM:
            self.changed.emit()

    @property
    def text_scale(self) -> float:
        return themes.TEXT_SCALES[self._scale_index]

    @property
    def can_enlarge(self) -> bool:
        return self._scale_index < len(themes.TEXT_SCALES) - 1

    @property
    def can_shrink(self) -> bool:
        return self._scale_index > 0

    def step_text_scale(self, steps: int) -> bool:
        """Larger (+) or smaller (-) text by ``steps``; False at either end."""
        return self._set_scale_index(self._scale_index + steps)

    def reset_text_scale(self) -> bool:
        return self._set_scale_index(themes.TEXT_SCALES.index(1.0))

    def _set_scale_index(self, index: int) -> bool:
        index = max(0, min(len(themes.TEXT_SCALES) - 1, index))
        if index == self._scale_index:
            return False
        self._scale_index = index
        self.settings.setValue(TEXT_SCALE_KEY, self.text_scale)
        self.changed.emit()
        return True

    @property
    def column_width(self) -> int:
        return themes.COLUMN_WIDTHS[self._column_index]

    @property
    def can_widen(self) -> bool:
        return self._column_index < len(themes.COLUMN_WIDTHS) - 1

    @property
    def can_narrow(self) -> bool:
        return self._column_index > 0

    def step_column(self, steps: int, room: int | None = None) -> bool:
        """One step wider (+) or narrower (-) than the column as shown; False at either
        end, or when the column already fills the room. ``room`` is the widest column the view
        has room for: a column set wider than that is shown at that width."""
        widths = themes.COLUMN_WIDTHS
        shown = self.column_width if room is None else min(self.column_width, room)
        if steps > 0:
            wider = [i for i, w in enumerate(widths) if w > shown]
            if not wider or (room is not None and room <= shown):
                return False  # a step wider than the room still shows as far as the room
            return self._set_column_index(wider[0])
        narrower = [i for i, w in enumerate(widths) if w < shown]
        return bool(narrower) and self._set_column_index(narrower[-1])

    def reset_column(self) -> bool:
        return self._set_column_index(themes.COLUMN_WIDTHS.index(themes.DEFAULT_COLUMN))

    def _set_column_index(self, index: int) -> bool:
        if index == self._column_index:
            return False
        self._column_index = index
        self.settings.setValue(COLUMN_KEY, self.column_width)
        self.changed.emit()
        return True

    @property
    def names_as_links(self) -> bool:
        """Indexed names shown as links in the text."""
        return self._names_as_links

    def set_names_as_links(self, on: bool) -> bool:
        if on == self._names_as_links:
            return False
        self._names_as_links = on
        self.changed.emit()
        return True

    @property
    def editorial_links(self) -> bool:
        """The links this edition added to the author's sentences, shown as links."""
        return self._editorial_links

    def set_editorial_links(self, on: bool) -> bool:
        if on == self._editorial_links:
            return False
        self._editorial_links = on
        self.settings.setValue(EDITORIAL_LINKS_KEY, "true" if on else "false")
        self.changed.emit()
        return True

    # -- derived --------------------------------------------------------------------------

    def css(self) -> str:
        """content.css recoloured for the theme and scaled to the text size."""
        return themes.scale_css(f"{self.base_css}\n{themes.theme_css(self.theme)}", self.text_scale)
