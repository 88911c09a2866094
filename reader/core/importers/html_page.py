"""An HTML page as a browser saves it ("Web page, complete": ``page.html`` + ``page_files/``).

The page is parsed with Beautiful Soup (the standard library's parser);
scripts, styles, forms, navigation and boilerplate are dropped, the article is
picked (``html_convert.main_content``) and converted. Pictures are copied
from files beside the page (its ``_files`` folder, never from outside the
page's folder); a picture on the web is never fetched: it is listed as
missing and gets a stand-in plate. The page's address (``<link
rel=canonical>``, ``og:url``, or the "saved from url" note browsers write)
identifies it in the library and resolves its relative links.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from bs4 import BeautifulSoup, Comment, Tag

from reader.core.importers import html_convert
from reader.core.importers.draft import PICTURE_SUFFIXES, Draft, ImportRefused
from reader.core.importers.source import HTML_PAGE, MAX_TEXT_BYTES, decode, read_limited

_SAVED_FROM = re.compile(r"saved from url=\(\d+\)(\S+)", re.I)
_CHARSET = re.compile(rb"""<meta[^>]{0,200}charset\s*=\s*["']?([\w-]+)""", re.I)
_PICTURE_MAGIC = {
    b"\x89PNG": ".png",
    b"\xff\xd8\xff": ".jpg",
    b"GIF8": ".gif",
    b"RIFF": ".webp",
}


def read(path: Path) -> Draft:
    problems: list[str] = []
    data = read_limited(path, MAX_TEXT_BYTES)
    text = _decode(data, problems)
    soup = BeautifulSoup(text, "html.parser")
    address = _address(soup)
    title = _title(soup)
    meta: dict[str, object] = {}
    if address:
        meta["source_url"] = address
    for key, value in _dates(soup).items():
        meta[key] = value
    html_convert.clean(soup)
    article = html_convert.main_content(soup)
    if not html_convert.has_article_text(article):
        raise ImportRefused("no article text: the page is all navigation or links")
    if not title:
        heading = article.find(["h1", "h2"])
        title = heading.get_text(" ", strip=True) if isinstance(heading, Tag) else path.stem

    folder = path.parent.resolve()

    def pictures(src: str) -> tuple[bytes | None, str]:
        return local_picture(src, path, folder)

    def links(href: str) -> str | None:
        if href.startswith("#"):
            return href if len(href) > 1 else None
        if href.lower().startswith(("javascript:", "data:", "file:")):
            return None
        absolute = urljoin(address, href) if address else href
        if urlsplit(absolute).scheme in ("http", "https", "mailto"):
            if address and absolute.split("#")[0] == address.split("#")[0] and "#" in absolute:
                return "#" + absolute.split("#", 1)[1]
            return absolute
        return None  # a relative address with nothing to resolve it against: text only

    converter = html_convert.Converter(pictures, links)
    converter.title = title
    converter.convert(article)
    html_convert.finish_figures(converter.blocks)
    draft = Draft(title=" ".join(title.split()), format=HTML_PAGE, meta=meta)
    draft.blocks = converter.blocks
    draft.problems = problems + converter.problems
    return draft


def _decode(data: bytes, problems: list[str]) -> str:
    declared = _CHARSET.search(data[:4096])
    name = declared.group(1).decode("ascii", "replace").lower() if declared else ""
    if name and name not in ("utf-8", "utf8"):
        try:
            return data.decode(name)
        except (LookupError, UnicodeDecodeError):
            problems.append(f"the page says it is {name} but is not; read as UTF-8")
    return decode(data, problems)


def _address(soup: BeautifulSoup) -> str:
    for comment in soup.find_all(string=lambda s: isinstance(s, Comment)):
        match = _SAVED_FROM.search(str(comment))
        if match and match.group(1).startswith(("http://", "https://")):
            return match.group(1)
    canonical = soup.find("link", rel="canonical")
    if isinstance(canonical, Tag) and str(canonical.get("href") or "").startswith("http"):
        return str(canonical["href"])
    og = soup.find("meta", property="og:url")
    if isinstance(og, Tag) and str(og.get("content") or "").startswith("http"):
        return str(og["content"])
    return ""


def _title(soup: BeautifulSoup) -> str:
    og = soup.find("meta", property="og:title")
    if isinstance(og, Tag) and og.get("content"):
        return " ".join(str(og["content"]).split())
    heading = soup.find("h1")
    if isinstance(heading, Tag) and heading.get_text(strip=True):
        return " ".join(heading.get_text(" ").split())
    if soup.title is not None and soup.title.string:
        return " ".join(str(soup.title.string).split())
    return ""


def _dates(soup: BeautifulSoup) -> dict[str, object]:
    found: dict[str, object] = {}
    for key, names in (
        ("created", ("article:published_time", "date", "dcterms.created", "DC.date.created")),
        ("updated", ("article:modified_time", "last-modified", "dcterms.modified")),
    ):
        for name in names:
            tag = soup.find("meta", attrs={"property": name}) or soup.find(
                "meta", attrs={"name": name}
            )
            if isinstance(tag, Tag) and tag.get("content"):
                value = _iso(str(tag["content"]))
                if value is not None:
                    found[key] = value
                    break
    return found


def _iso(value: str) -> object | None:
    try:
        parsed = dt.datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed.replace(tzinfo=None)


def local_picture(src: str, page: Path, folder: Path) -> tuple[bytes | None, str]:
    """A picture beside the page: (bytes, suffix), or (None, why not). Never fetched."""
    parts = urlsplit(src)
    if parts.scheme in ("http", "https") or src.startswith("//"):
        return None, src
    if parts.scheme or not parts.path:
        return None, "not a file beside the page"
    candidate = (page.parent / unquote(parts.path)).resolve()
    if not candidate.is_relative_to(folder):
        return None, f"{src} (outside the page's folder)"
    try:
        with candidate.open("rb") as handle:
            data = handle.read(MAX_TEXT_BYTES + 1)
    except OSError:
        return None, f"{src} (missing)"
    if len(data) > MAX_TEXT_BYTES:
        return None, f"{src} (too large)"
    return picture_type(data, candidate.suffix.lower(), src)


def picture_type(data: bytes, suffix: str, name: str) -> tuple[bytes | None, str]:
    """The picture's own type from its first bytes (an extension may lie)."""
    for magic, kind in _PICTURE_MAGIC.items():
        if data.startswith(magic):
            return data, kind
    if suffix == ".svg" and b"<svg" in data[:4096]:
        return data, ".svg"
    if suffix in PICTURE_SUFFIXES:
        return None, f"{name} (not a picture the reader can show)"
    return None, f"{name} (not a picture)"
