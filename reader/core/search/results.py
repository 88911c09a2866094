"""What a search returns: the hits, best first, and what to tell the reader."""

from __future__ import annotations

from dataclasses import dataclass, field
from html import escape


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
    #: False when the section was found only through a near spelling.
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
    #: The declared other spellings of a typed name that the hits use, as a sentence
    #: ("Ploiesti is also spelled Ploesti."), or "".
    also_spelled: str = ""

    @property
    def terms(self) -> tuple[str, ...]:
        """Every matched form over all hits, each once (case-insensitively)."""
        seen: dict[str, str] = {}
        for hit in self.hits:
            for term in hit.terms:
                seen.setdefault(term.casefold(), term)
        return tuple(seen.values())
