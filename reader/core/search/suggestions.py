"""Near spellings: how far a word may be misspelt, and "Did you mean …?".

A suggestion replaces each word the index does not know by the nearest word
the library uses: one that matched a shown hit through a near spelling when
there is one, otherwise the nearest in the library's own vocabulary of
unstemmed words (same first letter, most used first).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Mapping
from typing import Any

from reader.core.content import Library
from reader.core.search.analysis import OPERATORS, TEXT_FIELDS, WORD, WordAnalyzer
from reader.core.text import fold


def max_distance(word: str) -> int:
    """Edit distance allowed for a word: none for tiny words, 1 for short, 2 for long."""
    if len(word) < 4:
        return 0
    return 1 if len(word) < 8 else 2


def distance(a: str, b: str) -> int:
    """Levenshtein distance (short words only: used to order a few near terms)."""
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        current = [i]
        for j, cb in enumerate(b, start=1):
            current.append(min(previous[j] + 1, current[j - 1] + 1,
                               previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


def match_case(word: str, like: str) -> str:
    if like.isupper() and len(like) > 1:
        return word.upper()
    if like[:1].isupper():
        return word[:1].upper() + word[1:]
    return word


class Suggester:
    """"Did you mean …?" for one library: its vocabulary is gathered on first need."""

    def __init__(self, library: Library) -> None:
        self.library = library
        #: First letter -> (folded word, uses, a written form).
        self._vocabulary: dict[str, list[tuple[str, int, str]]] | None = None

    def suggest(
        self, text: str, analyzer: WordAnalyzer, reader: Any,
        near: Mapping[str, list[str]], forms: Mapping[str, str],
        declared: Collection[str] = (),
    ) -> str | None:
        """The query with unknown words replaced by the nearest indexed words.

        Words of ``declared`` (folded words of names typed in a declared other spelling,
        e.g. "ploiesti") are kept: a correct spelling is never offered a correction. A near
        spelling that matched a shown hit is used as written there; otherwise
        the library's vocabulary of unstemmed words is asked.
        """
        changed = False
        pieces: list[str] = []
        position = 0
        for match in WORD.finditer(text):
            word = match.group()
            pieces.append(text[position:match.start()])
            position = match.end()
            replacement = word
            if (
                word not in OPERATORS and len(word) >= 3 and not word.isdigit()
                and fold(word) not in declared
            ):
                stems = [t.text for t in analyzer(word, mode="query")]
                known = any(reader.doc_frequency(f, s) for s in stems for f in TEXT_FIELDS)
                if not known:
                    written = next(
                        (forms[t] for s in stems for t in near.get(s, [])[:1] if t in forms), None
                    )
                    folded = fold(word)
                    if written is None and max_distance(folded):
                        written = self.nearest_word(folded)
                    if written and fold(written) != folded:
                        replacement = match_case(written, word)
                        changed = True
            pieces.append(replacement)
        pieces.append(text[position:])
        return "".join(pieces).strip() if changed else None

    def prepare(self) -> dict[str, list[tuple[str, int, str]]]:
        """The library's vocabulary, gathered now if not yet (about a second at 1,000
        essays): called early, the first unknown word typed does not wait for it."""
        if self._vocabulary is None:
            self._vocabulary = self._gather()
        return self._vocabulary

    def _gather(self) -> dict[str, list[tuple[str, int, str]]]:
        # Words counted as written, then folded once each: a library repeats its
        # words, and folding every occurrence took most of the time.
        uses: Counter[str] = Counter()
        for section in self.library.sections():
            uses.update(WORD.findall(f"{section.title} {section.text}"))
        counts: dict[str, int] = {}
        written: dict[str, str] = {}
        for word, count in uses.items():  # in order of first use
            key = fold(word)
            counts[key] = counts.get(key, 0) + count
            written.setdefault(key, word if not word.isupper() else word.lower())
        vocabulary: dict[str, list[tuple[str, int, str]]] = {}
        for key, count in counts.items():
            if len(key) > 2 and not key.isdigit():
                vocabulary.setdefault(key[0], []).append((key, count, written[key]))
        return vocabulary

    def nearest_word(self, folded: str) -> str | None:
        """The library's word nearest to ``folded`` (same first letter), most used first."""
        vocabulary = self.prepare()
        limit = max_distance(folded)
        best: tuple[int, int, str] | None = None
        for key, count, word in vocabulary.get(folded[:1], []):
            if key == folded or abs(len(key) - len(folded)) > limit:
                continue
            found = distance(folded, key)
            if found <= limit and (best is None or (found, -count) < best[:2]):
                best = (found, -count, word)
        return best[2] if best else None
