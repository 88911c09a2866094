"""Print and export: the PDF's pages (running head, page numbers, outline, links between
sections, each line once, no ligature code points), the preview paginating as the PDF
does, the HTML export's header, and the export dialog's folder and Open button."""

from __future__ import annotations

import itertools
import re
import subprocess
import sys
from pathlib import Path

import pypdf
import pytest
from PySide6.QtCore import QObject, Qt, QUrl, Slot
from PySide6.QtGui import QDesktopServices
from PySide6.QtPrintSupport import QPrintPreviewWidget
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox, QPushButton

from reader import pdf
from reader.cli.export import content_css
from reader.core.content import Library
from reader.core.export import export_html
from reader.ui.main_window import MainWindow
from reader.ui.printing import PrintPreview
from tests.conftest import ESSAY_ID
from tests.ui.conftest import WindowFactory

LIGATURES = re.compile("[\ufb00-\ufb06]")


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory, library: Library) -> Path:
    if QApplication.instance() is None:
        pytest.skip("needs the Qt application of the UI tests")  # pragma: no cover
    path = tmp_path_factory.mktemp("pdf") / "essay.pdf"
    pdf.write_pdf(library.essays, path, content_css(), "corrected")
    return path


@pytest.fixture
def pages(qapp: QApplication, exported: Path) -> list[list[str]]:
    """Each page's lines of text, blank lines dropped."""
    reader = pypdf.PdfReader(exported)
    return [[" ".join(line.split()) for line in (page.extract_text() or "").splitlines()
             if line.strip()] for page in reader.pages]


def test_every_page_has_the_running_head_and_its_number(pages: list[list[str]],
                                                         library: Library) -> None:
    essay = library.essays[0]
    titles = {s.title for s in essay.sections}
    assert len(pages) > 3
    for number, lines in enumerate(pages, start=1):
        assert essay.title in lines[0]
        assert str(number) in lines  # the page number, a line of its own
        if number > 1:  # the section the page is in, beside the essay's title
            assert any(title in lines[0] for title in titles), lines[0]


def test_the_pdf_text_has_no_ligature_code_points_and_finds_differences(
    pages: list[list[str]]
) -> None:
    text = "\n".join("\n".join(lines) for lines in pages)
    assert LIGATURES.findall(text) == []
    assert "Differences" in text


def test_no_line_is_repeated_across_a_page_break(pages: list[list[str]]) -> None:
    for before, after in itertools.pairwise(pages):
        last_lines = [line for line in before[-4:] if len(line) > 20]
        first_lines = [line for line in after[1:5] if len(line) > 20]  # after the head
        assert not set(last_lines) & set(first_lines)


def test_the_outline_lists_the_sections_and_links_lead_to_them(
    exported: Path, library: Library
) -> None:
    reader = pypdf.PdfReader(exported)
    essay = library.essays[0]

    def titles(items: list) -> list[str]:  # type: ignore[type-arg]
        found: list[str] = []
        for item in items:
            found += titles(item) if isinstance(item, list) else [item.title]
        return found

    outlined = titles(reader.outline)
    assert [s.title for s in essay.sections] == outlined
    # Each outline entry opens the page its section starts on.
    differences = next(item for item in _flat(reader.outline) if item.title == "Differences")
    page = reader.get_destination_page_number(differences)
    assert "Differences" in (reader.pages[page].extract_text() or "")
    links = [annotation.get_object() for page in reader.pages
             for annotation in page.get("/Annots", [])
             if annotation.get_object().get("/Subtype") == "/Link"]
    internal = [link for link in links if "/Dest" in link]
    assert len(internal) >= 3
    assert not any(str(link.get("/A", {}).get("/URI", "")).startswith("reader:")
                   for link in links)


def _flat(items: list) -> list:  # type: ignore[type-arg]
    found = []
    for item in items:
        found += _flat(item) if isinstance(item, list) else [item]
    return found


def test_the_preview_shows_as_many_pages_as_the_pdf(qtbot, make_window: WindowFactory,
                                                   exported: Path) -> None:
    window = make_window(section="poland")
    essay = window.current_essay
    assert essay is not None
    preview = PrintPreview(essay, "poland", content_css(), "corrected", window)
    qtbot.addWidget(preview)
    preview.show()
    widget = preview.findChild(QPrintPreviewWidget)
    assert widget is not None
    qtbot.waitUntil(lambda: widget.pageCount() > 0)
    assert widget.pageCount() == len(pypdf.PdfReader(exported).pages)


def test_the_stand_in_plate_prints_no_file_instructions(library: Library) -> None:
    essay = library.essays[0]
    for figure in essay.figures:
        if figure.path.suffix == ".svg":
            drawn = " ".join(re.findall(r"<text[^>]*>([^<]*)</text>",
                                        figure.path.read_text(encoding="utf-8")))
            assert "save it as" not in drawn and "beside this file" not in drawn


def test_html_export_is_a_web_page_without_the_editors_comments(
    library: Library, tmp_path: Path
) -> None:
    path = tmp_path / "essay.html"
    export_html(library, path, "")
    html = path.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>\n<html>")
    assert "<!--" not in html
    assert "Differences" in html


def test_the_pdf_writer_loads_no_widgets() -> None:
    code = ("import sys, reader.pdf, reader.cli.export; "
            "sys.exit('PySide6.QtWidgets' in sys.modules)")
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0


class UrlRecorder(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.opened: list[QUrl] = []

    @Slot(QUrl)
    def record(self, url: QUrl) -> None:
        self.opened.append(url)


def test_export_remembers_its_folder_and_opens_the_file_only_when_asked(
    qtbot, main_window: MainWindow, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    offered: list[str] = []
    folder = tmp_path / "exports"
    folder.mkdir()

    def save_as(_parent: object, _title: str, suggested: str, _filters: str) -> tuple[str, str]:
        offered.append(suggested)
        return str(folder / "mine.html"), ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", save_as)
    recorder = UrlRecorder()
    QDesktopServices.setUrlHandler("file", recorder, "record")
    try:
        main_window.windowHandle().requestActivate()
        qtbot.waitUntil(main_window.isActiveWindow)
        main_window.reading_view.setFocus()
        for _ in range(2):
            qtbot.keyClick(main_window.reading_view, Qt.Key.Key_E,
                           Qt.KeyboardModifier.ControlModifier
                           | Qt.KeyboardModifier.ShiftModifier)
        assert len(offered) == 2
        assert Path(offered[0]).parent == Path.home()
        assert Path(offered[1]).parent == folder  # remembered
        assert (folder / "mine.html").is_file()
        assert recorder.opened == []  # nothing opened by itself
        (box,) = [box for box in main_window.findChildren(QMessageBox, "export_done")
                  if box.isVisible()]  # the first export's box made way for the second's
        assert not box.isModal()
        button = box.findChild(QPushButton, "export_open")
        assert button is not None
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
        assert [url.toLocalFile() for url in recorder.opened] == [str(folder / "mine.html")]
    finally:
        QDesktopServices.unsetUrlHandler("file")


def test_exported_pdf_names_the_essay(exported: Path) -> None:
    reader = pypdf.PdfReader(exported)
    assert reader.metadata is not None and ESSAY_ID.split("-")[0].upper() in str(
        reader.metadata.title).upper()
