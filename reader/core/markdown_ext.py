"""Python-Markdown extensions that turn an essay into the reader's HTML.

``ReaderExtension`` runs after ``attr_list`` has given headings their explicit
ids and does three things in one pass over the element tree:

* collects the essay's outline: sections (id, title, level, plain text),
  figures and links, for the content model, the search index and ``check``;
* rewrites links and images to the reader's own URL schemes
  (``reader://ESSAY/SECTION``, ``related://ESSAY/PAGE``, ``figure://ESSAY/ID``),
  so the reading view never resolves a path or follows a link by itself;
* replaces ``<figure>`` (which Qt's rich text does not know) by a one-column
  table that keeps the image and its caption together;
* handles the edition's own layer: links the edition added to the author's
  sentences (``[words](#id){.editorial}``) keep the class ``editorial`` or,
  in the original reading or when hidden, become plain text; editor's notes
  (a marker ``[^note-id]`` in the text, the note as a ``[^note-id]: text``
  paragraph at the end of the file) become a numbered marker with the note as
  its tooltip, listed again at the end of their section for print; neither is
  part of the section's text, nor of the original reading.

A postprocessor sets every ``[sic]`` in italics and, in the changes reading,
turns a ``{>>probable<<}`` comment after a correction into a small marker.

It imports no Qt and is tested on plain strings.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from dataclasses import dataclass, field

from markdown import Markdown
from markdown.extensions import Extension
from markdown.inlinepatterns import InlineProcessor
from markdown.postprocessors import Postprocessor
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor

from reader.core import links

HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
_STASH = re.compile("\x02wzxhzdk:\\d+\x03")
#: A backslash-escaped character (``\\*``) as Python-Markdown holds it until its last step.
_ESCAPED = re.compile("\x02(\\d+)\x03")
_SPACE = re.compile(r"\s+")
_CREDIT = re.compile(r"\s*(Source:\s.*)$")

#: The class of a link the edition added to the author's text.
EDITORIAL = "editorial"
#: The class of an editor's note marker in the text.
NOTE_CLASS = "editor-note"
#: An editor's note's definition: ``[^id]: text`` (continued on indented lines).
_NOTE_DEFINITION = re.compile(r"^\[\^([A-Za-z0-9][\w-]*)\]:\s*(.*)$")
_NOTE_MARKER = r"\[\^([A-Za-z0-9][\w-]*)\]"
#: ``[sic]`` outside a tag.
_SIC = re.compile(r"\[sic\](?![^<]*>)")
#: A correction's ``{>>probable<<}`` comment, as pymdownx.critic shows it in view mode.
_PROBABLE = re.compile(r'<span class="critic comment">\s*probable[^<]*</span>')
PROBABLE_TITLE = "Probable correction: likely from the context, not certain"


def _texts(element: etree.Element) -> list[str]:
    """``itertext`` without editor's note markers (their tails are kept)."""
    parts = [element.text or ""]
    for child in element:
        if not _is_note_marker(child):
            parts.extend(_texts(child))
        parts.append(child.tail or "")
    return parts


def _is_note_marker(element: etree.Element) -> bool:
    return (
        element.get("data-note") is not None or NOTE_CLASS in (element.get("class") or "").split()
    )


def plain_text(element: etree.Element) -> str:
    """The visible text of an element, whitespace folded, stash markers and editor's
    note markers removed."""
    text = _ESCAPED.sub(lambda m: chr(int(m.group(1))), _STASH.sub("", "".join(_texts(element))))
    return _SPACE.sub(" ", text).strip()


def split_credit(caption: str) -> tuple[str, str]:
    """Split a caption into its description and a trailing ``Source: ...`` credit."""
    match = _CREDIT.search(caption)
    if not match:
        return caption, ""
    return caption[: match.start()].rstrip(), match.group(1).strip()


@dataclass
class OutlineSection:
    id: str
    title: str
    level: int
    paragraphs: list[str] = field(default_factory=list)


@dataclass
class OutlineFigure:
    id: str
    src: str
    alt: str
    caption: str
    section: str
    #: An addition of this edition (``class: editorial``), not the source's.
    editorial: bool = False


