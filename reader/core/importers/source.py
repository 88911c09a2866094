"""Reading an input safely: size limits, text decoding, and telling the formats apart.

The format is decided from the content (a ZIP holding an EPUB, an HTML
document, a captured page's text, Markdown), the file's extension only
breaking ties between plain text formats. Anything else is refused with a
sentence the reader can act on.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from reader.core.importers.draft import ImportRefused

#: Largest page (text, HTML or Markdown) or picture read; far above any real one.
MAX_TEXT_BYTES = 20 * 1024 * 1024
#: Largest EPUB file.
MAX_BOOK_BYTES = 40 * 1024 * 1024

TEXT_CAPTURE, HTML_PAGE, MARKDOWN, EPUB = "text capture", "HTML page", "Markdown", "EPUB"

_MAGIC = {
    b"%PDF": "a PDF document",
    b"\x89PNG": "a PNG picture",
    b"\xff\xd8\xff": "a JPEG picture",
    b"GIF8": "a GIF picture",
    b"\x1f\x8b": "a gzip archive",
    b"Rar!": "a RAR archive",
    b"7z\xbc\xaf": "a 7-Zip archive",
    b"\xd0\xcf\x11\xe0": "an old Microsoft Office document",
}
_HTML_START = re.compile(rb"^\s*(<!--.*?-->\s*)*<(!doctype\s+html|html|head|body)\b", re.I | re.S)
_HTML_TAG = re.compile(rb"<(html|head|body|p|div|article|h1)\b", re.I)
_CAPTURE_MARK = re.compile(
    r"^(\*\*\*|Figure \d+\.\s*-|Created:|Last updated:|Navigate the\b)", re.M
)
_MARKDOWN_MARK = re.compile(r"^(---\s*$|#{1,6}\s+\S|\S.*\n(=+|-+)\s*$)", re.M)


def read_limited(path: Path, limit: int) -> bytes:
    """The file's bytes; refused if it is missing, not a file, too large or empty."""
    try:
        with path.open("rb") as handle:
            size = os.fstat(handle.fileno()).st_size
            if size > limit:
                raise ImportRefused(
                    f"too large to be a page ({size // (1024 * 1024)} MB; "
                    f"the limit is {limit // (1024 * 1024)} MB)"
                )
            data = handle.read(limit + 1)
    except FileNotFoundError:
        raise ImportRefused("the file is not there (moved or deleted?)") from None
    except IsADirectoryError:
        raise ImportRefused("a folder, not a file") from None
    except OSError as exc:
        raise ImportRefused(f"cannot be read: {exc.strerror or exc}") from None
    if len(data) > limit:
        raise ImportRefused("too large to be a page (it grew while being read)")
    if not data.strip():
        raise ImportRefused("the file is empty")
    return data


def decode(data: bytes, problems: list[str]) -> str:
    """Text from UTF-8 (with or without a byte-order mark), else Windows-1252, said so."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            raise ImportRefused(
                f"not readable text: line {line} is neither UTF-8 nor Windows-1252"
            ) from None
        problems.append(
            f"not UTF-8 (byte 0x{data[exc.start]:02x} on line {line}): read as Windows-1252"
        )
        return text


def sniff(path: Path, head: bytes) -> str:
    """The input's format from its first bytes; refused with the reason otherwise."""
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        return EPUB  # epub.py refuses a ZIP that is not a book, with the reason
    for magic, what in _MAGIC.items():
        if head.startswith(magic):
            raise ImportRefused(f"{what}, not a page or a book")
    if b"\x00" in head[:8192]:
        raise ImportRefused("a binary file, not a page or a book")
    if _HTML_START.match(head) or (
        path.suffix.lower() in (".html", ".htm", ".xhtml") and _HTML_TAG.search(head)
    ):
        return HTML_PAGE
    text = head.decode("utf-8", errors="replace")
    if path.suffix.lower() in (".md", ".markdown"):
        return MARKDOWN
    if _CAPTURE_MARK.search(text):
        return TEXT_CAPTURE
    if _MARKDOWN_MARK.search(text):
        return MARKDOWN
    if _HTML_TAG.search(head):
        return HTML_PAGE
    if path.suffix.lower() in ("", ".txt", ".text"):
        return TEXT_CAPTURE  # plain text: a title line, then paragraphs
    raise ImportRefused(
        "not a format the reader can import (a page saved as text or HTML, Markdown, or EPUB)"
    )
