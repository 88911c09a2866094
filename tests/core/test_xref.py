"""The index of names: loading, computed mentions, see-also, synonyms, alias search, CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reader.cli import main
from reader.core import xref
from reader.core.content import Library, load_library
from tests.conftest import ESSAY_ID

ESSAY = """---
title: "Names"
---

# Names {#start}

Hitler wanted Romania for the Ploesti oil fields. Nothing else here.

## Brest {#brest}

Officers met at Breast-Litovsk; later at Brest Litovsk again. Also Ploiești.

## Deals {#deals}

The Memorandum on the German-Soviet Commercial Agreement followed the
German-Soviet Commercial Agreement. A ploestian word is not a mention.

## Far {#far}

Komet sailed from Norway. Komet returned.

## Near {#near}

Komet again, and Norway, and Romnia.
"""

INDEX = """entries:
  - id: hitler
    kind: person
    name: Hitler
    aliases: [Adolf Hitler]
    description: A leader.
  - id: romania
    kind: place
    name: Romania
    aliases: [Romnia]
    description: Vital because of Ploesti.
  - id: ploesti
    kind: place
    name: Ploesti
    aliases: [Ploiești, Ploiesti]
    description: Oil fields.
  - id: brest
    kind: place
    name: Brest-Litovsk
    aliases: [Breast-Litovsk]
    description: Where officers met.
  - id: deal-1939
    kind: agreement
    name: Commercial Agreement of 1939
    aliases: [German-Soviet Commercial Agreement]
    description: The first.
  - id: deal-1940
    kind: agreement
    name: Commercial Agreement of 1940 (the memorandum)
    aliases: [Memorandum on the German-Soviet Commercial Agreement]
    description: The final one.
  - id: komet
    kind: ship
    name: Komet
    description: A cruiser.
  - id: norway
    kind: place
    name: Norway
    aliases: []
    description: Where Komet sailed from.
