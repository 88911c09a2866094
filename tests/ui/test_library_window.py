"""The window over a library of several essays: the contents list every essay, links
between essays, adding files by the File menu and by dropping them (in a worker, with
progress and Cancel), a picture for a figure, the search scope, and bookmarks,
history, export and citations on an imported page."""

from __future__ import annotations

import itertools
import time
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QObject, QPoint, QPointF, Qt, QTimer, QUrl
from PySide6.QtGui import QContextMenuEvent, QDragEnterEvent, QDropEvent, QGuiApplication
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QFileDialog, QMenu, QMessageBox, QPushButton

from reader.core import library, library_import
from reader.core.paths import Locations
from reader.ui.bookmark_dialog import BookmarkDialog
from reader.ui.library_feature import LibraryFeature
from reader.ui.main_window import MainWindow
from tests.conftest import CONTENT_DIR, ESSAY_ID
from tests.essay_fixtures import png_bytes
from tests.ui.conftest import WindowFactory


def capture(title: str, headings: list[str], footer: list[str], figure: str = "") -> str:
    """A page in the source site's text format, with its own headings and footer."""
    parts = [f"*** coastal history: {title}", "", title, ""]
    if figure:
        parts += ["A drawing", f"Figure 1.--{figure}", ""]
    for number, heading in enumerate(headings, start=1):
        parts += [
            heading,
            "",
            f"Paragraph {number} of {title} tells of {heading.lower()} and of the signal "
            "lamps kept along the coast, in enough words to be a paragraph of its own.",
            "",
        ]
    parts += ["Navigate the Coastal Section:", *(f"[Return to {f}]" for f in footer), ""]
    parts += ["Created: 9:05 PM 3/4/2010", "Last updated: 10:30 AM 11/22/2012", ""]
    return "\n".join(parts)


MARKDOWN = """# Lighthouse Keepers

The keepers trimmed the wicks each night.

## Daily Rounds

Oil was carried up the stair twice a day, and the signal lamps were cleaned.

## Storms

In storms the keepers stayed awake until dawn.
"""

HTML = """<!DOCTYPE html><html><head><title>Tide Tables</title></head><body>
<nav><a href="/">Home</a></nav>
<article><h1>Tide Tables</h1>
<p>Harbour masters printed tide tables for every month of the year.</p>
<h2>Spring Tides</h2><p>Spring tides rise highest at the new and the full moon.</p>
<h2>Neap Tides</h2><p>Neap tides rise least, between the spring tides.</p>
</article></body></html>
"""


def write_pages(folder: Path) -> dict[str, Path]:
    """Three pages in three formats, written for these tests."""
    folder.mkdir(parents=True, exist_ok=True)
    pages = {
        "text": folder / "harbour.txt",
        "markdown": folder / "keepers.md",
        "html": folder / "tides.html",
    }
    pages["text"].write_text(
        capture(
            "Harbour Defences",
            ["The Boom", "The Guns", "The Signal Station"],
            ["Lighthouse Keepers", "Coastal Forts"],
            figure="The boom across the harbour mouth.",
        ),
        "utf-8",
    )
    pages["markdown"].write_text(MARKDOWN, "utf-8")
    pages["html"].write_text(HTML, "utf-8")
    return pages


@pytest.fixture
def imported(locations: Locations, tmp_path: Path) -> dict[str, Path]:
    """The text capture and the Markdown file already in the user's library."""
    pages = write_pages(tmp_path / "pages")
    results = library_import.import_paths(
        [pages["text"], pages["markdown"]],
        library.library_dir(locations.data_dir),
        CONTENT_DIR,
        cache_dir=locations.cache_dir,
    )
    assert [r.status for r in results] == ["added", "added"], results
    return pages


def feature(window: MainWindow) -> LibraryFeature:
    return window.feature(LibraryFeature)


