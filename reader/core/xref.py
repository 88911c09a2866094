"""Cross-references: the index of names, their mentions, "see also" and synonyms.

Each essay folder may hold an ``index.yaml`` listing the people, places,
organisations, ships, agreements, events and works the essay names, each with
a kind, a preferred name, aliases (variant and mistaken spellings) and a
one-line description. Mentions are never listed by hand: they are found in
the sections' plain text by matching the name and every alias on word
boundaries, ignoring case and accents. Where two aliases overlap, the longer
one wins ("Memorandum on the German-Soviet Commercial Agreement" is not also a
mention of the "German-Soviet Commercial Agreement").

From the mentions come the "see also" sections (the sections sharing the most
index entries with a given one, names found everywhere counting little) and a
synonyms mapping that lets search find every spelling from any one of them.
"""

from __future__ import annotations

import bisect
import functools
import heapq
import math
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reader.core.model import Library, Problem
from reader.core.text import fold, fold_with_map
from reader.core.yamlfile import complete_items, read_list

INDEX_FILE = "index.yaml"
KINDS = ("person", "place", "organisation", "ship", "agreement", "event", "work")
KIND_LABELS = {
    "person": "People",
    "place": "Places",
    "organisation": "Organisations and forces",
    "ship": "Ships",
    "agreement": "Agreements",
    "event": "Events",
    "work": "Works",
}

# Characters that may stand between the words of a name: spaces, hyphens and
# dashes, quotes, full stops (U.S.S.R.) and the replacement character the
# captured page has in "German\ufffdSoviet".
_SEPARATOR = "[\\s\\-\u2010-\u2015'\u2018\u2019\"\u201c\u201d.\ufffd]+"
_WORD = re.compile(r"\w+")
_QUALIFIER = re.compile(r"\s*\([^()]*\)\s*$")
_SPACE = re.compile(r"\s+")
#: "See also" scores at most this many sections for one section (see ``see_also``).
MAX_CANDIDATES = 500


class Error(Exception):
    """An index file that cannot be used at all."""


@functools.lru_cache(maxsize=4096)
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


@functools.lru_cache(maxsize=4096)
def alias_pattern(alias: str) -> str | None:
    """A regular expression (on folded text) matching ``alias`` as whole words."""
    words = _WORD.findall(fold(alias))
    if not words:
        return None
    return r"(?<!\w)" + _SEPARATOR.join(re.escape(w) for w in words) + r"(?!\w)"


@functools.lru_cache(maxsize=4096)
def match_key(alias: str) -> str:
    """The form two aliases share when they match the same text."""
    return " ".join(_WORD.findall(fold(alias)))


@dataclass(frozen=True)
class Entry:
    """One name in the index."""

    id: str
    kind: str
    name: str
    aliases: tuple[str, ...]
    description: str
    #: Where the entry is written in its index.yaml (for problems).
    line: int = 0

    @functools.cached_property
    def terms(self) -> tuple[str, ...]:
        """Every form matched in the text: the name (without a trailing
        ``(...)`` qualifier) and the aliases, duplicates removed."""
        seen: dict[str, str] = {}
        for term in (_QUALIFIER.sub("", self.name), *self.aliases):
            key = match_key(term)
            if key and key not in seen:
                seen[key] = term
        return tuple(seen.values())

    @property
    def sort_key(self) -> str:
        return fold(self.name)


@dataclass(frozen=True)
class Mention:
    """One place where an entry is named: offsets are into ``Section.text``."""

    entry: str
    document: str
    section: str
    start: int
    end: int
    text: str
    #: Inside a longer mention of an entry of another kind ("Poland" in
    #: "invasion of Poland"): counted, but not shown as a link of its own.
    nested: bool = False


