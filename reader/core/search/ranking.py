"""Ranking: the best sections for a query, by BM25F (title weighted above body).

Queries made of terms and phrases (nearly all the reader makes) are scored by
``BulkScorer``, which reads whole posting lists and computes whoosh's BM25F
itself: the same scores in the same order, in a fraction of the time on large
result sets. Any other shape is run by whoosh's own matchers.

This is the only module that reads whoosh's private internals (the BM25F
parameters, the W3 codec's block reader and the encoding of positions). They
are checked on first use (``internals_problem``); when they are not what the
scorer expects, or when the scorer trips over one that moved (AttributeError,
TypeError), ranking falls back to whoosh's matchers for good, with one warning
in the log: slower, same results.
"""

from __future__ import annotations

import heapq
import logging
from collections import OrderedDict
from collections.abc import Callable, Iterable, Set
from itertools import accumulate
from pickle import loads
from typing import Any

from whoosh import formats, query, scoring
from whoosh.matching.wrappers import FilterMatcher

from reader.core.search.analysis import TEXT_FIELDS, Error

log = logging.getLogger(__name__)

#: Above this many sections the number of matches is estimated, not counted.
COUNT_EXACTLY = 2000
#: Postings (a document under a term) kept between searches: searching as the
#: reader types repeats the words typed so far. About 100 bytes each: ~20 MB.
CACHED_POSTINGS = 200_000
#: Phrases whose matches are kept between searches.
CACHED_PHRASES = 32


class ScorerError(Error):
    """Whoosh's internals are not what the bulk scorer reads."""


def _block_matcher() -> Any:
    """The W3 codec's posting matcher, whose block reader ``_postings`` uses."""
    from whoosh.codec.whoosh3 import W3LeafMatcher

    return W3LeafMatcher


def internals_problem() -> str | None:
    """What of whoosh's internals the bulk scorer reads is missing or changed, or None."""
    try:
        W3LeafMatcher = _block_matcher()
    except ImportError as exc:
        log.debug("no W3 codec", exc_info=True)
        return f"whoosh.codec.whoosh3.W3LeafMatcher: {exc}"
    for name in ("_read_ids", "_read_weights", "_read_values", "_next_block", "is_active"):
        if not callable(getattr(W3LeafMatcher, name, None)):
            return f"W3LeafMatcher.{name} is missing"
    weighting = scoring.BM25F(title_B=0.5)
    for name in ("_field_B", "B", "K1"):
        if not hasattr(weighting, name):
            return f"BM25F.{name} is missing"
    if weighting._field_B.get("title") != 0.5:
        return "BM25F._field_B no longer holds the per-field B"
    try:
        sample = [0, 3, 4, 90]
        encoded = formats.Positions().encode(sample)
        if decode_positions(encoded) != sample or decode_positions(encoded[:-1]) != sample:
            return "formats.Positions encodes positions differently"
    except Exception as exc:  # any failure here means the encoding changed
        log.debug("positions check failed", exc_info=True)
        return f"formats.Positions: {type(exc).__name__}: {exc}"
    return None


class Ranker:
    """Top hits for a query: the bulk scorer when it can, whoosh's matchers otherwise."""

    #: Whether the bulk scorer may be used at all (cleared for good when whoosh changed).
    bulk_enabled = True
    _checked = False

    def __init__(self, searcher: Any, bulk: bool = True) -> None:
        self.searcher = searcher
        self.bulk: BulkScorer | None = BulkScorer(searcher) if bulk else None

    def top(
        self, q: Any, limit: int, only: set[int] | None = None
    ) -> tuple[list[tuple[int, float]], int]:
        """The best ``limit`` ``(docnum, score)`` pairs for ``q`` and how many matched;
        among the documents ``only`` when given."""
        found = self._bulk_top(q, limit, only)
        if found is not None:
            return found
        results = self.searcher.search(q, limit=limit, filter=only)
        top = [(hit.docnum, hit.score) for hit in results]
        return top, count(results, self.searcher.reader())

    def _bulk_top(
        self, q: Any, limit: int, only: set[int] | None
    ) -> tuple[list[tuple[int, float]], int] | None:
        if self.bulk is None or not Ranker.bulk_enabled:
            return None
        if not Ranker._checked:
            Ranker._checked = True
            problem = internals_problem()
            if problem:
                Ranker._disable(ScorerError(problem))
                return None
        try:
            return self.bulk.search(q, limit, only)
        except (AttributeError, TypeError) as exc:
            # An internal that moved: whoosh answers instead, from now on.
            Ranker._disable(exc)
            return None

    @staticmethod
    def _disable(exc: BaseException) -> None:
        Ranker.bulk_enabled = False
        log.warning("whoosh's internals are not what the bulk scorer reads; ranking with "
                    "whoosh's own matchers (slower, same results)",
                    exc_info=(type(exc), exc, exc.__traceback__))


def count(results: Any, reader: Any) -> int:
    """How many sections matched: counted on a small index, estimated on a large one
    (counting means running the query a second time)."""
    if results.has_exact_length() or reader.doc_count() <= COUNT_EXACTLY:
        return len(results)
    return max(results.scored_length(), results.estimated_length())


