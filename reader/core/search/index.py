"""``SearchIndex``: the library's index opened and queried, and ``open_search_index``.

Queries (``SearchIndex.search``): plain words must all occur (BM25F, title
weighted above body); when no section has all of them the sections with any are
shown and ``SearchResults.message`` says so. A word with few exact hits also
matches words within an edit distance (1 for short words, 2 for long ones);
such fuzzy-only sections always rank below the exact ones, and "Did you mean
…?" comes from the library's own vocabulary. Any input is safe: it is cleaned
and capped, and when the parser fails the words are searched as plain terms;
no exception leaves ``search``.

Aliases (for the cross-reference index): pass ``synonyms``, a mapping from a
name as people type it to the other names of the same thing, e.g.
``{"Ploiesti": ["Ploesti", "Ploiești"], "Ploesti": ["Ploiesti", "Ploiești"]}``.
A query that contains a key (case and accent insensitive, outside quotes) also
looks for the other names, as phrases at a lower boost. A declared spelling is
not a typo: sections found through it are exact hits, ``SearchResults.also_spelled``
names the spellings the text uses, and no "Did you mean" replaces it. The index itself
does not depend on the synonyms, so changing them needs no rebuild.

One essay (``search(..., essay=ID)``): only that essay's sections are matched,
ranked and counted, with the statistics of the whole library.

Keeping up with the library: ``update_essay`` (an essay imported or updated) and
``remove_essay`` change only that essay's documents, in one writer transaction;
``open`` does the same by itself for every essay whose fingerprint changed since
the index was written (see ``storage``). ``check_reload`` and ``take_reload`` take a
new library whose changes another process already wrote (an import from the window).
"""

from __future__ import annotations

import dataclasses
import logging
import weakref
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from whoosh import qparser, query, scoring

from reader.core.content import Essay, Library
from reader.core.search import storage
from reader.core.search.analysis import WORD
from reader.core.search.highlight import Matcher, matched_words, snippet
from reader.core.search.query import (
    FEW_EXACT_HITS,
    MAX_NESTING,
    Concrete,
    apply_synonyms,
    clean_query,
    compile_synonyms,
    is_conjunction,
    make_parser,
    nesting,
    plain_query,
    typed_aliases,
)
from reader.core.search.ranking import Ranker
from reader.core.search.results import Hit, SearchResults
from reader.core.search.storage import ProgressFn, StepFn
from reader.core.search.suggestions import Suggester
from reader.core.text import fold

log = logging.getLogger(__name__)

DEFAULT_LIMIT = 20
MAX_LIMIT = 1000


