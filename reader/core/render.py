"""Render an essay to the HTML the reading view shows (and export writes).

The HTML stays within the subset Qt's rich text supports; ``content.css``
styles it. Images and links use the reader's URL schemes, which the view
resolves itself.
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape

from reader.core import links
from reader.core.model import Essay


def _date(value: object) -> str:
    return str(value) if value else ""


def colophon_html(essay: Essay) -> str:
    """The closing notes: source, dates, credit and the related pages."""
    meta = essay.meta
    parts = ['<div class="colophon">', "<h4>About this edition</h4>"]
    site = meta.get("site")
    if site:
        section = meta.get("site_section")
        where = f"{escape(str(site))}" + (f", {escape(str(section))}" if section else "")
        parts.append(f"<p>Source: {where}.</p>")
    dates = [
        f"{label} {_date(meta.get(key))}"
        for key, label in (("created", "Created"), ("updated", "Last updated"))
        if meta.get(key)
    ]
    if dates:
        parts.append(f"<p>{escape('; '.join(dates))}.</p>")
    for key in ("credit", "edition"):
        if meta.get(key):
            parts.append(f"<p>{escape(str(meta[key]))}</p>")
    if essay.related:
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
        return essay.body_html
    from reader.core.markdown_ext import make_markdown  # costly import, only when needed

    md, _ = make_markdown(essay.id, reading, editorial_links, editor_notes)
    return md.convert(essay.markdown)


def render_essay(
    essay: Essay,
    css: str = "",
    reading: str = "corrected",
    decorate: Callable[[Essay, str], str] | None = None,
    editorial_links: bool = True,
    editor_notes: bool = True,
) -> str:
    """A complete HTML document for one essay; ``decorate`` may rewrite the body
    (cross-references: link previews, "See also", names as links). The last two
    flags are ``render_body``'s."""
    kicker = kicker_text(essay, reading)
    header = f'<p class="kicker">{escape(kicker)}</p>' if kicker else ""
    body = render_body(essay, reading, editorial_links, editor_notes)
    if decorate is not None:
        body = decorate(essay, body)
    return (
        '<html><head><meta charset="utf-8"/>'
        f"<title>{escape(essay.title)}</title><style>{css}</style></head><body>"
        f"{header}{body}{colophon_html(essay)}</body></html>"
    )
