"""Importing pages and books into the reader's library (``reader.core.library``).

An import is atomic per essay: the edition is written to a temporary folder inside
the library folder and renamed into place, so a crash leaves either the old essay
or the new one, never half of one. A page already in the library is recognised,
by its address, its file, or its title and text: the shipped essay is never
duplicated, and importing one of the reader's own essays again updates it in
place, keeping the ids of sections whose titles did not change (bookmarks refer
to them), the pictures the reader gave its figures, and any ``index.yaml`` or
``timeline.yaml`` added to its folder by hand that the new edition does not bring.

Kept apart from ``reader.core.library`` so that loading the library, on the way to
the window's first paint, does not load the importers.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import re
import secrets
import shutil
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reader.core import content
from reader.core.importers import ImportRefused, read_draft
from reader.core.importers.draft import (
    Draft,
    DraftFigure,
    Heading,
    Paragraph,
    folded_title,
    slug,
    unique,
    write_edition,
)
from reader.core.library import (
    _IMPORTING,
    _REPLACED,
    Cancelled,
    ImportResult,
    Progress,
    _locked,
    _sync,
    clean_up,
)
from reader.core.model import OVERRIDE_SUFFIXES, Library, Problem
from reader.core.related import normal_address
from reader.core.text import fold
from reader.core.timeline import TIMELINE_FILE
from reader.core.xref import INDEX_FILE

#: Share of a page's word triples found in an essay for the two to be the same text.
_SAME_TEXT = 0.6


@dataclass
class Known:
    """An essay already in the library, as far as recognising a page needs it: the
    front matter at once, the parsed text only when a title matches (imports stay
    fast in a large library). A window describes the essays it has with these
    (``describe``), so that its import process need not read them."""

    essay_id: str
    title: str
    shipped: bool
    source_url: str
    source_file: str
    folder: Path
    cache_dir: Path | None = None
    _parsed: tuple[frozenset[int], dict[str, str]] | None = None

    def _parse(self) -> tuple[frozenset[int], dict[str, str]]:
        if self._parsed is None:
            essay, _ = content.load_essay(self.folder, self.cache_dir)
            if essay is None:
                self._parsed = frozenset(), {}
            else:
                text = "\n".join(s.text for s in essay.sections)
                ids = {folded_title(s.title): s.id for s in essay.sections}
                self._parsed = _shingles(text), ids
        return self._parsed

    @property
    def shingles(self) -> frozenset[int]:
        return self._parse()[0]

    @property
    def previous_ids(self) -> dict[str, str]:
        return self._parse()[1]


def import_paths(
    paths: Sequence[Path],
    library_dir: Path,
    shipped_library: Path | None,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
    cache_dir: Path | None = None,
    reported: Callable[[ImportResult], None] | None = None,
    known: Sequence[Known] | None = None,
) -> list[ImportResult]:
    """Import each input into ``library_dir``; one result per input, in order.

    ``progress(done, total, path)`` is called before each input, ``reported(result)``
    after it; when ``cancelled()`` turns true the remaining inputs are left alone
    ("cancelled"). Nothing is written for an input that is refused or already in
    the library. ``known`` (``describe`` of the library as loaded from these folders)
    saves reading every essay's front matter again to recognise the inputs.
    """
    library_dir.mkdir(parents=True, exist_ok=True)
    clean_up(library_dir)
    if known is not None:
        essays = [dataclasses.replace(k, cache_dir=cache_dir) for k in known]
    else:
        essays = _known_essays(shipped_library, library_dir, cache_dir)
    results: list[ImportResult] = []
    for number, raw in enumerate(paths):
        path = Path(raw)
        if cancelled is not None and cancelled():
            results.extend(
                ImportResult(Path(p), "cancelled", reason="cancelled") for p in paths[number:]
            )
            break
        if progress is not None:
            progress(number, len(paths), path)
        results.append(_import_one(path, library_dir, essays))
        if reported is not None:
            reported(results[-1])
    if progress is not None and results and results[-1].status != "cancelled":
        progress(len(paths), len(paths), Path(paths[-1]))
    return results


def _import_one(path: Path, library_dir: Path, known: list[Known]) -> ImportResult:
    try:
        draft = read_draft(path)
    except ImportRefused as exc:
        return ImportResult(path, "refused", reason=str(exc))
    with contextlib.suppress(OSError):
        draft.meta.setdefault("source_file", str(path.resolve()))
    draft.meta["format"] = draft.format
    draft.meta["imported"] = time.strftime("%Y-%m-%dT%H:%M:%S")
    result = ImportResult(path, "added", title=draft.title, format=draft.format)
    result.problems = list(draft.problems)
    match = _match(draft, known)
    if match is not None and match.shipped:
        result.status, result.essay_id = "exists", match.essay_id
        result.reason = f"already in the library: the shipped essay {match.essay_id!r}"
        return result
    temporary = library_dir / f"{_IMPORTING}{os.getpid()}-{secrets.token_hex(4)}"
    try:
        temporary.mkdir()
        write_edition(draft, temporary, match.previous_ids if match else {})
        essay, problems = content.parse_essay(temporary)
        if essay is None:
            raise ImportRefused("the edition could not be read back")
        problems += content.figure_problems(essay)
        problems += content.check_links(Library(library_dir, [essay], []))
        result.problems += [_problem_text(p, temporary) for p in problems]
        result.sections, result.figures = len(essay.sections), len(essay.figures)
        with _locked(library_dir):
            if match is not None and (library_dir / match.essay_id).is_dir():
                _keep_readers_files(library_dir / match.essay_id, temporary)
                _replace(temporary, library_dir / match.essay_id)
                result.status, essay_id = "updated", match.essay_id
            else:
                taken = {k.essay_id for k in known} | _folder_names(library_dir)
                essay_id = unique(slug(draft.title, "essay"), taken)
                os.rename(temporary, library_dir / essay_id)
            _sync(library_dir)
    except ImportRefused as exc:
        shutil.rmtree(temporary, ignore_errors=True)
        return ImportResult(path, "refused", title=draft.title, reason=str(exc))
    except OSError as exc:
        shutil.rmtree(temporary, ignore_errors=True)
        reason = f"could not be written to the library: {exc.strerror or exc}"
        return ImportResult(path, "refused", title=draft.title, reason=reason)
    result.essay_id = essay_id
    known[:] = [k for k in known if k.essay_id != essay_id]
    known.append(_describe(essay_id, draft.meta, library_dir / essay_id, False, None))
    return result


def _problem_text(problem: Problem, folder: Path) -> str:
    try:
        where = problem.path.relative_to(folder).as_posix()
    except ValueError:
        where = problem.path.name
    return f"{where}:{problem.line}: {problem.message}"


def _folder_names(folder: Path) -> set[str]:
    return {p.name for p in folder.iterdir()}


def _replace(new: Path, target: Path) -> None:
    """Put ``new`` in the place of the folder ``target``: two renames; a crash between
    them leaves ``.replaced-*``, which ``clean_up`` puts back."""
    aside = target.parent / f"{_REPLACED}{os.getpid()}-{secrets.token_hex(4)}-{target.name}"
    os.rename(target, aside)
    os.rename(new, target)
    shutil.rmtree(aside, ignore_errors=True)


#: Files a reader may add to an imported essay's folder by hand (the importers write
#: neither): an update keeps them unless the new edition brings its own.
_READERS_FILES = (INDEX_FILE, TIMELINE_FILE)


def _keep_readers_files(old: Path, new: Path) -> None:
    """What the reader added to the essay stays with the updated essay: the pictures
    given to stand-in figures, and an index of names or a timeline."""
    for name in _READERS_FILES:
        if (old / name).is_file() and not (new / name).exists():
            shutil.copy2(old / name, new / name)
    old_figures, new_figures = old / "figures", new / "figures"
    if not old_figures.is_dir() or not new_figures.is_dir():
        return
    for picture in old_figures.iterdir():
        if picture.suffix.lower() not in OVERRIDE_SUFFIXES:
            continue
        plate = new_figures / f"{picture.stem}.svg"
        if plate.is_file() and not (new_figures / picture.name).exists():
            shutil.copy2(picture, new_figures / picture.name)


def _shingles(text: str) -> frozenset[int]:
    words = re.findall(r"[a-z0-9]+", fold(text))
    return frozenset(hash(tuple(words[i : i + 3])) for i in range(max(0, len(words) - 2)))


def _draft_text(draft: Draft) -> str:
    parts: list[str] = []
    for block in draft.blocks:
        if isinstance(block, Heading):
            parts.append(block.title)
        elif isinstance(block, Paragraph):
            parts.append(re.sub(r"\]\([^)]*\)", " ", block.markdown).replace("\\", ""))
        elif isinstance(block, DraftFigure):
            parts.append(block.caption)
    return "\n".join(parts)


def _describe(
    essay_id: str, meta: dict[str, Any], folder: Path, shipped: bool, cache_dir: Path | None
) -> Known:
    return Known(
        essay_id=essay_id,
        title=folded_title(str(meta.get("title") or essay_id)),
        shipped=shipped,
        source_url=normal_address(str(meta.get("source_url") or "")),
        source_file=str(meta.get("source_file") or ""),
        folder=folder,
        cache_dir=cache_dir,
    )


def describe(library: Library, cache_dir: Path | None = None) -> list[Known]:
    """The essays of ``library`` as an import recognises them (the text of one whose
    title matches a page's is read from disk)."""
    return [
        _describe(e.id, e.meta, e.folder, not library.imported(e), cache_dir)
        for e in library.essays
    ]


def _known_essays(
    shipped: Path | None, library_dir: Path, cache_dir: Path | None
) -> list[Known]:
    known: list[Known] = []
    for root, is_shipped in ((shipped, True), (library_dir, False)):
        if root is None or not root.is_dir():
            continue
        for folder in sorted(root.iterdir()):
            path = folder / content.ESSAY_FILE
            if folder.name.startswith(".") or not path.is_file():
                continue
            problems: list[Problem] = []
            text = content.read_text(path, problems)
            if text is None:
                continue
            meta, _, _ = content.split_front_matter(text, path, problems)
            known.append(_describe(folder.name, meta, folder, is_shipped, cache_dir))
    return known


def _match(draft: Draft, known: list[Known]) -> Known | None:
    url = normal_address(str(draft.meta.get("source_url") or ""))
    if url:
        found = next((k for k in known if k.source_url == url), None)
        if found is not None:
            return found
    source_file = str(draft.meta.get("source_file") or "")
    if source_file:
        found = next((k for k in known if k.source_file == source_file), None)
        if found is not None:
            return found
    title = folded_title(draft.title)
    shingles = _shingles(_draft_text(draft))
    for candidate in known:
        if candidate.title != title or not shingles or not candidate.shingles:
            continue
        shared = len(shingles & candidate.shingles)
        if shared / min(len(shingles), len(candidate.shingles)) >= _SAME_TEXT:
            return candidate
    return None


# -- listing and removing --------------------------------------------------------------------
