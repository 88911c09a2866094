"""The essay as one HTML file for printing or sharing, in a chosen reading (no Qt).

``export_html`` writes a self-contained file: the figures are embedded as data
URLs, links between sections become in-page anchors, and the related pages of
the source site link to their address when one was recorded (plain text
otherwise). ``essay_html`` gives the same document (or one section of it) with
the reader's own ``figure://`` URLs kept, for the Qt print and PDF path, which
resolves them itself.

The exported file carries only what the reader itself renders: the body is
cleaned by ``nh3`` (the Ammonia sanitiser) to an allow-list of the tags and
attributes our renderer emits. Scripts, frames, event attributes, forms and
stylesheets in the content are dropped; links keep only ``http``, ``https``,
``mailto`` and in-page ``#`` addresses; images only embedded ``data:`` images
and files inside the essay's folder. The file is written atomically and only
ever replaces a regular file.
"""

from __future__ import annotations

import base64
import os
import re
from html import escape, unescape
from pathlib import Path

from reader.core import atomic, images, links, resources, safefile
from reader.core.model import Essay, Library
from reader.core.readings import READING_LABELS, check_reading
from reader.core.related import related_target
from reader.core.render import colophon_html, render_body

EXPORT_SUFFIXES = (".html", ".htm", ".pdf")
_HEADING = re.compile(r'<h([1-6]) id="([^"]+)"')
_SECTION_HREF = re.compile(rf'href="({links.SECTION_SCHEME}://[^"]*)"')
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_IMAGE_TYPES = {".svg": "image/svg+xml", ".png": "image/png", ".jpg": "image/jpeg"}
_IMAGE_TYPES[".jpeg"] = "image/jpeg"
READING_NOTES = {
    "corrected": "Corrected reading: the source's obvious typing errors are corrected; "
    "[sic] marks words whose intended form is uncertain.",
    "original": "Original reading: the text exactly as the source published it, "
    "typing errors included.",
    "changes": "Showing corrections: the source's words struck through, "
    "the corrections underlined.",
}


#: The tags and attributes the reader's renderer emits; nothing else is exported.
ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "dd", "del", "div",
    "dl", "dt", "em", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "li",
    "mark", "ol", "p", "pre", "s", "small", "span", "strong", "sub", "sup", "table",
    "tbody", "td", "tfoot", "th", "thead", "tr", "u", "ul",
}
ALLOWED_ATTRIBUTES = {
    "*": {"class", "id", "title", "lang"},
    "a": {"href", "name"},
    "img": {"src", "alt", "width", "height"},
    "table": {"width", "cellspacing", "cellpadding"},
    "td": {"align", "colspan", "rowspan"},
    "th": {"align", "colspan", "rowspan"},
}
_LINK_SCHEMES = ("http:", "https:", "mailto:", "#")


class Error(Exception):
    """The essay cannot be exported as asked (unknown section, unwritable file...)."""


def section_fragment(body: str, section_id: str) -> str:
    """The part of ``body`` from a section's heading up to the next heading at its level."""
    headings = list(_HEADING.finditer(body))
    for index, match in enumerate(headings):
        if match.group(2) != section_id:
            continue
        level = int(match.group(1))
        end = len(body)
        for later in headings[index + 1 :]:
            if int(later.group(1)) <= level:
                end = later.start()
                break
        return body[match.start() : end]
    raise Error(f"no section {section_id!r} in the rendered essay")


def essay_html(essay: Essay, css: str, reading: str = "corrected", section: str = "") -> str:
    """A complete HTML document of the essay, or of one section (with its subsections)."""
    check_reading(reading)
    body = render_body(essay, reading)
    if section:
        if essay.section(section) is None:
            raise Error(f"no section {section!r} in {essay.id!r}")
        body = section_fragment(body, section)
        top = essay.section(section)
        heading = f'<p class="kicker">{escape(essay.title)}</p>'
        if top is not None and top.level == 1:
            heading = ""
        colophon = ""
    else:
        kicker = essay.meta.get("kicker")
        heading = f'<p class="kicker">{escape(str(kicker))}</p>' if kicker else ""
        colophon = colophon_html(essay)
    note = f'<p class="credit">{escape(READING_NOTES[reading])}</p>'
    return (
        '<html><head><meta charset="utf-8"/>'
        f"<title>{escape(essay.title)}</title><style>{css}</style></head><body>"
        f"{heading}{body}{colophon}{note}</body></html>"
    )


