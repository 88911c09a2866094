"""Full-text search: the acceptance queries on the real essay, query syntax, typo
tolerance, safe input, the index's persistence and repair, and the ``search`` command."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reader.cli import main
from reader.core import search
from reader.core.content import Library, load_library
from reader.core.search import highlight, ranking, storage
from reader.core.search import query as search_query
from tests import PROJECT_ROOT
from tests.conftest import ESSAY_ID


@pytest.fixture(scope="module")
def index(library: Library, tmp_path_factory: pytest.TempPathFactory) -> search.SearchIndex:
    """One index of the real essay, built once for the read-only tests."""
    built = search.SearchIndex(library, tmp_path_factory.mktemp("cache"))
    assert built.open() == ""
    return built


def sections(results: search.SearchResults) -> list[str]:
    return [hit.section for hit in results.hits]


def write_essay(root: Path, folder: str, text: str) -> None:
    (root / folder).mkdir(parents=True)
    (root / folder / "essay.md").write_text(text, encoding="utf-8")


# --- acceptance on the real content --------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "first"),
    [
        ("Ploesti", "differences"),
        ("Komet", "german-japanese-communications"),
        ("Ribbentrop", "pact"),
        ("Plo*", "differences"),
        ("phosphate", "raw-materials"),
        ("phosphates", "raw-materials"),
    ],
)
def test_acceptance_queries_put_the_right_section_first(
    index: search.SearchIndex, query: str, first: str
) -> None:
    results = index.search(query)
    assert sections(results)[:1] == [first], sections(results)
    assert results.hits[0].document == ESSAY_ID


@pytest.mark.parametrize("query", ["Ploiesti", "Ploieşti", "Ploiești", "PLOIESTI"])
def test_romanian_spellings_find_differences_in_the_top_three(
    index: search.SearchIndex, query: str
) -> None:
    assert "differences" in sections(index.search(query))[:3]


def test_quoted_phrase_puts_a_section_with_the_exact_phrase_first(
    index: search.SearchIndex, library: Library
) -> None:
    results = index.search('"strategic materials"')
    top = library.section(ESSAY_ID, results.hits[0].section)
    assert top is not None and "strategic materials" in top.text
    # Every hit of a phrase query has the words together, not merely both words.
    for hit in results.hits:
        section = library.section(hit.document, hit.section)
        assert section is not None and "strategic materials" in section.text.lower()


@pytest.mark.parametrize("query", ["ice breakers", "icebreakers", "Icebreakers", "ice-breakers"])
def test_compound_and_split_forms_both_find_the_icebreakers(
    index: search.SearchIndex, query: str
) -> None:
    results = index.search(query)
    assert "german-japanese-communications" in sections(results)[:1]
    assert any("ice" in term.lower() for term in results.hits[0].terms)


def test_compound_query_highlights_the_split_words(index: search.SearchIndex) -> None:
    hit = index.search("icebreakers").hits[0]
    assert "ice breakers" in hit.terms
    assert "**ice breakers**" in hit.snippet()


@pytest.mark.parametrize("query", ["NKVD-SS", "NKVD SS", "nkvdss", "nkvd-ss"])
def test_hyphenated_words_match_with_or_without_the_hyphen(
    index: search.SearchIndex, query: str
) -> None:
    assert sections(index.search(query))[:1] == ["nkvd-ss-cooperation"]


@pytest.mark.parametrize("query", ["Anti-Comintern", "anti comintern", "AntiComintern"])
def test_anti_comintern_in_every_form(index: search.SearchIndex, query: str) -> None:
    assert sections(index.search(query))[:1] == ["japanese-diplomacy"]


@pytest.mark.parametrize(("query", "form"), [("Reichsmark", "Reichsmarks"), ("ore", "ores"),
                                             ("ores", "ore")])
def test_stemming_finds_and_reports_every_form(
    index: search.SearchIndex, query: str, form: str
) -> None:
    results = index.search(query)
    assert sections(results)[:1] == ["raw-materials"]
    assert form in results.hits[0].terms


def test_ores_does_not_match_the_word_or(index: search.SearchIndex) -> None:
    # The original Porter stemmer made "ores" and "or" one stem; Snowball English
    # (Porter2) does not.
    assert sections(index.search("ores")) == ["raw-materials"]


def test_title_matches_weigh_more_than_body_matches(index: search.SearchIndex) -> None:
    # "Differences" is a title; the word also occurs in the bodies of other sections.
    results = index.search("differences")
    assert len(results.hits) > 1
    assert results.hits[0].section == "differences"


def test_both_readings_are_searchable(index: search.SearchIndex) -> None:
    # The source's misspelling "Breast" (corrected to "Brest") still finds Figure 1's caption.
    assert ESSAY_ID in sections(index.search("Breast"))
    assert ESSAY_ID in sections(index.search("Brest"))


# --- query syntax ---------------------------------------------------------------------------


def test_plain_words_must_all_occur(index: search.SearchIndex, library: Library) -> None:
    results = index.search("Komet Siberia")
    assert results.mode == "all" and results.message == ""
    assert sections(results) == ["german-japanese-communications"]


def test_falls_back_to_any_word_and_says_so(index: search.SearchIndex) -> None:
    results = index.search("Komet phosphates")
    assert results.mode == "any"
    assert "any" in results.message
    assert set(sections(results)) == {"german-japanese-communications", "raw-materials"}


def test_or_not_minus_and_title_field(index: search.SearchIndex) -> None:
    assert set(sections(index.search("Komet OR phosphates"))) == {
        "german-japanese-communications", "raw-materials"}
    with_oil = set(sections(index.search("oil")))
    assert "differences" in with_oil
    assert "differences" not in sections(index.search("oil NOT Romania"))
    assert "differences" not in sections(index.search("oil -Romania"))
    assert set(sections(index.search("oil NOT Romania"))) < with_oil
    assert sections(index.search("title:raw")) == ["raw-materials"]
    assert "raw-materials" not in sections(index.search("title:phosphates"))


def test_prefix_expansion_is_capped(index: search.SearchIndex) -> None:
    results = index.search("s*")  # one letter: not expanded at all
    assert results.hits == []
    results = index.search("co*")
    assert results.hits, "a two-letter prefix is expanded"
    for hit in results.hits:
        assert all(term.lower().startswith("co") for term in hit.terms)


# --- typo tolerance -------------------------------------------------------------------------


@pytest.mark.parametrize(("typo", "section", "suggestion"), [
    ("Komett", "german-japanese-communications", "Komet"),
    ("Molotow", "pact", "Molotov"),
    ("Ribentrop", "pact", "Ribbentrop"),
])
def test_typos_find_the_section_and_suggest_the_word(
    index: search.SearchIndex, typo: str, section: str, suggestion: str
) -> None:
    results = index.search(typo)
    assert section in sections(results)
    assert not results.hits[0].exact
    assert results.suggestion == suggestion


def test_hyphenated_typo_is_fuzzed_word_by_word(index: search.SearchIndex) -> None:
    # The caption spells it "Breast-Litovsk" in the original reading.
    assert ESSAY_ID in sections(index.search("Brest-Litovks"))


def test_nothing_found_offers_did_you_mean(index: search.SearchIndex) -> None:
    results = index.search("Xqmolotovz")
    assert results.hits == []
    assert results.message.startswith("No results")


def test_exact_hits_always_outrank_fuzzy_ones(tmp_path: Path) -> None:
    content = tmp_path / "content"
    write_essay(content, "a", "---\ntitle: A\n---\n\n# Exact {#exact}\n\nRibbentrop signed.\n")
    write_essay(content, "b", "---\ntitle: B\n---\n\n# Ribentrop Ribentrop {#near}\n\n"
                + "Ribentrop " * 30 + "\n")
    index = search.SearchIndex(load_library(content), tmp_path / "cache")
    results = index.search("Ribbentrop")
    assert sections(results) == ["exact", "near"]
    assert [hit.exact for hit in results.hits] == [True, False]


def test_declared_spellings_are_exact_hits(tmp_path: Path) -> None:
    content = tmp_path / "content"
    write_essay(content, "a", "---\ntitle: A\n---\n\n# One {#one}\n\nThe raider Komet.\n\n"
                "## Two {#two}\n\nThe raider Schiff 45.\n\n## Three {#three}\n\nNothing.\n")
    library = load_library(content)
    plain = search.SearchIndex(library, tmp_path / "cache")
    assert sections(plain.search("Komet")) == ["one"]
    plain.close()
    aliased = search.SearchIndex(library, tmp_path / "cache",
                                 synonyms={"Komet": ["Schiff 45", "Komet"]})
    results = aliased.search("Komet raider")
    assert sorted(sections(results)) == ["one", "two"]
    # Another declared name of the same thing is not a near spelling, and no typo.
    assert [hit.exact for hit in results.hits] == [True, True]
    assert results.suggestion is None
    assert results.also_spelled == "Komet is also spelled Schiff 45."
    two = next(hit for hit in results.hits if hit.section == "two")
    assert two.terms == ("raider Schiff 45",)  # neighbours highlighted as one
    # An alias inside quotes is taken literally.
    assert sections(aliased.search('"Komet"')) == ["one"]


# --- results --------------------------------------------------------------------------------


def test_hit_has_snippet_count_and_terms(index: search.SearchIndex) -> None:
    hit = index.search("Reichsmarks").hits[0]
    assert hit.title == "Raw Materials"
    assert hit.count >= 5
    assert "**Reichsmarks**" in hit.snippet()
    assert "<b>Reichsmarks</b>" in hit.snippet_html()
    assert "**" not in hit.snippet_text()
    assert len(hit.snippet_text()) <= search.SNIPPET_CHARS + 10


def test_snippet_html_escapes_the_text() -> None:
    hit = search.Hit("d", "s", "t", 1.0, (("a < b & ", False), ("c", True)), 1, ("c",))
    assert hit.snippet_html() == "a &lt; b &amp; <b>c</b>"


def test_fast_matcher_agrees_with_the_analyzer(library: Library) -> None:
    analyzer = search.make_schema()["body"].analyzer
    matcher = highlight.Matcher(analyzer)
    for section in library.sections():
        tokens = {(t.startchar, t.endchar, t.text)
                  for t in analyzer(section.text, mode="index", chars=True, positions=True)}
        terms = {text for _, _, text in tokens}
        assert set(matcher.spans(section.text, terms, merge=False)) == tokens


# --- safe input -----------------------------------------------------------------------------


NASTY = [
    "", " ", '"', '"unbalanced', "((((", "))", "(oil", "oil)", "AND", "OR", "NOT", "NOT NOT oil",
    "oil AND", "-", "--", "+", "*", "**", "*a*", "a*", "title:", "title:*", "nosuchfield:oil",
    "oil~", "oil~9", "~", "^", "oil^", "oil^999", "[a TO z]", "{a TO z}", "<oil>", "x" * 10_000,
    "oil " * 3_000, "(" * 1_000 + "oil", "\x00oil\x00", "oil\x07\x1b[31m", "\u202eoil",
    "ǅ\u0301\u0301", "🙂", "'single'", "a:b:c", "title:(oil OR coal)", '"oil"~3', "\\", "oil\\",
]


@pytest.mark.parametrize("query", NASTY)
def test_any_input_returns_results_without_raising(
    index: search.SearchIndex, query: str
) -> None:
    results = index.search(query)
    assert isinstance(results.hits, list)
    assert len(results.query) <= search.MAX_QUERY_CHARS
    assert "\x00" not in results.query


def test_control_characters_are_stripped_before_searching(index: search.SearchIndex) -> None:
    assert sections(index.search("Kom\x00et")) == []  # a NUL splits the word...
    assert sections(index.search("\x00Komet\x1f")) == ["german-japanese-communications"]


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=80) | st.text(alphabet='ab "()*-:~^ORNTtile', max_size=40))
def test_property_any_string_gives_a_list(index: search.SearchIndex, text: str) -> None:
    results = index.search(text)
    assert isinstance(results.hits, list)
    assert all(isinstance(hit, search.Hit) for hit in results.hits)


# --- the index on disk ----------------------------------------------------------------------


def test_up_to_date_index_opens_without_rebuilding(
    library: Library, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = search.SearchIndex(library, tmp_path)
    assert first.open() == ""
    first.close()
    sidecar = json.loads((tmp_path / "search" / search.SIDECAR).read_text())
    assert sidecar["fingerprint"] == search.fingerprint(library)
    assert sidecar["code"] == storage.code_version()
    assert sidecar["documents"] == len(list(library.sections()))

    def no_build(*args: object) -> None:
        raise AssertionError("rebuilt an up-to-date index")

    monkeypatch.setattr(storage.Store, "_build_on_disk", no_build)
    second = search.SearchIndex(library, tmp_path)
    assert second.is_current()
    assert second.open() == ""
    assert sections(second.search("Komet")) == ["german-japanese-communications"]


def test_stale_index_is_rebuilt(tmp_path: Path) -> None:
    content = tmp_path / "content"
    write_essay(content, "a", "---\ntitle: A\n---\n\n# One {#one}\n\nKomet sailed.\n")
    old = search.SearchIndex(load_library(content), tmp_path / "cache")
    old.open()
    old.close()
    (content / "a" / "essay.md").write_text(
        "---\ntitle: A\n---\n\n# One {#one}\n\nThe cruiser Orion sailed.\n", encoding="utf-8")
    new = search.SearchIndex(load_library(content), tmp_path / "cache")
    assert not new.is_current()
    assert new.open() == ""  # stale is routine, not worth a message
    assert sections(new.search("Orion")) == ["one"]
    assert sections(new.search("Komet")) == []
    assert not list((tmp_path / "cache").glob("search.damaged-*"))


def _toc(folder: Path) -> Path:
    return next(folder.glob("_MAIN_*.toc"))


def _segment(folder: Path) -> Path:
    return max(folder.glob("*.seg"), key=lambda p: p.stat().st_size)


def _largest(folder: Path) -> Path:
    return max((p for p in folder.iterdir() if p.name != search.SIDECAR),
               key=lambda p: p.stat().st_size)


DAMAGE = {
    "toc deleted": lambda f: _toc(f).unlink(),
    "toc truncated to zero": lambda f: _toc(f).write_bytes(b""),
    "toc truncated": lambda f: _toc(f).write_bytes(_toc(f).read_bytes()[:40]),
    "toc overwritten": lambda f: _toc(f).write_bytes(os.urandom(300)),
    "segment deleted": lambda f: [p.unlink() for p in f.iterdir() if p.suffix == ".seg"],
    "largest file truncated": lambda f: _largest(f).write_bytes(_largest(f).read_bytes()[:100]),
    "garbage files in the folder": lambda f: [
        (f / name).write_bytes(os.urandom(2000)) for name in ("_MAIN_9.toc", "junk.seg")],
    "everything replaced by garbage": lambda f: [
        p.write_bytes(os.urandom(500)) for p in f.iterdir() if p.name != search.SIDECAR],
    "folder emptied": lambda f: [p.unlink() for p in f.iterdir()],
    "sidecar garbage": lambda f: (f / search.SIDECAR).write_bytes(b"\xff\x00{"),
    "sidecar count wrong": lambda f: (f / search.SIDECAR).write_text(json.dumps(
        {**json.loads((f / search.SIDECAR).read_text()), "documents": 999})),
}


@pytest.mark.parametrize("damage", list(DAMAGE))
def test_damaged_index_is_set_aside_and_rebuilt(
    library: Library, tmp_path: Path, damage: str
) -> None:
    cache = tmp_path / "cache"
    built = search.SearchIndex(library, cache)
    built.open()
    built.close()
    DAMAGE[damage](cache / "search")
    repaired = search.SearchIndex(library, cache)
    message = repaired.open()
    assert "rebuilt" in message
    assert sections(repaired.search("Komet")) == ["german-japanese-communications"]
    assert repaired.is_current()
    assert len(list(cache.glob("search.damaged-*"))) == 1
    repaired.close()
    # The rebuilt index is healthy: it opens quietly next time.
    assert search.SearchIndex(library, cache).open() == ""


def test_index_folder_replaced_by_a_file_is_rebuilt(library: Library, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    cache.mkdir()
    (cache / "search").write_bytes(b"not a folder")
    index = search.SearchIndex(library, cache)
    assert "rebuilt" in index.open()
    assert sections(index.search("Komet")) == ["german-japanese-communications"]


def test_unreadable_index_is_rebuilt(
    library: Library, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path / "cache"
    search.SearchIndex(library, cache).open()
    real_open = storage.whoosh_index.open_dir
    calls = []

    def unreadable(path: str, *args: object, **kwargs: object) -> object:
        calls.append(path)
        if len(calls) == 1:  # as if the folder could not be read (tests may run as root)
            raise PermissionError(13, "Permission denied", path)
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(storage.whoosh_index, "open_dir", unreadable)
    index = search.SearchIndex(library, cache)
    assert "rebuilt" in index.open()
    assert sections(index.search("Komet")) == ["german-japanese-communications"]


def test_damage_found_at_query_time_still_answers(
    library: Library, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    index = search.SearchIndex(library, tmp_path)
    index.open()

    def broken(*args: object, **kwargs: object) -> object:
        raise OSError("zlib error -3 while decompressing")

    # Damage surfaces where postings are read: whoosh's matchers or the bulk scorer's.
    monkeypatch.setattr(index._searcher, "search", broken)
    monkeypatch.setattr(ranking, "_postings", broken)
    results = index.search("Komet")
    assert results.hits == []
    assert results.message


def test_unwritable_cache_searches_from_memory(library: Library, tmp_path: Path) -> None:
    blocker = tmp_path / "cache"
    blocker.write_text("a file where the cache folder should be")
    index = search.SearchIndex(library, blocker)
    message = index.open()
    assert "memory" in message and index.in_memory
    assert sections(index.search("Komet")) == ["german-japanese-communications"]


def test_progress_is_reported_while_building(library: Library, tmp_path: Path) -> None:
    seen: list[tuple[int, int]] = []
    index = search.SearchIndex(library, tmp_path)
    index.open(progress=lambda done, total: seen.append((done, total)))
    total = len(list(library.sections()))
    assert seen and seen[-1] == (total, total)


# --- the search command ---------------------------------------------------------------------


def test_cli_json_is_best_first(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["search", "Ploesti", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert rows[0]["section"] == "differences"
    assert set(rows[0]) == {"document", "section", "title", "score", "snippet"}
    assert "Ploesti" in rows[0]["snippet"] and "**" not in rows[0]["snippet"]
    scores = [row["score"] for row in rows]
    assert rows[0]["document"] == ESSAY_ID and all(isinstance(s, float) for s in scores)


def test_cli_plain_output_marks_matches(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["search", "Komet"]) == 0
    out = capsys.readouterr().out
    assert "German Japanese Communications" in out
    assert "**Komet**" in out


def test_cli_limit_and_no_results(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["search", "oil", "--limit", "1", "--json"]) == 0
    assert len(json.loads(capsys.readouterr().out)) == 1
    assert main(["search", "zzzzqqq", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == []
    assert main(["search", "Komett"]) == 0
    assert "Komet" in capsys.readouterr().out


@pytest.mark.parametrize("argv", [["search"], ["search", "oil", "--limit", "x"],
                                  ["search", "oil", "--limit", "0"], ["search", "--bogus", "x"]])
def test_cli_unusable_arguments_exit_2(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as raised:
        main(argv)
    assert raised.value.code == 2
    assert "Traceback" not in capsys.readouterr().err


def test_cli_in_a_subprocess_never_shows_a_traceback(tmp_path: Path) -> None:
    env = {**os.environ, "READER_CACHE_DIR": str(tmp_path / "cache")}
    for query in ["Ribbentrop", '"unbalanced (', "\x01NOT NOT", "x" * 5000]:
        done = subprocess.run(
            [sys.executable, str(PROJECT_ROOT / "main.py"), "search", query, "--json"],
            capture_output=True, text=True, env=env, timeout=60, check=False,
        )
        assert done.returncode == 0, done.stderr
        assert "Traceback" not in done.stderr
        assert isinstance(json.loads(done.stdout), list)
    done = subprocess.run(
        [sys.executable, str(PROJECT_ROOT / "main.py"), "search", "oil", "--limit", "many"],
        capture_output=True, text=True, env=env, timeout=60, check=False,
    )
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert done.stderr.strip().splitlines()[-1].startswith("reference-reader search: error:")


def test_a_large_library_builds_in_two_segments_that_search_alike(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(storage, "PARALLEL_BUILD_SECTIONS", 100)
    parts = ["---\ntitle: Many\n---\n\n# Many {#many}\n\nThe start.\n"]
    for number in range(400):
        parts.append(f"## Part {number} {{#part-{number}}}\n\nThe raider Komet, item {number}.\n")
    parts.append("## Oil {#oil}\n\nThe Ploesti oil fields and the ice breakers.\n")
    write_essay(tmp_path / "content", "many", "\n".join(parts))
    library = load_library(tmp_path / "content")
    index = search.SearchIndex(library, tmp_path / "cache")
    assert index.open() == ""
    assert len(list(index._searcher.reader().leaf_readers())) >= 2
    assert sections(index.search("Ploiesti")) == ["oil"]
    assert index.search("Ploiesti").suggestion == "Ploesti"
    assert sections(index.search("icebreakers")) == ["oil"]
    assert sections(index.search("Plo*")) == ["oil"]
    assert index.search("Komet", limit=1000).total == 400
    index.close()
    assert search.SearchIndex(library, tmp_path / "cache").open() == ""  # healthy again


# --- the bulk scorer gives whoosh's own ranking -----------------------------------------------


COMPARED = [
    "Ribbentrop", '"strategic materials"', "German Soviet oil", "Plo*", "Ploiesti", "Komett",
    "oil -Romania", "oil NOT grain", "Komet OR Ploesti", "title:oil", '"ice breakers"',
    "icebreakers", "(oil OR grain)^2 Soviet", "Molotov Ribbentrop pact", "Anti-Comintern",
    '"Soviet Union" -"strategic materials"', "rubber tin phosphates whale oil", "Brest-Litovsk",
]


def assert_bulk_agrees_with_whoosh(index: search.SearchIndex) -> None:
    from whoosh import qparser

    searcher = index._searcher
    bulk = index._ranker.bulk if index._ranker else None
    assert bulk is not None and bulk.usable
    for text in COMPARED:
        for group in (qparser.AndGroup, qparser.OrGroup):
            parsed = index._parse(text, group, plain=False)
            for fuzzy in (False, True):
                q = search_query.Concrete(searcher.reader(), fuzzy=fuzzy).rewrite(parsed)
                found = bulk.search(q, 1000)
                if found is None:  # "any word" with a NOT: an Or around a Not, left to whoosh
                    assert group is qparser.OrGroup and ("NOT" in text or " -" in text), q
                    continue
                expected = searcher.search(q, limit=1000)
                top, total = found
                assert [d for d, _ in top] == [h.docnum for h in expected], (text, q)
                assert [s for _, s in top] == pytest.approx([h.score for h in expected], rel=1e-9)
                assert total == len(expected), (text, q)


def test_bulk_scorer_ranks_as_whoosh_does(index: search.SearchIndex) -> None:
    assert_bulk_agrees_with_whoosh(index)


def test_bulk_scorer_ranks_as_whoosh_does_over_segments(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(storage, "PARALLEL_BUILD_SECTIONS", 10)
    essay = (PROJECT_ROOT / "content" / ESSAY_ID / "essay.md").read_text(encoding="utf-8")
    for number in range(30):  # identical copies: ties are broken by document number
        write_essay(tmp_path / "content", f"copy-{number}", essay)
    library = load_library(tmp_path / "content")
    index = search.SearchIndex(library, tmp_path / "cache")
    index.open()
    assert len(list(index._searcher.reader().leaf_readers())) >= 2
    assert_bulk_agrees_with_whoosh(index)
    index.close()


def test_unsupported_query_shapes_go_to_whoosh(index: search.SearchIndex) -> None:
    from whoosh import query

    bulk = index._ranker.bulk if index._ranker else None
    assert bulk is not None
    assert bulk.search(query.Not(query.Term("body", "oil")), 10) is None
    assert bulk.search(query.Phrase("body", ["soviet", "union"], slop=3), 10) is None
    assert bulk.search(query.Term("document", ESSAY_ID), 10) is None
    assert sections(index.search('"Soviet Union"~3'))  # still answered, by whoosh


def test_a_quoted_phrase_is_matched_counted_and_marked_as_a_whole(
    index: search.SearchIndex,
) -> None:
    results = index.search('"strategic materials"')
    for hit in results.hits:
        section = index.library.section(hit.document, hit.section)
        assert section is not None
        # Counted once per phrase, not once per word; "Raw Materials" alone is no hit.
        assert hit.count == section.text.casefold().count("strategic materials")
        assert {term.casefold() for term in hit.terms} == {"strategic materials"}
        marked = [text for text, matched in hit.fragments if matched]
        assert marked and {m.casefold() for m in marked} == {"strategic materials"}


def test_a_declared_romanian_spelling_is_an_exact_hit_not_a_typo(library: Library,
                                                                   tmp_path: Path) -> None:
    from reader.core.xref_cache import load_cross_references

    xref, _events = load_cross_references(library, tmp_path / "cache")
    index = search.SearchIndex(library, tmp_path / "cache", xref.synonyms())
    index.open()
    for spelling in ("Ploiesti", "Ploieşti", "Ploiești"):
        results = index.search(spelling)
        assert results.hits and all(hit.exact for hit in results.hits)
        assert results.suggestion is None
        assert results.also_spelled == f"{spelling} is also spelled Ploesti."
    index.close()