class BulkScorer:
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
        # Deleted documents (an essay updated or removed) are left out of the
        # postings as they are read, as whoosh's own matchers leave them out.
        self.usable = type(self.weighting) is scoring.BM25F
        self._lengths: dict[tuple[int, str], list[int]] = {}
        # Kept between searches (the index under this searcher never changes), least
        # recently used first: each term's postings per segment, each term's
        # documents, each phrase's scores (boost 1); ``_size`` counts the postings.
        self._postings: OrderedDict[tuple[int, str, bytes], _Postings] = OrderedDict()
        self._docs: OrderedDict[tuple[str, bytes], frozenset[int]] = OrderedDict()
        self._phrase_scores: OrderedDict[tuple[str, tuple[bytes, ...]], dict[int, float]] = (
            OrderedDict())
        self._size = 0

    def forget(self) -> None:
        """Drop what is kept between searches (a benchmark times searches without it)."""
        self._postings.clear()
        self._docs.clear()
        self._phrase_scores.clear()
        self._size = 0

    def _keep(self, cache: OrderedDict[Any, Any], key: Any, value: Any, size: int) -> None:
        """Put ``value`` in ``cache``; drop the least recently used entries of every
        cache while more than ``CACHED_POSTINGS`` postings are kept."""
        cache[key] = value
        self._size += size
        for other in (self._postings, self._docs):
            while self._size > CACHED_POSTINGS and len(other) > 1:
                _, old = other.popitem(last=False)
                self._size -= _posting_count(old)

    def search(
        self, q: Any, limit: int, only: set[int] | None = None
    ) -> tuple[list[tuple[int, float]], int] | None:
        """The best ``limit`` ``(docnum, score)`` pairs as whoosh orders them (score,
        then document number) and how many documents matched; None if not supported.

        Two passes: which documents match (posting lists intersected, phrases
        checked), then scores for those documents only."""
        if not self.usable or not self._supported(q):
            return None
        self._matches: dict[int, Set[int]] = {}
        self._phrases: dict[int, dict[int, float]] = {}
        try:
            docs = self._match(q)
            if only is not None:
                docs = docs & only
            scores = self._score(q, docs)
        finally:
            self._matches, self._phrases = {}, {}
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

    def _match(self, q: Any) -> Set[int]:
        """The documents ``q`` matches (global document numbers; never changed in place:
        a term's set is kept between searches)."""
        key = id(q)
        found = self._matches.get(key)
        if found is not None:
            return found
        kind = type(q)
        if q is query.NullQuery:
            found = frozenset()
        elif kind is query.Term:
            found = self._term_docs(q.fieldname, q.text)
        elif kind is query.Phrase:
            found = self._phrase(q).keys()
        elif kind is query.AndNot:
            found = self._match(q.a) - self._match(q.b)
        elif not q.subqueries:
            found = frozenset()
        elif kind is query.And:
            parts = sorted((self._match(c) for c in q.subqueries
                            if not isinstance(c, query.Not)), key=len)
            matched = set(parts[0]).intersection(*parts[1:])
            for child in q.subqueries:
                if isinstance(child, query.Not):
                    matched -= self._match(child.query)
            found = matched
        else:
            found = set().union(*(self._match(c) for c in q.subqueries))
        self._matches[key] = found
        return found

    def _score(self, q: Any, docs: Set[int]) -> dict[int, float]:
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
        if found is not None and (found[1] is not None or not values):
            self._postings.move_to_end(key)
            return found
        if found is not None:
            del self._postings[key]
            self._size -= _posting_count(found)
        found = _postings(self.leaves[index][0], fieldname, text, values)
        self._keep(self._postings, key, found, _posting_count(found))
        return found

    def _term_docs(self, fieldname: str, word: str) -> Set[int]:
        try:
            text = self.searcher.schema[fieldname].to_bytes(word)
        except ValueError:  # not a word this field can hold: no documents
            log.debug("%r cannot be a term of %s", word, fieldname, exc_info=True)
            return frozenset()
        key = (fieldname, text)
        cached = self._docs.get(key)
        if cached is not None:
            self._docs.move_to_end(key)
            return cached
        if key not in self.reader:
            return frozenset()
        found: set[int] = set()
        for index, (leaf, offset) in enumerate(self.leaves):
            if key in leaf:
                weights = self._leaf_postings(index, fieldname, text, False)[0]
                found.update(weights if not offset else (offset + d for d in weights))
        docs = frozenset(found)
        self._keep(self._docs, key, docs, len(docs))
        return docs

    def _field_lengths(self, index: int, leaf: Any, fieldname: str) -> list[int]:
        """The segment's field lengths, read when first needed (0: not read yet), so a
        first search reads only the lengths of the documents it scores."""
        key = (index, fieldname)
        if key not in self._lengths:
            self._lengths[key] = [0] * leaf.doc_count_all()
        return self._lengths[key]

    def _phrase(self, q: Any, docs: Set[int] | None = None) -> dict[int, float]:
        """Documents with a term, or with a phrase's words in a row, scored as whoosh
        scores them: the sum of each word's BM25F, times the boost. A term is scored
        only in ``docs`` (when given); a phrase is checked and scored everywhere once
        (and kept between searches)."""
        fieldname = q.fieldname
        if docs is not None:
            return self._scores(fieldname, [q.text] if type(q) is query.Term
                                else list(q.words), docs, q.boost)
        key = id(q)
        found = self._phrases.get(key)
        if found is not None:
            return found
        words = (fieldname, tuple([q.text] if type(q) is query.Term else q.words))
        found = self._phrase_scores.get(words)
        if found is None:
            found = self._scores(fieldname, list(words[1]), None, 1.0)
            self._phrase_scores[words] = found
            if len(self._phrase_scores) > CACHED_PHRASES:
                self._phrase_scores.popitem(last=False)
        else:
            self._phrase_scores.move_to_end(words)
        if q.boost != 1.0:
            found = {docnum: score * q.boost for docnum, score in found.items()}
        self._phrases[key] = found
        return found

    def _scores(
        self, fieldname: str, words: list[str], docs: Set[int] | None, boost: float
    ) -> dict[int, float]:
        """``_phrase`` for the words ``words`` of ``fieldname``, in ``docs`` (or all)."""
        field = self.searcher.schema[fieldname]
        found: dict[int, float] = {}
        try:
            texts = [field.to_bytes(w) for w in words]
        except ValueError:  # not words this field can hold: no documents
            log.debug("%r cannot be terms of %s", words, fieldname, exc_info=True)
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
            decode_positions if type(field.format) is formats.Positions
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
            candidates: Set[int] | list[int]
            if docs is not None and len(docs) < len(smallest):
                end = offset + leaf.doc_count_all()
                candidates = {
                    d - offset for d in docs
                    if offset <= d < end and all(d - offset in w for w in weights)
                }
            else:
                candidates = smallest.keys()
                for w in weights:
                    if w is not smallest:
                        candidates = candidates & w.keys()
                if docs is not None:
                    candidates = {d for d in candidates if d + offset in docs}
            if positional:
                candidates = in_a_row(
                    candidates, [p[1] for p in postings], decode)  # type: ignore[misc]
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


