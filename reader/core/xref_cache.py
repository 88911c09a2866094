"""The cross-references (index of names with mentions, timeline) cached as JSON.

Building them parses YAML and matches every alias against every section;
on a warm start the reader reads one small JSON file instead (no YAML import,
no regular expressions). The file lives in the cache folder, keyed by a
fingerprint of index.yaml, timeline.yaml and the sections' text; it is
derived data: unreadable, stale or damaged, it is rebuilt, and a cache that
cannot be written is simply not used.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import asdict
from pathlib import Path
from typing import Any

from reader.core.content import Library
from reader.core.timeline import TIMELINE_FILE, Event, load_timeline
from reader.core.xref import INDEX_FILE, Entry, Index, Mention, load_index

CACHE_FILE = "xref.json"
#: Bump when Entry, Mention, Event or the matching rules change.
CACHE_VERSION = 1


class Error(Exception):
    """A cache file that cannot be used (it is then rebuilt)."""


def fingerprint(library: Library) -> str:
    digest = hashlib.sha256(f"xref-{CACHE_VERSION}".encode())
    for essay in library.essays:
        digest.update(essay.id.encode() + b"\0")
        for name in (INDEX_FILE, TIMELINE_FILE):
            try:
                digest.update((essay.folder / name).read_bytes())
            except OSError:
                digest.update(b"-")
            digest.update(b"\0")
        for section in essay.sections:
            digest.update(f"{section.id}\0{section.text}\0".encode())
    return digest.hexdigest()


def _index_from(data: dict[str, Any], library: Library) -> tuple[Index, list[Event]]:
    try:
        entries = [Entry(**{**e, "aliases": tuple(e["aliases"])}) for e in data["entries"]]
        mentions = [Mention(**m) for m in data["mentions"]]
        events = [Event(**{**e, "also": tuple(e["also"])}) for e in data["events"]]
    except (KeyError, TypeError) as exc:
        raise Error(f"unexpected cache contents: {exc}") from exc
    texts = {(s.document, s.id): s.text for s in library.sections()}
    return Index(entries, mentions, texts, list(texts)), events


def load_cross_references(
    library: Library, cache_dir: Path | None
) -> tuple[Index, list[Event]]:
    """The index and the timeline, from the cache when it matches the content."""
    key = fingerprint(library)
    path = cache_dir / CACHE_FILE if cache_dir is not None else None
    if path is not None:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if isinstance(data, dict) and data.get("key") == key:
                return _index_from(data, library)
        except (OSError, ValueError, Error):
            pass  # missing or damaged: rebuild below
    index, _ = load_index(library)
    events, _ = load_timeline(library)
    if path is not None:
        payload = {
            "key": key,
            "entries": [asdict(e) for e in index.entries],
            "mentions": [asdict(m) for m in index.mentions],
            "events": [asdict(e) for e in events],
        }
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            temporary = path.with_suffix(".tmp")
            temporary.write_text(json.dumps(payload, ensure_ascii=False), encoding="utf-8")
            os.replace(temporary, path)
        except OSError:
            pass  # a read-only cache: build every time
    return index, events
