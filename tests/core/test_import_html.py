"""Importing an HTML page as a browser saves it (page.html + page_files/)."""

from __future__ import annotations

from pathlib import Path

from reader.core import content, library_import
from tests.core.test_import_text_capture import check_problems
from tests.essay_fixtures import png_bytes

PNG = png_bytes()

PAGE = """<!DOCTYPE html>
<!-- saved from url=(0042)https://example.org/essays/sailor-suits.html -->
<html><head><title>Sailor Suits | Example Site</title>
<script>document.write("tracking");</script><style>p { color: red }</style></head>
<body>
<nav><a href="/">Home</a> <a href="/about">About</a></nav>
<div class="sidebar"><p>Subscribe to our newsletter for more pages like this one.</p></div>
<article>
<h1>Sailor Suits in the 1900s</h1>
<p>Sailor suits were <em>very</em> popular before the
<a href="/essays/war.html">First World War</a>; *stars* and [brackets] stay text.</p>
<table><tr><td><img src="page_files/boy%20one.png" alt="A boy"></td></tr></table>
<p>Figure 1.--A boy in a sailor suit with a whistle.</p>
<h2 id="colours">Colours</h2>
<p>Most were navy blue with white trim, as <a href="#origins">the origins</a> explain.</p>
<figure><img src="https://cdn.example.org/remote.jpg" alt="Remote">
<figcaption>Figure 2.--A picture on the web.</figcaption></figure>
<img src="../secret.png" alt="Outside">
<img src="page_files/spacer.gif" width="1" height="1" alt="">
<h3>Trim</h3>
<ul><li>White <b>braid</b></li><li>Anchors<ul><li>embroidered</li></ul></li></ul>
<h2 id="origins">Origins</h2>
<blockquote><p>The royal children wore them first.</p></blockquote>
<p>Write to <a href="mailto:editor@example.org">the editor</a>.</p>
</article>
<footer><p>Copyright notice and other small print that is not part of the essay.</p></footer>
</body></html>
"""


def make_page(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "page_files").mkdir(exist_ok=True)
    (folder / "page_files" / "boy one.png").write_bytes(PNG)
    (folder / "page_files" / "spacer.gif").write_bytes(b"GIF89a" + bytes(10))
    (folder.parent / "secret.png").write_bytes(PNG)
    page = folder / "page.html"
    page.write_text(PAGE, encoding="utf-8")
    return page


def test_a_saved_page_becomes_an_edition(tmp_path: Path) -> None:
    page = make_page(tmp_path / "saved")
    lib = tmp_path / "library"
    [result] = library_import.import_paths([page], lib, None)
    assert result.status == "added", result
    assert check_problems(lib) == []
    essay = content.load_library(lib).essays[0]
    assert essay.title == "Sailor Suits in the 1900s"
    assert essay.meta["source_url"] == "https://example.org/essays/sailor-suits.html"
    assert [(s.title, s.level) for s in essay.sections] == [
        ("Sailor Suits in the 1900s", 1),
        ("Colours", 2),
        ("Trim", 3),
        ("Origins", 2),
    ]
    assert [s.id for s in essay.sections] == [
        "sailor-suits-in-the-1900s",
        "colours",
        "trim",
        "origins",
    ]
    text = " ".join(s.text for s in essay.sections)
    for gone in ("tracking", "color: red", "Home", "newsletter", "Copyright"):
        assert gone not in text
    assert "*stars* and [brackets] stay text" in text
    assert "The royal children wore them first." in text
    figures = essay.figures
    assert [f.caption for f in figures] == [
        "Figure 1.--A boy in a sailor suit with a whistle.",
        "Figure 2.--A picture on the web.",
        "Outside",
    ]
    assert figures[0].path.read_bytes() == PNG
    assert figures[1].path.suffix == ".svg" and figures[2].path.suffix == ".svg"
    assert "remote.jpg" in figures[1].path.read_text(encoding="utf-8")
    assert sum("picture not available" in p for p in result.problems) == 2
    hrefs = {link.text: link.href for link in essay.links}
    assert hrefs == {
        "First World War": "https://example.org/essays/war.html",
        "the origins": "#origins",
        "the editor": "mailto:editor@example.org",
    }
    trim = essay.section("trim")
    assert trim is not None and "White braid Anchors embroidered" in trim.text


def test_a_saved_page_imported_again_is_the_same_essay(tmp_path: Path) -> None:
    page = make_page(tmp_path / "saved")
    lib = tmp_path / "library"
    library_import.import_paths([page], lib, None)
    moved = make_page(tmp_path / "elsewhere")  # same address, another file
    [again] = library_import.import_paths([moved], lib, None)
    assert again.status == "updated" and again.essay_id == "sailor-suits-in-the-1900s"


def test_a_page_from_another_site_without_article_markup(tmp_path: Path) -> None:
    page = tmp_path / "plain.htm"
    page.write_bytes(
        "<html><head><meta charset='windows-1252'><title>Caf\xe9 Life</title></head><body>"
        "<div id='menu'><a href='/'>Home</a> | <a href='/x'>Other</a></div>"
        "<div><p>The caf\xe9 was where the town met, from morning coffee to the "
        "late evening, for many years.</p><p>Its owner kept a diary.</p></div>"
        "</body></html>".encode("cp1252")
    )
    [result] = library_import.import_paths([page], tmp_path / "library", None)
    assert result.status == "added", result
    essay = content.load_library(tmp_path / "library").essays[0]
    assert essay.title == "Caf\u00e9 Life" and essay.id == "cafe-life"
    assert "The caf\u00e9 was where the town met" in essay.sections[0].text
    assert "Home" not in essay.sections[0].text


def test_the_format_comes_from_the_content_not_the_name(tmp_path: Path) -> None:
    from reader.core.importers import read_draft

    page = tmp_path / "page.txt"
    page.write_text(PAGE, encoding="utf-8")
    assert read_draft(page).format == "HTML page"
    capture = tmp_path / "capture.html"
    capture.write_text(
        "*** essays: hats\n\nHats\n\nHats were worn by everyone, every day, in every "
        "weather, for many years.\n",
        encoding="utf-8",
    )
    assert read_draft(capture).format == "text capture"
    markdown = tmp_path / "notes"
    markdown.write_text("# Notes\n\nSome notes on hats, written down.\n", encoding="utf-8")
    assert read_draft(markdown).format == "Markdown"
