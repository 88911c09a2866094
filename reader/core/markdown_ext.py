"""Python-Markdown extensions that turn an essay into the reader's HTML.

``ReaderExtension`` runs after ``attr_list`` has given headings their explicit
ids and does three things in one pass over the element tree:

* collects the essay's outline: sections (id, title, level, plain text),
  figures and links, for the content model, the search index and ``check``;
* rewrites links and images to the reader's own URL schemes
  (``reader://ESSAY/SECTION``, ``related://ESSAY/PAGE``, ``figure://ESSAY/ID``),
  so the reading view never resolves a path or follows a link by itself;
* replaces ``<figure>`` (which Qt's rich text does not know) by a one-column
  table that keeps the image and its caption together.

It imports no Qt and is tested on plain strings.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from dataclasses import dataclass, field

from markdown import Markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

from reader.core import links

HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
_STASH = re.compile("\x02wzxhzdk:\\d+\x03")
_SPACE = re.compile(r"\s+")
_CREDIT = re.compile(r"\s*(Source:\s.*)$")


def plain_text(element: etree.Element) -> str:
    """The visible text of an element, whitespace folded, stash markers removed."""
    return _SPACE.sub(" ", _STASH.sub("", "".join(element.itertext()))).strip()


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


@dataclass
class Outline:
    """What one conversion found; reset before each conversion."""

    sections: list[OutlineSection] = field(default_factory=list)
    figures: list[OutlineFigure] = field(default_factory=list)
    links: list[OutlineLink] = field(default_factory=list)


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
        current: OutlineSection | None = None
        for child in list(root):
            if child.tag in HEADINGS:
                heading_id = child.get("id", "")
                current = OutlineSection(heading_id, plain_text(child), int(child.tag[1]))
                outline.sections.append(current)
                if heading_id:
                    # Qt's rich text finds anchors by <a name>, not by id.
                    anchor = etree.Element("a", {"name": heading_id})
                    anchor.tail, child.text = child.text, None
                    child.insert(0, anchor)
            section_id = current.id if current else ""
            for link in child.iter("a"):
                href = link.get("href")
                if href is None:
                    continue
                outline.links.append(OutlineLink(href, plain_text(link), section_id))
                link.set("href", rewrite_href(href, essay_id))
            if child.tag == "figure":
                self._figure(root, child, section_id, essay_id)
            elif current is not None and child.tag not in HEADINGS:
                text = plain_text(child)
                if text:
                    current.paragraphs.append(text)

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
        outline.figures.append(
            OutlineFigure(figure_id, src, alt, caption, section_id, editorial)
        )
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


class ReaderExtension(Extension):
    """Collect the outline and rewrite links, images and figures for the reader."""

    def __init__(self, **kwargs: object) -> None:
        self.config = {"essay_id": ["", "The essay id used in reader:// and figure:// URLs"]}
        super().__init__(**kwargs)
        self.outline = Outline()

    def extendMarkdown(self, md: Markdown) -> None:
        md.registerExtension(self)
        # After attr_list (8) gave headings their ids; before inline placeholders matter.
        md.treeprocessors.register(_ReaderTreeprocessor(md, self), "reader", 4)

    def reset(self) -> None:
        self.outline = Outline()


READINGS = {"corrected": "accept", "original": "reject", "changes": "view"}


def make_markdown(essay_id: str, reading: str = "corrected") -> tuple[Markdown, ReaderExtension]:
    """A Markdown converter for one essay in one reading of its corrections."""
    reader_ext = ReaderExtension(essay_id=essay_id)
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