@dataclass
class OutlineLink:
    href: str
    text: str
    section: str
    #: Added by this edition (``{.editorial}``), not the author's.
    editorial: bool = False


@dataclass
class OutlineNote:
    """An editor's note where its marker stands (numbered in reading order)."""

    id: str
    number: int
    text: str
    section: str
    #: The words of the sentence before the marker, for listing the note.
    context: str = ""


@dataclass
class Outline:
    """What one conversion found; reset before each conversion."""

    sections: list[OutlineSection] = field(default_factory=list)
    figures: list[OutlineFigure] = field(default_factory=list)
    links: list[OutlineLink] = field(default_factory=list)
    notes: list[OutlineNote] = field(default_factory=list)
    #: Note markers with no definition, and definitions no marker uses.
    undefined_notes: list[str] = field(default_factory=list)
    unused_notes: list[str] = field(default_factory=list)


def rewrite_href(href: str, essay_id: str) -> str:
    """Map an essay's link target to the reader's URL schemes.

    ``#id`` is a section of the same essay, ``related:ID`` a page of the
    source site listed in related.yaml; ``reader://`` and web addresses stay.
    """
    if href.startswith("#") and len(href) > 1:
        return links.section_link(essay_id, href[1:])
    if href.startswith("related:") and not href.startswith("related://"):
        return links.related_link(essay_id, href.removeprefix("related:"))
    return href


class _ReaderTreeprocessor(Treeprocessor):
    def __init__(self, md: Markdown, extension: ReaderExtension) -> None:
        super().__init__(md)
        self.extension = extension

    def run(self, root: etree.Element) -> None:
        ext = self.extension
        outline = ext.outline
        essay_id = ext.getConfig("essay_id")
        show_links = ext.getConfig("editorial_links") and ext.getConfig("reading") != "original"
        show_notes = ext.getConfig("editor_notes") and ext.getConfig("reading") != "original"
        current: OutlineSection | None = None
        pending: list[OutlineNote] = []  # this section's notes, listed before the next heading
        for child in list(root):
            if child.tag in HEADINGS:
                if pending:
                    root.insert(list(root).index(child), _notes_list(pending))
                    pending = []
                heading_id = child.get("id", "")
                current = OutlineSection(heading_id, plain_text(child), int(child.tag[1]))
                outline.sections.append(current)
                if heading_id:
                    # Qt's rich text finds anchors by <a name>, not by id.
                    anchor = etree.Element("a", {"name": heading_id})
                    anchor.tail, child.text = child.text, None
                    child.insert(0, anchor)
            section_id = current.id if current else ""
            for parent in list(child.iter()):
                for link in list(parent):
                    if link.tag != "a" or link.get("href") is None:
                        continue
                    href = link.get("href", "")
                    editorial = EDITORIAL in (link.get("class") or "").split()
                    outline.links.append(OutlineLink(href, plain_text(link), section_id, editorial))
                    if editorial and not show_links:
                        _unwrap(parent, link)
                    else:
                        link.set("href", rewrite_href(href, essay_id))
            pending += self._notes(child, section_id, show_notes)
            if child.tag == "figure":
                self._figure(root, child, section_id, essay_id)
            elif current is not None and child.tag not in HEADINGS:
                text = plain_text(child)
                if text:
                    current.paragraphs.append(text)
        if pending:
            root.append(_notes_list(pending))
        used = {note.id for note in outline.notes}
        outline.unused_notes = [key for key in ext.note_texts if key not in used]

    def _notes(self, element: etree.Element, section_id: str, show: bool) -> list[OutlineNote]:
        """Number the note markers in ``element``; drop them when notes are not shown."""
        outline = self.extension.outline
        found: list[OutlineNote] = []
        for parent in list(element.iter()):
            for marker in list(parent):
                note_id = marker.get("data-note")
                if note_id is None:
                    continue
                text = self.extension.note_texts.get(note_id)
                if text is None:
                    outline.undefined_notes.append(note_id)
                    _unwrap(parent, marker, keep_content=False)
                    continue
                context = _context_before(element, marker)
                note = OutlineNote(note_id, len(outline.notes) + 1, text, section_id, context)
                outline.notes.append(note)
                if not show:
                    _unwrap(parent, marker, keep_content=False)
                    continue
                found.append(note)
                del marker.attrib["data-note"]
                marker.text = None
                link = etree.SubElement(
                    marker,
                    "a",
                    {
                        "name": f"note-ref-{note_id}",
                        "title": f"Editor's note {note.number}: {text}",
                    },
                )
                link.text = f"[{note.number}]"
        return found

    def _figure(
        self, root: etree.Element, figure: etree.Element, section_id: str, essay_id: str
    ) -> None:
        outline = self.extension.outline
        number = len(outline.figures) + 1
        figure_id = figure.get("id") or f"figure-{number}"
        image = figure.find(".//img")
        caption_el = figure.find("figcaption")
        caption = plain_text(caption_el) if caption_el is not None else ""
        src = image.get("src", "") if image is not None else ""
        alt = image.get("alt", "") if image is not None else ""
        editorial = "editorial" in (figure.get("class") or "").split()
        outline.figures.append(OutlineFigure(figure_id, src, alt, caption, section_id, editorial))
        current = outline.sections[-1] if outline.sections else None
        if current is not None and caption and not editorial:
            # An editorial caption is not the source's text: kept out of the section
            # text (search, mentions, the fidelity test), shown with the figure.
            current.paragraphs.append(caption)

        # Rebuild as a table Qt can lay out: image row, caption row.
        url = links.figure_link(essay_id, figure_id)
        table = etree.Element(
            "table",
            {
                "class": "figure editorial" if editorial else "figure",
                "width": "100%",
                "cellspacing": "0",
                "cellpadding": "0",
            },
        )
        anchor_row = etree.SubElement(etree.SubElement(table, "tr"), "td", {"align": "center"})
        etree.SubElement(anchor_row, "a", {"name": figure_id})
        link = etree.SubElement(anchor_row, "a", {"href": url, "title": "Open in figure viewer"})
        etree.SubElement(link, "img", {"src": url, "alt": alt})
        if caption_el is not None:
            caption_cell = etree.SubElement(
                etree.SubElement(table, "tr"), "td", {"class": "caption"}
            )
            description, credit = split_credit(caption)
            paragraph = etree.SubElement(caption_cell, "p", {"class": "caption"})
            paragraph.text = description
            if credit:
                credit_el = etree.SubElement(caption_cell, "p", {"class": "credit"})
                credit_el.text = credit
        index = list(root).index(figure)
        root.remove(figure)
        table.tail = figure.tail
        root.insert(index, table)