def find_link(window: MainWindow, href: str) -> QPoint:
    """Where in the reading view's viewport the link to ``href`` is (scrolled into view)."""
    view = window.reading_view
    block = view.document().begin()
    while block.isValid():
        iterator = block.begin()
        while not iterator.atEnd():
            fragment = iterator.fragment()
            if fragment.charFormat().anchorHref() == href:
                cursor = view.textCursor()
                cursor.setPosition(fragment.position() + fragment.length() // 2)
                view.setTextCursor(cursor)
                view.ensureCursorVisible()
                return view.cursorRect(cursor).center()
            iterator += 1
        block = block.next()
    raise AssertionError(f"no link to {href} in the view")


def find_image(window: MainWindow, name: str) -> QPoint:
    """Where the image ``name`` is drawn in the reading view's viewport."""
    view = window.reading_view
    block = view.document().begin()
    while block.isValid():
        iterator = block.begin()
        while not iterator.atEnd():
            fragment = iterator.fragment()
            if fragment.charFormat().isImageFormat() and (
                fragment.charFormat().toImageFormat().name() == name
            ):
                cursor = view.textCursor()
                cursor.setPosition(fragment.position())
                view.setTextCursor(cursor)
                view.ensureCursorVisible()
                rect = view.cursorRect(cursor)
                return QPoint(rect.right() + 20, rect.center().y())
            iterator += 1
        block = block.next()
    raise AssertionError(f"no image {name} in the view")


def focus_view(qtbot, window: MainWindow) -> None:
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    window.reading_view.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is window.reading_view)


def open_file_menu_entry(qtbot, window: MainWindow, letter: Qt.Key) -> None:
    """Alt+F, then the entry's letter, as a person does."""
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    window.reading_view.setFocus()
    qtbot.keyClick(window.reading_view, Qt.Key.Key_F, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: QApplication.activePopupWidget() is window.menus.file, timeout=2000)
    qtbot.keyClick(window.menus.file, letter)


def wait_for_summary(qtbot, window: MainWindow, timeout: int = 30000) -> QMessageBox:
    """The summary of an import, once the import is over and the window has taken in
    the whole library (the summary comes as soon as the imported essays are shown)."""
    part = feature(window)
    qtbot.waitUntil(
        lambda: part.summary is not None and part.task is None and part.loader is None
        and not window.findChildren(QObject, "library_update"),
        timeout=timeout,
    )
    box = part.summary
    assert box is not None
    return box


def close_summary(qtbot, box: QMessageBox) -> None:
    ok = box.button(QMessageBox.StandardButton.Ok)
    assert ok is not None
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)


def drop_files(window: MainWindow, paths: list[Path]) -> None:
    """Drag ``paths`` onto the window and let go, with the events a file manager sends."""
    data = QMimeData()
    data.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    where = QPointF(window.rect().center())
    actions = Qt.DropAction.CopyAction
    enter = QDragEnterEvent(
        where.toPoint(), actions, data, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    )
    QApplication.sendEvent(window, enter)
    assert enter.isAccepted()
    drop = QDropEvent(
        where, actions, data, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    )
    QApplication.sendEvent(window, drop)
    assert drop.isAccepted()


# -- the contents and links between essays ----------------------------------------------