def _data_url(path: Path, folder: Path) -> str | None:
    """The image as a ``data:`` URL, if it is a figure file inside the essay's folder."""
    kind = _IMAGE_TYPES.get(path.suffix.lower())
    inside = resources.resolve_inside(folder, os.path.relpath(path, folder))
    if kind is None or inside is None or images.image_problem(inside) is not None:
        return None
    try:
        data = base64.b64encode(safefile.read_regular(inside, images.MAX_FILE_BYTES))
    except OSError:
        return None
    return f"data:{kind};base64,{data.decode('ascii')}"


def sanitize(fragment: str, folder: Path) -> str:
    """``fragment`` with only the reader's own tags and attributes, safe links and
    images that are embedded or inside ``folder``."""
    import nh3

    def keep(tag: str, attribute: str, value: str) -> str | None:
        if attribute == "href":
            return value if value.strip().lower().startswith(_LINK_SCHEMES) else None
        if attribute == "src":
            if resources.is_embedded(value):
                return value
            return value if resources.resolve_inside(folder, value) is not None else None
        return value

    return nh3.clean(
        fragment,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto", "data"},
        attribute_filter=keep,
        link_rel=None,
        strip_comments=True,
    )


def _in_page(match: re.Match[str], essay_id: str) -> str:
    """A link to a section of this essay as an in-page anchor; others stay."""
    target = links.parse_section_link(unescape(match.group(1)))
    if target is None or target[0] != essay_id or not target[1]:
        return match.group(0)
    return f'href="#{escape(target[1])}"'


def standalone_html(essay: Essay, css: str, reading: str = "corrected") -> str:
    """The essay as HTML a web browser shows without the reader: no private URL schemes."""
    html = essay_html(essay, css, reading)
    for figure in essay.figures:
        url = escape(links.figure_link(essay.id, figure.id))
        data = _data_url(figure.path, essay.folder)
        html = html.replace(f'src="{url}"', f'src="{data}"' if data else 'src=""')
        html = html.replace(f'href="{url}"', f'href="#{figure.id}"')
    html = _SECTION_HREF.sub(lambda m: _in_page(m, essay.id), html)
    html = _COMMENT.sub("", html)  # the editor's notes to themselves stay in the source
    for page in essay.related:  # no library here: to the web address, if one was recorded
        url = escape(links.related_link(essay.id, page.id))
        target = related_target(essay, page)
        if target:
            html = html.replace(f'href="{url}"', f'href="{escape(target)}"')
        else:  # a page of the source site whose address was not recorded: plain text
            html = re.sub(
                f'<a href="{re.escape(url)}"[^>]*>(.*?)</a>',
                r'<span title="not available offline">\1</span>',
                html,
            )
    html = re.sub(
        r"(<body[^>]*>)(.*)(</body>)",
        lambda m: m.group(1) + sanitize(m.group(2), essay.folder) + m.group(3),
        html,
        count=1,
        flags=re.DOTALL,
    )
    # The browser needs the id (Qt needed <a name>): headings already carry both.
    html = html.replace(
        "<body>",
        f'<body lang="en" style="max-width: 46em; margin: 2em auto; padding: 0 1em;">'
        f'<p class="credit">{escape(READING_LABELS[reading])} reading · exported by '
        "Reference Reader</p>",
        1,
    )
    return html


def export_html(library: Library, path: Path, css: str, reading: str = "corrected") -> int:
    """Write every essay of the library (normally one) to ``path``; returns bytes written."""
    if not library.essays:
        raise Error("the library has no essays to export")
    parts = [standalone_html(essay, css, reading) for essay in library.essays]
    if len(parts) > 1:
        # One document: the first essay's head, every essay's body in turn.
        bodies = [re.search(r"<body[^>]*>(.*)</body>", p, re.DOTALL) for p in parts]
        joined = "<hr/>".join(m.group(1) for m in bodies if m)
        html = re.sub(
            r"<body([^>]*)>.*</body>",
            lambda m: f"<body{m.group(1)}>{joined}</body>",
            parts[0],
            count=1,
            flags=re.DOTALL,
        )
    else:
        html = parts[0]
    data = ("<!DOCTYPE html>\n" + html).encode("utf-8")
    try:
        atomic.write_bytes(path, data)
    except OSError as exc:
        raise Error(f"cannot write {path}: {atomic.reason(exc)}") from exc
    return len(data)