def _unwrap(parent: etree.Element, element: etree.Element, keep_content: bool = True) -> None:
    """Replace ``element`` inside ``parent`` by its content (or by nothing), keeping its tail."""
    index = list(parent).index(element)
    text = (element.text or "") if keep_content else ""
    children = list(element) if keep_content else []
    tail = element.tail or ""
    parent.remove(element)

    def append_text(words: str) -> None:
        if index == 0:
            parent.text = (parent.text or "") + words
        else:
            parent[index - 1].tail = (parent[index - 1].tail or "") + words

    append_text(text)
    for offset, child in enumerate(children):
        parent.insert(index + offset, child)
    if children:
        children[-1].tail = (children[-1].tail or "") + tail
    else:
        append_text(tail)


def _context_before(block: etree.Element, marker: etree.Element) -> str:
    """A few words of the block's text before ``marker`` (for listing the note)."""
    parts: list[str] = []

    def walk(element: etree.Element) -> bool:
        parts.append(element.text or "")
        for child in element:
            if child is marker:
                return True
            if not _is_note_marker(child) and walk(child):
                return True
            parts.append(child.tail or "")
        return False

    walk(block)
    words = _SPACE.sub(" ", _STASH.sub("", "".join(parts))).strip().split(" ")
    return ("\u2026 " if len(words) > 8 else "") + " ".join(words[-8:])


def _notes_list(notes: list[OutlineNote]) -> etree.Element:
    """The notes of one section, for print and export (the markers' tooltips on screen)."""
    box = etree.Element("div", {"class": "editor-notes"})
    head = etree.SubElement(box, "p", {"class": "editor-notes-head"})
    head.text = "Editor\u2019s notes (this edition\u2019s, not the source\u2019s)"
    for note in notes:
        paragraph = etree.SubElement(box, "p", {"class": "editor-note-text"})
        etree.SubElement(
            paragraph, "a", {"name": f"note-{note.id}"}
        ).tail = f"[{note.number}] {note.text}"
    return box


