"""Where a search matched: spans of the matched words in a section, and the snippet.

Spans are found as the index analyzer finds terms (the same words, folding and
stems), so every form that matched (stems, joined pairs, near spellings) is
highlighted as it is written in the text.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from collections.abc import Collection
from typing import Any

from whoosh import query

from reader.core.search.analysis import JOINABLE_GAP, TEXT_FIELDS, WORD, WordAnalyzer
from reader.core.text import fold

SNIPPET_CHARS = 180


def matched_terms(q: Any) -> set[str]:
    """The term texts a query looks for in title and body (not under NOT)."""
    loose, phrases = matched_words(q)
    return loose.union(*phrases)


def matched_words(q: Any) -> tuple[set[str], set[tuple[str, ...]]]:
    """The term texts a query looks for on their own, and its phrases of several words
    (whose words match only together, in order)."""
    loose: set[str] = set()
    phrases: set[tuple[str, ...]] = set()

    def walk(node: Any) -> None:
        if isinstance(node, query.Not):
            return
        if isinstance(node, query.AndNot):
            walk(node.a)
            return
        if isinstance(node, query.Term):
            if node.fieldname in TEXT_FIELDS:
                loose.add(node.text)
            return
        if isinstance(node, query.Phrase):
            if node.fieldname in TEXT_FIELDS:
                if len(node.words) > 1:
                    phrases.add(tuple(node.words))
                else:
                    loose.update(node.words)
            return
        for child in node.children():
            walk(child)

    walk(q)
    return loose, phrases


class Matcher:
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
        for match in WORD.finditer(text):
            folded = fold(match.group())
            pair = None
            if (
                previous is not None
                and JOINABLE_GAP.fullmatch(text, previous.end(), match.start())
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
        self, text: str, terms: set[str], merge: bool = True,
        phrases: Collection[tuple[str, ...]] = (),
    ) -> list[tuple[int, int, str]]:
        """``(start, end, term)`` spans of ``text`` that match ``terms``, and whole
        occurrences of ``phrases`` (their words one after the other, as one span);
        overlapping or space-separated neighbours merged (``merge``)."""
        wanted = set(terms).union(*phrases) if phrases else set(terms)
        if not wanted or not text:
            return []
        prefixes = {t[:3] for t in wanted}
        short = min(len(t) for t in wanted) < 3  # stems of one or two letters: shorter heads too
        stem_of = self._analyzer.stem_folded
        # Inline checks, no call per word: most words fail the first one.
        found: list[tuple[int, int, str]] = []
        words = self._words(text)
        stems: list[str | None] = []  # per word, its stem when it is a wanted one
        for start, end, folded, pair_start, pair in words:
            if pair is not None and (
                pair[:3] in prefixes
                or (short and (pair[:2] in prefixes or pair[:1] in prefixes))
            ):
                stem = stem_of(pair)
                if stem in terms:
                    found.append((pair_start, end, stem))
            word_stem = None
            if folded[:3] in prefixes or (
                short and (folded[:2] in prefixes or folded[:1] in prefixes)
            ):
                stem = stem_of(folded)
                if stem in terms:
                    found.append((start, end, stem))
                if stem in wanted:
                    word_stem = stem
            stems.append(word_stem)
        for phrase in phrases:
            size = len(phrase)
            for first in range(len(words) - size + 1):
                if all(stems[first + k] == phrase[k] for k in range(size)):
                    found.append((words[first][0], words[first + size - 1][1], phrase[0]))
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


def snippet(text: str, spans: list[tuple[int, int, str]]) -> tuple[tuple[str, bool], ...]:
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
