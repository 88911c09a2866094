"""Ranking falls back to whoosh's own matchers when whoosh's internals change."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from whoosh import formats

from reader.core.content import Library
from reader.core.search import SearchIndex, ranking

QUERIES = ["Ribbentrop", '"strategic materials"', "German Soviet oil", "Plo*", "Komett",
           "oil -Romania", '"Ploesti oil fields"']


def ranked(index: SearchIndex, text: str) -> list[tuple[str, float, bool]]:
    return [(hit.section, round(hit.score, 9), hit.exact)
            for hit in index.search(text, limit=50).hits]


@pytest.fixture
def fresh_ranking(monkeypatch: pytest.MonkeyPatch) -> None:
    """The scorer enabled and not yet checked, as in a new process (restored afterwards)."""
    monkeypatch.setattr(ranking.Ranker, "bulk_enabled", True)
    monkeypatch.setattr(ranking.Ranker, "_checked", False)


def whoosh_order(index: SearchIndex, text: str) -> list[tuple[str, float, bool]]:
    """The same search with the bulk scorer switched off: whoosh's matchers rank."""
    assert index._ranker is not None
    bulk, index._ranker.bulk = index._ranker.bulk, None
    try:
        return ranked(index, text)
    finally:
        index._ranker.bulk = bulk


def test_the_internals_are_what_the_scorer_reads(fresh_ranking: None) -> None:
    assert ranking.internals_problem() is None


def encode_as_text(self: object, poslist: list[int]) -> bytes:
    """Positions encoded another way, as a future whoosh might."""
    return b"%d:" % len(poslist) + ",".join(map(str, poslist)).encode()


def no_block_matcher() -> type:
    raise ImportError("cannot import name 'W3LeafMatcher' from 'whoosh.codec.whoosh3'")


CHANGES = {
    # Searching an existing index never encodes: whoosh's matchers are unaffected.
    "positions encoded another way": (formats.Positions, "encode", encode_as_text),
    "the block matcher moved": (ranking, "_block_matcher", no_block_matcher),
}


@pytest.mark.parametrize("change", list(CHANGES))
def test_changed_internals_are_found_at_first_use_and_whoosh_ranks(
    library: Library, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fresh_ranking: None,
    caplog: pytest.LogCaptureFixture, change: str,
) -> None:
    index = SearchIndex(library, tmp_path)
    index.open()
    expected = {text: whoosh_order(index, text) for text in QUERIES}
    monkeypatch.setattr(*CHANGES[change])
    assert ranking.internals_problem()
    with caplog.at_level(logging.WARNING, logger="reader.core.search"):
        for text in QUERIES:
            assert expected[text]
            assert ranked(index, text) == expected[text], text
    assert not ranking.Ranker.bulk_enabled
    warnings = [r for r in caplog.records if "bulk scorer" in r.getMessage()]
    assert len(warnings) == 1 and warnings[0].exc_info  # once, with its traceback
    index.close()


def test_an_internal_that_moves_under_the_scorer_falls_back_to_whoosh(
    library: Library, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fresh_ranking: None,
    caplog: pytest.LogCaptureFixture,
) -> None:
    index = SearchIndex(library, tmp_path)
    index.open()
    expected = {text: whoosh_order(index, text) for text in QUERIES}

    def renamed(*args: object) -> object:
        # What reading the block reader's arrays gives once whoosh renames them.
        raise AttributeError("'W3LeafMatcher' object has no attribute '_weights'")

    monkeypatch.setattr(ranking, "_postings", renamed)  # the check passed; then this
    with caplog.at_level(logging.WARNING, logger="reader.core.search"):
        for text in QUERIES:
            assert ranked(index, text) == expected[text], text
    assert not ranking.Ranker.bulk_enabled
    warnings = [r for r in caplog.records if "bulk scorer" in r.getMessage()]
    assert len(warnings) == 1 and warnings[0].exc_info
    assert isinstance(warnings[0].exc_info[1], AttributeError)
    index.close()


def test_with_the_scorer_the_order_is_whoosh_order(
    library: Library, tmp_path: Path, fresh_ranking: None
) -> None:
    index = SearchIndex(library, tmp_path)
    index.open()
    for text in QUERIES:
        assert ranked(index, text) == whoosh_order(index, text), text
    assert ranking.Ranker.bulk_enabled
    index.close()


def prefixes(text: str) -> list[str]:
    """What the search panel sends while a person types ``text``."""
    return [text[:end] for end in range(1, len(text) + 1)]


def test_searching_as_you_type_ranks_as_whoosh_with_what_earlier_searches_kept(
    library: Library, tmp_path: Path, fresh_ranking: None
) -> None:
    index = SearchIndex(library, tmp_path)
    index.open()
    assert index._ranker is not None and index._ranker.bulk is not None
    for text in QUERIES:
        for typed in prefixes(text):
            assert ranked(index, typed) == whoosh_order(index, typed), typed
    assert index._ranker.bulk._postings  # the words typed so far were kept
    index.drop_caches()
    assert not index._ranker.bulk._postings
    assert ranked(index, QUERIES[2]) == whoosh_order(index, QUERIES[2])
    assert ranking.Ranker.bulk_enabled
    index.close()


def test_what_is_kept_between_searches_stays_within_its_bound(
    library: Library, tmp_path: Path, fresh_ranking: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ranking, "CACHED_POSTINGS", 12)
    monkeypatch.setattr(ranking, "CACHED_PHRASES", 1)
    index = SearchIndex(library, tmp_path)
    index.open()
    assert index._ranker is not None and index._ranker.bulk is not None
    bulk = index._ranker.bulk
    for _ in range(2):
        for text in QUERIES:
            assert ranked(index, text) == whoosh_order(index, text), text
            entries = list(bulk._postings.values()) + list(bulk._docs.values())
            assert bulk._size == sum(ranking._posting_count(e) for e in entries)
            # Over the bound only by the last entry of each kind.
            assert bulk._size <= 12 or (len(bulk._postings) <= 1 and len(bulk._docs) <= 1)
            assert len(bulk._phrase_scores) <= 1
    index.close()