class _NoteDefinitions(Preprocessor):
    """Take ``[^id]: text`` paragraphs out of the text (kept as blank lines, so line
    numbers do not move) into the extension's ``note_texts``."""

    def __init__(self, md: Markdown, extension: ReaderExtension) -> None:
        super().__init__(md)
        self.extension = extension

    def run(self, lines: list[str]) -> list[str]:
        notes = self.extension.note_texts
        out: list[str] = []
        current: str | None = None
        for line in lines:
            match = _NOTE_DEFINITION.match(line)
            if match:
                current = match.group(1)
                notes[current] = match.group(2).strip()
                out.append("")
            elif current is not None and line.startswith((" ", "\t")) and line.strip():
                notes[current] = f"{notes[current]} {line.strip()}".strip()
                out.append("")
            else:
                current = None
                out.append(line)
        return out


class _NoteMarker(InlineProcessor):
    """``[^id]`` in the text: a placeholder the tree processor numbers or drops."""

    def handleMatch(  # type: ignore[override]
        self, m: re.Match[str], data: str
    ) -> tuple[etree.Element, int, int]:
        marker = etree.Element("sup", {"class": NOTE_CLASS, "data-note": m.group(1)})
        return marker, m.start(0), m.end(0)


class _EditionPostprocessor(Postprocessor):
    """``[sic]`` in italics; in the changes reading, a probable correction's comment
    becomes a small marker with its explanation as the tooltip."""

    def run(self, text: str) -> str:
        text = _PROBABLE.sub(f'<sup class="probable" title="{PROBABLE_TITLE}">?</sup>', text)
        return _SIC.sub('<i class="sic">[sic]</i>', text)


class ReaderExtension(Extension):
    """Collect the outline and rewrite links, images and figures for the reader."""

    def __init__(self, **kwargs: object) -> None:
        self.config = {
            "essay_id": ["", "The essay id used in reader:// and figure:// URLs"],
            "reading": ["corrected", "corrected, original or changes"],
            "editorial_links": [True, "Show the links this edition added as links"],
            "editor_notes": [True, "Show the editor's notes (markers and lists)"],
        }
        super().__init__(**kwargs)
        self.outline = Outline()
        self.note_texts: dict[str, str] = {}

    def extendMarkdown(self, md: Markdown) -> None:
        md.registerExtension(self)
        md.preprocessors.register(_NoteDefinitions(md, self), "editor_notes", 27)
        # Before reference links (170) would read "[^id]" as a link label.
        md.inlinePatterns.register(_NoteMarker(_NOTE_MARKER, md), "editor_note", 175)
        # After attr_list (8) gave headings their ids; before inline placeholders matter.
        md.treeprocessors.register(_ReaderTreeprocessor(md, self), "reader", 4)
        # After pymdownx.critic put its marks back (25) and raw HTML (30).
        md.postprocessors.register(_EditionPostprocessor(md), "edition", 5)

    def reset(self) -> None:
        self.outline = Outline()
        self.note_texts = {}


READINGS = {"corrected": "accept", "original": "reject", "changes": "view"}


def make_markdown(
    essay_id: str,
    reading: str = "corrected",
    editorial_links: bool = True,
    editor_notes: bool = True,
) -> tuple[Markdown, ReaderExtension]:
    """A Markdown converter for one essay in one reading of its corrections.

    ``editorial_links=False`` turns the links this edition added into plain text,
    ``editor_notes=False`` leaves the editor's notes out; the original reading
    has neither, whatever the flags say.
    """
    reader_ext = ReaderExtension(
        essay_id=essay_id,
        reading=reading,
        editorial_links=editorial_links,
        editor_notes=editor_notes,
    )
    md = Markdown(
        extensions=[
            "attr_list",
            "pymdownx.critic",
            "pymdownx.blocks.caption",
            reader_ext,
        ],
        extension_configs={
            "pymdownx.critic": {"mode": READINGS[reading]},
            "pymdownx.blocks.caption": {"auto": False},
        },
        output_format="html",
    )
    return md, reader_ext
