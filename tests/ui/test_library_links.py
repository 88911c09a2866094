"""The window after files were added to the library: Go › Related Pages agrees with the
text on where each related page leads, and the Index lists the names of the library as
it is now."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMenu

from reader.core import library
from reader.core.paths import Locations
from tests.ui.conftest import WindowFactory
from tests.ui.test_library_window import (
    close_summary,
    drop_files,
    find_link,
    focus_view,
    imported,  # noqa: F401  (a fixture)
    wait_for_summary,
)


def test_go_related_pages_opens_a_page_of_the_library_and_marks_the_others(
    qtbot, make_window: WindowFactory, imported: dict[str, Path]  # noqa: F811
) -> None:
    window = make_window()
    # Adding a file builds the menu again; it still says where each page leads.
    drop_files(window, [imported["html"]])
    close_summary(qtbot, wait_for_summary(qtbot, window))
    assert window.open_section("harbour-defences", "")
    find_link(window, "reader://lighthouse-keepers")  # a live link in the text
    menu = window.xref.related_menu
    pages = {action.data()[1]: action for action in menu.actions() if action.data()}
    essay = window.current_essay
    assert essay is not None
    keepers = next(p for p in essay.related if p.title == "Lighthouse Keepers")
    forts = next(p for p in essay.related if p.title == "Coastal Forts")
    assert not pages[forts.id].isEnabled()
    assert "not in your library" in pages[forts.id].text()
    assert pages[keepers.id].isEnabled()
    # Alt+G, down to Related Pages, into it, and the page: it opens that essay.
    focus_view(qtbot, window)
    qtbot.keyClick(window.reading_view, Qt.Key.Key_G, Qt.KeyboardModifier.AltModifier)
    go = window.menus.go
    qtbot.waitUntil(lambda: QApplication.activePopupWidget() is go)
    go.setActiveAction(menu.menuAction())
    qtbot.keyClick(go, Qt.Key.Key_Right)
    qtbot.waitUntil(lambda: QApplication.activePopupWidget() is menu)
    menu.setActiveAction(pages[keepers.id])
    qtbot.keyClick(menu, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.current_essay is not None
                    and window.current_essay.id == "lighthouse-keepers")


INDEX = """entries:
  - id: signal-station
    kind: place
    name: Signal Station
    aliases: [the signal station]
    description: The station that signalled the harbour's ships.
"""


def test_after_adding_files_the_index_lists_the_names_of_the_library_as_it_is_now(
    qtbot, make_window: WindowFactory, imported: dict[str, Path], locations: Locations  # noqa: F811
) -> None:
    window = make_window()
    panel = window.xref.index_panel
    # The reader writes an index of names for an essay of their library, then adds a file.
    folder = library.library_dir(locations.data_dir) / "harbour-defences"
    (folder / "index.yaml").write_text(INDEX, "utf-8")
    drop_files(window, [imported["html"]])
    close_summary(qtbot, wait_for_summary(qtbot, window))
    # Alt+I goes to the Index's filter; the new name is in the list.
    focus_view(qtbot, window)
    qtbot.keyClick(window.reading_view, Qt.Key.Key_I, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is panel.filter_edit)
    qtbot.keyClicks(panel.filter_edit, "signal st")
    assert panel.visible_names() == ["Signal Station"]
    # Enter opens its first mention, in the essay it names.
    qtbot.keyClick(panel.filter_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.current_essay is not None
                    and window.current_essay.id == "harbour-defences")


def test_the_figures_of_the_essay_being_read_come_first_the_others_by_essay(
    qtbot, make_window: WindowFactory, imported: dict[str, Path]  # noqa: F811
) -> None:
    """With several essays, Figures lists the figures of the essay being read, then a
    submenu for each other essay with figures; Go › Related Pages does the same, and
    marks the pages of another essay that are not in the library when it is opened."""
    window = make_window()
    assert window.open_section("harbour-defences", "")
    menu = window.xref.figures_menu
    focus_view(qtbot, window)
    qtbot.keyClick(window.reading_view, Qt.Key.Key_U, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: QApplication.activePopupWidget() is menu)
    entries = [a for a in menu.actions() if not a.isSeparator()]
    own = [a for a in entries if a.data()]
    assert own and all(a.data()[0] == "harbour-defences" for a in own)
    assert entries.index(own[-1]) < min(entries.index(a) for a in entries if a.menu())
    shipped = window.library.essays[0]
    submenu = next(a for a in entries if a.menu() and a.text() == shipped.title).menu()
    assert submenu is not None and not submenu.actions()  # filled when opened
    menu.setActiveAction(submenu.menuAction())
    qtbot.keyClick(menu, Qt.Key.Key_Right)
    qtbot.waitUntil(lambda: QApplication.activePopupWidget() is submenu)
    last = [a for a in submenu.actions() if a.data()][-1]
    assert last.data() == (shipped.id, shipped.figures[-1].id)
    submenu.setActiveAction(last)
    qtbot.keyClick(submenu, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.figure_viewer is not None and window.figure_viewer.isVisible())
    window.figure_viewer.close()

    # Go › Related Pages: this essay's pages first; the shipped essay's in its submenu,
    # marked when it opens (its pages are not in this library).
    related = window.xref.related_menu
    mine = [a.data()[0] for a in related.actions() if a.data()]
    assert mine and set(mine) == {"harbour-defences"}
    other = next(a.menu() for a in related.actions() if a.menu() and a.text() == shipped.title)
    focus_view(qtbot, window)
    qtbot.keyClick(window.reading_view, Qt.Key.Key_G, Qt.KeyboardModifier.AltModifier)
    go = window.menus.go
    for parent, child in ((go, related), (related, other)):
        qtbot.waitUntil(lambda parent=parent: QApplication.activePopupWidget() is parent)
        parent.setActiveAction(child.menuAction())
        qtbot.keyClick(parent, Qt.Key.Key_Right)
    qtbot.waitUntil(lambda: QApplication.activePopupWidget() is other)
    pages = [a for a in other.actions() if a.data()]
    assert len(pages) == len(shipped.related)
    assert any(not a.isEnabled() and "not in your library" in a.text() for a in pages)
    qtbot.keyClick(other, Qt.Key.Key_Escape)
    qtbot.keyClick(related, Qt.Key.Key_Escape)
    qtbot.keyClick(go, Qt.Key.Key_Escape)

    # Reading another essay, its figures come first; the submenus are made once.
    assert window.open_section(shipped.id, "")
    assert [a.data()[0] for a in menu.actions() if a.data()] == [shipped.id] * len(
        shipped.figures)
    for essay_id in ("harbour-defences", shipped.id, "harbour-defences"):
        assert window.open_section(essay_id, "")
        menu.fill()
    with_figures = [e for e in window.library.essays if e.figures]
    assert len(menu.findChildren(QMenu)) == len(with_figures)
