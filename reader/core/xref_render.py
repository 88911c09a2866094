"""Cross-references in the rendered essay: link previews, "See also", names as links.

These work on the HTML fragment ``render.render_body`` produces (headings carry
``id``; internal links are ``reader://ESSAY/SECTION``) and on the plain-text
model; they import no Qt and are tested on strings.

* ``add_link_previews``: every internal link gets a ``title`` holding the
  target's title and first lines, which the reading view shows as a tooltip.
* ``insert_see_also``: a "See also" line at the end of a section, from
  ``xref.Index.see_also`` (computed, never hand-listed), only where it adds
  something. The rule: a section's line offers at most three other sections
  that share the most names with it, leaving out the sections just before and
  just after it (reading on or back reaches them), those its own text already
  links to, and those the line before it offered (lines in a row never repeat
  each other); a section left with none gets no line.
* ``link_names``: indexed names become ``index://ENTRY`` links whose tooltip
  is the entry's description (the View menu's "Names as links").
"""

from __future__ import annotations

import re
from html import escape, unescape

from reader.core.links import SECTION_SCHEME, parse_section_link, section_link
from reader.core.model import Essay, Library
from reader.core.xref import Entry, Index, candidates, find_mentions

#: Scheme of the links ``link_names`` makes: ``index://ENTRY-ID``.
INDEX_SCHEME = "index"
PREVIEW_CHARS = 240

_LINK = re.compile(rf'<a\s+([^>]*?)href="({SECTION_SCHEME}://[^"]*)"([^>]*)>')
_HEADING = re.compile(r'<h([1-6])\s[^>]*\bid="([^"]+)"')
_TAG = re.compile(r"(<!--.*?-->|<[^>]+>)", re.DOTALL)


def preview_text(library: Library, document: str, section: str, chars: int = PREVIEW_CHARS) -> str:
    """The first lines of a section, cut at a word, for a link's hover preview."""
    found = library.section(document, section)
    if found is None:
        return ""
    text = " ".join(found.text.split())
    if len(text) <= chars:
        return text
    cut = text[:chars]
    return (cut[: cut.rindex(" ")] if " " in cut else cut) + " \u2026"


def preview_html(library: Library, document: str, section: str) -> str:
    """Tooltip rich text for a link to a section: its title in bold and its first lines."""
    found = library.section(document, section)
    if found is None:
        return ""
    return (
        f"<p style='white-space:normal'><b>{escape(found.title)}</b><br/>"
        f"{escape(preview_text(library, document, section))}</p>"
    )


def add_link_previews(html: str, library: Library) -> str:
    """Give each internal link without a title a preview tooltip of its target."""

    def replace(match: re.Match[str]) -> str:
        before, href, after = match.groups()
        target = parse_section_link(unescape(href))
        if target is None or "title=" in before + after:
            return match.group(0)
        preview = preview_html(library, *target)
        if not preview:
            return match.group(0)
        return f'<a {before}href="{href}"{after} title="{escape(preview, quote=True)}">'

    return _LINK.sub(replace, html)


def see_also_html(library: Library, links: list[tuple[str, str]]) -> str:
    """The "See also" paragraph for a list of (document, section)."""
    items = []
    for document, section in links:
        found = library.section(document, section)
        if found is None:
            continue
        href = escape(section_link(document, section))
        items.append(f'<a href="{href}">{escape(found.title)}</a>')
    if not items:
        return ""
    return f'<p class="see-also"><i>See also:</i> {" · ".join(items)}</p>\n'


def insert_see_also(html: str, essay: Essay, library: Library, index: Index, limit: int = 3) -> str:
    """Put a "See also" line at the end of each section of ``essay`` that has
    something to offer beyond its neighbours and its own links (module docstring).

    A section ends where the next heading of any level starts (a chapter's
    opening text ends before its first subsection) or at the end of the body.
    """
    known = {s.id for s in essay.sections}
    headings = [m for m in _HEADING.finditer(html) if m.group(2) in known]
    if not headings:
        return html
    order = [h.group(2) for h in headings]
    pieces: list[str] = []
    position = 0
    offered: list[tuple[str, str]] = []
    for number, heading in enumerate(headings):
        end = headings[number + 1].start() if number + 1 < len(headings) else len(html)
        text = html[position:end]
        pieces.append(text.rstrip("\n") + "\n")
        nearby = set(order[max(0, number - 1):number + 2])
        linked = {parse_section_link(unescape(m.group(2))) for m in _LINK.finditer(
            html, heading.start(), end)}
        links = [
            (document, section)
            for document, section in index.see_also(essay.id, heading.group(2), limit + 6)
            if not (document == essay.id and section in nearby)
            and (document, section) not in linked and (document, section) not in offered
        ][:limit]
        offered = links
        pieces.append(see_also_html(library, links))
        position = end
    pieces.append(html[position:])
    return "".join(pieces)


def link_names(html: str, entries: list[Entry], document: str = "") -> str:
    """Turn indexed names in the text into ``index://ENTRY`` links with the
    description as tooltip. Text inside links, headings and the HTML
    comment is left alone; only the outer one of nested mentions is linked."""
    by_id = {e.id: e for e in entries}
    by_first = candidates(entries)
    out: list[str] = []
    inside_link = inside_heading = 0
    for piece in _TAG.split(html):
        if piece.startswith("<"):
            tag = piece[1:].split(None, 1)[0].rstrip("/>").lower() if len(piece) > 2 else ""
            if tag == "a" and not piece.endswith("/>"):
                inside_link += 1
            elif tag == "/a":
                inside_link = max(0, inside_link - 1)
            elif re.fullmatch(r"h[1-6]", tag):
                inside_heading += 1
            elif re.fullmatch(r"/h[1-6]", tag):
                inside_heading = max(0, inside_heading - 1)
            out.append(piece)
            continue
        if inside_link or inside_heading or not piece.strip() or piece.lstrip().startswith("!--"):
            out.append(piece)
            continue
        text = unescape(piece)
        mentions = [
            m for m in find_mentions(entries, document, "", text, by_first) if not m.nested
        ]
        position = 0
        chunk: list[str] = []
        for mention in mentions:
            entry = by_id[mention.entry]
            chunk.append(escape(text[position : mention.start], quote=False))
            chunk.append(
                f'<a class="name" href="{INDEX_SCHEME}://{escape(entry.id)}" '
                f'title="{escape(f"{entry.name}: {entry.description}", quote=True)}">'
                f"{escape(mention.text, quote=False)}</a>"
            )
            position = mention.end
        chunk.append(escape(text[position:], quote=False))
        out.append("".join(chunk) if mentions else piece)
    return "".join(out)


def decorate(
    html: str, essay: Essay, library: Library, index: Index | None, names: bool = False
) -> str:
    """All cross-reference decorations of one essay's body HTML."""
    if index is not None:
        if names:
            html = link_names(html, index.entries, essay.id)
        html = insert_see_also(html, essay, library, index)
    return add_link_previews(html, library)
