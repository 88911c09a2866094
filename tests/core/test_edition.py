"""About This Edition: made from the essay's own marks, links and notes."""

from __future__ import annotations

import re
from pathlib import Path

from reader.core import edition
from reader.core.content import Library, load_library
from tests.conftest import ESSAY_ID
from tests.essay_fixtures import GOOD_ESSAY, write_essay


def test_the_page_lists_policy_probable_corrections_sic_links_and_notes(
    library: Library,
) -> None:
    essay = library.essay(ESSAY_ID)
    assert essay is not None
    html = edition.about_edition_html(essay)
    assert "<h2>Editorial policy</h2>" in html and "grammar and usage" in html
    assert "This offline edition presents the essay" in html  # edition.md
    assert "Probable corrections (4)" in html
    assert "pledged not <i>(nothing)</i> \u2192 to" in html
    assert "Words left as written, marked [sic] (6)" in html
    assert "did not discuss the n=mobe [sic]" in html
    assert "Links added by this edition (17)" in html
    assert "\u201cAxis alliance\u201d (German Japanese Communications)" in html
    assert "Editor\u2019s notes (6)" in html
    assert "22 September 1939" in html


def test_the_page_follows_the_essay_when_it_changes(tmp_path: Path) -> None:
    text = GOOD_ESSAY.replace(
        "First part text about Ploesti.",
        "First {~~prat~>part~~} text,{++ [sic]++} about [Ploesti](#second){.editorial}."
        "[^oil]\n\n[^oil]: An editor's note about oil.",
    )
    essay = load_library(write_essay(tmp_path, text=text).parent).essays[0]
    html = edition.about_edition_html(essay)
    assert "Certain corrections (1)" in html and "<i>prat</i> \u2192 part" in html
    assert "Probable corrections (0)" in html
    assert "marked [sic] (1)" in html
    assert re.search(
        r"\u201cPloesti\u201d \(First Part\) \u2192 section \u201cSecond Part\u201d", html
    )
    assert "An editor&#x27;s note about oil." in html
    assert "Editorial policy" not in html  # this essay has no rules comment
