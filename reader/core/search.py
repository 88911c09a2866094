"""Full-text search over the library's sections (the only module that imports whoosh).

One index document per section: the essay id, the section id, the title and the
body as the reader sees it (the figure caption included). Words spelt differently
in the original reading of the essay's corrections are indexed too, so a search
finds the text in either reading.

Analysis (``_analyzer``): words are case folded, accent folded ("Ploieşti" =
"ploiesti") and stemmed with the Porter stemmer ("Reichsmarks" = "Reichsmark",
"ores" = "ore"). At index time every pair of adjacent words separated by one space
or one hyphen is also indexed joined, so "Anti-Comintern" is found by
"anti comintern", "Anti-Comintern" and "AntiComintern", and "ice breakers" by
"icebreakers".

The index lives in ``<cache>/search``, keyed by a fingerprint of the content and
``SCHEMA_VERSION`` kept in a sidecar JSON file beside the index files. An up-to-date
index opens as it is; a stale one is rebuilt; a damaged one (whatever fails
the health check: open, searcher, one probe query, the sidecar's document count)
is set aside and rebuilt, with a message for the status bar. The index is derived
data: it is never the only copy of anything.

Queries (``SearchIndex.search``): plain words must all occur (BM25F, title
weighted above body); when no section has all of them the sections with any are
shown and ``SearchResults.message`` says so. ``"phrases"``, ``prefix*`` (capped
at ``MAX_EXPANSIONS`` terms), ``OR``, ``NOT``/``-word``, ``title:word`` and
``word~`` work. A word with few exact hits also matches words within an edit
distance (1 for short words, 2 for long ones); such fuzzy-only sections always
rank below the exact ones, and "Did you mean …?" comes from the library's own
vocabulary of unstemmed words. Any input is safe: it is cleaned and capped, and
when the parser fails the words are searched as plain terms; no exception leaves
``search``. Queries made of terms and phrases (nearly all) are scored by
``_BulkScorer``, which reads whole posting lists and computes whoosh's BM25F itself
(same scores, same order, a fraction of the time on large result sets); any other
shape is run by whoosh's own matchers.

Aliases (for the cross-reference index): pass ``synonyms``, a mapping from a name
as people type it to the other names of the same thing, e.g.
``{"Ploiesti": ["Ploesti", "Ploiești"], "Ploesti": ["Ploiesti", "Ploiești"]}``.
A query that contains a key (case and accent insensitive, outside quotes) also
looks for the other names, as phrases at a lower boost; sections found only
through an alias rank below the exact hits, like fuzzy ones. The index itself does
not depend on the synonyms, so changing them needs no rebuild.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import heapq
import json
import logging
import os
import re
import shutil
import time
import unicodedata
import warnings
import weakref
from collections import OrderedDict
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from html import escape
from itertools import accumulate
from pathlib import Path
from pickle import loads
from typing import Any

from whoosh import formats, qparser, query, scoring
from whoosh import index as whoosh_index
from whoosh.analysis import (
    Token,
    Tokenizer,
)
from whoosh.codec.base import Automata
from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.fields import ID, STORED, TEXT, Schema
from whoosh.filedb.filestore import RamStorage
from whoosh.index import LockError
from whoosh.support.charset import accent_map

from reader.core import readings
from reader.core.content import Essay, Library
from reader.core.xref import fold  # lowercase, accents stripped: as the index folds

log = logging.getLogger(__name__)

#: Bump whenever the schema or the analysis changes: old indexes are then rebuilt.
SCHEMA_VERSION = 3
INDEX_FOLDER = "search"
SIDECAR = "reader-index.json"
#: Longer input is cut: the parser's cost grows quadratically with length.
MAX_QUERY_CHARS = 300
#: A prefix or fuzzy word stands for at most this many index terms (most frequent first).
MAX_EXPANSIONS = 64
DEFAULT_LIMIT = 20
#: A word found in fewer sections than this also looks for near spellings.
FEW_EXACT_HITS = 3
FUZZY_BOOST = 0.4
ALIAS_BOOST = 0.6
TITLE_BOOST = 3.0
SNIPPET_CHARS = 180
TEXT_FIELDS = ("title", "body")

_WORD = re.compile(r"\w+(?:\.\w+)*")
#: Adjacent words are also indexed joined when only this separates them.
_JOINABLE_GAP = re.compile(r" {1,2}|[-‐‑]")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff]")
_OPERATORS = {"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE", "REQUIRE"}


class Error(Exception):
    """The search index cannot be built or used."""


# --- analysis ---------------------------------------------------------------------------


class WordAnalyzer(Tokenizer):
    """The whole analysis in one pass: words, case and accent folding, English stems,
    and at index time joined pairs ("icebreakers" for "ice breakers").

    Words are ``\\w+`` (dotted abbreviations kept whole). A joined token
    ("anticomintern" for "Anti-Comintern") takes the position of the first word,
    so phrases over the separate words still match; pairs with a number are not
    joined. One generator instead of a tokenizer and three filters: the chain's
    per-token overhead was a third of the build time of a large library.
    """

    def __init__(self, joins: bool = True, stem: bool = True) -> None:
        self.joins = joins
        self.stem = stem
        self._cache: dict[str, str] = {}

    def __getstate__(self) -> dict[str, Any]:
        return {"joins": self.joins, "stem": self.stem}  # the schema is pickled: no cache

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.joins = state["joins"]
        self.stem = state["stem"]
        self._cache = {}

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and self.__getstate__() == other.__getstate__()

    def __hash__(self) -> int:
        return hash((type(self), self.joins, self.stem))

    def term(self, word: str) -> str:
        """The indexed form of one word (or of two joined words)."""
        found = self._cache.get(word)
        if found is None:
            found = self.stem_folded(word.lower().translate(accent_map))
            if len(self._cache) < 200_000:
                self._cache[word] = found
        return found

    def stem_folded(self, folded: str) -> str:
        """The indexed form of a word already lowercased and accent-folded."""
        if not self.stem:
            return folded
        found = self._cache.get("\0" + folded)
        if found is None:
            found = _stem(folded)
            if len(self._cache) < 200_000:
                self._cache["\0" + folded] = found
        return found

    def __call__(
        self,
        value: str,
        positions: bool = False,
        chars: bool = False,
        keeporiginal: bool = False,
        removestops: bool = True,
        start_pos: int = 0,
        start_char: int = 0,
        tokenize: bool = True,
        mode: str = "",
        **kwargs: Any,
    ) -> Iterator[Token]:
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        token.boost = 1.0
        token.stopped = False
        joins = self.joins and mode == "index"
        term = self.term
        previous: re.Match[str] | None = None
        for pos, match in enumerate(_WORD.finditer(value)):
            word = match.group()
            if (
                joins
                and previous is not None
                and _JOINABLE_GAP.fullmatch(value, previous.end(), match.start())
                and not previous.group().isdigit()
                and not word.isdigit()
            ):
                token.text = term(previous.group() + word)
                if keeporiginal:
                    token.original = previous.group() + word
                token.pos = start_pos + pos - 1
                token.startchar = start_char + previous.start()
                token.endchar = start_char + match.end()
                yield token
            token.text = term(word)
            if keeporiginal:
                token.original = word
            token.pos = start_pos + pos
            token.startchar = start_char + match.start()
            token.endchar = start_char + match.end()
            yield token
            previous = match


def _stem(word: str) -> str:
    global _stemmer
    if _stemmer is None:
        from whoosh.lang import stemmer_for_language

        _stemmer = stemmer_for_language("en")
    return _stemmer(word)


_stemmer: Callable[[str], str] | None = None


def _analyzer() -> WordAnalyzer:
    """Index and query analysis for titles and bodies: fold, join (index only), stem."""
    return WordAnalyzer(joins=True, stem=True)


def make_schema() -> Schema:
    return Schema(
        key=ID(unique=True),
        document=ID(stored=True),
        section=ID(stored=True),
        title=TEXT(analyzer=_analyzer(), stored=True, multitoken_query="phrase"),
        body=TEXT(analyzer=_analyzer(), multitoken_query="phrase"),
        order=STORED,
    )


# --- results ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Hit:
    """One section found by a search.

    ``fragments`` is the snippet as ``(text, matched)`` pieces, so each front end
    marks matches its own way (``snippet()`` with ``**``, ``snippet_html()`` with
    ``<b>``). ``terms`` are the forms that matched as they are written in this
    section (stems, joins, fuzzy variants included), for highlighting the reading
    view; ``count`` is the number of matches in the title and body.
    """

    document: str
    section: str
    title: str
    score: float
    fragments: tuple[tuple[str, bool], ...]
    count: int
    terms: tuple[str, ...]
    #: False when the section was found only through a near spelling or an alias.
    exact: bool = True

    def snippet(self, mark: str = "**") -> str:
        return "".join(f"{mark}{text}{mark}" if hit else text for text, hit in self.fragments)

    def snippet_text(self) -> str:
        return "".join(text for text, _ in self.fragments)

    def snippet_html(self) -> str:
        return "".join(
            f"<b>{escape(text)}</b>" if hit else escape(text) for text, hit in self.fragments
        )


@dataclass(frozen=True)
class SearchResults:
    """What one query found, best first, with what the UI should tell the reader."""

    query: str
    hits: list[Hit] = field(default_factory=list)
    #: Sections matching, which may be more than ``len(hits)``.
    total: int = 0
    #: "all" (every word), "any" (fell back to any word), or "" (nothing searched).
    mode: str = ""
    #: One line for the reader, e.g. that the search fell back to any word.
    message: str = ""
    #: A corrected query for "Did you mean …?", or None.
    suggestion: str | None = None

    @property
    def terms(self) -> tuple[str, ...]:
        """Every matched form over all hits, each once (case-insensitively)."""
        seen: dict[str, str] = {}
        for hit in self.hits:
            for term in hit.terms:
                seen.setdefault(term.casefold(), term)
        return tuple(seen.values())


# --- the index --------------------------------------------------------------------------


def fingerprint(library: Library) -> str:
    """A hash of everything the index is built from, and of the schema version."""
    digest = hashlib.sha256(f"schema {SCHEMA_VERSION}\0".encode())
    for essay in library.essays:
        digest.update(f"essay\0{essay.id}\0".encode())
        digest.update(hashlib.sha256(essay.markdown.encode("utf-8", "replace")).digest())
        for section in essay.sections:
            for part in (section.id, section.title, section.text):
                digest.update(part.encode("utf-8", "replace"))
                digest.update(b"\0")
    return digest.hexdigest()


def _original_words(essay: Essay) -> dict[str, str]:
    """Per section, the words of the original reading that the corrected one lacks.

    Read from the CriticMarkup in the Markdown (the old side of substitutions and
    deletions) rather than by converting the essay again: a build of a large
    library would otherwise spend a third of its time in Python-Markdown.
    """
    if "{~~" not in essay.markdown and "{--" not in essay.markdown:
        return {}
    texts = {s.id: s.text for s in essay.sections}
    found: dict[str, list[str]] = {}
    for offset, old, _new in readings.marked_corrections(essay.markdown):
        owner = readings.section_at(essay, offset)
        if old and owner in texts:
            found.setdefault(owner, []).extend(_WORD.findall(old))
    result: dict[str, str] = {}
    for ident, words in found.items():
        known = {fold(w) for w in _WORD.findall(texts[ident])}
        extra = [w for w in dict.fromkeys(words) if fold(w) not in known]
        if extra:
            result[ident] = " ".join(extra)
    return result


def _documents(library: Library) -> Iterator[dict[str, Any]]:
    order = 0
    for essay in library.essays:
        originals = _original_words(essay)
        for section in essay.sections:
            yield {
                "key": f"{section.document}/{section.id}",
                "document": section.document,
                "section": section.id,
                "title": section.title,
                # Spellings of the original reading go at the end of the body:
                # found by a search, never part of a snippet (those come from .text).
                "body": f"{section.text}\n\n{originals[section.id]}"
                if section.id in originals else section.text,
                "order": order,
            }
            order += 1


#: A library this large is indexed by two writer processes, into two segments.
PARALLEL_BUILD_SECTIONS = 2000


def _write(ix: Any, library: Library, progress: Callable[[int, int], None] | None) -> int:
    total = sum(len(e.sections) for e in library.essays)
    if total >= PARALLEL_BUILD_SECTIONS:
        writer = ix.writer(procs=2, limitmb=128, multisegment=True)
    else:
        writer = ix.writer(limitmb=128)
    try:
        count = 0
        for doc in _documents(library):
            writer.add_document(**doc)
            count += 1
            if progress and (count % 50 == 0 or count == total):
                progress(count, total)
        writer.commit()
    except BaseException:
        writer.cancel()
        raise
    return count


def _read_sidecar(folder: Path) -> dict[str, Any]:
    try:
        data = json.loads((folder / SIDECAR).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _check_health(ix: Any, expected_docs: int | None) -> None:
    """Raise if the index cannot serve a query: searcher, probe query, document count."""
    with ix.searcher() as searcher:
        reader = searcher.reader()
        count = reader.doc_count()
        if expected_docs is not None and count != expected_docs:
            raise Error(f"index holds {count} sections, expected {expected_docs}")
        if count:
            first = next(iter(reader.all_stored_fields()), None)
            if not first or "document" not in first:
                raise Error("stored fields unreadable")
            probe = query.Term("document", first["document"])
            if not searcher.search(probe, limit=1):
                raise Error("probe query found nothing")


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
        self.cache_dir = Path(cache_dir)
        self.folder = self.cache_dir / INDEX_FOLDER
        self._synonyms = _compile_synonyms(synonyms or {})
        self._ix: Any = None
        self._searcher: Any = None
        self._bulk: _BulkScorer | None = None
        self._schema: Any = None
        self._parsers: dict[type, Any] = {}
        #: First letter -> (folded word, uses, a written form): for "Did you mean".
        self._vocabulary: dict[str, list[tuple[str, int, str]]] | None = None
        self._matcher = _Matcher(None)
        self._fingerprint: str | None = None
        self._sections = {(s.document, s.id): s for s in library.sections()}
        #: Set when the index was built in memory because the cache was not writable.
        self.in_memory = False

    # -- state --

    @property
    def fingerprint(self) -> str:
        if self._fingerprint is None:
            self._fingerprint = fingerprint(self.library)
        return self._fingerprint

    @property
    def is_open(self) -> bool:
        return self._searcher is not None

    def is_current(self) -> bool:
        """Whether the index on disk claims to match the content (no whoosh opened)."""
        sidecar = _read_sidecar(self.folder)
        return (
            sidecar.get("schema") == SCHEMA_VERSION
            and sidecar.get("fingerprint") == self.fingerprint
        )

    def set_synonyms(self, synonyms: Mapping[str, Sequence[str]]) -> None:
        """Replace the alias table (see the module docstring); no rebuild needed."""
        self._synonyms = _compile_synonyms(synonyms)

    # -- opening and building --

    def open(self, progress: Callable[[int, int], None] | None = None) -> str:
        """Open the index, rebuilding it when needed; returns a status message or "".

        Never raises for a damaged, stale or unwritable index; raises ``LockError``
        only if another process holds the writer (it is then building the index).
        """
        if self._searcher is not None:
            return ""
        message = ""
        sidecar = _read_sidecar(self.folder)
        if self.folder.exists() or self.folder.is_symlink():
            if self.is_current():
                ix = _open_checked(self.folder, sidecar.get("documents"))
                if ix is not None:
                    self._use(ix)
                    return ""
                message = "The search index was damaged and has been rebuilt."
            elif sidecar:
                log.info("search index out of date; rebuilding")
            else:
                message = "The search index was unreadable and has been rebuilt."
            self._set_aside(damaged=bool(message))
        try:
            ix = self._build_on_disk(progress)
        except LockError:
            raise
        except Exception as exc:
            log.warning("cannot save the search index: %s", _describe(exc))
            ix = self._build_in_memory(progress)
            message = f"The search index could not be saved ({exc}); searching from memory."
        self._use(ix)
        return message

    def rebuild(self, progress: Callable[[int, int], None] | None = None) -> str:
        """Discard the index and build it again."""
        self.close()
        self._set_aside(damaged=False)
        return self.open(progress)

    def close(self) -> None:
        if self._searcher is not None:
            with contextlib.suppress(Exception):
                self._searcher.close()
        self._searcher = None
        self._bulk = None
        self._ix = None

    def __enter__(self) -> SearchIndex:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def _use(self, ix: Any) -> None:
        self._ix = ix
        self._schema = ix.schema  # reading it from the index re-reads the TOC file
        self._searcher = ix.searcher(weighting=scoring.BM25F())
        self._bulk = _BulkScorer(self._searcher)
        # An index dropped without close() still closes its files, without warnings.
        weakref.finalize(self, _close_quietly, self._searcher)
        self._matcher = _Matcher(self._schema["body"].analyzer)
        self._parsers = {}

    def _set_aside(self, damaged: bool) -> None:
        """Move a damaged index out of the way (one copy is kept); delete a stale one."""
        if not (self.folder.exists() or self.folder.is_symlink()):
            return
        for old in self.cache_dir.glob(f"{INDEX_FOLDER}.damaged-*"):
            _remove(old)
        if damaged:
            stamp = time.strftime("%Y%m%d-%H%M%S")
            try:
                self.folder.rename(self.cache_dir / f"{INDEX_FOLDER}.damaged-{stamp}")
                return
            except OSError as exc:
                log.warning("cannot set the damaged index aside: %s", _describe(exc))
        _remove(self.folder)

    def _build_on_disk(self, progress: Callable[[int, int], None] | None) -> Any:
        self.cache_dir.mkdir(parents=True, exist_ok=True)
        building = self.cache_dir / f"{INDEX_FOLDER}.building-{os.getpid()}"
        _remove(building)
        building.mkdir()
        try:
            ix = whoosh_index.create_in(str(building), make_schema())
            count = _write(ix, self.library, progress)
            ix.close()
            sidecar = {
                "schema": SCHEMA_VERSION,
                "fingerprint": self.fingerprint,
                "documents": count,
                "built": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
            }
            (building / SIDECAR).write_text(json.dumps(sidecar, indent=1), encoding="utf-8")
            if self.folder.exists() or self.folder.is_symlink():
                # Another window may have finished first; its index is as good as ours.
                if self.is_current():
                    _remove(building)
                    return whoosh_index.open_dir(str(self.folder))
                _remove(self.folder)
            building.rename(self.folder)
        except BaseException:
            _remove(building)
            raise
        return whoosh_index.open_dir(str(self.folder))

    def _build_in_memory(self, progress: Callable[[int, int], None] | None) -> Any:
        self.in_memory = True
        ix = RamStorage().create_index(make_schema())
        _write(ix, self.library, progress)
        return ix

    # -- searching --

    def search(self, text: str, limit: int = DEFAULT_LIMIT) -> SearchResults:
        """Search for ``text``; any input is accepted and no exception escapes."""
        try:
            cleaned = clean_query(text)
        except Exception:  # pragma: no cover - clean_query is total, but be sure
            cleaned = ""
        if not cleaned:
            return SearchResults(query="")
        limit = max(1, min(int(limit), 1000))
        try:
            self.open()
        except Exception as exc:
            log.warning("search index unavailable: %s", _describe(exc))
            return SearchResults(cleaned, message=f"The search index is not available: {exc}")
        try:
            return self._search(cleaned, limit)
        except Exception as exc:
            log.info("query %r not parsed (%s); searching its words", cleaned, _describe(exc))
        try:
            return self._search(cleaned, limit, plain=True)
        except Exception as exc:
            log.warning("plain search failed for %r: %s", cleaned, _describe(exc))
            return SearchResults(
                cleaned, mode="all", message="The search could not be run; try other words."
            )

    def _parser(self, group: type) -> Any:
        if group in self._parsers:
            return self._parsers[group]
        parser = qparser.MultifieldParser(
            list(TEXT_FIELDS),
            self._schema,
            fieldboosts={"title": TITLE_BOOST, "body": 1.0},
            group=group,
        )
        for plugin in (
            qparser.WildcardPlugin, qparser.SingleQuotePlugin, qparser.RangePlugin,
            qparser.EveryPlugin,
        ):
            parser.remove_plugin_class(plugin)
        parser.add_plugin(qparser.PrefixPlugin())
        parser.add_plugin(qparser.FuzzyTermPlugin())
        parser.add_plugin(qparser.PlusMinusPlugin(plusexpr=r"(?<![^\s(])\+(?=[\w\"(])",
                                                  minusexpr=r"(?<![^\s(])-(?=[\w\"(])"))
        self._parsers[group] = parser
        return parser

    def _parse(self, text: str, group: type, plain: bool) -> Any:
        if plain:
            return self._plain_query(text, group)
        if _nesting(text) > 8:
            return self._plain_query(text, group)
        return self._parser(group).parse(text)

    def _plain_query(self, text: str, group: type) -> Any:
        """The words of ``text`` as plain terms: the fallback for input the parser rejects."""
        analyzer = self._schema["body"].analyzer
        clauses = []
        for word in _WORD.findall(text):
            if word in _OPERATORS:
                continue
            stems = [t.text for t in analyzer(word, mode="query")]
            for stem in stems:
                clauses.append(query.Or([
                    query.Term("title", stem, boost=TITLE_BOOST),
                    query.Term("body", stem),
                ]))
        if not clauses:
            return query.NullQuery
        return query.And(clauses) if group is qparser.AndGroup else query.Or(clauses)

    def _search(self, text: str, limit: int, plain: bool = False) -> SearchResults:
        searcher = self._searcher
        reader = searcher.reader()
        aliased = self._apply_synonyms(text) if self._synonyms and not plain else text
        for group, mode in ((qparser.AndGroup, "all"), (qparser.OrGroup, "any")):
            parsed = self._parse(text, group, plain)
            exact = _Concrete(reader, fuzzy=False).rewrite(parsed)
            wide_source = self._parse(aliased, group, plain) if aliased != text else parsed
            widener = _Concrete(reader, fuzzy=True)
            wide = widener.rewrite(wide_source)
            found: list[tuple[int, float, bool]] = []
            seen: set[int] = set()
            total = 0
            if exact is not query.NullQuery:
                top, total = self._top(exact, limit)
                for docnum, score in top:
                    found.append((docnum, score, True))
                    seen.add(docnum)
            widened = widener.widened or aliased != text
            if widened and wide is not query.NullQuery:
                top, count = self._top(wide, limit + len(seen))
                total = max(total, count)  # wide finds the exact hits too
                for docnum, score in top:
                    if docnum not in seen:
                        found.append((docnum, score, False))
            if found or mode == "any" or not _is_conjunction(parsed):
                break
        # Exact hits show only what the query asked for; the others, what widened it too.
        exact_terms = _matched_terms(exact)
        wide_terms = exact_terms | _matched_terms(wide) if widened else exact_terms
        forms: dict[str, str] = {}
        hits = [
            hit
            for hit in (
                self._hit(reader, d, s, e, exact_terms if e else wide_terms, forms)
                for d, s, e in found[:limit]
            )
            if hit
        ]
        message = ""
        if hits and mode == "any":
            message = "No section contains all the words; showing sections with any of them."
        suggestion = None
        if not found or not found[0][2] or len(found) < FEW_EXACT_HITS:
            suggestion = self._suggest(text, reader, widener.near, forms)
        if not hits:
            message = "No results." + (f" Did you mean “{suggestion}”?" if suggestion else "")
        return SearchResults(text, hits, max(total, len(hits)), mode, message, suggestion)

    def _top(self, q: Any, limit: int) -> tuple[list[tuple[int, float]], int]:
        """The best ``limit`` ``(docnum, score)`` pairs for ``q`` and how many matched."""
        found = self._bulk.search(q, limit) if self._bulk is not None else None
        if found is not None:
            return found
        results = self._searcher.search(q, limit=limit)
        top = [(hit.docnum, hit.score) for hit in results]
        return top, _count(results, self._searcher.reader())

    def _hit(
        self, reader: Any, docnum: int, score: float, exact: bool, terms: set[str],
        forms: dict[str, str],
    ) -> Hit | None:
        """Build a hit; ``forms`` collects term -> a form written in the text."""
        stored = reader.stored_fields(docnum)
        section = self._sections.get((stored.get("document"), stored.get("section")))
        if section is None:
            return None
        seen: dict[str, str] = {}
        title_spans = self._matcher.spans(section.title, terms)
        spans = self._matcher.spans(section.text, terms)
        for text, found in ((section.title, title_spans), (section.text, spans)):
            for start, end, term in found:
                form = text[start:end]
                seen.setdefault(form.casefold(), form)
                if term not in forms:
                    # A merged span ("Ploesti oil fields") names its term by one word.
                    words = _WORD.findall(form)
                    forms[term] = next(
                        (w for w in words if fold(w).startswith(term[:3])), words[0] if words
                        else form)
        return Hit(
            document=section.document,
            section=section.id,
            title=section.title,
            score=float(score),
            fragments=_snippet(section.text, spans),
            count=len(title_spans) + len(spans),
            terms=tuple(seen.values()),
            exact=exact,
        )

    def _suggest(
        self, text: str, reader: Any, near: Mapping[str, list[str]], forms: Mapping[str, str]
    ) -> str | None:
        """The query with unknown words replaced by the nearest indexed words.

        A near spelling that matched a shown hit is used as written there; otherwise
        the index's vocabulary of unstemmed words is asked.
        """
        analyzer = self._schema["body"].analyzer
        changed = False
        pieces: list[str] = []
        position = 0
        for match in _WORD.finditer(text):
            word = match.group()
            pieces.append(text[position:match.start()])
            position = match.end()
            replacement = word
            if word not in _OPERATORS and len(word) >= 3 and not word.isdigit():
                stems = [t.text for t in analyzer(word, mode="query")]
                known = any(reader.doc_frequency(f, s) for s in stems for f in TEXT_FIELDS)
                if not known:
                    written = next(
                        (forms[t] for s in stems for t in near.get(s, [])[:1] if t in forms), None
                    )
                    folded = fold(word)
                    if written is None and _max_distance(folded):
                        written = self._nearest_word(folded)
                    if written and fold(written) != folded:
                        replacement = _match_case(written, word)
                        changed = True
            pieces.append(replacement)
        pieces.append(text[position:])
        return "".join(pieces).strip() if changed else None

    def _nearest_word(self, folded: str) -> str | None:
        """The library's word nearest to ``folded`` (same first letter), most used first."""
        if self._vocabulary is None:
            counts: dict[str, int] = {}
            written: dict[str, str] = {}
            for section in self.library.sections():
                for word in _WORD.findall(f"{section.title} {section.text}"):
                    key = fold(word)
                    counts[key] = counts.get(key, 0) + 1
                    written.setdefault(key, word if not word.isupper() else word.lower())
            self._vocabulary = {}
            for key, count in counts.items():
                if len(key) > 2 and not key.isdigit():
                    self._vocabulary.setdefault(key[0], []).append((key, count, written[key]))
        limit = _max_distance(folded)
        best: tuple[int, int, str] | None = None
        for key, count, word in self._vocabulary.get(folded[:1], []):
            if key == folded or abs(len(key) - len(folded)) > limit:
                continue
            distance = _distance(folded, key)
            if distance <= limit and (best is None or (distance, -count) < best[:2]):
                best = (distance, -count, word)
        return best[2] if best else None

    def _apply_synonyms(self, text: str) -> str:
        """Add the other names of each alias found outside quotes, at a lower boost."""
        folded = fold(text)
        if len(folded) != len(text):
            return text  # folding changed offsets; aliases are a bonus, skip them
        edits: list[tuple[int, int, str]] = []
        for pattern, others in self._synonyms:
            for match in pattern.finditer(folded):
                if text.count('"', 0, match.start()) % 2:
                    continue
                if any(s < match.end() and match.start() < e for s, e, _ in edits):
                    continue
                original = text[match.start():match.end()]
                names = " OR ".join(f'"{name}"^{ALIAS_BOOST}' for name in others)
                edits.append((match.start(), match.end(), f'("{original}" OR {names})'))
        for start, end, replacement in sorted(edits, reverse=True):
            text = text[:start] + replacement + text[end:]
        return text


