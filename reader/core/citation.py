"""Citations and section references for copying text out of the reader (no Qt).

``citation_line`` is the line appended to a copied passage: the essay's
title, the site, the section, the original address when one was recorded, and
"read offline, <date>". ``section_link`` (from ``reader.core.links``) is the
``reader://ESSAY/SECTION`` reference copied beside it.
"""

from __future__ import annotations

import datetime

from reader.core.links import section_link
from reader.core.model import Essay

__all__ = ["Error", "citation_line", "cited_text", "section_link"]


class Error(Exception):
    """A citation for a section the essay does not have."""


def citation_line(essay: Essay, section_id: str, today: datetime.date | None = None) -> str:
    """One line naming where a passage comes from, e.g. for a footnote."""
    section = essay.section(section_id) if section_id else None
    if section_id and section is None:
        raise Error(f"no section {section_id!r} in {essay.id!r}")
    meta = essay.meta
    parts = [f"“{essay.title}”"]
    site = meta.get("site")
    if site:
        where = str(site)
        if meta.get("site_section"):
            where += f" ({meta['site_section']})"
        parts.append(where)
    if section is not None and section.level > 1:
        parts.append(f"section “{section.title}”")
    address = meta.get("url") or meta.get("source_url")
    if address:
        parts.append(str(address))
    elif meta.get("site_url"):
        parts.append(f"{meta['site_url']} (page address not recorded)")
    day = today or datetime.date.today()
    parts.append(f"read offline, {day.isoformat()}")
    return ", ".join(parts) + "."


def cited_text(
    passage: str, essay: Essay, section_id: str, today: datetime.date | None = None
) -> str:
    """The copied passage followed by its citation on a line of its own."""
    return f"{passage.rstrip()}\n\n— {citation_line(essay, section_id, today)}"