class SearchIndex:
    """The library's search index in ``cache_dir/search``: opened, built and queried.

    Nothing happens in the constructor; ``open()`` (or the first ``search()``)
    opens the index, building it when it is missing, stale or damaged.
    """

    def __init__(
        self,
        library: Library,
        cache_dir: Path,
        synonyms: Mapping[str, Sequence[str]] | None = None,
    ) -> None:
        self.library = library
        self.store = storage.Store(library, Path(cache_dir))
        self.cache_dir = self.store.cache_dir
        self.folder = self.store.folder
        self._synonyms = compile_synonyms(synonyms or {})
        self._ix: Any = None
        self._searcher: Any = None
        self._ranker: Ranker | None = None
        self._schema: Any = None
        self._parsers: dict[type, Any] = {}
        self._matcher = Matcher(None)
        self._follow_library()

    # -- state --

    @property
    def fingerprint(self) -> str:
        return self.store.fingerprint

    @property
    def in_memory(self) -> bool:
        """Whether the index was built in memory because the cache was not writable."""
        return self.store.in_memory

    def is_current(self) -> bool:
        """Whether the index on disk claims to match the content (no whoosh opened)."""
        return self.store.is_current()

    # -- opening --

    def open(self, progress: ProgressFn | None = None) -> str:
        """Open the index, rebuilding it when needed; returns a status message or "".

        Never raises for a damaged, stale or unwritable index; raises ``LockError``
        only if another process holds the writer (it is then building the index).
        """
        if self._searcher is not None:
            return ""
        ix, message = self.store.open(progress)
        self._use(ix)
        return message

    def prepare_suggestions(self) -> None:
        """Gather what "Did you mean" needs now rather than on the first unknown word."""
        self._suggester.prepare()

    def close(self) -> None:
        self._close_searcher()
        self._ix = None

    def __enter__(self) -> SearchIndex:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # -- keeping up with the library --

    def update_essay(self, essay: Essay, step: StepFn | None = None) -> None:
        """Index ``essay`` (new, or changed on disk) in place of its old documents.

        Only that essay's documents are deleted and written, in one transaction; the
        essay also takes its place in this index's library. Opens the index first if
        needed (which may build it). Raises ``LockError`` when another process holds
        the writer, and whoosh's errors when the index cannot be written (the next
        ``open`` then repairs it). ``step(name)`` is called after each writer step.
        """
        essays = list(self.library.essays)  # a new library: the window's is not changed
        place = next((n for n, e in enumerate(essays) if e.id == essay.id), None)
        if place is None:
            essays.append(essay)
        else:
            essays[place] = essay
        self._take(essays)
        self._apply([essay], [], step)

    def remove_essay(self, essay_id: str, step: StepFn | None = None) -> None:
        """Delete an essay's documents from the index (and the essay from its library)."""
        self._take([e for e in self.library.essays if e.id != essay_id])
        self._apply([], [essay_id], step)

    def _take(self, essays: list[Essay]) -> None:
        """This index's library from now on: ``essays``, in a new library object (one
        handed in, the window's, is never changed in place)."""
        self.library = dataclasses.replace(self.library, essays=essays)
        self.store.library = self.library
        self.store.forget()

    def take_same(self, library: Library) -> bool:
        """Search ``library`` from now on if it holds this index's very essays (another
        library object with the same text: its problems, say, changed); False if not."""
        mine = self.library.essays
        if len(mine) != len(library.essays) or any(
            a is not b for a, b in zip(mine, library.essays, strict=True)
        ):
            return False
        self.library = self.store.library = library
        return True

    def check_reload(self, library: Library) -> Any | None:
        """Whether another process (an import from the window) already wrote ``library``
        into the index on disk: the index opened if so, to be taken with
        ``take_reload``; else None (then ``update_essay`` it is). Nothing changes here
        yet. Not health-checked again: the process that wrote it checked it before its
        commit, and the probe costs ~50 ms of the window's time at a thousand essays
        (an index damaged in the moment since would make searches say they could not
        be run; the next start checks every file and rebuilds it)."""
        if self.in_memory or self._ix is None:
            return None
        if not storage.Store(library, self.cache_dir).is_current():
            return None
        try:
            return storage.open_checked(self.folder, None, probe=False)
        except storage.LockError:
            return None

    def take_reload(self, library: Library, ix: Any) -> None:
        """Search ``ix`` (from ``check_reload``) from now on, for ``library``."""
        store = storage.Store(library, self.cache_dir)
        self._close_searcher()
        self.library, self.store = library, store
        self._use(ix)
        self._follow_library()

    def _apply(self, write: list[Essay], drop: list[str], step: StepFn | None) -> None:
        if self._ix is None:
            self.store.forget()
            self.open()  # brings every essay up to date, this one included
        else:
            self._close_searcher()
            self._use(self.store.update(self._ix, write, drop, step))
        self._follow_library()

    def _follow_library(self) -> None:
        """Results and suggestions from this index's library as it is now."""
        self._sections = {(s.document, s.id): s for s in self.library.sections()}
        self._suggester = Suggester(self.library)

    def _close_searcher(self) -> None:
        if self._searcher is not None:
            try:
                self._searcher.close()
            except Exception:  # closing is best effort: the files go with the process
                log.warning("cannot close the search index", exc_info=True)
        self._searcher = None
        self._ranker = None

    def _use(self, ix: Any) -> None:
        self._ix = ix
        self._schema = ix.schema  # reading it from the index re-reads the TOC file
        self._searcher = ix.searcher(weighting=scoring.BM25F())
        self._ranker = Ranker(self._searcher)
        # An index dropped without close() still closes its files, without warnings.
        weakref.finalize(self, _close_quietly, self._searcher)
        self._matcher = Matcher(self._schema["body"].analyzer)
        self._parsers = {}

    def drop_caches(self) -> None:
        """Forget what earlier searches keep for later ones (postings, phrases), so a
        search is timed as the first of its words."""
        if self._ranker is not None and self._ranker.bulk is not None:
            self._ranker.bulk.forget()

    # -- searching --

    def search(
        self, text: str, limit: int = DEFAULT_LIMIT, essay: str | None = None
    ) -> SearchResults:
        """Search for ``text`` (in the essay ``essay`` only, when given); any input is
        accepted and no exception escapes."""
        cleaned = clean_query(text)
        if not cleaned:
            return SearchResults(query="")
        limit = max(1, min(int(limit), MAX_LIMIT))
        try:
            self.open()
        except Exception as exc:  # e.g. another process holds the writer
            log.warning("search index unavailable", exc_info=True)
            return SearchResults(cleaned, message=f"The search index is not available: {exc}")
        try:
            return self._search(cleaned, limit, essay=essay)
        except Exception:  # the parser's failures on odd input: search the words instead
            log.info("query %r not parsed; searching its words", cleaned, exc_info=True)
        try:
            return self._search(cleaned, limit, plain=True, essay=essay)
        except Exception:  # e.g. damage found at query time: say so, do not crash
            log.warning("plain search failed for %r", cleaned, exc_info=True)
            return SearchResults(
                cleaned, mode="all", message="The search could not be run; try other words."
            )

    def _parser(self, group: type) -> Any:
        if group not in self._parsers:
            self._parsers[group] = make_parser(self._schema, group)
        return self._parsers[group]

    def _parse(self, text: str, group: type, plain: bool) -> Any:
        if plain or nesting(text) > MAX_NESTING:
            return plain_query(text, self._schema["body"].analyzer, group)
        return self._parser(group).parse(text)

    def _search(
        self, text: str, limit: int, plain: bool = False, essay: str | None = None
    ) -> SearchResults:
        assert self._ranker is not None
        reader = self._searcher.reader()
        only = None
        if essay is not None:
            only = set(self._searcher.docs_for_query(query.Term("document", essay)))
        aliased = apply_synonyms(text, self._synonyms) if self._synonyms and not plain else text
        for group, mode in ((qparser.AndGroup, "all"), (qparser.OrGroup, "any")):
            parsed = self._parse(text, group, plain)
            wide_source = self._parse(aliased, group, plain) if aliased != text else parsed
            # The declared spellings are part of the exact query: not near spellings.
            exact = Concrete(reader, fuzzy=False).rewrite(wide_source)
            widener = Concrete(reader, fuzzy=True)
            wide = widener.rewrite(wide_source)
            found: list[tuple[int, float, bool]] = []
            seen: set[int] = set()
            total = 0
            if exact is not query.NullQuery:
                top, total = self._ranker.top(exact, limit, only)
                for docnum, score in top:
                    found.append((docnum, score, True))
                    seen.add(docnum)
            widened = widener.widened
            if widened and wide is not query.NullQuery:
                top, count = self._ranker.top(wide, limit + len(seen), only)
                total = max(total, count)  # wide finds the exact hits too
                for docnum, score in top:
                    if docnum not in seen:
                        found.append((docnum, score, False))
            if found or mode == "any" or not is_conjunction(parsed):
                break
        # Exact hits show only what the query asked for; the others, what widened it too.
        # A phrase is matched as a whole: its words alone are not hits.
        exact_terms = matched_words(exact)
        # Where the name as typed occurs, only it is marked, not a longer declared name.
        typed_terms = (
            matched_words(Concrete(reader, fuzzy=False).rewrite(parsed))
            if aliased != text else None
        )
        wide_terms = exact_terms
        if widened:
            wide_loose, wide_phrases = matched_words(wide)
            wide_terms = (exact_terms[0] | wide_loose, exact_terms[1] | wide_phrases)
        forms: dict[str, str] = {}
        hits = [
            hit
            for hit in (
                self._hit(reader, d, s, e, exact_terms if e else wide_terms, forms,
                          typed_terms if e else None)
                for d, s, e in found[:limit]
            )
            if hit
        ]
        message = ""
        if hits and mode == "any":
            message = "No section contains all the words; showing sections with any of them."
        aliases = typed_aliases(text, self._synonyms) if aliased != text else []
        also_spelled = self._also_spelled(aliases, hits)
        suggestion = None
        if not found or not found[0][2] or len(found) < FEW_EXACT_HITS:
            declared = {fold(w) for typed, _ in aliases for w in WORD.findall(typed)}
            suggestion = self._suggester.suggest(
                text, self._schema["body"].analyzer, reader, widener.near, forms, declared)
        if not hits:
            message = "No results." + (f" Did you mean “{suggestion}”?" if suggestion else "")
        return SearchResults(
            text, hits, max(total, len(hits)), mode, message, suggestion, also_spelled
        )

    @staticmethod
    def _also_spelled(aliases: list[tuple[str, list[str]]], hits: list[Hit]) -> str:
        """"Ploiesti is also spelled Ploesti": the declared spellings the hits use."""
        written = [fold(term) for hit in hits for term in hit.terms]
        notes = []
        for typed, others in aliases:
            used = [
                name for name in others
                if fold(name) != fold(typed)
                and any(f" {fold(name)} " in f" {w} " for w in written)
            ]
            # "Ploesti", not also "Ploesti oil fields": the shortest spellings say it.
            used = [n for n in used if not any(fold(n).startswith(fold(m) + " ") for m in used)]
            if used:
                notes.append(f"{typed} is also spelled {', '.join(dict.fromkeys(used))}")
        return "; ".join(notes) + ("." if notes else "")

    def _hit(
        self, reader: Any, docnum: int, score: float, exact: bool,
        terms: tuple[set[str], set[tuple[str, ...]]], forms: dict[str, str],
        first: tuple[set[str], set[tuple[str, ...]]] | None = None,
    ) -> Hit | None:
        """Build a hit; ``forms`` collects term -> a form written in the text. The
        ``first`` terms are marked instead of ``terms`` when the section has them."""
        stored = reader.stored_fields(docnum)
        section = self._sections.get((stored.get("document"), stored.get("section")))
        if section is None:
            return None
        seen: dict[str, str] = {}
        loose, phrases = terms
        if first:
            both = f"{section.title}\n{section.text}"
            has = {t for _, _, t in self._matcher.spans(both, first[0], False, first[1])}
            if first[0] <= has and {p[0] for p in first[1]} <= has:
                loose, phrases = first  # the section has all the words as typed
        title_spans = self._matcher.spans(section.title, loose, phrases=phrases)
        spans = self._matcher.spans(section.text, loose, phrases=phrases)
        for text, found in ((section.title, title_spans), (section.text, spans)):
            for start, end, term in found:
                form = text[start:end]
                seen.setdefault(form.casefold(), form)
                if term not in forms:
                    # A merged span ("Ploesti oil fields") names its term by one word.
                    words = WORD.findall(form)
                    forms[term] = next(
                        (w for w in words if fold(w).startswith(term[:3])), words[0] if words
                        else form)
        return Hit(
            document=section.document,
            section=section.id,
            title=section.title,
            score=float(score),
            fragments=snippet(section.text, spans),
            count=len(title_spans) + len(spans),
            terms=tuple(seen.values()),
            exact=exact,
        )