# --- query helpers ----------------------------------------------------------------------


def clean_query(text: object) -> str:
    """Control characters out, whitespace folded, length capped, brackets balanced-ish."""
    if not isinstance(text, str):
        text = "" if text is None else str(text)
    text = _CONTROL.sub(" ", text)
    text = "".join(c if not unicodedata.category(c).startswith("C") else " " for c in text)
    text = " ".join(text.split())
    if len(text) > MAX_QUERY_CHARS:
        text = text[:MAX_QUERY_CHARS].rsplit(" ", 1)[0] or text[:MAX_QUERY_CHARS]
    return text.strip()


def _nesting(text: str) -> int:
    depth = deepest = 0
    for char in text:
        if char == "(":
            depth += 1
            deepest = max(deepest, depth)
        elif char == ")":
            depth = max(0, depth - 1)
    return deepest


def _max_distance(word: str) -> int:
    """Edit distance allowed for a word: none for tiny words, 1 for short, 2 for long."""
    if len(word) < 4:
        return 0
    return 1 if len(word) < 8 else 2


def _distance(a: str, b: str) -> int:
    """Levenshtein distance (short words only: used to order a few near terms)."""
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        current = [i]
        for j, cb in enumerate(b, start=1):
            current.append(min(previous[j] + 1, current[j - 1] + 1,
                               previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


def _match_case(word: str, like: str) -> str:
    if like.isupper() and len(like) > 1:
        return word.upper()
    if like[:1].isupper():
        return word[:1].upper() + word[1:]
    return word


def _count(results: Any, reader: Any) -> int:
    """How many sections matched: counted on a small index, estimated on a large one
    (counting means running the query a second time)."""
    if results.has_exact_length() or reader.doc_count() <= 2000:
        return len(results)
    return max(results.scored_length(), results.estimated_length())


def _is_conjunction(q: Any) -> bool:
    """Whether falling back to "any word" could find more: an AND of several clauses."""
    if isinstance(q, query.And):
        return len([c for c in q.subqueries if not isinstance(c, query.Not)]) > 1
    if isinstance(q, query.AndNot):
        return _is_conjunction(q.a)
    return False


class _Concrete:
    """Turn a parsed query into terms that exist: prefixes and fuzzy words expanded
    (capped), and, with ``fuzzy``, rare plain words widened to near spellings."""

    def __init__(self, reader: Any, fuzzy: bool) -> None:
        self.reader = reader
        self.fuzzy = fuzzy
        self.widened = False
        #: For each widened word, its near spellings in the index, nearest first.
        self.near: dict[str, list[str]] = {}
        self._near_cache: dict[tuple[str, int, int], dict[str, list[str]]] = {}

    def rewrite(self, q: Any) -> Any:
        if isinstance(q, query.Prefix):
            return self._prefix(q)
        if isinstance(q, query.FuzzyTerm):
            return self._expand(q.fieldname, q.text, min(q.maxdist, 2),
                                max(q.prefixlength, 1), q.boost, keep=True)
        if isinstance(q, query.Term):
            return self._term(q)
        if isinstance(q, query.MultiTerm):  # wildcards, ranges, regexes: not offered
            return query.NullQuery
        if (
            isinstance(q, query.Phrase) and self.fuzzy and q.fieldname in TEXT_FIELDS
            and any(self._is_rare(w) for w in q.words)
        ):
            # A hyphenated word parses as a phrase; typos are fuzzed word by word.
            return query.And([self._term(query.Term(q.fieldname, w, boost=q.boost))
                              for w in q.words])
        if q is query.NullQuery or isinstance(q, query.Phrase) or q.is_leaf():
            return q
        return q.apply(self.rewrite)

    def _prefix(self, q: Any) -> Any:
        if len(q.text) < 2:
            return query.NullQuery
        terms = []
        for text in self.reader.expand_prefix(q.fieldname, q.text):
            if isinstance(text, bytes):
                text = text.decode("utf-8")
            terms.append((self.reader.doc_frequency(q.fieldname, text), text))
            if len(terms) >= MAX_EXPANSIONS * 8:
                break
        terms.sort(key=lambda item: -item[0])
        chosen = [t for _, t in terms[:MAX_EXPANSIONS]]
        if not chosen:
            return query.NullQuery
        return query.Or([query.Term(q.fieldname, t, boost=q.boost) for t in chosen])

    def _near_terms(self, fieldname: str, text: str, maxdist: int, prefix: int) -> list[str]:
        """Index terms within ``maxdist`` of ``text``: one automaton for all text fields."""
        key = (text, maxdist, prefix)
        if key not in self._near_cache:
            found: dict[str, list[str]] = {}
            dfa = Automata.levenshtein_dfa(text, maxdist, prefix)
            for name in TEXT_FIELDS:
                terms: dict[str, None] = {}
                # Each segment's term list is walked with the one automaton.
                for leaf, _base in self.reader.leaf_readers():
                    if name in leaf.indexed_field_names():
                        terms.update(dict.fromkeys(Automata.find_matches(dfa, leaf.cursor(name))))
                found[name] = [t for t in terms if t != text][: MAX_EXPANSIONS * 4]
            self._near_cache[key] = found
        near = self._near_cache[key].get(fieldname, [])
        near = sorted(near, key=lambda t: (_distance(text, t), -self._frequency(t)))
        return near[:MAX_EXPANSIONS]

    def _frequency(self, text: str) -> int:
        return sum(self.reader.doc_frequency(f, text) for f in ("title", "body"))

    def _is_rare(self, text: str) -> bool:
        return (
            _max_distance(text) > 0 and not text.isdigit()
            and self._frequency(text) < FEW_EXACT_HITS
        )

    def _expand(
        self, fieldname: str, text: str, maxdist: int, prefix: int, boost: float, keep: bool
    ) -> Any:
        near = self._near_terms(fieldname, text, maxdist, prefix)
        if near and fieldname == "body":
            self.near[text] = near
        terms = [query.Term(fieldname, text, boost=boost)] if keep else []
        terms += [query.Term(fieldname, t, boost=boost * FUZZY_BOOST) for t in near]
        return query.Or(terms) if terms else query.NullQuery

    def _term(self, q: Any) -> Any:
        if not self.fuzzy or q.fieldname not in TEXT_FIELDS:
            return q
        text = q.text
        if not self._is_rare(text):
            return q
        # A word the index knows is probably spelt right: look only one edit away.
        distance = _max_distance(text) if not self._frequency(text) else 1
        widened = self._expand(q.fieldname, text, distance, 1, q.boost, keep=True)
        if isinstance(widened, query.Or) and len(widened.subqueries) > 1:
            self.widened = True
        return widened


class _BulkScorer:
    """BM25F over whole posting lists, for the query shapes the reader builds.

    Whoosh scores a query by walking a tree of matcher objects one document at a
    time, several Python calls per posting: a phrase found in 3,000 of 9,000
    sections took 150 ms, three common words 90 ms. This reads each term's postings
    a block at a time (document numbers, weights and, for phrases, positions) and
    computes the same BM25F per document from the same statistics (idf, average
    field length, the index's byte-encoded field lengths, query boosts), so scores
    and order are whoosh's (the tests compare them), in about a fifth of the time.

    It knows terms, phrases (words in a row), And, Or, ``Not`` inside an And and
    AndNot; ``search`` returns None for anything else and whoosh runs the query.
    """

    def __init__(self, searcher: Any) -> None:
        self.searcher = searcher
        self.reader = searcher.reader()
        self.weighting = searcher.weighting
        self.leaves = list(self.reader.leaf_readers())
        self.usable = type(self.weighting) is scoring.BM25F and not any(
            leaf.has_deletions() for leaf, _ in self.leaves
        )
        self._lengths: dict[tuple[int, str], list[int]] = {}

    def search(self, q: Any, limit: int) -> tuple[list[tuple[int, float]], int] | None:
        """The best ``limit`` ``(docnum, score)`` pairs as whoosh orders them (score,
        then document number) and how many documents matched; None if not supported.

        Two passes: which documents match (posting lists intersected, phrases
        checked), then scores for those documents only."""
        if not self.usable or not self._supported(q):
            return None
        self._postings: dict[tuple[int, str, bytes], _Postings] = {}
        self._matches: dict[int, set[int]] = {}
        self._phrases: dict[int, dict[int, float]] = {}
        try:
            docs = self._match(q)
            scores = self._score(q, docs)
        finally:
            self._postings, self._matches, self._phrases = {}, {}, {}
        top = heapq.nsmallest(limit, scores.items(), key=lambda item: (-item[1], item[0]))
        return top, len(scores)

    def _supported(self, q: Any) -> bool:
        kind = type(q)
        if q is query.NullQuery:
            return True
        if kind is query.Term:
            return q.fieldname in TEXT_FIELDS and isinstance(q.text, str)
        if kind is query.Phrase:
            return q.fieldname in TEXT_FIELDS and q.slop == 1 and bool(q.words)
        if kind is query.AndNot:
            return self._supported(q.a) and self._supported(q.b)
        if kind is query.And:
            positive = [c for c in q.subqueries if not isinstance(c, query.Not)]
            negative = [c.query for c in q.subqueries if isinstance(c, query.Not)]
            return bool(positive) and all(self._supported(c) for c in positive + negative)
        if kind is query.Or:
            return (
                not q.minmatch and q.scale is None
                and not any(isinstance(c, query.Not) for c in q.subqueries)
                and all(self._supported(c) for c in q.subqueries)
            )
        return False

    def _match(self, q: Any) -> set[int]:
        """The documents ``q`` matches (global document numbers)."""
        key = id(q)
        found = self._matches.get(key)
        if found is not None:
            return found
        kind = type(q)
        if q is query.NullQuery:
            found = set()
        elif kind is query.Term:
            found = self._term_docs(q.fieldname, q.text)
        elif kind is query.Phrase:
            found = set(self._phrase(q))
        elif kind is query.AndNot:
            found = self._match(q.a) - self._match(q.b)
        elif not q.subqueries:
            found = set()
        elif kind is query.And:
            parts = sorted((self._match(c) for c in q.subqueries
                            if not isinstance(c, query.Not)), key=len)
            found = set(parts[0]).intersection(*parts[1:])
            for child in q.subqueries:
                if isinstance(child, query.Not):
                    found -= self._match(child.query)
        else:
            found = set().union(*(self._match(c) for c in q.subqueries))
        self._matches[key] = found
        return found

    def _score(self, q: Any, docs: set[int]) -> dict[int, float]:
        """Scores of the documents of ``docs`` that ``q`` matches, as whoosh scores them."""
        docs = docs & self._match(q)
        if not docs:
            return {}
        kind = type(q)
        if kind is query.Term:
            return self._phrase(q, docs)
        if kind is query.Phrase:
            scores = self._phrase(q)
            return {docnum: scores[docnum] for docnum in docs}
        if kind is query.AndNot:
            return self._score(q.a, docs)
        subs = q.subqueries
        if len(subs) == 1:  # whoosh ignores the boost of a one-clause group
            return self._score(subs[0], docs)
        parts = [self._score(c, docs) for c in subs if not isinstance(c, query.Not)]
        found: dict[int, float]
        if kind is query.And:
            # Whoosh matches a Not inside an And with a matcher that scores 1.0.
            nots = float(sum(1 for c in subs if isinstance(c, query.Not)))
            found = {docnum: sum(part[docnum] for part in parts) + nots for docnum in docs}
        else:
            found = {}
            for part in parts:
                for docnum, score in part.items():
                    found[docnum] = found.get(docnum, 0.0) + score
        if q.boost != 1.0:
            found = {docnum: score * q.boost for docnum, score in found.items()}
        return found

    def _leaf_postings(self, index: int, fieldname: str, text: bytes, values: bool) -> _Postings:
        key = (index, fieldname, text)
        found = self._postings.get(key)
        if found is None or (values and found[1] is None):
            found = _postings(self.leaves[index][0], fieldname, text, values)
            self._postings[key] = found
        return found

    def _term_docs(self, fieldname: str, word: str) -> set[int]:
        try:
            text = self.searcher.schema[fieldname].to_bytes(word)
        except ValueError:
            return set()
        found: set[int] = set()
        if (fieldname, text) not in self.reader:
            return found
        for index, (leaf, offset) in enumerate(self.leaves):
            if (fieldname, text) in leaf:
                weights = self._leaf_postings(index, fieldname, text, False)[0]
                found.update(weights if not offset else (offset + d for d in weights))
        return found

    def _field_lengths(self, index: int, leaf: Any, fieldname: str) -> list[int]:
        """The segment's field lengths, read when first needed (0: not read yet), so a
        first search reads only the lengths of the documents it scores."""
        key = (index, fieldname)
        if key not in self._lengths:
            self._lengths[key] = [0] * leaf.doc_count_all()
        return self._lengths[key]

    def _phrase(self, q: Any, docs: set[int] | None = None) -> dict[int, float]:
        """Documents with a term, or with a phrase's words in a row, scored as whoosh
        scores them: the sum of each word's BM25F, times the boost. A term is scored
        only in ``docs`` (when given); a phrase is checked and scored everywhere once."""
        key = id(q)
        if docs is None and key in self._phrases:
            return self._phrases[key]
        fieldname = q.fieldname
        words = [q.text] if type(q) is query.Term else list(q.words)
        boost = q.boost
        field = self.searcher.schema[fieldname]
        found: dict[int, float] = {}
        if docs is None:
            self._phrases[key] = found
        try:
            texts = [field.to_bytes(w) for w in words]
        except ValueError:
            return found
        if any((fieldname, t) not in self.reader for t in texts):
            return found
        weighting = self.weighting
        b = weighting._field_B.get(fieldname, weighting.B)
        k1 = weighting.K1
        avgfl = self.searcher.avg_field_length(fieldname) or 1
        idfs = [self.searcher.idf(fieldname, t) for t in texts]
        positional = len(texts) > 1
        decode = (
            _decode_positions if type(field.format) is formats.Positions
            else field.format.decode_positions
        )
        for index, (leaf, offset) in enumerate(self.leaves):
            if any((fieldname, t) not in leaf for t in texts):
                continue
            lengths = self._field_lengths(index, leaf, fieldname)
            postings = [self._leaf_postings(index, fieldname, t, positional) for t in texts]
            weights = [p[0] for p in postings]
            # Start from the smaller of ``docs`` and the shortest posting list, and
            # look the others up: the cost follows the smaller side.
            smallest: dict[int, float] = min(weights, key=len)
            if docs is not None and len(docs) < len(smallest):
                end = offset + leaf.doc_count_all()
                candidates = {
                    d - offset for d in docs
                    if offset <= d < end and all(d - offset in w for w in weights)
                }
            else:
                candidates = {d for d in smallest if all(d in w for w in weights)}
                if docs is not None:
                    candidates = {d for d in candidates if d + offset in docs}
            if positional:
                candidates = {
                    docnum for docnum in candidates
                    if _in_a_row([p[1][docnum] for p in postings], decode)  # type: ignore[index]
                }
            for docnum in candidates:
                length = lengths[docnum]
                if not length:
                    length = lengths[docnum] = leaf.doc_field_length(docnum, fieldname, 1) or 1
                norm = k1 * ((1 - b) + b * length / avgfl)
                score = 0.0
                for idf, w in zip(idfs, weights, strict=True):
                    tf = w[docnum]
                    score += idf * ((tf * (k1 + 1)) / (tf + norm))
                found[offset + docnum] = score * boost
        return found


def _decode_positions(value: bytes) -> list[int]:
    """``formats.Positions.decode_positions`` without its per-call overhead: a frequency
    (4 bytes) then the pickled position deltas, the pickle's final "." left off."""
    return list(accumulate(loads(value[4:] if value.endswith(b".") else value[4:] + b".")))


def _in_a_row(values: list[bytes], decode: Callable[[bytes], list[int]]) -> bool:
    """Whether the words whose encoded positions are ``values`` occur one after another."""
    starts = decode(values[0])
    for shift, value in enumerate(values[1:], start=1):
        following = set(decode(value))
        starts = [start for start in starts if start + shift in following]
        if not starts:
            return False
    return True


#: One term's postings in one segment: ``docnum -> weight`` and, when positions
#: were asked for, ``docnum -> encoded positions``.
_Postings = tuple[dict[int, float], "dict[int, bytes] | None"]


def _postings(leaf: Any, fieldname: str, text: bytes, values: bool) -> _Postings:
    """Read one term's postings in one segment (plain dicts of numbers: the garbage
    collector does not track them, which keeps its pauses out of a search)."""
    matcher = leaf.postings(fieldname, text)
    weights: dict[int, float] = {}
    positions: dict[int, bytes] | None = {} if values else None
    if isinstance(matcher, W3LeafMatcher):
        # A block at a time, with the matcher's own block reader (whoosh is pinned).
        while matcher.is_active():
            matcher._read_ids()
            matcher._read_weights()
            weights.update(zip(matcher._ids, matcher._weights, strict=True))
            if positions is not None:
                matcher._read_values()
                positions.update(zip(matcher._ids, matcher._values, strict=True))
            matcher._next_block()
        return weights, positions
    while matcher.is_active():
        weights[matcher.id()] = matcher.weight()
        if positions is not None:
            positions[matcher.id()] = matcher.value()
        matcher.next()
    return weights, positions


def _matched_terms(q: Any) -> set[str]:
    """The term texts a query looks for in title and body (not under NOT)."""
    found: set[str] = set()

    def walk(node: Any) -> None:
        if isinstance(node, query.Not):
            return
        if isinstance(node, query.AndNot):
            walk(node.a)
            return
        if isinstance(node, query.Term):
            if node.fieldname in TEXT_FIELDS:
                found.add(node.text)
            return
        if isinstance(node, query.Phrase):
            if node.fieldname in TEXT_FIELDS:
                found.update(node.words)
            return
        for child in node.children():
            walk(child)

    walk(q)
    return found


class _Matcher:
    """Where analysed terms occur in a text, found as the index analyzer finds them.

    Faster than running the analyzer over a whole section: only words that share
    their first letters with a wanted term are stemmed (a stem keeps the start of
    its word, bar a few irregular words such as "dying").
    """

    def __init__(self, analyzer: WordAnalyzer | None) -> None:
        self._analyzer = analyzer or WordAnalyzer()
        self._cache: OrderedDict[str, list[tuple[int, int, str, int, str | None]]] = OrderedDict()

    def _words(self, text: str) -> list[tuple[int, int, str, int, str | None]]:
        """``(start, end, folded, pair_start, folded pair or None)`` per word, cached."""
        words = self._cache.get(text)
        if words is not None:
            self._cache.move_to_end(text)
            return words
        words = []
        previous: re.Match[str] | None = None
        previous_folded = ""
        for match in _WORD.finditer(text):
            folded = match.group().lower().translate(accent_map)
            pair = None
            if (
                previous is not None
                and _JOINABLE_GAP.fullmatch(text, previous.end(), match.start())
                and not previous.group().isdigit()
                and not match.group().isdigit()
            ):
                pair = previous_folded + folded
            words.append((match.start(), match.end(), folded,
                          previous.start() if previous else 0, pair))
            previous, previous_folded = match, folded
        self._cache[text] = words
        if len(self._cache) > 512:
            self._cache.popitem(last=False)
        return words

    def spans(
        self, text: str, terms: set[str], merge: bool = True
    ) -> list[tuple[int, int, str]]:
        """``(start, end, term)`` spans of ``text`` that match ``terms``; overlapping or
        space-separated neighbours merged (``merge``)."""
        if not terms or not text:
            return []
        prefixes = {t[:3] for t in terms}
        short = min(len(t) for t in terms) < 3  # stems of one or two letters: shorter heads too
        stem_of = self._analyzer.stem_folded
        # Inline checks, no call per word: most words fail the first one.
        found: list[tuple[int, int, str]] = []
        for start, end, folded, pair_start, pair in self._words(text):
            if pair is not None and (
                pair[:3] in prefixes
                or (short and (pair[:2] in prefixes or pair[:1] in prefixes))
            ):
                stem = stem_of(pair)
                if stem in terms:
                    found.append((pair_start, end, stem))
            if folded[:3] in prefixes or (
                short and (folded[:2] in prefixes or folded[:1] in prefixes)
            ):
                stem = stem_of(folded)
                if stem in terms:
                    found.append((start, end, stem))
        if not found or not merge:
            return found
        found.sort()
        merged = [found[0]]
        for start, end, stem in found[1:]:
            last_start, last_end, last_stem = merged[-1]
            # Overlapping matches, and matched words one space apart ("Ploesti oil fields"
            # for a phrase), become one span: highlighted as the phrase, counted once.
            if start < last_end or (start - last_end == 1 and text[last_end] == " "):
                merged[-1] = (last_start, max(end, last_end), last_stem)
            else:
                merged.append((start, end, stem))
        return merged


def _snippet(text: str, spans: list[tuple[int, int, str]]) -> tuple[tuple[str, bool], ...]:
    """About ``SNIPPET_CHARS`` of ``text`` around the densest run of matches."""
    if not spans:
        cut = text[:SNIPPET_CHARS]
        if len(text) > SNIPPET_CHARS:
            cut = cut.rsplit(" ", 1)[0] + " …"
        return ((cut, False),) if cut else ()
    best, best_count = 0, 0
    for index, (start, _, _) in enumerate(spans):
        count = sum(1 for s, _, _ in spans[index:] if s < start + SNIPPET_CHARS - 40)
        if count > best_count:
            best, best_count = index, count
    first = spans[best][0]
    start = max(0, first - 40)
    if start:
        space = text.find(" ", start, first)
        start = space + 1 if space >= 0 else start
    end = min(len(text), start + SNIPPET_CHARS)
    if end < len(text):
        space = text.rfind(" ", max(spans[best][1], end - 30), end)
        end = space if space > 0 else end
    pieces: list[tuple[str, bool]] = []
    if start:
        pieces.append(("… ", False))
    position = start
    for span_start, span_end, _ in spans:
        if span_end <= start or span_start >= end:
            continue
        span_start, span_end = max(span_start, start), min(span_end, end)
        if span_start > position:
            pieces.append((text[position:span_start], False))
        pieces.append((text[span_start:span_end], True))
        position = span_end
    if position < end:
        pieces.append((text[position:end], False))
    if end < len(text):
        pieces.append((" …", False))
    return tuple(pieces)


def _compile_synonyms(
    synonyms: Mapping[str, Sequence[str]],
) -> list[tuple[re.Pattern[str], list[str]]]:
    compiled: list[tuple[re.Pattern[str], list[str]]] = []
    # Longest names first, so "Brest-Litovsk" wins over "Brest".
    for key in sorted(synonyms, key=len, reverse=True):
        words = _WORD.findall(fold(key))
        others = [
            clean_query(name).replace('"', "") for name in synonyms[key]
            if fold(name) != fold(key) and clean_query(name)
        ]
        if not words or not others:
            continue
        pattern = re.compile(
            r"(?<![\w\"])" + r"[\s\-‐‑]+".join(re.escape(w) for w in words) + r"(?![\w*~:])"
        )
        compiled.append((pattern, others))
    return compiled


def _describe(exc: BaseException) -> str:
    """The exception as text: a log record holding the exception itself would keep
    its traceback, and the files whoosh left open in it, alive."""
    return f"{type(exc).__name__}: {exc}"


def _close_quietly(searcher: Any) -> None:
    with contextlib.suppress(Exception):
        searcher.close()


def _open_checked(folder: Path, expected_docs: int | None) -> Any | None:
    """The index in ``folder`` if it passes the health check, else None (damaged).

    Raises only ``LockError``. Whoosh leaves files open when it fails half-way
    through opening; they are closed here, quietly, rather than at some later
    garbage collection with a ResourceWarning (and a folder locked on Windows).
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResourceWarning)
        try:
            ix = whoosh_index.open_dir(str(folder))
            _check_health(ix, expected_docs)
            return ix
        except LockError:
            raise
        except Exception as exc:
            log.warning("search index damaged: %s", _describe(exc))
        gc.collect()
    return None


def _remove(path: Path) -> None:
    """Delete a file or folder tree, ignoring what cannot be deleted."""
    try:
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
        elif path.exists() or path.is_symlink():
            path.unlink()
    except OSError as exc:
        log.warning("cannot remove %s: %s", path, _describe(exc))


def build_in_child(content_dir: str, cache_dir: str, progress: Any) -> None:
    """Entry point of a separate build process (see ``reader.ui.search_panel``): load
    the library and build its index, putting ``(done, total)`` on the ``progress``
    queue. It lives here so that the child imports no Qt."""
    from reader.core.content import load_library

    library = load_library(Path(content_dir), Path(cache_dir))
    index = SearchIndex(library, Path(cache_dir))
    index.open(lambda done, total: progress.put((done, total)))
    index.close()
