"""Render an essay to the HTML the reading view shows (and export writes).

The HTML stays within the subset Qt's rich text supports; ``content.css``
styles it. Images and links use the reader's URL schemes, which the view
resolves itself.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from html import escape

from reader.core import links, related, resources
from reader.core.model import Essay


def display_date(value: object) -> str:
    """A front-matter date as people write it: "10 January 2009, 1:17 AM" (or just the
    day when no time is given); anything that is not a date is shown as written."""
    if not value:
        return ""
    if isinstance(value, datetime.datetime | datetime.date):
        moment: datetime.date = value
    else:
        try:
            moment = datetime.datetime.fromisoformat(str(value).strip())
        except ValueError:
            return str(value)
        if len(str(value).strip()) == 10:  # a day without a time
            moment = moment.date()
    day = f"{moment.day} {moment:%B %Y}"
    if isinstance(moment, datetime.datetime):
        hour = moment.hour % 12 or 12
        return f"{day}, {hour}:{moment:%M} {'AM' if moment.hour < 12 else 'PM'}"
    return day



#: Shown on a related page whose essay is not in the library.
UNAVAILABLE_TITLE = related.UNAVAILABLE
_ANCHOR = re.compile(r"(<a\b[^>]*>)(.*?)</a>", re.DOTALL)


def link_library(essay: Essay, body: str, found: related.EssayLinks) -> str:
    """The body with every link as the reader shows it: ``related.link_html`` decides
    where each leads (an essay of the library, the web, or nowhere)."""
    return _ANCHOR.sub(lambda m: related.link_html(essay, m.group(1), m.group(2), found), body)


def colophon_html(essay: Essay, in_library: related.EssayLinks | None = None) -> str:
    """The closing notes: source, dates, credit and the related pages.

    With ``in_library`` (``related.essay_links``), each related page is shown as
    ``related.related_html`` decides; without it, every related page is listed as
    the source's (the export decides what becomes of them).
    """
    meta = essay.meta
    parts = ['<div class="colophon">', "<h4>About this edition</h4>"]
    site = meta.get("site")
    if site:
        section = meta.get("site_section")
        where = f"{escape(str(site))}" + (f", {escape(str(section))}" if section else "")
        parts.append(f"<p>Source: {where}.</p>")
    dates = [
        f"{label} {display_date(meta.get(key))}"
        for key, label in (("created", "Created"), ("updated", "Last updated"))
        if meta.get(key)
    ]
    if dates:
        parts.append(f"<p>{escape('; '.join(dates))}.</p>")
    for key in ("credit", "edition"):
        if meta.get(key):
            parts.append(f"<p>{escape(str(meta[key]))}</p>")
    if essay.related and in_library is not None:
        parts.append("<h4>Related pages</h4><p>")
        pages = [related.related_html(essay, p, escape(p.title), in_library)
                 for p in essay.related]
        parts.append(" · ".join(pages))
        parts.append("</p>")
    elif essay.related:
        parts.append("<h4>Related pages on the source site (not available offline)</h4><p>")
        pages = [
            f'<a href="{escape(links.related_link(essay.id, page.id))}">{escape(page.title)}</a>'
            for page in essay.related
        ]
        parts.append(" · ".join(pages))
        parts.append("</p>")
    parts.append("</div>")
    return "".join(parts)


def kicker_text(essay: Essay, reading: str = "corrected") -> str:
    """The line above the title. The source marks it with asterisks, a typewriter's
    way of setting it apart: the style sheet does that here, so only the original
    reading keeps them."""
    kicker = str(essay.meta.get("kicker") or "")
    return kicker if reading == "original" else kicker.lstrip("*").strip()


def render_body(
    essay: Essay,
    reading: str = "corrected",
    editorial_links: bool = True,
    editor_notes: bool = True,
) -> str:
    """The essay's Markdown as an HTML fragment, in one reading of its corrections.

    ``editorial_links=False`` shows the links this edition added to the author's
    sentences as plain text; ``editor_notes=False`` leaves out the editor's notes.
    The original reading has neither in any case.
    """
    if reading == "corrected" and essay.body_html and editorial_links and editor_notes:
        body = essay.body_html
    else:
        from reader.core.markdown_ext import make_markdown  # costly import, only when needed

        md, _ = make_markdown(essay.id, reading, editorial_links, editor_notes)
        body = md.convert(essay.markdown)
    # An image the essay names outside its own folder is never loaded (``check``
    # reports it); the reader's figure:// images are resolved by the view.
    return resources.drop_outside_images(body, essay.folder, (f"{links.FIGURE_SCHEME}:",))


def render_essay(
    essay: Essay,
    css: str = "",
    reading: str = "corrected",
    decorate: Callable[[Essay, str], str] | None = None,
    editorial_links: bool = True,
    editor_notes: bool = True,
    in_library: related.EssayLinks | None = None,
) -> str:
    """A complete HTML document for one essay; ``decorate`` may rewrite the body
    (cross-references: link previews, "See also", names as links). The next two
    flags are ``render_body``'s. ``in_library`` is which related pages and web
    addresses are essays of the library (``reader.core.library.essay_links``): with
    it, every link is shown as ``reader.core.related`` decides (``link_library``)."""
    kicker = kicker_text(essay, reading)
    header = f'<p class="kicker">{escape(kicker)}</p>' if kicker else ""
    body = render_body(essay, reading, editorial_links, editor_notes)
    if decorate is not None:
        body = decorate(essay, body)
    if in_library is not None:  # after the decorations, which leave links alone
        body = link_library(essay, body, in_library)
    return (
        '<html><head><meta charset="utf-8"/>'
        f"<title>{escape(essay.title)}</title><style>{css}</style></head><body>"
        f"{header}{body}{colophon_html(essay, in_library)}"
        "</body></html>"
    )
