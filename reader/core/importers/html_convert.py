"""HTML (parsed with Beautiful Soup) to a draft's blocks: headings, Markdown paragraphs, figures.

Written here rather than with a general HTML-to-Markdown converter because
the edition needs more than Markdown: headings become sections with ids the
writer gives them, images become numbered figures (with their caption, and a
stand-in plate when the picture is not available), internal links must point
at those sections, and every piece of text must be escaped so that the
edition's own Markdown marks (corrections, notes, attributes) never appear by
accident. Used for HTML pages and for EPUB chapters.

What a page carries besides its article (navigation, scripts, forms, footers)
is removed before conversion; ``main_content`` picks the article.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from bs4 import BeautifulSoup, Comment, NavigableString, Tag

from reader.core.importers.draft import (
    Block,
    DraftFigure,
    Heading,
    Paragraph,
    anchor_key,
    anchor_link,
    escape,
)

#: Never part of an article.
_DROP_TAGS = (
    "script", "style", "noscript", "template", "iframe", "object", "embed", "form",
    "button", "input", "select", "textarea", "nav", "aside", "header", "footer",
    "canvas", "svg", "video", "audio", "map", "link", "meta", "head",
)  # fmt: skip
#: Class or id words of navigation and boilerplate.
_BOILERPLATE = re.compile(
    r"(^|[\s_-])(nav|navbar|navigation|menu|breadcrumbs?|sidebar|footer|header|masthead|"
    r"share|social|cookie|banner|advert|ads?|comments?|related|subscribe|skip)([\s_-]|$)",
    re.I,
)
_BLOCK_TAGS = {
    "p", "div", "section", "article", "main", "ul", "ol", "li", "blockquote", "pre", "table",
    "tr", "td", "th", "tbody", "thead", "tfoot", "figure", "figcaption", "dl", "dt", "dd",
    "h1", "h2", "h3", "h4", "h5", "h6", "hr", "center", "address", "body", "html", "font",
}  # fmt: skip
_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
_FIGURE_CAPTION = re.compile(r"^\s*Figure\s+\d+\s*\.?\s*-")
_SPACE = re.compile(r"\s+")

#: (src) -> (picture bytes, suffix) or (None, why it is missing).
Pictures = Callable[[str], tuple[bytes | None, str]]
#: (href) -> an address to keep, "#name" for a place in the same text, or None (text only).
Links = Callable[[str], str | None]


def clean(soup: BeautifulSoup | Tag) -> None:
    """Remove scripts, styles, forms, navigation, comments and boilerplate in place."""
    for comment in soup.find_all(string=lambda s: isinstance(s, Comment)):
        comment.extract()
    for tag in soup.find_all(_DROP_TAGS):
        tag.decompose()
    for tag in soup.find_all(True):
        if tag.decomposed or not isinstance(tag, Tag) or tag.attrs is None:
            continue
        words = " ".join([*tag.get_attribute_list("class"), str(tag.get("id") or "")])
        role = str(tag.get("role") or "")
        if role in ("navigation", "banner", "contentinfo", "complementary") or (
            tag.name not in ("body", "html", "main", "article") and _BOILERPLATE.search(words)
        ):
            tag.decompose()


def _text_length(tag: Tag) -> int:
    return len(_SPACE.sub(" ", tag.get_text(" ")).strip())


def _link_text_length(tag: Tag) -> int:
    return sum(_text_length(a) for a in tag.find_all("a"))


def main_content(soup: BeautifulSoup) -> Tag:
    """The article: ``<article>``/``<main>``, or the block with the most running text."""
    for found in (soup.find("article"), soup.find("main"), soup.find(True, role="main")):
        if isinstance(found, Tag) and _text_length(found) > 200:
            return found
    body = soup.body if isinstance(soup.body, Tag) else soup
    best: Tag = body  # type: ignore[assignment]
    best_score = _score(best)
    for candidate in body.find_all(["div", "section", "td", "center"]):
        score = _score(candidate)
        if score > best_score * 1.0 and score > 0.6 * _score(body):
            best, best_score = candidate, score
    return best


def _score(tag: Tag) -> float:
    """Running text outside links, counted in paragraphs (navigation is mostly links)."""
    text = _text_length(tag)
    return max(0.0, text - 2 * _link_text_length(tag))


def has_article_text(tag: Tag) -> bool:
    """At least one real paragraph: a few sentences, mostly not links."""
    for block in tag.find_all(["p", "div", "td", "li", "blockquote", "section"]) or [tag]:
        own = "".join(str(s) for s in block.find_all(string=True) if s.find_parent("a") is None)
        if len(own.split()) >= 12:
            return True
    own_text = "".join(str(s) for s in tag.find_all(string=True) if s.find_parent("a") is None)
    return len(own_text.split()) >= 12


@dataclass
class Converter:
    """One conversion: call ``convert(tag)``, then read ``blocks`` and ``problems``."""

    pictures: Pictures
    links: Links
    #: Heading levels are shifted so the top one is this level (the title is level 1).
    top_level: int = 2
    blocks: list[Block] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    title: str = ""
    _inline: list[str] = field(default_factory=list)
    _shift: int = 0
    _pending_anchors: list[str] = field(default_factory=list)

    def convert(self, root: Tag) -> None:
        levels = [int(h.name[1]) for h in root.find_all(_HEADINGS) if h.get_text(strip=True)]
        if levels and self.title:
            # The first heading repeating the title is the title, not a section.
            first = root.find(_HEADINGS)
            if isinstance(first, Tag) and _norm(first.get_text()) == _norm(self.title):
                first.decompose()
                levels = [
                    int(h.name[1]) for h in root.find_all(_HEADINGS) if h.get_text(strip=True)
                ]
        self._shift = self.top_level - min(levels) if levels else 0
        self._walk(root)
        self._flush()

    # -- blocks -------------------------------------------------------------------------

    def _flush(self) -> None:
        text = "".join(self._inline)
        self._inline = []
        lines = [line.strip() for line in text.split("\n")]
        markdown = "\n".join(line for line in lines if line)
        if markdown.strip():
            self.blocks.append(Paragraph(markdown))

    def _walk(self, tag: Tag) -> None:
        for child in list(tag.children):
            if isinstance(child, NavigableString):
                if not isinstance(child, Comment):
                    self._text(str(child))
                continue
            if not isinstance(child, Tag):
                continue
            self._element(child)

    def _element(self, tag: Tag) -> None:
        name = tag.name
        if tag.get("id"):
            self._pending_anchors.append(str(tag["id"]))
        if name in _HEADINGS:
            self._flush()
            title = _norm(tag.get_text(" "))
            if title:
                level = min(6, max(2, int(name[1]) + self._shift))
                anchors = [*self._pending_anchors]
                anchors += [str(a["name"]) for a in tag.find_all("a") if a.get("name")]
                anchors += [str(t["id"]) for t in tag.find_all(True) if t.get("id")]
                self.blocks.append(Heading(level, title, anchors))
                self._pending_anchors = []
            return
        if name == "img":
            self._image(tag, None)
            return
        if name == "figure":
            self._flush()
            caption_tag = tag.find("figcaption")
            caption = _norm(caption_tag.get_text(" ")) if isinstance(caption_tag, Tag) else ""
            images = tag.find_all("img")
            if not images:
                self._walk(tag)
                return
            for image in images:
                self._image(image, caption)
            return
        if name in ("ul", "ol"):
            self._flush()
            self._list(tag, 0)
            return
        if name == "blockquote":
            self._flush()
            inner = Converter(self.pictures, self.links, self.top_level)
            inner._walk(tag)
            inner._flush()
            for block in inner.blocks:
                if isinstance(block, Paragraph):
                    self.blocks.append(
                        Paragraph("\n".join(f"> {line}" for line in block.markdown.split("\n")))
                    )
                else:
                    self.blocks.append(block)
            return
        if name == "pre":
            self._flush()
            code = tag.get_text()
            fence = "~~~~" if "```" in code else "```"
            self.blocks.append(Paragraph(f"{fence}\n{code.rstrip()}\n{fence}"))
            return
        if name == "br":
            self._inline.append("\n")
            return
        if name == "hr":
            self._flush()
            return
        if name == "a":
            self._link(tag)
            return
        if name in ("em", "i", "cite", "var", "dfn"):
            self._wrapped(tag, "*")
            return
        if name in ("strong", "b"):
            self._wrapped(tag, "**")
            return
        if name == "code":
            self._inline.append(escape(tag.get_text()))
            return
        if name in _BLOCK_TAGS:
            self._flush()
            self._walk(tag)
            self._flush()
            return
        self._walk(tag)

    def _text(self, text: str) -> None:
        text = _SPACE.sub(" ", text)
        if text.strip() and _FIGURE_CAPTION.match(text) and self._caption_for_last_figure(text):
            return
        self._inline.append(escape(text))

    def _caption_for_last_figure(self, text: str) -> bool:
        """``Figure N.--`` text right after a picture is that picture's caption."""
        if "".join(self._inline).strip() or not self.blocks:
            return False
        last = self.blocks[-1]
        if isinstance(last, DraftFigure) and not last.caption:
            last.caption = _norm(text)
            return True
        return False

    def _wrapped(self, tag: Tag, mark: str) -> None:
        inner = Converter(self.pictures, self.links, self.top_level)
        inner._walk(tag)
        text = "".join(inner._inline).strip()
        if text:
            # Spaces stay outside the marks: "* word*" is not emphasis.
            raw = "".join(inner._inline)
            lead = " " if raw[:1].isspace() else ""
            trail = " " if raw[-1:].isspace() else ""
            self._inline.append(f"{lead}{mark}{text}{mark}{trail}")
        for block in inner.blocks:
            self.blocks.append(block)

    def _link(self, tag: Tag) -> None:
        if tag.get("name") and not tag.get("href"):
            self._pending_anchors.append(str(tag["name"]))
        inner = Converter(self.pictures, self.links, self.top_level)
        inner._walk(tag)
        for block in inner.blocks:  # a picture inside a link is still a figure
            self._flush()
            self.blocks.append(block)
        raw = "".join(inner._inline)
        text = raw.strip()
        href = str(tag.get("href") or "").strip()
        target = self.links(href) if href and text else None
        if not text:
            return
        lead = " " if raw[:1].isspace() else ""
        trail = " " if raw[-1:].isspace() else ""
        if target is None:
            self._inline.append(raw)
        elif target.startswith("#"):
            self._inline.append(f"{lead}{anchor_link(text, anchor_key(target[1:]))}{trail}")
        else:
            self._inline.append(f"{lead}[{text}]({_address(target)}){trail}")

    def _list(self, tag: Tag, depth: int) -> None:
        number = 0
        for item in tag.children:
            if not isinstance(item, Tag):
                continue
            if item.name != "li":
                # Broken markup leaves other blocks inside a list: keep their text.
                self._join_list()
                self._element(item)
                continue
            number += 1
            marker = f"{number}." if tag.name == "ol" else "-"
            inner = Converter(self.pictures, self.links, self.top_level)
            nested: list[Tag] = []
            for child in list(item.children):
                if isinstance(child, Tag) and child.name in ("ul", "ol"):
                    nested.append(child)
                elif isinstance(child, NavigableString):
                    inner._text(str(child))
                elif isinstance(child, Tag):
                    inner._element(child)
            inner._flush()
            texts = [b.markdown for b in inner.blocks if isinstance(b, Paragraph)]
            line = " ".join(" ".join(t.split("\n")) for t in texts).strip()
            indent = "    " * depth
            self.blocks.append(Paragraph(f"{indent}{marker} {line}" if line else ""))
            for block in inner.blocks:
                if not isinstance(block, Paragraph):
                    self.blocks.append(block)
            for sub in nested:
                self._list(sub, depth + 1)
        self._join_list()

    def _join_list(self) -> None:
        """Consecutive list items belong to one Markdown list (no blank lines between)."""
        items: list[str] = []
        while self.blocks and isinstance(self.blocks[-1], Paragraph):
            last = self.blocks[-1]
            assert isinstance(last, Paragraph)
            stripped = last.markdown.lstrip()
            if not last.markdown or not (
                stripped.startswith("- ") or re.match(r"\d+\. ", stripped)
            ):
                break
            items.insert(0, last.markdown)
            self.blocks.pop()
        if items:
            self.blocks.append(Paragraph("\n".join(items)))

    def _image(self, tag: Tag, caption: str | None) -> None:
        src = str(tag.get("src") or "").strip()
        alt = _norm(str(tag.get("alt") or ""))
        if _tiny(tag):
            return  # spacers and icons are not figures
        self._flush()
        picture, found = self.pictures(src) if src else (None, "no address")
        if picture is None:
            self.problems.append(f"picture not available ({found}): a stand-in plate is shown")
            figure = DraftFigure(caption=caption or "", alt=alt, missing=found)
        else:
            figure = DraftFigure(caption=caption or "", alt=alt, picture=picture, suffix=found)
        self.blocks.append(figure)


def _address(url: str) -> str:
    """An address as a Markdown link target: no spaces or parentheses to end it early."""
    return url.replace(" ", "%20").replace("(", "%28").replace(")", "%29").replace("<", "%3C")


def _tiny(tag: Tag) -> bool:
    for attribute in ("width", "height"):
        value = str(tag.get(attribute) or "").strip().removesuffix("px")
        if value.isdigit() and int(value) < 32:
            return True
    return False


def _norm(text: str) -> str:
    return _SPACE.sub(" ", text).strip()


def finish_figures(blocks: list[Block]) -> None:
    """A figure with no caption gets its alt text (the writer needs a caption)."""
    for block in blocks:
        if isinstance(block, DraftFigure) and not block.caption:
            block.caption = block.alt
