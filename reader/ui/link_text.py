"""Where a link in the text leads, in words: the reading view's tooltip over a link
and the status bar's message while the pointer is on it say the same thing."""

from __future__ import annotations

from PySide6.QtCore import QUrl

from reader.core.content import Essay, Library


def describe_link(url: QUrl, library: Library | None, current: Essay | None) -> str:
    """What following ``url`` does. ``current`` is the essay shown; ``library`` (when
    known) names the sections, figures and pages of the other essays too."""
    scheme, ident = url.scheme(), url.path().strip("/")
    essay = current
    if url.host() and scheme in ("reader", "figure", "related"):
        essay = library.essay(url.host()) if library is not None else None
        if essay is None and current is not None and current.id == url.host():
            essay = current
    if scheme == "" and url.hasFragment():
        scheme, ident = "reader", url.fragment()
    if scheme in ("http", "https", "ftp", "mailto"):
        return f"\u2197 {url.toString()} (on the web: opens in your browser, after asking)"
    if scheme == "reader":
        section = essay.section(ident) if essay is not None and ident else None
        if section is not None:
            return f"Go to section \u2018{section.title}\u2019"
        if essay is not None and not ident:
            return f"Go to \u2018{essay.title}\u2019"
        return "Go to this section"
    if scheme == "figure":
        figure = essay.figure(ident) if essay is not None else None
        return f"Open figure {figure.number}" if figure is not None else "Open the figure"
    if scheme == "related":
        page = essay.related_page(ident) if essay is not None else None
        if page is not None:
            return f"\u2018{page.title}\u2019 is not in your library"
        return "A related page of the source site"
    if scheme == "index":
        return "Show this name in the Index"
    return url.toString()
