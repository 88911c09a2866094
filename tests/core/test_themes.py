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



def _content_css() -> str:
    from reader.core.paths import resource_path

    return resource_path("content.css").read_text(encoding="utf-8")


def test_content_css_leaves_every_colour_to_the_theme() -> None:
    assert themes.css_colours(_content_css()) == []
    # The parser does find colours, so the empty list above means something.
    assert ("p.caption", "color", "#123456") in themes.css_colours(
        "p.caption, h4 { color: #123456; }"
    )


def test_contrast_ratio_matches_the_wcag_extremes() -> None:
    assert themes.contrast_ratio("#000000", "#ffffff") == pytest.approx(21.0)
    assert themes.contrast_ratio("#777", "#777777") == pytest.approx(1.0)
    assert themes.contrast_ratio("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)


@pytest.mark.parametrize("name", themes.THEME_NAMES)
def test_every_text_colour_of_every_theme_reaches_aa_contrast(name: str) -> None:
    t = themes.theme(name)
    css = _content_css() + "\n" + themes.theme_css(t)
    colours = themes.css_colours(css)
    backgrounds = {sel: c for sel, prop, c in colours if prop == "background-color"}
    assert backgrounds == {"body": t.background}
    texts = [(sel, c) for sel, prop, c in colours if prop == "color"]
    # Every class content.css styles as text of its own is coloured by the theme.
    styled = {"a.name", "p.kicker", "p.credit", "p.see-also", "p.caption", "table.editorial",
              "p.missing", "a.editorial", "div.editor-notes", "del", "ins"}
    assert styled <= {sel for sel, _ in texts}
    low = [(sel, c, round(themes.contrast_ratio(c, t.background), 2)) for sel, c in texts
           if themes.contrast_ratio(c, t.background) < 4.5]
    assert low == []


@pytest.mark.parametrize("name", themes.THEME_NAMES)
def test_window_colours_of_every_theme_reach_aa_contrast(name: str) -> None:
    t = themes.theme(name)
    pairs = {
        "selected text": (t.selection_text, t.selection),
        "the text on the selection": (t.text, t.selection),
        "window text": (t.window_text, t.window),
        "panel text": (t.window_text, t.panel),
        "alternate rows": (t.window_text, t.alternate),
        "buttons": (t.window_text, t.button),
        "muted on panels": (t.muted, t.panel),
        "muted on the window": (t.muted, t.window),
        "muted on alternate rows": (t.muted, t.alternate),
        "links on panels": (t.link, t.panel),
        "links on the window": (t.link, t.window),
    }
    low = {what: round(themes.contrast_ratio(*pair), 2) for what, pair in pairs.items()
           if themes.contrast_ratio(*pair) < 4.5}
    assert low == {}


def test_no_text_but_superscript_markers_is_set_below_085_of_the_body() -> None:
    css = re.sub(r"/\*.*?\*/", "", _content_css(), flags=re.DOTALL)
    sizes = {
        " ".join(selector.split()): float(size)
        for selector, body in re.findall(r"([^{}]+)\{([^}]*)\}", css)
        for size in re.findall(r"font-size:\s*([\d.]+)pt", body)
    }
    body = sizes.pop("body")
    small = {sel: size for sel, size in sizes.items()
             if size < 0.85 * body and not sel.startswith("sup.")}
    assert small == {}
    assert "p.credit" in sizes and "table.editorial" in sizes  # the parse found them
