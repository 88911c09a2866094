"""The cross-references (index of names with mentions, timeline) cached as JSON.

Building them parses YAML and matches every alias against every section;
on a warm start the reader reads one small JSON file instead (no YAML import,
no regular expressions). The entry is keyed on everything it is made from:
index.yaml, timeline.yaml, every section's id and text (mentions are found in
the text), and the code that builds them (``reader.core.cache``).
"""

from __future__ import annotations

import functools
import hashlib
from dataclasses import asdict
from pathlib import Path
from typing import Any

from reader.core import cache, derived, safefile
from reader.core.model import Library
from reader.core.timeline import TIMELINE_FILE, Event, load_timeline
from reader.core.xref import INDEX_FILE, Entry, Index, Mention, load_index
from reader.core.yamlfile import MAX_TEXT_BYTES

CACHE_FILE = "xref.json"
#: The modules whose code makes the cached index and timeline.
PRODUCERS = (
    "reader.core.text",
    "reader.core.timeline",
    "reader.core.xref",
    "reader.core.xref_cache",
    "reader.core.yamlfile",
)


@functools.cache
def _code() -> str:
    return derived.code_key(PRODUCERS)


def fingerprint(library: Library) -> str:
    """The key of the library's cross-references: its files, its text and this code."""
    digest = hashlib.sha256()
    for essay in library.essays:
        digest.update(essay.id.encode() + b"\0")
        for name in (INDEX_FILE, TIMELINE_FILE):
            try:
                digest.update(safefile.read_regular(essay.folder / name, MAX_TEXT_BYTES))
            except OSError:  # missing, a pipe, a folder or too large: read as absent
                digest.update(b"-")
            digest.update(b"\0")
        if essay.source_key:  # its files and their parsing decide its sections
            digest.update(f"key\0{essay.source_key}\0".encode())
            continue
        for section in essay.sections:
            digest.update(f"{section.id}\0{section.text}\0".encode())
    return derived.combine(digest.hexdigest(), _code())


def _index_from(data: Any, library: Library) -> tuple[Index, list[Event]] | None:
    """The index and events back from an entry; None if it has the wrong shape."""
    try:
        if not isinstance(data, dict) or not all(
            isinstance(data.get(k), list) for k in ("entries", "mentions", "events")
        ):
            return None
        entries = [cache.build(Entry, e) for e in data["entries"]]
        mentions = [cache.build(Mention, m) for m in data["mentions"]]
        events = [cache.build(Event, e) for e in data["events"]]
    except (KeyError, TypeError, ValueError):
        return None
    texts = {(s.document, s.id): s.text for s in library.sections()}
    return Index(entries, mentions, texts, list(texts)), events


def load_cross_references(
    library: Library, cache_dir: Path | None
) -> tuple[Index, list[Event]]:
    """The index and the timeline, from the cache when it matches the content."""
    key = fingerprint(library)
    path = cache_dir / CACHE_FILE if cache_dir is not None else None
    if path is not None:
        data = cache.load(path, key)
        found = _index_from(data, library) if data is not None else None
        if found is not None:
            return found
    index, _ = load_index(library)
    events, _ = load_timeline(library)
    if path is not None:
        payload = {
            "entries": [asdict(e) for e in index.entries],
            "mentions": [asdict(m) for m in index.mentions],
            "events": [asdict(e) for e in events],
        }
        cache.store(path, key, payload)
    return index, events