def decode_positions(value: bytes) -> list[int]:
    """``formats.Positions.decode_positions`` without its per-call overhead: a frequency
    (4 bytes) then the pickled position deltas, the pickle's final "." left off."""
    return list(accumulate(loads(value[4:] if value.endswith(b".") else value[4:] + b".")))


def in_a_row(
    docs: Iterable[int], values: list[dict[int, bytes]], decode: Callable[[bytes], list[int]]
) -> list[int]:
    """The documents of ``docs`` where the words whose encoded positions (per document)
    are ``values`` occur one after another, in the order of ``docs``."""
    found = []
    first, rest = values[0], list(enumerate(values[1:], start=1))
    for docnum in docs:
        starts = decode(first[docnum])
        for shift, following in rest:
            after = set(decode(following[docnum]))
            starts = [start for start in starts if start + shift in after]
            if not starts:
                break
        else:
            found.append(docnum)
    return found


def _posting_count(value: _Postings | frozenset[int]) -> int:
    """How many postings a cache entry holds (positions count as postings too)."""
    if isinstance(value, frozenset):
        return len(value)
    weights, positions = value
    return len(weights) + (len(positions) if positions is not None else 0)


#: One term's postings in one segment: ``docnum -> weight`` and, when positions
#: were asked for, ``docnum -> encoded positions``.
_Postings = tuple[dict[int, float], "dict[int, bytes] | None"]


def _postings(leaf: Any, fieldname: str, text: bytes, values: bool) -> _Postings:
    """Read one term's postings in one segment (plain dicts of numbers: the garbage
    collector does not track them, which keeps its pauses out of a search)."""
    matcher = leaf.postings(fieldname, text)
    weights: dict[int, float] = {}
    positions: dict[int, bytes] | None = {} if values else None
    deleted: set[int] = set()
    if isinstance(matcher, FilterMatcher) and matcher._exclude and isinstance(
        matcher.child, _block_matcher()
    ):
        # A segment with deletions: read the whole list, then drop the deleted.
        deleted = set(matcher._ids)
        matcher = matcher.child
        matcher.reset()
    if isinstance(matcher, _block_matcher()):
        # A block at a time, with the matcher's own block reader (whoosh is pinned).
        while matcher.is_active():
            matcher._read_ids()
            matcher._read_weights()
            weights.update(zip(matcher._ids, matcher._weights, strict=True))
            if positions is not None:
                matcher._read_values()
                positions.update(zip(matcher._ids, matcher._values, strict=True))
            matcher._next_block()
        for docnum in deleted:
            weights.pop(docnum, None)
            if positions is not None:
                positions.pop(docnum, None)
        return weights, positions
    while matcher.is_active():
        weights[matcher.id()] = matcher.weight()
        if positions is not None:
            positions[matcher.id()] = matcher.value()
        matcher.next()
    return weights, positions