@dataclass
class Index:
    """The entries of a library's index files and every mention in its text."""

    entries: list[Entry]
    mentions: list[Mention]
    texts: dict[tuple[str, str], str] = field(default_factory=dict)
    order: list[tuple[str, str]] = field(default_factory=list)

    def entry(self, entry_id: str) -> Entry | None:
        return next((e for e in self.entries if e.id == entry_id), None)

    def mentions_of(self, entry_id: str) -> list[Mention]:
        return self._by_entry.get(entry_id, [])

    @functools.cached_property
    def _by_entry(self) -> dict[str, list[Mention]]:
        grouped: dict[str, list[Mention]] = {}
        for m in self.mentions:
            grouped.setdefault(m.entry, []).append(m)
        return grouped

    @functools.cached_property
    def _sharing(
        self,
    ) -> tuple[dict[tuple[str, str], set[str]], dict[str, list[tuple[str, str]]], dict[str, float]]:
        """(entries named in each section, sections naming each entry, each entry's weight):
        built once, so "see also" for every section is not quadratic in the mentions."""
        names: dict[tuple[str, str], set[str]] = {}
        for m in self.mentions:
            names.setdefault((m.document, m.section), set()).add(m.entry)
        sections_of: dict[str, list[tuple[str, str]]] = {}
        for key in self.order:
            for entry in names.get(key, ()):
                sections_of.setdefault(entry, []).append(key)
        total = len(self.order) or 1
        weight = {e: math.log(total / max(1, len(keys))) for e, keys in sections_of.items()}
        return names, sections_of, weight

    def counts(self, entry_id: str) -> list[tuple[str, str, int]]:
        """(document, section, count) for every section naming the entry, in reading order."""
        counter = Counter((m.document, m.section) for m in self.mentions_of(entry_id))
        return [(doc, sec, counter[(doc, sec)]) for doc, sec in self.order if (doc, sec) in counter]

    def context(self, mention: Mention, width: int = 60) -> tuple[str, str, str]:
        """(before, the mention, after): up to ``width`` characters either side,
        cut at word boundaries, for a one-line preview."""
        text = self.texts.get((mention.document, mention.section), "")
        before = text[max(0, mention.start - width) : mention.start]
        after = text[mention.end : mention.end + width]
        if mention.start - width > 0 and " " in before:
            before = "\u2026" + before[before.index(" ") + 1 :]
        if mention.end + width < len(text) and " " in after:
            after = after[: after.rindex(" ")] + "\u2026"
        return (
            _SPACE.sub(" ", before).lstrip(),
            mention.text,
            _SPACE.sub(" ", after).rstrip(),
        )

    def see_also(self, document: str, section: str, limit: int = 3) -> list[tuple[str, str]]:
        """The sections sharing the most index entries with this one.

        Each shared entry counts log(N / sections naming it), so a name found
        in every section (the Soviet Union) adds nothing and a rare one (Komet)
        adds much. Ties keep reading order; sections sharing nothing are left out.
        """
        names, sections_of, weight = self._sharing
        mine = names.get((document, section), set())
        if not mine:
            return []
        # Only the sections that share an entry of some weight are scored (an entry
        # named in every section weighs nothing and would make this quadratic).
        # Rarest entries first, until MAX_CANDIDATES sections are in play (the
        # nearest in reading order when an entry alone names more): the work per
        # section is bounded however long the essay; below that nothing changes.
        position = self._positions
        key_here = (document, section)
        scores: dict[tuple[str, str], float] = {}
        for entry in sorted(mine, key=lambda e: (-weight.get(e, 0.0), e)):
            grant = weight.get(entry, 0.0)
            if grant <= 1e-9:
                continue
            keys = sections_of.get(entry, [])
            room = MAX_CANDIDATES - len(scores)
            if room <= 0:
                break
            if len(keys) > room:  # the sections nearest this one in reading order
                here = bisect.bisect_left(self._entry_positions[entry], position[key_here])
                start = max(0, min(here - room // 2, len(keys) - room))
                keys = keys[start : start + room]
            for key in keys:
                scores[key] = scores.get(key, 0.0) + grant
        scored = [
            (-score, position[key], key)
            for key, score in scores.items()
            if key != (document, section) and score > 1e-9
        ]
        return [key for _, _, key in heapq.nsmallest(limit, scored)]

    @functools.cached_property
    def _entry_positions(self) -> dict[str, list[int]]:
        """For each entry, the reading positions of the sections naming it (sorted)."""
        position = self._positions
        return {e: [position[k] for k in keys] for e, keys in self._sharing[1].items()}

    @functools.cached_property
    def _positions(self) -> dict[tuple[str, str], int]:
        return {key: number for number, key in enumerate(self.order)}

    def synonyms(self) -> dict[str, tuple[str, ...]]:
        """For each folded name or alias, every other spelling of the same entry.

        Search uses this to expand a query: ``ploiesti`` -> ``("Ploesti", ...)``.
        Keys are ``match_key`` forms (folded, words joined by one space).
        """
        mapping: dict[str, tuple[str, ...]] = {}
        for entry in self.entries:
            terms = entry.terms
            for term in terms:
                key = match_key(term)
                others = tuple(t for t in terms if match_key(t) != key)
                mapping.setdefault(key, others)
        return mapping


# --- loading -----------------------------------------------------------------


def load_entries(path: Path, problems: list[Problem]) -> list[Entry]:
    """Read one index.yaml; bad entries are reported (``path:line: message``) and skipped."""
    items = read_list(path, "entries", problems)
    if items is None:
        return []
    entries: list[Entry] = []
    seen: dict[str, int] = {}
    for line, item in complete_items(
        items, ("id", "kind", "name", "description"), "entry", path, problems
    ):
        entry_id, kind = str(item["id"]), str(item["kind"])
        if kind not in KINDS:
            problems.append(
                Problem(
                    path,
                    line,
                    f"entry {entry_id!r}: unknown kind {kind!r} (one of {', '.join(KINDS)})",
                )
            )
            continue
        if entry_id in seen:
            problems.append(
                Problem(
                    path, line, f"duplicate entry id {entry_id!r} (first on line {seen[entry_id]})"
                )
            )
            continue
        aliases = item.get("aliases") or []
        if not isinstance(aliases, list) or not all(isinstance(a, str | int) for a in aliases):
            message = f"entry {entry_id!r}: aliases must be a list of names"
            problems.append(Problem(path, line, message))
            continue
        empty = [str(a) for a in aliases if not match_key(str(a))]
        if empty:
            message = f"entry {entry_id!r}: alias {empty[0]!r} has no letters"
            problems.append(Problem(path, line, message))
            continue
        seen[entry_id] = line
        entries.append(
            Entry(
                entry_id,
                kind,
                str(item["name"]).strip(),
                tuple(str(a).strip() for a in aliases),
                _SPACE.sub(" ", str(item["description"])).strip(),
                line,
            )
        )
    claimed: dict[str, Entry] = {}
    for entry in entries:
        for term in entry.terms:
            key = match_key(term)
            other = claimed.setdefault(key, entry)
            if other is not entry:
                problems.append(
                    Problem(
                        path,
                        entry.line,
                        f"entry {entry.id!r}: alias {term!r} "
                        f"also belongs to {other.id!r} (line {other.line})",
                    )
                )
    return entries


Candidates = dict[str, list[tuple[re.Pattern[str], "Entry"]]]


def candidates(entries: Iterable[Entry]) -> Candidates:
    """The entries' expressions by the first word of each term: build once, then pass
    to ``find_mentions`` for every piece of text."""
    by_first: Candidates = {}
    for entry in entries:
        for term in entry.terms:
            pattern = alias_pattern(term)
            if pattern:
                first = match_key(term).split(" ", 1)[0]
                by_first.setdefault(first, []).append((_compiled(pattern), entry))
    return by_first


def _overlaps(starts: list[int], spans: list[tuple[int, int, Entry]], start: int, end: int
              ) -> list[tuple[int, int, Entry]]:
    """The spans (kept sorted and never overlapping each other) that overlap start..end."""
    found = []
    index = bisect.bisect_left(starts, end) - 1
    while index >= 0 and spans[index][1] > start:
        found.append(spans[index])
        index -= 1
    return found


def find_mentions(
    entries: Iterable[Entry], document: str, section: str, text: str,
    by_first: Candidates | None = None,
) -> list[Mention]:
    """Every mention of the entries in one section's text, longest match first."""
    # Candidates by their first word, tried only where the text has that word:
    # much faster than running every alias's expression over the whole text.
    if by_first is None:
        by_first = candidates(entries)
    if not by_first or not text:
        return []
    folded, origin = fold_with_map(text)
    found: list[tuple[int, int, Entry]] = []
    for word in _WORD.finditer(folded):
        for compiled, entry in by_first.get(word.group(), ()):
            match = compiled.match(folded, word.start())
            if match:
                found.append((match.start(), match.end(), entry))
    # Longest first; among equals, earliest. Accept those not overlapping.
    found.sort(key=lambda f: (-(f[1] - f[0]), f[0]))
    # Both lists stay sorted by start (with their starts beside them), so each
    # overlap test is a binary search, not a scan of everything taken so far.
    taken: list[tuple[int, int, Entry]] = []
    taken_starts: list[int] = []
    inner: list[tuple[int, int, Entry]] = []
    inner_starts: list[int] = []
    for start, end, entry in found:
        overlaps = _overlaps(taken_starts, taken, start, end)
        if not overlaps:
            index = bisect.bisect_left(taken_starts, start)
            taken_starts.insert(index, start)
            taken.insert(index, (start, end, entry))
        elif (
            len(overlaps) == 1
            and overlaps[0][0] <= start
            and end <= overlaps[0][1]
            and overlaps[0][2].kind != entry.kind
            and not _overlaps(inner_starts, inner, start, end)
        ):
            # A place inside an event's name ("invasion of Poland") is still a
            # mention of the place; an agreement inside another agreement's
            # name is not a mention of the shorter one.
            index = bisect.bisect_left(inner_starts, start)
            inner_starts.insert(index, start)
            inner.insert(index, (start, end, entry))
    mentions = [
        Mention(
            entry.id,
            document,
            section,
            origin[start],
            origin[end - 1] + 1,
            text[origin[start] : origin[end - 1] + 1],
            nested,
        )
        for nested, group in ((False, taken), (True, inner))
        for start, end, entry in group
    ]
    mentions.sort(key=lambda m: (m.start, m.nested))
    return mentions


def _merge(entries: list[Entry]) -> list[Entry]:
    """Entries with the same id in several essays become one, aliases united."""
    merged: dict[str, Entry] = {}
    for entry in entries:
        known = merged.get(entry.id)
        if known is None:
            merged[entry.id] = entry
        else:
            extra = tuple(a for a in entry.aliases if a not in known.aliases)
            merged[entry.id] = Entry(
                known.id,
                known.kind,
                known.name,
                known.aliases + extra,
                known.description,
                known.line,
            )
    return sorted(merged.values(), key=lambda e: (e.sort_key, e.id))


def load_index(library: Library) -> tuple[Index, list[Problem]]:
    """The library's index: every essay's entries, matched against every section."""
    problems: list[Problem] = []
    entries: list[Entry] = []
    for essay in library.essays:
        path = essay.folder / INDEX_FILE
        if path.exists() or path.is_symlink():  # a pipe or a folder is reported
            entries.extend(load_entries(path, problems))
    entries = _merge(entries)
    mentions: list[Mention] = []
    texts: dict[tuple[str, str], str] = {}
    order: list[tuple[str, str]] = []
    by_first = candidates(entries)
    for section in library.sections():
        key = (section.document, section.id)
        texts[key] = section.text
        order.append(key)
        mentions.extend(
            find_mentions(entries, section.document, section.id, section.text, by_first)
        )
    return Index(entries, mentions, texts, order), problems


def check(library: Library) -> list[Problem]:
    """Problems in the library's index files (for ``check``)."""
    return load_index(library)[1]


def index_rows(index: Index) -> list[dict[str, Any]]:
    """The index as the ``index --json`` command prints it, alphabetical."""
    return [
        {
            "name": entry.name,
            "kind": entry.kind,
            "aliases": list(entry.aliases),
            "description": entry.description,
            "mentions": [
                {"document": doc, "section": sec, "count": count}
                for doc, sec, count in index.counts(entry.id)
            ],
        }
        for entry in index.entries
    ]
