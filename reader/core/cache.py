"""Derived data kept as JSON files in the cache folder, valid for one key only.

An entry is ``{"format": "reader-derived", "key": KEY, "data": DATA}``. The
key says what the data was made from (a fingerprint of the content, combined
with ``derived.code_key`` of the code that made it), so an entry made from
other content or by other code is never used. A cache is only ever a saving:
an entry that is missing, damaged, of another key or of the wrong shape reads
as None (the caller builds the data again), and a cache folder that cannot be
written is silently not used.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from reader.core import atomic

#: Marks a file as one of these entries (it is not a version number: what the
#: entry was made by is in its key).
FORMAT = "reader-derived"


def load(path: Path, key: str) -> Any:
    """The data stored at ``path`` under ``key``; None if there is none that can be used."""
    try:
        entry = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(entry, dict) or entry.get("format") != FORMAT or entry.get("key") != key:
        return None
    return entry.get("data")


def store(path: Path, key: str, data: Any) -> bool:
    """Keep ``data`` at ``path`` under ``key``, atomically; False if the cache is unwritable."""
    try:
        text = json.dumps({"format": FORMAT, "key": key, "data": data}, ensure_ascii=False)
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic.write_text(path, text)
    except (OSError, TypeError, ValueError):
        return False
    return True
