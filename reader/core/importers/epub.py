"""An EPUB book without DRM: each chapter of the spine a section, its pictures figures.

Read with ``zipfile`` and the book's own ``META-INF/container.xml`` and OPF
package (manifest and spine), so the safety checks stay here: before anything
is read, the archive is refused when it has too many members, would unpack to
too much or compresses suspiciously well (a ZIP bomb), or names a member with
an absolute path or ``..``. Every member is then read with a size cap, and the
XML files are refused if they declare entities. A book with encrypted content
(DRM) is refused with that reason.
"""

from __future__ import annotations

import posixpath
import re
import xml.etree.ElementTree as ElementTree
import zipfile
from pathlib import Path
from urllib.parse import unquote, urlsplit

from bs4 import BeautifulSoup, Tag

from reader.core.importers import html_convert
from reader.core.importers.draft import Draft, Heading, ImportRefused
from reader.core.importers.html_page import picture_type
from reader.core.importers.source import EPUB, MAX_BOOK_BYTES, MAX_TEXT_BYTES

MAX_MEMBERS = 5000
MAX_UNPACKED = 200 * 1024 * 1024
#: Largest compression ratio of one member; text compresses ~5x, pictures ~1x.
MAX_RATIO = 100

_NS = {
    "c": "urn:oasis:names:tc:opendocument:xmlns:container",
    "opf": "http://www.idpf.org/2007/opf",
    "dc": "http://purl.org/dc/elements/1.1/",
}
_DRIVE = re.compile(r"^[A-Za-z]:")


def read(path: Path) -> Draft:
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise ImportRefused("the file is not there (moved or deleted?)") from None
    if size > MAX_BOOK_BYTES:
        raise ImportRefused(
            f"too large for a book ({size // (1024 * 1024)} MB; "
            f"the limit is {MAX_BOOK_BYTES // (1024 * 1024)} MB)"
        )
    try:
        with zipfile.ZipFile(path) as book:
            return _read_book(book, path)
    except zipfile.BadZipFile:
        raise ImportRefused("a damaged ZIP archive, not a readable book") from None
    except FileNotFoundError:
        raise ImportRefused("the file is not there (moved or deleted?)") from None
    except OSError as exc:
        raise ImportRefused(f"cannot be read: {exc.strerror or exc}") from None


def check_archive(book: zipfile.ZipFile) -> None:
    """Refuse a ZIP bomb or unsafe member names before reading anything."""
    members = book.infolist()
    if len(members) > MAX_MEMBERS:
        raise ImportRefused(f"the archive has too many files ({len(members)})")
    total = 0
    for member in members:
        name = member.filename
        parts = name.replace("\\", "/").split("/")
        if name.startswith(("/", "\\")) or _DRIVE.match(name) or ".." in parts:
            raise ImportRefused(f"the archive names a file outside itself ({name!r})")
        total += member.file_size
        if member.file_size > 1024 * 1024 and (
            member.compress_size == 0 or member.file_size / member.compress_size > MAX_RATIO
        ):
            raise ImportRefused(
                f"the archive looks like a ZIP bomb ({name!r} unpacks "
                f"{member.file_size // max(1, member.compress_size)} times its size)"
            )
    if total > MAX_UNPACKED:
        raise ImportRefused(
            f"the archive unpacks to too much ({total // (1024 * 1024)} MB; "
            f"the limit is {MAX_UNPACKED // (1024 * 1024)} MB)"
        )


def _member(book: zipfile.ZipFile, name: str, limit: int = MAX_TEXT_BYTES) -> bytes:
    """One member's bytes, never more than ``limit`` (a header may lie about sizes)."""
    try:
        with book.open(name) as handle:
            data = handle.read(limit + 1)
    except KeyError:
        raise ImportRefused(f"the book lacks {name!r}") from None
    except (zipfile.BadZipFile, NotImplementedError, RuntimeError) as exc:
        raise ImportRefused(f"{name!r} cannot be read: {exc}") from None
    if len(data) > limit:
        raise ImportRefused(f"{name!r} is too large")
    return data


def _xml(book: zipfile.ZipFile, name: str) -> ElementTree.Element:
    data = _member(book, name)
    if b"<!ENTITY" in data:
        raise ImportRefused(f"{name!r} declares XML entities, which a book does not need")
    try:
        return ElementTree.fromstring(data)
    except ElementTree.ParseError as exc:
        raise ImportRefused(f"{name!r} is not well-formed XML ({exc})") from None


