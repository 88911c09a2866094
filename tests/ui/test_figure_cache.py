"""Drawn figures kept between sessions: read back while they match, drawn again when
the figure or the way of drawing it changes, and never a reason for a figure to fail."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtGui import QColor, QImage

from reader.core.model import Figure
from reader.core.paths import Locations
from reader.ui import figure_cache
from reader.ui.figure_cache import FigureCache
from tests.ui.conftest import WindowFactory

SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="200" height="100">'
    '<rect width="200" height="100" fill="{colour}"/></svg>'
)


def drawing(folder: Path, colour: str = "#336699") -> Figure:
    path = folder / "chart.svg"
    path.write_text(SVG.format(colour=colour), encoding="utf-8")
    return Figure("essay", "figure-1", 1, path, "A chart", "A chart.", "", "intro")


class Painter:
    """Draws a figure as a plain image and counts how often it was asked to."""

    def __init__(self, colour: str = "#336699") -> None:
        self.calls = 0
        self.colour = colour

    def __call__(self) -> QImage:
        self.calls += 1
        image = QImage(40, 20, QImage.Format.Format_ARGB32)
        image.fill(QColor(self.colour))
        return image


def test_a_drawn_figure_is_read_back_in_a_later_session(qapp, tmp_path: Path) -> None:
    figure = drawing(tmp_path)
    painter = Painter()
    first = FigureCache(tmp_path / "cache").image(figure, 640, 1.0, False, painter)
    later = FigureCache(tmp_path / "cache").image(figure, 640, 1.0, False, painter)
    assert painter.calls == 1
    assert later.size() == first.size()
    assert later.pixelColor(5, 5) == QColor("#336699")


def test_another_width_page_or_drawing_is_drawn_anew(qapp, tmp_path: Path) -> None:
    cache = FigureCache(tmp_path / "cache")
    figure = drawing(tmp_path)
    painter = Painter()
    cache.image(figure, 640, 1.0, False, painter)
    cache.image(figure, 600, 1.0, False, painter)  # another column width
    cache.image(figure, 640, 2.0, False, painter)  # another screen
    cache.image(figure, 640, 1.0, True, painter)  # a dark page
    assert painter.calls == 4
    changed = drawing(tmp_path, "#993333")  # the figure file itself changed
    red = Painter("#993333")
    assert cache.image(changed, 640, 1.0, False, red).pixelColor(5, 5) == QColor("#993333")
    assert red.calls == 1


def test_new_drawing_code_draws_every_figure_again(
    qapp, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    figure = drawing(tmp_path)
    painter = Painter()
    FigureCache(tmp_path / "cache").image(figure, 640, 1.0, False, painter)
    monkeypatch.setattr(figure_cache, "_code", lambda: "another way of drawing")
    FigureCache(tmp_path / "cache").image(figure, 640, 1.0, False, painter)
    assert painter.calls == 2


def test_a_damaged_or_unwritable_cache_still_shows_the_figure(qapp, tmp_path: Path) -> None:
    figure = drawing(tmp_path)
    painter = Painter()
    cache = FigureCache(tmp_path / "cache")
    cache.image(figure, 640, 1.0, False, painter)
    (kept,) = (tmp_path / "cache").glob("*.png")
    kept.write_bytes(b"not a picture")
    assert cache.image(figure, 640, 1.0, False, painter).pixelColor(5, 5) == QColor("#336699")
    assert painter.calls == 2
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the folder should be", encoding="utf-8")
    image = FigureCache(blocked / "figures").image(figure, 640, 1.0, False, painter)
    assert image.pixelColor(5, 5) == QColor("#336699")


def test_only_drawings_are_kept_and_only_the_latest_few(
    qapp, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "cache"
    photo = tmp_path / "photo.png"
    Painter()().save(str(photo))
    snapshot = Figure("essay", "figure-2", 2, photo, "A photo", "A photo.", "", "intro")
    FigureCache(folder).image(snapshot, 640, 1.0, False, Painter())
    assert not folder.exists()  # a photograph is read as it is: nothing to keep
    monkeypatch.setattr(figure_cache, "MAX_FILES", 3)
    figure = drawing(tmp_path)
    for width in range(500, 506):
        FigureCache(folder).image(figure, width, 1.0, False, Painter())
        os.utime(max(folder.glob("*.png"), key=lambda p: p.stat().st_mtime_ns), (width, width))
    assert len(list(folder.glob("*.png"))) == 3


def test_the_window_keeps_its_figures_in_the_cache_folder(
    make_window: WindowFactory, locations: Locations
) -> None:
    window = make_window()
    kept = sorted((locations.cache_dir / "figures").glob("*.png"))
    essay = window.current_essay
    assert essay is not None
    drawings = [f for f in essay.figures if f.path.suffix == ".svg"]
    assert drawings and len(kept) == len(drawings)
    window.view_settings.set_theme("dark")  # drawn again for a dark page, kept beside
    assert len(list((locations.cache_dir / "figures").glob("*.png"))) == 2 * len(drawings)
