"""Importing Markdown files and EPUB books (built here with zipfile)."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from reader.core import content, library_import
from reader.core.importers import ImportRefused, read_draft
from tests.core.test_import_text_capture import check_problems
from tests.essay_fixtures import png_bytes

PNG = png_bytes()


def test_a_markdown_file_with_front_matter_and_pictures(tmp_path: Path) -> None:
    folder = tmp_path / "notes"
    (folder / "img").mkdir(parents=True)
    (folder / "img" / "map.png").write_bytes(PNG)
    (tmp_path / "private.png").write_bytes(PNG)
    source = folder / "caps.md"
    source.write_text(
        "---\ntitle: School Caps\nauthor: A. Writer\n---\n\n"
        "Caps were worn by most schoolboys.\n\n"
        "## Colours {#colours}\n\n"
        "Each school had its colours; see [badges](#badges-and-crests).\n\n"
        '![A map of schools](img/map.png "Figure 1. Where the schools were")\n\n'
        "![Outside](../private.png)\n\n"
        "Badges and Crests\n-----------------\n\n"
        "Some caps had a [crest](other.md) or a [link](https://example.org/crests).\n",
        encoding="utf-8",
    )
    [result] = library_import.import_paths([source], tmp_path / "library", None)
    assert result.status == "added", result
    assert check_problems(tmp_path / "library") == []
    essay = content.load_library(tmp_path / "library").essays[0]
    assert essay.title == "School Caps" and essay.meta["author"] == "A. Writer"
    assert [(s.id, s.level) for s in essay.sections] == [
        ("school-caps", 1),
        ("colours", 2),
        ("badges-and-crests", 2),
    ]
    assert [f.caption for f in essay.figures] == ["Figure 1. Where the schools were", "Outside"]
    assert essay.figures[0].path.read_bytes() == PNG
    assert essay.figures[1].path.suffix == ".svg"
    assert any("outside the page's folder" in p for p in result.problems)
    assert {link.text: link.href for link in essay.links} == {
        "badges": "#badges-and-crests",
        "link": "https://example.org/crests",
    }


CONTAINER = """<?xml version="1.0"?>
<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
<rootfiles><rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/>
</rootfiles></container>"""

OPF = """<?xml version="1.0"?>
<package xmlns="http://www.idpf.org/2007/opf" version="3.0">
<metadata xmlns:dc="http://purl.org/dc/elements/1.1/">
<dc:title>A Short Book of Hats</dc:title><dc:creator>H. Maker</dc:creator></metadata>
<manifest>
<item id="c1" href="text/one.xhtml" media-type="application/xhtml+xml"/>
<item id="c2" href="text/two.xhtml" media-type="application/xhtml+xml"/>
<item id="pic" href="images/hat.png" media-type="image/png"/>
</manifest>
<spine><itemref idref="c1"/><itemref idref="c2"/></spine>
</package>"""

CHAPTER_ONE = """<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml">
<head><title>One</title></head><body><h1>Straw Hats</h1>
<p>Straw hats were summer wear for boys; see <a href="two.xhtml">the next chapter</a>.</p>
<h2>Boaters</h2><p>The boater was stiff and flat.</p>
<figure><img src="../images/hat.png" alt="A boater"/><figcaption>A boater of 1905.</figcaption>
</figure></body></html>"""

CHAPTER_TWO = """<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml">
<head><title>Two</title></head><body><h1>Felt Hats</h1>
<p>Felt hats were worn in winter.</p></body></html>"""


def make_epub(path: Path, extra: dict[str, bytes] | None = None) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as book:
        book.writestr("mimetype", "application/epub+zip", zipfile.ZIP_STORED)
        book.writestr("META-INF/container.xml", CONTAINER)
        book.writestr("OEBPS/content.opf", OPF)
        book.writestr("OEBPS/text/one.xhtml", CHAPTER_ONE)
        book.writestr("OEBPS/text/two.xhtml", CHAPTER_TWO)
        book.writestr("OEBPS/images/hat.png", PNG)
        for name, data in (extra or {}).items():
            book.writestr(name, data)
    return path


def test_an_epub_book_each_chapter_a_section(tmp_path: Path) -> None:
    source = make_epub(tmp_path / "hats.epub")
    [result] = library_import.import_paths([source], tmp_path / "library", None)
    assert result.status == "added", result
    assert check_problems(tmp_path / "library") == []
    essay = content.load_library(tmp_path / "library").essays[0]
    assert essay.title == "A Short Book of Hats" and essay.meta["author"] == "H. Maker"
    assert [(s.title, s.level) for s in essay.sections] == [
        ("A Short Book of Hats", 1),
        ("Straw Hats", 2),
        ("Boaters", 3),
        ("Felt Hats", 2),
    ]
    assert [f.caption for f in essay.figures] == ["A boater of 1905."]
    assert essay.figures[0].path.read_bytes() == PNG
    assert [link.href for link in essay.links] == ["#felt-hats"]


def test_a_book_named_without_its_extension_is_still_a_book(tmp_path: Path) -> None:
    source = make_epub(tmp_path / "download")
    assert read_draft(source).title == "A Short Book of Hats"


@pytest.mark.parametrize(
    ("extra", "reason"),
    [
        ({"/etc/evil.xhtml": b"<p>x</p>"}, "outside itself"),
        ({"OEBPS/../../evil.xhtml": b"<p>x</p>"}, "outside itself"),
        ({"OEBPS/zeros.bin": bytes(20 * 1024 * 1024)}, "ZIP bomb"),
        (
            {
                "META-INF/encryption.xml": b"<encryption><EncryptionMethod Algorithm="
                b'"http://www.w3.org/2001/04/xmlenc#aes128-cbc"/></encryption>'
            },
            "DRM",
        ),
    ],
)
def test_unsafe_or_protected_books_are_refused(
    tmp_path: Path, extra: dict[str, bytes], reason: str
) -> None:
    source = make_epub(tmp_path / "bad.epub", extra)
    with pytest.raises(ImportRefused, match=reason):
        read_draft(source)
    [result] = library_import.import_paths([source], tmp_path / "library", None)
    assert result.status == "refused" and reason in result.reason
    assert [p.name for p in (tmp_path / "library").iterdir() if p.name != ".lock"] == []


def test_a_book_with_entities_is_refused(tmp_path: Path) -> None:
    source = make_epub(tmp_path / "lol.epub")
    with zipfile.ZipFile(source, "a") as book:
        book.writestr(
            "META-INF/container.xml.bak",
            '<!DOCTYPE x [<!ENTITY a "aaaa">]><x>&a;</x>',
        )
    bomb = tmp_path / "entity.epub"
    with zipfile.ZipFile(bomb, "w") as book:
        book.writestr("mimetype", "application/epub+zip")
        book.writestr("META-INF/container.xml", '<!DOCTYPE x [<!ENTITY a "aaaa">]><x>&a;</x>')
    with pytest.raises(ImportRefused, match="entities"):
        read_draft(bomb)
