"""Search analysis: folding shared with the index of names, and phrases of any length."""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.core import xref
from reader.core.content import load_library
from reader.core.search import SearchIndex, SearchResults, WordAnalyzer
from tests.essay_fixtures import write_essay

NAMES = ["Łódź", "Gdańsk", "Białystok", "Šiauliai", "Liepāja", "Kaunas", "Øresund",
         "Straße", "Đakovo", "Dıyarbakır", "ﬁnland"]
#: How a reader types each name on a plain keyboard.
TYPED = {"Łódź": "Lodz", "Gdańsk": "Gdansk", "Białystok": "Bialystok", "Šiauliai": "Siauliai",
         "Liepāja": "Liepaja", "Kaunas": "Kaunas", "Øresund": "Oresund", "Straße": "Strasse",
         "Đakovo": "Dakovo", "Dıyarbakır": "Diyarbakir", "ﬁnland": "finland"}


def essay_with(names: list[str]) -> str:
    parts = ["---\ntitle: Places\n---\n\n# Places {#start}\n\nA list of places.\n"]
    for number, name in enumerate(names):
        parts.append(f"## Part {number} {{#part-{number}}}\n\nThe town of {name} lay east.\n")
    return "\n".join(parts)


def sections(results: SearchResults) -> list[str]:
    return [hit.section for hit in results.hits if hit.exact]


@pytest.mark.parametrize("name", NAMES)
def test_search_folds_a_name_as_the_index_of_names_does(name: str) -> None:
    plain = WordAnalyzer(joins=False, stem=False)
    assert plain.term(name) == xref.match_key(name) == xref.match_key(TYPED[name])


@pytest.fixture(scope="module")
def places(tmp_path_factory: pytest.TempPathFactory) -> SearchIndex:
    root = tmp_path_factory.mktemp("places")
    write_essay(root / "content", "places", essay_with(NAMES))
    index = SearchIndex(load_library(root / "content"), root / "cache")
    assert index.open() == ""
    return index


@pytest.mark.parametrize("name", NAMES)
def test_a_name_written_with_accents_is_found_as_typed(places: SearchIndex, name: str) -> None:
    part = f"part-{NAMES.index(name)}"
    typed = TYPED[name]
    for query in (name, typed, typed.lower(), typed.upper(), name.upper()):
        assert sections(places.search(query)) == [part], query
    hit = places.search(typed).hits[0]
    assert name in hit.terms  # highlighted as it is written


@pytest.mark.parametrize("name", ["Łódź", "Gdańsk", "Šiauliai", "Øresund", "Straße"])
def test_a_name_written_plainly_is_found_with_accents(tmp_path: Path, name: str) -> None:
    write_essay(tmp_path / "content", "plain", essay_with([TYPED[name]]))
    index = SearchIndex(load_library(tmp_path / "content"), tmp_path / "cache")
    assert sections(index.search(name)) == ["part-0"]
    assert sections(index.search(name.upper())) == ["part-0"]
    index.close()


# --- phrases --------------------------------------------------------------------------------

PHRASES = """---
title: Raiders
---

# Raiders {#start}

Ships at sea.

## One {#one}

The raider Komet sailed east through the Arctic ice.

## Two {#two}

East of the Arctic, Komet sailed as a raider; through ice she went.

## Three {#three}

Through the ice the raider sailed east, and Komet followed.

## Four {#four}

A raider sailed; Komet went east through Arctic waters.
"""


@pytest.fixture(scope="module")
def raiders(tmp_path_factory: pytest.TempPathFactory) -> SearchIndex:
    root = tmp_path_factory.mktemp("raiders")
    write_essay(root / "content", "raiders", PHRASES)
    index = SearchIndex(load_library(root / "content"), root / "cache")
    assert index.open() == ""
    return index


@pytest.mark.parametrize(("phrase", "found"), [
    ('"raider Komet"', ["one"]),
    ('"raider Komet sailed"', ["one"]),
    ('"Komet sailed east through"', ["one"]),
    ('"sailed east through the Arctic ice"', ["one"]),
    ('"went east through"', ["four"]),
    ('"Komet sailed"', ["one", "two"]),
])
def test_quoted_phrases_of_any_length_are_found(
    raiders: SearchIndex, phrase: str, found: list[str]
) -> None:
    assert sorted(sections(raiders.search(phrase))) == found


@pytest.mark.parametrize("phrase", ['"Komet raider sailed"', '"sailed Komet raider"',
                                    '"east Komet sailed through"', '"Komet east sailed"'])
def test_a_phrase_with_its_words_in_another_order_is_not_found(
    raiders: SearchIndex, phrase: str
) -> None:
    assert sections(raiders.search(phrase)) == []
    # ...although every section holds all its words.
    assert len(sections(raiders.search(phrase.strip('"')))) == 4


def test_long_phrases_of_the_real_essay_are_found(index_of_the_essay: SearchIndex) -> None:
    three = index_of_the_essay.search('"Ploesti oil fields"')
    four = index_of_the_essay.search('"strategic materials, especially oil"')
    assert three.hits and all(hit.exact for hit in three.hits)
    assert four.hits and all(hit.exact for hit in four.hits)
    assert not sections(index_of_the_essay.search('"fields oil Ploesti"'))


@pytest.fixture(scope="module")
def index_of_the_essay(tmp_path_factory: pytest.TempPathFactory) -> SearchIndex:
    from reader.core.content import load_library as load
    from tests.conftest import CONTENT_DIR

    index = SearchIndex(load(CONTENT_DIR), tmp_path_factory.mktemp("essay-cache"))
    assert index.open() == ""
    return index
