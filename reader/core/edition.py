"""About This Edition: the editorial policy and everything the edition did, as HTML (no Qt).

``about_edition_html(essay)`` builds the page from the essay itself, so it cannot
go stale: the policy is the rules comment at the top of ``essay.md`` (the one
place it is written), introduced by ``edition.md`` from the essay's folder when
there is one; the corrections come from the CriticMarkup marks (probable ones
carry a ``{>>probable<<}`` comment; words left as written carry ``[sic]``); the
added links and the editor's notes come from one conversion of the essay.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from html import escape

from reader.core import readings
from reader.core.content import Essay

EDITION_FILE = "edition.md"
#: The comment in essay.md that holds the edition's rules.
_RULES = re.compile(r"<!--\s*THE EDITION'S RULES(.*?)-->", re.DOTALL)
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)(\{[^}]*\})?")
_NOTE = re.compile(r"\[\^[\w-]+\]")
_SIC = " [sic]"


@dataclass(frozen=True)
class Mark:
    """One correction or [sic] where it stands: section id, a few words before, the
    source's words and the edition's."""

    section: str
    before: str
    old: str
    new: str


def _before(markdown: str, offset: int, words: int = 5) -> str:
    """The last few words of the corrected text before ``offset`` on its line."""
    start = markdown.rfind("\n", 0, offset) + 1
    text = readings.accept_markup(markdown[start:offset]).lstrip("#")
    text = _NOTE.sub("", _LINK.sub(lambda m: m.group(1), text))
    found = text.split()
    return " ".join(found[-words:])


def marks(essay: Essay) -> tuple[list[Mark], list[Mark], list[Mark]]:
    """(certain corrections, probable corrections, words kept with [sic]), in order."""
    markdown = essay.markdown
    probable_at = {offset for offset, _, _ in readings.probable_corrections(markdown)}
    certain: list[Mark] = []
    probable: list[Mark] = []
    sic: list[Mark] = []
    for offset, old, new in readings.marked_corrections(markdown):
        mark = Mark(readings.section_at(essay, offset), _before(markdown, offset), old, new)
        if new == _SIC and not old:
            sic.append(mark)
        elif offset in probable_at:
            probable.append(mark)
        else:
            certain.append(mark)
    return certain, probable, sic


def policy_markdown(essay: Essay) -> str:
    """The rules comment of essay.md, as Markdown ('' if the essay has none)."""
    match = _RULES.search(essay.markdown)
    if not match:
        return ""
    return match.group(1).lstrip(".: ")


def _markdown_html(text: str) -> str:
    from markdown import markdown  # costly import, only when the page is asked for

    return markdown(text, output_format="html")


def about_edition_html(essay: Essay) -> str:
    """The About This Edition page of one essay, as an HTML fragment for a rich-text view."""
    from reader.core.markdown_ext import make_markdown

    md, ext = make_markdown(essay.id, "corrected")
    md.convert(essay.markdown)
    titles = {section.id: section.title for section in essay.sections}
    related = {page.id: page.title for page in essay.related}

    def where(section: str) -> str:
        return escape(titles.get(section, section) or essay.title)

    parts = [f"<h1>About This Edition</h1><p><i>{escape(essay.title)}</i></p>"]
    intro = essay.folder / EDITION_FILE
    if intro.is_file():
        parts.append(_markdown_html(intro.read_text(encoding="utf-8")))
    policy = policy_markdown(essay)
    if policy:
        parts.append("<h2>Editorial policy</h2>")
        parts.append(_markdown_html(policy))

    certain, probable, sic = marks(essay)
    parts.append(f"<h2>Probable corrections ({len(probable)})</h2>")
    parts.append(
        "<p>Made because the context makes them likely; the letters do not prove them.</p>"
    )
    parts.append(_mark_list(probable, where))
    parts.append(f"<h2>Words left as written, marked [sic] ({len(sic)})</h2>")
    parts.append(_mark_list(sic, where))
    parts.append(f"<h2>Certain corrections ({len(certain)})</h2>")
    parts.append(_mark_list(certain, where))

    links = [link for link in ext.outline.links if link.editorial]
    parts.append(f"<h2>Links added by this edition ({len(links)})</h2>")
    parts.append(
        "<p>The source's text has no working links; these were added to the author's "
        "sentences by this edition. The reader shows them in their own style and can "
        "hide them; the original reading never has them.</p><ul>"
    )
    for link in links:
        if link.href.startswith("#"):
            target = f"section \u201c{escape(titles.get(link.href[1:], link.href[1:]))}\u201d"
        elif link.href.startswith("related:"):
            page = link.href.removeprefix("related:")
            target = f"the source site's page \u201c{escape(related.get(page, page))}\u201d"
        else:
            target = escape(link.href)
        parts.append(
            f"<li>\u201c{escape(link.text)}\u201d ({where(link.section)}) \u2192 {target}</li>"
        )
    parts.append("</ul>")

    notes = ext.outline.notes
    parts.append(f"<h2>Editor\u2019s notes ({len(notes)})</h2><ol>")
    for note in notes:
        parts.append(
            f"<li><b>{where(note.section)}</b>, at \u201c{escape(note.context)}\u201d: "
            f"{escape(note.text)}</li>"
        )
    parts.append("</ol>")
    return "".join(parts)


def _mark_list(found: list[Mark], where: Callable[[str], str]) -> str:
    if not found:
        return "<p>None.</p>"
    items = []
    for mark in found:
        old = escape(mark.old.strip()) or "(nothing)"
        new = escape(mark.new.strip()) or "(nothing)"
        change = f"<i>{old}</i> \u2192 {new}" if mark.new != _SIC else f"{new}"
        items.append(f"<li>{where(mark.section)}: \u2026{escape(mark.before)} {change}</li>")
    return "<ul>" + "".join(items) + "</ul>"
