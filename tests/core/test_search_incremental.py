"""The search index keeps up with the library essay by essay: importing, updating or
removing an essay writes only that essay's documents, never a rebuild."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from whoosh import index as whoosh_index
from whoosh import writing

from reader.core import content, library, library_import
from reader.core.model import Library
from reader.core.search import SIDECAR, SearchIndex, storage
from reader.core.search.ranking import Ranker
from tests.essay_fixtures import write_essay


def essay_text(title: str, topic: str, parts: int = 3) -> str:
    lines = ["---", f'title: "{title}"', "---", "", f"# {title} {{#start}}", "",
             f"An opening about {topic} and the war economy.", ""]
    for number in range(parts):
        lines += [f"## {topic.title()} part {number} {{#part-{number}}}", "",
                  f"Section {number} on {topic}: oil, grain and ore moved by rail.", ""]
    return "\n".join(lines)


def capture(title: str, words: str) -> str:
    parts = [f"*** essays: {title}", "", title, ""]
    for heading in ("Harbours", "Railways", "Markets"):
        parts += [heading, "", f"A paragraph on {heading.lower()} of {title}, long enough "
                  f"to stand as a paragraph of its own in the page. {words}", ""]
    parts += ["Created: 9:05 PM 3/4/2010", "Last updated: 10:30 AM 11/22/2012", ""]
    return "\n".join(parts)


@pytest.fixture
def roots(tmp_path: Path) -> tuple[Path, Path, Path]:
    """(shipped content, the user's library, cache) with three shipped essays."""
    shipped = tmp_path / "content"
    for name, topic in (("tin", "tin"), ("rubber", "rubber"), ("wheat", "wheat")):
        write_essay(shipped, name, essay_text(f"The {topic.title()} Trade", topic))
    return shipped, tmp_path / "data" / "library", tmp_path / "cache"


def load(roots: tuple[Path, Path, Path]) -> Library:
    return library.load(roots[0], roots[1], roots[2])


def segments(cache: Path) -> dict[str, int]:
    """Segment name -> documents it holds (deleted ones included)."""
    ix = whoosh_index.open_dir(str(cache / "search"))
    try:
        return {s.segment_id(): s.doc_count_all() for s in ix._segments()}
    finally:
        ix.close()


class Spy:
    """Records which essays' documents the index writers add, and full builds."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.added: list[str] = []
        self.builds = 0
        real_add = writing.SegmentWriter.add_document
        real_write = storage.write_documents

        def add_document(writer: Any, **fields: Any) -> Any:
            self.added.append(fields["document"])
            return real_add(writer, **fields)

        def write_documents(*args: Any) -> int:
            self.builds += 1
            return real_write(*args)

        monkeypatch.setattr(writing.SegmentWriter, "add_document", add_document)
        monkeypatch.setattr(storage, "write_documents", write_documents)


def test_an_imported_page_is_added_alone_and_a_removed_one_leaves(
    roots: tuple[Path, Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shipped, user, cache = roots
    with SearchIndex(load(roots), cache) as index:
        assert index.open() == ""
    before = segments(cache)
    assert sum(before.values()) == 12

    page = tmp_path / "saltpetre.txt"
    page.write_text(capture("Chilean Saltpetre", "Nitrates crossed the ocean."), "utf-8")
    [result] = library_import.import_paths([page], user, shipped, cache_dir=cache)
    assert result.ok
    spy = Spy(monkeypatch)
    loaded = load(roots)
    essay = loaded.essay(result.essay_id or "")
    assert essay is not None
    with SearchIndex(loaded, cache) as index:
        assert not index.is_current()
        assert index.open() == ""
        hits = index.search("nitrates").hits
        assert {h.document for h in hits} == {essay.id} and len(hits) == 3
        assert index.is_current()
    assert spy.builds == 0
    assert spy.added == [essay.id] * len(essay.sections)
    after = segments(cache)
    assert {name: after[name] for name in before} == before  # the old segment untouched
    assert sum(after.values()) == 12 + len(essay.sections)
    sidecar = json.loads((cache / "search" / SIDECAR).read_text())
    assert sidecar["documents"] == 12 + len(essay.sections)
    assert list(sidecar["essays"]) == ["rubber", "tin", "wheat", essay.id]

    library.remove_essay(essay.id, user)
    spy.added.clear()
    with SearchIndex(load(roots), cache) as index:
        assert index.open() == ""
        assert index.search("nitrates").hits == []
        assert len(index.search("oil").hits) == 9  # three parts of each shipped essay
    assert spy.added == [] and spy.builds == 0
    assert json.loads((cache / "search" / SIDECAR).read_text())["documents"] == 12
    assert SearchIndex(load(roots), cache).is_current()


def test_update_essay_and_remove_essay_change_an_open_index(
    roots: tuple[Path, Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shipped, user, cache = roots
    page = tmp_path / "cork.txt"
    page.write_text(capture("Portuguese Cork", "Bark stripped every ninth summer."), "utf-8")
    [first] = library_import.import_paths([page], user, shipped, cache_dir=cache)
    loaded = load(roots)
    index = SearchIndex(loaded, cache)
    assert index.open() == ""
    assert len(index.search("bark").hits) == 3

    page.write_text(capture("Portuguese Cork", "Stoppers shipped by the million."), "utf-8")
    [again] = library_import.import_paths([page], user, shipped, cache_dir=cache)
    assert again.status == "updated" and again.essay_id == first.essay_id
    spy = Spy(monkeypatch)
    essay, _ = content.load_essay(user / (again.essay_id or ""), cache)
    assert essay is not None
    steps: list[str] = []
    index.update_essay(essay, step=steps.append)
    assert spy.added == [essay.id] * len(essay.sections) and spy.builds == 0
    assert steps[0] == "delete" and steps[-2:] == ["commit", "sidecar"]
    assert index.search("bark").hits == []
    assert {h.document for h in index.search("stoppers").hits} == {essay.id}
    # The open index and the sidecar agree with the library: nothing left to do.
    assert SearchIndex(load(roots), cache).is_current()

    library.remove_essay(essay.id, user)
    index.remove_essay(essay.id)
    assert index.search("stoppers").hits == []
    assert all(e.id != essay.id for e in index.library.essays)
    index.close()
    assert SearchIndex(load(roots), cache).is_current()
    assert spy.builds == 0


def test_bulk_scores_after_deletions_are_whooshs(
    roots: tuple[Path, Path, Path], tmp_path: Path
) -> None:
    shipped, _user, cache = roots
    index = SearchIndex(load(roots), cache)
    index.open()
    # Rewriting a shipped essay's documents leaves deletions in the first segment.
    (shipped / "tin" / "essay.md").write_text(
        essay_text("The Tin Trade", "tin", parts=4), encoding="utf-8")
    essay, _ = content.load_essay(shipped / "tin")
    assert essay is not None
    index.update_essay(essay)
    reader = index._searcher.reader()
    assert any(leaf.has_deletions() for leaf, _ in reader.leaf_readers())
    queries = ["oil", '"grain and ore"', "tin rail", "rubber OR wheat"]
    assert index._ranker is not None and index._ranker.bulk is not None
    assert index._ranker.bulk.usable
    bulk = {q: [(h.document, h.section, round(h.score, 6)) for h in index.search(q, 50).hits]
            for q in queries}
    Ranker.bulk_enabled = False
    try:
        plain = {q: [(h.document, h.section, round(h.score, 6))
                     for h in index.search(q, 50).hits] for q in queries}
    finally:
        Ranker.bulk_enabled = True
    index.close()
    assert bulk == plain
    assert len(bulk["oil"]) == 10  # the four parts of tin now, three of each other


def test_one_essay_is_searched_alone(roots: tuple[Path, Path, Path]) -> None:
    with SearchIndex(load(roots), roots[2]) as index:
        everywhere = index.search("oil", 50)
        only = index.search("oil", 50, essay="rubber")
        assert {h.document for h in everywhere.hits} == {"tin", "rubber", "wheat"}
        assert [h.document for h in only.hits] == ["rubber"] * 3 and only.total == 3
        assert index.search("oil", 50, essay="nothing").hits == []


def test_a_failed_update_is_repaired_by_a_rebuild(
    roots: tuple[Path, Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shipped, user, cache = roots
    with SearchIndex(load(roots), cache) as index:
        index.open()
    page = tmp_path / "jute.txt"
    page.write_text(capture("Bengal Jute", "Sacking for sandbags."), "utf-8")
    library_import.import_paths([page], user, shipped, cache_dir=cache)

    def crash(*args: Any) -> int:
        raise OSError("disk full")

    with monkeypatch.context() as patch:
        patch.setattr(storage, "apply_changes", crash)
        with SearchIndex(load(roots), cache) as index:
            assert index.open() == ""  # rebuilt whole instead
            assert len(index.search("sandbags").hits) == 3
    assert SearchIndex(load(roots), cache).is_current()


def test_an_update_for_a_few_essays_needs_no_other_essay(
    roots: tuple[Path, Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """``update_essays`` brings the index on disk up to date from the essays that changed
    and the library's order alone (the import process has nothing else): only those
    essays are written, one gone from the order is dropped, and the index is then
    current for the whole library."""
    shipped, user, cache = roots
    before = load(roots)
    SearchIndex(before, cache).open()
    source = shipped.parent / "cotton.txt"
    source.write_text(capture("The Cotton Route", "bales and looms"), "utf-8")
    [result] = library_import.import_paths([source], user, shipped)
    cotton, _ = content.load_essay(user / str(result.essay_id), cache)
    assert cotton is not None
    order = ["rubber", "tin", str(result.essay_id)]  # wheat is gone
    spy = Spy(monkeypatch)
    assert storage.update_essays(cache, order, [cotton])
    assert spy.added and set(spy.added) == {cotton.id} and spy.builds == 0
    after = Library(shipped, [e for e in before.essays if e.id != "wheat"] + [cotton], [])
    assert [e.id for e in after.essays] == order
    assert storage.Store(after, cache).is_current()
    index = SearchIndex(after, cache)
    index.open()
    assert {hit.document for hit in index.search("looms").hits} == {cotton.id}
    assert not index.search("wheat").hits
    index.close()
    spy.added.clear()
    assert storage.update_essays(cache, order, [cotton]) and spy.added == []  # nothing new


def test_an_update_for_a_few_essays_leaves_an_index_it_cannot_trust(
    roots: tuple[Path, Path, Path]
) -> None:
    cache = roots[2]
    essay = load(roots).essays[0]
    assert not storage.update_essays(cache, [essay.id], [essay])  # no index at all
    SearchIndex(load(roots), cache).open()
    sidecar_path = cache / "search" / SIDECAR
    sidecar = json.loads(sidecar_path.read_text("utf-8"))
    sidecar["code"] = "other code"
    sidecar_path.write_text(json.dumps(sidecar), "utf-8")
    assert not storage.update_essays(cache, [essay.id], [essay])
    assert json.loads(sidecar_path.read_text("utf-8"))["code"] == "other code"  # untouched