def _close_quietly(searcher: Any) -> None:
    try:
        searcher.close()
    except Exception:  # at exit or collection: logged, nobody else to tell
        log.debug("cannot close a dropped search index", exc_info=True)


def open_search_index(
    library: Library,
    cache_dir: Path,
    synonyms: Mapping[str, Sequence[str]] | None = None,
    progress: ProgressFn | None = None,
) -> tuple[SearchIndex, str]:
    """Open the library's index; a large stale one is first rebuilt in another process
    (not when a few essays changed: those are updated in place, here).

    If that process fails, the index is built in this one, and the message says so.
    """
    index = SearchIndex(library, cache_dir, synonyms)
    sections = sum(len(e.sections) for e in library.essays)
    failed = ""
    if (sections >= storage.PROCESS_BUILD_SECTIONS and not index.is_current()
            and index.store.needs_full_build()):
        failed = storage.build_in_child_process(library, cache_dir, progress)
    message = index.open(progress)
    index.prepare_suggestions()  # here, off the GUI thread, not on the first unknown word
    return index, " ".join(part for part in (failed, message) if part)


def update_search_index(library: Library, cache_dir: Path) -> str:
    """Bring the index in ``cache_dir`` up to date with ``library`` (only the essays
    that changed are written), then close it; a status message or "".

    For a caller that changed the library on disk and has no index open (the
    command line). Raises ``LockError`` when another process holds the writer.
    """
    index = SearchIndex(library, cache_dir)
    try:
        return index.open()
    finally:
        index.close()
