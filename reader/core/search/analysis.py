"""How titles and bodies become index terms: words, folding, English stems, joined pairs.

Words are ``\\w+`` (dotted abbreviations kept whole), folded with
``reader.core.text.fold`` (the folding of the index of names: "Ploieşti" =
"ploiesti", "Łódź" = "lodz", "Straße" = "strasse") and stemmed with the
Snowball English stemmer, also called Porter2 ("Reichsmarks" = "Reichsmark",
"ores" = "ore", but not "or"). At index time every pair of adjacent words
separated by one space or one hyphen is also indexed joined, so
"Anti-Comintern" is found by "anti comintern", "Anti-Comintern" and
"AntiComintern", and "ice breakers" by "icebreakers".
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

from whoosh.analysis import Token, Tokenizer
from whoosh.fields import ID, STORED, TEXT, Schema

from reader.core.text import fold

#: The fields a query's words are looked for in.
TEXT_FIELDS = ("title", "body")
TITLE_BOOST = 3.0

WORD = re.compile(r"\w+(?:\.\w+)*")
#: Adjacent words are also indexed joined when only this separates them.
JOINABLE_GAP = re.compile(r" {1,2}|[-‐‑]")
#: Words of a query that are operators, not words to look for.
OPERATORS = {"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE", "REQUIRE"}

_CACHE_LIMIT = 200_000


class Error(Exception):
    """The search index cannot be built or used (the base of the package's errors)."""


class WordAnalyzer(Tokenizer):
    """The whole analysis in one pass: words, case and accent folding, English stems,
    and at index time joined pairs ("icebreakers" for "ice breakers").

    A joined token ("anticomintern" for "Anti-Comintern") takes the position of
    the first word, so phrases over the separate words still match; pairs with a
    number are not joined. One generator instead of a tokenizer and three
    filters: the chain's per-token overhead was a third of the build time of a
    large library.
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
            found = self.stem_folded(fold(word))
            if len(self._cache) < _CACHE_LIMIT:
                self._cache[word] = found
        return found

    def stem_folded(self, folded: str) -> str:
        """The indexed form of a word already folded."""
        if not self.stem:
            return folded
        found = self._cache.get("\0" + folded)
        if found is None:
            found = _stem(folded)
            if len(self._cache) < _CACHE_LIMIT:
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
        for pos, match in enumerate(WORD.finditer(value)):
            word = match.group()
            if (
                joins
                and previous is not None
                and JOINABLE_GAP.fullmatch(value, previous.end(), match.start())
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

        _stemmer = stemmer_for_language("en")  # Snowball English (Porter2)
    return _stemmer(word)


_stemmer: Callable[[str], str] | None = None


def analyzer() -> WordAnalyzer:
    """Index and query analysis for titles and bodies: fold, join (index only), stem."""
    return WordAnalyzer(joins=True, stem=True)


def make_schema() -> Schema:
    return Schema(
        key=ID(unique=True),
        document=ID(stored=True),
        section=ID(stored=True),
        title=TEXT(analyzer=analyzer(), stored=True, multitoken_query="phrase"),
        body=TEXT(analyzer=analyzer(), multitoken_query="phrase"),
        order=STORED,
    )
