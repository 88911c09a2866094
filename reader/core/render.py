"""Render an essay to the HTML the reading view shows (and export writes).

The HTML stays within the subset Qt's rich text supports; ``content.css``
styles it. Images and links use the reader's URL schemes, which the view
resolves itself.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Mapping
from html import escape

from reader.core import links, resources
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



#: Shown on a related page or link whose essay is not in the library.
UNAVAILABLE_TITLE = "Not in your library"


def _related_anchor(essay: Essay, page_id: str, title: str, in_library: Mapping[str, str]) -> str:
    target = in_library.get(page_id)
    if target is not None:
        return f'<a href="{escape(links.section_link(target))}">{escape(title)}</a>'
    href = escape(links.related_link(essay.id, page_id))
    return f'<a class="unavailable" title="{UNAVAILABLE_TITLE}" href="{href}">{escape(title)}</a>'


def link_library(
    essay: Essay, body: str, related: Mapping[str, str], web: Mapping[str, str]
) -> str:
    """The body with links to essays of the library made internal (``reader://ESSAY``)
    and links to related pages that are not in it marked unavailable.

    ``related`` maps this essay's related page ids, ``web`` its web addresses, to the
    essay in the library they are. Works on the body this module made, whose links
    are ``<a href="...">`` or ``<a class="..." href="...">``.
    """
    for page in essay.related:
        old = escape(links.related_link(essay.id, page.id))
        pattern = re.compile(rf'<a(?: class="([^"]*)")? href="{re.escape(old)}"')
        target = related.get(page.id)
        if target is not None:
            new = f'href="{escape(links.section_link(target))}"'
            body = pattern.sub(_replacer("", new), body)
        else:
            new = f'title="{UNAVAILABLE_TITLE}" href="{old}"'
            body = pattern.sub(_replacer("unavailable", new), body)
    for href, target in web.items():
        old = escape(href)
        new = escape(links.section_link(target))
        body = body.replace(f'href="{old}"', f'href="{new}"')
    return body


def _replacer(extra_class: str, rest: str) -> Callable[[re.Match[str]], str]:
    def replace(match: re.Match[str]) -> str:
        return f"<a{_class_attr(match.group(1), extra_class)} {rest}"

    return replace


def _class_attr(existing: str | None, extra: str) -> str:
    classes = " ".join(c for c in [*(existing or "").split(), extra] if c)
    return f' class="{classes}"' if classes else ""


def colophon_html(essay: Essay, in_library: Mapping[str, str] | None = None) -> str:
    """The closing notes: source, dates, credit and the related pages.

    With ``in_library`` (this essay's related page ids -> essays of the library),
    a related page in the library links to that essay and the others are marked
    unavailable; without it, every related page is listed as the source's.
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
        pages = [_related_anchor(essay, p.id, p.title, in_library) for p in essay.related]
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
    in_library: tuple[Mapping[str, str], Mapping[str, str]] | None = None,
) -> str:
    """A complete HTML document for one essay; ``decorate`` may rewrite the body
    (cross-references: link previews, "See also", names as links). The next two
    flags are ``render_body``'s. ``in_library`` is (related page ids, web addresses)
    -> essays of the library (``reader.core.library.essay_links``): those links
    lead to the essays, and related pages not in the library are marked unavailable."""
    kicker = kicker_text(essay, reading)
    header = f'<p class="kicker">{escape(kicker)}</p>' if kicker else ""
    body = render_body(essay, reading, editorial_links, editor_notes)
    if in_library is not None:
        body = link_library(essay, body, *in_library)
    if decorate is not None:
        body = decorate(essay, body)
    return (
        '<html><head><meta charset="utf-8"/>'
        f"<title>{escape(essay.title)}</title><style>{css}</style></head><body>"
        f"{header}{body}{colophon_html(essay, in_library[0] if in_library else None)}"
        "</body></html>"
    )
