"""A cache of parsed essays, so that start-up needs neither Markdown nor YAML.

Parsing an essay imports Python-Markdown and pymdownx (whose import alone
compiles regular expressions for ~0.2 s) and converts the text. The result
depends only on the essay's own essay.md and related.yaml (figure files are
looked up again on every load), on the code that parses it and on the
parsing libraries, so it is stored as JSON under a key made of those and
reused until one of them changes (``reader.core.cache``).
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import importlib.util
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from reader.core import cache, derived, safefile
from reader.core.model import (
    ESSAY_FILE,
    RELATED_FILE,
    Essay,
    Figure,
    Link,
    Problem,
    RelatedPage,
    Section,
)
from reader.core.yamlfile import MAX_TEXT_BYTES

#: The modules whose code makes a cached essay.
PRODUCERS = (
    "reader.core.content",
    "reader.core.content_cache",
    "reader.core.critic",
    "reader.core.links",
    "reader.core.markdown_ext",
    "reader.core.model",
    "reader.core.readings",
    "reader.core.resources",
    "reader.core.safefile",
    "reader.core.yamlfile",
)

Parser = Callable[[Path], tuple[Essay | None, list[Problem]]]


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


@functools.cache
def _code() -> str:
    """The parsing code and libraries: they do not change while the reader runs."""
    return derived.combine(derived.code_key(PRODUCERS), _library_versions())


def content_fingerprint(folder: Path) -> str:
    """A hash of the files a parsed essay is made from (raises OSError if unreadable)."""
    digest = hashlib.sha256()
    for name in (ESSAY_FILE, RELATED_FILE):
        path = folder / name
        digest.update(f"|{name}|".encode())
        if path.is_file():
            digest.update(safefile.read_regular(path, MAX_TEXT_BYTES))
        else:
            digest.update(b"-")
    return digest.hexdigest()


def cache_key(folder: Path) -> str:
    """The essay's files, the parsing code and the libraries, as one key."""
    return derived.combine(content_fingerprint(folder), _code())


def _to_json(essay: Essay, problems: list[Problem]) -> dict[str, Any]:
    return {
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


def _from_json(folder: Path, data: Any, key: str = "") -> tuple[Essay, list[Problem]]:
    """The essay back from its entry; raises KeyError/TypeError/ValueError on a wrong shape."""
    if not isinstance(data, dict) or not isinstance(data.get("meta"), dict):
        raise TypeError("not an essay entry")
    for name in ("markdown", "body_html"):
        if not isinstance(data[name], str):
            raise TypeError(f"{name}: not text")
    if not isinstance(data["body_line"], int) or isinstance(data["body_line"], bool):
        raise TypeError("body_line: not a number")
    figures = []
    for f in _list(data["figures"]):
        if not isinstance(f, dict) or not isinstance(f.get("declared"), str):
            raise TypeError("figure: no declared path")
        declared = Path(os.path.normpath(folder / f["declared"]))
        figures.append(cache.build(Figure, f, declared=declared))
    essay = Essay(
        id=folder.name,
        folder=folder,
        meta=dict(data["meta"]),
        markdown=data["markdown"],
        body_line=data["body_line"],
        sections=[cache.build(Section, s) for s in _list(data["sections"])],
        figures=figures,
        links=[cache.build(Link, link) for link in _list(data["links"])],
        related=[cache.build(RelatedPage, page) for page in _list(data["related"])],
        body_html=data["body_html"],
        source_key=key,
    )
    problems = []
    for p in _list(data["problems"]):
        if not isinstance(p, dict) or not isinstance(p.get("path"), str):
            raise TypeError("problem: no path")
        problems.append(cache.build(Problem, p, path=folder / p["path"]))
    return essay, problems


def _list(value: Any) -> list[Any]:
    if not isinstance(value, list):
        raise TypeError("not a list")
    return value


def entry_path(folder: Path, cache_dir: Path) -> Path:
    """Where one essay's entry is kept (one per essay, replaced when stale)."""
    return cache_dir / "essays" / f"{folder.name}.json"


def load(folder: Path, cache_dir: Path, parse: Parser) -> tuple[Essay | None, list[Problem]]:
    """The parsed essay from the cache, or from ``parse`` (then stored for next time)."""
    folder = folder.resolve()
    try:
        key = cache_key(folder)
    except OSError:
        return parse(folder)
    entry = entry_path(folder, cache_dir)
    data = cache.load(entry, key)
    if data is not None:
        try:
            return _from_json(folder, data, key)
        except (KeyError, TypeError, ValueError, AttributeError):
            pass  # the wrong shape: parse again
    essay, problems = parse(folder)
    if essay is not None:
        cache.store(entry, key, _to_json(essay, problems))
        essay.source_key = key
    return essay, problems
