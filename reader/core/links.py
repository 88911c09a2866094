"""The reader's own addresses: ``reader://ESSAY/SECTION`` and ``figure://ESSAY/FIGURE``.

These are built and read here only. ``reader://`` links are what the command
line's ``--open``, the desktop's URL handler, citations and the links between
sections use; ``figure://`` and ``related://`` address a figure and a related
page of an essay inside the reading view.
"""

from __future__ import annotations

from typing import NamedTuple
from urllib.parse import quote, unquote, urlsplit

SECTION_SCHEME = "reader"
FIGURE_SCHEME = "figure"
RELATED_SCHEME = "related"


class Target(NamedTuple):
    """What an internal address points at: an essay and one item in it ('' for the essay)."""

    scheme: str
    document: str
    item: str


def _build(scheme: str, document: str, item: str) -> str:
    base = f"{scheme}://{quote(document, safe='')}"
    return f"{base}/{quote(item, safe='')}" if item else base


def section_link(document: str, section: str = "") -> str:
    """``reader://ESSAY/SECTION`` (or ``reader://ESSAY`` for the essay itself)."""
    return _build(SECTION_SCHEME, document, section)


def figure_link(document: str, figure: str) -> str:
    """``figure://ESSAY/FIGURE``."""
    return _build(FIGURE_SCHEME, document, figure)


def related_link(document: str, page: str) -> str:
    """``related://ESSAY/PAGE``: a page of the source site listed in related.yaml."""
    return _build(RELATED_SCHEME, document, page)


def parse(url: str) -> Target | None:
    """An internal address split into its parts; None for anything else (web links too)."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    if parts.scheme not in (SECTION_SCHEME, FIGURE_SCHEME, RELATED_SCHEME) or not parts.netloc:
        return None
    # The essay id is the host; urlsplit lower-cases nothing in netloc, so ids keep their case.
    return Target(parts.scheme, unquote(parts.netloc), unquote(parts.path.strip("/")))


def parse_section_link(url: str) -> tuple[str, str] | None:
    """``reader://ESSAY/SECTION`` -> (essay, section); None if ``url`` is not one."""
    target = parse(url)
    if target is None or target.scheme != SECTION_SCHEME:
        return None
    return target.document, target.item
