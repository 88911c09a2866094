"""Themes as CSS, text size scaling and the settings' steps (no Qt)."""

from __future__ import annotations

import re

import pytest

from reader.core import themes


def test_each_theme_recolours_the_text_area() -> None:
    for name in themes.THEME_NAMES:
        t = themes.theme(name)
        css = themes.theme_css(t)
        assert f"color: {t.text}; background-color: {t.background}" in css
        assert f"del {{ color: {t.deleted}; text-decoration: line-through; }}" in css


def test_dark_theme_is_dark_and_readable() -> None:
    def luminance(colour: str) -> float:
        r, g, b = (int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5))
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    dark, light = themes.theme("dark"), themes.theme("light")
    assert dark.dark and not light.dark
    assert luminance(dark.background) < 0.2 < 0.8 < luminance(dark.text)
    assert luminance(light.background) > 0.9 > 0.2 > luminance(light.text)


def test_system_setting_follows_the_colour_scheme() -> None:
    assert themes.resolve("system", system_is_dark=True).name == "dark"
    assert themes.resolve("system", system_is_dark=False).name == "light"
    assert themes.resolve("sepia", system_is_dark=True).name == "sepia"
    assert themes.resolve("no-such-theme", system_is_dark=False).name == "light"
    with pytest.raises(themes.Error, match="unknown theme"):
        themes.theme("purple")


def test_scale_css_multiplies_point_sizes_only() -> None:
    css = "body { font-size: 12pt; margin: 1em; } h1 { font-size: 20pt; } p { width: 12px; }"
    scaled = themes.scale_css(css, 1.5)
    assert re.findall(r"[\d.]+pt", scaled) == ["18pt", "30pt"]
    assert "1em" in scaled and "12px" in scaled
    assert themes.scale_css(css, 1.0) == css


def test_nearest_step_copes_with_odd_settings() -> None:
    assert themes.TEXT_SCALES[themes.nearest_step(1.0, themes.TEXT_SCALES)] == 1.0
    assert themes.nearest_step(99, themes.TEXT_SCALES) == len(themes.TEXT_SCALES) - 1
    assert themes.COLUMN_WIDTHS[themes.nearest_step(700, themes.COLUMN_WIDTHS)] == 720
