"""Keys for derived data (caches, the search index): what they were made from.

A cache entry is valid only for the content it was made from and for the code
that made it. ``code_key`` hashes the source files of the modules that produce
an entry, so changing the parser, the analyzer or a schema invalidates every
entry made by the old code without anyone bumping a version number.
"""

from __future__ import annotations

import hashlib
import importlib.util
from collections.abc import Iterable
from pathlib import Path


def code_key(modules: Iterable[str]) -> str:
    """A short hash of the source of the named modules (``"reader.core.parse"``, ...)."""
    digest = hashlib.sha256()
    for name in sorted(set(modules)):
        digest.update(name.encode())
        spec = importlib.util.find_spec(name)
        origin = spec.origin if spec is not None else None
        if origin and Path(origin).is_file():
            digest.update(Path(origin).read_bytes())
        else:  # e.g. a frozen bundle without sources: fall back to the module name
            digest.update(b"?")
    return digest.hexdigest()[:16]


def combine(*parts: str) -> str:
    """One key from several (content fingerprint, code key, options)."""
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()[:16]
