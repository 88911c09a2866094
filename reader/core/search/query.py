"""From what the reader typed to a query over terms that exist.

``clean_query`` makes any input safe (control characters out, length capped).
The parser understands plain words (all must occur), ``"phrases"``,
``prefix*``, ``OR``, ``NOT``/``-word``, ``title:word`` and ``word~``; input it
rejects is searched as plain words (``plain_query``). ``Concrete`` rewrites a
parsed query into terms that exist: prefixes and fuzzy words expanded (at most
``MAX_EXPANSIONS`` terms each) and, when widening, rare words to their near
spellings. Aliases (``compile_synonyms`` / ``apply_synonyms``) add the other
names of a name the reader typed, as phrases at a lower boost; a section found
through a declared spelling is an exact hit, not a near one.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from typing import Any

from whoosh import qparser, query
from whoosh.codec.base import Automata

from reader.core.search.analysis import OPERATORS, TEXT_FIELDS, TITLE_BOOST, WORD
from reader.core.search.suggestions import distance, max_distance
from reader.core.text import fold

#: Longer input is cut: the parser's cost grows quadratically with length.
MAX_QUERY_CHARS = 300
#: A prefix or fuzzy word stands for at most this many index terms (most frequent first).
MAX_EXPANSIONS = 64
#: A word found in fewer sections than this also looks for near spellings.
FEW_EXACT_HITS = 3
FUZZY_BOOST = 0.4
ALIAS_BOOST = 0.6
#: Deeper brackets than this are not parsed (whoosh's parser recurses on them).
MAX_NESTING = 8

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff]")

Synonyms = list[tuple[re.Pattern[str], list[str]]]


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


def nesting(text: str) -> int:
    depth = deepest = 0
    for char in text:
        if char == "(":
            depth += 1
            deepest = max(deepest, depth)
        elif char == ")":
            depth = max(0, depth - 1)
    return deepest


def is_conjunction(q: Any) -> bool:
    """Whether falling back to "any word" could find more: an AND of several clauses."""
    if isinstance(q, query.And):
        return len([c for c in q.subqueries if not isinstance(c, query.Not)]) > 1
    if isinstance(q, query.AndNot):
        return is_conjunction(q.a)
    return False


class Concrete:
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
        near = sorted(near, key=lambda t: (distance(text, t), -self._frequency(t)))
        return near[:MAX_EXPANSIONS]

    def _frequency(self, text: str) -> int:
        return sum(self.reader.doc_frequency(f, text) for f in ("title", "body"))

    def _is_rare(self, text: str) -> bool:
        return (
            max_distance(text) > 0 and not text.isdigit()
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
        reach = max_distance(text) if not self._frequency(text) else 1
        widened = self._expand(q.fieldname, text, reach, 1, q.boost, keep=True)
        if isinstance(widened, query.Or) and len(widened.subqueries) > 1:
            self.widened = True
        return widened


def make_parser(schema: Any, group: type) -> Any:
    """Whoosh's parser over title and body, with the syntax the reader is offered."""
    parser = qparser.MultifieldParser(
        list(TEXT_FIELDS),
        schema,
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
    return parser


def plain_query(text: str, analyzer: Any, group: type) -> Any:
    """The words of ``text`` as plain terms: the fallback for input the parser rejects."""
    clauses = []
    for word in WORD.findall(text):
        if word in OPERATORS:
            continue
        for stem in (t.text for t in analyzer(word, mode="query")):
            clauses.append(query.Or([
                query.Term("title", stem, boost=TITLE_BOOST),
                query.Term("body", stem),
            ]))
    if not clauses:
        return query.NullQuery
    return query.And(clauses) if group is qparser.AndGroup else query.Or(clauses)


def compile_synonyms(synonyms: Mapping[str, Sequence[str]]) -> Synonyms:
    """Each name as a pattern over folded text, with the other names to look for."""
    compiled: Synonyms = []
    # Longest names first, so "Brest-Litovsk" wins over "Brest".
    for key in sorted(synonyms, key=len, reverse=True):
        words = WORD.findall(fold(key))
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


def _alias_matches(text: str, synonyms: Synonyms) -> list[tuple[int, int, list[str]]]:
    """``(start, end, other names)`` of each alias typed outside quotes, not overlapping."""
    folded = fold(text)
    if len(folded) != len(text):
        return []  # folding changed offsets; aliases are a bonus, skip them
    found: list[tuple[int, int, list[str]]] = []
    for pattern, others in synonyms:
        for match in pattern.finditer(folded):
            if text.count('"', 0, match.start()) % 2:
                continue
            if any(s < match.end() and match.start() < e for s, e, _ in found):
                continue
            found.append((match.start(), match.end(), others))
    return sorted(found)


def apply_synonyms(text: str, synonyms: Synonyms) -> str:
    """Add the other names of each alias found outside quotes, at a lower boost.

    A declared spelling is not a typo: what the other names find counts as an
    exact hit (the search runs this rewritten query as its exact one).
    """
    for start, end, others in reversed(_alias_matches(text, synonyms)):
        original = text[start:end]
        names = " OR ".join(f'"{name}"^{ALIAS_BOOST}' for name in others)
        text = f'{text[:start]}("{original}" OR {names}){text[end:]}'
    return text


def typed_aliases(text: str, synonyms: Synonyms) -> list[tuple[str, list[str]]]:
    """Each name typed that has other declared spellings, with those spellings."""
    return [(text[start:end], others) for start, end, others in _alias_matches(text, synonyms)]