"""


def write(root: Path, index: str = INDEX, essay: str = ESSAY) -> Path:
    folder = root / "names"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "essay.md").write_text(essay, encoding="utf-8")
    (folder / "index.yaml").write_text(index, encoding="utf-8")
    return folder


@pytest.fixture
def small(tmp_path: Path) -> Library:
    write(tmp_path)
    return load_library(tmp_path)


def sections_of(index: xref.Index, entry: str) -> dict[str, int]:
    return {section: count for _doc, section, count in index.counts(entry)}


def test_fold_removes_accents_and_case() -> None:
    assert xref.fold("Ploiești") == "ploiesti"
    assert xref.fold("PLOIEŞTI") == "ploiesti"  # cedilla form too
    assert xref.match_key("Brest-Litovsk") == xref.match_key("brest litovsk")


def test_mentions_are_found_with_variant_spellings(small: Library) -> None:
    index, problems = xref.load_index(small)
    assert problems == []
    brest = index.mentions_of("brest")
    assert [m.text for m in brest] == ["Breast-Litovsk", "Brest Litovsk"]
    assert sections_of(index, "ploesti") == {"start": 1, "brest": 1}  # Ploiești, accented
    assert sections_of(index, "romania") == {"start": 1, "near": 1}  # the source's "Romnia"
    assert sections_of(index, "komet") == {"far": 2, "near": 1}


def test_mentions_respect_word_boundaries(small: Library) -> None:
    index, _ = xref.load_index(small)
    # "ploestian" contains "ploest" but is not the word Ploesti.
    assert "deals" not in sections_of(index, "ploesti")


def test_longer_alias_wins_over_the_shorter_inside_it(small: Library) -> None:
    index, _ = xref.load_index(small)
    assert sections_of(index, "deal-1940") == {"deals": 1}
    assert sections_of(index, "deal-1939") == {"deals": 1}  # the second, standalone one
    memo = index.mentions_of("deal-1940")[0]
    assert memo.text.startswith("Memorandum on the German-Soviet")


def test_mention_offsets_point_at_the_text(small: Library) -> None:
    index, _ = xref.load_index(small)
    texts = {s.id: s.text for s in small.sections()}
    for mention in index.mentions:
        assert texts[mention.section][mention.start : mention.end] == mention.text
    before, name, after = index.context(index.mentions_of("brest")[0], width=20)
    assert name == "Breast-Litovsk"
    assert before.endswith("met at ")
    assert after.startswith(";")


def test_qualifier_in_parentheses_is_not_matched(small: Library) -> None:
    entry = xref.load_index(small)[0].entry("deal-1940")
    assert entry is not None
    assert "Commercial Agreement of 1940" in entry.terms
    assert not any("(" in term for term in entry.terms)


def test_see_also_ranks_sections_sharing_rare_names(small: Library) -> None:
    index, _ = xref.load_index(small)
    # "far" and "near" share Komet and Norway; nothing else names them.
    assert index.see_also(ESSAY_ID_SMALL, "far")[0] == (ESSAY_ID_SMALL, "near")
    assert (ESSAY_ID_SMALL, "far") not in index.see_also(ESSAY_ID_SMALL, "far")
    assert index.see_also(ESSAY_ID_SMALL, "deals") == []  # shares nothing


ESSAY_ID_SMALL = "names"


def test_synonyms_map_every_spelling_to_the_others(small: Library) -> None:
    synonyms = xref.load_index(small)[0].synonyms()
    assert synonyms["ploiesti"] == ("Ploesti",)  # "Ploiesti" folds to the same key
    assert synonyms["brest litovsk"] == ("Breast-Litovsk",)
    assert synonyms["breast litovsk"] == ("Brest-Litovsk",)
    assert "komet" not in synonyms or synonyms["komet"] == ()


@pytest.mark.parametrize(
    ("index_text", "line", "message"),
    [
        ("entries: [\n  {id: a, kind: place\n", 3, "malformed YAML"),
        ("entries: 3\n", 1, "expected a 'entries:' list"),
        ("entries:\n  - id: a\n    kind: planet\n    name: A\n    description: d\n", 2,
         "unknown kind 'planet'"),
        ("entries:\n  - id: a\n    kind: place\n    name: A\n", 2, "entry needs description"),
        ("entries:\n  - id: a\n    kind: place\n    name: A\n    description: d\n"
         "  - id: a\n    kind: place\n    name: B\n    description: d\n", 6,
         "duplicate entry id 'a'"),
        ("entries:\n  - id: a\n    kind: place\n    name: A\n    description: d\n"
         "  - id: b\n    kind: place\n    name: B\n    aliases: [a]\n    description: d\n", 6,
         "alias 'a' also belongs to 'a'"),
        ("entries:\n  - just a string\n", 2, "entry must be a mapping"),
    ],
)
def test_malformed_index_is_reported_with_its_line(
    tmp_path: Path, index_text: str, line: int, message: str
) -> None:
    folder = write(tmp_path, index=index_text)
    _, problems = xref.load_index(load_library(tmp_path))
    assert problems, "expected a problem"
    assert problems[0].path == folder / "index.yaml"
    assert problems[0].line == line
    assert message in problems[0].message
    assert str(problems[0]).startswith(f"{folder / 'index.yaml'}:{line}: ")


def test_check_command_reports_index_problems(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = "entries:\n  - id: a\n    kind: planet\n    name: A\n    description: d\n"
    write(tmp_path, index=bad)
    assert main(["check", "--content", str(tmp_path)]) == 1
    assert "index.yaml:2: entry 'a': unknown kind 'planet'" in capsys.readouterr().out


def test_index_command_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(tmp_path)
    assert main(["index", "--json", "--content", str(tmp_path)]) == 0
    rows = json.loads(capsys.readouterr().out)
    names = [row["name"] for row in rows]
    assert names == sorted(names, key=str.casefold)
    brest = next(row for row in rows if row["name"] == "Brest-Litovsk")
    assert brest == {
        "name": "Brest-Litovsk",
        "kind": "place",
        "aliases": ["Breast-Litovsk"],
        "description": "Where officers met.",
        "mentions": [{"document": "names", "section": "brest", "count": 2}],
    }


def test_index_command_plain(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(tmp_path)
    assert main(["index", "--content", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "Komet  [ship]" in out
    assert "[far] ×2" in out


# --- the real essay ---------------------------------------------------------------


@pytest.fixture(scope="module")
def real_index(library: Library) -> xref.Index:
    index, problems = xref.load_index(library)
    assert problems == []
    return index


@pytest.mark.parametrize(
    ("entry", "section", "spelling"),
    [
        ("brest-litovsk", "nazi-soviet-alliance", "Breast-Litovsk"),
        ("romania", "differences", "Romnia"),
        ("manchukuo", "japanese-diplomacy", "Manchuko"),
        ("anti-comintern-pact", "japanese-diplomacy", "Abti-Comintern Pact"),
        ("ploesti", "differences", "Ploesti"),
        ("komet", "german-japanese-communications", "Komet"),
        ("ribbentrop", "raw-materials", "Reich Minister for Foreign Affairs"),
        ("commercial-agreement-1939", "raw-materials", "German\ufffdSoviet Commercial Agreement"),
        ("ice-breakers", "german-japanese-communications", "ice breakers"),
    ],
)
def test_real_essay_mentions(
    real_index: xref.Index, entry: str, section: str, spelling: str
) -> None:
    # The section text is the corrected reading: the source's own spelling
    # ("Breast-Litovsk") may have become the right one there, so either counts.
    found = [m for m in real_index.mentions_of(entry) if m.section == section]
    assert found
    listed = real_index.entry(entry)
    assert listed is not None
    assert xref.match_key(spelling) in {xref.match_key(t) for t in listed.terms}


def test_real_essay_every_entry_is_mentioned(real_index: xref.Index) -> None:
    unmentioned = [e.id for e in real_index.entries if not real_index.mentions_of(e.id)]
    assert unmentioned == []


def test_real_essay_see_also_links_the_repeated_passage(real_index: xref.Index) -> None:
    # "Soviet Aggressions" restates the introduction: they point at each other.
    assert (ESSAY_ID, "nazi-soviet-alliance") in real_index.see_also(ESSAY_ID, "soviet-aggressions")


# --- alias search ------------------------------------------------------------------


SEARCH_ESSAY = """---
title: "Oil"
---

