"""Related pages and web links in the rendered essay: where each leads, if anywhere.

``related_target`` is the one place that decides whether a related page of the
source site leads anywhere; ``mark_links`` rewrites the rendered HTML so that a
page leading nowhere is marked text saying so (not a dead link), and a link to
the web carries a mark that it leaves the reader.
"""

from __future__ import annotations

import re
from html import escape

from reader.core.model import Essay, RelatedPage

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
