"""The Figures and Related Pages menus."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox

from reader.ui.main_window import MainWindow
from tests.conftest import ESSAY_ID


def test_figures_menu_lists_each_figure_and_opens_the_viewer(main_window: MainWindow) -> None:
    menu = main_window.xref.figures_menu
    actions = [a for a in menu.actions() if a.data()]
    essay = main_window.library.essay(ESSAY_ID)
    assert essay is not None
    assert len(actions) == len(essay.figures) >= 1
    assert actions[0].text().startswith("Figure 1. ")
    actions[-1].trigger()
    viewer = main_window.figure_viewer
    assert viewer is not None and viewer.isVisible()
    assert actions[-1].data() == (ESSAY_ID, essay.figures[-1].id)


def test_related_menu_shows_addresses_and_says_what_is_not_in_the_library(
    main_window: MainWindow, monkeypatch
) -> None:
    menu = main_window.xref.related_menu
    texts = [a.text() for a in menu.actions()]
    assert any(a.isSeparator() and a.text() == "Not available offline" for a in menu.actions())
    axis = next(a for a in menu.actions() if a.data() == (ESSAY_ID, "main-axis"))
    assert "https://histclo.com/essay/war/ww2/camp/ww2-axis.html" in axis.text()
    assert any("not in your library" in t for t in texts)

    asked: list[str] = []
    opened: list[str] = []

    def question(parent, title, text, *args):  # type: ignore[no-untyped-def]
        asked.append(text)
        return QMessageBox.StandardButton.Cancel

    monkeypatch.setattr(QMessageBox, "question", question)
    monkeypatch.setattr(
        "reader.ui.destinations.QDesktopServices.openUrl", lambda url: opened.append(url) or True
    )
    axis.trigger()
    # Not in the library: the status bar says so, with its address; no dialog, no browser.
    message = main_window.statusBar().currentMessage()
    assert "is not in your library" in message and "ww2-axis.html" in message
    assert asked == [] and opened == []