# Oil {#start}

Nothing about oil fields here at all.

## Old spelling {#old}

The Ploesti oil fields. Officers at Breast-Litovsk.

## New spelling {#new}

The Ploiesti refineries. Officers at Brest-Litovsk.
"""

SEARCH_INDEX = """entries:
  - id: ploesti
    kind: place
    name: Ploesti
    aliases: [Ploiești, Ploiesti]
    description: Oil fields.
  - id: brest
    kind: place
    name: Brest-Litovsk
    aliases: [Breast-Litovsk]
    description: A fortress town.
"""


@pytest.fixture
def alias_search(tmp_path: Path):  # type: ignore[no-untyped-def]
    search = pytest.importorskip("reader.core.search")
    write(tmp_path / "content", index=SEARCH_INDEX, essay=SEARCH_ESSAY)
    library = load_library(tmp_path / "content")
    synonyms = xref.load_index(library)[0].synonyms()
    return search.SearchIndex(library, tmp_path / "cache", synonyms=synonyms)


@pytest.mark.parametrize(("query", "exact"), [("Ploiesti", "new"), ("Brest-Litovsk", "new"),
                                              ("Ploesti", "old"), ("Breast-Litovsk", "old")])
def test_alias_search_finds_other_spellings_as_exact_hits(  # type: ignore[no-untyped-def]
    alias_search, query: str, exact: str
) -> None:
    results = alias_search.search(query)
    sections = [hit.section for hit in results.hits]
    other = "old" if exact == "new" else "new"
    assert sections[:2] == [exact, other], sections  # the spelling typed ranks first
    # A declared spelling is no typo: both are exact, and the reader is told why.
    assert results.hits[0].exact and results.hits[1].exact
    assert results.also_spelled.startswith(f"{query} is also spelled ")
    assert results.suggestion is None


def test_index_of_names_follows_the_editions_rules(real_index: xref.Index) -> None:
    entries = {e.id: e for e in real_index.entries}
    # One demonym rule: every people's name is an alias of its country.
    for country, demonym in [("japan", "Japanese"), ("britain", "British"), ("france", "French"),
                             ("germany", "Germans"), ("soviet-union", "Soviets"),
                             ("poland", "Polish"), ("italy", "Italians"), ("russia", "Russian")]:
        assert demonym in entries[country].aliases, country
    # The Axis as coalition and as the September 1940 agreement are two entries.
    assert entries["axis"].kind != "agreement" and entries["axis-alliance"].kind == "agreement"
    for wanted in ("world-war-ii", "allies", "europe", "council-of-peoples-commissars",
                   "nazi-party", "japanese-government", "polish-jews", "russia", "hu5505"):
        assert wanted in entries, wanted
    assert "Komett" not in entries["komet"].aliases
    assert "Soviet Army" not in entries["red-army"].aliases
    # Both foreign ministers' titles are aliases, each marked as the edition's reading.
    assert "Reich Minister for Foreign Affairs" in entries["ribbentrop"].aliases
    assert "Commissar for Foreign Affairs" in entries["molotov"].aliases
    assert "edition" in entries["ribbentrop"].description
    assert "edition" in entries["molotov"].description
    # Hitler's description does not guess the garbled passage.
    assert "discuss the Pact" not in entries["hitler"].description