def _read_book(book: zipfile.ZipFile, path: Path) -> Draft:
    names = set(book.namelist())
    if "META-INF/container.xml" not in names:
        raise ImportRefused("a ZIP archive that is not an EPUB book (no META-INF/container.xml)")
    check_archive(book)
    if "META-INF/encryption.xml" in names:
        encryption = _member(book, "META-INF/encryption.xml")
        # Font obfuscation is allowed; anything else encrypted is DRM.
        algorithms = re.findall(rb'Algorithm="([^"]+)"', encryption)
        if any(b"obfuscation" not in a and b"font" not in a for a in algorithms):
            raise ImportRefused("the book is protected by DRM and cannot be read")
    if "META-INF/rights.xml" in names:
        raise ImportRefused("the book is protected by DRM and cannot be read")
    container = _xml(book, "META-INF/container.xml")
    rootfile = container.find(".//c:rootfile", _NS)
    opf_name = rootfile.get("full-path", "") if rootfile is not None else ""
    if not opf_name:
        raise ImportRefused("the book names no package file (container.xml)")
    opf = _xml(book, opf_name)
    base = posixpath.dirname(opf_name)
    title_el = opf.find(".//dc:title", _NS)
    title = " ".join((title_el.text or "").split()) if title_el is not None else ""
    meta: dict[str, object] = {}
    creator = opf.find(".//dc:creator", _NS)
    if creator is not None and (creator.text or "").strip():
        meta["author"] = creator.text.strip() if creator.text else ""
    manifest = {
        item.get("id", ""): item
        for item in opf.findall(".//opf:manifest/opf:item", _NS)
        if item.get("id")
    }
    spine = [
        manifest[ref.get("idref", "")]
        for ref in opf.findall(".//opf:spine/opf:itemref", _NS)
        if ref.get("idref", "") in manifest and ref.get("linear", "yes") != "no"
    ]
    chapters = [
        posixpath.normpath(posixpath.join(base, unquote(item.get("href", ""))))
        for item in spine
        if "html" in item.get("media-type", "")
    ]
    if not chapters:
        raise ImportRefused("the book has no chapters in its spine")
    draft = Draft(title=title or path.stem, format=EPUB, meta=meta)
    chapter_anchor = {name: f"chapter-{number}" for number, name in enumerate(chapters)}
    for number, chapter in enumerate(chapters):
        _chapter(book, chapter, number, chapter_anchor, draft)
    html_convert.finish_figures(draft.blocks)
    if not any(not isinstance(b, Heading) for b in draft.blocks):
        raise ImportRefused("the book's chapters have no text")
    return draft


def _chapter(
    book: zipfile.ZipFile,
    name: str,
    number: int,
    chapter_anchor: dict[str, str],
    draft: Draft,
) -> None:
    data = _member(book, name)
    soup = BeautifulSoup(data.decode("utf-8", errors="replace"), "html.parser")
    heading = soup.find(["h1", "h2", "h3"])
    chapter_title = heading.get_text(" ", strip=True) if isinstance(heading, Tag) else ""
    if not chapter_title and soup.title is not None and soup.title.string:
        chapter_title = " ".join(str(soup.title.string).split())
    if isinstance(heading, Tag):
        heading.decompose()
    html_convert.clean(soup)
    body = soup.body if isinstance(soup.body, Tag) else soup
    folder = posixpath.dirname(name)

    def pictures(src: str) -> tuple[bytes | None, str]:
        if urlsplit(src).scheme:
            return None, src
        member = posixpath.normpath(posixpath.join(folder, unquote(src)))
        if member.startswith("../") or member not in book.namelist():
            return None, f"{src} (not in the book)"
        return picture_type(_member(book, member), posixpath.splitext(member)[1].lower(), src)

    def links(href: str) -> str | None:
        parts = urlsplit(href)
        if parts.scheme in ("http", "https", "mailto"):
            return href
        if parts.scheme:
            return None
        target = name
        if parts.path:
            target = posixpath.normpath(posixpath.join(folder, unquote(parts.path)))
        if parts.fragment and target == name:
            return f"#{parts.fragment}"
        if target in chapter_anchor:
            return f"#{chapter_anchor[target]}"
        return None

    if not body.get_text(strip=True) and not body.find("img"):
        return
    draft.blocks.append(
        Heading(2, chapter_title or f"Chapter {number + 1}", [chapter_anchor[name]])
    )
    converter = html_convert.Converter(pictures, links, top_level=3)
    converter.convert(body)
    draft.blocks.extend(converter.blocks)
    draft.problems.extend(converter.problems)
