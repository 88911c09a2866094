"""Importing a page saved as text: the shipped capture, and captures the tests write."""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.core import content, library_import, timeline, xref
from reader.core.importers import text_capture
from reader.core.importers.draft import DraftFigure, ImportRefused
from reader.core.markdown_ext import make_markdown
from tests.conftest import CONTENT_DIR, ESSAY_ID, SOURCE_TEXT


def check_problems(root: Path) -> list[content.Problem]:
    """What ``python main.py check`` reports for a content folder."""
    loaded = content.load_library(root)
    return [*loaded.problems, *xref.check(loaded), *timeline.check(loaded)]


def original_titles() -> list[str]:
    """The section titles of the shipped edition in its original reading."""
    essay = content.load_library(CONTENT_DIR).essay(ESSAY_ID)
    assert essay is not None
    md, ext = make_markdown(essay.id, "original")
    md.convert(essay.markdown)
    return [section.title for section in ext.outline.sections]


def test_the_shipped_capture_becomes_the_edition_s_outline(tmp_path: Path) -> None:
    results = library_import.import_paths([SOURCE_TEXT], tmp_path / "library", None)
    assert [r.status for r in results] == ["added"], results
    result = results[0]
    essay_folder = tmp_path / "library" / str(result.essay_id)
    assert check_problems(tmp_path / "library") == []
    loaded = content.load_library(tmp_path / "library")
    essay = loaded.essays[0]
    titles = original_titles()
    assert len(titles) == 9
    assert [s.title for s in essay.sections] == titles
    assert result.sections == 9 and result.figures == 1
    figure = essay.figures[0]
    source = SOURCE_TEXT.read_text(encoding="utf-8")
    caption_line = next(line for line in source.splitlines() if line.startswith("Figure 1.--"))
    assert f"{figure.caption} {figure.credit}".strip() == caption_line.strip()
    assert figure.alt == "NAZI Soviet alliance"
    assert figure.path.suffix == ".svg" and figure.exists
    assert "picture not included" in figure.path.read_text(encoding="utf-8")
    assert str(essay.meta["created"]).startswith("2009-01-10T01:17")
    assert str(essay.meta["updated"]).startswith("2011-12-05T16:52")
    footer = [line for line in source.splitlines() if line.startswith("[")]
    expected = [
        item.removeprefix("Return to ") for line in footer for item in line.strip("[]").split("] [")
    ]
    assert [p.title for p in essay.related][: len(expected)] == expected
    # The broken markup before "Axis alliance" became a link to a related page with its address.
    axis = next(link for link in essay.links if link.text == "Axis alliance")
    page = essay.related_page(axis.href.removeprefix("related:"))
    assert page is not None and page.url == "/essay/war/ww2/camp/ww2-axis.html"
    assert essay.meta["kicker"].startswith("*** war and social upheaval")
    # The lost character is kept in the text and reported.
    assert "\ufffd" in essay.section("raw-materials").text
    assert any("U+FFFD" in p for p in result.problems)
    assert (essay_folder / "essay.md").is_file()


def test_the_shipped_essay_is_not_imported_twice(tmp_path: Path) -> None:
    results = library_import.import_paths([SOURCE_TEXT], tmp_path / "library", CONTENT_DIR)
    assert results[0].status == "exists"
    assert results[0].essay_id == ESSAY_ID
    assert [p.name for p in (tmp_path / "library").iterdir() if not p.name.startswith(".")] == []


CAPTURE = """*** the home front: Boys' clothes -- wartime rationing

Rationing of Clothes (1941-49)

Ration book
Figure 3.--A boy holds up his family's ration book. Coupons were needed for
every jacket and pair of shoes. Source: private collection.

Clothes were rationed in Britain from June 1941. Each person had coupons for the year.

Coupons

A jacket cost 13 coupons; a \\r shirt cost 5.\rA stray return.

Make Do and Mend

Families mended old clothes and made new ones from old
a href="/essay/mend.html">mending leaflets</a> and everything else they could find.
5 < 6 and *stars* stay text [here].

Home Front

Navigate the Home Front Section:
[Return to Main Rationing page] [Return to Main Home Front page]
[Schools]

Created: 9:05 PM 3/4/2010
Last updated: 10:30 AM 11/22/2012
"""


def test_a_written_capture_with_other_headings_and_odd_characters(tmp_path: Path) -> None:
    source = tmp_path / "rationing.txt"
    source.write_bytes(CAPTURE.encode("utf-8"))
    draft = text_capture.read(source)
    assert draft.title == "Rationing of Clothes (1941-49)"
    figures = [b for b in draft.blocks if isinstance(b, DraftFigure)]
    assert [f.alt for f in figures] == ["Ration book"]
    assert figures[0].caption.startswith("Figure 3.--A boy holds") and "every jacket" in (
        figures[0].caption
    )
    assert draft.meta["site_section"] == "Home Front"
    assert draft.meta["created"].isoformat() == "2010-03-04T21:05:00"
    assert draft.meta["updated"].isoformat() == "2012-11-22T10:30:00"
    assert [p.title for p in draft.related] == [
        "Main Rationing page",
        "Main Home Front page",
        "Schools",
        "mending leaflets",
    ]
    assert any("carriage return" in p for p in draft.problems)
    assert any("backslash" in p for p in draft.problems)

    results = library_import.import_paths([source], tmp_path / "library", CONTENT_DIR)
    assert results[0].status == "added", results[0]
    assert check_problems(tmp_path / "library") == []
    essay = content.load_library(tmp_path / "library").essays[0]
    assert [s.title for s in essay.sections] == [
        "Rationing of Clothes (1941-49)",
        "Coupons",
        "Make Do and Mend",
    ]
    coupons = essay.section("coupons")
    assert coupons is not None and "\\r shirt" in coupons.text and "\u240d" in coupons.text
    mend = essay.section("make-do-and-mend")
    assert mend is not None
    assert "5 < 6 and *stars* stay text [here]" in mend.text
    assert "from old mending leaflets and everything" in mend.text
    assert [link.text for link in essay.links] == ["mending leaflets"]


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   \n\n  ",
        "*** only a kicker\n",
        "A Title Alone\n",
    ],
)
def test_captures_without_text_are_refused(text: str) -> None:
    with pytest.raises(ImportRefused):
        text_capture.parse(text, "fallback")


def test_the_stand_in_plate_names_the_figure_and_how_to_give_it_a_picture() -> None:
    from reader.core.importers.plate import stand_in_svg

    caption = "Figure 2.--The boom across the harbour mouth."
    svg = stand_in_svg(2, caption, "not in the text capture", "figure-2")
    assert "Figure 2: picture not included" in svg
    assert "The boom across the harbour mouth." in svg
    assert "Picture: not in the text capture" in svg
    assert "Use a Picture from File" in svg
    assert "beside this file" not in svg  # no file instructions printed on paper