def test_the_contents_list_every_essay_and_links_lead_between_them(
    qtbot, make_window: WindowFactory, imported: dict[str, Path]
) -> None:
    window = make_window()
    tree = window.section_tree
    titles = tree.essay_titles()
    assert "Harbour Defences" in titles and "Lighthouse Keepers" in titles
    assert len(titles) == len(window.library.essays) == 3
    harbour = tree.item_for("harbour-defences", "harbour-defences")
    assert harbour is not None and harbour.childCount() == 3  # expandable to its sections
    # Clicking an essay in the contents opens it.
    tree.scrollToItem(harbour)
    qtbot.mouseClick(
        tree.viewport(), Qt.MouseButton.LeftButton, pos=tree.visualItemRect(harbour).center()
    )
    assert window.current_essay is not None and window.current_essay.id == "harbour-defences"

    # The footer's page that is in the library is a live link: it opens that essay at its start.
    point = find_link(window, "reader://lighthouse-keepers")
    qtbot.mouseClick(window.reading_view.viewport(), Qt.MouseButton.LeftButton, pos=point)
    assert window.current_essay is not None and window.current_essay.id == "lighthouse-keepers"
    assert window.reading_view.verticalScrollBar().value() == 0
    # Back, and the page that is not in the library: a message, no dialog.
    focus_view(qtbot, window)
    qtbot.keyClick(window.reading_view, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    assert window.current_essay is not None and window.current_essay.id == "harbour-defences"
    essay = window.current_essay
    forts = next(p for p in essay.related if "Forts" in p.title)
    # It is marked text, not a dead link: its hover text says it is not in the library.
    with pytest.raises(AssertionError):
        find_link(window, f"related://harbour-defences/{forts.id}")
    notes = []
    block = window.reading_view.document().begin()
    while block.isValid():
        fragments = block.begin()
        while not fragments.atEnd():
            fragment = fragments.fragment()
            if forts.title in fragment.text() or fragment.text() in forts.title:
                notes.append(fragment.charFormat().toolTip())
            fragments += 1
        block = block.next()
    assert any("Not in your library" in note for note in notes)
    assert QApplication.activeModalWidget() is None


def test_the_contents_can_list_the_essays_by_title_and_by_date_added(
    qtbot, make_window: WindowFactory, imported: dict[str, Path], settings
) -> None:
    window = make_window()
    tree = window.section_tree
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    window.reading_view.setFocus()
    qtbot.keyClick(window.reading_view, Qt.Key.Key_V, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: QApplication.activePopupWidget() is window.menus.view)
    order_menu = feature(window).order_menu
    window.menus.view.setActiveAction(order_menu.menuAction())
    qtbot.keyClick(window.menus.view, Qt.Key.Key_Right)
    qtbot.waitUntil(lambda: QApplication.activePopupWidget() is order_menu)
    qtbot.keyClick(order_menu, Qt.Key.Key_T)
    assert tree.essay_titles() == sorted(tree.essay_titles(), key=str.casefold)
    assert settings.value("contents/order") == "title"
    feature(window).order_actions["added"].setChecked(True)
    tree.set_order("added")
    assert tree.essay_titles()[0] == window.library.essay(ESSAY_ID).title  # type: ignore[union-attr]
    assert tree.essay_titles()[1:] == ["Harbour Defences", "Lighthouse Keepers"]


# -- adding files -----------------------------------------------------------------------


def test_add_to_library_from_the_file_menu(
    qtbot, make_window: WindowFactory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pages = write_pages(tmp_path / "pages")
    empty = tmp_path / "pages" / "empty.txt"
    empty.write_text("", "utf-8")
    asked: list[str] = []

    def choose(parent, caption, folder, filters):  # type: ignore[no-untyped-def]
        asked.append(filters)
        return [str(pages["text"]), str(pages["html"]), str(pages["markdown"]), str(empty)], ""

    monkeypatch.setattr(QFileDialog, "getOpenFileNames", staticmethod(choose))
    window = make_window()
    assert window.section_tree.essay_titles() == [window.library.essays[0].title]
    open_file_menu_entry(qtbot, window, Qt.Key.Key_A)
    box = wait_for_summary(qtbot, window)
    assert "EPUB" in asked[0] and "Markdown" in asked[0] and "All files (*)" in asked[0]
    outcome = feature(window).last_outcome
    assert outcome is not None
    assert [r.status for r in outcome.results] == ["added", "added", "added", "refused"]
    text = box.text()
    assert "3 of 4 files added" in text and "Not imported" in text and "empty.txt" in text
    assert outcome.results[3].reason in text
    # The window shows the new library and opens the first essay added.
    assert set(window.section_tree.essay_titles()) >= {
        "Harbour Defences", "Tide Tables", "Lighthouse Keepers"
    }
    assert window.current_essay is not None and window.current_essay.id == "harbour-defences"
    assert window.reading_view.verticalScrollBar().value() == 0
    assert not feature(window).progress.isVisible()
    close_summary(qtbot, box)
    qtbot.waitUntil(lambda: feature(window).summary is None)
    # Importing the same page again is recognised, and nothing is duplicated.
    monkeypatch.setattr(
        QFileDialog, "getOpenFileNames", staticmethod(lambda *a: ([str(pages["html"])], ""))
    )
    open_file_menu_entry(qtbot, window, Qt.Key.Key_A)
    box = wait_for_summary(qtbot, window)
    assert window.section_tree.essay_titles().count("Tide Tables") == 1
    close_summary(qtbot, box)


def test_dropping_files_on_the_window_imports_them(
    qtbot, make_window: WindowFactory, tmp_path: Path
) -> None:
    pages = write_pages(tmp_path / "pages")
    window = make_window()
    drop_files(window, [pages["markdown"], pages["html"]])
    assert feature(window).progress.isVisible()
    box = wait_for_summary(qtbot, window)
    assert "2 of 2 files added" in box.text()
    assert window.current_essay is not None and window.current_essay.id == "lighthouse-keepers"
    # The search finds the new essays.
    panel = window.search.panel
    panel.prepare()
    qtbot.waitUntil(lambda: panel.is_ready, timeout=30000)
    panel.field.setFocus()
    qtbot.keyClicks(panel.field, "wicks")
    qtbot.waitUntil(lambda: panel.results is not None and bool(panel.results.hits), timeout=5000)
    assert panel.results is not None
    assert {hit.document for hit in panel.results.hits} == {"lighthouse-keepers"}
    close_summary(qtbot, box)


def test_cancel_stops_an_import_and_the_window_keeps_ticking(
    qtbot, make_window: WindowFactory, tmp_path: Path
) -> None:
    folder = tmp_path / "many"
    folder.mkdir()
    paths = []
    for number in range(60):
        path = folder / f"page-{number}.md"
        path.write_text(
            f"# Coastal Note {number}\n\n" + f"Note {number} on the beacons and the tides. " * 200,
            "utf-8",
        )
        paths.append(path)
    window = make_window()
    ticks: list[float] = []
    timer = QTimer()
    timer.setInterval(5)
    timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
    timer.start()
    drop_files(window, paths)
    part = feature(window)
    qtbot.waitUntil(lambda: part.progress.value() >= 2, timeout=20000)
    cancel = window.findChild(QPushButton, "import_cancel")
    assert cancel is not None and cancel.isVisible()
    qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)
    box = wait_for_summary(qtbot, window)
    timer.stop()
    outcome = part.last_outcome
    assert outcome is not None
    statuses = [r.status for r in outcome.results]
    assert "cancelled" in statuses and statuses.count("added") >= 2
    assert len(window.library.essays) == 1 + statuses.count("added")
    gaps = [b - a for a, b in itertools.pairwise(ticks)]
    assert len(ticks) > 10  # the GUI thread ran its timer throughout the import
    print(f"longest gap between timer ticks during the import: {max(gaps) * 1000:.1f} ms")
    close_summary(qtbot, box)


# -- a picture for a figure -------------------------------------------------------------


def choose_from_popup(qtbot, text: str) -> list[str]:
    """Once a context menu pops up, list its entries and choose the one called ``text``."""
    seen: list[str] = []

    def pick() -> None:
        menu = QApplication.activePopupWidget()
        if not isinstance(menu, QMenu):
            QTimer.singleShot(20, pick)
            return
        seen.extend(a.text() for a in menu.actions())
        wanted = next((a for a in menu.actions() if text and a.text() == text), None)
        if wanted is None:
            menu.close()
            return
        menu.setActiveAction(wanted)
        QTest.keyClick(menu, Qt.Key.Key_Return)

    QTimer.singleShot(20, pick)
    return seen


def test_use_a_picture_from_file_on_a_figure(
    qtbot,
    make_window: WindowFactory,
    imported: dict[str, Path],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    picture = tmp_path / "boom.png"
    picture.write_bytes(png_bytes(40, 30))
    not_a_picture = tmp_path / "notes.png"
    not_a_picture.write_text("not a picture", "utf-8")
    chosen = [str(not_a_picture)]
    monkeypatch.setattr(
        QFileDialog, "getOpenFileName", staticmethod(lambda *a: (chosen[0], ""))
    )
    warnings: list[str] = []
    monkeypatch.setattr(
        QMessageBox, "warning", staticmethod(lambda parent, title, text, *a: warnings.append(text))
    )
    window = make_window()
    window.open_section("harbour-defences", "")
    essay = window.current_essay
    assert essay is not None and essay.figures
    figure = essay.figures[0]
    assert figure.path.suffix == ".svg"  # the stand-in plate
    name = f"figure://harbour-defences/{figure.id}"
    entry = "Use a Picture from &File…"

    def right_click() -> list[str]:
        point = find_image(window, name)
        seen = choose_from_popup(qtbot, entry)
        viewport = window.reading_view.viewport()
        event = QContextMenuEvent(
            QContextMenuEvent.Reason.Mouse, point, viewport.mapToGlobal(point)
        )
        QApplication.sendEvent(viewport, event)
        return seen

    # A file that is not a picture: the reason is shown, nothing changes.
    assert entry in right_click()
    assert warnings and "not a PNG or JPEG" in warnings[0]
    # A PNG file: the figure shows it from now on.
    chosen[0] = str(picture)
    right_click()
    shown = window.library.essay("harbour-defences")
    assert shown is not None and shown.figures[0].path.suffix == ".png"
    # The essay is shown again from the new library once the features have taken it in.
    qtbot.waitUntil(lambda: window.current_essay is shown)
    image = window.reading_view.loadResource(2, QUrl(name))
    assert image.width() > 0 and image.pixelColor(1, 1).alpha() > 0  # type: ignore[attr-defined]
    # The figure viewer offers the same entry.
    point = find_image(window, name)
    qtbot.mouseClick(window.reading_view.viewport(), Qt.MouseButton.LeftButton, pos=point)
    viewer = window.figure_viewer
    assert viewer is not None and viewer.isVisible()
    seen = choose_from_popup(qtbot, "")
    QApplication.sendEvent(
        viewer, QContextMenuEvent(QContextMenuEvent.Reason.Mouse, QPoint(50, 50), QPoint(50, 50))
    )
    assert entry in seen
    # The shipped essay is read-only: no such entry on its figures.
    window.open_section(ESSAY_ID, "")
    shipped = window.current_essay
    assert shipped is not None
    name = f"figure://{ESSAY_ID}/{shipped.figures[0].id}"
    point = find_image(window, name)
    seen = choose_from_popup(qtbot, "")
    viewport = window.reading_view.viewport()
    QApplication.sendEvent(
        viewport,
        QContextMenuEvent(QContextMenuEvent.Reason.Mouse, point, viewport.mapToGlobal(point)),
    )
    assert seen and entry not in seen


# -- search scope -----------------------------------------------------------------------


def test_the_search_scope_this_essay_or_everything_is_remembered(
    qtbot, make_window: WindowFactory, imported: dict[str, Path], settings
) -> None:
    window = make_window()
    window.open_section("lighthouse-keepers", "")
    panel = window.search.panel
    panel.prepare()
    qtbot.waitUntil(lambda: panel.is_ready, timeout=30000)
    panel.field.setFocus()
    qtbot.keyClicks(panel.field, "signal lamps")
    qtbot.waitUntil(lambda: panel.results is not None and bool(panel.results.hits), timeout=5000)
    assert panel.results is not None
    everywhere = {hit.document for hit in panel.results.hits}
    assert {"lighthouse-keepers", "harbour-defences"} <= everywhere
    panel.scope.setFocus()
    qtbot.keyClick(panel.scope, Qt.Key.Key_Down)
    assert panel.scope.currentData() == "essay"
    qtbot.waitUntil(
        lambda: panel.results is not None
        and {hit.document for hit in panel.results.hits} == {"lighthouse-keepers"}
    )
    assert settings.value("search/scope") == "essay"
    window.close()
    again = make_window()
    assert again.search.panel.scope.currentData() == "essay"


# -- bookmarks, history, export and citations on an imported page ---------------------------


def test_bookmarks_history_export_and_citations_on_an_imported_page(
    qtbot,
    make_window: WindowFactory,
    imported: dict[str, Path],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The bookmark dialog is modal: it answers with the details it was given.
    monkeypatch.setattr(
        BookmarkDialog, "ask", classmethod(lambda cls, parent, title, details, *a, **k: details)
    )
    window = make_window()
    tree = window.section_tree
    item = tree.item_for("harbour-defences", "the-guns")
    assert item is not None
    tree.expandAll()
    tree.scrollToItem(item)
    qtbot.mouseClick(
        tree.viewport(), Qt.MouseButton.LeftButton, pos=tree.visualItemRect(item).center()
    )
    assert window.reading_view.section_at_top() == "the-guns"
    view = window.reading_view
    focus_view(qtbot, window)
    # A bookmark (Ctrl+D) on the imported section.
    qtbot.keyClick(view, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    marks = window.bookmark_store.bookmarks()
    assert [(m.essay, m.section) for m in marks] == [("harbour-defences", "the-guns")]
    # History: another essay, then back.
    window.open_section("lighthouse-keepers", "storms")
    focus_view(qtbot, window)
    qtbot.keyClick(view, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    assert window.current_essay is not None and window.current_essay.id == "harbour-defences"
    # A citation of the imported section (Ctrl+Alt+C).
    QGuiApplication.clipboard().clear()
    qtbot.keyClick(
        view, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier
    )
    citation = QGuiApplication.clipboard().text()
    assert "“Harbour Defences”, section “The Guns”" in citation
    # Its link (Ctrl+Shift+L) is the reader's own address of the section.
    qtbot.keyClick(
        view, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    )
    assert QGuiApplication.clipboard().text() == "reader://harbour-defences/the-guns"
    # Export (Ctrl+Shift+E) holds the imported essays.
    target = tmp_path / "library.html"
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(target), ""))
    )
    qtbot.keyClick(
        view, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    )
    qtbot.waitUntil(target.is_file, timeout=10000)
    exported = target.read_text("utf-8")
    assert "Harbour Defences" in exported and "Lighthouse Keepers" in exported
