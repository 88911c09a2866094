"""Cross-references in the rendered HTML: previews, "See also", names as links (no Qt)."""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path

import pytest

from reader.core import xref, xref_render
from reader.core.content import Library, load_library
from reader.core.render import render_body, render_essay
from tests.conftest import ESSAY_ID
from tests.core.test_xref import ESSAY, write


@pytest.fixture
def small(tmp_path: Path) -> Library:
    write(tmp_path, essay=ESSAY.replace("Nothing else here.", "See [far away](#far)."))
    return load_library(tmp_path)


def test_internal_links_get_a_preview_title(small: Library) -> None:
    html = xref_render.add_link_previews(render_body(small.essays[0]), small)
    match = re.search(r'<a href="reader://names/far" title="([^"]*)">far away</a>', html)
    assert match, html
    preview = unescape(match.group(1))
    assert "<b>Far</b>" in preview
    assert "Komet sailed from Norway." in preview


def test_link_with_a_title_or_unknown_target_is_left_alone(small: Library) -> None:
    html = '<a href="reader://names/nowhere">x</a> <a href="reader://names/far" title="t">y</a>'
    assert xref_render.add_link_previews(html, small) == html


def test_preview_text_is_cut_at_a_word(library: Library) -> None:
    text = xref_render.preview_text(library, ESSAY_ID, "raw-materials", chars=60)
    assert text.endswith(" \u2026")
    assert len(text) <= 62
    assert text.startswith("A trade")


def test_see_also_offers_only_sections_beyond_the_neighbours(small: Library) -> None:
    essay = small.essays[0]
    index, _ = xref.load_index(small)
    html = xref_render.insert_see_also(render_body(essay), essay, small, index)
    # "start" shares Ploesti with "brest", next to it, and Romania with "near": only
    # "near" adds something.
    start = html[: html.index('id="brest"')]
    assert 'href="reader://names/near">Near</a>' in start
    assert 'href="reader://names/brest"' not in start.split('class="see-also"')[1]
    # "far" shares Komet and Norway with "near", right after it: no line at all.
    far = html[html.index('id="far"') : html.index('id="near"')]
    assert "see-also" not in far
    # The last section's line closes the body and leaves out "far" before it.
    near = html[html.index('id="near"'):]
    assert html.rstrip().endswith("</p>")
    assert 'href="reader://names/start">Names</a>' in near
    assert 'href="reader://names/far"' not in near


def test_section_sharing_nothing_has_no_see_also(small: Library) -> None:
    essay = small.essays[0]
    index, _ = xref.load_index(small)
    html = xref_render.insert_see_also(render_body(essay), essay, small, index)
    deals = html[html.index('id="deals"') : html.index('id="far"')]
    assert "see-also" not in deals


def test_link_names_wraps_outer_mentions_with_descriptions() -> None:
    entries = [
        xref.Entry("komet", "ship", "Komet", (), "A cruiser."),
        xref.Entry("norway", "place", "Norway", (), "Where it sailed from."),
        xref.Entry("voyage", "event", "voyage from Norway", (), "The voyage."),
    ]
    html = ('<h2 id="x">Komet</h2><p>Komet&#x27;s voyage from Norway. '
            '<a href="reader://d/s">Komet</a></p><!-- Komet -->')
    out = xref_render.link_names(html, entries)
    assert '<h2 id="x">Komet</h2>' in out  # headings untouched
    assert '<a class="name" href="index://komet" title="Komet: A cruiser.">Komet</a>\'s' in out
    assert 'href="index://voyage"' in out
    assert 'href="index://norway"' not in out  # nested inside the voyage
    assert '<a href="reader://d/s">Komet</a>' in out  # existing links untouched
    assert out.endswith("<!-- Komet -->")  # comments untouched


def test_render_essay_applies_decorate(small: Library) -> None:
    essay = small.essays[0]
    index, _ = xref.load_index(small)

    def decorate(e: object, body: str) -> str:
        return xref_render.decorate(body, essay, small, index, names=True)

    html = render_essay(essay, decorate=decorate)
    assert 'class="see-also"' in html
    assert 'href="index://komet"' in html
    assert 'href="index://komet"' not in render_essay(essay)


def test_real_essay_see_also_lines_add_something(library: Library) -> None:
    essay = library.essay(ESSAY_ID)
    assert essay is not None
    index, _ = xref.load_index(library)
    html = xref_render.decorate(render_body(essay), essay, library, index)
    order = [s.id for s in essay.sections]
    starts = [html.index(f'id="{sid}"') for sid in order] + [len(html)]
    lines = []
    previous: set[str] = set()
    for number, sid in enumerate(order):
        chunk = html[starts[number] : starts[number + 1]]
        found = re.findall(r'<p class="see-also">.*?</p>', chunk)
        if not found:
            previous = set()
            continue
        targets = re.findall(r'href="reader://[^/]+/([^"]+)"', found[0])
        neighbours = set(order[max(0, number - 1) : number + 2])
        assert 1 <= len(targets) <= 3
        assert not neighbours & set(targets), (sid, targets)
        assert not previous & set(targets), (sid, targets)  # no line repeats the one before
        previous = set(targets)
        lines.append(tuple(targets))
    assert lines  # the essay's sections do share names beyond their neighbours


def test_kicker_loses_its_asterisks_except_in_the_original_reading(library: Library) -> None:
    essay = library.essay(ESSAY_ID)
    assert essay is not None
    corrected = render_essay(essay)
    assert '<p class="kicker">war and social upheaval:' in corrected
    assert "***" not in corrected.split("<!--", 1)[0]
    original = render_essay(essay, reading="original")
    assert '<p class="kicker">*** war and social upheaval:' in original
