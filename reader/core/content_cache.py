"""A cache of parsed essays, so that start-up needs neither Markdown nor YAML.

Parsing an essay imports Python-Markdown and pymdownx (whose import alone
compiles regular expressions for ~0.2 s) and converts the text. The result
depends only on the essay's own files and on this code, so it is stored as
JSON in the cache directory under a key made of those, and reused until one
of them changes. The cache is derived data: anything unreadable is ignored
and rebuilt; a cache that cannot be written is simply not used.
"""

from __future__ import annotations

import dataclasses
import hashlib
import importlib.util
import json
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from reader import __version__
from reader.core.content import (
    ESSAY_FILE,
    RELATED_FILE,
    Essay,
    Figure,
    Link,
    Problem,
    RelatedPage,
    Section,
)

#: Bump when the parsed form changes in a way the version numbers do not show.
CACHE_FORMAT = 1
_CODE_FILES = ("content.py", "markdown_ext.py", "content_cache.py")

Parser = Callable[[Path], tuple[Essay | None, list[Problem]]]


class Error(Exception):
    """A cache entry that cannot be used (never raised to callers)."""


def _library_versions() -> str:
    """Where the parsing libraries are installed and when: an upgrade changes it.

    (``importlib.metadata`` would say the version, but importing it costs more
    than the whole cached start-up.)
    """
    stamps = []
    for name in ("markdown", "pymdownx", "yaml"):
        spec = importlib.util.find_spec(name)  # finds the module without importing it
        origin = spec.origin if spec is not None else None
        if origin and os.path.exists(origin):
            stamps.append(f"{origin}:{os.stat(origin).st_mtime_ns}")
        else:
            stamps.append(f"{name}:?")
    return ",".join(stamps)


def cache_key(folder: Path) -> str:
    """A fingerprint of the essay's files, the parsing code and the libraries' versions."""
    digest = hashlib.sha256(f"{CACHE_FORMAT}|{__version__}|{_library_versions()}".encode())
    here = Path(__file__).parent
    for name in _CODE_FILES:
        stat = (here / name).stat()
        digest.update(f"|{name}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    for name in (ESSAY_FILE, RELATED_FILE):
        path = folder / name
        digest.update(f"|{name}|".encode())
        if path.is_file():
            digest.update(path.read_bytes())
    return digest.hexdigest()[:32]


def _to_json(essay: Essay, problems: list[Problem]) -> dict[str, Any]:
    return {
        "format": CACHE_FORMAT,
        "meta": essay.meta,
        "markdown": essay.markdown,
        "body_line": essay.body_line,
        "body_html": essay.body_html,
        "sections": [dataclasses.asdict(s) for s in essay.sections],
        "figures": [
            {**dataclasses.asdict(f), "declared": os.path.relpath(f.declared, essay.folder)}
            for f in essay.figures
        ],
        "links": [dataclasses.asdict(link) for link in essay.links],
        "related": [dataclasses.asdict(page) for page in essay.related],
        "problems": [{"path": p.path.name, "line": p.line, "message": p.message} for p in problems],
    }


def _from_json(folder: Path, data: dict[str, Any]) -> tuple[Essay, list[Problem]]:
    if data.get("format") != CACHE_FORMAT:
        raise Error("old cache format")
    figures = [
        Figure(**{**f, "declared": Path(os.path.normpath(folder / f["declared"]))})
        for f in data["figures"]
    ]
    essay = Essay(
        id=folder.name,
        folder=folder,
        meta=data["meta"],
        markdown=data["markdown"],
        body_line=data["body_line"],
        sections=[Section(**s) for s in data["sections"]],
        figures=figures,
        links=[Link(**link) for link in data["links"]],
        related=[RelatedPage(**page) for page in data["related"]],
        body_html=data["body_html"],
    )
    problems = [Problem(folder / p["path"], p["line"], p["message"]) for p in data["problems"]]
    return essay, problems


def load(folder: Path, cache_dir: Path, parse: Parser) -> tuple[Essay | None, list[Problem]]:
    """The parsed essay from the cache, or from ``parse`` (then stored for next time)."""
    folder = folder.resolve()
    try:
        key = cache_key(folder)
    except OSError:
        return parse(folder)
    entry = cache_dir / "essays" / f"{folder.name}-{key}.json"
    try:
        return _from_json(folder, json.loads(entry.read_text(encoding="utf-8")))
    except (OSError, ValueError, KeyError, TypeError, Error):
        pass  # missing, stale or damaged: parse again
    essay, problems = parse(folder)
    if essay is not None:
        _store(entry, _to_json(essay, problems))
    return essay, problems


def _store(entry: Path, data: dict[str, Any]) -> None:
    try:
        entry.parent.mkdir(parents=True, exist_ok=True)
        for old in entry.parent.glob(f"{entry.name.rsplit('-', 1)[0]}-*.json"):
            old.unlink(missing_ok=True)  # earlier versions of this essay
        handle, tmp = tempfile.mkstemp(dir=entry.parent, suffix=".tmp")
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            json.dump(data, out, ensure_ascii=False)
        os.replace(tmp, entry)
    except (OSError, TypeError, ValueError):
        pass  # an unwritable cache only costs time
