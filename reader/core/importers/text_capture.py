"""A page of the source site saved as text (a browser's "Save as text", or copied).

The capture is a sequence of blocks separated by blank lines:

* a kicker line starting ``***`` (the site's breadcrumb), then the title;
* a figure: the picture's alt text on a line directly above ``Figure N.--``
  and its caption (the picture itself is not in a text capture, so the figure
  gets a stand-in plate);
* headings: short lines standing alone, with a paragraph after them;
* paragraphs, in which broken link markup such as ``a href="/x.html">Words``
  becomes a link (to a related page: a capture has no address to resolve it);
* the site line, the ``Navigate the …:`` footer of ``[bracketed]`` links
  (the related pages), and ``Created: … Last updated: …``.

Odd characters are kept and reported, never dropped: U+FFFD (a character the
capture lost), a carriage return inside a line (shown as ␍), a literal ``\\r``.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from reader.core.importers.draft import (
    Draft,
    DraftFigure,
    Heading,
    ImportRefused,
    Paragraph,
    RelatedDraft,
    escape,
    related_id,
)
from reader.core.importers.source import MAX_TEXT_BYTES, TEXT_CAPTURE, decode, read_limited

_FIGURE = re.compile(r"^Figure\s+(\d+)\s*\.?\s*-+\s*(.*)$")
_DATE_LINE = re.compile(r"^(Created|Last updated|Updated)\s*:\s*(.+?)\s*$", re.I)
_NAVIGATE = re.compile(r"^Navigate\b.*:\s*$")
_BRACKETED = re.compile(r"\[([^\[\]]+)\]")
#: Link markup that lost its ``<`` (or survived whole): ``a href="...">words``.
_MARKUP = re.compile(r'<?a\s+href\s*=\s*"([^"<>]*)"\s*>')
_CLOSE = re.compile(r"</a\s*>", re.I)
#: Words after which the text of a broken link (no ``</a>``) surely ended.
_STOP_WORDS = frozenset(
    {
        "was", "were", "is", "are", "be", "been", "the", "a", "an", "of", "and", "or",
        "in", "on", "at", "to", "by", "for", "with", "as", "that", "which", "this",
        "these", "from", "into", "after", "before", "during",
    }
)  # fmt: skip
_DATE_FORMATS = (
    "%I:%M %p %m/%d/%Y",
    "%I:%M%p %m/%d/%Y",
    "%H:%M %m/%d/%Y",
    "%m/%d/%Y %I:%M %p",
    "%m/%d/%Y",
    "%B %d, %Y",
    "%d %B %Y",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%d",
)
_HEADING_END = (".", ",", ";", ":", "!")


def read(path: Path) -> Draft:
    problems: list[str] = []
    text = decode(read_limited(path, MAX_TEXT_BYTES), problems)
    return parse(text, path.stem, problems)


def parse(text: str, fallback_title: str, problems: list[str] | None = None) -> Draft:
    """The draft of a captured page's text."""
    problems = [] if problems is None else problems
    text = text.replace("\r\n", "\n")
    lines = text.split("\n")
    for number, line in enumerate(lines, start=1):
        _report_odd(line, number, problems)
    lines = [line.replace("\r", "\u240d") for line in lines]

    meta: dict[str, object] = {}
    dates_found: dict[str, str] = {}
    end = len(lines)
    # The dates close the page: look for them among its last lines only.
    for number in range(len(lines) - 1, max(-1, len(lines) - 40), -1):
        match = _DATE_LINE.match(lines[number].strip())
        if match:
            key = "created" if match.group(1).lower() == "created" else "updated"
            dates_found.setdefault(key, match.group(2))
            end = min(end, number)
    footer_at = next((n for n in range(end - 1, -1, -1) if _NAVIGATE.match(lines[n].strip())), None)
    related: list[RelatedDraft] = []
    related_heading = ""
    if footer_at is not None:
        related_heading = lines[footer_at].strip().rstrip(":").strip()
        for line in lines[footer_at + 1 : end]:
            for item in _BRACKETED.findall(line):
                title = re.sub(r"^Return to\s+", "", item.strip())
                if title and all(page.title != title for page in related):
                    related.append(RelatedDraft(title))
        end = footer_at
    for key, value in dates_found.items():
        meta[key] = _parse_date(value, key, problems)

    blocks = _blocks(lines[:end])
    if blocks and blocks[0][1][0].lstrip().startswith("***"):
        meta["kicker"] = blocks.pop(0)[1][0].strip()
    if not blocks:
        raise ImportRefused("no text: the page has no title and no paragraphs")
    title = " ".join(blocks.pop(0)[1]).strip() if len(blocks[0][1]) == 1 else fallback_title
    draft = Draft(title=title, format=TEXT_CAPTURE, meta=meta, problems=problems)
    draft.related, draft.related_heading = related, related_heading

    # Short blocks after the last paragraph are the site line, not headings.
    last_paragraph = max(
        (i for i, (_, block) in enumerate(blocks) if not _heading_like(block)), default=-1
    )
    trailing = blocks[last_paragraph + 1 :]
    if trailing:
        meta["site_section"] = " ".join(" ".join(block) for _, block in trailing).strip()
    links: list[tuple[str, str]] = []
    for start, block in blocks[: last_paragraph + 1]:
        figure_line = next((i for i, line in enumerate(block) if _FIGURE.match(line)), None)
        if figure_line is not None:
            alt = " ".join(line.strip() for line in block[:figure_line])
            caption = " ".join(line.strip() for line in block[figure_line:])
            draft.blocks.append(
                DraftFigure(caption=caption, alt=alt, missing="not in the text capture")
            )
        elif _heading_like(block):
            draft.blocks.append(Heading(2, block[0].strip()))
        else:
            draft.blocks.append(Paragraph(_paragraph(block, start, links, problems)))
    if not any(isinstance(b, Paragraph) for b in draft.blocks):
        raise ImportRefused("no text: the page has a title but no paragraphs")
    for text_, href in links:
        if all(page.title != text_ for page in draft.related):
            draft.related.append(RelatedDraft(text_, href))
    # Links were written with the page's title; now that every page is known, ids.
    for item in draft.blocks:
        if isinstance(item, Paragraph):
            item.markdown = re.sub(
                r"\(related:@@(.+?)@@\)",
                lambda m: f"(related:{related_id(draft, bytes.fromhex(m.group(1)).decode())})",
                item.markdown,
            )
    return draft


