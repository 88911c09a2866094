"""Related pages and web links in the rendered essay: where each leads, if anywhere.

This is the one place that decides. ``essay_links`` finds which related pages and
web addresses of an essay are essays of the library (matched by address, or by
title for a text capture); ``related_target`` says where a related page leads
(that essay, else the web address recorded for it, else nowhere); and
``link_html`` (for a link in the essay's text) and ``related_html`` (for a related
page, in the text or in the closing list) write the result: a ``reader://`` link
to the essay, a link to the web marked as leaving the reader, or, for a page the
reader cannot show, text marked as not in the library (no dead link). The
renderer (``render.render_essay``) calls them once for every link.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from html import escape, unescape
from typing import NamedTuple
from urllib.parse import urlsplit

from reader.core import links as addresses
from reader.core.memo import per_object
from reader.core.model import Essay, Library, RelatedPage
from reader.core.text import fold

#: Marks a link that leaves the reader for the web.
EXTERNAL_MARK = "\u2197"
#: The start of the hover text of a related page the reader cannot show.
UNAVAILABLE = "Not in your library"

_ATTRIBUTE = re.compile(r'\b(class|href)="([^"]*)"')
_NAME = re.compile(r'\s(?:id|name)="[^"]*"')
_WEB = ("http://", "https://", "mailto:")


class EssayLinks(NamedTuple):
    """One essay's related page ids and web addresses that are essays of the library,
    with those essays' ids (``essay_links``)."""

    related: Mapping[str, str] = {}
    web: Mapping[str, str] = {}


def related_target(essay: Essay, page: RelatedPage, found: EssayLinks | None = None) -> str | None:
    """Where a related page of ``essay`` leads, or None when the reader cannot show it:
    the essay of the library it is (a ``reader://`` address; ``found`` says which,
    from ``essay_links``), else the web address recorded for it."""
    target = found.related.get(page.id) if found is not None else None
    if target is not None and target != essay.id:
        return addresses.section_link(target)
    return page.url or None


def related_html(
    essay: Essay, page: RelatedPage, text: str, found: EssayLinks | None = None, classes: str = ""
) -> str:
    """A related page as HTML (``text`` is HTML): a link to the essay of the library it
    is; else marked as not in the library, with a link to its web address when one was
    recorded, or as text that says so (no dead link)."""
    target = related_target(essay, page, found)
    if target is None:
        note = (f"{UNAVAILABLE}: \u201c{page.title}\u201d is a page of the source site, "
                "not part of this offline edition.")
        return f'<span{_class_attr(classes, "unavailable")} title="{escape(note)}">{text}</span>'
    if target.startswith(_WEB):
        link = (f'<a class="external" href="{escape(target)}" title="{escape(target)}">')
        return (f'<span{_class_attr(classes, "unavailable")} title="{UNAVAILABLE}">'
                f"{_web_link(link, text)}</span>")
    return f'<a{_class_attr(classes)} href="{escape(target)}">{text}</a>'


def link_html(essay: Essay, tag: str, text: str, found: EssayLinks) -> str:
    """One link of the essay's text (``tag`` its opening tag, ``text`` its HTML) as the
    reader shows it: a related page as ``related_html`` writes it, a web address that
    is an essay of the library as a link to it, another web address marked as leaving
    the reader; any other link stays as it is."""
    attributes = dict(_ATTRIBUTE.findall(tag))
    href = unescape(attributes.get("href", ""))
    classes = unescape(attributes.get("class", ""))
    target = addresses.parse(href)
    if target is not None and target.scheme == addresses.RELATED_SCHEME:
        page = essay.related_page(target.item) if target.document == essay.id else None
        return f"{tag}{text}</a>" if page is None else related_html(
            essay, page, text, found, classes)
    if href in found.web and found.web[href] != essay.id:
        old, new = escape(href), escape(addresses.section_link(found.web[href]))
        return tag.replace(f'href="{old}"', f'href="{new}"') + f"{text}</a>"
    if href.startswith(_WEB):
        return _web_link(tag, text)
    return f"{tag}{text}</a>"


def _web_link(tag: str, text: str) -> str:
    """A link to the web, marked: the mark is a link of its own in the same tag (less any
    anchor name), so the link's words stay as written and the view shows one link."""
    mark = _NAME.sub("", tag)
    return f"{tag}{text}</a>{mark}\u202f{EXTERNAL_MARK}</a>"


def _class_attr(existing: str, extra: str = "") -> str:
    names = " ".join(c for c in [*existing.split(), extra] if c)
    return f' class="{escape(names)}"' if names else ""


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


@per_object
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


@per_object
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


@per_object
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


def essay_links(library: Library, essay_id: str) -> EssayLinks:
    """For rendering one essay (``render.render_essay(..., in_library=...)``): its related
    page ids and its web addresses that are essays of the library, with their ids."""
    return _links_by_essay(library).get(essay_id, EssayLinks())


@per_object
def _links_by_essay(library: Library) -> dict[str, EssayLinks]:
    """``essay_links`` for every essay at once (asked at every rendering)."""
    related: dict[str, dict[str, str]] = {}
    web: dict[str, dict[str, str]] = {}
    for (doc, page), target in related_targets(library).items():
        related.setdefault(doc, {})[page] = target
    for (doc, href), target in link_targets(library).items():
        web.setdefault(doc, {})[href] = target
    return {doc: EssayLinks(related.get(doc, {}), web.get(doc, {}))
            for doc in related.keys() | web.keys()}
