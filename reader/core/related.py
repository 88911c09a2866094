"""Related pages and web links in the rendered essay: where each leads, if anywhere.

The links between essays of the library are found here too: a related page or a
web link that is an essay of the library (matched by address, or by title for a
text capture) becomes a ``reader://`` link (``essay_links``).

``related_target`` is the one place that decides whether a related page of the
source site leads anywhere; ``mark_links`` rewrites the rendered HTML so that a
page leading nowhere is marked text saying so (not a dead link), and a link to
the web carries a mark that it leaves the reader.
"""

from __future__ import annotations

import re
from html import escape
from urllib.parse import urlsplit

from reader.core.model import Essay, Library, RelatedPage
from reader.core.text import fold

_RELATED_LINK = re.compile(r'<a\b[^>]*href="related://([^/"]+)/([^"]+)"[^>]*>(.*?)</a>',
                           re.DOTALL)
_EXTERNAL_LINK = re.compile(r'(<a\b[^>]*href="(?:https?|mailto):[^"]*"[^>]*>)(.*?)</a>',
                            re.DOTALL)
#: Marks a link that leaves the reader for the web.
EXTERNAL_MARK = "\u2197"
#: The start of the hover text of a related page the reader cannot show.
UNAVAILABLE = "Not in your library"


def related_target(essay: Essay, page: RelatedPage) -> str | None:
    """Where a related page's link leads, or None when the reader cannot show it.

    The one place that decides where a related page's link leads: one that is an
    essay of the library is already a ``reader://`` link when this runs (and so is
    left alone); of the others, only one whose web address was recorded leads
    anywhere (to the web). Return a ``reader://`` address here to make more live."""
    del essay  # the essay is where a library page would be looked up
    return page.url or None


def related_html(essay: Essay, page: RelatedPage, text: str) -> str:
    """A related page as HTML: a link where it leads somewhere, else marked text that
    says it is not in the library (no dead link)."""
    target = related_target(essay, page)
    if target is None:
        note = f"{UNAVAILABLE}: \u201c{page.title}\u201d is a page of the source site"
        return (f'<span class="unavailable" title="{escape(note)}, not part of this '
                f'offline edition.">{text}</span>')
    if target.startswith(("http://", "https://")):
        return (f'<a class="external" href="{escape(target)}" title="{escape(target)}">'
                f"{text}\u202f{EXTERNAL_MARK}</a>")
    return f'<a href="{escape(target)}">{text}</a>'


def mark_links(essay: Essay, html: str) -> str:
    """The rendered essay with its related pages as ``related_html`` shows them and its
    links to the web marked as such."""

    def related(match: re.Match[str]) -> str:
        page = essay.related_page(match.group(2)) if match.group(1) == essay.id else None
        return match.group(0) if page is None else related_html(essay, page, match.group(3))

    def external(match: re.Match[str]) -> str:
        text = match.group(2)
        return match.group(0) if EXTERNAL_MARK in text else (
            f"{match.group(1)}{text}\u202f{EXTERNAL_MARK}</a>")

    return _EXTERNAL_LINK.sub(external, _RELATED_LINK.sub(related, html))


def normal_address(url: str) -> str:
    """An address as compared: no scheme, ``www.``, query, fragment, index page or
    trailing slash; host in lower case. A path alone stays a path."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return url.strip()
    host = parts.netloc.lower().removeprefix("www.")
    path = re.sub(r"/(index\.html?)?$", "", parts.path)
    return f"{host}{path}"


# -- links between essays --------------------------------------------------------------------

_TITLE_NOISE = frozenset({"return", "to", "main", "page", "the", "home"})


def _title_key(title: str) -> str:
    words = re.findall(r"[a-z0-9]+", fold(title))
    return " ".join(w for w in words if w not in _TITLE_NOISE)


def _essay_addresses(library: Library) -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    """Essays by full address, by address path alone, and by title key."""
    by_url: dict[str, str] = {}
    by_path: dict[str, str] = {}
    by_title: dict[str, str] = {}
    for essay in library.essays:
        url = normal_address(str(essay.meta.get("source_url") or ""))
        if url:
            by_url.setdefault(url, essay.id)
            path = urlsplit("//" + url).path
            if path:
                by_path.setdefault(path, essay.id)
        by_title.setdefault(_title_key(essay.title), essay.id)
    return by_url, by_path, by_title


def _target(
    url: str, title: str, maps: tuple[dict[str, str], dict[str, str], dict[str, str]]
) -> str | None:
    by_url, by_path, by_title = maps
    if url:
        address = normal_address(url)
        if address in by_url:
            return by_url[address]
        path = urlsplit(url).path.rstrip("/")
        if not urlsplit(url).netloc and path in by_path:
            return by_path[path]
        if address:
            return None
    return by_title.get(_title_key(title)) if title else None


def related_targets(library: Library) -> dict[tuple[str, str], str]:
    """(essay, related page) -> the id of the essay in the library that page is.

    A page is matched by its address (a path alone matches an essay's address
    path), or, when it has none (a text capture's footer), by its title.
    """
    maps = _essay_addresses(library)
    found: dict[tuple[str, str], str] = {}
    for essay in library.essays:
        for page in essay.related:
            target = _target(page.url or "", page.title, maps)
            if target is not None and target != essay.id:
                found[(essay.id, page.id)] = target
    return found


def link_targets(library: Library) -> dict[tuple[str, str], str]:
    """(essay, web address in its text) -> the id of the essay in the library at that address."""
    maps = _essay_addresses(library)
    found: dict[tuple[str, str], str] = {}
    for essay in library.essays:
        for link in essay.links:
            if link.href.startswith(("http://", "https://")):
                target = _target(link.href, "", maps)
                if target is not None and target != essay.id:
                    found[(essay.id, link.href)] = target
    return found


def essay_links(library: Library, essay_id: str) -> tuple[dict[str, str], dict[str, str]]:
    """For rendering one essay (``render.render_essay(..., in_library=...)``): its related
    page ids and its web addresses that are essays of the library, with their ids."""
    related = {
        page: target for (doc, page), target in related_targets(library).items() if doc == essay_id
    }
    web = {href: target for (doc, href), target in link_targets(library).items() if doc == essay_id}
    return related, web