def _report_odd(line: str, number: int, problems: list[str]) -> None:
    for char, what in (
        ("\ufffd", "U+FFFD (a character the capture lost) kept"),
        ("\r", "a carriage return inside the line, kept as ␍"),
    ):
        count = line.count(char)
        if count:
            column = line.index(char) + 1
            times = f" ({count} times)" if count > 1 else ""
            problems.append(f"line {number}, column {column}: {what}{times}")
    if "\\r" in line:
        problems.append(
            f"line {number}, column {line.index(chr(92) + 'r') + 1}: "
            "a literal \\r (backslash and r) kept as written"
        )


def _blocks(lines: list[str]) -> list[tuple[int, list[str]]]:
    """Runs of non-blank lines, each with its first line's number."""
    blocks: list[tuple[int, list[str]]] = []
    current: list[str] = []
    start = 0
    for number, line in enumerate(lines, start=1):
        if line.strip():
            if not current:
                start = number
            current.append(line)
        elif current:
            blocks.append((start, current))
            current = []
    if current:
        blocks.append((start, current))
    return blocks


def _heading_like(block: list[str]) -> bool:
    """A short line standing alone, not ending like a sentence, not a caption."""
    if len(block) != 1:
        return False
    line = block[0].strip()
    return (
        0 < len(line) <= 100
        and len(line.split()) <= 14
        and not line.endswith(_HEADING_END)
        and not _FIGURE.match(line)
        and not line.startswith("[")
    )


def _paragraph(
    block: list[str], start: int, links: list[tuple[str, str]], problems: list[str]
) -> str:
    """One paragraph as Markdown; broken link markup becomes a link to a related page."""
    text = "\n".join(line.strip() for line in block)
    out: list[str] = []
    position = 0
    for match in _MARKUP.finditer(text):
        if match.start() < position:
            continue
        out.append(escape(text[position : match.start()]))
        href = match.group(1).strip()
        rest = text[match.end() :]
        close = _CLOSE.search(rest)
        if close is not None and "\n\n" not in rest[: close.start()]:
            words, after = rest[: close.start()].strip(), close.end()
        else:
            words, after = _link_words(rest)
        line = start + text.count("\n", 0, match.start())
        if not words:
            problems.append(f"line {line}: link markup with no text ({href}) left out")
            position = match.end() + after
            continue
        links.append((words, href))
        if close is None:
            problems.append(f"line {line}: broken link markup read as a link on {words!r}")
        key = words.encode("utf-8").hex()
        out.append(f"[{escape(words)}](related:@@{key}@@)")
        position = match.end() + after
    out.append(escape(text[position:]))
    return "".join(out)


def _link_words(rest: str) -> tuple[str, int]:
    """The words a link with no ``</a>`` most likely covered: up to a stop word,
    punctuation or four words."""
    words: list[str] = []
    index = 0
    for match in re.finditer(r"\S+", rest):
        word = match.group(0)
        bare = word.rstrip(".,;:!?)\"'")
        if words and (bare.lower() in _STOP_WORDS or len(words) == 4):
            break
        words.append(bare)
        index = match.start() + len(bare)
        if bare != word:
            break
    return " ".join(words), index


def _parse_date(value: str, key: str, problems: list[str]) -> object:
    cleaned = " ".join(value.split())
    for pattern in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(cleaned, pattern)
        except ValueError:
            continue
    problems.append(f"{key} date {value!r} not understood; kept as written")
    return cleaned
