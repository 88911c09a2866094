"""Where related pages and web links lead is decided once, by the renderer: every link
of the rendered essay leads to an essay of the library, to the web (marked as leaving
the reader), or is text marked as not in the library; no ``related://`` link is left
for the reading view to resolve."""

from __future__ import annotations

import re
from pathlib import Path

from reader.core import library, library_import, render
from reader.core.related import EXTERNAL_MARK, UNAVAILABLE, related_target
from tests.conftest import CONTENT_DIR, ESSAY_ID
from tests.core.test_library import capture

BETA = (
    "<!-- saved from url=(0033)https://example.org/beta.html -->"
    "<html><head><title>Beta Essay</title></head><body><article><h1>Beta Essay</h1>"
    "<p>Beta is the second essay; it points back at "
    '<a href="https://example.org/alpha.html">the first essay</a>, at '
    '<a href="https://example.org/delta.html">a page not here</a> and at '
    '<a href="mailto:editor@example.org">the editor</a>, '
    "with words enough for a paragraph.</p></article></body></html>"
)
GAMMA = (
    '<html><head><link rel="canonical" href="https://example.org/alpha.html">'
    "<title>Gamma</title></head><body><p>Gamma has the address the Beta page links to "
    "and enough words to be an article of its own.</p></body></html>"
)


def load(tmp_path: Path) -> library.Library:
    pages = {
        "alpha.txt": capture("Alpha Essay", ["One"], ["Main Beta Essay page", "Delta page"]),
        "beta.html": BETA,
        "gamma.html": GAMMA,
    }
    for name, text in pages.items():
        (tmp_path / name).write_text(text, "utf-8")
    lib = tmp_path / "library"
    results = library_import.import_paths([tmp_path / name for name in pages], lib, CONTENT_DIR)
    assert all(r.status == "added" for r in results), results
    return library.load(CONTENT_DIR, lib)


def rendered(loaded: library.Library, essay_id: str) -> str:
    essay = loaded.essay(essay_id)
    assert essay is not None
    return render.render_essay(essay, in_library=library.essay_links(loaded, essay_id))


def marked_after(html: str, text: str) -> bool:
    """Whether the link with ``text`` is followed by the mark of a link to the web."""
    plain = re.sub(r"<[^>]+>", "", html)
    at = plain.index(text) + len(text)
    return plain[at:at + 2].strip() == EXTERNAL_MARK


def test_the_renderer_leaves_no_link_for_the_view_to_resolve(tmp_path: Path) -> None:
    loaded = load(tmp_path)
    shipped = loaded.essay(ESSAY_ID)
    assert shipped is not None
    html = rendered(loaded, ESSAY_ID)
    assert "related://" not in html
    # A page whose address was recorded leads to the web, marked; the others say why not.
    for page in shipped.related:
        if page.url:
            assert f'href="{page.url}"' in html and marked_after(html, page.title)
        else:
            assert f"{UNAVAILABLE}: \u201c{page.title}\u201d" in html
    # A text capture's footer: the page that is an essay (matched by title) is a link to
    # it; the one that is not is marked text.
    alpha = rendered(loaded, "alpha-essay")
    assert '<a href="reader://beta-essay">Main Beta Essay page</a>' in alpha
    assert "related://" not in alpha
    assert re.search(rf'<span class="unavailable" title="{UNAVAILABLE}[^"]*">Delta page</span>',
                     alpha)
    # Web links: one that is an essay of the library leads to it; the others are marked.
    beta = rendered(loaded, "beta-essay")
    assert '<a href="reader://gamma">the first essay</a>' in beta
    assert marked_after(beta, "a page not here") and marked_after(beta, "the editor")
    assert not marked_after(beta, "the first essay")


def test_the_menu_and_the_text_agree_on_where_a_related_page_leads(tmp_path: Path) -> None:
    loaded = load(tmp_path)
    alpha = loaded.essay("alpha-essay")
    assert alpha is not None
    found = library.essay_links(loaded, "alpha-essay")
    leads = {page.title: related_target(alpha, page, found) for page in alpha.related}
    assert leads == {"Main Beta Essay page": "reader://beta-essay", "Delta page": None}
